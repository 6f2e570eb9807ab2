"""`gates status`: the closure summary as a readable table."""

from __future__ import annotations

from checks.core.engine import Report


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def format_status(report: Report) -> str:
    closure = report.closure
    program = report.ctx.program
    lines = [
        f"{program.title} — as of {report.ctx.today.isoformat()}",
        closure.verdict,
        f"Closure: {closure.percent}% of invariants closed",
        "",
    ]
    rows = []
    for i in closure.invariants:
        verifiable = [r for r in i.evidence if r.status != "shown"]
        rows.append(
            [
                i.id,
                i.status,
                i.posture,
                i.owner,
                f"{sum(r.verified for r in verifiable)}/{len(verifiable)}",
                i.reasons[0] if i.reasons else "",
            ]
        )
    lines += _table(["invariant", "status", "posture", "owner", "evidence", "why"], rows)
    lines.append("")
    rows = []
    for s in closure.exceptions:
        w = s.waiver
        rows.append(
            [
                w.id,
                s.state,
                w.owner,
                str(w.expires or "?"),
                "" if s.days_left is None or not w.active else str(s.days_left),
                "" if s.days_since_renewal is None or not w.active else str(s.days_since_renewal),
                ", ".join(w.invariants),
            ]
        )
    if rows:
        lines += _table(
            ["exception", "state", "owner", "expires", "days left", "days since renewal", "invariants"], rows
        )
    else:
        lines.append("No exceptions.")
    summary = report.summary
    lines += [
        "",
        f"Findings: {summary['error']} error, {summary['warning']} warning, {summary['info']} info "
        "(run 'gates check' for details)",
    ]
    return "\n".join(lines) + "\n"
