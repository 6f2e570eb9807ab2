"""Test code told apart from retained code: test files by name per language, Rust test items by parsing.

Retained code is what ships; a prohibited symbol in a test that asserts its absence (a test named
`…rejects_legacy_phoenix_frames`) is not retained legacy. Rust keeps unit tests inside the files
they test, so `#[cfg(test)]` items are found with the tree-sitter Rust grammar, not by guessing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from checks.scan.globs import matches_any

# Test files by name or folder, per language. Rust integration tests, benches and examples are not
# part of the shipped crate either.
TEST_FILE_GLOBS = (
    "**/tests.rs",
    "**/*_test.rs",
    "**/*_tests.rs",
    "**/tests/**",
    "**/benches/**",
    "**/examples/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "**/*.test.*",
    "**/*.spec.*",
    "**/__tests__/**",
    "**/*_test.go",
)

# `#[test]`, `#[tokio::test]`, `#[cfg(test)]`, `#[cfg(all(test, …))]` — but not `#[cfg(not(test))]`.
_TEST_ATTRIBUTE = re.compile(r"^(?:(?:[A-Za-z_][A-Za-z0-9_]*::)*test|cfg\(\s*(?:all\(\s*)?test\b.*\))$", re.S)


def is_test_file(path: str) -> bool:
    return matches_any(path, TEST_FILE_GLOBS)


@lru_cache(maxsize=1)
def rust_language() -> Any:
    import tree_sitter_rust
    from tree_sitter import Language

    return Language(tree_sitter_rust.language())


@lru_cache(maxsize=1)
def rust_parser() -> Any:
    from tree_sitter import Parser

    return Parser(rust_language())


@lru_cache(maxsize=8)
def parse_rust(source: bytes) -> Any:
    """The file's syntax tree: parsed once however many questions are asked of it (test code, conditions)."""
    return rust_parser().parse(source)


@lru_cache(maxsize=1)
def _attribute_query() -> Any:
    from tree_sitter import Query, QueryCursor

    return QueryCursor(Query(rust_language(), "(attribute_item) @attribute"))


def rust_test_lines(source: bytes) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of Rust items marked as test code (attribute through item end).

    The attributes are found by a tree-sitter query (in C, linear in the file); a test item's span
    runs from its first test attribute through the item, and spans inside another span are dropped.
    """
    tree = parse_rust(source)
    found: list[tuple[int, int, int, int]] = []  # start byte, end byte, start line, end line
    for node in _attribute_query().captures(tree.root_node).get("attribute", []):
        if not _is_test_attribute(source, node):
            continue
        end = node.next_sibling
        while end is not None and end.type in ("attribute_item", "line_comment", "block_comment"):
            end = end.next_sibling
        last = end if end is not None else node
        found.append((node.start_byte, last.end_byte, node.start_point[0] + 1, last.end_point[0] + 1))
    found.sort(key=lambda f: (f[0], -f[1]))
    spans: list[tuple[int, int]] = []
    reach = -1
    for start, end_byte, first, last_line in found:
        if start < reach:
            continue  # inside a test item already spanned
        reach = end_byte
        spans.append((first, last_line))
    return sorted(spans)


def _is_test_attribute(source: bytes, node: Any) -> bool:
    attribute = next((c for c in node.children if c.type == "attribute"), None)
    if attribute is None:
        return False
    text = source[attribute.start_byte : attribute.end_byte].decode("utf-8", errors="replace")
    return bool(_TEST_ATTRIBUTE.match(" ".join(text.split())))


# A superset of the test attributes, as text: no test item starts above the first line it matches.
_MAYBE_TEST_ATTRIBUTE = re.compile(rb"#\s*\[[^\]]*\btest\b")


def first_test_line(source: bytes) -> int | None:
    """The first line a Rust test item could start on, or None when the file has no test attribute at all.

    Lines above it are retained code without parsing the file (a test item spans from its attribute down).
    """
    match = _MAYBE_TEST_ATTRIBUTE.search(source)
    return None if match is None else source.count(b"\n", 0, match.start()) + 1


def in_spans(line: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= line <= end for start, end in spans)
