"""The evidence page: coverage per evidence class, then every evidence item with its check result."""

from __future__ import annotations

from checks.site.html import block, esc, label_badge, result_badge, table
from checks.site.pages.view import View, evidence_ref


def evidence_page(v: View) -> str:
    if gone := v.unavailable("invariants", "program"):
        return gone
    program = v.ctx.program
    results = v.ctx.evidence.results
    rows = []
    for cls in program.evidence_classes:
        items = [r for r in results if r.evidence.class_id == cls.id]
        verified = sum(r.verified for r in items)
        covered = label_badge("covered" if verified else "uncovered")
        rows.append(
            [
                esc(cls.id),
                esc(cls.title),
                "required" if cls.required else "optional",
                f"{verified}/{len(items)}",
                covered if cls.required or verified else "",
            ]
        )
    parts = ["<h2>Classes</h2>" + table(["class", "title", "", "verified", "coverage"], rows, "gates-classes")]
    rows = [
        [
            esc(r.evidence.id),
            v.invariant_link(r.evidence.invariant),
            esc(r.evidence.class_id),
            esc(r.evidence.kind),
            evidence_ref(r.evidence.kind, r.evidence.ref, r.evidence.source),
            result_badge(r.status),
            esc(r.detail),
        ]
        for r in results
    ]
    parts.append(
        "<h2>Items</h2>"
        + table(["id", "invariant", "class", "kind", "ref", "result", "detail"], rows, "gates-evidence", sortable=True)
    )
    return block(*parts)
