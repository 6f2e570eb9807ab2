"""The tables the ADR page embeds: requirements, the invariant mapping, the exception process, evidence classes."""

from __future__ import annotations

from checks.site.html import block, esc, table
from checks.site.pages.view import View


def adr_requirements(v: View) -> str:
    rows = [[esc(r.id), esc(r.text), esc(", ".join(r.invariants))] for r in v.ctx.program.requirements]
    return block(table(["id", "requirement", "invariants"], rows))


def adr_mapping(v: View) -> str:
    rows = []
    for inv in v.ctx.workspace.invariants:
        mapped = [a for a in inv.adr if a.section.lower().startswith("invariant gate mapping")]
        note = "; ".join(a.note for a in mapped) if mapped else "not in the mapping: holds as before"
        rows.append([v.invariant_link(inv.id), esc(inv.title), esc(inv.posture), esc(note)])
    return block(table(["invariant", "title", "posture", "ADR"], rows))


def exception_process(v: View) -> str:
    p = v.ctx.program
    rows = [
        ["concrete blocker", "<code>blocker</code>", "EXC005"],
        ["owner", "<code>owner</code>", "EXC005"],
        ["expiry date", "<code>expires</code>", "EXC001, EXC003"],
        ["linked deletion issue", "<code>deletion_issue</code>", "EXC005"],
        ["blast radius", "<code>blast_radius</code>", "EXC005"],
        ["rollback steps", "<code>rollback</code>", "EXC005"],
        [
            f"at most {p.max_age_days} days without renewal evidence",
            "<code>renewals</code>",
            "EXC002, EXC004, EXC007",
        ],
    ]
    return block(table(["the ADR requires", "field", "enforced by"], rows))


def evidence_classes(v: View) -> str:
    rows = [
        [esc(c.id), esc(c.title), esc(c.description), "required" if c.required else "supporting"]
        for c in v.ctx.program.evidence_classes
    ]
    return block(table(["class", "title", "what it proves", ""], rows))
