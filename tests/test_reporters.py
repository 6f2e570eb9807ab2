"""SARIF, JUnit and Markdown over one fixture PR: an expired exception and a drifting runbook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from lxml import etree

from tests.conftest import REPO, Runner, git_init

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def pr(program: Path, product: Path) -> tuple[Path, Path]:
    """The fixture PR: EXC-001 has expired (today 2026-03-13) and a runbook names a route that does not ship."""
    (program / "docs" / "runbooks" / "rotate.md").write_text(
        "# Rotate\n\nRotate with `POST /api/spacetime/token/rotate`.\n"
    )
    return program, product


def _run(gates: Runner, pr: tuple[Path, Path], fmt: str, *extra: str) -> str:
    program, product = pr
    code, out, _ = gates(
        "check",
        "--root",
        program,
        "--today",
        "2026-03-13",
        "--offline",
        "--format",
        fmt,
        "--source",
        f"product={product}",
        *extra,
    )
    assert code == 1
    return out.replace(str(program), "<root>").replace(str(product), "<product>")


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown"])
def test_golden(gates: Runner, pr: tuple[Path, Path], fmt: str) -> None:
    out = _run(gates, pr, fmt)
    golden = GOLDEN / f"report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def test_sarif_is_valid_and_complete(gates: Runner, pr: tuple[Path, Path]) -> None:
    log = json.loads(_run(gates, pr, "sarif"))
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    expired = by_rule["EXC001"]
    assert expired["level"] == "error"
    assert expired["locations"][0]["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 14}
    drift = by_rule["DRIFT001"]
    assert drift["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/runbooks/rotate.md"
    guard = next(r for r in run["results"] if r["ruleId"] == "GUARD001")
    assert guard["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "PRODUCT"
    assert rules[0]["helpUri"] == "https://example.invalid/site/rules/#data001"
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}


def test_sarif_fingerprints_survive_unrelated_edits(gates: Runner, pr: tuple[Path, Path]) -> None:
    before = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"]
        for r in json.loads(_run(gates, pr, "sarif"))["runs"][0]["results"]
    }
    program, _ = pr
    rotate = program / "docs" / "runbooks" / "rotate.md"
    rotate.write_text("# Rotate\n\nSome new intro text.\n\nMore.\n\n" + rotate.read_text().split("\n", 2)[2])
    exc = program / "data" / "exceptions.yaml"
    exc.write_text("# a comment added above everything\n\n" + exc.read_text())
    after = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"]
        for r in json.loads(_run(gates, pr, "sarif"))["runs"][0]["results"]
    }
    assert before == after


def test_junit_is_valid(gates: Runner, pr: tuple[Path, Path]) -> None:
    xml = _run(gates, pr, "junit").encode()
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit.xsd")))
    doc = etree.fromstring(xml)
    schema.assertValid(doc)
    failed = {c.get("name") for c in doc.iter("testcase") if c.find("failure") is not None}
    assert "EXC001 exception-expired [EXC-001]" in failed
    assert "DRIFT001 runbook-endpoint-not-shipped [docs/runbooks/rotate.md]" in failed
    passed = {c.get("name") for c in doc.iter("testcase") if c.find("failure") is None}
    assert "EXC002 exception-stale" in passed


def test_github_annotations_and_step_summary(
    gates: Runner, pr: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = _run(gates, pr, "github")
    assert "::error file=data/exceptions.yaml,line=9,col=14,title=EXC001 exception-expired::" in out
    assert "::error file=docs/runbooks/rotate.md,line=3,col=" in out
    assert "::error file=apps/control/src/paths.rs,line=3,col=6,title=GUARD001 prohibited-symbol::" in out
    text = summary.read_text()
    assert "## ❌ Gates: Fixture program" in text and "| [EXC001](https://example.invalid/site/rules/#exc001) |" in text


def test_changed_only_limits_findings_not_closure(gates: Runner, pr: tuple[Path, Path]) -> None:
    program, _product = pr
    git_init(program)
    (program / "docs" / "runbooks" / "tokens.md").write_text(
        (program / "docs" / "runbooks" / "tokens.md").read_text() + "\nAlso `GET /api/nope`.\n"
    )
    full = json.loads(_run(gates, pr, "json"))
    limited = json.loads(_run(gates, pr, "json", "--changed-only", "HEAD"))
    assert {f["path"] for f in limited["findings"]} == {"docs/runbooks/tokens.md"}
    assert limited["closure"] == full["closure"]


def test_validate_reports_only_the_given_files(gates: Runner, program: Path) -> None:
    exc = program / "data" / "exceptions.yaml"
    exc.write_text(exc.read_text().replace("    expires: 2026-03-12", "    expiers: 2026-03-12"))
    code, out, _ = gates("validate", "--root", program, "--today", "2026-03-02", str(exc))
    assert code == 1 and "DATA003" in out and "expiers" in out
    code, out, _ = gates(
        "validate", "--root", program, "--today", "2026-03-02", str(program / "data" / "invariants.yaml")
    )
    assert code == 0


def test_pre_commit_hooks_via_try_repo(tmp_path: Path) -> None:
    """Run both hooks through `pre-commit try-repo` against a fixture tracker repository."""
    shutil.which("pre-commit") or pytest.fail("pre-commit is a test dependency and must be installed")
    source = tmp_path / "gates-src"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(source)], check=True)
    # try-repo installs the hooks from the repository's working tree, so include this checkout's state.
    for name in ("checks", "pyproject.toml", ".pre-commit-hooks.yaml", "README.md"):
        target = source / name
        if target.is_dir():
            shutil.rmtree(target)
        src = REPO / name
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__")) if src.is_dir() else shutil.copy(
            src, target
        )
    subprocess.run(["git", "add", "-A"], cwd=source, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "this checkout", "--allow-empty"],
        cwd=source,
        check=True,
    )
    tracker = tmp_path / "tracker"
    shutil.copytree(Path(__file__).parent / "fixtures" / "program", tracker)
    exc = tracker / "data" / "exceptions.yaml"
    exc.write_text(exc.read_text().replace("    expires: 2026-03-12", "    expires: 2026-02-30"))
    git_init(tracker)
    wheelhouse = Path(os.environ.get("GATES_WHEELHOUSE", REPO / ".venv" / "wheelhouse"))
    if not any(wheelhouse.glob("*.whl")):
        pytest.fail(f"no wheelhouse at {wheelhouse}: run 'make test', which builds it during set-up")
    # Offline: pre-commit's hook environment installs from the local wheelhouse only.
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
    }
    proc = subprocess.run(
        ["pre-commit", "try-repo", str(source), "gates-validate", "--files", "data/exceptions.yaml"],
        cwd=tracker,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "data/exceptions.yaml:9:14: error DATA003" in proc.stdout
    proc = subprocess.run(
        ["pre-commit", "try-repo", str(source), "gates-check", "--all-files"],
        cwd=tracker,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 1 and "EXC001" not in proc.stdout and "DATA003" in proc.stdout
