"""Runbook pages: a badge beside every endpoint they name, generated from the catalog, the doctrine and the exceptions."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import FIXTURES, REPO
from tests.sitekit import build_site, prepare_site, serve

SHOTS = REPO / "test-artifacts" / "screenshots"
# Lines a runbook adds to the fixture's: an alias the control service still ships (EXC-001 covers
# it until 2026-03-12) and a prohibited endpoint named as retired (so it is not a DRIFT002 error).
EXTRA = "\nOld clients still call `POST /api/sync/token` until they upgrade.\n\nThe `/sync/socket/websocket` path is retired.\n"


def runbook_program(root: Path) -> Path:
    """The fixture program with a renamed exception and a new use_instead, so no badge text can be typed in."""
    shutil.copytree(FIXTURES / "program", root)
    runbook = root / "docs" / "runbooks" / "tokens.md"
    runbook.write_text(runbook.read_text() + EXTRA)
    exc = root / "data" / "exceptions.yaml"
    exc.write_text(exc.read_text().replace("EXC-001", "EXC-042"))
    program = root / "data" / "program.yaml"
    text = program.read_text()
    assert "use_instead: GET /v1/database/:name_or_identity/subscribe}" in text
    program.write_text(
        text.replace("use_instead: GET /v1/database/:name_or_identity/subscribe}", "use_instead: GET /v9/stream/:db}")
    )
    return root


def _render(root: Path, today: str, monkeypatch: pytest.MonkeyPatch) -> str:
    from checks.site.macros import report_for
    from checks.site.pages.runbooks import runbook_page
    from checks.site.pages.view import View

    monkeypatch.setenv("GATES_TODAY", today)
    report, _ = report_for(root)
    html = "<h1>Tokens</h1><p><code>POST /api/sync/token</code></p><p><code>/sync/socket/websocket</code></p>"
    return runbook_page(View(report, "", "../../"), "docs/runbooks/tokens.md", html)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_alias_badge_names_the_waiving_exception_and_its_days_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = _render(runbook_program(tmp_path / "program"), "2026-03-10", monkeypatch)
    text = _text(html)
    assert "POST /api/sync/token alias (of POST /api/spacetime/token; waived by EXC-042, 2 days left)" in text
    assert '<a href="../../exceptions/#exc-042">EXC-042</a>' in html
    assert "/sync/socket/websocket prohibited (use GET /v9/stream/:db instead)" in text
    assert "This runbook names 5 endpoints" in text and "2 canonical, 1 shipped, 1 alias waived, 1 prohibited" in text


def test_alias_badge_says_not_waived_once_the_exception_lapsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html = _render(runbook_program(tmp_path / "program"), "2026-03-20", monkeypatch)
    text = _text(html)
    assert "alias (of POST /api/spacetime/token; not waived: EXC-042 is expired)" in text
    assert 'data-endpoint="alias not waived"' in html and "waived by" not in text


def test_alias_without_an_exception_is_not_waived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = runbook_program(tmp_path / "program")
    (root / "data" / "exceptions.yaml").write_text("exceptions: []\n")
    text = _text(_render(root, "2026-03-10", monkeypatch))
    assert "alias (of POST /api/spacetime/token; not waived)" in text and "EXC-042" not in text


def test_badges_escape_what_the_data_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = runbook_program(tmp_path / "program")
    program = root / "data" / "program.yaml"
    program.write_text(
        program.read_text().replace("use_instead: GET /v9/stream/:db}", "use_instead: '<img src=x onerror=alert(1)>'}")
    )
    html = _render(root, "2026-03-10", monkeypatch)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_pages_that_are_not_runbooks_are_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checks.site.macros import report_for
    from checks.site.pages.runbooks import runbook_page
    from checks.site.pages.view import View

    monkeypatch.setenv("GATES_TODAY", "2026-03-10")
    report, _ = report_for(runbook_program(tmp_path / "program"))
    html = "<h1>T</h1><p><code>POST /api/sync/token</code></p>"
    assert runbook_page(View(report, ""), "docs/archive/old.md", html) == html


@pytest.fixture(scope="module")
def runbook_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = runbook_program(tmp_path_factory.mktemp("runbooks") / "program")
    prepare_site(root)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    with serve(root / "site") as url:
        yield url


def _page(browser: Browser, url: str, width: int = 1440, height: int = 900, scheme: str = "light") -> Page:
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _inline(page: Page) -> dict[str, str]:
    """The badges beside the mentions in the runbook's own text, by kind."""
    spans = page.locator("article p .gates-endpoint")
    return {s.get_attribute("data-endpoint") or "": " ".join(s.inner_text().split()) for s in spans.all()}


def test_runbook_page_shows_a_badge_beside_each_mention(browser: Browser, runbook_site: str) -> None:
    page = _page(browser, runbook_site + "/runbooks/tokens/")
    assert _inline(page) == {
        "canonical": "canonical (subscribe)",
        "shipped": "shipped (by spacetime-host)",
        "alias waived": "alias (of POST /api/spacetime/token; waived by EXC-042, 2 days left)",
        "prohibited": "prohibited (use GET /v9/stream/:db instead)",
    }
    # The command in the code block gets its badge under the block.
    assert "canonical" in page.inner_text("ul.gates-endpoint-list")
    summary = page.locator(".gates-runbook-summary .admonition.info")
    assert "This runbook names 5 endpoints" in summary.inner_text()
    assert page.locator(".gates-runbook-summary tbody tr").count() == 5
    page.click("article p .gates-endpoint[data-endpoint='alias waived'] a")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/exceptions/#exc-042")
    page.close()


# The contrast of every badge's text on its own background, as the browser computed both colours.
_CONTRAST = """() => Array.from(document.querySelectorAll('.gates-badge')).map(el => {
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const s = getComputedStyle(el); const a = lum(s.color), b = lum(s.backgroundColor);
  return [el.textContent, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_runbook_badges_meet_wcag_aa_and_fit_a_phone(browser: Browser, runbook_site: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for width, height in ((390, 844), (1440, 900)):
        page = _page(browser, runbook_site + "/runbooks/tokens/", width, height, scheme)
        ratios = page.evaluate(_CONTRAST)
        assert len(ratios) >= 10
        assert [r for r in ratios if r[1] < 4.5] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert violations == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"fixture-runbook-{width}-{scheme}.png"), full_page=True)
        page.close()


def test_drift_page_carries_the_same_badges(browser: Browser, runbook_site: str) -> None:
    page = _page(browser, runbook_site + "/drift/")
    doctrine = {
        r.split("\t")[2]: " ".join(r.split("\t")[3].split())
        for r in page.locator("table.gates-drift tbody tr").all_inner_texts()
    }
    assert doctrine["/api/sync/token"] == "alias of POST /api/spacetime/token; waived by EXC-042, 2 days left"
    assert doctrine["/sync/socket/websocket"] == "prohibited use GET /v9/stream/:db instead"
    page.close()
