"""DATA012: an exception's dates leave room for its time rules before the calendar ends (9999-12-31)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.policy.waivers import dates_out_of_range


@rule("DATA012", "date-out-of-range", Severity.ERROR)
def date_out_of_range(ctx: Context) -> Iterator[Problem]:
    """An exception's dates must leave room for its time rules before the calendar ends on 9999-12-31.

    The age limit and the expiry add up to `max_age_days` and a day to a date; a date closer than
    that to 9999-12-31 cannot be a real opening, expiry, renewal or retirement, and the exception
    holding it waives nothing.

    Pass:
    ```yaml
    opened: 2026-03-01
    expires: 2026-03-12
    ```
    Fail:
    ```yaml
    opened: 9999-12-25
    expires: 9999-12-31
    ```
    """
    for w in ctx.workspace.waivers:
        for keys, day in dates_out_of_range(w, ctx.program.max_age_days):
            line, col = w.where.at(*keys)
            yield Problem(
                w.where.path,
                line,
                col,
                f"{w.id or '(no id)'}: {'.'.join(map(str, keys))} {day} is too close to 9999-12-31, where the "
                "calendar ends, for the time rules (they add max_age_days and a day to it); write the real "
                "date (the exception waives nothing until then)",
                w.id,
                w.invariants[0] if w.invariants else "",
            )
