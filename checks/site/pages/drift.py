"""The drift page: endpoints the runbooks name against the shipped catalog, findings and suppressions."""

from __future__ import annotations

from checks.endpoints.drift import DriftAnalysis, DriftRow
from checks.site.html import block, esc, ident, label_badge, table
from checks.site.pages.runbooks import Doctrine, doctrine, references
from checks.site.pages.view import View


def drift_page(v: View) -> str:
    if gone := v.unavailable("program"):
        return gone
    drift = v.ctx.drift
    refs = references(v)
    # Suppressions are rare: their column appears only when one applies, so the table fits a desktop.
    suppressed = any(row.suppressed for _, row in refs)
    rows = [_reference(row, doctrine(v, ref, row), suppressed) for ref, row in refs]
    parts = [f"<p>{len(drift.runbooks.docs)} active docs name {len(rows)} endpoints.</p>"]
    parts.append(
        table(
            ["runbook", "method", "endpoint", "doctrine", "shipped", *(["suppressed"] if suppressed else [])],
            rows,
            "gates-drift",
            sortable=True,
        )
        if rows
        else "<p>No endpoint references.</p>"
    )
    parts.append("<h2>Shipped catalog</h2>" + _catalog(drift))
    drift_findings = [f for f in v.report.findings if f.family == "DRIFT" and f.code != "DRIFT005"]
    parts.append("<h2>Drift findings</h2>" + (v.findings_table(drift_findings) if drift_findings else "<p>None.</p>"))
    sups = drift.runbooks.suppressions
    if sups:
        parts.append(
            "<h2>Suppressions</h2>"
            + table(
                ["doc", "line", "codes", "reason"],
                [
                    [
                        ident(s.doc),
                        esc(s.line),
                        esc(", ".join(s.codes)),
                        esc(s.reason or "(no reason: ignored)"),
                    ]
                    for s in sups
                ],
            )
        )
    return block(*parts)


def _reference(row: DriftRow, said: Doctrine, suppressed: bool) -> list[str]:
    shipped = "unknown" if row.shipped is None else label_badge("shipped" if row.shipped else "not shipped")
    if row.services:
        shipped += f' <span class="gates-endpoint-note">by {esc(", ".join(row.services))}</span>'
    return [
        ident(f"{row.doc}:{row.line}"),
        esc(row.method),
        ident(row.path),
        said.html() if said.doctrinal else "",  # the shipped column says the rest
        shipped,
        *([esc(row.suppressed)] if suppressed else []),
    ]


def _catalog(drift: DriftAnalysis) -> str:
    rows = []
    for service, cat in drift.catalog.services.items():
        if cat is None:
            rows.append([esc(service), "", "unknown", "", ""])
            continue
        origin = "live" if cat.live else f"record of {cat.commit[:7]}" if cat.record else f"snapshot {cat.generated}"
        for e in cat.endpoints:
            # A route registered under a switch says which (endpoints.conditional_routes decides if it ships).
            when = f"; only when <code>{esc(e.condition)}</code>" if e.condition else ""
            rows.append(
                [
                    esc(service),
                    esc(e.method),
                    ident(e.path),
                    esc(origin) + when,
                    label_badge("documented" if drift.mentioned(e) else "undocumented"),
                ]
            )
        for e in cat.held_back:
            rows.append(
                [
                    esc(service),
                    esc(e.method),
                    ident(e.path),
                    f"held back: only when <code>{esc(e.condition)}</code>",
                    label_badge("not shipped"),
                ]
            )
    return table(["service", "method", "path", "from", "runbooks"], rows, "gates-catalog", sortable=True)
