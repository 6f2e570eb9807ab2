"""Evidence results: each item's status and detail, and the lookups the rules make over them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from checks.model import Evidence


class EvidenceStatus(enum.StrEnum):
    VERIFIED = "verified"
    MISSING = "missing"
    BROKEN = "broken"
    REFUSED = "refused"
    UNCHECKED = "unchecked"
    SHOWN = "shown"  # a verification command: shown, never run, so neither verified nor failed


# The statuses under their old module-level names; each compares equal to its string.
VERIFIED = EvidenceStatus.VERIFIED
MISSING = EvidenceStatus.MISSING
BROKEN = EvidenceStatus.BROKEN
REFUSED = EvidenceStatus.REFUSED
UNCHECKED = EvidenceStatus.UNCHECKED
SHOWN = EvidenceStatus.SHOWN


@dataclass(frozen=True)
class EvidenceResult:
    evidence: Evidence
    status: EvidenceStatus
    detail: str
    code: str = ""  # the EVID rule that reports it, if any

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED

    @property
    def verifiable(self) -> bool:
        """Whether the checker verifies this item at all (a shown command is never run)."""
        return self.status is not SHOWN

    def as_dict(self) -> dict[str, str]:
        e = self.evidence
        return {
            "id": e.id,
            "invariant": e.invariant,
            "class": e.class_id,
            "kind": e.kind,
            "ref": e.ref,
            "source": e.source,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }


@dataclass
class EvidenceResults:
    results: list[EvidenceResult]
    # Built on first use: the closure asks once per invariant, and a scan of every result per
    # invariant is quadratic on a program with thousands of each.
    _by: dict[tuple[str, str], list[EvidenceResult]] | None = field(default=None, init=False, repr=False, compare=False)

    def _index(self) -> dict[tuple[str, str], list[EvidenceResult]]:
        if self._by is None:
            by: dict[tuple[str, str], list[EvidenceResult]] = {}
            for r in self.results:
                by.setdefault(("invariant", r.evidence.invariant), []).append(r)
                by.setdefault(("class", r.evidence.class_id), []).append(r)
            self._by = by
        return self._by

    def for_invariant(self, invariant: str) -> list[EvidenceResult]:
        return list(self._index().get(("invariant", invariant), ()))

    def for_class(self, class_id: str) -> list[EvidenceResult]:
        return list(self._index().get(("class", class_id), ()))
