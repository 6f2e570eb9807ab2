"""The shipped dashboard's look: AA-contrast palette, dark mode, full width, identifier wrapping, charts, axe-core."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from checks.site import palette
from checks.site.charts import line_chart
from checks.site.html import ident
from tests.conftest import FIXTURES, REPO
from tests.sitekit import build_site, serve

SHOTS = REPO / "test-artifacts" / "screenshots"
DASHBOARD = ["", "invariants/", "invariants/INV-03/", "exceptions/", "drift/", "guards/", "evidence/", "history/"]


def _luminance(colour: str) -> float:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    channels = [int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_badge_colour_meets_wcag_aa() -> None:
    badges = {
        **palette.STATUS_COLOURS,
        **{f"state {k}": v for k, v in palette.STATE_COLOURS.items()},
        **{f"result {k}": v for k, v in palette.RESULT_COLOURS.items()},
        **{f"severity {k}": v for k, v in palette.SEVERITY_COLOURS.items()},
        **{f"label {k}": v for k, v in palette.LABEL_COLOURS.items()},
        **{f"endpoint {k}": v for k, v in palette.ENDPOINT_COLOURS.items()},
        "fallback": palette.FALLBACK,
    }
    weak = {name: round(contrast(c, palette.ON_COLOUR), 2) for name, c in badges.items()}
    assert {n: r for n, r in weak.items() if r < 4.5} == {}
    for name, v in palette.VERDICT_COLOURS.items():
        assert contrast(v.text, v.background) >= 4.5, name
    assert contrast("#9e9e9e", "#fff") < 4.5  # the check itself catches the old grey `open` badge


def test_material_config_follows_the_system_scheme() -> None:
    theme = yaml.safe_load((REPO / "mkdocs.yml").read_text().split("\nhooks:", 1)[0])["theme"]
    assert theme["font"] is False
    assert "navigation.instant" in theme["features"]
    schemes = {p["scheme"]: p for p in theme["palette"]}
    assert set(schemes) == {"default", "slate"}
    assert schemes["default"]["media"] == "(prefers-color-scheme: light)" and schemes["default"]["toggle"]
    assert schemes["slate"]["media"] == "(prefers-color-scheme: dark)" and schemes["slate"]["toggle"]
    for page in ("index", "exceptions", "drift", "guards", "evidence", "history", "invariants/index"):
        front = (REPO / "docs" / f"{page}.md").read_text().split("---")[1]
        assert "toc" in (yaml.safe_load(front).get("hide") or []), page


def test_identifiers_break_only_after_a_slash() -> None:
    assert ident("/v1/database/<db>/subscribe") == (
        '<code class="gates-id"><span>/</span><wbr><span>v1/</span><wbr><span>database/</span><wbr>'
        "<span>&lt;db&gt;/</span><wbr><span>subscribe</span></code>"
    )
    assert ident("phx_join") == '<code class="gates-id"><span>phx_join</span></code>'
    assert ident("") == '<code class="gates-id"></code>'


def test_history_chart_marks_points_and_keeps_conventional_colours() -> None:
    one_day = line_chart(
        {"data errors": [("2026-03-01", 4.0)], "closure %": [("2026-03-01", 50.0)]},
        "t",
        colours=palette.HISTORY_COLOURS,
        percent="closure %",
    )
    assert one_day.count('class="gates-point"') == 2
    assert f'fill="{palette.BAD}"><title>data errors 2026-03-01: 4</title>' in one_day
    assert f'fill="{palette.GOOD}"><title>closure % 2026-03-01: 50%</title>' in one_day
    assert one_day.count('class="gates-legend"') == 2 and "(right axis)" in one_day


def test_history_page_says_when_there_is_only_one_date(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shutil

    from checks.site.macros import report_for
    from checks.site.pages.history import history_page
    from checks.site.pages.view import View

    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    monkeypatch.setenv("GATES_TODAY", "2026-03-10")
    report, _ = report_for(root)
    point = {"date": "2026-03-10", "commit": "a" * 40, "percent": 50, "active_exceptions": ["EXC-001"]}
    html = history_page(View(report, "", "", [{**point, "findings": {"error": 1}}]))
    assert "Only one date so far (2026-03-10)" in html
    assert html.count('class="gates-point"') == 3


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    recorded = json.loads((REPO / "data" / "records" / "openagents.json").read_text())["recorded"]
    out = tmp_path_factory.mktemp("shipped") / "site"
    proc = build_site(REPO, out, recorded)
    assert proc.returncode == 0, proc.stderr
    with serve(out) as url:
        yield url, out


@pytest.fixture(scope="module")
def shipped(shipped_site: tuple[str, Path]) -> str:
    return shipped_site[0]


def _page(browser: Browser, url: str, width: int = 1440, height: int = 900, scheme: str = "light") -> Page:
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def test_shipped_home_answers_the_lead_above_the_fold(browser: Browser, shipped: str) -> None:
    page = _page(browser, shipped + "/")
    for selector in ("#verdict", "#closure-figures", "#next-expiry"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, selector
    assert page.inner_text("#next-expiry") == "No exception on record."
    assert re.search(r"Verifiable evidence verified \d+/\d+", page.inner_text("#closure-figures"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "home-1440-fold.png"))
    page.close()


def test_dark_mode_renders(browser: Browser, shipped: str) -> None:
    for path in ("", "exceptions/", "history/"):
        page = _page(browser, f"{shipped}/{path}", scheme="dark")
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        rgb = [int(n) for n in re.findall(r"\d+", background)[:3]]
        assert max(rgb) < 80, background
        assert page.locator("form[data-md-component=palette] input").count() == 2  # the toggle
        page.screenshot(path=str(SHOTS / f"{path.strip('/') or 'home'}-1440-dark.png"))
        page.close()


def test_dashboard_pages_use_the_full_width(browser: Browser, shipped: str) -> None:
    page = _page(browser, shipped + "/drift/")
    assert not page.locator(".md-sidebar--secondary").is_visible()
    width = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
    assert width > 850, width
    page.close()


# For each identifier, the characters after which the browser broke the line: only "/" is allowed.
_BREAKS = """() => {
  const out = [];
  for (const code of Array.from(document.querySelectorAll('code.gates-id')).slice(0, 80)) {
    let prev = null;
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
        const top = r.getBoundingClientRect().top;
        if (prev && top > prev.top + 2) out.push(prev.ch);
        prev = {top, ch: node.data[i]};
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [390, 1440])
def test_identifiers_wrap_only_at_slashes(browser: Browser, shipped: str, width: int) -> None:
    for path in ("drift/", "evidence/", "guards/"):
        page = _page(browser, f"{shipped}/{path}", width, 900)
        breaks = page.evaluate(_BREAKS)
        assert set(breaks) <= {"/"}, (path, breaks)
        if width == 390 and path == "drift/":
            assert "/" in breaks  # runbook paths do wrap on a phone, at their slashes
        page.close()


def test_history_chart_has_points_and_a_legend(browser: Browser, shipped: str) -> None:
    page = _page(browser, shipped + "/history/")
    chart = page.locator("svg.gates-chart").first
    assert chart.locator("circle.gates-point").count() >= 2
    legend = chart.locator("g.gates-legend").all_text_contents()
    assert "data errors" in legend and "active exceptions" in legend
    errors_line = chart.locator("polyline", has=page.locator("title", has_text="data errors")).first
    assert errors_line.get_attribute("stroke") == palette.BAD
    page.close()


def test_no_serious_accessibility_violation(browser: Browser, shipped_site: tuple[str, Path]) -> None:
    """axe-core (bundled by axe-playwright-python, no network) on every page the build wrote, light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    shipped, out = shipped_site
    pages = sorted(p.parent.relative_to(out).as_posix() + "/" for p in out.rglob("index.html"))
    pages = ["" if p == "./" else p for p in pages]
    assert set(DASHBOARD) | {"tags/", "rules/"} <= set(pages)
    axe = Axe()
    found = []
    for scheme in ("light", "dark"):
        page = _page(browser, f"{shipped}/", scheme=scheme)
        for path in pages:  # one tab per scheme, as a reader moves through the site
            page.goto(f"{shipped}/{path}", wait_until="load")
            for v in axe.run(page).response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    found.append((scheme, path, v["id"], [n["target"] for n in v["nodes"][:3]]))
        page.close()
    assert found == []
