"""The history page: closure, exceptions and errors over the tracker's commits, and legacy-symbol burndown."""

from __future__ import annotations

from typing import Any

from checks.site.charts import line_chart
from checks.site.html import block, esc, table
from checks.site.pages.view import View
from checks.site.palette import HISTORY_COLOURS


def history_page(v: View) -> str:
    parts = []
    if not v.history:
        parts.append("<p>No history: the tracker is not a git repository, or no commit changed <code>data/</code>.</p>")
    else:
        parts.append("<h2>Closure and exceptions</h2>")
        evaluated = [p for p in v.history if p.get("percent") is not None]
        if len(evaluated) < len(v.history):
            parts.append(
                "<p>Past commits are read from the tracker's data files alone (their sources, runbooks and "
                "catalog are not at hand), so no closure percentage is stated for them: only exceptions and "
                "data errors. Today's verdict is on the home page.</p>"
            )
        closure_series = {"closure %": [(p["date"], float(p["percent"])) for p in evaluated]} if evaluated else {}
        parts.append(
            line_chart(
                {
                    **closure_series,
                    "active exceptions": [(p["date"], float(len(p["active_exceptions"]))) for p in v.history],
                    "errors": [(p["date"], float(p["findings"]["error"])) for p in v.history],
                },
                "Active exceptions and errors over time"
                if not evaluated
                else "Closure, active exceptions and errors over time",
                colours=HISTORY_COLOURS,
                percent="closure %",
            )
        )
        dates = sorted({p["date"] for p in v.history})
        if len(dates) == 1:
            parts.append(
                f'<p class="gates-one-date">Only one date so far ({esc(dates[0])}): each point is that day\'s value; '
                "the lines appear once the data changes on another day.</p>"
            )
        rows = [
            [
                esc(p["date"]),
                f"<code>{esc(p['commit'][:10])}</code>",
                "not evaluated" if p.get("percent") is None else f"{esc(p['percent'])}%",
                esc(", ".join(p["active_exceptions"]) or "none"),
                esc(p["findings"]["error"]),
            ]
            for p in reversed(v.history)
        ]
        parts.append(table(["date", "commit", "closed", "active exceptions", "errors"], rows, "gates-history"))
    parts.append("<h2>Legacy-symbol burndown</h2>")
    if not v.burndown:
        parts.append(
            "<p>No source given to the build (set <code>GATES_SOURCES=name=path</code>) and no recorded "
            "burndown (<code>gates record</code>), so no burndown.</p>"
        )
    for source, series in v.burndown.items():
        parts += _burndown(v, source, series)
    return block(*parts)


def _burndown(v: View, source: str, series: list[dict[str, Any]]) -> list[str]:
    """One source's burndown: chart and table, with its milestone commits marked."""
    configured = v.ctx.program.source(source)
    milestones = configured.milestones if configured else ()
    state = v.ctx.source_states.get(source)
    record = state.record if state else None
    guards = sorted({g for p in series for g in p["counts"]})

    def labels(commit: str) -> str:
        return ", ".join(m.label for m in milestones if m.marks(commit))

    out = [f"<h3>{esc(source)}</h3>"]
    if record is not None:
        out.append(f'<p class="gates-recorded">Recorded series: {esc(record.notice)}.</p>')
    out.append(
        line_chart(
            {g: [(p["date"], float(p["counts"].get(g, 0))) for p in series] for g in guards},
            f"Guard hits over time in {source}",
            marks=[(p["date"], labels(p["commit"])) for p in series if labels(p["commit"])],
        )
    )
    rows = [
        [
            esc(p["date"]),
            f"<code>{esc(p['commit'][:10])}</code>",
            *(esc(p["counts"].get(g, 0)) for g in guards),
            f"<strong>{esc(labels(p['commit']))}</strong>" if labels(p["commit"]) else "",
        ]
        for p in reversed(series)
    ]
    out.append(table(["date", "commit", *guards, "milestone"], rows, "gates-burndown"))
    return out
