"""The drift page: endpoints the runbooks name against the shipped catalog, findings and suppressions."""

from __future__ import annotations

from checks.endpoints.drift import DriftAnalysis, DriftRow
from checks.site.html import block, esc, label_badge, table
from checks.site.pages.view import View


def drift_page(v: View) -> str:
    drift = v.ctx.drift
    rows = [_reference(row) for row in drift.matrix()]
    parts = [f"<p>{len(drift.runbooks.docs)} active docs name {len(rows)} endpoints.</p>"]
    parts.append(
        table(
            ["runbook", "method", "endpoint", "shipped", "services", "canonical", "prohibited", "suppressed"],
            rows,
            "gates-drift",
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
                        f"<code>{esc(s.doc)}</code>",
                        esc(s.line),
                        esc(", ".join(s.codes)),
                        esc(s.reason or "(no reason: ignored)"),
                    ]
                    for s in sups
                ],
            )
        )
    return block(*parts)


def _reference(row: DriftRow) -> list[str]:
    shipped = "unknown" if row.shipped is None else label_badge("shipped" if row.shipped else "not shipped")
    return [
        f"<code>{esc(row.doc)}:{esc(row.line)}</code>",
        esc(row.method),
        f"<code>{esc(row.path)}</code>",
        shipped,
        esc(", ".join(row.services)),
        esc(row.canonical),
        esc(row.prohibited),
        esc(row.suppressed),
    ]


def _catalog(drift: DriftAnalysis) -> str:
    rows = []
    for service, cat in drift.catalog.services.items():
        if cat is None:
            rows.append([esc(service), "", "unknown", "", ""])
            continue
        origin = "live" if cat.live else f"snapshot {cat.generated}"
        for e in cat.endpoints:
            rows.append(
                [
                    esc(service),
                    esc(e.method),
                    f"<code>{esc(e.path)}</code>",
                    esc(origin),
                    label_badge("documented" if drift.mentioned(e) else "undocumented"),
                ]
            )
    return table(["service", "method", "path", "from", "runbooks"], rows, "gates-catalog")
