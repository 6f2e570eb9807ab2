"""The ADR page says where the mandate lives and what it states, and shows its text only as text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ADR = """\
# ADR-0042: One sync transport <script>alert(1)</script>

## Status

Accepted

## Date

2026-01-15

Call <img src=x onerror=alert(2)> never.
"""


def _program(tmp_path: Path) -> tuple[Path, Path]:
    root, product = tmp_path / "program", tmp_path / "product"
    shutil.copytree(FIXTURES / "program", root)
    shutil.copytree(FIXTURES / "product", product)
    (product / "docs" / "adr").mkdir(parents=True)
    (product / "docs" / "adr" / "ADR-0042.md").write_text(ADR)
    path = root / "data" / "program.yaml"
    path.write_text(path.read_text().replace("  adr: docs/adr.md", "  adr: product:docs/adr/ADR-0042.md"))
    return root, product


def _mandate(root: Path, monkeypatch: pytest.MonkeyPatch, sources: str) -> str:
    from checks.site.macros import report_for
    from checks.site.pages.adr import adr_mandate
    from checks.site.pages.view import View

    monkeypatch.setenv("GATES_TODAY", "2026-03-10")
    monkeypatch.setenv("GATES_SOURCES", sources)
    report, _ = report_for(root)
    return adr_mandate(View(report, ""))


def test_an_adr_read_from_its_source_is_stated_and_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, product = _program(tmp_path)
    html = _mandate(root, monkeypatch, f"product={product}")
    assert "status Accepted, dated 2026-01-15; read from product:docs/adr/ADR-0042.md" in html
    assert "The ADR as written" in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&#10;&#10;## Status&#10;&#10;Accepted" in html  # line breaks kept inside the one-line block


def test_without_its_source_the_adr_is_said_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _product = _program(tmp_path)
    html = _mandate(root, monkeypatch, "")
    assert "The ADR was not read" in html and "The ADR as written" not in html


def test_a_missing_adr_is_a_danger_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, product = _program(tmp_path)
    (product / "docs" / "adr" / "ADR-0042.md").unlink()
    html = _mandate(root, monkeypatch, f"product={product}")
    assert 'class="admonition danger"' in html and "docs/adr/ADR-0042.md does not exist" in html
