"""EXC rules: exceptions are complete, time-boxed and renewed with evidence."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.policy.coverage import HitIndex, alias_lane, cover_sources, guard_lane
from checks.policy.waivers import WaiverState


def _active(ctx: Context) -> Iterator[WaiverState]:
    for state in ctx.waiver_states.values():
        if state.waiver.active:
            yield state


def _at(state: WaiverState, key: str, message: str) -> Problem:
    w = state.waiver
    line, col = w.where.at(key) if w.where.has(key) else w.where.at("id")
    return Problem(w.where.path, line, col, f"{w.label}: {message}", w.id, w.invariants[0] if w.invariants else "")


@rule("EXC001", "exception-expired", Severity.ERROR)
def exception_expired(ctx: Context) -> Iterator[Problem]:
    """An active exception must not be past its expiry date.

    `expires` is valid through the whole of that day in the program's timezone; from the next day
    the exception waives nothing. Renew it with evidence or delete what it keeps, then retire it.

    Pass (`--today 2026-03-12`):
    ```yaml
    expires: 2026-03-12
    ```
    Fail (`--today 2026-03-13`):
    ```yaml
    expires: 2026-03-12
    ```
    """
    for state in _active(ctx):
        w = state.waiver
        if state.expired:
            days = state.days_overdue
            yield _at(
                state,
                "expires",
                f"expired on {w.expires} ({days} day{'s' if days != 1 else ''} ago) and waives nothing; "
                "renew it with evidence or delete what it keeps and retire it",
            )


@rule("EXC002", "exception-stale", Severity.ERROR)
def exception_stale(ctx: Context) -> Iterator[Problem]:
    """An exception must be renewed with evidence at least every `max_age_days` (14 in the ADR).

    Age counts from the last valid renewal, or from `opened`: day 14 passes, day 15 fails.

    Pass (`--today 2026-03-15`):
    ```yaml
    opened: 2026-03-01
    ```
    Fail (`--today 2026-03-16`):
    ```yaml
    opened: 2026-03-01
    ```
    """
    for state in _active(ctx):
        age, clock = state.days_since_renewal, state.clock_start
        if not state.stale or age is None or clock is None:
            continue
        renewed = state.renewed
        key_where = None
        if renewed:
            latest = next((r for r in reversed(state.renewals) if r.valid and r.renewal.date == clock), None)
            key_where = latest.renewal.where if latest else None
        what = f"renewed {clock}" if renewed else f"opened {clock}"
        problem = _at(
            state,
            "opened",
            f"is {age} days old ({what}), over the {ctx.program.max_age_days}-day maximum; "
            "add a renewal with evidence and an approver, or retire it",
        )
        if key_where is not None:
            line, col = key_where.at("date")
            problem = Problem(problem.path, line, col, problem.message, problem.subject, problem.invariant)
        yield problem


@rule("EXC003", "exception-expiring-soon", Severity.WARNING)
def exception_expiring_soon(ctx: Context) -> Iterator[Problem]:
    """Warn when a compliant exception expires within `warn_within_days`.

    Pass (`--today 2026-03-01`, warn_within_days 3):
    ```yaml
    expires: 2026-03-10
    ```
    Fail (`--today 2026-03-09`):
    ```yaml
    expires: 2026-03-10
    ```
    """
    for state in _active(ctx):
        if state.expiring_soon and state.days_left is not None:
            day = "today" if state.days_left == 0 else f"in {state.days_left} day{'s' if state.days_left != 1 else ''}"
            yield _at(
                state,
                "expires",
                f"expires {day} ({state.waiver.expires}); finish the deletion issue or renew it with evidence",
            )


@rule("EXC004", "exception-window-too-long", Severity.ERROR)
def exception_window_too_long(ctx: Context) -> Iterator[Problem]:
    """`expires` must not be later than the last renewal (or `opened`) plus `max_age_days`.

    A far-away expiry date cannot stand in for renewals.

    Pass:
    ```yaml
    opened: 2026-03-01
    expires: 2026-03-15
    ```
    Fail:
    ```yaml
    opened: 2026-03-01
    expires: 2026-03-16
    ```
    """
    for state in _active(ctx):
        w = state.waiver
        allowed = state.latest_allowed_expiry
        if state.window_too_long:
            yield _at(
                state,
                "expires",
                f"expires {w.expires}, after {allowed} ({ctx.program.max_age_days} days from the last "
                f"renewal or opening); set expires to {allowed} or earlier",
            )


_FIELD_HELP = {
    "blocker": "the concrete blocker that cannot be solved safely in scope",
    "owner": "who answers for it",
    "deletion_issue": "the issue that deletes what it keeps",
    "blast_radius": "who and what is affected while it stands",
    "rollback": "the rollback steps",
}


@rule("EXC005", "exception-incomplete", Severity.ERROR)
def exception_incomplete(ctx: Context) -> Iterator[Problem]:
    """An active exception must name its blocker, owner, deletion issue, blast radius and rollback steps.

    An incomplete exception waives nothing.

    Pass:
    ```yaml
    blocker: Desktop 0.9 clients still call the alias route
    owner: "@control-oncall"
    deletion_issue: https://github.com/OpenAgentsInc/openagents/issues/2101
    blast_radius: Desktop 0.9 clients lose sync-token refresh
    rollback: ["Re-enable the alias route behind the feature flag"]
    ```
    Fail:
    ```yaml
    blocker: ""
    ```
    """
    for state in _active(ctx):
        for name in state.missing:
            what = "is empty" if state.waiver.where.has(name) else "is missing"
            yield _at(state, name, f"{name} {what}; state {_FIELD_HELP[name]}")


@rule("EXC006", "exception-unused", Severity.WARNING, needs=("guards", "drift"))
def exception_unused(ctx: Context) -> Iterator[Problem]:
    """An active exception must cover something that still exists; otherwise retire it.

    Checked only where what it covers can be seen (the source is present, the catalog is known),
    so an absent tree never makes an exception look unused.

    Pass: the alias route it covers still ships.
    Fail: the alias route was deleted but the exception is still active.
    """
    scan, hits = ctx.guard_scan, HitIndex(ctx.guard_scan.hits)
    for state in _active(ctx):
        w = state.waiver
        if not w.guard_covers and not w.endpoint_covers:
            yield _at(state, "id", "covers nothing; list the guards or alias endpoints it waives under 'covers'")
            continue
        used = unknown = False
        for gc in w.guard_covers:
            if any(scan.sources.get(s) is None for s in cover_sources(ctx.program, ctx.guard_scan.sources, gc)):
                unknown = True
            used = used or hits.any_match(gc)
        for ec in w.endpoint_covers:
            if not ctx.drift.catalog_known:
                unknown = True
            used = used or ctx.drift.ships(ec.path)
        if not used and not unknown:
            yield _at(state, "covers", "covers nothing that exists any more; retire it with the change that removed it")


@rule("EXC007", "renewal-invalid", Severity.ERROR)
def renewal_invalid(ctx: Context) -> Iterator[Problem]:
    """A renewal must have an evidence link and an approver, and fall between opening and today.

    An invalid renewal does not restart the age clock.

    Pass:
    ```yaml
    renewals:
      - {date: 2026-03-10, evidence: "https://github.com/o/r/issues/9#c1", approver: "@lead"}
    ```
    Fail (no approver; dated in the future):
    ```yaml
    renewals:
      - {date: 2099-01-01, evidence: "https://github.com/o/r/issues/9#c1"}
    ```
    """
    for state in ctx.waiver_states.values():
        w = state.waiver
        for check in state.renewals:
            if check.renewal.date is None:
                continue  # DATA003 reports the unreadable date; the renewal already counts for nothing
            if check.problems:
                line, col = check.renewal.where.at("date")
                yield Problem(
                    w.where.path,
                    line,
                    col,
                    f"{w.label}: renewal of {check.renewal.date} does not count: {'; '.join(check.problems)}",
                    w.id,
                    w.invariants[0] if w.invariants else "",
                )


@rule("EXC008", "cover-outside-lane", Severity.ERROR)
def cover_outside_lane(ctx: Context) -> Iterator[Problem]:
    """An exception's covers must reach only the invariants it lists; a cover outside them waives nothing.

    A guard cover reaches its guard's invariant, an endpoint cover its alias family's: an exception
    for INV-02 cannot waive an INV-03 guard's hit (list INV-03 too, or open another exception).

    Pass (`sync-token-alias-route` guards INV-02):
    ```yaml
    invariants: [INV-02]
    covers: {guards: [{guard: sync-token-alias-route}]}
    ```
    Fail (`legacy-websocket-path` guards INV-03):
    ```yaml
    invariants: [INV-02]
    covers: {guards: [{guard: legacy-websocket-path}]}
    ```
    """
    for state in _active(ctx):
        w = state.waiver
        if not w.readable:
            continue  # it waives nothing anyway, and its invariants may be what is unreadable (DATA003)
        reaches = [(gc.guard, "guard", guard_lane(ctx.program, gc), gc.where) for gc in w.guard_covers]
        reaches += [(ec.path, "alias", alias_lane(ctx.program, ec), ec.where) for ec in w.endpoint_covers]
        for name, kind, lane, where in reaches:
            if not lane or lane in w.invariants:
                continue  # an unknown guard or family is DATA005's to report
            line, col = where.at()
            yield Problem(
                w.where.path,
                line,
                col,
                f"{w.id}: covers {kind} {name} of {lane}, but the exception lists only "
                f"{', '.join(w.invariants) or 'no invariant'}; this cover waives nothing — add {lane} to "
                "its invariants or open a separate exception",
                w.id,
                lane,
            )


@rule("EXC009", "retirement-in-future", Severity.ERROR)
def retirement_in_future(ctx: Context) -> Iterator[Problem]:
    """An exception cannot be retired on a day that has not come yet: retire it when the work has landed.

    Pass (`--today 2026-03-05`):
    ```yaml
    retired: {date: 2026-03-04, reason: shim deleted, link: "https://github.com/o/r/pull/7"}
    ```
    Fail (`--today 2026-03-05`):
    ```yaml
    retired: {date: 2026-03-09, reason: shim deleted, link: "https://github.com/o/r/pull/7"}
    ```
    """
    for state in ctx.waiver_states.values():
        if state.retired_in_future:
            w = state.waiver
            yield _at(
                state,
                "retired",
                f"is retired on {w.retired_date}, after today ({ctx.today}); retire it on the day the work landed",
            )
