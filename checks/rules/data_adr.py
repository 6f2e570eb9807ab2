"""DATA rules for the decision record: the ADR the program names can be read, and it says what the program says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.load.adr import AdrFacts, adr_facts, read_adr


def _tree(ctx: Context, source: str) -> Path | None:
    return ctx.root if not source else ctx.source_paths.get(source)


def adr_of(ctx: Context) -> tuple[AdrFacts | None, str, str]:
    """(facts, where they came from, why unreadable): read from the tracker or a present source, else
    from the source's record; (None, "", "") when the source is absent and unrecorded (unchecked)."""
    source, path = ctx.program.adr_location
    if not ctx.program.adr:
        return None, "", ""
    tree = _tree(ctx, source)
    if tree is not None:
        text, why = read_adr(tree, path)
        where = f"{source}:{path}" if source else path
        return (adr_facts(text), where, "") if text is not None else (None, where, why)
    state = ctx.source_states.get(source)
    record = state.record if state is not None else None
    if record is not None and record.adr is not None and record.adr[0] == path:
        return record.adr[1], f"{source}:{path} as recorded at {record.label}", ""
    return None, "", ""


@rule("DATA010", "adr-unreadable", Severity.ERROR)
def adr_unreadable(ctx: Context) -> Iterator[Problem]:
    """`program.adr` must name a readable file: a tracker path, or `source:path` in a product repository.

    The mandate is what the whole program is audited against. A path into a source is checked when
    the source is present (its record says what the ADR stated otherwise); the file must be a
    regular file inside its tree.

    Pass:
    ```yaml
    program: {adr: "openagents:docs/adr/ADR-0007-spacetime-only-sync-transport-hard-mandate.md"}
    ```
    Fail (no such file in the source):
    ```yaml
    program: {adr: "openagents:docs/adr/ADR-0077-missing.md"}
    ```
    """
    _facts, _where, why = adr_of(ctx)
    if why:
        line, col = ctx.program.where.at("program", "adr")
        yield Problem(ctx.program.where.path, line, col, f"program.adr: {why}; the program's mandate cannot be read")


@rule("DATA011", "adr-status-mismatch", Severity.WARNING)
def adr_status_mismatch(ctx: Context) -> Iterator[Problem]:
    """`program.adr_status` must agree with the status the ADR itself states (when it states one).

    A mandate that was superseded or deprecated in the product repository while the tracker still
    says "accepted" is a program audited against a decision nobody holds any more.

    Pass: the ADR's `## Status` section reads "Accepted" and `adr_status: accepted`.
    Fail: the ADR reads "Superseded by ADR-0012" and `adr_status: accepted`.
    """
    facts, where, _why = adr_of(ctx)
    if facts is None or not facts.status or not ctx.program.adr_status:
        return
    stated = facts.status.split()[0].strip(".,;:").lower()
    if stated != ctx.program.adr_status.lower():
        line, col = ctx.program.where.at("program", "adr_status")
        yield Problem(
            ctx.program.where.path,
            line,
            col,
            f"program.adr_status is {ctx.program.adr_status!r}, but {where} states {facts.status!r}; "
            "update the tracker to the decision as it stands",
        )
