"""The closure verdict, its reasons, blockers and JSON, pinned exactly (mutants of checks/core/closure.py die here).

The fixture has INV-01 (one path evidence item, EXC-001 against it) and INV-03 (one path item and
one shown command); offline, both path items verify. On 2026-03-05 EXC-001 is compliant.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checks.core.closure import Closure, InvariantState, compute_closure
from checks.core.context import Context, Options
from checks.core.findings import Finding, Severity
from checks.model.workspace import load_workspace

TODAY = dt.date(2026, 3, 5)


def _closure(root: Path, findings: list[Finding], today: dt.date = TODAY) -> Closure:
    ctx = Context(load_workspace(root), Options(today=today, offline=True))
    return compute_closure(ctx, findings)


def _error(code: str, *, invariant: str = "", subject: str = "", line: int = 1) -> Finding:
    return Finding(code, "rule", Severity.ERROR, "apps/x.rs", line, 1, f"{code} message", subject, invariant)


def test_no_findings_one_exception(program: Path) -> None:
    closure = _closure(program, [])
    inv01, inv03 = closure.invariants
    assert inv01.as_dict() == {
        "id": "INV-01",
        "title": "One token route",
        "status": "at-risk",
        "posture": "preserved",
        "owner": "owner:control",
        "reasons": ["exception EXC-001 is active"],
        "evidence": {"total": 1, "verified": 1, "items": [r.as_dict() for r in inv01.evidence]},
        "errors": 0,
        "exceptions": ["EXC-001"],
    }
    assert [r.evidence.id for r in inv01.evidence] == ["INV-01-E1"]
    assert (inv03.status, inv03.reasons) == ("closed", ["all 1 evidence items verified"])
    assert inv03.as_dict()["evidence"] == {
        "total": 1,
        "verified": 1,
        "items": [r.as_dict() for r in inv03.evidence],
    }
    assert [r.evidence.id for r in inv03.evidence] == ["INV-03-E1", "INV-03-E2"]
    data = closure.as_dict()
    assert [s.id for s in closure.exceptions] == ["EXC-001"]
    assert data["exceptions"] == [s.as_dict() for s in closure.exceptions]
    assert data["percent"] == 50 and data["closed"] is False
    assert closure.blockers == [
        {
            "kind": "invariant",
            "id": "INV-01",
            "status": "at-risk",
            "owner": "owner:control",
            "reason": "exception EXC-001 is active",
        },
        {"kind": "exception", "id": "EXC-001", "status": "active", "owner": "@control", "reason": "expires 2026-03-12"},
    ]


def test_errors_are_attributed_counted_and_named(program: Path) -> None:
    findings = [
        _error("EXC002", subject="EXC-001"),  # about the exception: reaches its invariant INV-01
        _error("GUARD001", invariant="INV-03", line=1),
        _error("GUARD001", invariant="INV-03", line=2),
        _error("DRIFT002", invariant="INV-03"),
        _error("EVID001", invariant="INV-03"),  # missing proof, not a violation
        _error("DRIFT001", line=7),  # belongs to no invariant
        Finding("GUARD002", "rule", Severity.INFO, "apps/y.rs", 1, 1, "waived", "", "INV-03"),
    ]
    closure = _closure(program, findings)
    inv01, inv03 = closure.invariants
    assert inv01.status is InvariantState.VIOLATED
    assert inv01.reasons == ["1 error finding (EXC002)", "exception EXC-001 is active"]
    assert inv01.as_dict()["errors"] == 1
    assert inv03.status is InvariantState.VIOLATED
    assert inv03.reasons == ["3 error findings (DRIFT002, GUARD001)"]
    assert [f.code for f in inv03.errors] == ["GUARD001", "GUARD001", "DRIFT002"]
    assert closure.blockers[-1] == {
        "kind": "finding",
        "id": "DRIFT001",
        "status": "error",
        "owner": "",
        "reason": "apps/x.rs:7: DRIFT001 message",
    }
    assert [b["kind"] for b in closure.blockers] == ["invariant", "invariant", "exception", "finding"]
    assert closure.blockers[1]["reason"] == "3 error findings (DRIFT002, GUARD001)"
    assert closure.percent == 0 and not closure.closed


def test_two_attributed_errors_are_plural(program: Path) -> None:
    closure = _closure(program, [_error("GUARD001", invariant="INV-03"), _error("DRIFT002", invariant="INV-03")])
    assert closure.invariants[1].reasons == ["2 error findings (DRIFT002, GUARD001)"]


def test_unverified_and_unverifiable_evidence_are_reasons(program: Path) -> None:
    invariants = program / "data" / "invariants.yaml"
    text = invariants.read_text()
    text = text.replace("ref: docs/runbooks/tokens.md", "ref: docs/runbooks/gone.md")
    text = text.replace("      - {id: INV-03-E1, class: guard-checks, kind: path, ref: data/program.yaml}\n", "")
    invariants.write_text(text)
    (program / "data" / "exceptions.yaml").write_text("exceptions: []\n")
    closure = _closure(program, [])
    inv01, inv03 = closure.invariants
    (missing,) = inv01.evidence
    assert missing.status == "missing" and missing.detail
    assert (inv01.status, inv01.reasons) == ("open", [f"evidence INV-01-E1 missing: {missing.detail}"])
    assert (inv03.status, inv03.reasons) == ("open", ["no verifiable evidence"])
    assert inv03.as_dict()["evidence"] == {"total": 0, "verified": 0, "items": [r.as_dict() for r in inv03.evidence]}
    assert closure.blockers[1] == {
        "kind": "invariant",
        "id": "INV-03",
        "status": "open",
        "owner": "owner:runtime",
        "reason": "no verifiable evidence",
    }


def test_an_exception_without_a_readable_expiry_blocks_by_saying_so(program: Path) -> None:
    exceptions = program / "data" / "exceptions.yaml"
    exceptions.write_text(exceptions.read_text().replace("expires: 2026-03-12", "expires: 2026-02-30"))
    closure = _closure(program, [])
    assert closure.blockers[-1] == {
        "kind": "exception",
        "id": "EXC-001",
        "status": "invalid",
        "owner": "@control",
        "reason": "no readable expiry",
    }
    assert closure.invariants[0].reasons == ["exception EXC-001 is invalid"]


def test_no_invariants_is_zero_percent_and_not_closed(program: Path) -> None:
    (program / "data" / "invariants.yaml").write_text("invariants: []\n")
    (program / "data" / "exceptions.yaml").write_text("exceptions: []\n")
    closure = _closure(program, [])
    assert (closure.closed, closure.percent, closure.invariants, closure.blockers) == (False, 0, [], [])
