"""HTML helpers: escaping, safe links, tables and coloured badges for the dashboard pages.

Every string that comes from data passes through `esc`; links from data are emitted only when
they are http(s) URLs. The output is one compact HTML block per macro (no blank lines), so
Markdown passes it through untouched and never interprets data as Markdown.
"""

from __future__ import annotations

import re
from html import escape

from checks.site.palette import (
    FALLBACK,
    INFO,
    LABEL_COLOURS,
    RESULT_COLOURS,
    SEVERITY_COLOURS,
    STATE_COLOURS,
    STATUS_COLOURS,
)

_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+\Z")


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def link(url: str, text: str | None = None) -> str:
    """An anchor for http(s) URLs only; anything else is shown as inert text."""
    label = esc(text if text is not None else url)
    if _SAFE_URL.match(url or ""):
        return f'<a href="{esc(url)}" rel="noopener nofollow">{label}</a>'
    return f"<code>{label}</code>" if url else ""


def ident(value: object) -> str:
    """An identifier (path, endpoint, pattern) as code that may wrap only after a `/`, never mid-word."""
    segments = re.findall(r"[^/]*/|[^/]+", "" if value is None else str(value))
    return '<code class="gates-id">' + "<wbr>".join(f"<span>{esc(s)}</span>" for s in segments) + "</code>"


def admonition(kind: str, title: str, body: str) -> str:
    """A Material admonition (note, info, warning, danger); `title` is escaped, `body` is HTML."""
    return f'<div class="admonition {esc(kind)}"><p class="admonition-title">{esc(title)}</p>{body}</div>'


def block(*parts: str) -> str:
    html = "".join(parts)
    return '<div class="gates">' + html.replace("\n", " ") + "</div>"


# Tables longer than this are left out of the site search index (see `table`).
SEARCH_INDEX_MAX_ROWS = 200


def table(headers: list[str], rows: list[list[str]], cls: str = "", sortable: bool = False) -> str:
    """A table; `sortable` ones get header sort buttons and a row filter from docs/assets/gates-tables.js."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    marker = " data-gates-sortable" if sortable else ""
    # A bulk table stays out of the site search index: the search plugin's indexing is quadratic in a
    # page's markup, and such a table is found with its own filter box instead.
    unindexed = " data-search-exclude" if len(rows) > SEARCH_INDEX_MAX_ROWS else ""
    # The wrapper scrolls a wide table inside the content column instead of widening the page on a phone.
    table = f'<table class="gates-table {cls}"{marker}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="gates-scroll"{unindexed}>{table}</div>'


def badge(text: str, colour: str) -> str:
    return f'<span class="gates-badge" style="background:{colour}">{esc(text)}</span>'


def status_badge(status: str) -> str:
    """An invariant status: closed, open, at-risk, violated."""
    return badge(status, STATUS_COLOURS.get(status, FALLBACK))


def state_badge(state: str) -> str:
    """An exception state: active, expiring, expired, stale, invalid, retired."""
    return badge(state, STATE_COLOURS.get(state, FALLBACK))


def result_badge(result: str) -> str:
    """An evidence check result: verified, missing, broken, refused, unchecked, shown."""
    return badge(result, RESULT_COLOURS.get(result, FALLBACK))


def severity_badge(severity: str) -> str:
    """A finding severity: error, warning, info."""
    return badge(severity, SEVERITY_COLOURS.get(severity, INFO))


def label_badge(label: str) -> str:
    """A yes/no label such as shipped, documented or covered."""
    return badge(label, LABEL_COLOURS.get(label, FALLBACK))


def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", text.lower())
