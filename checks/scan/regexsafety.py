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
            lo, hi, sub = av
            # Unbounded, several, or optional (`a?`): each gives the engine a choice to backtrack over.
            if hi == _UNBOUNDED or hi > 1 or lo < hi or _repeats(sub):
                return True
        elif any(_repeats(child) for child in _children(op, av)):
            return True
    return False


def _branches(items: Any) -> bool:
    """Whether the pattern holds an alternation (`a|aa`) anywhere inside."""
    return any(op == _c.BRANCH or any(_branches(child) for child in _children(op, av)) for op, av in items)


def _nested(items: Any) -> bool:
    """Whether a repeat holds what makes backtracking explode: another repeat, or an alternation whose
    branches may match the same text (`(a|a)*`, `(a|aa)+`) — refused, since telling safe alternations
    apart is not worth the risk. A counted repeat of many repetitions counts like an unbounded one
    (`(?:a?){30}`)."""
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, sub = av
            many = hi == _UNBOUNDED or hi >= 10
            if (many and (_repeats(sub) or _branches(sub))) or _nested(sub):
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
        return (
            "repeats a repeat or an alternation (like '(a+)+' or '(a|aa)*'), which can take exponential time; "
            "simplify it"
        )
    return None
