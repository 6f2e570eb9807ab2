"""What every page renders from: the report, the data commit, history, and links relative to the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checks.core.engine import Report
from checks.core.findings import Finding
from checks.site.html import block, esc, link, severity_badge, table

if TYPE_CHECKING:
    from checks.core.context import Context


@dataclass
class View:
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
        """The footer every page carries: the date the status is computed for, and the data commit."""
        commit = f" · data at commit <code>{esc(self.commit[:12])}</code>" if self.commit else ""
        return block(f'<p class="gates-stamp">Status computed for {esc(self.ctx.today.isoformat())}{commit}</p>')

    def invariant_link(self, invariant_id: str) -> str:
        return f'<a href="{self.url("invariants/" + esc(invariant_id) + "/")}">{esc(invariant_id)}</a>'

    def findings_table(self, findings: list[Finding]) -> str:
        rows = [
            [
                severity_badge(f.severity.value),
                f'<a href="{self.url("rules/")}#{f.code.lower()}">{esc(f.code)}</a>',
                f"<code>{esc(f.path)}{':' + str(f.line) if f.line else ''}</code>",
                esc(f.message),
            ]
            for f in findings
        ]
        return table(["severity", "rule", "where", "message"], rows, "gates-findings")


def evidence_ref(kind: str, ref: str, source: str) -> str:
    """An evidence item's reference: a safe link for URLs and issues, else the path as code."""
    if kind in ("url", "issue"):
        return link(ref)
    return f"<code>{esc((source + ':') if source else '')}{esc(ref)}</code>"
