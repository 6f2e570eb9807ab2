"""Code that runs only under a condition: the `if` branches and `#[cfg(...)]` items routes are registered in.

A route registered inside `if config.legacy_enabled { … }` ships only when that switch is on; the
catalog records the condition so a program can decide whether such routes count as shipped. Rust is
parsed with the tree-sitter grammar (the same parse test code is told apart with); Python blocks are
read from indentation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# (start, end, condition): character offsets of a span that runs only when `condition` holds.
Span = tuple[int, int, str]


@lru_cache(maxsize=1)
def _query() -> Any:
    from tree_sitter import Query, QueryCursor

    from checks.scan.testcode import rust_language

    return QueryCursor(Query(rust_language(), "(if_expression) @if (attribute_item) @attribute"))


def _clean(text: str) -> str:
    return " ".join(text.split())


def rust_conditions(text: str) -> list[Span]:
    """The conditional spans of a Rust file: `if` branches (the else branch as `not (…)`) and cfg'd items."""
    from checks.scan.testcode import parse_rust

    source = text.encode("utf-8", errors="surrogatepass")
    if b"if" not in source and b"cfg" not in source:
        return []
    tree = parse_rust(source)
    chars = (lambda b: b) if text.isascii() else (lambda b: len(source[:b].decode("utf-8", errors="ignore")))

    def node_text(node: Any) -> str:
        return _clean(source[node.start_byte : node.end_byte].decode("utf-8", errors="replace"))

    spans: list[Span] = []
    captures = _query().captures(tree.root_node)
    for node in captures.get("if", []):
        condition = node.child_by_field_name("condition")
        if condition is None:
            continue
        said = node_text(condition)
        body = node.child_by_field_name("consequence")
        if body is not None:
            spans.append((chars(body.start_byte), chars(body.end_byte), said))
        other = node.child_by_field_name("alternative")
        if other is not None:
            spans.append((chars(other.start_byte), chars(other.end_byte), f"not ({said})"))
    for node in captures.get("attribute", []):
        said = node_text(node).removeprefix("#[").removesuffix("]").strip()
        if not said.startswith("cfg(") or re.match(r"cfg\(\s*(?:all\(\s*)?test\b", said):
            continue  # test items are not part of the service at all (see checks.scan.testcode)
        item = node.next_sibling
        while item is not None and item.type in ("attribute_item", "line_comment", "block_comment"):
            item = item.next_sibling
        if item is not None:
            spans.append((chars(item.start_byte), chars(item.end_byte), said))
    return sorted(spans)


_PY_BLOCK = re.compile(r"^([ \t]*)(if|elif|else)\b(.*?):\s*(?:#.*)?$")


def python_condition(text: str, pos: int) -> str:
    """The `if`/`elif`/`else` conditions enclosing the line at `pos`, outermost first ("" when none)."""
    lines = text[:pos].split("\n")
    indent = len(lines[-1]) - len(lines[-1].lstrip())
    found: list[str] = []
    above = lines[:-1]
    for n in range(len(above) - 1, -1, -1):
        line = above[n]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(line.lstrip())
        if depth >= indent:
            continue
        indent = depth
        m = _PY_BLOCK.match(line)
        if m and m.group(2) == "else":
            # The branch runs when the `if` it closes did not: name that condition.
            opener = next(
                (o for o in map(_PY_BLOCK.match, reversed(above[:n])) if o and len(o.group(1)) == depth), None
            )
            found.append(f"not ({_clean(opener.group(3))})" if opener and opener.group(2) != "else" else "else")
        elif m:
            found.append(_clean(m.group(3)))
        if depth == 0:
            break
    return " and ".join(reversed(found))


def enclosing(spans: list[Span], pos: int) -> str:
    """The conditions of the spans holding `pos`, outermost first, joined with "and" ("" when none)."""
    return " and ".join(c for start, end, c in spans if start <= pos < end)


def both(outer: str, inner: str) -> str:
    return " and ".join(c for c in (outer, inner) if c)
