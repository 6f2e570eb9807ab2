"""Rendered HTML of a docs page written back canonically, with no URL, attribute or element that runs script."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# Elements that run, frame, redirect, submit or restyle: shown as text. Their content is text as well,
# so the raw-text rules of <script> and <style> never apply to what is written back.
ACTIVE_ELEMENTS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form"}
)
# Attributes a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "ping", "codebase"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]+")  # browsers drop tabs and newlines anywhere, and trim the rest
_SCHEME = re.compile(r"([^/?#]*?):")


def safe_url(value: str) -> bool:
    """True for a relative URL, an anchor, or an http, https or mailto URL, after decoding (the parser
    decodes character references in attribute values) and dropping whitespace and control characters."""
    m = _SCHEME.match(_IGNORED.sub("", value))
    return m is None or m.group(1).lower() in SAFE_SCHEMES


def _attribute(name: str, value: str | None) -> str | None:
    if name.startswith("on") or name == "srcdoc" or not re.fullmatch(r"[a-z_:][-a-z0-9_:.]*", name):
        return None
    if value is None:
        return name
    if name in URL_ATTRIBUTES and not safe_url(value):
        return None
    return f'{name}="{escape(value, quote=True)}"'


class _Writer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # text keeps its character references as written
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        if tag in ACTIVE_ELEMENTS or not re.fullmatch(r"[a-z][a-z0-9-]*", tag):
            self.out.append(escape(self.get_starttag_text() or f"<{tag}>"))
            return
        kept = [a for a in (_attribute(n, v) for n, v in attrs) if a is not None]
        self.out.append(f"<{tag}{''.join(' ' + a for a in kept)}{close}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag: str) -> None:
        if tag in ACTIVE_ELEMENTS or not re.fullmatch(r"[a-z][a-z0-9-]*", tag):
            self.out.append(escape(f"</{tag}>"))
        else:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    # Comments, declarations and processing instructions are dropped.


def sanitise(html: str) -> str:
    """The same content, every tag and attribute rewritten from what the parser saw (so a browser parses
    what was checked), text escaped, and nothing left that runs script or loads a non-web URL."""
    writer = _Writer()
    writer.feed(html)
    writer.close()
    return "".join(writer.out)
