"""The waiver policy's states, fields, texts and JSON, pinned exactly (mutants of checks/policy/waivers.py die here).

Each test starts from the fixture's EXC-001 (opened 2026-03-01, expires 2026-03-12, max_age_days 14,
warn_within_days 3) and changes one thing with `dataclasses.replace`, so the expected values follow
from the policy by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checks.model import Program, Renewal, Waiver
from checks.model.workspace import load_workspace
from checks.policy.waivers import (
    RenewalCheck,
    WaiverState,
    WaiverStatus,
    check_renewal,
    evaluate,
    lapse_text,
    missing_fields,
)
from tests.conftest import FIXTURES

D = dt.date.fromisoformat
OPENED = D("2026-03-01")
EXPIRES = D("2026-03-12")


@pytest.fixture(scope="module")
def base() -> tuple[Waiver, Program]:
    ws = load_workspace(FIXTURES / "program")
    return ws.waivers[0], ws.program


def _renewal(
    waiver: Waiver, date: dt.date | None, evidence: str = "https://ci.invalid/r", approver: str = "@lead"
) -> Renewal:
    return Renewal(date, str(date), evidence, approver, "", waiver.where)


def test_a_compliant_exception_is_every_field_of_its_state(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    today = D("2026-03-05")
    assert evaluate(waiver, program, today) == WaiverState(
        waiver=waiver,
        state=WaiverStatus.ACTIVE,
        compliant=True,
        days_left=7,
        days_since_renewal=4,
        clock_start=OPENED,
        latest_allowed_expiry=D("2026-03-15"),
        lapsed_on=None,
        missing=(),
        renewals=(),
        reasons=(),
        max_age_days=14,
        today=today,
    )


def test_a_compliant_exception_as_json(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    assert evaluate(waiver, program, D("2026-03-05")).as_dict() == {
        "id": "EXC-001",
        "title": "Token alias while clients migrate",
        "state": "active",
        "compliant": True,
        "invariants": ["INV-01"],
        "owner": "@control",
        "opened": "2026-03-01",
        "expires": "2026-03-12",
        "days_left": 7,
        "days_since_renewal": 4,
        "last_renewal": None,
        "lapsed_on": None,
        "deletion_issue": "https://example.invalid/issues/1",
        "reasons": [],
        "retired": None,
    }


def test_a_renewed_exception_as_json_names_its_last_renewal(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    renewed = dataclasses.replace(waiver, expires=D("2026-03-20"), renewals=(_renewal(waiver, D("2026-03-10")),))
    data = evaluate(renewed, program, D("2026-03-18")).as_dict()
    assert (data["last_renewal"], data["days_since_renewal"], data["state"]) == ("2026-03-10", 8, "expiring")


def test_a_lapsed_exception_as_json_says_when_it_lapsed(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    data = evaluate(waiver, program, D("2026-03-14")).as_dict()
    assert (data["state"], data["lapsed_on"], data["reasons"]) == ("expired", "2026-03-13", ["expired on 2026-03-12"])


def test_an_exception_without_dates_as_json(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    data = evaluate(dataclasses.replace(waiver, opened=None, expires=None), program, D("2026-03-05")).as_dict()
    assert (data["opened"], data["expires"], data["days_left"], data["days_since_renewal"]) == (None, None, None, None)
    assert data["state"] == "invalid"


def test_a_retired_exception_as_json(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    retired = dataclasses.replace(
        waiver,
        status="retired",
        retired_date=D("2026-03-04"),
        retired_reason="alias deleted",
        retired_link="https://ci.invalid/7",
    )
    data = evaluate(retired, program, D("2026-03-05")).as_dict()
    assert data["retired"] == {"date": "2026-03-04", "reason": "alias deleted", "link": "https://ci.invalid/7"}
    assert (data["state"], data["compliant"], data["reasons"]) == ("retired", False, ["retired: waives nothing"])
    undated = dataclasses.replace(retired, retired_date=None)
    assert evaluate(undated, program, D("2026-03-05")).as_dict()["retired"] == {
        "date": None,
        "reason": "alias deleted",
        "link": "https://ci.invalid/7",
    }


def test_a_retired_exception_keeps_its_clock_but_waives_nothing(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    retired = dataclasses.replace(waiver, status="retired", blocker="")
    today = D("2026-03-05")
    assert evaluate(retired, program, today) == WaiverState(
        waiver=retired,
        state=WaiverStatus.RETIRED,
        compliant=False,
        days_left=None,
        days_since_renewal=None,
        clock_start=OPENED,
        latest_allowed_expiry=D("2026-03-15"),
        lapsed_on=None,
        missing=("blocker",),
        renewals=(),
        reasons=("retired: waives nothing",),
        max_age_days=14,
        today=today,
    )


def test_renewal_problems_are_named_exactly(base: tuple[Waiver, Program]) -> None:
    waiver, _ = base
    today = D("2026-03-10")
    undated = check_renewal(_renewal(waiver, None, evidence="", approver=" "), OPENED, today)
    assert undated.problems == ("its date is not a calendar date", "it has no evidence link", "it has no approver")
    early = check_renewal(_renewal(waiver, D("2026-02-27")), OPENED, today)
    assert early.problems == ("it is dated 2026-02-27 before the exception opened on 2026-03-01",)
    future = check_renewal(_renewal(waiver, D("2026-03-11")), OPENED, today)
    assert future.problems == ("it is dated 2026-03-11, in the future",)


def test_a_renewal_on_the_opening_day_or_today_is_valid(base: tuple[Waiver, Program]) -> None:
    waiver, _ = base
    today = D("2026-03-10")
    for day in (OPENED, today):
        check = check_renewal(_renewal(waiver, day), OPENED, today)
        assert check == RenewalCheck(check.renewal, ()) and check.valid


def test_a_renewal_before_opening_does_not_restart_the_clock(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    early = dataclasses.replace(waiver, renewals=(_renewal(waiver, D("2026-02-27")),))
    s = evaluate(early, program, D("2026-03-05"))
    assert s.clock_start == OPENED and not s.renewals[0].valid


def test_blank_rollback_steps_are_a_missing_rollback(base: tuple[Waiver, Program]) -> None:
    waiver, _ = base
    assert missing_fields(dataclasses.replace(waiver, rollback=(" ", " "))) == ("rollback",)
    assert missing_fields(dataclasses.replace(waiver, rollback=("a", ""))) == ()


def test_no_opening_date_fails_closed_without_a_clock(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    s = evaluate(dataclasses.replace(waiver, opened=None), program, D("2026-03-05"))
    assert (s.state, s.compliant, s.clock_start, s.days_since_renewal, s.latest_allowed_expiry) == (
        "invalid",
        False,
        None,
        None,
        None,
    )
    assert s.reasons == ("a field does not pass the schema (fail closed: an unreadable exception waives nothing)",)


def test_no_expiry_date_alone_fails_closed(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    s = evaluate(dataclasses.replace(waiver, expires=None), program, D("2026-03-05"))
    assert (s.state, s.compliant, s.days_left) == ("invalid", False, None)


def test_a_schema_error_alone_fails_closed(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    s = evaluate(dataclasses.replace(waiver, schema_errors=(("exceptions", 0, "surface"),)), program, D("2026-03-05"))
    assert (s.state, s.compliant) == ("invalid", False)


def test_stale_reasons_and_lapse_day(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    # Expires far out (window too long) so only the age clock lapses: day 15 after opening.
    far = dataclasses.replace(waiver, expires=D("2026-03-31"))
    s = evaluate(far, program, D("2026-03-17"))
    assert s.state == "stale" and s.lapsed_on == D("2026-03-16")
    assert s.reasons == ("16 days since opening, over 14", "expires 2026-03-31, after the latest allowed 2026-03-15")
    renewed = dataclasses.replace(far, renewals=(_renewal(waiver, D("2026-03-02")),))
    r = evaluate(renewed, program, D("2026-03-17"))
    assert r.state == "stale" and r.lapsed_on == D("2026-03-17")
    assert r.reasons[0] == "15 days since renewal, over 14"


def test_missing_fields_invalidate_and_are_listed(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    s = evaluate(dataclasses.replace(waiver, blocker=" ", owner=""), program, D("2026-03-05"))
    assert (s.state, s.compliant, s.missing) == ("invalid", False, ("blocker", "owner"))
    assert s.reasons == ("missing blocker, owner",)


def test_placeholders_invalidate_and_name_their_fields(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    marked = dataclasses.replace(
        waiver,
        placeholders=(
            (("exceptions", 0, "rollback", 0), "TODO"),
            (("exceptions", 0, "owner"), "@me"),
            (("exceptions", 0, "rollback", 1), "TBD"),
        ),
    )
    s = evaluate(marked, program, D("2026-03-05"))
    assert (s.state, s.compliant) == ("invalid", False)
    assert s.reasons == ("placeholder text in owner, rollback",)


def test_lapse_texts(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    retired = dataclasses.replace(waiver, status="retired", retired_date=D("2026-03-04"))
    assert lapse_text(evaluate(retired, program, D("2026-03-05"))) == "EXC-001 was retired on 2026-03-04"
    undated = dataclasses.replace(retired, retired_date=None)
    assert lapse_text(evaluate(undated, program, D("2026-03-05"))) == "EXC-001 was retired"
    far = dataclasses.replace(waiver, expires=D("2026-03-31"))
    assert lapse_text(evaluate(far, program, D("2026-03-17"))) == (
        "EXC-001 lapsed on 2026-03-16 "
        "(16 days since opening, over 14; expires 2026-03-31, after the latest allowed 2026-03-15)"
    )
    incomplete = dataclasses.replace(waiver, blocker="", rollback=())
    assert lapse_text(evaluate(incomplete, program, D("2026-03-05"))) == (
        "EXC-001 is not compliant (missing blocker, rollback)"
    )
    two = dataclasses.replace(incomplete, placeholders=((("exceptions", 0, "owner"), "@me"),))
    assert lapse_text(evaluate(two, program, D("2026-03-05"))) == (
        "EXC-001 is not compliant (missing blocker, rollback; placeholder text in owner)"
    )


def test_state_names_are_the_json_values() -> None:
    assert [s.value for s in WaiverStatus] == ["active", "expiring", "expired", "stale", "invalid", "retired"]


def test_the_fixture_is_what_these_tests_assume(base: tuple[Waiver, Program]) -> None:
    waiver, program = base
    assert (waiver.opened, waiver.expires, program.max_age_days, program.warn_within_days) == (OPENED, EXPIRES, 14, 3)
