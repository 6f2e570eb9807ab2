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


def _has_unbounded_repeat(items: Any) -> bool:
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, sub = av
            if hi == _UNBOUNDED or hi > 1 or _has_unbounded_repeat(sub):
                return True
        elif op == _c.SUBPATTERN:
            if _has_unbounded_repeat(av[-1]):
                return True
        elif op == _c.BRANCH:
            if any(_has_unbounded_repeat(branch) for branch in av[1]):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT) and _has_unbounded_repeat(av[1]):
            return True
    return False


def _nested(items: Any) -> bool:
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, sub = av
            if hi == _UNBOUNDED and _has_unbounded_repeat(sub):
                return True
            if _nested(sub):
                return True
        elif op == _c.SUBPATTERN:
            if _nested(av[-1]):
                return True
        elif op == _c.BRANCH:
            if any(_nested(branch) for branch in av[1]):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT) and _nested(av[1]):
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
