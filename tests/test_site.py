"""The dashboard: real `mkdocs build --strict` runs and a real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import FIXTURES, REPO
from tests.sitekit import build_site, prepare_site, serve

ARTIFACTS = REPO / "test-artifacts"
SHOTS = ARTIFACTS / "screenshots"  # every screenshot the browser tests take (README.md names the folder)


def test_shipped_site_builds_strict(tmp_path: Path) -> None:
    import json

    recorded = json.loads((REPO / "data" / "records" / "openagents.json").read_text())["recorded"]
    proc = build_site(REPO, tmp_path / "site", recorded)
    assert proc.returncode == 0, proc.stderr
    home = (tmp_path / "site" / "index.html").read_text()
    # Built without the product tree: the committed record of OpenAgents stands in, and says so.
    assert "Not closed: 10 of 10 invariants closed (blocked by findings)." in home
    assert "as recorded at openagents@8a61212" in home
    assert f"Status computed for {recorded}" in home
    history = (tmp_path / "site" / "history" / "index.html").read_text()
    assert "convergence (2026-02-25)" in history
    for page in (
        "invariants/INV-03/index.html",
        "exceptions/index.html",
        "drift/index.html",
        "rules/index.html",
        "adr/0007-spacetime-only-sync-transport/index.html",
    ):
        assert (tmp_path / "site" / page).is_file(), page
    # Offline: no CDN script or font is referenced anywhere.
    for html in (tmp_path / "site").rglob("*.html"):
        text = html.read_text()
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, html
        for src in re.findall(r'<script[^>]+src="([^"]+)"', text):
            assert not src.startswith(("http:", "https:", "//")), (html, src)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site") / "program"
    shutil.copytree(FIXTURES / "program", root)
    prepare_site(root)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    with serve(root / "site") as url:
        yield url


def _open(browser: Browser, url: str) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    hosts: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, errors, hosts


def _clean(errors: list[str], hosts: list[str], base: str) -> None:
    assert errors == []
    assert set(hosts) <= {urlsplit(base).netloc}


def test_home_shows_the_verdict(browser: Browser, fixture_site: str) -> None:
    page, errors, hosts = _open(browser, fixture_site + "/")
    # Fixture at 2026-03-10: INV-01 at risk (EXC-001 active), INV-03 closed (its evidence is in the tracker).
    assert page.inner_text("#verdict") == "Not closed: 1 of 2 invariants closed (1 at-risk)."
    assert page.inner_text("#closure-percent") == "50%"
    blockers = page.locator("table.gates-blockers tbody tr")
    assert blockers.count() == 2
    assert "EXC-001" in page.inner_text("#next-expiry") and "2 days left" in page.inner_text("#next-expiry")
    assert "Status computed for 2026-03-10" in page.inner_text("body")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "fixture-home-1280.png"), full_page=True)
    _clean(errors, hosts, fixture_site)


def test_invariants_table_and_page(browser: Browser, fixture_site: str) -> None:
    page, errors, hosts = _open(browser, fixture_site + "/invariants/")
    rows = page.locator("table.gates-invariants tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[:4] == ["INV-01", "One token route", "preserved", "at-risk"]
    assert rows.nth(1).inner_text().split("\t")[3] == "closed"
    _clean(errors, hosts, fixture_site)
    page, errors, hosts = _open(browser, fixture_site + "/invariants/INV-03/")
    body = page.inner_text("body")
    assert "Clients subscribe only through the Spacetime host." in body
    assert "all 1 evidence items verified" in body
    assert "gates check --select GUARD" in body
    _clean(errors, hosts, fixture_site)


def test_exceptions_page(browser: Browser, fixture_site: str) -> None:
    page, errors, hosts = _open(browser, fixture_site + "/exceptions/")
    row = page.locator("table.gates-exceptions tbody tr").nth(0).inner_text().split("\t")
    assert row[:6] == ["EXC-001", "expiring", "@control", "2026-03-12", "2", "9"]
    assert page.locator("svg[aria-label='Exception timeline'] rect").count() == 1
    assert "Re-add the alias route." in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "fixture-exceptions-1280.png"), full_page=True)
    _clean(errors, hosts, fixture_site)


def test_drift_page(browser: Browser, fixture_site: str) -> None:
    page, errors, hosts = _open(browser, fixture_site + "/drift/")
    rows = [r.split("\t") for r in page.locator("table.gates-drift tbody tr").all_inner_texts()]
    paths = {r[2]: r for r in rows}
    assert set(paths) == {"/api/spacetime/token", "/v1/database/<db>/subscribe", "/v1/database/<db>/call/<reducer>"}
    assert paths["/api/spacetime/token"][4] == "shipped by control"
    assert paths["/v1/database/<db>/subscribe"][3] == "canonical subscribe"
    assert paths["/v1/database/<db>/call/<reducer>"][3] == ""  # the doctrine names it not; the catalog ships it
    _clean(errors, hosts, fixture_site)


HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>"


def test_hostile_program_runs_no_script(browser: Browser, tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    inv = root / "data" / "invariants.yaml"
    inv.write_text(
        inv.read_text()
        .replace("title: One token route", f"title: '{HOSTILE} {{{{ config }}}}'")
        .replace(
            "statement: Sync tokens are issued by one endpoint.",
            'statement: "{% for x in range(3) %}{{ x }}{% endfor %}"',
        )
    )
    exc = root / "data" / "exceptions.yaml"
    exc.write_text(
        exc.read_text()
        .replace('owner: "@control"', f"owner: '{HOSTILE}'")
        .replace("deletion_issue: https://example.invalid/issues/1", "deletion_issue: 'javascript:alert(1)'")
    )
    (root / "docs" / "runbooks" / "tokens.md").write_text("# T\n\nLiteral {{ config.site_name }} stays text.\n")
    prepare_site(root)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    with serve(root / "site") as base:
        for path in ("/", "/invariants/", "/invariants/INV-01/", "/exceptions/", "/runbooks/tokens/"):
            page, errors, hosts = _open(browser, base + path)
            assert page.evaluate("window.__pwned") is None
            _clean(errors, hosts, base)
            body = page.inner_text("body")
            if path in ("/invariants/", "/invariants/INV-01/"):
                assert "<script>window.__pwned=1</script>" in body and "{{ config }}" in body
            if path == "/invariants/INV-01/":
                assert "{% for x in range(3) %}" in body
            if path == "/exceptions/":
                assert page.locator("a[href^='javascript']").count() == 0
                assert HOSTILE in body
            if path == "/runbooks/tokens/":
                assert "{{ config.site_name }}" in body
    # The javascript: link is also a finding, at its line.
    from checks.cli.main import main

    assert main(["check", "--root", str(root), "--today", "2026-03-10", "--offline", "--select", "DATA003"]) == 1


def test_site_watch_covers_data() -> None:
    config = (REPO / "mkdocs.yml").read_text()
    assert re.search(r"^watch:\n  - data\n", config, re.M)
    assert "font: false" in config and "on_error_fail: true" in config and "on_undefined: strict" in config
    assert os.path.isfile(REPO / "checks" / "site" / "theme" / "main.html")


PAYLOAD = "<script>window.__pwned=3</script><img src=x onerror=window.__pwned=4>{{ 7*7 }}{% raw %}"


def _poison(value: object) -> object:
    if isinstance(value, str):
        return value + PAYLOAD
    if isinstance(value, list):
        return [_poison(v) for v in value]
    if isinstance(value, dict):
        return {k: _poison(v) for k, v in value.items()}
    return value


def test_payloads_in_every_string_field(browser: Browser, tmp_path: Path) -> None:
    import yaml

    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    for name in ("program", "invariants", "exceptions"):
        path = root / "data" / f"{name}.yaml"
        data = yaml.safe_load(path.read_text())
        if name == "invariants":
            for inv in data["invariants"]:
                ident = inv["id"]
                inv.update(_poison({k: v for k, v in inv.items() if k != "id"}))  # keep ids: they name pages
                inv["id"] = ident
        else:
            data = _poison(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    prepare_site(root)
    proc = build_site(root, root / "site", "2026-03-10")
    assert proc.returncode == 0, proc.stderr
    pages = sorted(p.relative_to(root / "site").parent.as_posix() for p in (root / "site").rglob("index.html"))
    assert len(pages) >= 8
    with serve(root / "site") as base:
        seen_payload = 0
        for rel in pages:
            page, errors, hosts = _open(browser, f"{base}/{'' if rel == '.' else rel + '/'}")
            assert page.evaluate("window.__pwned") is None, rel
            assert page.locator("a[href^='javascript']").count() == 0, rel
            _clean(errors, hosts, base)
            seen_payload += "{{ 7*7 }}" in page.inner_text("body")
            page.close()
        assert seen_payload >= 5  # the payload is shown as text on the data-driven pages


def test_report_refreshes_when_data_changes(program: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve` watches data/; each rebuild must see the new data, not a cached report."""
    from checks.site.macros import report_for

    monkeypatch.setenv("GATES_TODAY", "2026-03-02")
    first, _ = report_for(program)
    assert first.ctx.workspace.waivers[0].title == "Token alias while clients migrate"
    again, _ = report_for(program)
    assert again is first  # unchanged data: one computation per build
    exc = program / "data" / "exceptions.yaml"
    time.sleep(0.01)
    exc.write_text(exc.read_text().replace("Token alias while clients migrate", "Edited while serving"))
    os.utime(exc, (time.time() + 5, time.time() + 5))
    fresh, _ = report_for(program)
    assert fresh is not first and fresh.ctx.workspace.waivers[0].title == "Edited while serving"


