"""The mandate may live in a product repository: program.adr reads `source:path`, and its status is checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.load.adr import AdrFacts, adr_facts, read_adr
from tests.conftest import Runner, git_init

ADR = """\
# ADR-0042: One sync transport

## Status

Superseded by ADR-0050

## Date

2026-01-15

## Context

Some words.
"""


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (ADR, AdrFacts("ADR-0042: One sync transport", "Superseded by ADR-0050", "2026-01-15")),
        ("# T\n\n**Status:** accepted on 2026-02-26 · **Owner:** x\n", AdrFacts("T", "accepted", "2026-02-26")),
        ("# T\n\n- Status: proposed\n- Date: 2024-05-06\n", AdrFacts("T", "proposed", "2024-05-06")),
        ("---\nstatus: deprecated\ndate: 2025-01-02\n---\n# T\n", AdrFacts("T", "deprecated", "2025-01-02")),
        (
            "One decision\n============\n\n:Status: Accepted\n:Date: 2024-05-06\n",
            AdrFacts("One decision", "Accepted", "2024-05-06"),
        ),
        ("# T\n\nNo status stated.\n", AdrFacts("T", "", "")),
    ],
)
def test_adr_facts_in_the_usual_forms(text: str, facts: AdrFacts) -> None:
    assert adr_facts(text) == facts


def test_read_adr_stays_inside_its_tree(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "outside.md").write_text("# Not ours\n")
    (tmp_path / "tree" / "link.md").symlink_to(tmp_path / "outside.md")
    assert read_adr(tmp_path / "tree", "link.md") == (None, "link.md is outside its root")
    assert read_adr(tmp_path / "tree", "../outside.md")[0] is None
    assert read_adr(tmp_path / "tree", "/etc/hostname")[0] is None
    assert read_adr(tmp_path / "tree", "missing.md") == (None, "missing.md does not exist")


def _point_adr_at(program: Path, value: str) -> None:
    path = program / "data" / "program.yaml"
    path.write_text(path.read_text().replace("  adr: docs/adr.md", f"  adr: {value}\n  adr_status: accepted"))


def _findings(gates: Runner, program: Path, *extra: str | Path) -> list[tuple[str, int, str]]:
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json", "--select", "DATA", *extra
    )
    return [(f["code"], f["line"], f["message"]) for f in json.loads(out)["findings"]]


def test_adr_in_a_source_is_read_and_its_status_checked(program: Path, product: Path, gates: Runner) -> None:
    (product / "docs" / "adr").mkdir(parents=True)
    (product / "docs" / "adr" / "ADR-0042.md").write_text(ADR)
    _point_adr_at(program, "product:docs/adr/ADR-0042.md")
    found = _findings(gates, program, "--source", f"product={product}")
    assert [(c, line) for c, line, _ in found] == [("DATA011", 6)]
    assert "product:docs/adr/ADR-0042.md states 'Superseded by ADR-0050'" in found[0][2]
    # Without the source nothing can be said (and no record holds the ADR): unchecked, no finding.
    assert _findings(gates, program) == []
    # A path the source does not have is the program's own error, at the adr line.
    path = program / "data" / "program.yaml"
    path.write_text(path.read_text().replace("ADR-0042.md", "ADR-0077.md"))
    found = _findings(gates, program, "--source", f"product={product}")
    assert [(c, line) for c, line, _ in found] == [("DATA010", 5)]
    assert "docs/adr/ADR-0077.md does not exist" in found[0][2]


def test_the_record_carries_the_adrs_facts_not_its_text(program: Path, product: Path, gates: Runner) -> None:
    (product / "docs" / "adr").mkdir(parents=True)
    (product / "docs" / "adr" / "ADR-0042.md").write_text(ADR)
    _point_adr_at(program, "product:docs/adr/ADR-0042.md")
    git_init(product)
    code, _, err = gates("record", "--root", program, "--source", f"product={product}", "--today", "2026-03-05")
    assert code == 0, err
    record = json.loads((program / "data" / "records" / "product.json").read_text())
    assert record["adr"] == {
        "path": "docs/adr/ADR-0042.md",
        "title": "ADR-0042: One sync transport",
        "status": "Superseded by ADR-0050",
        "date": "2026-01-15",
    }
    assert "Some words" not in json.dumps(record)
    found = _findings(gates, program)
    assert [(c, line) for c, line, _ in found] == [("DATA011", 6)]
    assert "as recorded at product@" in found[0][2]
