"""Caches are never trusted from the tree: they live outside it, and every entry is checked before use."""

from __future__ import annotations

import json
import time
from pathlib import Path

from checks.evidence.results import EvidenceStatus
from checks.evidence.url_cache import UrlCache
from checks.history.cache import Cache
from checks.load.cache_dir import cache_dir


def test_a_committed_cache_in_the_tracker_is_never_read(tmp_path: Path) -> None:
    forged = tmp_path / ".gates-cache" / "urls.json"
    forged.parent.mkdir()
    forged.write_text(json.dumps({"https://nowhere.invalid/": {"status": "verified", "checked": 9999999999}}))
    assert UrlCache(tmp_path, 24).get("https://nowhere.invalid/") is None


def test_url_cache_entries_are_checked(tmp_path: Path) -> None:
    now = time.time()
    entries = {
        "https://a.invalid/future": {"status": "verified", "detail": "", "checked": now + 10_000},
        "https://a.invalid/nan": {"status": "verified", "detail": "", "checked": float("nan")},
        "https://a.invalid/bool": {"status": "verified", "detail": "", "checked": True},
        "https://a.invalid/unknown": {"status": "shown", "detail": "", "checked": now},
        "https://a.invalid/old": {"status": "verified", "detail": "", "checked": now - 25 * 3600},
        "https://a.invalid/good": {"status": "verified", "detail": "200", "checked": now - 60},
    }
    file = cache_dir(tmp_path) / "urls.json"
    file.parent.mkdir(parents=True)
    file.write_text(json.dumps(entries))
    cache = UrlCache(tmp_path, 24)
    assert [u for u in entries if cache.get(u) is not None] == ["https://a.invalid/good"]
    assert cache.get("https://a.invalid/good") == (EvidenceStatus.VERIFIED, "200")


def test_a_cache_entry_of_the_wrong_shape_is_recomputed(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "tracker", lambda v: isinstance(v.get("n"), int))
    cache.put("a", {"n": 1})
    cache.put("b", {})
    (cache.folder / "c.json").write_text("[1, 2]")
    assert cache.get("a") == {"n": 1}
    assert cache.get("b") is None and cache.get("c") is None and cache.hits == 1


def test_a_forged_history_point_is_recomputed() -> None:
    from checks.history.tracker import _point_shape

    assert not _point_shape({})
    assert not _point_shape({"commit": "x", "date": "2026-03-01", "closure_evaluated": True, "percent": 100})


def test_listing_under_glob_prefixes_equals_filtering_the_whole_tree(tmp_path: Path) -> None:
    """Reading only the folders a service's globs start in gives the files a whole-tree listing would."""
    from checks.scan.globs import matches_any
    from checks.scan.trees import list_files, list_files_under, listed_once

    root = tmp_path / "tree"
    for rel in ("apps/web/src/a.rs", "apps/web/src/deep/b.rs", "apps/api/src/c.rs", "docs/x.md", "apps/web/README"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n")
    (root / "apps" / "linked").symlink_to(root / "apps" / "web")  # never descended, as in the full walk
    (root / "apps" / "web" / ".git").mkdir()
    (root / "apps" / "web" / ".git" / "HEAD").write_text("x\n")
    for globs in [
        ("apps/web/src/**/*.rs",),
        ("apps/web/src/**/*.rs", "apps/api/**"),
        ("apps/linked/**",),
        ("apps/web/README",),
        ("**/*.rs",),
        ("apps/*/src/**",),
        ("missing/**",),
    ]:
        whole = [f for f in list_files(root) if matches_any(f, globs)]
        assert [f for f in list_files_under(root, globs) if matches_any(f, globs)] == whole, globs
        with listed_once():
            list_files(root)
            assert [f for f in list_files_under(root, globs) if matches_any(f, globs)] == whole, globs
