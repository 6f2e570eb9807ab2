"""Which exception covers a guard hit or a shipped alias (mutants of checks/policy/coverage.py die here).

The fixture's EXC-001 (INV-01, expires 2026-03-12) covers guard sync-token-alias-route under
apps/control/** and the sync-token alias /api/sync/token; on 2026-03-05 it is compliant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checks.model import EndpointCover, GuardCover, Program, Waiver
from checks.model.workspace import load_workspace
from checks.policy.coverage import Covers, alias_lane, cover_matches, cover_sources, guard_lane
from checks.policy.waivers import evaluate_all
from checks.scan.guards import Hit
from tests.conftest import FIXTURES

D = dt.date.fromisoformat
TODAY = D("2026-03-05")
TOKEN_HIT = Hit("product", "apps/control/src/routes.rs", 3, 9, "sync-token-alias-route", "/api/sync/token", "x")


@pytest.fixture(scope="module")
def base() -> tuple[Waiver, Program]:
    ws = load_workspace(FIXTURES / "program")
    return ws.waivers[0], ws.program


def _covers(program: Program, *waivers: Waiver) -> Covers:
    return Covers(program, waivers, evaluate_all(waivers, program, TODAY))


def test_of_several_compliant_exceptions_the_one_expiring_first_is_named(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    exc2 = dataclasses.replace(exc1, id="EXC-002", expires=D("2026-03-10"))
    covers = _covers(program, exc1, exc2)  # EXC-001 listed first, but EXC-002 expires first
    for cover in (covers.guard_cover(TOKEN_HIT), covers.alias_cover("sync-token", "/api/sync/token")):
        assert cover.waived_by is not None and cover.waived_by.id == "EXC-002"
        assert cover.lapsed == ()


def test_equal_expiries_are_broken_by_id(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    exc3 = dataclasses.replace(exc1, id="EXC-003")
    covers = _covers(program, exc3, exc1)
    named = covers.guard_cover(TOKEN_HIT).waived_by
    assert named is not None and named.id == "EXC-001"


def test_lapsed_covers_are_listed_and_waive_nothing(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    broken = dataclasses.replace(exc1, id="EXC-009", blocker="")
    cover = _covers(program, broken).guard_cover(TOKEN_HIT)
    assert cover.waived_by is None and [s.id for s in cover.lapsed] == ["EXC-009"]


def test_a_cover_with_a_source_matches_only_that_source(base: tuple[Waiver, Program]) -> None:
    exc1, _ = base
    cover = GuardCover("sync-token-alias-route", "product", (), exc1.where)
    assert cover_matches(cover, TOKEN_HIT)
    assert not cover_matches(cover, dataclasses.replace(TOKEN_HIT, source="other"))
    assert not cover_matches(dataclasses.replace(cover, guard="legacy-websocket-path"), TOKEN_HIT)
    assert not cover_matches(dataclasses.replace(cover, paths=("apps/desktop/**",)), TOKEN_HIT)


def test_the_sources_a_guard_cover_can_apply_to(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    other = dataclasses.replace(program.sources[0], id="other")
    guards = tuple(
        dataclasses.replace(g, sources=("other",)) if g.id == "sync-token-alias-route" else g for g in program.guards
    )
    two = dataclasses.replace(program, sources=(program.sources[0], other), guards=guards)
    scanned = {"product", "other"}
    cover = GuardCover("sync-token-alias-route", "", (), exc1.where)
    assert cover_sources(two, scanned, cover) == ["other"]  # the guard's own sources
    assert cover_sources(two, {"product"}, cover) == []  # ...that were scanned
    unrestricted = dataclasses.replace(cover, guard="legacy-websocket-path")
    assert cover_sources(two, scanned, unrestricted) == ["product", "other"]  # every program source
    assert cover_sources(two, scanned, dataclasses.replace(cover, guard="no-such-guard")) == ["product", "other"]
    assert cover_sources(two, set(), dataclasses.replace(cover, source="product")) == ["product"]


def test_lanes(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    assert guard_lane(program, GuardCover("sync-token-alias-route", "", (), exc1.where)) == "INV-01"
    assert guard_lane(program, GuardCover("legacy-websocket-path", "", (), exc1.where)) == "INV-03"
    assert guard_lane(program, GuardCover("no-such-guard", "", (), exc1.where)) == ""
    assert alias_lane(program, EndpointCover("sync-token", "/api/sync/token", exc1.where)) == "INV-01"
    assert alias_lane(program, EndpointCover("no-such-family", "/api/sync/token", exc1.where)) == ""


def test_an_alias_cover_needs_its_family_its_path_and_its_lane(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    covers = _covers(program, exc1)
    assert covers.alias_cover("sync-token", "/api/sync/token").waived_by is not None
    assert covers.alias_cover("sync-token", "/api/sync/other").waived_by is None  # other path
    nothing = covers.alias_cover("other-family", "/api/sync/token")  # other family, same path
    assert nothing.waived_by is None and nothing.lapsed == ()
    outside = dataclasses.replace(exc1, invariants=("INV-03",))  # the cover reaches INV-01: outside its lane
    assert _covers(program, outside).alias_cover("sync-token", "/api/sync/token").waived_by is None


def test_a_guard_cover_outside_its_lane_waives_nothing(base: tuple[Waiver, Program]) -> None:
    exc1, program = base
    outside = dataclasses.replace(exc1, invariants=("INV-03",))
    assert _covers(program, outside).guard_cover(TOKEN_HIT).waived_by is None
    assert (
        _covers(program, exc1).guard_cover(dataclasses.replace(TOKEN_HIT, path="apps/desktop/x.rs")).waived_by is None
    )
