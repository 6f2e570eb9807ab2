"""Shared pieces of route extraction: the Route and SourceFile records and a bracket-aware text scanner."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache


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


# Where a scan must look again: quotes, comment starts and brackets. Everything between is skipped by the
# regex engine, not one character at a time (route files run to hundreds of kilobytes).
_SCAN_STOP = re.compile(r"[\"`'/(){}\[\]]")
_STRING_STOP = {'"': re.compile(r'[\\"]'), "`": re.compile(r"[\\`]"), "'": re.compile(r"[\\'\n]")}
_PAIRS = {"(": ")", "{": "}", "[": "]"}


def skip_string(text: str, i: int) -> int:
    """Index after the string or char literal starting at `i` (Rust, Python and JS quoting)."""
    quote = text[i]
    stop = _STRING_STOP.get(quote) or re.compile("[\\\\" + re.escape(quote) + "]")
    j = i + 1
    while True:
        m = stop.search(text, j)
        if m is None:
            return max(j, len(text))  # as far as the text goes (past it after a trailing backslash)
        j = m.start()
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j + 1
        if j - i > 3:
            return i + 1  # a newline inside '…': a Rust lifetime, not a char literal
        j += 1


def _scan(text: str, i: int, on_bracket: Callable[[int, str], bool]) -> int:
    """Walk code from `i`, skipping strings and comments; `on_bracket(pos, char)` returns True to stop there."""
    n = len(text)
    while True:
        m = _SCAN_STOP.search(text, i)
        if m is None:
            return n
        i = m.start()
        c = text[i]
        if c in '"`':
            i = skip_string(text, i)
        elif c == "'":
            i = skip_string(text, i) if i + 2 < n and (text[i + 2] == "'" or text[i + 1] == "\\") else i + 1
        elif c == "/":
            if text.startswith("//", i):
                end = text.find("\n", i)
                i = n if end == -1 else end
            elif text.startswith("/*", i):
                end = text.find("*/", i + 2)
                i = n if end == -1 else end + 2
            else:
                i += 1
        elif on_bracket(i, c):
            return i
        else:
            i += 1


@lru_cache(maxsize=16)
def _bracket_pairs(text: str) -> dict[int, int]:
    """Each code bracket of the file and the one that closes it: one pass, shared by every lookup."""
    pairs: dict[int, int] = {}
    stack: list[tuple[int, str]] = []

    def visit(pos: int, c: str) -> bool:
        if c in _PAIRS:
            stack.append((pos, _PAIRS[c]))
        elif stack and c == stack[-1][1]:
            pairs[stack.pop()[0]] = pos
        return False

    _scan(text, 0, visit)
    for pos, _closer in stack:
        pairs[pos] = len(text) - 1  # never closed: as far as the text goes
    return pairs


def balanced(text: str, open_at: int) -> int:
    """Index of the bracket that closes the one at `open_at`, skipping strings and comments."""
    known = _bracket_pairs(text).get(open_at)
    if known is not None:
        return known
    # Not a code bracket as read from the file's start (inside a string or comment, say): scan from it.
    stack = [_PAIRS[text[open_at]]]

    def visit(pos: int, c: str) -> bool:
        if c in _PAIRS:
            stack.append(_PAIRS[c])
        elif c == stack[-1]:
            stack.pop()
        return not stack

    end = _scan(text, open_at + 1, visit)
    return end if end < len(text) else len(text) - 1


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
