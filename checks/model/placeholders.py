"""Placeholder text that is not data: TODO markers, sample hosts and the skeleton's own filler.

`gates exception new` writes such text on purpose; an entry that still holds any of it is refused
(DATA006) and, for an exception, waives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from checks.load.document import Pointer

# Upper-case markers only: "todo" in prose is not a marker. Sample hosts per RFC 2606.
_MARKER = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX|NNN)\b|\b(?:[a-z0-9-]+\.)*example\.(?:com|org|net)\b",
    re.ASCII,
)
# Owners that stand for "whoever runs the command", never a real owner.
_PLACEHOLDER_OWNERS = frozenset({"@me", "me", "@you", "@someone", "@owner"})


def placeholder_in(value: str, field: str = "") -> str | None:
    """The placeholder text in `value`, or None when there is none."""
    if field in ("owner", "approver") and value.strip().lower() in _PLACEHOLDER_OWNERS:
        return value.strip()
    match = _MARKER.search(value)
    return match.group(0) if match else None


def placeholders(value: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, str]]:
    """Every string inside `value` (mappings and lists walked) that holds a placeholder, with its pointer."""
    stack: list[tuple[Pointer, Any]] = [(pointer, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            stack.extend(((*where, str(k)), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, str):
            found = placeholder_in(item, field_of(where))
            if found is not None:
                yield where, found


def field_of(pointer: Pointer) -> str:
    """The name of the field a pointer ends in (list positions skipped): ("rollback", 0) -> "rollback"."""
    return next((str(p) for p in reversed(pointer) if isinstance(p, str)), "value")
