"""Shared fixtures: a small complete program, a product tree, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from checks.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps its caches to itself, never in the user's cache directory."""
    monkeypatch.setenv("GATES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright, one per test module (the browser tests share it)."""
    from playwright.sync_api import sync_playwright

    from tests.sitekit import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A copy of the fixture program, free to modify."""
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    return root


@pytest.fixture
def product(tmp_path: Path) -> Path:
    """A copy of the fixture product tree, with a symlink that leaves the tree."""
    root = tmp_path / "product"
    shutil.copytree(FIXTURES / "product", root)
    outside = tmp_path / "outside.rs"
    outside.write_text('const X = "phx_join";\n')
    (root / "apps" / "desktop" / "src" / "escape.rs").symlink_to(outside)
    return root


def git_init(root: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env)


Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def gates(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
