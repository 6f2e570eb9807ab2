"""The home page: the closure verdict, what blocks it, the next expiry, owners and findings by family."""

from __future__ import annotations

from collections import Counter, defaultdict

from checks.core.closure import InvariantStatus
from checks.core.registry import FAMILIES
from checks.site.charts import closure_bar, sparkline
from checks.site.html import anchor, block, esc, severity_badge, state_badge, status_badge, table
from checks.site.pages.view import View


def home(v: View) -> str:
    closure = v.report.closure
    program = v.ctx.program
    counts = Counter(str(i.status) for i in closure.invariants)
    verdict_cls = "gates-verdict-closed" if closure.closed else "gates-verdict-open"
    parts = [
        _recorded_banner(v),
        f'<p class="gates-verdict {verdict_cls}" id="verdict">{esc(closure.verdict)}</p>',
        f'<p class="gates-percent"><strong id="closure-percent">{closure.percent}%</strong> of invariants closed'
        f" · {len(closure.invariants)} invariants · owner lane {esc(program.owner_lane)}</p>",
        closure_bar(dict(counts)),
    ]
    if sum(p.get("percent") is not None for p in v.history) >= 2:
        parts.append(
            f'<p class="gates-trend"><a href="{v.url("history/")}">Closure over time</a> '
            f"{sparkline([float(p['percent']) for p in v.history if p.get('percent') is not None])} "
            f"{esc(v.history[0]['date'])} → {esc(v.history[-1]['date'])}</p>"
        )
    if program.summary:
        parts.append(f"<p>{esc(program.summary)}</p>")
    parts.append('<h2 id="what-blocks-closure">What blocks closure</h2>')
    parts.append(_blockers(v))
    parts.append("<h2>Next exception to expire</h2>")
    parts.append(_next_expiry(v))
    parts.append("<h2>Owners</h2>")
    parts.append(_owners(v))
    parts.append("<h2>Findings by family</h2>")
    parts.append(_families(v))
    return block(*parts)


def _recorded_banner(v: View) -> str:
    """Which sources the page shows as recorded rather than live: a Material "info" admonition."""
    recorded = [s.record for s in v.ctx.source_states.values() if s.record is not None]
    if not recorded:
        return ""
    lines = "".join(f"<p>{esc(r.source)}: {esc(r.notice)}</p>" for r in recorded)
    return (
        '<div class="admonition info" id="recorded-sources"><p class="admonition-title">Recorded sources</p>'
        f"{lines}<p>These sources were not present at build time; their guard hits, endpoints and evidence "
        "come from the committed record (<code>gates record</code>).</p></div>"
    )


def _blockers(v: View) -> str:
    blockers = v.report.closure.blockers
    if not blockers:
        return "<p>Nothing: the program is closed.</p>"
    rows = []
    for b in blockers:
        if b["kind"] == "invariant":
            where = v.invariant_link(b["id"])
            state = status_badge(b["status"])
        elif b["kind"] == "exception":
            where = f'<a href="{v.url("exceptions/")}#{anchor(b["id"])}">{esc(b["id"])}</a>'
            state = state_badge(b["status"])
        else:
            where = f'<a href="{v.url("rules/")}#{anchor(b["id"])}">{esc(b["id"])}</a>'
            state = severity_badge("error")
        rows.append([esc(b["kind"]), where, state, esc(b["owner"]), esc(b["reason"])])
    return table(["kind", "what", "state", "owner", "why"], rows, "gates-blockers")


def _next_expiry(v: View) -> str:
    upcoming = sorted(
        (s for s in v.report.closure.exceptions if s.waiver.active and s.days_left is not None and s.days_left >= 0),
        key=lambda s: (s.days_left, s.id),
    )
    if not upcoming:
        return '<p id="next-expiry">No active exception is still within its validity.</p>'
    s = upcoming[0]
    return (
        f'<p id="next-expiry"><a href="{v.url("exceptions/")}#{anchor(s.id)}">{esc(s.id)}</a> '
        f"{esc(s.waiver.title)} — expires {esc(s.waiver.expires)} ({s.days_left} days left), "
        f"owner {esc(s.waiver.owner)} {state_badge(s.state)}</p>"
    )


def _owners(v: View) -> str:
    owners: dict[str, list[InvariantStatus]] = defaultdict(list)
    for i in v.report.closure.invariants:
        owners[i.owner].append(i)
    rows = [
        [
            esc(owner),
            " ".join(v.invariant_link(i.id) for i in items),
            " ".join(status_badge(i.status) for i in items),
        ]
        for owner, items in sorted(owners.items())
    ]
    return table(["owner", "invariants", "status"], rows)


def _families(v: View) -> str:
    fam: dict[str, Counter[str]] = {f: Counter() for f in FAMILIES}
    for f in v.report.findings:
        fam[f.family][f.severity.value] += 1
    rows = [
        [
            f'<a href="{v.url("rules/")}#{f.lower()}001">{esc(f)}</a>',
            str(c["error"]),
            str(c["warning"]),
            str(c["info"]),
        ]
        for f, c in fam.items()
    ]
    return table(["family", "errors", "warnings", "info"], rows, "gates-families")
