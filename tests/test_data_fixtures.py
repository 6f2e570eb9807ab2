"""Data fixtures that declare their own expected findings (`# expect: CODE@LINE`).

Each file replaces one data file of the fixture program; the check must report exactly the
declared codes and lines for that file (DATA and EXC rules), with the fixture's `# today:`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Runner

CASES = sorted((FIXTURES / "data").glob("*.yaml"))


def _expectations(text: str) -> tuple[str, list[tuple[str, int]]]:
    today = re.search(r"^# today: (\S+)", text, re.M)
    expected = [(m.group(1), int(m.group(2))) for m in re.finditer(r"^# expect: (\w+)@(\d+)", text, re.M)]
    return (today.group(1) if today else "2026-03-02"), sorted(expected)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_findings(case: Path, program: Path, gates: Runner) -> None:
    kind = case.name.split(".")[-2]
    target = program / "data" / f"{kind}.yaml"
    text = case.read_text()
    target.write_text(text)
    today, expected = _expectations(text)
    code, out, err = gates(
        "check", "--root", program, "--today", today, "--offline", "--format", "json", "--select", "DATA,EXC"
    )
    assert err == ""
    report = json.loads(out)
    got = sorted((f["code"], f["line"]) for f in report["findings"] if f["path"] == f"data/{kind}.yaml")
    assert got == expected
    errors = report["summary"]["error"]
    assert code == (1 if errors else 0)
