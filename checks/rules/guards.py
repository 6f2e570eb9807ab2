"""GUARD rules: prohibited legacy symbols stay out of retained paths."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.endpoints.drift import origin_location
from checks.policy.waivers import lapse_text


def _guard_invariant(ctx: Context, guard_id: str) -> str:
    guard = ctx.program.guard(guard_id)
    return guard.invariant if guard else ""


@rule("GUARD001", "prohibited-symbol", Severity.ERROR, needs=("guards",))
def prohibited_symbol(ctx: Context) -> Iterator[Problem]:
    """Retained paths must not contain a prohibited legacy symbol unless a compliant exception waives it.

    Every file of every configured source is scanned (git work trees as git sees them), not a
    hand-picked list. A hit that an expired, stale or invalid exception used to cover is an error
    again, and the message says which exception lapsed and when.

    Pass (the publisher writes through Spacetime reducers):
    ```rust
    let publisher = SpacetimePublisher::connect(&config.spacetime)?;
    ```
    Fail (guard `runtime-in-memory-publisher`):
    ```rust
    let publisher = SpacetimePublisher::in_memory();
    ```
    """
    for hit in ctx.guard_scan.hits:
        guard = ctx.program.guard(hit.guard)
        cover = ctx.covers.guard_cover(hit)
        if cover.waived_by is not None:
            continue
        title = f" ({guard.title})" if guard and guard.title else ""
        message = f"{hit.text!r} is prohibited in retained paths{title}: {guard.message if guard else ''}".rstrip(": ")
        if cover.lapsed:
            message += "; no longer waived: " + "; ".join(lapse_text(s) for s in cover.lapsed)
        if hit in ctx.guard_scan.sources[hit.source].unreasoned:  # type: ignore[union-attr]
            message += '; the inline "gates: allow" needs reason="..." to count'
        yield Problem(
            f"{hit.source}:{hit.path}", hit.line, hit.column, message, hit.guard, _guard_invariant(ctx, hit.guard)
        )


@rule("GUARD002", "waived-symbol", Severity.INFO, needs=("guards", "drift"))
def waived_symbol(ctx: Context) -> Iterator[Problem]:
    """Report each prohibited symbol or alias endpoint that a compliant exception waives, naming the exception.

    Waived hits stay visible so nobody forgets what the exception keeps alive; they turn into
    GUARD001 errors the day the exception lapses.

    Pass (no hit at all, or the hit reported here as waived):
    ```yaml
    covers: {guards: [{guard: sync-token-alias-route, paths: ["apps/control/**"]}]}
    ```
    Fail: this rule reports, it never fails a check on its own.
    """
    for hit in ctx.guard_scan.hits:
        cover = ctx.covers.guard_cover(hit)
        state = cover.waived_by
        if state is None:
            continue
        w = state.waiver
        yield Problem(
            f"{hit.source}:{hit.path}",
            hit.line,
            hit.column,
            f"{hit.text!r} is waived by {w.label} until {w.expires} ({state.days_left} days left); "
            "delete it before then",
            hit.guard,
            _guard_invariant(ctx, hit.guard),
        )
    for alias in ctx.drift.aliases:
        state = ctx.covers.alias_cover(alias.family.id, alias.endpoint.path).waived_by
        if state is None:
            continue
        w = state.waiver
        path, line = origin_location(alias.endpoint.origin)
        yield Problem(
            path or ctx.program.where.path,
            line,
            0,
            f"alias {alias.endpoint.method} {alias.endpoint.path} of {alias.family.canonical} is waived by {w.label} "
            f"until {w.expires} ({state.days_left} days left); delete it before then",
            alias.family.id,
            alias.family.invariant,
        )


@rule("GUARD003", "source-unavailable", Severity.WARNING, needs=("guards",))
def source_unavailable(ctx: Context) -> Iterator[Problem]:
    """Each source the guards scan must be present or recorded; otherwise its checks did not run.

    The warning fails the check under `--strict`, so a CI job cannot pass by pointing at nothing.
    A source with a usable record (`gates record`: readable, of the pinned commit) is not absent;
    its recorded hits are checked instead.

    Pass:
    ```console
    gates check --source openagents=../openagents
    ```
    Fail:
    ```console
    gates check --strict    # with no path for the openagents source
    ```
    """
    for source_id, scan in ctx.guard_scan.sources.items():
        if scan is not None:
            continue
        source = ctx.program.source(source_id)
        if source is None:
            continue
        line, col = source.where.at("id")
        given = ctx.options.sources.get(source_id) or source.path
        why = f"{given!r} is not a folder" if given else "it has no path"
        state = ctx.source_states.get(source_id)
        file = state.record_file if state else None
        if file is not None and file.exists:
            why += f" and its record {file.path} is not usable (see DATA007, DATA009)"
        yield Problem(
            source.where.path,
            line,
            col,
            f"source {source_id!r} is not present ({why}); its guard checks did not run; "
            f"pass --source {source_id}=PATH or commit a record made with 'gates record'",
            source_id,
        )


@rule("GUARD004", "source-mismatch", Severity.WARNING)
def source_mismatch(ctx: Context) -> Iterator[Problem]:
    """A source tree must contain the folders the program reads; otherwise it is likely the wrong tree.

    Dozens of "not shipped" and "missing" findings from a tree that holds none of the services'
    folders and none of the evidence files say less than one line saying the tree looks wrong.

    Pass: `--source openagents=../openagents` (a checkout of the product repository).
    Fail: `--source openagents=../some-other-repo` (none of `apps/openagents.com/src`, `apps/runtime/src`, …).
    """
    for source_id, root in ctx.source_paths.items():
        if root is None:
            continue
        bases = {p.split("*", 1)[0].rstrip("/") for s in ctx.program.services if s.source == source_id for p in s.paths}
        bases |= {
            e.ref.split("::", 1)[0]
            for inv in ctx.workspace.invariants
            for e in inv.evidence
            if e.source == source_id and e.kind in ("path", "test")
        }
        bases.discard("")
        if not bases or any((root / b).exists() for b in bases):
            continue
        source = ctx.program.source(source_id)
        if source is None:
            continue
        line, col = source.where.at("id")
        shown = ", ".join(sorted(bases)[:4]) + (f" and {len(bases) - 4} more" if len(bases) > 4 else "")
        yield Problem(
            source.where.path,
            line,
            col,
            f"source {source_id!r} at {root} holds none of the paths the program reads ({shown}); "
            "is it the right tree? Findings about this source are likely wrong",
            source_id,
        )
