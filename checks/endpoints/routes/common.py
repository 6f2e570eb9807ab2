"""Shared pieces of route extraction: the Route and SourceFile records and a bracket-aware text scanner."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Route:
    path: str
    method: str
    file: str
    line: int
    # The switch the route is registered under ("" when always): `cfg.legacy_enabled`, `cfg(feature = "x")`.
    condition: str = ""


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the source root
    text: str


def line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def join_path(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if path in ("", "/"):
        return prefix.rstrip("/") or "/"
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def skip_string(text: str, i: int) -> int:
    """Index after the string or char literal starting at `i` (Rust, Python and JS quoting)."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j + 1
        if quote == "'" and j - i > 3 and text[i:].startswith("'") and c == "\n":
            return i + 1  # a Rust lifetime, not a char literal
        j += 1
    return j


def balanced(text: str, open_at: int) -> int:
    """Index of the bracket that closes the one at `open_at`, skipping strings and comments."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack = [pairs[text[open_at]]]
    i = open_at + 1
    while i < len(text) and stack:
        c = text[i]
        if c in '"`':
            i = skip_string(text, i)
            continue
        if c == "'" and i + 2 < len(text) and (text[i + 2] == "'" or text[i + 1] == "\\"):
            i = skip_string(text, i)
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return len(text) - 1


def split_args(args: str) -> list[str]:
    out, depth, start, i = [], 0, 0, 0
    while i < len(args):
        c = args[i]
        if c in '"`':
            i = skip_string(args, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(args[start:i])
            start = i + 1
        i += 1
    out.append(args[start:])
    return [a.strip() for a in out]
