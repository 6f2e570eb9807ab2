"""A loaded YAML document: its value, the line and column of every value, and its load problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadProblem:
    code: str  # DATA001 or DATA002
    line: int
    column: int
    message: str
    # Where in the document it happened (DATA002: the repeated key's path), so a problem can be
    # attributed to the entry that holds it even when several entries share a line.
    pointer: Pointer = ()


@dataclass
class Document:
    """One loaded YAML file: its value, where each value sits, and what went wrong."""

    path: str
    data: Any = None
    locations: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    key_locations: dict[Pointer, tuple[int, int]] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    exists: bool = True

    @property
    def readable(self) -> bool:
        """False when the file could not be parsed into a value (DATA001)."""
        return self.exists and not any(p.code == "DATA001" for p in self.problems)

    def loc(self, pointer: Pointer) -> tuple[int, int]:
        """Line and column of the value at `pointer`, or of its nearest located ancestor."""
        current = tuple(pointer)
        while current:
            if current in self.locations:
                return self.locations[current]
            current = current[:-1]
        return self.locations.get((), (1, 1))

    def key_loc(self, pointer: Pointer) -> tuple[int, int]:
        """Line and column of the key that holds `pointer` (falls back to the value)."""
        return self.key_locations.get(tuple(pointer)) or self.loc(pointer)
