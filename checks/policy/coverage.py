"""Which exception covers a guard hit or a shipped alias, and whether it still waives it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
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


def _literal(glob: str) -> str | None:
    """The path a glob without wildcards names (it matches that path and everything below it), else None.

    Normalised exactly as `checks.scan.globs.glob_regex` reads a glob, so both agree on what it matches.
    """
    if any(c in "*?[" for c in glob):
        return None
    plain = glob.strip().lstrip("./") if glob.startswith("./") else glob.strip()
    return plain.lstrip("/").rstrip("/") or None


def _literals(cover: GuardCover) -> tuple[str, ...] | None:
    """The cover's paths when every one is a plain path, else None (it is matched glob by glob)."""
    plain = tuple(_literal(g) for g in cover.paths)
    return None if not plain or any(p is None for p in plain) else tuple(p for p in plain if p)


def _folders(path: str) -> list[str]:
    """`path` and every folder above it: the plain cover paths that reach it."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def cover_sources(program: Program, scanned: Collection[str], cover: GuardCover) -> list[str]:
    """The scanned sources a guard cover can apply to."""
    if cover.source:
        return [cover.source]
    guard = program.guard(cover.guard)
    wanted = guard.sources if guard and guard.sources else tuple(s.id for s in program.sources)
    return [s for s in wanted if s in scanned]


class HitIndex:
    """The guard hits, indexed so that asking whether a cover matches any of them is a lookup, not a scan."""

    def __init__(self, hits: Iterable[Hit]) -> None:
        self._by_guard: dict[str, list[Hit]] = {}
        self._folders: set[tuple[str, str, str]] = set()  # (guard, source or "" for any, folder or file)
        for hit in hits:
            self._by_guard.setdefault(hit.guard, []).append(hit)
            for folder in _folders(hit.path):
                self._folders.add((hit.guard, hit.source, folder))
                self._folders.add((hit.guard, "", folder))

    def any_match(self, cover: GuardCover) -> bool:
        """Whether `cover` matches at least one hit (as `cover_matches` would decide, hit by hit)."""
        plain = _literals(cover)
        if plain is None:
            return any(cover_matches(cover, hit) for hit in self._by_guard.get(cover.guard, ()))
        return any((cover.guard, cover.source, path) in self._folders for path in plain)


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
        # Covers naming plain paths (the common case: one file or folder) are indexed by those paths,
        # so a hit looks up its own folders instead of matching every cover of its guard: thousands of
        # exceptions cost a lookup per hit, not a regex per exception per hit.
        self._by_guard: dict[str, list[tuple[int, GuardCover]]] = {}
        self._by_path: dict[tuple[str, str], list[tuple[int, GuardCover]]] = {}
        for index, waiver in enumerate(waivers):
            for gc in waiver.guard_covers:
                if guard_lane(program, gc) not in waiver.invariants:
                    continue
                plain = _literals(gc)
                if plain is None:
                    self._by_guard.setdefault(gc.guard, []).append((index, gc))
                for path in plain or ():
                    self._by_path.setdefault((gc.guard, path), []).append((index, gc))
        self._decided: dict[Hit, Cover] = {}

    def guard_cover(self, hit: Hit) -> Cover:
        decided = self._decided.get(hit)
        if decided is None:
            indexes = {index for index, gc in self._by_guard.get(hit.guard, ()) if cover_matches(gc, hit)}
            for folder in _folders(hit.path):
                for index, gc in self._by_path.get((hit.guard, folder), ()):
                    if not gc.source or gc.source == hit.source:
                        indexes.add(index)
            decided = self._decided[hit] = _decide([self.states[index] for index in sorted(indexes)])
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
