"""The home page: verdict, closure figures and the most urgent exception as cards, then blockers, owners, findings."""

from __future__ import annotations

from collections import Counter, defaultdict

from checks.core.closure import InvariantStatus
from checks.core.registry import FAMILIES
from checks.model import Where
from checks.site.charts import closure_bar, sparkline
from checks.site.html import anchor, block, esc, severity_badge, state_badge, status_badge, table
from checks.site.pages.view import View


def home(v: View) -> str:
    closure = v.report.closure
    program = v.ctx.program
    counts = Counter(str(i.status) for i in closure.invariants)
    parts = [_recorded_banner(v), v.data_notice(), _cards(v), closure_bar(dict(counts))]
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
    parts.append("<h2>Owners</h2>")
    parts.append(_owners(v))
    parts.append("<h2>Findings by family</h2>")
    parts.append(_families(v))
    return block(*parts)


def _cards(v: View) -> str:
    """Above the fold: the verdict, the closure figures and the most urgent exception, as Material grid cards."""
    closure = v.report.closure
    verdict_cls = "gates-verdict-closed" if closure.closed else "gates-verdict-open"
    closed = sum(1 for i in closure.invariants if str(i.status) == "closed")
    verifiable = [r for i in closure.invariants for r in i.evidence if r.verifiable]
    failures, gaps = _split_blockers(v)
    gap_note = f" and {len(gaps)} configuration gap{'s' if len(gaps) != 1 else ''}" if gaps else ""
    cards = [
        '<p class="gates-card-title">Verdict</p>'
        f'<p class="gates-verdict {verdict_cls}" id="verdict">{esc(closure.verdict)}</p>'
        f'<p class="gates-percent"><strong id="closure-percent">{closure.percent}%</strong> of invariants closed'
        f" · owner lane {esc(v.ctx.program.owner_lane)}</p>",
        '<p class="gates-card-title">Closure</p><ul id="closure-figures">'
        f'<li>Invariants closed <strong class="gates-figure">{closed}/{len(closure.invariants)}</strong></li>'
        f"<li>Verifiable evidence verified "
        f'<strong class="gates-figure">{sum(r.verified for r in verifiable)}/{len(verifiable)}</strong></li>'
        f'<li><a href="#what-blocks-closure">Blockers</a> <strong class="gates-figure">{len(failures)}</strong>'
        f"{esc(gap_note)}</li></ul>",
        f'<p class="gates-card-title">Most urgent exception</p>{_urgent(v)}',
    ]
    items = "".join(f"<li>{c}</li>" for c in cards)
    return f'<div class="grid cards gates-cards"><ul>{items}</ul></div>'


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


def _is_gap(v: View, b: dict[str, str]) -> bool:
    """A configuration gap, not a failure: the only unverified proof behind the blocker could not be checked
    (its source was absent) — an open invariant, or a required evidence class (EVID004) left uncovered."""
    if b["kind"] == "invariant" and b["status"] == "open":
        inv = next((i for i in v.report.closure.invariants if i.id == b["id"]), None)
        results = inv.evidence if inv else []
    elif b["kind"] == "finding" and b["id"] == "EVID004":
        # The finding sits at its class's id in program.yaml; that place names the class.
        cls = next((c for c in v.ctx.program.evidence_classes if b["reason"].startswith(_at(c.where))), None)
        results = v.ctx.evidence.for_class(cls.id) if cls else []
    else:
        return False
    pending = [r for r in results if r.verifiable and not r.verified]
    return bool(pending) and all(str(r.status) == "unchecked" for r in pending)


def _at(where: Where) -> str:
    line, _ = where.at("id")
    return f"{where.path}:{line}: "


def _split_blockers(v: View) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The blockers as (real failures, configuration gaps)."""
    blockers = v.report.closure.blockers
    gaps = [b for b in blockers if _is_gap(v, b)]
    return [b for b in blockers if b not in gaps], gaps


def _blocker_row(v: View, b: dict[str, str]) -> list[str]:
    if b["kind"] == "invariant":
        where = v.invariant_link(b["id"])
        state = status_badge(b["status"])
    elif b["kind"] == "exception":
        where = f'<a href="{v.url("exceptions/")}#{anchor(b["id"])}">{esc(b["id"])}</a>'
        state = state_badge(b["status"])
    else:
        where = f'<a href="{v.url("rules/")}#{anchor(b["id"])}">{esc(b["id"])}</a>'
        state = severity_badge("error")
    return [esc(b["kind"]), where, state, esc(b["owner"]), esc(b["reason"])]


def _blockers(v: View) -> str:
    if not v.report.closure.blockers:
        return "<p>Nothing: the program is closed.</p>"
    failures, gaps = _split_blockers(v)
    headers = ["kind", "what", "state", "owner", "why"]
    out = [
        "<h3>Failures</h3>",
        table(headers, [_blocker_row(v, b) for b in failures], "gates-blockers", sortable=True)
        if failures
        else "<p>None: only configuration gaps remain.</p>",
    ]
    if gaps:
        out.append(
            "<h3>Configuration gaps</h3><p>Not failures: evidence that could not be checked because its source "
            "was not given to the build (<code>GATES_SOURCES=name=path</code>) and has no record.</p>"
            + table(headers, [_blocker_row(v, b) for b in gaps], "gates-gaps", sortable=True)
        )
    return "".join(out)


def _urgent(v: View) -> str:
    """The most urgent open exception: the most overdue first, else the next to expire."""
    states = v.report.closure.exceptions
    live = [s for s in states if s.waiver.active]
    overdue = sorted((s for s in live if s.expired), key=lambda s: (-s.days_overdue, s.id))
    upcoming = sorted(
        (s for s in live if not s.expired and s.days_left is not None), key=lambda s: (s.days_left or 0, s.id)
    )
    if overdue:
        s = overdue[0]
        when = f"<strong>{s.days_overdue} days overdue</strong> (expired {esc(s.waiver.expires)})"
    elif upcoming:
        s = upcoming[0]
        when = f"expires {esc(s.waiver.expires)} (<strong>{s.days_left} days left</strong>)"
    elif live:
        s = live[0]
        when = "has no readable expiry"
    else:
        text = "No exception on record." if not states else f"No open exception ({len(states)} retired)."
        return f'<p id="next-expiry">{text}</p>'
    return (
        f'<p id="next-expiry"><a href="{v.url("exceptions/")}#{anchor(s.id)}">{esc(s.id)}</a> '
        f"{state_badge(s.state)} {esc(s.waiver.title)} — {when}, owner {esc(s.waiver.owner)}</p>"
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
