"""Where a model value came from, and the lenient readers that turn untrusted YAML into typed values.

Builders never trust the data: a value of the wrong type becomes its default, so a broken file
still yields a model the rules can run on, while the schema problems report what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.load.yamlload import Document, Pointer


@dataclass(frozen=True)
class Where:
    """Where a model value came from: its file and JSON pointer, for findings at the exact line."""

    doc: Document
    pointer: Pointer

    @property
    def path(self) -> str:
        return self.doc.path

    def at(self, *keys: str | int) -> tuple[int, int]:
        return self.doc.loc((*self.pointer, *keys))

    def has(self, *keys: str | int) -> bool:
        return (*self.pointer, *keys) in self.doc.locations


def as_map(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def str_at(data: dict[str, Any], key: str, default: str = "") -> str:
    """The string at `key`, or `default` when it is missing or not a string."""
    value = data.get(key)
    return value if isinstance(value, str) else default


def strs_of(value: Any) -> tuple[str, ...]:
    """The strings of a list, dropping anything else (and nothing for a non-list)."""
    return tuple(v for v in as_list(value) if isinstance(v, str))


def int_at(data: dict[str, Any], key: str, default: int) -> int:
    """The integer at `key` (booleans excluded), or `default`."""
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def num_at(data: dict[str, Any], key: str, default: float) -> float:
    """The number at `key` as a float (booleans excluded), or `default`."""
    value = data.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def bool_at(data: dict[str, Any], key: str, default: bool) -> bool:
    """The boolean at `key`, or `default`."""
    value = data.get(key)
    return value if isinstance(value, bool) else default
