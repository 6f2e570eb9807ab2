"""EXC010: an exception's dates must make sense together (it cannot expire before it opens)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.policy.waivers import dates_reversed


@rule("EXC010", "exception-dates-reversed", Severity.ERROR)
def exception_dates_reversed(ctx: Context) -> Iterator[Problem]:
    """An exception must not expire before it opens; such an exception waives nothing.

    An exception opened after today does not waive anything yet either (it is reported in its
    state, not as a finding): dates are the policy, and a date ahead of time is not evidence.

    Pass:
    ```yaml
    opened: 2026-03-01
    expires: 2026-03-12
    ```
    Fail:
    ```yaml
    opened: 2026-03-12
    expires: 2026-03-01
    ```
    """
    for state in ctx.waiver_states.values():
        w = state.waiver
        if w.active and dates_reversed(w):
            line, col = w.where.at("expires") if w.where.has("expires") else w.where.at("id")
            yield Problem(
                w.where.path,
                line,
                col,
                f"{w.label}: expires {w.expires}, before it opened on {w.opened}; it waives nothing — "
                "correct the dates",
                w.id,
                w.invariants[0] if w.invariants else "",
            )
