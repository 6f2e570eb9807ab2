"""Macro HTML skips Markdown: placed back whole after conversion, while the rule catalog (Markdown) is converted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.sitekit import build_site, prepare_site


def test_macro_blocks_are_restored_and_markdown_macros_converted(tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    prepare_site(root)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    pages = {p.relative_to(root / "site").as_posix(): p.read_text() for p in (root / "site").rglob("index.html")}
    assert not [p for p, html in pages.items() if re.search(r"gates-block-[0-9a-f]{16}", html)]
    # Finished blocks arrive as built: the exceptions page's table, with no <p> wrapped around the block.
    assert '<div class="gates">' in pages["exceptions/index.html"]
    assert '<p><div class="gates">' not in pages["exceptions/index.html"]
    # The rule catalog is Markdown: converted, so its headings exist and its examples stay code.
    rules = pages["rules/index.html"]
    assert '<h2 id="data001">' in rules and '<script src="/x.js">' not in rules


def test_only_bulk_tables_leave_the_search_index() -> None:
    from checks.site.html import SEARCH_INDEX_MAX_ROWS, table

    small = table(["id"], [["EXC-001"]] * SEARCH_INDEX_MAX_ROWS)
    bulk = table(["id"], [["EXC-001"]] * (SEARCH_INDEX_MAX_ROWS + 1))
    assert "data-search-exclude" not in small
    assert bulk.startswith('<div class="gates-scroll" data-search-exclude>')
