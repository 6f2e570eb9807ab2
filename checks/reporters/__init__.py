"""Output formats: each module formats a finished report and does nothing else."""

from __future__ import annotations

from collections.abc import Callable

from checks.engine import Report
from checks.reporters import github, json_format, text

Formatter = Callable[[Report], str]

FORMATS: dict[str, Formatter] = {
    "text": text.format_report,
    "json": json_format.format_report,
    "github": github.format_report,
}


def write_side_outputs(fmt: str, report: Report) -> None:
    """Extra files some formats write by convention (none yet beyond the main output)."""
    _ = (fmt, report)
