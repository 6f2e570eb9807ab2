"""DATA006: exceptions and evidence hold real values, not the placeholders a skeleton writes."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.model.placeholders import field_of, placeholders
from checks.model.where import as_list, as_map


@rule("DATA006", "placeholder-value", Severity.ERROR)
def placeholder_value(ctx: Context) -> Iterator[Problem]:
    """Exceptions and evidence must hold real values, not placeholders.

    `TODO`, `TBD`, `FIXME`, `XXX`, `NNN`, `example.com`/`.org`/`.net` links and owner `@me` are what
    `gates exception new` writes for you to replace; an exception holding any of them waives nothing.

    Pass:
    ```yaml
    owner: "@control-oncall"
    deletion_issue: https://github.com/OpenAgentsInc/openagents/issues/2269
    ```
    Fail:
    ```yaml
    owner: "@me"
    deletion_issue: https://TODO/issues/NNN
    ```
    """
    exceptions = ctx.workspace.docs["exceptions"]
    for w in ctx.workspace.waivers:
        for pointer, found in w.placeholders:
            line, col = exceptions.loc(pointer)
            yield Problem(
                exceptions.path,
                line,
                col,
                f"{w.id or '(no id)'}: {field_of(pointer)} holds the placeholder {found!r}; write the real value "
                "(an exception with placeholders waives nothing)",
                w.id,
                w.invariants[0] if w.invariants else "",
            )
    invariants = ctx.workspace.docs["invariants"]
    for i, raw in enumerate(as_list(as_map(invariants.data).get("invariants"))):
        inv = as_map(raw)
        for j, item in enumerate(as_list(inv.get("evidence"))):
            for pointer, found in placeholders(item, ("invariants", i, "evidence", j)):
                line, col = invariants.loc(pointer)
                ident = str(as_map(item).get("id", "")) or f"evidence {j + 1}"
                yield Problem(
                    invariants.path,
                    line,
                    col,
                    f"{ident}: {field_of(pointer)} holds the placeholder {found!r}; write the real value",
                    ident,
                    str(inv.get("id", "")),
                )
