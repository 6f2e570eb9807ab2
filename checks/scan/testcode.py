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
def _rust_parser() -> Any:
    import tree_sitter_rust
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_rust.language()))


def rust_test_lines(source: bytes) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of Rust items marked as test code (attribute through item end)."""
    tree = _rust_parser().parse(source)
    spans: list[tuple[int, int]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        children = node.children
        i = 0
        while i < len(children):
            child = children[i]
            if child.type == "attribute_item" and _is_test_attribute(source, child):
                j = i + 1
                while j < len(children) and children[j].type in ("attribute_item", "line_comment", "block_comment"):
                    j += 1
                end = children[j] if j < len(children) else child
                spans.append((child.start_point[0] + 1, end.end_point[0] + 1))
                i = j + 1
                continue
            if child.child_count:
                stack.append(child)
            i += 1
    return sorted(spans)


def _is_test_attribute(source: bytes, node: Any) -> bool:
    attribute = next((c for c in node.children if c.type == "attribute"), None)
    if attribute is None:
        return False
    text = source[attribute.start_byte : attribute.end_byte].decode("utf-8", errors="replace")
    return bool(_TEST_ATTRIBUTE.match(" ".join(text.split())))


def in_spans(line: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= line <= end for start, end in spans)
