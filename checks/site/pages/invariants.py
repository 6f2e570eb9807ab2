"""The invariants table and the page of one invariant: status, reasons, evidence, findings, exceptions."""

from __future__ import annotations

from checks.site.html import anchor, block, esc, result_badge, state_badge, status_badge, table
from checks.site.lookup import lookup
from checks.site.pages.view import View, evidence_ref


def invariants_table(v: View) -> str:
    if gone := v.unavailable("invariants"):
        return gone
    rows = []
    for i in v.report.closure.invariants:
        verifiable = [r for r in i.evidence if r.verifiable]
        rows.append(
            [
                v.invariant_link(i.id),
                esc(i.title),
                esc(i.posture),
                status_badge(i.status),
                esc(i.owner),
                f"{sum(r.verified for r in verifiable)}/{len(verifiable)}",
                str(len(i.errors)),
            ]
        )
    return block(
        table(
            ["id", "title", "posture", "status", "owner", "evidence verified", "errors"],
            rows,
            "gates-invariants",
            sortable=True,
        )
    )


def invariant_page(v: View, invariant_id: str) -> str:
    if gone := v.unavailable("invariants"):
        return gone
    index = lookup(v.report)
    status, inv = index.status.get(invariant_id), index.invariant.get(invariant_id)
    if status is None or inv is None:
        return block(f"<p>No invariant {esc(invariant_id)} in the program.</p>")
    parts = [
        f'<p class="gates-title"><strong>{esc(inv.title)}</strong></p>',
        f'<p class="gates-status">{status_badge(status.status)} posture <strong>{esc(inv.posture)}</strong> · '
        f"owner {esc(inv.owner)}</p>",
        f'<blockquote class="gates-statement">{esc(inv.statement)}</blockquote>',
        "<h2>Why this status</h2><ul>" + "".join(f"<li>{esc(r)}</li>" for r in status.reasons) + "</ul>",
    ]
    if inv.adr:
        rows = [[esc(a.section), esc(a.item or ""), esc(a.note)] for a in inv.adr]
        parts.append("<h2>ADR mapping</h2>" + table(["section", "item", "note"], rows))
    parts.append("<h2>Evidence</h2>")
    rows = [
        [
            esc(r.evidence.id),
            esc(r.evidence.class_id),
            esc(r.evidence.kind),
            evidence_ref(r.evidence.kind, r.evidence.ref, r.evidence.source),
            result_badge(r.status),
            esc(r.detail),
        ]
        for r in status.evidence
    ]
    parts.append(table(["id", "class", "kind", "ref", "result", "detail"], rows) if rows else "<p>None.</p>")
    parts.append("<h2>Findings</h2>")
    mine = index.findings.get(inv.id, [])
    parts.append(v.findings_table(mine) if mine else "<p>None attributed.</p>")
    parts.append("<h2>Exceptions</h2>")
    exc = index.exceptions.get(inv.id, [])
    rows = [
        [
            f'<a href="{v.url("exceptions/")}#{anchor(s.id)}">{esc(s.id)}</a>',
            state_badge(s.state),
            esc(s.waiver.expires),
            esc(s.waiver.title),
        ]
        for s in exc
    ]
    parts.append(table(["id", "state", "expires", "title"], rows) if rows else "<p>None.</p>")
    if inv.verify:
        parts.append(
            "<h2>Verification commands</h2><pre><code>"
            + "\n".join(esc(c) for c in inv.verify).replace("\n", "&#10;")
            + "</code></pre>"
        )
    return block(*parts)
