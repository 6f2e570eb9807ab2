"""The exception time rules, pinned at every boundary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checks.load.dates import parse_date, today_in
from checks.model.workspace import load_workspace
from checks.policy.waivers import WaiverState, evaluate
from tests.conftest import Runner

D = dt.date.fromisoformat


def _state(program: Path, today: str, **fields: str) -> str:
    """Evaluate the fixture's EXC-001 with some fields replaced."""
    path = program / "data" / "exceptions.yaml"
    text = path.read_text()
    for key, value in fields.items():
        if key == "renewal":
            text = text.replace("    status: active", f"    renewals:\n{value}\n    status: active")
            continue
        lines = [ln if not ln.startswith(f"    {key}:") else f"    {key}: {value}" for ln in text.splitlines()]
        text = "\n".join(lines) + "\n"
    path.write_text(text)
    ws = load_workspace(program)
    return evaluate(ws.waivers[0], ws.program, D(today)).state


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2026-03-01", "active"),  # opening day
        ("2026-03-08", "active"),  # 4 days left, outside the 3-day window
        ("2026-03-09", "expiring"),  # 3 days left: warning window starts
        ("2026-03-12", "expiring"),  # the expiry day itself is valid
        ("2026-03-13", "expired"),  # the day after
    ],
)
def test_expiry_boundaries(program: Path, today: str, state: str) -> None:
    assert _state(program, today) == state


def _evaluated(program: Path, today: str, **fields: str) -> WaiverState:
    _state(program, today, **fields)
    ws = load_workspace(program)
    return evaluate(ws.waivers[0], ws.program, D(today))


@pytest.mark.parametrize(
    ("today", "state", "stale", "expired"),
    [
        ("2026-03-15", "expiring", False, False),  # day 14 since opening, and the expiry day: still valid
        ("2026-03-16", "expired", True, True),  # day 15: past expiry and over the age limit at once
    ],
)
def test_age_boundaries(program: Path, today: str, state: str, stale: bool, expired: bool) -> None:
    # Expiry exactly at opening + 14: both clocks run out together; expiry is the state named.
    s = _evaluated(program, today, expires="2026-03-15")
    assert (s.state, s.stale, s.expired) == (state, stale, expired)
    assert s.days_since_renewal == (14 if today == "2026-03-15" else 15)


def test_stale_before_expiry(program: Path, gates: Runner) -> None:
    # A window longer than the policy (expires opening + 19) and day 15 since opening: stale, not expired.
    s = _evaluated(program, "2026-03-16", expires="2026-03-20")
    assert (s.state, s.stale, s.expired, s.window_too_long, s.compliant) == ("stale", True, False, True, False)
    code, out, _ = gates("check", "--root", program, "--today", "2026-03-16", "--offline", "--select", "EXC")
    assert code == 1
    codes = sorted({line.split()[2] for line in out.splitlines()[:-1]})
    assert codes == ["EXC002", "EXC004"]  # stale and window too long; not EXC001: it has not expired


def test_invalid_renewal_leaves_the_clock_at_opening(program: Path) -> None:
    # The renewal lacks an approver, so the clock stays at opening (03-01): day 15 on 03-16.
    renewal = "      - {date: 2026-03-14, evidence: 'https://example.invalid/r', approver: ''}"
    s = _evaluated(program, "2026-03-16", expires="2026-03-16", renewal=renewal)
    assert s.clock_start == D("2026-03-01") and not s.renewed
    assert (s.state, s.stale, s.expired) == ("stale", True, False)
    assert s.renewals[0].problems == ("it has no approver",)


def test_renewal_on_the_last_day_restarts_the_clock(program: Path) -> None:
    renewal = "      - {date: 2026-03-15, evidence: 'https://example.invalid/r', approver: '@lead'}"
    assert _state(program, "2026-03-20", expires="2026-03-29", renewal=renewal) == "active"
    assert _state(program, "2026-03-30", expires="2026-03-29", renewal=renewal) == "expired"


def test_invalid_renewal_does_not_restart_the_clock(program: Path) -> None:
    renewal = "      - {date: 2026-03-10, evidence: 'https://example.invalid/r'}"  # no approver
    assert _state(program, "2026-03-11", expires="2026-03-24", renewal=renewal) == "invalid"  # window too long


def test_leap_day(program: Path) -> None:
    assert parse_date("2028-02-29") == D("2028-02-29")
    assert parse_date("2026-02-29") is None
    assert _state(program, "2028-03-14", opened="2028-02-29", expires="2028-03-14") == "expiring"
    assert _state(program, "2028-03-15", opened="2028-02-29", expires="2028-03-14") == "expired"


def test_unreadable_date_fails_closed(program: Path) -> None:
    assert _state(program, "2026-03-02", expires="2026-02-30") == "invalid"
    assert _state(program, "2026-03-02", expires='""') == "invalid"


def test_misspelled_key_is_never_permanent(program: Path) -> None:
    path = program / "data" / "exceptions.yaml"
    path.write_text(path.read_text().replace("    expires: 2026-03-12", "    expiers: 2099-12-31"))
    ws = load_workspace(program)
    assert evaluate(ws.waivers[0], ws.program, D("2026-03-02")).compliant is False


def test_today_follows_the_program_timezone() -> None:
    moment = dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC)
    assert today_in("UTC", moment) == D("2026-03-12")
    assert today_in("Pacific/Kiritimati", moment) == D("2026-03-13")  # UTC+14
    assert today_in("Pacific/Pago_Pago", moment) == D("2026-03-12")  # UTC-11
    assert today_in("Not/AZone", moment) == D("2026-03-12")


def test_far_timezone_expires_a_day_early_in_utc_terms(program: Path, gates: object) -> None:
    from checks.core.context import Context, Options

    prog = program / "data" / "program.yaml"
    prog.write_text(prog.read_text().replace("timezone: UTC", "timezone: Pacific/Kiritimati"))
    ws = load_workspace(program)
    ctx = Context(ws, Options())
    # The CLI's --today wins over the clock; without it the zone decides.
    assert Context(ws, Options(today=D("2026-03-12"))).today == D("2026-03-12")
    assert ctx.program.timezone == "Pacific/Kiritimati"
