"""What a guard scan finds: hits, suppressions, and the per-source and overall scan results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Hit:
    source: str
    path: str
    line: int
    column: int
    guard: str
    text: str
    line_text: str = field(compare=False)


@dataclass(frozen=True)
class Suppression:
    source: str
    path: str
    line: int
    guard: str
    reason: str
    text: str


@dataclass
class SourceScan:
    source: str
    root: Path
    mode: str  # "git" or "walk"
    engine: str  # "ripgrep" or "python"
    files_scanned: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    hits: list[Hit] = field(default_factory=list)
    suppressed: list[tuple[Hit, Suppression]] = field(default_factory=list)
    unreasoned: list[Hit] = field(default_factory=list)
    # ripgrep skips binary, oversized and symlinked files without telling how many.
    skip_counts: bool = True
    # Hits per guard that fell in test code and were not counted (guards with test_code: exclude).
    test_code: Counter[str] = field(default_factory=Counter)


@dataclass
class GuardScan:
    sources: dict[str, SourceScan | None]

    @property
    def hits(self) -> list[Hit]:
        """All hits, sorted once: kept until a source's scan is replaced or its hit list changes."""
        key = tuple((name, id(s), id(s.hits) if s else 0, len(s.hits) if s else 0) for name, s in self.sources.items())
        cached = self.__dict__.get("_sorted")
        if cached is None or cached[0] != key:
            cached = (key, sorted(h for s in self.sources.values() if s for h in s.hits))
            self.__dict__["_sorted"] = cached
        return list(cached[1])

    @property
    def suppressions(self) -> list[tuple[Hit, Suppression]]:
        return [x for s in self.sources.values() if s for x in s.suppressed]
