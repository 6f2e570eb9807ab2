"""The shipped program: its committed record of OpenAgents is well-formed, pinned, complete and gives the verdict."""

from __future__ import annotations

import json
import re
from pathlib import Path

from checks.model import Source
from checks.model.workspace import Workspace, load_workspace
from checks.records import SourceRecord, load_record, stale_guards
from tests.conftest import REPO, Runner

PIN = "8a612126396bee6cb3fb905529e5962978aea89a"
CONVERGENCE = "9b2b9789498984bd861fa2d090b405b22b9e9631"


def _record() -> tuple[Workspace, Source, SourceRecord]:
    ws = load_workspace(REPO)
    source = ws.program.source("openagents")
    assert source is not None
    found = load_record(REPO, source)
    assert found.problem == "" and found.record is not None, found.problem
    return ws, source, found.record


def test_the_record_is_of_the_pinned_commit_and_current_with_the_guards() -> None:
    ws, source, record = _record()
    assert source.pin == PIN and record.commit == PIN
    assert stale_guards(record, ws.program) == []
    assert set(record.guards) == {g.id for g in ws.program.guards}


def test_the_record_covers_every_source_evidence_item() -> None:
    ws, _, record = _record()
    wanted = {
        (e.id, e.kind, e.ref)
        for inv in ws.invariants
        for e in inv.evidence
        if e.source == "openagents" and e.kind in ("path", "test")
    }
    recorded = {(r.id, r.kind, r.ref) for r in record.evidence.values()}
    assert wanted == recorded
    assert {r.status for r in record.evidence.values()} == {"verified"}


def test_every_recorded_endpoint_names_a_file_and_line() -> None:
    _, _, record = _record()
    origins = [o for service in record.endpoints.values() for _m, _p, o, _c in service.endpoints]
    assert origins and all(re.fullmatch(r"openagents:[\w./-]+\.rs:[1-9][0-9]*", o) for o in origins)
    paths = {p for service in record.endpoints.values() for _m, p, _o, _c in service.endpoints}
    assert "/api/sync/token" in paths
    assert not paths & {"/api/spacetime/token", "/api/v1/sync/token", "/api/v1/spacetime/token"}


def test_the_burndown_falls_to_zero_at_the_convergence_commit() -> None:
    _, _, record = _record()
    points = record.burndown
    at = next(i for i, p in enumerate(points) if p["commit"] == CONVERGENCE)
    assert sum(points[at - 1]["counts"].values()) > 0
    assert all(sum(p["counts"].values()) == 0 for p in points[at:])
    assert points[-1]["commit"] == PIN


def test_the_record_holds_facts_not_prose() -> None:
    text = (REPO / "data" / "records" / "openagents.json").read_text()
    body = json.loads(text)
    assert body["hits"] == [] and body["suppressed"] == []
    # No sentence of the product's docs: every recorded runbook string is a path, a method or an endpoint.
    runbooks = body["runbooks"]
    strings = [v for ref in runbooks["endpoints"] + runbooks["files"] for v in ref.values() if isinstance(v, str)]
    assert all(" " not in s for s in strings), [s for s in strings if " " in s][:3]


def test_without_the_source_the_record_gives_the_verdict(gates: Runner) -> None:
    _, _, record = _record()
    code, out, _ = gates(
        "check", "--root", REPO, "--today", record.recorded.isoformat(), "--offline", "--format", "json"
    )
    report = json.loads(out)
    assert report["sources"]["openagents"]["state"] == "recorded"
    codes = {f["code"] for f in report["findings"]}
    assert not codes & {"GUARD003", "DATA007", "DATA008", "DATA009", "DRIFT010", "EVID005"}
    closure = report["closure"]
    assert [i["status"] for i in closure["invariants"]] == ["closed"] * 10
    # OpenAgents' own runbooks drift at the pin: the verdict says so.
    assert closure["closed"] is False
    assert sorted((f["code"], f["path"]) for f in report["findings"] if f["severity"] == "error") == [
        ("DRIFT001", "openagents:docs/sync/SPACETIME_CHAOS_DRILLS.md"),
        ("DRIFT007", "openagents:docs/sync/SPACETIME_OBSERVABILITY_AND_ALERTS.md"),
    ]
    assert code == 1
    _, text, _ = gates("check", "--root", REPO, "--today", record.recorded.isoformat(), "--offline")
    assert f"openagents: as recorded at openagents@8a61212 on {record.recorded.isoformat()}" in text


def test_the_data_names_no_exception_and_no_invented_owner() -> None:
    ws = load_workspace(REPO)
    assert ws.waivers == ()
    assert {i.owner for i in ws.invariants} == {"owner:protocol-runtime"}
    assert not (Path(REPO) / "docs" / "runbooks").exists()
