"""Both guard engines read one file list: ignore files in a product tree cannot hide a symbol from either."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checks.model.workspace import load_workspace
from checks.scan.guards import scan_source
from tests.conftest import FIXTURES, git_init
from tests.test_guards import _guard


def _tree(root: Path) -> Path:
    files = {
        "apps/a.rs": 'const A: &str = "phx_join";\n',
        "apps/hidden_by_ignore.rs": 'const B: &str = "phx_join";\n',
        "apps/hidden_by_rgignore.rs": 'const C: &str = "phx_join";\n',
        "apps/tracked_but_gitignored.rs": 'const D: &str = "phx_join";\n',
        ".ignore": "apps/hidden_by_ignore.rs\n",
        ".rgignore": "apps/hidden_by_rgignore.rs\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


EVERY = {"apps/a.rs", "apps/hidden_by_ignore.rs", "apps/hidden_by_rgignore.rs", "apps/tracked_but_gitignored.rs"}


def _hits(root: Path, engine: str) -> set[str]:
    program = load_workspace(FIXTURES / "program").program
    return {h.path for h in scan_source("product", root, [_guard("phx_join")], program, engine=engine).hits}


@pytest.mark.skipif(shutil.which("rg") is None, reason="ripgrep is installed by `make test`")
def test_engines_agree_outside_git(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    assert _hits(root, "python") == _hits(root, "ripgrep") == EVERY


@pytest.mark.skipif(shutil.which("rg") is None, reason="ripgrep is installed by `make test`")
def test_engines_agree_in_a_git_work_tree(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    git_init(root)
    # Ignored after it was committed: git still tracks it, so it is retained code.
    (root / ".gitignore").write_text("apps/tracked_but_gitignored.rs\napps/untracked_ignored.rs\n")
    (root / "apps" / "untracked_new.rs").write_text('const E: &str = "phx_join";\n')
    (root / "apps" / "untracked_ignored.rs").write_text('const F: &str = "phx_join";\n')
    subprocess.run(["git", "add", ".gitignore"], cwd=root, check=True)
    expected = EVERY | {"apps/untracked_new.rs"}  # untracked but not ignored: about to be committed
    assert _hits(root, "python") == _hits(root, "ripgrep") == expected
