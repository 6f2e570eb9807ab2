"""The rules, by family (a family may span two modules); importing this package registers every rule."""

from checks.core.registry import Rule, registered
from checks.core.registry import resolve_codes as _resolve_codes
from checks.rules import (
    data,
    data_adr,
    data_dates,
    data_placeholders,
    drift,
    drift_docs,
    drift_html,
    evidence,
    exceptions,
    exceptions_dates,
    guards,
    records,
)

__all__ = [
    "all_rules",
    "data",
    "data_adr",
    "data_dates",
    "data_placeholders",
    "drift",
    "drift_docs",
    "drift_html",
    "evidence",
    "exceptions",
    "exceptions_dates",
    "guards",
    "records",
    "resolve_codes",
]


def all_rules() -> list[Rule]:
    """The whole rule catalog, in order: families as in the design, codes ascending."""
    return registered()


def resolve_codes(spec: str) -> set[str]:
    """Codes named by a `--select`/`--ignore` value: codes, slugs or families, comma separated."""
    return _resolve_codes(spec, all_rules())
