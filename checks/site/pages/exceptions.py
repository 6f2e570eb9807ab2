"""The exceptions page: open exceptions by state (overdue first), their timeline and detail, the audit trail."""

from __future__ import annotations

from checks.policy.waivers import WaiverState
from checks.site.charts import Bar, timeline
from checks.site.html import anchor, block, esc, link, state_badge, table
from checks.site.pages.view import View

# The page's sections, most urgent first; an exception appears under the one its state belongs to.
SECTIONS = (
    ("Overdue, expired or invalid", ("expired", "stale", "invalid"), "These waive nothing: their hits are errors."),
    ("Expiring soon", ("expiring",), ""),
    ("Active", ("active",), ""),
)
HEADERS = ["id", "state", "owner", "expires", "days left", "days since renewal", "invariants", "deletion"]


def exceptions_page(v: View) -> str:
    if gone := v.unavailable("exceptions"):
        return gone
    notice = v.data_notice("program")
    states = v.report.closure.exceptions
    open_ = [s for s in states if s.waiver.active]
    retired = [s for s in states if not s.waiver.active]
    parts = [notice]
    for title, members, note in SECTIONS:
        rows = [_row(s) for s in open_ if str(s.state) in members]
        parts.append(f'<h2 id="{anchor(title)}">{esc(title)}</h2>')
        if rows:
            parts.append((f"<p>{esc(note)}</p>" if note else "") + table(HEADERS, rows, "gates-exceptions"))
        else:
            parts.append("<p>None.</p>")
    bars = [
        Bar(s.id, s.waiver.opened, s.waiver.retired_date or s.waiver.expires, s.state, anchor(s.id))
        for s in states
        if s.waiver.opened and s.waiver.expires
    ]
    if bars:
        parts.append('<h2>Timeline</h2><div class="gates-scroll">' + timeline(bars, v.ctx.today) + "</div>")
    for s in open_:
        parts.append(_detail(s))
    parts.append("<h2>Retired (audit trail)</h2>")
    if retired:
        rows = [
            [
                f'<span id="{anchor(s.id)}">{esc(s.id)}</span>',
                esc(s.waiver.title),
                esc(s.waiver.opened),
                esc(s.waiver.retired_date),
                esc(s.waiver.retired_reason),
                link(s.waiver.retired_link, "what retired it") if s.waiver.retired_link else "",
            ]
            for s in retired
        ]
        parts.append(table(["id", "title", "opened", "retired", "reason", "link"], rows, "gates-retired"))
    else:
        parts.append("<p>None yet.</p>")
    return block(*parts)


def _row(s: WaiverState) -> list[str]:
    return [
        f'<span id="{anchor(s.id)}">{esc(s.id)}</span>',
        state_badge(s.state),
        esc(s.waiver.owner),
        esc(s.waiver.expires),
        esc("" if s.days_left is None else s.days_left),
        esc("" if s.days_since_renewal is None else s.days_since_renewal),
        esc(", ".join(s.waiver.invariants)),
        link(s.waiver.deletion_issue, "deletion issue"),
    ]


def _detail(s: WaiverState) -> str:
    w = s.waiver
    renewals = (
        "".join(
            f"<li>{esc(r.renewal.raw_date)} by {esc(r.renewal.approver or '?')} — "
            f"{link(r.renewal.evidence, 'evidence') if r.renewal.evidence else 'no evidence'}"
            f"{'' if r.valid else ' (does not count: ' + esc('; '.join(r.problems)) + ')'}</li>"
            for r in s.renewals
        )
        or "<li>None.</li>"
    )
    reasons = "".join(f"<li>{esc(r)}</li>" for r in s.reasons)
    return (
        f"<h3>{esc(w.id)}: {esc(w.title)}</h3>"
        f"<p>{state_badge(s.state)} owner {esc(w.owner)} · opened {esc(w.opened)} · expires {esc(w.expires)}"
        f" · {link(w.deletion_issue, 'deletion issue')}</p>"
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + f"<p><strong>Surface.</strong> {esc(w.surface)}</p>"
        f"<p><strong>Blocker.</strong> {esc(w.blocker)}</p>"
        f"<p><strong>Blast radius.</strong> {esc(w.blast_radius)}</p>"
        "<p><strong>Rollback.</strong></p><ol>" + "".join(f"<li>{esc(r)}</li>" for r in w.rollback) + "</ol>"
        f"<p><strong>Renewals.</strong></p><ul>{renewals}</ul>"
    )
