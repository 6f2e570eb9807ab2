"""Refuse regular expressions that can take exponential time on hostile input.

Python's `re` backtracks and has no timeout, so a guard like `(a+)+$` could hang a PR check.
A repeat that contains another unbounded repeat is the classic shape; two repeats side by side that
can match the same characters are the polynomial one. Both are refused before the pattern ever runs.
"""

from __future__ import annotations

import importlib
import itertools
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


# Characters a single-character matcher is tried on to tell whether two of them can match the same text.
_PROBE = [chr(c) for c in range(0x250)] + ["\u00a0", "\u2028", "\u3000", "\u0660", "\uff10", "\u4e00"]
_CATEGORIES = {
    name: re.compile(cls)
    for name, cls in (
        ("CATEGORY_DIGIT", r"\d"),
        ("CATEGORY_NOT_DIGIT", r"\D"),
        ("CATEGORY_SPACE", r"\s"),
        ("CATEGORY_NOT_SPACE", r"\S"),
        ("CATEGORY_WORD", r"\w"),
        ("CATEGORY_NOT_WORD", r"\W"),
    )
}


def _one_char(op: Any, av: Any, ch: str) -> bool:
    """Whether the single-character matcher (op, av) matches `ch` (unknown kinds count as matching)."""
    code = ord(ch)
    if op == _c.LITERAL:
        return bool(code == av)
    if op == _c.NOT_LITERAL:
        return bool(code != av)
    if op == _c.RANGE:
        return bool(av[0] <= code <= av[1])
    if op == _c.CATEGORY:
        found = _CATEGORIES.get(str(av))
        return found is None or found.match(ch) is not None
    if op == _c.IN:
        negate = any(o == _c.NEGATE for o, _ in av)
        return negate != any(_one_char(o, a, ch) for o, a in av if o != _c.NEGATE)
    return True  # ANY, and anything not told apart here


def _char_class(sub: Any) -> tuple[Any, Any] | None:
    """The repeat's body when it is one character matcher (`\\s`, `[a-z]`, `.`), else None."""
    items = list(sub)
    if len(items) == 1 and items[0][0] in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
        return items[0]  # type: ignore[no-any-return]
    return None


def _adjacent(items: Any) -> bool:
    """Whether two repeats side by side can match the same characters (`\\s*\\s*`, `[a-z]+[a-z0-9]*`): the
    engine tries every split of a run between them, polynomial time that grows with each such repeat."""
    items = list(items)
    for (op1, av1), (op2, av2) in itertools.pairwise(items):
        if op1 in _REPEATS and op2 in _REPEATS and _many(av1[1]) and _many(av2[1]):
            one, two = _char_class(av1[2]), _char_class(av2[2])
            if one and two and any(_one_char(*one, ch) and _one_char(*two, ch) for ch in _PROBE):
                return True
    for op, av in items:
        inner = [av[2]] if op in _REPEATS else _children(op, av)
        if any(_adjacent(child) for child in inner):
            return True
    return False


def _many(hi: int) -> bool:
    return bool(hi == _UNBOUNDED or hi >= 10)


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
    if _adjacent(parsed):
        return (
            "has two repeats side by side that can match the same characters (like '\\s*\\s*' or "
            "'[a-z]+[a-z0-9]*'), which can take polynomial time on a long line; merge them into one"
        )
    return None
