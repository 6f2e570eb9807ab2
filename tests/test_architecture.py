"""The package's structure holds: layered imports without cycles, small modules that say what they do."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "checks"
MAX_MODULE_LINES = 300


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([exe, "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_import_contracts_hold() -> None:
    proc = _lint_imports(REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 kept, 0 broken" in proc.stdout


@pytest.mark.parametrize(
    ("importer", "imported", "broken"),
    [
        ("load/dates.py", "checks.cli.main", "checks.load is not allowed to import checks.cli"),
        ("model/scope.py", "checks.core.context", "checks.model is not allowed to import checks.core"),
        ("endpoints/normalize.py", "checks.policy.waivers", "checks.endpoints is not allowed to import checks.policy"),
    ],
)
def test_an_upward_import_breaks_the_layers(tmp_path: Path, importer: str, imported: str, broken: str) -> None:
    shutil.copytree(PACKAGE, tmp_path / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    module = tmp_path / "checks" / importer
    module.write_text(module.read_text() + f"\nimport {imported}  # noqa: E402\n")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert broken in proc.stdout


def test_a_cycle_between_siblings_breaks_the_contracts(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    module = tmp_path / "checks" / "core" / "findings.py"
    module.write_text(module.read_text() + "\nimport checks.core.engine  # noqa: E402\n")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "No import cycles" in proc.stdout and "BROKEN" in proc.stdout


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_does_and_stays_small(module: Path) -> None:
    text = module.read_text(encoding="utf-8")
    tree = ast.parse(text)
    if module.name != "__main__.py":
        doc = ast.get_docstring(tree)
        assert doc, f"{module.relative_to(REPO)} needs a one-line docstring saying what it does"
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module.relative_to(REPO)} has {lines} lines; split it by concern"


def test_exception_dates_are_compared_only_by_the_waiver_policy() -> None:
    """One owner per truth: only checks/policy/waivers.py compares an exception's dates."""
    offenders = []
    for module in _modules():
        if module == PACKAGE / "policy" / "waivers.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and not any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
                names = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                if names & {"expires", "opened", "latest_allowed_expiry", "days_since_renewal"}:
                    offenders.append(f"{module.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders
