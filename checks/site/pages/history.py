"""The history page: closure, exceptions and errors over the tracker's commits, and legacy-symbol burndown."""

from __future__ import annotations

from typing import Any

from checks.history.tracker import HISTORY_CODES
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
        parts.append(_today(v))
        evaluated = [p for p in v.history if p.get("percent") is not None]
        closure_series = {"closure %": [(p["date"], float(p["percent"])) for p in evaluated]} if evaluated else {}
        parts.append(
            line_chart(
                {
                    **closure_series,
                    "active exceptions": [(p["date"], float(len(p["active_exceptions"]))) for p in v.history],
                    "data errors": [(p["date"], float(p["findings"]["error"])) for p in v.history],
                },
                "Active exceptions and data errors at each commit"
                if not evaluated
                else "Closure, active exceptions and data errors at each commit",
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
        rows = [_today_row(v)] + [
            [
                esc(p["date"]),
                f"<code>{esc(p['commit'][:10])}</code>",
                "not evaluated" if p.get("percent") is None else f"{esc(p['percent'])}%",
                esc(", ".join(p["active_exceptions"]) or "none"),
                esc(p["findings"]["error"]),
                "data files at that commit" if p.get("percent") is None else "data files and closure",
            ]
            for p in reversed(v.history)
        ]
        headers = ["date", "commit", "closed", "active exceptions", "errors", "evaluated"]
        parts.append(table(headers, rows, "gates-history"))
    parts.append("<h2>Legacy-symbol burndown</h2>")
    if not v.burndown:
        parts.append(
            "<p>No source given to the build (set <code>GATES_SOURCES=name=path</code>) and no recorded "
            "burndown (<code>gates record</code>), so no burndown.</p>"
        )
    for source, series in v.burndown.items():
        parts += _burndown(v, source, series)
    return block(*parts)


def _today(v: View) -> str:
    """Why today's figures and the commits' differ: said with both kinds of number, so neither reads as the other."""
    errors = v.report.summary["error"]
    codes = sorted({f.code for f in v.report.findings if f.severity.value == "error"})
    return (
        f'<p class="gates-history-scope">Today ({esc(v.ctx.today.isoformat())}) the full check — data files, '
        f"sources (live or recorded), runbooks and the endpoint catalog — reports <strong>{esc(errors)} "
        f"error{'s' if errors != 1 else ''}</strong>{' (' + esc(', '.join(codes)) + ')' if codes else ''} and "
        f"{esc(v.report.closure.percent)}% of invariants closed: the first row. Every other row is a commit that "
        f"changed <code>data/</code>, read from its data files alone ({esc(', '.join(HISTORY_CODES))} rules) as of "
        "that commit's date. The sources, runbooks and catalog of that day are not at hand, so evidence in a "
        "source counts as unchecked, drift is not checked and no closure percentage is stated for them: their "
        "errors are data errors at that commit, and can be more or fewer than today's.</p>"
    )


def _today_row(v: View) -> list[str]:
    commit = f"<code>{esc(v.commit[:10])}</code>" if v.commit else "working tree"
    active = sorted(s.id for s in v.report.closure.exceptions if s.waiver.active)  # as the commits count them
    return [
        f"<strong>{esc(v.ctx.today.isoformat())}</strong>",
        commit,
        f"{esc(v.report.closure.percent)}%",
        esc(", ".join(active) or "none"),
        f"<strong>{esc(v.report.summary['error'])}</strong>",
        "<strong>today's full check</strong>",
    ]


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
