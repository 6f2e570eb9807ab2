"""Exit codes, usage errors, reporters and the shipped program."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, Runner

GOLDEN = Path(__file__).parent / "golden"


def test_clean_program_exits_zero(program: Path, gates: Runner) -> None:
    code, out, err = gates("check", "--root", program, "--today", "2026-03-02", "--offline", "--select", "DATA,EXC")
    assert (code, err) == (0, "")
    assert out.endswith("today 2026-03-02\n")


def test_errors_exit_one(program: Path, gates: Runner) -> None:
    code, out, _ = gates("check", "--root", program, "--today", "2026-03-13", "--offline", "--select", "EXC")
    assert code == 1 and "EXC001 exception-expired" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--today", "2026-02-30"], "is not a calendar date"),
        (["check", "--format", "yaml"], "invalid choice"),
        (["check", "--select", "NOPE001"], "unknown rule code"),
        (["check", "--source", "nosuch=/tmp"], "no such source"),
        (["check", "--source", "product"], "must be NAME=PATH"),
        (["check", "--output", "/nonexistent-dir/x.json"], "cannot write"),
        (["frobnicate"], "invalid choice"),
        (["check", "--changed-only", "no-such-revision"], "--changed-only"),
    ],
)
def test_usage_errors_exit_two_with_one_line(program: Path, gates: Runner, args: list[str], message: str) -> None:
    code, out, err = gates(*args, "--root", program) if args[0] == "check" else gates(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and err.startswith("gates: error:")


def test_missing_program_exits_two(tmp_path: Path, gates: Runner) -> None:
    code, _, err = gates("check", "--root", tmp_path)
    assert code == 2 and "no data/program.yaml" in err


def test_no_program_upward(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checks", "check"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "pass --root" in proc.stderr


def test_strict_fails_on_warnings(program: Path, gates: Runner) -> None:
    args = ["check", "--root", program, "--today", "2026-03-10", "--offline", "--select", "EXC"]
    assert gates(*args)[0] == 0  # EXC003 warning only
    assert gates(*args, "--strict")[0] == 1


def test_json_report_shape_and_determinism(program: Path, gates: Runner) -> None:
    args = ["check", "--root", program, "--today", "2026-03-02", "--offline", "--format", "json"]
    first, second = gates(*args)[1], gates(*args)[1]
    assert first == second
    report = json.loads(first)
    assert set(report) >= {"tool", "today", "root", "summary", "findings", "closure"}
    assert report["tool"]["name"] == "gates" and report["today"] == "2026-03-02"
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys)
    closure = report["closure"]
    assert {i["id"] for i in closure["invariants"]} == {"INV-01", "INV-03"}
    assert closure["exceptions"][0]["id"] == "EXC-001" and closure["exceptions"][0]["days_left"] == 10


def _normalise(text: str, root: Path) -> str:
    return text.replace(str(root), "<root>")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_golden_reporters(
    program: Path, product: Path, gates: Runner, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One engine, so the JSON's scan statistics (engine, files scanned) do not depend on ripgrep being installed.
    monkeypatch.setenv("GATES_GUARD_ENGINE", "python")
    (program / "docs" / "runbooks" / "legacy.md").write_text(
        "# Legacy\n\nConnect with `GET /sync/socket/websocket` for live updates.\n"
    )
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
    )
    assert code == 1
    out = _normalise(out, program).replace(str(product), "<product>")
    golden = GOLDEN / f"report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def test_github_escaping_and_auto(program: Path, gates: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = gates("check", "--root", program, "--today", "2026-03-13", "--offline", "--select", "EXC")
    line = next(ln for ln in out.splitlines() if ln.startswith("::error"))
    assert re.match(r"::error file=data/exceptions.yaml,line=\d+,col=\d+,title=EXC001 exception-expired::", line)


def test_multiple_formats_in_one_run(program: Path, gates: Runner, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = gates(
        "check",
        "--root",
        program,
        "--today",
        "2026-03-02",
        "--offline",
        "--format",
        "json",
        "--output",
        target,
        "--format",
        "text",
    )
    assert code == 0
    assert json.loads(target.read_text())["today"] == "2026-03-02"
    assert "today 2026-03-02" in out


def test_rules_catalog(gates: Runner) -> None:
    code, out, _ = gates("rules", "--format", "json")
    rules = json.loads(out)
    codes = [r["code"] for r in rules]
    assert code == 0 and codes[0] == "DATA001" and len(codes) == len(set(codes))
    expected = {
        "DATA001": "yaml-syntax",
        "DATA002": "duplicate-key",
        "DATA003": "schema",
        "DATA004": "duplicate-id",
        "DATA005": "unknown-reference",
        "EXC001": "exception-expired",
        "EXC002": "exception-stale",
        "EXC003": "exception-expiring-soon",
        "EXC004": "exception-window-too-long",
        "EXC005": "exception-incomplete",
        "EXC006": "exception-unused",
        "EXC007": "renewal-invalid",
        "GUARD001": "prohibited-symbol",
        "GUARD002": "waived-symbol",
        "GUARD003": "source-unavailable",
        "DRIFT001": "runbook-endpoint-not-shipped",
        "DRIFT002": "runbook-prohibited-endpoint",
        "DRIFT003": "canonical-endpoint-missing",
        "DRIFT004": "endpoint-alias",
        "DRIFT005": "endpoint-undocumented",
        "DRIFT006": "catalog-stale",
        "DRIFT007": "doc-reference-missing",
        "EVID001": "evidence-path-missing",
        "EVID002": "evidence-test-missing",
        "EVID003": "evidence-url-broken",
        "EVID004": "evidence-class-uncovered",
        "EVID005": "evidence-unchecked",
        "EVID006": "evidence-url-refused",
    }
    got = {r["code"]: r["rule"] for r in rules}
    assert {k: got[k] for k in expected} == expected  # codes keep their meaning forever
    assert all("Pass" in r["doc"] and r["summary"] for r in rules)


def test_registry_refuses_bad_and_duplicate_codes() -> None:
    from checks.core.findings import Severity
    from checks.core.registry import RegistryError, rule
    from checks.rules import all_rules

    all_rules()
    with pytest.raises(RegistryError):
        rule("DATA001", "another", Severity.ERROR)(lambda ctx: iter(()))
    with pytest.raises(RegistryError):
        rule("FOO001", "foo", Severity.ERROR)(lambda ctx: iter(()))


def test_exception_new_skeleton_is_schema_valid_but_refused_until_edited(program: Path, gates: Runner) -> None:
    code, out, _ = gates("exception", "new", "--root", program, "--today", "2026-04-01", "--owner", "@me")
    assert code == 0
    assert "id: EXC-002" in out and "opened: 2026-04-01" in out and "expires: 2026-04-15" in out
    path = program / "data" / "exceptions.yaml"
    before = path.read_text()
    path.write_text(before + "\n".join(out.splitlines()[2:]) + "\n")
    offset = before.count("\n")
    code, report, _ = gates(
        "check", "--root", program, "--today", "2026-04-01", "--offline", "--format", "json", "--select", "DATA"
    )
    body = json.loads(report)
    assert code == 1
    # The schema takes it (no DATA003): only the placeholders are refused, each at its own line.
    codes = {f["code"] for f in body["findings"]}
    assert codes == {"DATA006"}, codes
    lines = sorted(f["line"] - offset for f in body["findings"])
    skeleton = out.splitlines()[2:]
    placeholder_lines = [i + 1 for i, ln in enumerate(skeleton) if "TODO" in ln or "@me" in ln]
    assert lines == placeholder_lines
    state = next(e for e in body["closure"]["exceptions"] if e["id"] == "EXC-002")
    assert state["state"] == "invalid" and not state["compliant"]
    assert any("placeholder text in" in r for r in state["reasons"])


def test_exception_new_covers_only_what_the_invariant_owns(program: Path, gates: Runner) -> None:
    # INV-01 owns the sync-token guard and the sync-token family; INV-03 owns three guards and no family.
    _, out, _ = gates("exception", "new", "--root", program, "--today", "2026-04-01", "--invariant", "INV-01")
    assert "guard: sync-token-alias-route" in out and "legacy-websocket-path" not in out
    assert '{family: sync-token, path: "/api/sync/token"}' in out
    _, out, _ = gates("exception", "new", "--root", program, "--today", "2026-04-01", "--invariant", "INV-03")
    assert "sync-token-alias-route" not in out and "endpoints:" not in out
    assert {ln.split(":")[1].strip() for ln in out.splitlines() if "- guard:" in ln} == {
        "legacy-websocket-path",
        "phoenix-frame-protocol",
        "runtime-in-memory-publisher",
    }
    code, _, err = gates("exception", "new", "--root", program, "--invariant", "INV-99")
    assert code == 2 and "no such invariant" in err


def test_shipped_program_has_no_data_findings(gates: Runner) -> None:
    code, out, err = gates("check", "--root", REPO, "--today", "2026-03-01", "--offline", "--format", "json")
    assert code == 1  # truthful: evidence is unchecked without the source, so required classes are uncovered
    report = json.loads(out)
    assert err == ""
    assert [f for f in report["findings"] if f["code"].startswith("DATA")] == []
    assert report["closure"]["closed"] is False
    # No exception is on record for this program (ADR-0007 names none).
    assert report["closure"]["exceptions"] == []


def test_python_module_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checks", "rules"], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert proc.returncode == 0 and proc.stdout.startswith("DATA001")
