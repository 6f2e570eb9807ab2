"""The drift page: endpoints the runbooks name against the shipped catalog, findings and suppressions."""

from __future__ import annotations

from checks.endpoints.drift import DriftAnalysis, DriftRow
from checks.site.html import block, esc, ident, label_badge, table
from checks.site.pages.view import View


def drift_page(v: View) -> str:
    if gone := v.unavailable("program"):
        return gone
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


def _reference(row: DriftRow) -> list[str]:
    shipped = "unknown" if row.shipped is None else label_badge("shipped" if row.shipped else "not shipped")
    return [
        ident(f"{row.doc}:{row.line}"),
        esc(row.method),
        ident(row.path),
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
                    ident(e.path),
                    esc(origin),
                    label_badge("documented" if drift.mentioned(e) else "undocumented"),
                ]
            )
    return table(["service", "method", "path", "from", "runbooks"], rows, "gates-catalog")
