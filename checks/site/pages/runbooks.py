"""Endpoint badges: what the doctrine and the catalog say of each endpoint a runbook names, beside the mention."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from checks.endpoints.drift import DriftRow
from checks.endpoints.normalize import normalize, same_endpoint, same_method
from checks.endpoints.runbooks import EndpointRef
from checks.model import AliasFamily
from checks.policy.waivers import WaiverState
from checks.site.html import admonition, anchor, badge, esc, ident, table
from checks.site.pages.view import View
from checks.site.palette import ENDPOINT_COLOURS


@dataclass(frozen=True)
class Doctrine:
    """One endpoint reference's badge: its kind (a key of ENDPOINT_COLOURS), the badge text and an HTML note."""

    kind: str
    label: str
    note: str

    @property
    def doctrinal(self) -> bool:
        """Whether the program's doctrine names it (canonical, alias, prohibited), not only the catalog."""
        return self.kind not in ("shipped", "not shipped", "catalog unknown")

    def html(self, aside: bool = False) -> str:
        """The badge and its note; `aside` brackets the note, for a badge placed inside a runbook's sentence."""
        text = f"({self.note})" if aside else self.note
        note = f' <span class="gates-endpoint-note">{text}</span>' if self.note else ""
        return f'<span class="gates-endpoint" data-endpoint="{esc(self.kind)}">{self.badge()}{note}</span>'

    def badge(self) -> str:
        return badge(self.label, ENDPOINT_COLOURS[self.kind])


def references(v: View, doc: str | None = None) -> list[tuple[EndpointRef, DriftRow]]:
    """The runbooks' endpoint references with their drift rows, of one doc or of all, in document order."""
    drift = v.ctx.drift
    rows = zip(drift.runbooks.endpoints, drift.matrix(), strict=True)  # the matrix has one row per reference
    return [(ref, row) for ref, row in rows if doc is None or ref.doc == doc]


def doctrine(v: View, ref: EndpointRef, row: DriftRow) -> Doctrine:
    """Prohibited, canonical or alias from the program's endpoint doctrine; otherwise what the catalog ships."""
    prohibited = v.ctx.drift.prohibited_for(ref)
    if prohibited is not None:
        if prohibited.use_instead:
            return Doctrine("prohibited", "prohibited", f"use {ident(prohibited.use_instead)} instead")
        return Doctrine("prohibited", "prohibited", esc(prohibited.reason))
    if row.canonical:
        return Doctrine("canonical", "canonical", esc(row.canonical))
    family = _family(v, ref)
    if family is not None:
        return _alias(v, family, ref, row)
    if row.shipped is None:
        return Doctrine("catalog unknown", "catalog unknown", "")
    if row.shipped:
        return Doctrine("shipped", "shipped", f"by {esc(', '.join(row.services))}")
    return Doctrine("not shipped", "not shipped", "no service ships it")


def _family(v: View, ref: EndpointRef) -> AliasFamily | None:
    """The alias family the reference is a non-canonical member of, if any."""
    return next(
        (
            f
            for f in v.ctx.program.families
            if same_method(f.method, ref.method)
            and any(same_endpoint(m, ref.path) and normalize(m) != normalize(f.canonical) for m in f.members)
        ),
        None,
    )


def _days(state: WaiverState) -> str:
    if state.days_left is None:
        return "no readable expiry"
    if state.days_left == 0:
        return "expires today"
    return f"{state.days_left} day{'s' if state.days_left != 1 else ''} left"


def _alias(v: View, family: AliasFamily, ref: EndpointRef, row: DriftRow) -> Doctrine:
    """An alias: the exception that waives it and its days left, or "not waived" and which exception lapsed."""
    cover = v.ctx.covers.alias_cover(family.id, ref.path)
    of = f"of {ident(' '.join(p for p in (family.method, family.canonical) if p))}"
    if cover.waived_by is not None:
        s = cover.waived_by
        return Doctrine("alias waived", "alias", f"{of}; waived by {_exception(v, s.id)}, {esc(_days(s))}")
    lapsed = ", ".join(f"{_exception(v, s.id)} is {esc(s.state)}" for s in cover.lapsed)
    why = f": {lapsed}" if lapsed else ""
    if row.shipped is False:
        return Doctrine("alias not shipped", "alias", f"{of}; not shipped; not waived{why}")
    return Doctrine("alias not waived", "alias", f"{of}; not waived{why}")


def _exception(v: View, exception_id: str) -> str:
    return f'<a href="{v.url("exceptions/")}#{anchor(exception_id)}">{esc(exception_id)}</a>'


def _label(ref: EndpointRef) -> str:
    return f"{ref.method} {ref.path}" if ref.method != "ANY" else ref.path


# A code block (Material wraps it in div.highlight) or an inline code span; blocks first, so the
# spans inside a block are not taken for inline mentions.
_CODE = re.compile(
    r'(?P<block>(?:<div class="highlight">)?<pre\b.*?</pre>(?:</div>)?)|(?P<inline><code\b[^>]*>.*?</code>)', re.S
)
_TAG = re.compile(r"<[^>]*>")


def runbook_page(v: View, doc: str, html: str) -> str:
    """A rendered runbook with a badge after each code that names an endpoint and a summary after its title."""
    refs = references(v, doc)
    if not refs:
        return html
    badges = [doctrine(v, ref, row) for ref, row in refs]
    taken: set[int] = set()

    def mark(m: re.Match[str]) -> str:
        text = unescape(_TAG.sub("", m.group(0)))
        found = []
        for path in dict.fromkeys(ref.path for ref, _ in refs if ref.path in text):
            same = [i for i, (ref, _) in enumerate(refs) if ref.path == path]
            index = next((i for i in same if i not in taken), same[-1])  # a repeated mention keeps its badge
            taken.add(index)
            found.append(index)
        if not found:
            return m.group(0)
        if m.group("inline"):
            return m.group(0) + " " + " ".join(badges[i].html(aside=True) for i in found)
        items = "".join(f"<li>{ident(_label(refs[i][0]))} {badges[i].html()}</li>" for i in found)
        return m.group(0) + f'<ul class="gates-endpoint-list">{items}</ul>'

    marked = _CODE.sub(mark, html)
    summary = _summary(v, doc, refs, badges)
    head = marked.find("</h1>")
    return marked[: head + 5] + summary + marked[head + 5 :] if head >= 0 else summary + marked


def _summary(v: View, doc: str, refs: list[tuple[EndpointRef, DriftRow]], badges: list[Doctrine]) -> str:
    """Every endpoint the page names, as the catalog and the doctrine see it today; its drift errors first."""
    errors = [f for f in v.report.findings if f.family == "DRIFT" and f.path == doc and f.severity.value == "error"]
    rows = [
        [esc(ref.line), ident(_label(ref)), d.html(), esc(", ".join(row.services) or "none")]
        for (ref, row), d in zip(refs, badges, strict=True)
    ]
    kinds = [d.kind for d in badges]
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))
    body = (
        (v.findings_table(errors) if errors else "")
        + f"<p>Checked on {esc(v.ctx.today.isoformat())} against the shipped catalog and the program's endpoint "
        f"doctrine: {esc(counts)}.</p>"
        + table(["line", "endpoint", "doctrine", "shipped by"], rows, "gates-runbook-endpoints")
    )
    title = f"This runbook names {len(refs)} endpoint{'s' if len(refs) != 1 else ''}"
    if errors:
        title += f"; {len(errors)} drift error{'s' if len(errors) != 1 else ''}"
    return f'<div class="gates gates-runbook-summary">{admonition("danger" if errors else "info", title, body)}</div>'
