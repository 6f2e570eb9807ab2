"""What every page renders from: the report, the data commit, history, and links relative to the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checks.core.engine import Report
from checks.core.findings import Finding
from checks.load.workspace import DATA_FILES
from checks.site.html import admonition, block, esc, ident, link, severity_badge, table

if TYPE_CHECKING:
    from checks.core.context import Context


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


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

    def load_failures(self, *names: str) -> list[Finding]:
        """The DATA001 findings (a data file that failed to load) of the named data files (all when none named)."""
        paths = {DATA_FILES[n] for n in names or DATA_FILES}
        return [f for f in self.report.findings if f.code == "DATA001" and f.path in paths]

    def data_notice(self, *names: str) -> str:
        """A danger admonition naming each data file that failed to load, its line and code; "" when all loaded."""
        failures = self.load_failures(*names)
        if not failures:
            return ""
        items = "".join(
            f"<li><code>{esc(f.path)}:{esc(f.line)}</code> {esc(f.code)}: {esc(f.message)}</li>" for f in failures
        )
        return admonition(
            "danger",
            "Data failed to load",
            f'<ul class="gates-load-failures">{items}</ul><p>What this page would show from that file is not '
            "shown: an empty list here would not be true. Fix the file, then rebuild.</p>",
        )

    def unavailable(self, *names: str) -> str:
        """The whole page when a data file it lists failed to load: the danger notice alone; "" when all loaded."""
        if not self.load_failures(*names):
            return ""
        files = ", ".join(f"<code>{esc(DATA_FILES[n])}</code>" for n in names)
        return block(self.data_notice(*names), f"<p>Nothing is listed here while {files} fails to load.</p>")

    def invariant_link(self, invariant_id: str) -> str:
        return f'<a href="{self.url("invariants/" + esc(invariant_id) + "/")}">{esc(invariant_id)}</a>'

    def findings_table(self, findings: list[Finding]) -> str:
        rows = [
            [
                # The rank sorts errors before warnings before info when the reader sorts by severity.
                f'<span data-sort="{SEVERITY_RANK.get(f.severity.value, 9)}">{severity_badge(f.severity.value)}</span>',
                f'<a href="{self.url("rules/")}#{f.code.lower()}">{esc(f.code)}</a>',
                ident(f"{f.path}{':' + str(f.line) if f.line else ''}"),
                esc(f.message),
            ]
            for f in findings
        ]
        return table(["severity", "rule", "where", "message"], rows, "gates-findings", sortable=True)


def evidence_ref(kind: str, ref: str, source: str) -> str:
    """An evidence item's reference: a safe link for URLs and issues, else the path as code."""
    if kind in ("url", "issue"):
        return link(ref)
    return ident(f"{(source + ':') if source else ''}{ref}")
