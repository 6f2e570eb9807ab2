"""The finding value every rule produces and every reporter formats."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """What a rule yields: where and what, without code or severity (the engine adds those)."""

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    subject: str = ""
    invariant: str = ""


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    subject: str = ""
    invariant: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.path, self.line, self.column, self.code, self.subject, self.message)

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def as_dict(self) -> dict[str, str | int]:
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "subject": self.subject,
            "invariant": self.invariant,
        }
