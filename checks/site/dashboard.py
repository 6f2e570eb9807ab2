"""Dashboard pages as HTML, rendered from the checker's own model and report.

Every string that comes from data passes through `esc`; links from data are emitted only when
they are http(s) URLs. The output is one compact HTML block per macro (no blank lines), so
Markdown passes it through untouched and never interprets data as Markdown.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from checks.core.closure import InvariantStatus
from checks.core.engine import Report
from checks.core.findings import Finding
from checks.core.registry import FAMILIES
from checks.policy.waivers import WaiverState
from checks.rules import all_rules
from checks.site.charts import STATE_COLOURS, STATUS_COLOURS, Bar, closure_bar, line_chart, sparkline, timeline

if TYPE_CHECKING:
    from checks.core.context import Context

_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def link(url: str, text: str | None = None) -> str:
    """An anchor for http(s) URLs only; anything else is shown as inert text."""
    label = esc(text if text is not None else url)
    if _SAFE_URL.match(url or ""):
        return f'<a href="{esc(url)}" rel="noopener nofollow">{label}</a>'
    return f"<code>{label}</code>" if url else ""


def block(*parts: str) -> str:
    html = "".join(parts)
    return '<div class="gates">' + html.replace("\n", " ") + "</div>"


def table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="gates-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def badge(text: str, colour: str) -> str:
    return f'<span class="gates-badge" style="background:{colour}">{esc(text)}</span>'


def status_badge(status: str) -> str:
    return badge(status, STATUS_COLOURS.get(status, "#9e9e9e"))


def state_badge(state: str) -> str:
    return badge(state, STATE_COLOURS.get(state, "#9e9e9e"))


def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", text.lower())


@dataclass
class Dashboard:
    report: Report
    commit: str
    base: str = ""  # relative prefix from the current page to the site root
    history: list[dict[str, Any]] = field(default_factory=list)
    burndown: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def ctx(self) -> Context:
        return self.report.ctx

    def url(self, path: str) -> str:
        return self.base + path

    def stamp(self) -> str:
        commit = f" · data at commit <code>{esc(self.commit[:12])}</code>" if self.commit else ""
        return block(f'<p class="gates-stamp">Status computed for {esc(self.ctx.today.isoformat())}{commit}</p>')

    # ------------------------------------------------------------ home

    def home(self) -> str:
        closure = self.report.closure
        program = self.ctx.program
        counts = Counter(i.status for i in closure.invariants)
        verdict_cls = "gates-verdict-closed" if closure.closed else "gates-verdict-open"
        parts = [
            f'<p class="gates-verdict {verdict_cls}" id="verdict">{esc(closure.verdict)}</p>',
            f'<p class="gates-percent"><strong id="closure-percent">{closure.percent}%</strong> of invariants closed'
            f" · {len(closure.invariants)} invariants · owner lane {esc(program.owner_lane)}</p>",
            closure_bar(dict(counts)),
        ]
        if len(self.history) >= 2:
            parts.append(
                f'<p class="gates-trend"><a href="{self.url("history/")}">Closure over time</a> '
                f"{sparkline([float(p['percent']) for p in self.history])} "
                f"{esc(self.history[0]['date'])} → {esc(self.history[-1]['date'])}</p>"
            )
        if program.summary:
            parts.append(f"<p>{esc(program.summary)}</p>")
        parts.append('<h2 id="what-blocks-closure">What blocks closure</h2>')
        if closure.blockers:
            rows = []
            for b in closure.blockers:
                if b["kind"] == "invariant":
                    where = f'<a href="{self.url("invariants/" + esc(b["id"]) + "/")}">{esc(b["id"])}</a>'
                    state = status_badge(b["status"])
                elif b["kind"] == "exception":
                    where = f'<a href="{self.url("exceptions/")}#{anchor(b["id"])}">{esc(b["id"])}</a>'
                    state = state_badge(b["status"])
                else:
                    where = f'<a href="{self.url("rules/")}#{anchor(b["id"])}">{esc(b["id"])}</a>'
                    state = badge("error", STATE_COLOURS["expired"])
                rows.append([esc(b["kind"]), where, state, esc(b["owner"]), esc(b["reason"])])
            parts.append(table(["kind", "what", "state", "owner", "why"], rows, "gates-blockers"))
        else:
            parts.append("<p>Nothing: the program is closed.</p>")
        parts.append("<h2>Next exception to expire</h2>")
        upcoming = sorted(
            (s for s in closure.exceptions if s.waiver.active and s.days_left is not None and s.days_left >= 0),
            key=lambda s: (s.days_left, s.id),
        )
        if upcoming:
            s = upcoming[0]
            parts.append(
                f'<p id="next-expiry"><a href="{self.url("exceptions/")}#{anchor(s.id)}">{esc(s.id)}</a> '
                f"{esc(s.waiver.title)} — expires {esc(s.waiver.expires)} ({s.days_left} days left), "
                f"owner {esc(s.waiver.owner)} {state_badge(s.state)}</p>"
            )
        else:
            parts.append('<p id="next-expiry">No active exception is still within its validity.</p>')
        parts.append("<h2>Owners</h2>")
        owners: dict[str, list[InvariantStatus]] = defaultdict(list)
        for i in closure.invariants:
            owners[i.owner].append(i)
        rows = [
            [
                esc(owner),
                " ".join(f'<a href="{self.url("invariants/" + esc(i.id) + "/")}">{esc(i.id)}</a>' for i in items),
                " ".join(status_badge(i.status) for i in items),
            ]
            for owner, items in sorted(owners.items())
        ]
        parts.append(table(["owner", "invariants", "status"], rows))
        parts.append("<h2>Findings by family</h2>")
        fam: dict[str, Counter[str]] = {f: Counter() for f in FAMILIES}
        for f in self.report.findings:
            fam[f.family][f.severity.value] += 1
        rows = [
            [
                f'<a href="{self.url("rules/")}#{f.lower()}001">{esc(f)}</a>',
                str(c["error"]),
                str(c["warning"]),
                str(c["info"]),
            ]
            for f, c in fam.items()
        ]
        parts.append(table(["family", "errors", "warnings", "info"], rows, "gates-families"))
        return block(*parts)

    # ------------------------------------------------------------ invariants

    def invariants_table(self) -> str:
        rows = []
        for i in self.report.closure.invariants:
            verifiable = [r for r in i.evidence if r.status != "shown"]
            rows.append(
                [
                    f'<a href="{self.url("invariants/" + esc(i.id) + "/")}">{esc(i.id)}</a>',
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
                ["id", "title", "posture", "status", "owner", "evidence verified", "errors"], rows, "gates-invariants"
            )
        )

    def invariant_page(self, invariant_id: str) -> str:
        status = next((i for i in self.report.closure.invariants if i.id == invariant_id), None)
        inv = next((i for i in self.ctx.workspace.invariants if i.id == invariant_id), None)
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
                self._ref(r.evidence.kind, r.evidence.ref, r.evidence.source),
                self._result(r.status),
                esc(r.detail),
            ]
            for r in status.evidence
        ]
        parts.append(table(["id", "class", "kind", "ref", "result", "detail"], rows) if rows else "<p>None.</p>")
        parts.append("<h2>Findings</h2>")
        mine = [f for f in self.report.findings if f.invariant == inv.id]
        parts.append(self._findings(mine) if mine else "<p>None attributed.</p>")
        parts.append("<h2>Exceptions</h2>")
        exc = [s for s in self.report.closure.exceptions if inv.id in s.waiver.invariants]
        parts.append(
            table(
                ["id", "state", "expires", "title"],
                [
                    [
                        f'<a href="{self.url("exceptions/")}#{anchor(s.id)}">{esc(s.id)}</a>',
                        state_badge(s.state),
                        esc(s.waiver.expires),
                        esc(s.waiver.title),
                    ]
                    for s in exc
                ],
            )
            if exc
            else "<p>None.</p>"
        )
        if inv.verify:
            parts.append(
                "<h2>Verification commands</h2><pre><code>"
                + "\n".join(esc(c) for c in inv.verify).replace("\n", "&#10;")
                + "</code></pre>"
            )
        return block(*parts)

    def _ref(self, kind: str, ref: str, source: str) -> str:
        if kind in ("url", "issue"):
            return link(ref)
        return f"<code>{esc((source + ':') if source else '')}{esc(ref)}</code>"

    @staticmethod
    def _result(status: str) -> str:
        colours = {
            "verified": "#2e7d32",
            "missing": "#c62828",
            "broken": "#c62828",
            "refused": "#6a1b9a",
            "unchecked": "#9e9e9e",
            "shown": "#1565c0",
        }
        return badge(status, colours.get(status, "#9e9e9e"))

    def _findings(self, findings: list[Finding]) -> str:
        rows = [
            [
                badge(f.severity.value, {"error": "#c62828", "warning": "#ef6c00"}.get(f.severity.value, "#1565c0")),
                f'<a href="{self.url("rules/")}#{f.code.lower()}">{esc(f.code)}</a>',
                f"<code>{esc(f.path)}{':' + str(f.line) if f.line else ''}</code>",
                esc(f.message),
            ]
            for f in findings
        ]
        return table(["severity", "rule", "where", "message"], rows, "gates-findings")

    # ------------------------------------------------------------ exceptions

    def exceptions_page(self) -> str:
        states = self.report.closure.exceptions
        active = [s for s in states if s.waiver.active]
        retired = [s for s in states if not s.waiver.active]
        parts = ["<h2>Active</h2>"]
        if active:
            rows = [
                [
                    f'<span id="{anchor(s.id)}">{esc(s.id)}</span>',
                    state_badge(s.state),
                    esc(s.waiver.owner),
                    esc(s.waiver.expires),
                    esc("" if s.days_left is None else s.days_left),
                    esc("" if s.days_since_renewal is None else s.days_since_renewal),
                    esc(", ".join(s.waiver.invariants)),
                    link(s.waiver.deletion_issue, "deletion issue"),
                ]
                for s in active
            ]
            parts.append(
                table(
                    ["id", "state", "owner", "expires", "days left", "days since renewal", "invariants", "deletion"],
                    rows,
                    "gates-exceptions",
                )
            )
        else:
            parts.append("<p>No active exception.</p>")
        bars = [
            Bar(s.id, s.waiver.opened, s.waiver.retired_date or s.waiver.expires, s.state, anchor(s.id))
            for s in states
            if s.waiver.opened and s.waiver.expires
        ]
        parts.append("<h2>Timeline</h2>" + timeline(bars, self.ctx.today))
        for s in active:
            parts.append(self._exception_detail(s))
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

    def _exception_detail(self, s: WaiverState) -> str:
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

    # ------------------------------------------------------------ drift, guards, evidence

    def drift_page(self) -> str:
        drift = self.ctx.drift
        rows = []
        for row in drift.matrix():
            shipped = row["shipped"]
            shipped_cell = (
                "unknown"
                if shipped is None
                else badge("shipped", "#2e7d32")
                if shipped
                else badge("not shipped", "#c62828")
            )
            rows.append(
                [
                    f"<code>{esc(row['doc'])}:{esc(row['line'])}</code>",
                    esc(row["method"]),
                    f"<code>{esc(row['path'])}</code>",
                    shipped_cell,
                    esc(", ".join(row["services"])),  # type: ignore[arg-type]
                    esc(row["canonical"]),
                    esc(row["prohibited"]),
                    esc(row["suppressed"]),
                ]
            )
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
        parts.append("<h2>Shipped catalog</h2>")
        cat_rows = []
        for service, cat in drift.catalog.services.items():
            if cat is None:
                cat_rows.append([esc(service), "", "unknown", "", ""])
                continue
            origin = "live" if cat.live else f"snapshot {cat.generated}"
            for e in cat.endpoints:
                cat_rows.append(
                    [
                        esc(service),
                        esc(e.method),
                        f"<code>{esc(e.path)}</code>",
                        esc(origin),
                        badge("documented", "#2e7d32") if drift.mentioned(e) else badge("undocumented", "#9e9e9e"),
                    ]
                )
        parts.append(table(["service", "method", "path", "from", "runbooks"], cat_rows, "gates-catalog"))
        drift_findings = [f for f in self.report.findings if f.family == "DRIFT" and f.code != "DRIFT005"]
        parts.append("<h2>Drift findings</h2>" + (self._findings(drift_findings) if drift_findings else "<p>None.</p>"))
        sups = drift.runbooks.suppressions
        if sups:
            parts.append(
                "<h2>Suppressions</h2>"
                + table(
                    ["doc", "line", "codes", "reason"],
                    [
                        [
                            f"<code>{esc(s.doc)}</code>",
                            esc(s.line),
                            esc(", ".join(s.codes)),
                            esc(s.reason or "(no reason: ignored)"),
                        ]
                        for s in sups
                    ],
                )
            )
        return block(*parts)

    def guards_page(self) -> str:
        program = self.ctx.program
        scan = self.ctx.guard_scan
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
        gf = [f for f in self.report.findings if f.family == "GUARD"]
        by_guard = Counter(f.subject for f in gf if f.code in ("GUARD001", "GUARD002"))
        rows = [
            [esc(g.id), esc(g.invariant), f"<code>{esc(g.pattern)}</code>", esc(g.message), esc(by_guard.get(g.id, 0))]
            for g in program.guards
        ]
        parts.append("<h2>Guards</h2>" + table(["guard", "invariant", "pattern", "fix", "hits"], rows, "gates-guards"))
        parts.append("<h2>Hits and waivers</h2>" + (self._findings(gf) if gf else "<p>No hits.</p>"))
        sups = scan.suppressions
        if sups:
            parts.append(
                "<h2>Inline suppressions</h2>"
                + table(
                    ["where", "guard", "reason"],
                    [
                        [f"<code>{esc(h.source)}:{esc(h.path)}:{h.line}</code>", esc(s.guard), esc(s.reason)]
                        for h, s in sups
                    ],
                )
            )
        return block(*parts)

    def evidence_page(self) -> str:
        program = self.ctx.program
        results = self.ctx.evidence.results
        rows = []
        for cls in program.evidence_classes:
            items = [r for r in results if r.evidence.class_id == cls.id]
            verified = sum(r.verified for r in items)
            covered = badge("covered", "#2e7d32") if verified else badge("uncovered", "#c62828")
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
                f'<a href="{self.url("invariants/" + esc(r.evidence.invariant) + "/")}">'
                f"{esc(r.evidence.invariant)}</a>",
                esc(r.evidence.class_id),
                esc(r.evidence.kind),
                self._ref(r.evidence.kind, r.evidence.ref, r.evidence.source),
                self._result(r.status),
                esc(r.detail),
            ]
            for r in results
        ]
        parts.append(
            "<h2>Items</h2>"
            + table(["id", "invariant", "class", "kind", "ref", "result", "detail"], rows, "gates-evidence")
        )
        return block(*parts)

    # ------------------------------------------------------------ history

    def history_page(self) -> str:
        parts = []
        if not self.history:
            parts.append(
                "<p>No history: the tracker is not a git repository, or no commit changed <code>data/</code>.</p>"
            )
        else:
            parts.append("<h2>Closure and exceptions</h2>")
            parts.append(
                line_chart(
                    {
                        "closure %": [(p["date"], float(p["percent"])) for p in self.history],
                        "active exceptions": [(p["date"], float(len(p["active_exceptions"]))) for p in self.history],
                        "errors": [(p["date"], float(p["findings"]["error"])) for p in self.history],
                    },
                    "Closure percentage, active exceptions and errors over time",
                )
            )
            rows = [
                [
                    esc(p["date"]),
                    f"<code>{esc(p['commit'][:10])}</code>",
                    f"{esc(p['percent'])}%",
                    esc(", ".join(p["active_exceptions"]) or "none"),
                    esc(p["findings"]["error"]),
                ]
                for p in reversed(self.history)
            ]
            parts.append(table(["date", "commit", "closed", "active exceptions", "errors"], rows, "gates-history"))
        parts.append("<h2>Legacy-symbol burndown</h2>")
        if not self.burndown:
            parts.append(
                "<p>No source given to the build (set <code>GATES_SOURCES=name=path</code>), so no burndown.</p>"
            )
        for source, series in self.burndown.items():
            guards = sorted({g for p in series for g in p["counts"]})
            parts.append(f"<h3>{esc(source)}</h3>")
            parts.append(
                line_chart(
                    {g: [(p["date"], float(p["counts"].get(g, 0))) for p in series] for g in guards},
                    f"Guard hits over time in {source}",
                )
            )
        return block(*parts)

    # ------------------------------------------------------------ ADR tables

    def adr_requirements(self) -> str:
        rows = [[esc(r.id), esc(r.text), esc(", ".join(r.invariants))] for r in self.ctx.program.requirements]
        return block(table(["id", "requirement", "invariants"], rows))

    def adr_mapping(self) -> str:
        rows = []
        for inv in self.ctx.workspace.invariants:
            mapped = [a for a in inv.adr if a.section.lower().startswith("invariant gate mapping")]
            note = "; ".join(a.note for a in mapped) if mapped else "not in the mapping: holds as before"
            rows.append(
                [
                    f'<a href="{self.url("invariants/" + esc(inv.id) + "/")}">{esc(inv.id)}</a>',
                    esc(inv.title),
                    esc(inv.posture),
                    esc(note),
                ]
            )
        return block(table(["invariant", "title", "posture", "ADR"], rows))

    def exception_process(self) -> str:
        p = self.ctx.program
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

    def evidence_classes(self) -> str:
        rows = [
            [esc(c.id), esc(c.title), esc(c.description), "required" if c.required else "supporting"]
            for c in self.ctx.program.evidence_classes
        ]
        return block(table(["class", "title", "what it proves", ""], rows))

    # ------------------------------------------------------------ rule catalog

    def rules_page(self) -> str:
        """The catalog from the registry. Docstrings are our own Markdown, so they are not escaped."""
        out = ["| code | rule | default | what |", "|---|---|---|---|"]
        rules = all_rules()
        for r in rules:
            out.append(f"| [{r.code}](#{r.anchor}) | `{r.slug}` | {r.severity.value} | {r.summary} |")
        for r in rules:
            body = r.doc.split("\n", 1)[1].strip() if "\n" in r.doc else ""
            out.append(
                f"\n## {r.code} {r.slug} {{#{r.anchor}}}\n\n**{r.summary}** Default severity: "
                f"{r.severity.value}.\n\n{body}\n"
            )
        return "\n".join(out)
