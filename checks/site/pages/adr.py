"""The tables the ADR page embeds: requirements, the invariant mapping, the exception process, evidence classes."""

from __future__ import annotations

import re

from checks.site.html import admonition, block, esc, table
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


def adr_mandate(v: View) -> str:
    """Where the program's ADR is, what it states (title, status, date) and, read live, its text escaped."""
    from checks.load.adr import read_adr
    from checks.rules.data_adr import adr_of

    program = v.ctx.program
    source, path = program.adr_location
    facts, where, why = adr_of(v.ctx)
    # ADR file names are long hyphenated words: they may also wrap after a hyphen (a phone is 390 px wide).
    parts = re.findall(r"[^/-]*[/-]|[^/-]+", f"{source}:{path}" if source else path)
    named = '<code class="gates-id">' + "<wbr>".join(f"<span>{esc(p)}</span>" for p in parts) + "</code>"
    if why:
        return block(admonition("danger", "The ADR cannot be read", f"<p>{named}: {esc(why)}.</p>"))
    if facts is None:
        body = (
            f"<p>{named}, in source <code>{esc(source)}</code>, which this build was given no path or record for.</p>"
        )
        return block(admonition("warning", "The ADR was not read", body))
    stated = [
        f"<strong>{esc(facts.title)}</strong>" if facts.title else "",
        f"status {esc(facts.status)}" if facts.status else "status not stated",
        f"dated {esc(facts.date)}" if facts.date else "",
    ]
    summary = f"<p>{named}: {', '.join(s for s in stated if s)}; read from {esc(where)}.</p>"
    tree = v.ctx.root if not source else v.ctx.source_paths.get(source)
    text = read_adr(tree, path)[0] if tree is not None else None
    if text is not None:
        # The ADR's own words, as text: nothing in it is rendered as markup (line breaks as entities,
        # since a macro's HTML is one line).
        lines = esc(text).replace("\n", "&#10;")
        summary += f'<details><summary>The ADR as written</summary><pre class="gates-adr">{lines}</pre></details>'
    return block(admonition("info", "The mandate, as the product repository states it", summary))
