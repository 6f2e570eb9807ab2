"""Output formats: each module formats a finished report and does nothing else."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import ClassVar

from checks.core.engine import Report

Formatter = Callable[[Report], str]


class _Formats(Mapping[str, Formatter]):
    """Format name -> formatter, importing a format's module only when it is asked for (start-up time)."""

    MODULES: ClassVar[dict[str, str]] = {
        "text": "text",
        "json": "json_format",
        "github": "github",
        "sarif": "sarif",
        "junit": "junit",
        "markdown": "markdown",
    }

    def __getitem__(self, name: str) -> Formatter:
        module = importlib.import_module(f"checks.reporters.{self.MODULES[name]}")
        formatter: Formatter = module.format_report
        return formatter

    def __iter__(self) -> Iterator[str]:
        return iter(self.MODULES)

    def __len__(self) -> int:
        return len(self.MODULES)


FORMATS: Mapping[str, Formatter] = _Formats()


def write_side_outputs(fmt: str, report: Report) -> None:
    """Under GitHub Actions the `github` format also appends the Markdown summary to the step summary."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt != "github" or not summary:
        return
    try:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(FORMATS["markdown"](report) + "\n")
    except OSError as exc:
        print(f"gates: cannot write the step summary to {summary}: {exc.strerror or exc}")
