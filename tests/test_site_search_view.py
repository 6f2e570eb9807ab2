"""The search plugin indexes light copies of the pages: the index and the pages come out the same."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from checks.site.html import SEARCH_INDEX_MAX_ROWS
from checks.site.search_view import search_view
from tests.conftest import FIXTURES
from tests.sitekit import build_site, prepare_site

# A hook that undoes the light indexing, so the same build can be made with the plugin parsing every page in full.
FULL_PAGES_HOOK = """
from mkdocs.plugins import event_priority

@event_priority(-100)
def on_pre_build(config):
    index = config["plugins"]["material/search"].search_index
    index.add_entry_from_context = index.add_entry_from_context.__wrapped__
"""


def _program(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / "program", root)
    data = root / "data" / "invariants.yaml"
    # More evidence rows than a table may have and still be indexed: the evidence page gets a bulk table.
    more = "".join(
        f"      - {{id: INV-03-X{n}, class: runtime-tests, kind: path, ref: data/program.yaml}}\n"
        for n in range(SEARCH_INDEX_MAX_ROWS + 5)
    )
    text = data.read_text()
    marker = "  - id: INV-03\n"
    head, tail = text.split(marker, 1)
    lines = tail.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() == "evidence:") + 1
    data.write_text(head + marker + "\n".join(lines[:at]) + "\n" + more + "\n".join(lines[at:]))
    prepare_site(root)
    return root


def test_light_indexing_gives_the_same_index_and_pages(tmp_path: Path) -> None:
    light, full = _program(tmp_path, "light"), _program(tmp_path, "full")
    (full / "full_pages_hook.py").write_text(FULL_PAGES_HOOK)
    config = (full / "mkdocs.yml").read_text()
    (full / "mkdocs.yml").write_text(config.replace("hooks:\n", "hooks:\n  - full_pages_hook.py\n", 1))
    for root in (light, full):
        proc = build_site(root, root / "site", "2026-03-10")
        assert proc.returncode == 0, proc.stderr
    evidence = (light / "site" / "evidence" / "index.html").read_text()
    assert "data-search-exclude" in evidence and "INV-03-X7" in evidence  # a bulk table, on the page
    index = (light / "site" / "search" / "search_index.json").read_text()
    assert "INV-03-X7" not in index  # not in the index
    assert index == (full / "site" / "search" / "search_index.json").read_text()
    compared = filecmp.dircmp(light / "site", full / "site")

    def differing(cmp: filecmp.dircmp[str]) -> list[str]:
        out = list(cmp.diff_files) + list(cmp.left_only) + list(cmp.right_only)
        for sub in cmp.subdirs.values():
            out += differing(sub)
        return out

    assert differing(compared) == []


def test_search_view_drops_bulk_tables_and_inline_markup_only() -> None:
    page = (
        '<h2 id="a">A</h2><p>See <code class="gates-id"><span>docs/</span><wbr><span>x.md</span></code> '
        '<span class="gates-badge" style="background:#2e7d32">verified</span></p>'
        '<div class="gates-scroll" data-search-exclude><table><tr><td>bulk</td></tr></table></div>'
        '<div class="gates-scroll"><table><tr><td>kept</td></tr></table></div>'
    )
    assert search_view(page) == (
        '<h2 id="a">A</h2><p>See <code class="gates-id">docs/x.md</code> verified</p>'
        '<div class="gates-scroll"><table><tr><td>kept</td></tr></table></div>'
    )
