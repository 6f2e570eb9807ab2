"""The JSON report: one object, stable key order and bytes for the same input."""

from __future__ import annotations

import json

from checks.core.engine import Report


def format_report(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