def test_stylesheet_colours_are_the_palette() -> None:
    """gates.css declares its colours once, as :root custom properties equal to palette.py's; no literal elsewhere."""
    from checks.site.palette import CSS_VARIABLES

    css = re.sub(r"/\*.*?\*/", "", (REPO / "docs" / "assets" / "gates.css").read_text(), flags=re.S)
    root = re.search(r":root\s*\{([^}]*)\}", css)
    assert root is not None
    declared = dict(re.findall(r"(--gates-[\w-]+)\s*:\s*([^;]+?)\s*;", root.group(1)))
    assert declared == CSS_VARIABLES
    rest = css[: root.start()] + css[root.end() :]
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|hsl)a?\(", rest) == []
    used = set(re.findall(r"var\((--gates-[\w-]+)\)", rest))
    assert used == set(CSS_VARIABLES)


def test_shipped_site_fits_a_phone_and_a_desktop(browser: Browser, tmp_path: Path) -> None:
    """No page of the shipped site is wider than the viewport at 390 px or 1440 px, sortable tables included."""
    import json

    recorded = json.loads((REPO / "data" / "records" / "openagents.json").read_text())["recorded"]
    proc = build_site(REPO, tmp_path / "site", recorded)
    assert proc.returncode == 0, proc.stderr
    # Every page the build wrote, so a new page is covered without being listed here.
    pages = sorted(
        p.parent.relative_to(tmp_path / "site").as_posix() + "/" for p in (tmp_path / "site").rglob("index.html")
    )
    pages = ["" if p == "./" else p for p in pages]
    assert {"", "drift/", "history/", "tags/", "guide/exceptions-example/"} <= set(pages) and len(pages) >= 20
    shots = SHOTS
    shots.mkdir(parents=True, exist_ok=True)
    with serve(tmp_path / "site") as base:
        for width, height in ((390, 844), (1440, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in pages:
                page.goto(f"{base}/{path}")
                page.wait_for_load_state("networkidle")
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"/{path} is {wide} px wide at {width} px"
                if path in ("", "exceptions/", "drift/", "history/"):
                    name = (path.strip("/") or "home") + f"-{width}.png"
                    page.screenshot(path=str(shots / name), full_page=True)
            page.close()
