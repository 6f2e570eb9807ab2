"""The guards page: what each source scan covered, the guards, their hits, waivers and inline suppressions."""

from __future__ import annotations

from collections import Counter

from checks.site.html import block, esc, ident, table
from checks.site.pages.view import View


def guards_page(v: View) -> str:
    if gone := v.unavailable("program"):
        return gone
    program = v.ctx.program
    scan = v.ctx.guard_scan
    parts = []
    rows = []
    for source_id, s in scan.sources.items():
        if s is None:
            rows.append([esc(source_id), "absent", "", "", ""])
        else:
            skipped = ", ".join(f"{n} {k}" for k, n in sorted(s.skipped.items()) if n) if s.skip_counts else "n/a"
            rows.append(
                [
                    esc(source_id),
                    esc(f"{s.mode}, {s.engine}"),
                    esc(s.files_scanned),
                    esc(skipped or "none"),
                    esc(len(s.hits)),
                ]
            )
    parts.append(table(["source", "scan", "files", "skipped", "hits"], rows))
    gf = [f for f in v.report.findings if f.family == "GUARD"]
    by_guard = Counter(f.subject for f in gf if f.code in ("GUARD001", "GUARD002"))
    rows = [
        [esc(g.id), esc(g.invariant), ident(g.pattern), esc(g.message), esc(by_guard.get(g.id, 0))]
        for g in program.guards
    ]
    parts.append(
        "<h2>Guards</h2>" + table(["guard", "invariant", "pattern", "fix", "hits"], rows, "gates-guards", sortable=True)
    )
    parts.append("<h2>Hits and waivers</h2>" + (v.findings_table(gf) if gf else "<p>No hits.</p>"))
    sups = scan.suppressions
    if sups:
        parts.append(
            "<h2>Inline suppressions</h2>"
            + table(
                ["where", "guard", "reason"],
                [[ident(f"{h.source}:{h.path}:{h.line}"), esc(s.guard), esc(s.reason)] for h, s in sups],
            )
        )
    return block(*parts)
