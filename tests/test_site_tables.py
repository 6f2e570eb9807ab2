"""Sortable, filterable tables: docs/assets/gates-tables.js in a real Chromium, with and without script."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import REPO
from tests.sitekit import build_site, serve

SHOTS = REPO / "test-artifacts" / "screenshots"
DRIFT = "table.gates-drift"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    recorded = json.loads((REPO / "data" / "records" / "openagents.json").read_text())["recorded"]
    out = tmp_path_factory.mktemp("tables") / "site"
    proc = build_site(REPO, out, recorded)
    assert proc.returncode == 0, proc.stderr
    with serve(out) as url:
        yield url


def _page(browser: Browser, url: str, scheme: str = "light", script: bool = True) -> Page:
    context = browser.new_context(
        viewport={"width": 1440, "height": 900},
        color_scheme=scheme,  # type: ignore[arg-type]
        java_script_enabled=script,
    )
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _column(page: Page, table: str, index: int) -> list[str]:
    return [r.split("\t")[index].strip() for r in page.locator(f"{table} tbody tr:visible").all_inner_texts()]


def test_clicking_a_header_sorts_the_rows(browser: Browser, shipped: str) -> None:
    page = _page(browser, shipped + "/drift/")
    methods, docs = _column(page, DRIFT, 1), _column(page, DRIFT, 0)
    assert methods != sorted(methods)  # the report's order is by runbook, not by method
    header = page.locator(f"{DRIFT} th", has_text="method")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _column(page, DRIFT, 1) == sorted(methods)
    # Stable: rows with the same method keep the report's order among themselves.
    gets = [d for d, m in zip(docs, methods, strict=True) if m == "GET"]
    after = zip(_column(page, DRIFT, 0), _column(page, DRIFT, 1), strict=True)
    assert [d for d, m in after if m == "GET"] == gets
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert _column(page, DRIFT, 1) == sorted(methods, reverse=True)
    page.close()


def test_headers_sort_from_the_keyboard(browser: Browser, shipped: str) -> None:
    page = _page(browser, shipped + "/guards/")
    table = "table.gates-guards"
    ids = _column(page, table, 0)
    button = page.locator(f"{table} th", has_text="guard").locator("button")
    button.focus()
    page.keyboard.press("Enter")
    assert _column(page, table, 0) == sorted(ids)
    page.keyboard.press(" ")
    assert _column(page, table, 0) == sorted(ids, reverse=True)
    assert page.locator(f"{table} th[aria-sort]").count() == 1
    page.close()


def test_ranks_and_numbers_sort_by_value_not_by_text(browser: Browser, tmp_path: Path) -> None:
    """Severity badges carry a rank (error before warning before info); counts compare as numbers."""
    from checks.site.html import table
    from checks.site.pages.view import SEVERITY_RANK

    rows = [
        [f'<span data-sort="{SEVERITY_RANK[s]}">{s}</span>', n]
        for s, n in (("info", "9"), ("warning", "10"), ("error", "100"), ("info", "2"))
    ]
    shutil.copy(REPO / "docs" / "assets" / "gates-tables.js", tmp_path / "gates-tables.js")
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html lang="en"><body>{table(["severity", "hits"], rows, "t", sortable=True)}'
        '<script src="gates-tables.js"></script></body></html>'
    )
    with serve(tmp_path) as base:
        page = _page(browser, base + "/")
        page.locator("th", has_text="severity").locator("button").click()
        assert _column(page, "table.t", 0) == ["error", "warning", "info", "info"]  # by name: info before warning
        page.locator("th", has_text="hits").locator("button").click()
        assert _column(page, "table.t", 1) == ["2", "9", "10", "100"]  # as text: 10, 100, 2, 9
        page.close()


def test_typing_in_the_filter_hides_rows(browser: Browser, shipped: str) -> None:
    page = _page(browser, shipped + "/drift/")
    rows = page.locator(f"{DRIFT} tbody tr").all_inner_texts()
    box = page.get_by_label("Filter rows").first
    box.fill("TOKEN")  # case does not matter
    shown = page.locator(f"{DRIFT} tbody tr:visible").all_inner_texts()
    wanted = [r for r in rows if "token" in r.lower()]
    assert shown == wanted and 0 < len(shown) < len(rows)
    assert page.locator(".gates-filter-count").first.inner_text() == f"{len(shown)} of {len(rows)} rows"
    page.screenshot(path=str(SHOTS / "drift-filtered-1440.png"))
    box.fill("")
    assert page.locator(f"{DRIFT} tbody tr:visible").count() == len(rows)
    page.close()


def test_without_script_the_tables_are_whole(browser: Browser, shipped: str) -> None:
    with_script = _page(browser, shipped + "/drift/")
    rows = with_script.locator(f"{DRIFT} tbody tr").all_inner_texts()
    with_script.close()
    page = _page(browser, shipped + "/drift/", script=False)
    assert page.locator(f"{DRIFT} th button").count() == 0 and page.locator(".gates-filter").count() == 0
    assert page.locator(f"{DRIFT} tbody tr:visible").all_inner_texts() == rows
    page.close()


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("", "table.gates-blockers"),
        ("drift/", "table.gates-findings"),
        ("drift/", "table.gates-catalog"),
        ("guards/", "table.gates-guards"),
        ("evidence/", "table.gates-evidence"),
        ("invariants/", "table.gates-invariants"),
    ],
)
def test_the_long_tables_get_the_controls(browser: Browser, shipped: str, path: str, table: str) -> None:
    page = _page(browser, f"{shipped}/{path}")
    headers = page.locator(f"{table} thead th").count()
    assert page.locator(f"{table} thead th button.gates-sort").count() == headers
    rows = page.locator(f"{table} tbody tr").count()
    box = page.locator(f".gates-filter:has(+ .gates-scroll {table}) input[type=search]")
    assert box.count() == (1 if rows >= 6 else 0)  # a short table is sorted, not filtered
    filters = page.locator(".gates-filter input[type=search]")
    for i in range(filters.count()):  # every box has its own label
        ident = filters.nth(i).get_attribute("id")
        assert page.locator(f"label[for='{ident}']").inner_text() == "Filter rows"
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_controls_in_use_pass_axe(browser: Browser, shipped: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = _page(browser, shipped + "/drift/", scheme)
    page.locator(f"{DRIFT} th", has_text="endpoint").locator("button").click()
    page.get_by_label("Filter rows").first.fill("sync")
    violations = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    page.close()
