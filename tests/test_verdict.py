"""The verdict cannot be fooled: closure from every rule, placeholders refused, waivers kept in their lane."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, Runner


def _json(gates: Runner, *args: str | Path) -> tuple[int, dict[str, object]]:
    code, out, _ = gates("check", *args, "--format", "json")
    return code, json.loads(out)


def _closing_program(program: Path) -> Path:
    """The fixture program edited until it closes: no exception, and no alias shipping."""
    (program / "data" / "exceptions.yaml").write_text("exceptions: []\n")
    snap = program / "data" / "endpoints.snapshot.json"
    data = json.loads(snap.read_text())
    for service in data["services"].values():
        service["endpoints"] = [e for e in service["endpoints"] if e["path"] != "/api/sync/token"]
    snap.write_text(json.dumps(data))
    return program


def test_closure_does_not_depend_on_select_on_the_shipped_program(gates: Runner) -> None:
    _, full = _json(gates, "--root", REPO, "--today", "2026-03-01", "--offline")
    _, data_only = _json(gates, "--root", REPO, "--today", "2026-03-01", "--offline", "--select", "DATA")
    _, ignoring = _json(gates, "--root", REPO, "--today", "2026-03-01", "--offline", "--ignore", "EVID,EXC")
    assert data_only["closure"] == full["closure"] == ignoring["closure"]
    assert all(f["code"].startswith("DATA") for f in data_only["findings"])  # type: ignore[union-attr]


def test_all_invariants_closed_plus_one_unattributed_error_is_not_closed(program: Path, gates: Runner) -> None:
    root = _closing_program(program)
    code, report = _json(gates, "--root", root, "--today", "2026-03-13", "--offline")
    closure = report["closure"]
    assert isinstance(closure, dict)
    assert code == 0 and closure["closed"] is True and closure["percent"] == 100
    # One error that belongs to no invariant: a runbook naming an endpoint nothing ships.
    runbook = root / "docs" / "runbooks" / "tokens.md"
    runbook.write_text(runbook.read_text() + "\nCall `GET /api/unknown/thing` for status.\n")
    for selection in ((), ("--select", "DATA"), ("--ignore", "DRIFT")):
        code, report = _json(gates, "--root", root, "--today", "2026-03-13", "--offline", *selection)
        closure = report["closure"]
        assert isinstance(closure, dict)
        assert [i["status"] for i in closure["invariants"]] == ["closed", "closed"]
        assert closure["closed"] is False, selection
        assert closure["verdict"] == "Not closed: 2 of 2 invariants closed (blocked by findings)."
        assert [b["id"] for b in closure["blockers"]] == ["DRIFT001"]


def test_validate_states_no_closure(program: Path, gates: Runner) -> None:
    root = _closing_program(program)
    code, out, _ = gates("validate", "--root", root, "--today", "2026-03-13")
    assert code == 0
    assert out.strip().endswith("closure not evaluated · today 2026-03-13")
    code, out, _ = gates("validate", "--root", root, "--today", "2026-03-13", "--format", "json")
    closure = json.loads(out)["closure"]
    assert closure["evaluated"] is False and closure["verdict"].startswith("Closure not evaluated")


def test_validate_outside_a_tracker_is_one_line_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "checks", "validate"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("gates: error: no data/program.yaml")
    assert "internal error" not in proc.stderr


def test_a_cover_outside_the_lane_is_reported_and_waives_nothing(program: Path, product: Path, gates: Runner) -> None:
    # EXC-001 lists INV-01; legacy-websocket-path guards INV-03. Today 2026-03-05: EXC-001 is compliant.
    exc = program / "data" / "exceptions.yaml"
    exc.write_text(
        exc.read_text().replace(
            'guards: [{guard: sync-token-alias-route, paths: ["apps/control/**"]}]',
            'guards: [{guard: sync-token-alias-route, paths: ["apps/control/**"]}, '
            '{guard: legacy-websocket-path, paths: ["apps/**"]}]',
        )
    )
    args = ("--root", program, "--today", "2026-03-05", "--offline", "--source", f"product={product}")
    code, report = _json(gates, *args)
    findings = report["findings"]
    assert isinstance(findings, list)
    lane = [f for f in findings if f["code"] == "EXC008"]
    assert len(lane) == 1 and "covers guard legacy-websocket-path of INV-03" in lane[0]["message"]
    assert lane[0]["line"] == 14 and lane[0]["invariant"] == "INV-03"  # the flow mapping of that cover
    websocket = [f for f in findings if f["subject"] == "legacy-websocket-path"]
    assert websocket and {f["code"] for f in websocket} == {"GUARD001"}  # still errors: not waived
    # The in-lane cover still waives: its alias-route hits under apps/control are GUARD002 (info).
    token = {f["code"] for f in findings if f["subject"] == "sync-token-alias-route" and "apps/control/" in f["path"]}
    assert token == {"GUARD002"}
    closure = report["closure"]
    assert isinstance(closure, dict)
    statuses = {i["id"]: i for i in closure["invariants"]}
    assert statuses["INV-03"]["status"] == "violated" and statuses["INV-01"]["exceptions"] == ["EXC-001"]
    assert code == 1


def test_a_retirement_dated_after_today_is_an_error(program: Path, gates: Runner) -> None:
    exc = program / "data" / "exceptions.yaml"
    exc.write_text(
        exc.read_text().replace(
            "    status: active",
            "    status: retired\n    retired: {date: 2026-03-09, reason: alias deleted, link: 'https://ci.invalid/7'}",
        )
    )
    code, report = _json(gates, "--root", program, "--today", "2026-03-05", "--offline", "--select", "EXC")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [f["code"] for f in findings] == ["EXC009"] and code == 1
    assert "retired on 2026-03-09, after today (2026-03-05)" in findings[0]["message"]
    code, report = _json(gates, "--root", program, "--today", "2026-03-09", "--offline", "--select", "EXC")
    assert report["findings"] == [] and code == 0
