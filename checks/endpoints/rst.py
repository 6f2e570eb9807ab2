"""reStructuredText runbooks, read with docutils: literals, literal and code blocks, http directives, links.

What docutils finds is handed to the same line extractor the Markdown runbooks use, at the line and
column where it stands in the source, so a finding in an `.rst` runbook points where a reader looks.
Suppression is an rST comment: `.. gates: ignore DRIFT001 reason="why"`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

from checks.endpoints.runbooks import DocSuppression, FileRef, RunbookScan, extract_line

_IGNORE = re.compile(r"^gates:\s*ignore\s+([A-Z]+[0-9]{3}(?:\s*,\s*[A-Z]+[0-9]{3})*)(?:\s+reason\s*=\s*\"([^\"]*)\")?")
# sphinxcontrib-httpdomain path parameters, `(int:id)` or `(id)`, are one segment each.
_HTTP_PARAM = re.compile(r"\((?:[A-Za-z_]+:)?([A-Za-z_][A-Za-z0-9_]*)\)")
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


@lru_cache(maxsize=1)
def _parser() -> tuple[Any, Any]:
    """A docutils parser that knows Sphinx's code-block and sphinxcontrib-httpdomain's http:<method>."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Directive, Parser, directives

    class Code(Directive):
        optional_arguments = 1
        has_content = True
        option_spec: ClassVar[dict[str, Any]] = {
            k: directives.unchanged for k in ("caption", "linenos", "emphasize-lines", "name", "dedent", "class")
        }

        def run(self) -> list[Any]:
            text = "\n".join(self.content)
            node = nodes.literal_block(text, text)
            # `:class: example` marks the block as an illustration: nothing in it is checked.
            node["example"] = "example" in self.options.get("class", "").split()
            node.line = self.content_offset + 1
            return [node]

    class Http(Directive):
        required_arguments = 1
        final_argument_whitespace = True
        has_content = True
        option_spec: ClassVar[dict[str, Any]] = {
            "noindex": directives.flag,
            "deprecated": directives.flag,
            "synopsis": directives.unchanged,
        }

        def run(self) -> list[Any]:
            node = nodes.literal_block(self.arguments[0], self.arguments[0])
            node["http"] = self.name.split(":", 1)[1].upper()
            node.line = self.lineno
            return [node]

    for name in ("code-block", "sourcecode", "code"):
        directives.register_directive(name, Code)
    for method in HTTP_METHODS:
        directives.register_directive(f"http:{method}", Http)
    settings = get_default_settings(Parser)
    settings.report_level = 5  # unknown roles and directives are not our findings
    settings.halt_level = 5
    settings.file_insertion_enabled = False  # `.. include::` and `.. raw:: file` never read other files
    settings.raw_enabled = False
    return Parser(), settings


def _find(lines: list[str], needle: str, start: int) -> tuple[int, int]:
    """(line, column), 1-based, of `needle` at or after line `start`; the start line when not found."""
    for n in range(max(start, 1), len(lines) + 1):
        col = lines[n - 1].find(needle)
        if col >= 0:
            return n, col + 1
    return max(start, 1), 1


def scan_rst(doc: str, text: str, prefixes: tuple[str, ...], scan: RunbookScan) -> None:
    from docutils import nodes
    from docutils.utils import new_document

    parser, settings = _parser()
    document = new_document(doc, settings)
    parser.parse(text, document)
    lines = text.splitlines()
    inline: set[int] = set()
    for node in document.findall(lambda n: isinstance(n, (nodes.literal, nodes.literal_block, nodes.reference))):
        if isinstance(node, nodes.literal_block):
            start = node.line or 1
            if node.get("http"):
                path = _HTTP_PARAM.sub(r"{\1}", node.astext().strip())
                line, col = _find(lines, node.astext().strip(), start)
                extract_line(doc, line, " " * (col - 1) + f"{node['http']} {path}", False, prefixes, scan)
                continue
            if not node.get("example"):
                _block(doc, node.astext(), lines, start, prefixes, scan)
            continue
        where = node.parent.line if node.parent is not None and node.parent.line else 1
        first = max(1, where - node.parent.rawsource.count("\n") - 1) if node.parent is not None else 1
        if isinstance(node, nodes.literal):
            inline.add(_find(lines, node.astext(), first)[0])
        elif node.get("refuri"):
            uri = node["refuri"]
            line, col = _find(lines, uri, first)
            if re.match(r"^[a-z][a-z0-9+.-]*:", uri) or uri.startswith(("/", "#")):
                inline.add(line)  # a URL or a site path: the line extractor reads it where it stands
            else:
                scan.files.append(FileRef(doc, line, col, uri, "link"))
    # Each line with inline literals is read once, as written: ``code`` spans are inline code there too.
    for line in sorted(inline):
        extract_line(doc, line, lines[line - 1], False, prefixes, scan)
    for node in document.findall(nodes.comment):
        match = _IGNORE.match(node.astext().strip())
        if match:
            codes = tuple(c.strip() for c in match.group(1).split(","))
            scan.suppressions.append(DocSuppression(doc, node.line or 1, codes, (match.group(2) or "").strip()))


def _block(doc: str, body: str, lines: list[str], start: int, prefixes: tuple[str, ...], scan: RunbookScan) -> None:
    """A literal block, line by line; a shell line continued with `\\` is read as one command."""
    pending: list[str] = []
    first = 0
    offset = 0
    for raw in body.splitlines():
        line, col = _find(lines, raw, start + offset) if raw.strip() else (start + offset, 1)
        offset = line - start + 1
        if not pending:
            first = line
        pending.append(raw.rstrip("\\").rstrip() if raw.rstrip().endswith("\\") else raw)
        if raw.rstrip().endswith("\\"):
            continue
        joined = " ".join(pending)
        extract_line(doc, first, " " * max(col - 1, 0) + joined if len(pending) == 1 else joined, True, prefixes, scan)
        pending = []
    if pending:
        extract_line(doc, first, " ".join(pending), True, prefixes, scan)
