"""The program lead's dashboard on the fixture program: cards above the fold, exceptions by state, loud data errors."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import FIXTURES, REPO
from tests.sitekit import build_site, prepare_site, serve

SHOTS = REPO / "test-artifacts" / "screenshots"


def _site(tmp_path_factory: pytest.TempPathFactory, today: str, broken: bool = False) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site") / "program"
    shutil.copytree(FIXTURES / "program", root)
    if broken:  # a tab indents line 7: the file cannot be parsed (DATA001 at that line)
        exc = root / "data" / "exceptions.yaml"
        exc.write_text(exc.read_text().replace('    owner: "@control"', "\towner: [x"))
    prepare_site(root)
    proc = build_site(root, root / "site", today)
    assert proc.returncode == 0, proc.stderr
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def overdue_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture program on 2026-03-20: EXC-001 expired on 2026-03-12, 8 days ago."""
    yield from _site(tmp_path_factory, "2026-03-20")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _site(tmp_path_factory, "2026-03-10", broken=True)


def _page(browser: Browser, url: str, width: int = 1440, height: int = 900) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _above_the_fold(page: Page, selector: str, height: int) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_home_answers_the_lead_above_the_fold(browser: Browser, overdue_site: str) -> None:
    page = _page(browser, overdue_site + "/")
    for selector in ("#verdict", "#closure-figures", "#next-expiry"):
        assert _above_the_fold(page, selector, 900), selector
    assert page.locator(".grid.cards #verdict").count() == 1
    figures = page.inner_text("#closure-figures")
    assert "Invariants closed 1/2" in figures or "Invariants closed 0/2" in figures
    assert "Verifiable evidence verified" in figures and "Blockers" in figures
    urgent = page.inner_text("#next-expiry")
    assert "EXC-001" in urgent and "8 days overdue" in urgent and "@control" in urgent
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "fixture-home-overdue-1440.png"))
    page.close()


def test_exceptions_page_never_lists_an_expired_one_as_active(browser: Browser, overdue_site: str) -> None:
    page = _page(browser, overdue_site + "/exceptions/")
    lapsed = page.locator("h2#overdue--expired-or-invalid ~ div.gates-scroll").first
    assert "EXC-001" in lapsed.inner_text() and "expired" in lapsed.inner_text()
    assert page.inner_text("h2#active + p") == "None."
    assert page.inner_text("h2#expiring-soon + p") == "None."
    page.close()


def test_timeline_labels_are_legible_on_a_phone(browser: Browser, overdue_site: str) -> None:
    page = _page(browser, overdue_site + "/exceptions/", 390, 844)
    svg = page.locator("svg[aria-label='Exception timeline']")
    frame = svg.bounding_box()
    assert frame is not None
    for text in svg.locator("text").all():
        box = text.bounding_box()
        assert box is not None
        assert box["height"] >= 10, (text.text_content(), box)  # about 9 px type or more, not 5 px
        assert frame["x"] - 1 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    assert "today 2026-03-20" in (svg.text_content() or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "fixture-exceptions-overdue-390.png"), full_page=True)
    page.close()


def test_a_broken_data_file_is_loud_not_empty(browser: Browser, broken_site: str) -> None:
    page = _page(browser, broken_site + "/exceptions/")
    danger = page.locator(".admonition.danger")
    assert danger.count() == 1
    notice = danger.inner_text()
    assert "data/exceptions.yaml:7" in notice and "DATA001" in notice
    body = page.inner_text("body")
    assert "None yet" not in body and "No active exception" not in body
    assert page.locator("table.gates-exceptions, table.gates-retired").count() == 0
    page.screenshot(path=str(SHOTS / "fixture-exceptions-broken-1440.png"))
    page.close()
    home = _page(browser, broken_site + "/")
    assert "data/exceptions.yaml:7" in home.inner_text(".admonition.danger")
    home.close()


def test_blockers_put_real_failures_before_configuration_gaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped program without its product source or record: unchecked evidence is a gap, not a failure."""
    from checks.site.macros import report_for
    from checks.site.pages.home import home
    from checks.site.pages.view import View

    shutil.copytree(REPO / "data", tmp_path / "data", ignore=shutil.ignore_patterns("records"))
    monkeypatch.setenv("GATES_TODAY", "2026-11-26")
    report, _ = report_for(tmp_path)
    html = home(View(report, ""))
    failures, gaps = html.split("<h3>Configuration gaps</h3>")
    assert failures.index("<h3>Failures</h3>") < len(failures)
    assert "unchecked" not in failures.split("<h3>Failures</h3>")[1]
    gap_rows = gaps.split("</table>")[0].count("<tr>") - 1
    assert gap_rows >= 10 and "source &#x27;openagents&#x27; is not present" in gaps
    assert f"and {gap_rows} configuration gaps" in html
