"""Refuse regular expressions that can take exponential time on hostile input.

Python's `re` backtracks and has no timeout, so a guard like `(a+)+$` could hang a PR check.
A repeat that contains another unbounded repeat is the classic shape; it is refused before the
pattern ever runs.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The parser is internal to `re` (typeshed has no stubs for it); it is stable across 3.11+.
_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_UNBOUNDED = _c.MAXREPEAT


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns of one parsed node (groups, branches, lookarounds)."""
    if op == _c.SUBPATTERN:
        return [av[-1]]
    if op == _c.BRANCH:
        return list(av[1])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [av[1]]
    return []


def _repeats(items: Any) -> bool:
    """Whether the pattern can match a run of unbounded or multiple repetitions anywhere inside."""
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, sub = av
            if hi == _UNBOUNDED or hi > 1 or _repeats(sub):
                return True
        elif any(_repeats(child) for child in _children(op, av)):
            return True
    return False


def _nested(items: Any) -> bool:
    """Whether an unbounded repeat contains another repeat: the shape that backtracks exponentially."""
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, sub = av
            if (hi == _UNBOUNDED and _repeats(sub)) or _nested(sub):
                return True
        elif any(_nested(child) for child in _children(op, av)):
            return True
    return False


def unsafe_regex(pattern: str, flags: int = 0) -> str | None:
    """Why `pattern` is refused, or None when it is safe to run."""
    if len(pattern) > 2000:
        return "is longer than 2,000 characters"
    try:
        parsed = _p.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression: {exc}"
    if _nested(parsed):
        return "nests an unbounded repeat inside another (like '(a+)+'), which can take exponential time; simplify it"
    return None
