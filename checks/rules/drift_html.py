"""DRIFT013: runbooks are text; raw HTML that could run script or frame another page is refused.

The site shows such HTML as text on every page that is not a dashboard page, but a runbook is also
read on GitHub, in editors and in other renderers: the pull request that adds it is where it is
stopped. Every pattern here is linear in the line (no nested repeats, possessive runs), so a huge
or hostile runbook costs time in proportion to its size.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.endpoints.runbooks import MAX_DOC_BYTES
from checks.load.files import Unreadable, read_regular

# Elements that run script, load another document, or change where links and forms go.
_ELEMENT = re.compile(r"</?(script|iframe|frame|frameset|object|embed|applet|base|meta|form)(?=[\s/>]|$)", re.I)
_TAG = re.compile(r"<[A-Za-z][^<>]*+>?+")  # one tag, to its '>' or the end of the line
_HANDLER = re.compile(r"(?:^|[\s/\"'`])(on[a-z]++)[\x00-\x20]*+=", re.I)
# After decoding character references and dropping tab/CR/LF (as browsers do in URLs): a script URL
# as an attribute value, a Markdown link or image target, or a link reference definition.
_SCRIPT_URL = r"(?:java|vb)script:"
_ATTR_URL = re.compile(r"=[\x00-\x20]*+[\"'`]?+[\x00-\x20]*+" + _SCRIPT_URL, re.I)
_MD_URL = re.compile(
    r"\]\([\x00-\x20]*+<?+[\x00-\x20]*+" + _SCRIPT_URL + r"|^ {0,3}\[[^\]]++\]:[\x00-\x20]*+<?+" + _SCRIPT_URL, re.I
)
_FENCE = re.compile(r"^ {0,3}(`{3,}+|~{3,}+)")
_RST_RAW = re.compile(r"^\s*+\.\.\s++raw::\s*+html\b", re.I)
MAX_TAG_LINES = 50  # a tag left open carries over at most this many lines of one paragraph


@dataclass(frozen=True)
class RawHtml:
    line: int
    column: int
    what: str


def _blank_code_spans(line: str) -> str:
    """`line` with inline code spans (a backtick run to the next run of the same length) blanked."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`++", line)]
    if not runs:
        return line
    following: list[int | None] = [None] * len(runs)  # the next run of the same length, found in one pass
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i], last[length] = last.get(length), i
    out, i = list(line), 0
    while i < len(runs):
        closer = following[i]
        if closer is None:
            i += 1
            continue
        out[runs[i][0] : runs[closer][1]] = " " * (runs[closer][1] - runs[i][0])
        i = closer + 1
    return "".join(out)


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """`line` with HTML comments blanked, and whether a comment is still open at its end (one pass)."""
    out, pos = [], 0
    while pos < len(line):
        if in_comment:
            end = line.find("-->", pos)
            stop = len(line) if end < 0 else end + 3
            out.append(" " * (stop - pos))
            pos, in_comment = stop, end < 0
        else:
            start = line.find("<!--", pos)
            stop = len(line) if start < 0 else start
            out.append(line[pos:stop])
            pos, in_comment = stop, start >= 0
    return "".join(out), in_comment


