"""Output formats: each module formats a finished report and does nothing else."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from checks.core.engine import Report
from checks.reporters import github, json_format, junit, markdown, sarif, text

Formatter = Callable[[Report], str]

FORMATS: dict[str, Formatter] = {
    "text": text.format_report,
    "json": json_format.format_report,
    "github": github.format_report,
    "sarif": sarif.format_report,
    "junit": junit.format_report,
    "markdown": markdown.format_report,
}


def write_side_outputs(fmt: str, report: Report) -> None:
    """Under GitHub Actions the `github` format also appends the Markdown summary to the step summary."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt != "github" or not summary:
        return
    try:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(markdown.format_report(report) + "\n")
    except OSError as exc:
        print(f"gates: cannot write the step summary to {summary}: {exc.strerror or exc}")
