"""DATA rules for recorded source evaluations: a record must read, be fresh and match its source's pin."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.records import stale_guards, stale_runbooks


@rule("DATA007", "record-unreadable", Severity.ERROR)
def record_unreadable(ctx: Context) -> Iterator[Problem]:
    """A source's record file, when it exists, must be JSON that matches the record schema.

    An unreadable record is not used: the source counts as absent, so its guard checks did not run
    (GUARD003) and its evidence is unchecked. Re-record it with `gates record`.

    Pass: `data/records/openagents.json` as `gates record --source openagents=PATH` wrote it.
    Fail: the file was truncated, hand-edited into another shape, or records another source.
    """
    for state in ctx.source_states.values():
        file = state.record_file
        if file is None or not file.exists or file.record is not None:
            continue
        yield Problem(
            file.path,
            file.line or 1,
            0,
            f"record of source {state.id!r} {file.problem}; it is not used, so the source counts as absent; "
            f"re-record it with 'gates record --source {state.id}=PATH'",
            state.id,
        )


@rule("DATA008", "record-stale", Severity.WARNING)
def record_stale(ctx: Context) -> Iterator[Problem]:
    """A record in use must be younger than `policy.catalog_max_age_days` and made with today's guards and runbooks.

    The record still stands in for the source, but what it says may no longer be the truth: the
    product moved on, or a guard, a runbook include or exclude naming the source, or the endpoint
    prefixes changed after it was made. Record the source again (and move the pin if the product moved).

    Pass: recorded 3 days ago with `catalog_max_age_days: 14`, no guard or runbook pattern changed since.
    Fail: recorded 20 days ago, or a guard's pattern or a `source:glob` runbook include was edited after recording.
    """
    limit = ctx.program.catalog_max_age_days
    for state in ctx.source_states.values():
        record = state.record
        if record is None:
            continue
        age = (ctx.today - record.recorded).days
        why = []
        if age > limit:
            why.append(f"it is {age} days old (over {limit})")
        changed = stale_guards(record, ctx.program)
        prefixes = ctx.program.endpoint_prefixes or (ctx.drift.prefixes if record.runbooks else ())
        changed += stale_runbooks(record.runbooks, ctx.program, state.id, prefixes)
        if changed:
            why.append("; ".join(changed) + " since it was made")
        if why:
            yield Problem(
                record.file,
                1,
                0,
                f"record of source {state.id!r} ({record.notice}) is stale: {'; '.join(why)}; "
                f"re-record it with 'gates record --source {state.id}=PATH'",
                state.id,
            )


@rule("DATA009", "record-pin-mismatch", Severity.ERROR)
def record_pin_mismatch(ctx: Context) -> Iterator[Problem]:
    """A source's record must be of the commit the source is pinned to.

    A record of another commit is not used (the source counts as absent). Moving the pin means
    recording the new commit in the same change.

    Pass:
    ```yaml
    sources:
      - {id: openagents, pin: 8a612126396bee6cb3fb905529e5962978aea89a}   # the record's commit
    ```
    Fail: the pin was moved to a newer commit and the record was not made again.
    """
    for state in ctx.source_states.values():
        record = state.record_file.record if state.record_file else None
        if record is None or not state.pin_mismatch:
            continue
        source = state.source
        line, col = source.where.at("pin")
        yield Problem(
            source.where.path,
            line,
            col,
            f"source {state.id!r} is pinned to {source.pin}, but its record {record.file} is of {record.commit}; "
            f"the record is not used; record the pinned commit with 'gates record --source {state.id}=PATH' "
            "or move the pin",
            state.id,
        )