class _Scanner:
    """Line by line: fences, comments and code spans are skipped; a tag is judged once its '>' is read."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, str], RawHtml] = {}
        self.pending: list[tuple[int, int, str]] = []  # (line, column offset, text) of a tag not yet closed

    def add(self, line: int, column: int, kind: str, what: str) -> None:
        self.found.setdefault((line, kind), RawHtml(line, column, what))

    def line(self, lineno: int, line: str) -> None:
        for m in _ELEMENT.finditer(line):
            self.add(lineno, m.start() + 1, "element", f"a raw <{m.group(1).lower()}> element")
        pos = 0
        if self.pending:
            close, reopen = line.find(">"), line.find("<")
            if 0 <= reopen < close or (close < 0 and reopen >= 0):
                self.pending = []  # a '<' before any '>': what was opened is text (Markdown reads it so)
        if self.pending:
            if close < 0:
                # A blank line ends the paragraph: what was opened is text, not a tag.
                if not line.strip() or len(self.pending) >= MAX_TAG_LINES:
                    self.pending = []
                else:
                    self.pending.append((lineno, 0, line))
                return
            self.tag([*self.pending, (lineno, 0, line[: close + 1])])
            self.pending, pos = [], close + 1
        for m in _TAG.finditer(line, pos):
            if m.group().endswith(">"):
                self.tag([(lineno, m.start(), m.group())])
            else:
                self.pending = [(lineno, m.start(), m.group())]

    def tag(self, parts: list[tuple[int, int, str]]) -> None:
        for lineno, offset, text in parts:
            handler = _HANDLER.search(text)
            if handler:
                self.add(
                    lineno, offset + handler.start(1) + 1, "handler", f"an event-handler attribute {handler.group(1)}="
                )
        # Browsers drop line breaks inside a URL, so the parts are read as one.
        if _ATTR_URL.search(_decoded("".join(text for _, _, text in parts))):
            self.add(parts[0][0], parts[0][1] + 1, "url", "a javascript: or vbscript: URL in an attribute")


def find_raw_html(text: str, rst: bool = False) -> list[RawHtml]:
    """Raw HTML in a runbook that could run script, outside code blocks, code spans and comments."""
    if rst:
        return [
            RawHtml(n, raw.index("..") + 1, "a `.. raw:: html` block")
            for n, raw in enumerate(text.splitlines(), 1)
            if _RST_RAW.match(raw)
        ]
    scan = _Scanner()
    fence: str | None = None
    in_comment = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        fenced = _FENCE.match(raw)
        if fenced and not in_comment:
            marker = fenced.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        line, in_comment = _strip_comments(raw, in_comment)
        line = _blank_code_spans(line)
        scan.line(lineno, line)
        if "](" in line or "]:" in line:
            found = _MD_URL.search(_decoded(line))
            if found:
                scan.add(lineno, 1, "url", "a javascript: or vbscript: URL as a link target")
    return sorted(scan.found.values(), key=lambda f: (f.line, f.column))


def _decoded(text: str) -> str:
    """Character references decoded and tab/CR/LF dropped, as a browser reads a URL in an attribute."""
    return re.sub(r"[\t\r\n]", "", html.unescape(text)) if "&" in text or "\t" in text else text


@rule("DRIFT013", "runbook-raw-html", Severity.ERROR, needs=("drift",))
def runbook_raw_html(ctx: Context) -> Iterator[Problem]:
    """Runbooks must be text: no raw HTML that runs script, frames another page or redirects.

    `<script>`, `<iframe>`, `<object>`, `<embed>`, `<base>`, `<meta>` and `<form>` elements, `on…=`
    event-handler attributes and `javascript:` links (also when written with character references
    or split by tabs) are refused outside code blocks and code spans; in reStructuredText, a
    `.. raw:: html` block. Show markup as an example in a fenced code block. A runbook cannot
    suppress this rule.

    Pass:
    ````markdown
    ```html
    <script src="/x.js"></script>
    ```
    ````
    Fail:
    ```markdown
    <img src="x" onerror="alert(1)"> [click](javascript:alert(1))
    ```
    """
    sources = {k: v for k, v in ctx.source_paths.items() if v is not None}
    for doc in ctx.drift.runbooks.docs:
        head, sep, rel = doc.partition(":")
        base = sources.get(head) if sep else None
        base, rel = (base, rel) if base is not None else (ctx.root, doc)
        if sep and head in ctx.source_paths and base is ctx.root:
            continue  # a runbook replayed from an absent source's record: its text is not here
        try:
            raw = read_regular(base / rel, MAX_DOC_BYTES, within=base)
        except Unreadable:
            continue  # DRIFT008 reports a runbook that cannot be read
        if raw is None:
            continue
        text = raw.decode("utf-8-sig", errors="replace")
        for found in find_raw_html(text, rst=rel.endswith(".rst")):
            yield Problem(
                doc,
                found.line,
                found.column,
                f"{found.what}: runbooks are text, and raw HTML that could run script is refused; remove "
                "it or show it in a fenced code block",
            )
