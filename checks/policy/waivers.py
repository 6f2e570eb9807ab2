"""The exception time rules: state, age, days left and compliance, all from one computation.

Every rule, the closure verdict, `gates status` and the dashboard read these states and flags, so
the boundaries (expiry day valid, day 15 stale, renewals restarting the clock) are compared only
here: nothing else in the package compares an exception's dates.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass

from checks.model import Program, Renewal, Waiver
from checks.model.placeholders import field_of

REQUIRED_FIELDS = ("blocker", "owner", "deletion_issue", "blast_radius", "rollback")


class WaiverStatus(enum.StrEnum):
    """Where an exception stands on a given day. Only ACTIVE and EXPIRING waive anything."""

    ACTIVE = "active"
    EXPIRING = "expiring"  # compliant, and expires within warn_within_days
    EXPIRED = "expired"
    STALE = "stale"  # not renewed within max_age_days
    INVALID = "invalid"  # incomplete, unreadable, or a window longer than the policy allows
    RETIRED = "retired"


@dataclass(frozen=True)
class RenewalCheck:
    renewal: Renewal
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.problems and self.renewal.date is not None


@dataclass(frozen=True)
class WaiverState:
    waiver: Waiver
    state: WaiverStatus
    compliant: bool
    days_left: int | None
    days_since_renewal: int | None
    clock_start: dt.date | None
    latest_allowed_expiry: dt.date | None
    lapsed_on: dt.date | None
    missing: tuple[str, ...]
    renewals: tuple[RenewalCheck, ...]
    reasons: tuple[str, ...]
    max_age_days: int
    today: dt.date

    @property
    def id(self) -> str:
        return self.waiver.id

    @property
    def expired(self) -> bool:
        """Past the expiry day: `expires` is valid through that whole day, the next day it is not."""
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def stale(self) -> bool:
        """More than max_age_days since opening or the last valid renewal (day 14 passes, day 15 fails)."""
        return self.days_since_renewal is not None and self.days_since_renewal > self.max_age_days

    @property
    def renewed(self) -> bool:
        """Whether the age clock runs from a renewal rather than from the opening date."""
        return self.clock_start is not None and self.clock_start != self.waiver.opened

    @property
    def window_too_long(self) -> bool:
        """`expires` is later than the clock start plus max_age_days: a far expiry cannot replace renewals."""
        w = self.waiver
        return (
            w.expires is not None and self.latest_allowed_expiry is not None and w.expires > self.latest_allowed_expiry
        )

    @property
    def retired_in_future(self) -> bool:
        """Marked retired with a retirement date after today."""
        d = self.waiver.retired_date
        return self.state is WaiverStatus.RETIRED and d is not None and d > self.today

    @property
    def expiring_soon(self) -> bool:
        return self.state is WaiverStatus.EXPIRING

    def as_dict(self) -> dict[str, object]:
        w = self.waiver
        return {
            "id": w.id,
            "title": w.title,
            "state": self.state,
            "compliant": self.compliant,
            "invariants": list(w.invariants),
            "owner": w.owner,
            "opened": w.opened.isoformat() if w.opened else None,
            "expires": w.expires.isoformat() if w.expires else None,
            "days_left": self.days_left,
            "days_since_renewal": self.days_since_renewal,
            "last_renewal": self.clock_start.isoformat() if self.clock_start and self.clock_start != w.opened else None,
            "lapsed_on": self.lapsed_on.isoformat() if self.lapsed_on else None,
            "deletion_issue": w.deletion_issue,
            "reasons": list(self.reasons),
            "retired": (
                {
                    "date": w.retired_date.isoformat() if w.retired_date else None,
                    "reason": w.retired_reason,
                    "link": w.retired_link,
                }
                if not w.active
                else None
            ),
        }


def check_renewal(renewal: Renewal, opened: dt.date | None, today: dt.date) -> RenewalCheck:
    problems = []
    if renewal.date is None:
        problems.append("its date is not a calendar date")
    else:
        if opened is not None and renewal.date < opened:
            problems.append(f"it is dated {renewal.date} before the exception opened on {opened}")
        if renewal.date > today:
            problems.append(f"it is dated {renewal.date}, in the future")
    if not renewal.evidence:
        problems.append("it has no evidence link")
    if not renewal.approver.strip():
        problems.append("it has no approver")
    return RenewalCheck(renewal, tuple(problems))


def missing_fields(waiver: Waiver) -> tuple[str, ...]:
    values = {
        "blocker": waiver.blocker,
        "owner": waiver.owner,
        "deletion_issue": waiver.deletion_issue,
        "blast_radius": waiver.blast_radius,
        "rollback": " ".join(waiver.rollback),
    }
    return tuple(name for name in REQUIRED_FIELDS if not values[name].strip())


def dates_reversed(waiver: Waiver) -> bool:
    """The exception expires before it opens."""
    return waiver.opened is not None and waiver.expires is not None and waiver.expires < waiver.opened


def _plus(day: dt.date, days: int) -> dt.date | None:
    """`day` plus `days`, or None past 9999-12-31 where the calendar ends (a finding, never a crash)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def dates_out_of_range(waiver: Waiver, max_age_days: int) -> list[tuple[tuple[str | int, ...], dt.date]]:
    """The exception's dates (key path in the entry, date) too late for its time rules to be computed.

    The rules add up to `max_age_days` and a day to a date; one within that of 9999-12-31 has no answer.
    A policy outside the schema's 1..366 days (DATA003) is judged as 366.
    """
    room = max_age_days if 1 <= max_age_days <= 366 else 366
    latest = dt.date.max - dt.timedelta(days=room + 1)
    dates: list[tuple[tuple[str | int, ...], dt.date | None]] = [
        (("opened",), waiver.opened),
        (("expires",), waiver.expires),
        *((("renewals", j, "date"), r.date) for j, r in enumerate(waiver.renewals)),
        (("retired", "date"), waiver.retired_date),
    ]
    return [(keys, d) for keys, d in dates if d is not None and d > latest]


