"""The closure verdict: computed from evidence, findings and exceptions, never hand-set."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checks.core.findings import Finding, Severity
from checks.policy.waivers import WaiverState

if TYPE_CHECKING:
    from checks.core.context import Context
    from checks.evidence.verify import EvidenceResult


class InvariantState(enum.StrEnum):
    """An invariant's closure state, worst last."""

    CLOSED = "closed"  # every verifiable evidence item verified, no error attributed, no active exception
    OPEN = "open"  # proof missing or unverified
    AT_RISK = "at-risk"  # an exception against it is active
    VIOLATED = "violated"  # an error finding is attributed to it


STATUSES = tuple(InvariantState)


@dataclass
class InvariantStatus:
    id: str
    title: str
    posture: str
    owner: str
    status: InvariantState
    reasons: list[str]
    evidence: list[EvidenceResult]
    errors: list[Finding]
    exceptions: list[WaiverState]

    def as_dict(self) -> dict[str, object]:
        verifiable = [r for r in self.evidence if r.verifiable]
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "posture": self.posture,
            "owner": self.owner,
            "reasons": self.reasons,
            "evidence": {
                "total": len(verifiable),
                "verified": sum(r.verified for r in verifiable),
                "items": [r.as_dict() for r in self.evidence],
            },
            "errors": len(self.errors),
            "exceptions": [s.id for s in self.exceptions],
        }


@dataclass
class Closure:
    closed: bool
    percent: int
    invariants: list[InvariantStatus]
    exceptions: list[WaiverState]
    blockers: list[dict[str, str]] = field(default_factory=list)
    # False when the command ran only part of the rules (`gates validate`): no verdict is stated then.
    evaluated: bool = True

    @property
    def verdict(self) -> str:
        if not self.evaluated:
            return (
                "Closure not evaluated: this command runs only part of the rules; run 'gates check' or 'gates status'."
            )
        if self.closed:
            return "Closed: every invariant holds with verified evidence and no exception is active."
        counts = {s: sum(1 for i in self.invariants if i.status is s) for s in InvariantState}
        worst_first = (InvariantState.VIOLATED, InvariantState.AT_RISK, InvariantState.OPEN)
        parts = [f"{counts[s]} {s}" for s in worst_first if counts[s]]
        detail = ", ".join(parts) or "blocked by findings"
        return f"Not closed: {counts[InvariantState.CLOSED]} of {len(self.invariants)} invariants closed ({detail})."

    @property
    def headline(self) -> str:
        """The verdict in a few words, for one-line summaries."""
        if not self.evaluated:
            return "closure not evaluated"
        blocking = sum(1 for b in self.blockers if b.get("kind") == "finding")
        if (
            not self.closed
            and blocking
            and self.invariants
            and all(i.status is InvariantState.CLOSED for i in self.invariants)
        ):
            plural = "s" if blocking != 1 else ""
            return f"not closed (every invariant closed, but {blocking} error finding{plural} block closure)"
        return f"{'closed' if self.closed else 'not closed'} ({self.percent}% of invariants closed)"

    def as_dict(self) -> dict[str, object]:
        return {
            "evaluated": self.evaluated,
            "closed": self.closed,
            "verdict": self.verdict,
            "percent": self.percent,
            "invariants": [i.as_dict() for i in self.invariants],
            "exceptions": [s.as_dict() for s in self.exceptions],
            "blockers": self.blockers,
        }


def _waiver_invariants(ctx: Context) -> dict[str, set[str]]:
    """Exception id -> the invariants it concerns, so findings about an exception reach them."""
    index: dict[str, set[str]] = {}
    for w in ctx.workspace.waivers:
        if w.id:
            index.setdefault(w.id, set()).update(w.invariants)
    return index


def _finding_invariants(finding: Finding, waivers: dict[str, set[str]]) -> set[str]:
    out = {finding.invariant} if finding.invariant else set()
    return out | waivers.get(finding.subject, set())


def compute_closure(ctx: Context, findings: list[Finding], evaluated: bool = True) -> Closure:
    """The verdict from all findings; unevaluated (`gates validate`) it verifies no evidence (no file, no URL)."""
    from checks.evidence.results import EvidenceResults

    errors = [f for f in findings if f.severity is Severity.ERROR]
    waivers = _waiver_invariants(ctx)
    attribution = {id(f): _finding_invariants(f, waivers) for f in errors}
    states = list(ctx.waiver_states.values())
    evidence = ctx.evidence if evaluated else EvidenceResults([])
    invariants = []
    # Indexed once by invariant: a scan of every finding and exception per invariant is quadratic.
    # Evidence findings mean the proof is missing (open), not that the invariant is broken (violated).
    attributed_by: dict[str, list[Finding]] = {}
    for f in errors:
        if f.family != "EVID":
            for invariant in attribution[id(f)]:
                attributed_by.setdefault(invariant, []).append(f)
    active_by: dict[str, list[WaiverState]] = {}
    for s in states:
        if s.waiver.active:
            for invariant in dict.fromkeys(s.waiver.invariants):
                active_by.setdefault(invariant, []).append(s)
    for inv in ctx.workspace.invariants:
        attributed = list(attributed_by.get(inv.id, ()))
        active = list(active_by.get(inv.id, ()))
        results = evidence.for_invariant(inv.id)
        verifiable = [r for r in results if r.verifiable]
        reasons: list[str] = []
        if attributed:
            status = InvariantState.VIOLATED
            codes = sorted({f.code for f in attributed})
            reasons.append(f"{len(attributed)} error finding{'s' if len(attributed) != 1 else ''} ({', '.join(codes)})")
        elif active:
            status = InvariantState.AT_RISK
        elif not verifiable or any(not r.verified for r in verifiable):
            status = InvariantState.OPEN
        else:
            status = InvariantState.CLOSED
        for s in active:
            reasons.append(f"exception {s.id} is {s.state}")
        if not verifiable:
            reasons.append("no verifiable evidence")
        for r in verifiable:
            if not r.verified:
                reasons.append(f"evidence {r.evidence.id} {r.status}: {r.detail}")
        if status is InvariantState.CLOSED:
            reasons.append(f"all {len(verifiable)} evidence items verified")
        invariants.append(
            InvariantStatus(inv.id, inv.title, inv.posture, inv.owner, status, reasons, results, attributed, active)
        )
    active_exceptions = [s for s in states if s.waiver.active]
    blockers: list[dict[str, str]] = []
    for i in invariants:
        if i.status is not InvariantState.CLOSED:
            blockers.append(
                {
                    "kind": "invariant",
                    "id": i.id,
                    "status": i.status,
                    "owner": i.owner,
                    "reason": i.reasons[0] if i.reasons else "",
                }
            )
    for s in active_exceptions:
        blockers.append(
            {
                "kind": "exception",
                "id": s.id,
                "status": s.state,
                "owner": s.waiver.owner,
                "reason": f"expires {s.waiver.expires}" if s.waiver.expires else "no readable expiry",
            }
        )
    unattributed = [f for f in errors if not attribution[id(f)]]
    for f in unattributed:
        blockers.append(
            {
                "kind": "finding",
                "id": f.code,
                "status": "error",
                "owner": "",
                "reason": f"{f.path}:{f.line}: {f.message}",
            }
        )
    closed_count = sum(1 for i in invariants if i.status is InvariantState.CLOSED)
    percent = round(100 * closed_count / len(invariants)) if invariants else 0
    closed = bool(invariants) and closed_count == len(invariants) and not active_exceptions and not errors
    return Closure(closed, percent, invariants, states, blockers)
