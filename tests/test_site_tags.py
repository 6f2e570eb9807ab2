"""Tags on the invariant pages (owner, posture, status, open exceptions) and the tags page that lists them."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from checks.site.hooks import tag_for
from tests.conftest import FIXTURES
from tests.sitekit import build_site, prepare_site


def _tags(page: str) -> dict[str, str]:
    """Tag name -> the link it carries, from Material's tag bar."""
    bar = re.search(r'<nav class="md-tags"[^>]*>(.*?)</nav>', page, re.S)
    assert bar is not None
    return {
        html.unescape(name.strip()): href
        for href, name in re.findall(r'<a href="([^"]+)" class="md-tag">([^<]+)</a>', bar.group(1))
    }


def _build(root: Path, today: str) -> Path:
    prepare_site(root)
    proc = build_site(root, root / "site", today)
    assert proc.returncode == 0, proc.stderr
    return root / "site"


def test_invariant_pages_carry_owner_posture_status_and_exception_tags(tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    site = _build(root, "2026-03-10")
    inv01 = _tags((site / "invariants" / "INV-01" / "index.html").read_text())
    assert set(inv01) == {"owner:control", "posture: preserved", "status: at-risk", "exception: EXC-001"}
    assert inv01["status: at-risk"] == "../../tags/#tag:status-at-risk"
    inv03 = _tags((site / "invariants" / "INV-03" / "index.html").read_text())
    assert set(inv03) == {"owner:runtime", "posture: enforced", "status: closed"}
    listing = (site / "tags" / "index.html").read_text()
    # The tags page lists each tag with the invariants that carry it.
    section = listing.split('id="tag:exception-exc-001"', 1)[1].split('<h2 id="tag:', 1)[0]
    assert "INV-01" in section and "INV-03" not in section


def test_a_status_tag_follows_the_day(tmp_path: Path) -> None:
    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    site = _build(root, "2026-03-20")  # EXC-001 expired on 2026-03-12: INV-01 is no longer merely at risk
    tags = _tags((site / "invariants" / "INV-01" / "index.html").read_text())
    assert "status: at-risk" not in tags and any(t.startswith("status: ") for t in tags)


@pytest.mark.parametrize(
    ("kind", "value", "tag"),
    [
        ("owner", "owner:control", "owner:control"),
        ("owner", "@control", "owner: @control"),
        ("posture", "enforced", "posture: enforced"),
        ("owner", "<script>x</script>", None),
        ("owner", 'a" onmouseover="x', None),
        ("owner", "x & y", None),
        ("owner", "", None),
        ("owner", "a" * 200, None),
    ],
)
def test_tags_are_made_only_of_inert_characters(kind: str, value: str, tag: str | None) -> None:
    """Material prints tag names without escaping: a value with markup makes no tag at all."""
    assert tag_for(kind, value) == tag


def test_many_open_exceptions_make_one_tag_not_one_per_exception(tmp_path: Path) -> None:
    # The tags page gets one heading per tag; thousands of exception tags made its build quadratic.
    from checks.site.hooks import MAX_EXCEPTION_TAGS

    root = tmp_path / "program"
    shutil.copytree(FIXTURES / "program", root)
    data = root / "data" / "exceptions.yaml"
    first = data.read_text().split("  - id: EXC-001\n", 1)[1]
    more = "".join(
        "  - id: EXC-" + f"{n:03d}\n" + first.replace("Token alias", f"Token alias {n}")
        for n in range(2, MAX_EXCEPTION_TAGS + 3)
    )
    data.write_text(data.read_text() + more)
    site = _build(root, "2026-03-10")
    inv01 = _tags((site / "invariants" / "INV-01" / "index.html").read_text())
    assert "exceptions: open" in inv01
    assert not any(t.startswith("exception: ") for t in inv01)
    inv03 = _tags((site / "invariants" / "INV-03" / "index.html").read_text())
    assert "exceptions: open" not in inv03  # nothing waives INV-03
    listing = (site / "tags" / "index.html").read_text()
    assert listing.count('<h2 id="tag:exception-') == 0 and 'id="tag:exceptions-open"' in listing
