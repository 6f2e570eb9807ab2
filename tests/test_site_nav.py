"""The navigation of a large program: invariant pages are built, but only a few are listed on every page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from checks.site.hooks import MAX_NAV_INVARIANTS
from tests.conftest import FIXTURES
from tests.sitekit import build_site, prepare_site


def _program(tmp_path: Path, extra: int) -> Path:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    data = root / "data" / "invariants.yaml"
    more = "".join(
        f"  - id: INV-{n}\n    title: Invariant {n}\n    statement: Statement {n}.\n    posture: preserved\n"
        f"    owner: owner:control\n    evidence:\n"
        f"      - {{id: INV-{n}-E1, class: runtime-tests, kind: path, ref: data/program.yaml}}\n"
        for n in range(100, 100 + extra)
    )
    data.write_text(data.read_text() + more)
    prepare_site(root)
    return root


def _nav_invariants(page: str) -> set[str]:
    return set(re.findall(r'<a href="[^"]*invariants/(INV-\d+)/" class="md-nav__link', page))


def test_a_large_program_leaves_invariant_pages_out_of_the_navigation(tmp_path: Path) -> None:
    root = _program(tmp_path, MAX_NAV_INVARIANTS + 5)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    site = root / "site"
    assert (site / "invariants" / "INV-150" / "index.html").is_file()
    assert _nav_invariants((site / "invariants" / "INV-150" / "index.html").read_text()) == set()
    assert _nav_invariants((site / "index.html").read_text()) == set()
    # Still reachable: the invariants table links every page.
    table = (site / "invariants" / "index.html").read_text()
    assert '<a href="../invariants/INV-150/">' in table


def test_a_small_program_lists_its_invariant_pages(tmp_path: Path) -> None:
    root = _program(tmp_path, 3)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    assert _nav_invariants((root / "site" / "index.html").read_text()) == {
        "INV-01",
        "INV-03",
        "INV-100",
        "INV-101",
        "INV-102",
    }


def _nav_runbooks(page: str) -> set[str]:
    return set(re.findall(r'<a href="[^"]*runbooks/([^/"]+)/" class="md-nav__link', page))


def test_a_folder_of_many_pages_leaves_the_navigation_but_keeps_its_index(tmp_path: Path) -> None:
    from checks.site.hooks import MAX_NAV_SECTION_PAGES

    root = _program(tmp_path, 0)
    runbooks = root / "docs" / "runbooks"
    for n in range(MAX_NAV_SECTION_PAGES + 1):
        (runbooks / f"generated-{n}.md").write_text(f"# Generated runbook {n}\n\nProse.\n")
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    site = root / "site"
    assert (site / "runbooks" / "generated-7" / "index.html").is_file()  # still built
    assert _nav_runbooks((site / "index.html").read_text()) == set()  # no index page: the section is gone
    (runbooks / "index.md").write_text("# Runbooks\n\n[Tokens](tokens.md)\n")
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    nav = (site / "index.html").read_text()
    assert "generated-7" not in nav and 'runbooks/" class="md-nav__link' in nav


def test_a_folder_of_few_pages_stays_in_the_navigation(tmp_path: Path) -> None:
    root = _program(tmp_path, 0)
    for n in range(3):
        (root / "docs" / "runbooks" / f"generated-{n}.md").write_text(f"# Generated runbook {n}\n")
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    assert _nav_runbooks((root / "site" / "index.html").read_text()) == {
        "generated-0",
        "generated-1",
        "generated-2",
        "tokens",
    }
