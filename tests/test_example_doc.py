"""The worked exception example in the docs shows what the commands really print."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, REPO, Runner


@pytest.mark.parametrize("today", ["2026-03-05", "2026-03-10", "2026-03-13"])
def test_the_example_outputs_are_current(gates: Runner, today: str) -> None:
    doc = (REPO / "docs" / "guide" / "exceptions-example.md").read_text()
    _, out, _ = gates(
        "check", "--root", FIXTURES / "program", "--today", today, "--offline", "--select", "EXC,DRIFT004"
    )
    for line in out.splitlines():
        assert line in doc, line