def evaluate(waiver: Waiver, program: Program, today: dt.date, shared_id: bool = False) -> WaiverState:
    max_age = program.max_age_days
    renewals = tuple(check_renewal(r, waiver.opened, today) for r in waiver.renewals)
    valid_dates = [r.renewal.date for r in renewals if r.valid and r.renewal.date is not None]
    starts = [d for d in (waiver.opened, *valid_dates) if d is not None]
    clock = max(starts, default=None)
    missing = missing_fields(waiver)
    days_left = (waiver.expires - today).days if waiver.expires else None
    age = (today - clock).days if clock else None
    allowed = _plus(clock, max_age) if clock else None

    if not waiver.active:
        return WaiverState(
            waiver,
            WaiverStatus.RETIRED,
            False,
            None,
            None,
            clock,
            allowed,
            None,
            missing,
            renewals,
            ("retired: waives nothing",),
            max_age,
            today,
        )

    reasons: list[str] = []
    lapses: list[dt.date] = []
    state = WaiverStatus.ACTIVE
    if not waiver.readable or waiver.expires is None or waiver.opened is None:
        reasons.append("a field does not pass the schema (fail closed: an unreadable exception waives nothing)")
        state = WaiverStatus.INVALID
    if waiver.expires is not None and today > waiver.expires:
        reasons.append(f"expired on {waiver.expires}")
        lapses.append(waiver.expires + dt.timedelta(days=1))  # today > expires, so the next day exists
        state = WaiverStatus.EXPIRED
    if age is not None and allowed is not None and age > max_age:
        reasons.append(f"{age} days since {'renewal' if clock != waiver.opened else 'opening'}, over {max_age}")
        lapses.append(allowed + dt.timedelta(days=1))
        if state is WaiverStatus.ACTIVE:
            state = WaiverStatus.STALE
    if waiver.expires is not None and allowed is not None and waiver.expires > allowed:
        reasons.append(f"expires {waiver.expires}, after the latest allowed {allowed}")
        if state is WaiverStatus.ACTIVE:
            state = WaiverStatus.INVALID
    if missing:
        reasons.append(f"missing {', '.join(missing)}")
        if state is WaiverStatus.ACTIVE:
            state = WaiverStatus.INVALID
    # Fail closed on dates that cannot be right, a key given twice, or an id another entry also uses.
    for broken, why in (
        (dates_reversed(waiver), f"expires {waiver.expires}, before it opened on {waiver.opened}"),
        (waiver.opened is not None and waiver.opened > today, f"opens on {waiver.opened}, after today"),
        (waiver.duplicate_keys, "a key is given twice in it (DATA002)"),
        (shared_id, f"its id {waiver.id} is used by another exception too (DATA004)"),
        (bool(dates_out_of_range(waiver, max_age)), "a date is too close to 9999-12-31 for its time rules (DATA012)"),
        (clock is not None and allowed is None, f"its {max_age}-day window runs past 9999-12-31"),
    ):
        if broken:
            reasons.append(why)
            if state is WaiverStatus.ACTIVE:
                state = WaiverStatus.INVALID
    if waiver.placeholders:
        fields = sorted({field_of(pointer) for pointer, _ in waiver.placeholders})
        reasons.append(f"placeholder text in {', '.join(fields)}")
        if state is WaiverStatus.ACTIVE:
            state = WaiverStatus.INVALID
    compliant = state is WaiverStatus.ACTIVE
    if compliant and days_left is not None and 0 <= days_left <= program.warn_within_days:
        state = WaiverStatus.EXPIRING
    return WaiverState(
        waiver=waiver,
        state=state,
        compliant=compliant,
        days_left=days_left,
        days_since_renewal=age,
        clock_start=clock,
        latest_allowed_expiry=allowed,
        lapsed_on=min(lapses) if lapses else None,
        missing=missing,
        renewals=renewals,
        reasons=tuple(reasons),
        max_age_days=max_age,
        today=today,
    )


def evaluate_all(waivers: tuple[Waiver, ...], program: Program, today: dt.date) -> dict[int, WaiverState]:
    """States keyed by position in the file (ids may be missing or duplicated in broken data)."""
    counts = Counter(w.id for w in waivers)
    return {i: evaluate(w, program, today, bool(w.id) and counts[w.id] > 1) for i, w in enumerate(waivers)}


def lapse_text(state: WaiverState) -> str:
    """How a non-compliant exception lapsed, for messages on the hits it no longer waives."""
    if state.state is WaiverStatus.RETIRED:
        when = f" on {state.waiver.retired_date}" if state.waiver.retired_date else ""
        return f"{state.waiver.id} was retired{when}"
    if state.lapsed_on is not None:
        return f"{state.waiver.id} lapsed on {state.lapsed_on} ({'; '.join(state.reasons)})"
    return f"{state.waiver.id} is not compliant ({'; '.join(state.reasons)})"
