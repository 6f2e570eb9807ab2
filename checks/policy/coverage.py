"""Which exception covers a guard hit or a shipped alias, and whether it still waives it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checks.endpoints.normalize import same_endpoint
from checks.model import EndpointCover, GuardCover, Program, Waiver
from checks.policy.waivers import WaiverState
from checks.scan.globs import matches_any

if TYPE_CHECKING:
    from checks.scan.guards import Hit


@dataclass(frozen=True)
class Cover:
    waived_by: WaiverState | None
    lapsed: tuple[WaiverState, ...]


def _decide(states: list[WaiverState]) -> Cover:
    compliant = [s for s in states if s.compliant]
    # Several compliant exceptions may cover one hit; the one expiring first is the one to name.
    compliant.sort(key=lambda s: (s.waiver.expires.isoformat() if s.waiver.expires else "", s.waiver.id))
    return Cover(compliant[0] if compliant else None, tuple(s for s in states if not s.compliant))


def cover_matches(cover: GuardCover, hit: Hit) -> bool:
    return (
        cover.guard == hit.guard
        and (not cover.source or cover.source == hit.source)
        and (not cover.paths or matches_any(hit.path, cover.paths))
    )


def cover_sources(program: Program, scanned: Collection[str], cover: GuardCover) -> list[str]:
    """The scanned sources a guard cover can apply to."""
    if cover.source:
        return [cover.source]
    guard = program.guard(cover.guard)
    wanted = guard.sources if guard and guard.sources else tuple(s.id for s in program.sources)
    return [s for s in wanted if s in scanned]


def guard_lane(program: Program, cover: GuardCover) -> str:
    """The invariant a guard cover reaches: its guard's ("" when the guard is unknown)."""
    guard = program.guard(cover.guard)
    return guard.invariant if guard else ""


def alias_lane(program: Program, cover: EndpointCover) -> str:
    """The invariant an endpoint cover reaches: its alias family's, or without a family the prohibited
    endpoint's it names ("" when neither is known)."""
    if not cover.family:
        return next((p.invariant for p in program.prohibited if same_endpoint(p.path, cover.path)), "")
    return next((f.invariant for f in program.families if f.id == cover.family), "")


class Covers:
    """The run's exceptions with their states: which of them covers a guard hit or a shipped alias.

    A cover waives only in its exception's lane: what it reaches must belong to an invariant the
    exception lists. A cover outside the lane waives nothing (EXC008 reports it).
    """

    def __init__(self, program: Program, waivers: tuple[Waiver, ...], states: Mapping[int, WaiverState]) -> None:
        self.program = program
        self.waivers = waivers
        self.states = states
        # Guard covers indexed by guard, in the exception's lane only: a hit is matched against the
        # covers of its own guard, once (GUARD001 and GUARD002 both ask; the answer is kept per hit).
        self._by_guard: dict[str, list[tuple[int, GuardCover]]] = {}
        for index, waiver in enumerate(waivers):
            for gc in waiver.guard_covers:
                if guard_lane(program, gc) in waiver.invariants:
                    self._by_guard.setdefault(gc.guard, []).append((index, gc))
        self._decided: dict[Hit, Cover] = {}

    def guard_cover(self, hit: Hit) -> Cover:
        decided = self._decided.get(hit)
        if decided is None:
            indexes = sorted({index for index, gc in self._by_guard.get(hit.guard, ()) if cover_matches(gc, hit)})
            decided = self._decided[hit] = _decide([self.states[index] for index in indexes])
        return decided

    def prohibited_cover(self, path: str, invariant: str) -> Cover:
        """Exceptions that cover a shipped prohibited endpoint: a family-less endpoint cover, in the lane."""
        states = [
            self.states[index]
            for index, waiver in enumerate(self.waivers)
            if invariant in waiver.invariants
            and any(not ec.family and same_endpoint(ec.path, path) for ec in waiver.endpoint_covers)
        ]
        return _decide(states)

    def alias_cover(self, family: str, path: str) -> Cover:
        states = [
            self.states[index]
            for index, waiver in enumerate(self.waivers)
            if any(
                ec.family == family
                and same_endpoint(ec.path, path)
                and alias_lane(self.program, ec) in waiver.invariants
                for ec in waiver.endpoint_covers
            )
        ]
        return _decide(states)
