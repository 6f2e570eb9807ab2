"""Per-invariant lookups into a report, built once per report rather than scanned once per page."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.core.closure import InvariantStatus
from checks.core.engine import Report
from checks.core.findings import Finding
from checks.model import Invariant
from checks.policy.waivers import WaiverState


@dataclass
class Lookup:
    """By invariant id: its status and definition (the first of a duplicated id), its findings and exceptions."""

    status: dict[str, InvariantStatus] = field(default_factory=dict)
    invariant: dict[str, Invariant] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    exceptions: dict[str, list[WaiverState]] = field(default_factory=dict)
    # Ids of the exceptions that waive something today, across the program.
    open_exceptions: set[str] = field(default_factory=set)


_last: list[tuple[Report, Lookup]] = []


def lookup(report: Report) -> Lookup:
    """The lookups of this report object (the build's one report: only the latest is kept)."""
    if _last and _last[0][0] is report:
        return _last[0][1]
    out = Lookup()
    for status in report.closure.invariants:
        out.status.setdefault(status.id, status)
    for inv in report.ctx.workspace.invariants:
        out.invariant.setdefault(inv.id, inv)
    for finding in report.findings:
        out.findings.setdefault(finding.invariant, []).append(finding)
    for state in report.closure.exceptions:
        for ident in dict.fromkeys(state.waiver.invariants):  # once per exception, as a membership test would
            out.exceptions.setdefault(ident, []).append(state)
        if state.waiver.active:
            out.open_exceptions.add(state.id)
    _last[:] = [(report, out)]
    return out
