"""Hostile input below the command line: bounded reads, strict caches, the node cap, dates at the end of the calendar."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
from pathlib import Path

import pytest

from checks.evidence.results import EvidenceStatus
from checks.evidence.url_cache import UrlCache
from checks.evidence.verify import confined
from checks.history.cache import Cache
from checks.load import cache_dir as cache_dir_module
from checks.load import compose as compose_module
from checks.load.cache_dir import cache_base, cache_dir, exclude_tree
from checks.load.files import Refusal, Unreadable, kind_of, read_regular
from checks.load.valid_cache import known_valid, remember_valid
from checks.load.yamlload import load_bytes
from checks.model import build_waivers
from checks.policy.waivers import dates_out_of_range, evaluate
from tests.conftest import FIXTURES

# ---------------------------------------------------------------- reading files


def test_the_byte_limit_holds_while_reading_not_by_the_size_stat_reports(tmp_path: Path) -> None:
    # /proc files are regular files whose reported size is 0, however much they hold.
    proc = Path("/proc/self/status")
    assert proc.stat().st_size == 0 and proc.is_file()
    with pytest.raises(Unreadable) as refused:
        read_regular(proc, 16)
    assert refused.value.refusal is Refusal.TOO_LARGE
    assert read_regular(proc, 1 << 20)  # under a limit it is read whole


@pytest.mark.parametrize("make", ["fifo", "socket", "folder", "device"])
def test_only_regular_files_are_read(tmp_path: Path, make: str) -> None:
    target = tmp_path / "thing"
    if make == "fifo":
        os.mkfifo(target)
    elif make == "socket":
        import socket

        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(target))
    elif make == "folder":
        target.mkdir()
    else:
        target = Path("/dev/zero")
    with pytest.raises(Unreadable) as refused:
        read_regular(target, 1024)  # a FIFO must not block: nothing ever writes to it
    assert refused.value.refusal is (Refusal.FOLDER if make == "folder" else Refusal.SPECIAL)


def test_a_file_that_resolves_outside_its_tree_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "secret.yaml").write_text("x: 1\n")
    (tree / "direct.yaml").symlink_to(outside / "secret.yaml")
    (tree / "folder").symlink_to(outside)  # a folder above the file leaves the tree, not the file
    (tree / "inside.yaml").write_text("y: 2\n")
    (tree / "alias.yaml").symlink_to(tree / "inside.yaml")
    for rel in ("direct.yaml", "folder/secret.yaml"):
        with pytest.raises(Unreadable) as refused:
            read_regular(tree / rel, 1024, within=tree)
        assert refused.value.refusal is Refusal.OUTSIDE
    assert read_regular(tree / "alias.yaml", 1024, within=tree) == b"y: 2\n"
    assert read_regular(tree / "missing.yaml", 1024, within=tree) is None


def test_a_symlink_loop_and_a_name_too_long_are_reasons_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(Unreadable, match=r"symlink loop|Too many levels"):
        read_regular(tmp_path / "loop", 1024, within=tmp_path)
    with pytest.raises(Unreadable, match="too long"):
        kind_of(tmp_path / ("a" * 300))
    target, why = confined(tmp_path, "/".join(["abcdefgh"] * 600))
    assert target is None and "cannot be resolved" in why and len(why) < 300


def test_confined_with_shared_folders_agrees_with_a_fresh_resolution(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.txt").write_text("x")
    (tmp_path / "a" / "link").symlink_to(tmp_path / "a" / "b")
    (tmp_path / "a" / "out").symlink_to("/etc")
    (tmp_path / "a" / "b" / "up.txt").symlink_to("/etc/hostname")
    folders: dict[Path, Path] = {}
    refs = ["a/b/f.txt", "a/link/f.txt", "a/out/passwd", "a/b/up.txt", "a/b/missing", "a", "a/b/../b/f.txt", "."]
    for ref in refs * 2:  # the second round answers from the folders kept by the first
        assert confined(tmp_path, ref, folders) == confined(tmp_path, ref), ref


# ---------------------------------------------------------------- caches


def test_a_cache_folder_inside_the_tracker_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME or GATES_CACHE_DIR inside the checkout: a committed "verified" entry or "valid" marker must not count."""
    root = tmp_path / "tracker"
    inside = root / ".cache" / "gates"
    monkeypatch.setenv("GATES_CACHE_DIR", str(inside))
    monkeypatch.setattr(cache_dir_module, "_TREES", set())
    monkeypatch.setattr(cache_dir_module, "_SCRATCH", [])
    forged = cache_dir(root) / "urls.json"  # registers the tracker, so its own path is no longer used
    assert not forged.is_relative_to(root)
    committed = inside / forged.parent.name / "urls.json"
    committed.parent.mkdir(parents=True)
    now = time.time()
    committed.write_text(json.dumps({"https://x.invalid/": {"status": "verified", "detail": "", "checked": now}}))
    assert UrlCache(root, 24).get("https://x.invalid/") is None
    marker_key = "ab" * 32
    (inside / "validated" / "ab").mkdir(parents=True)
    (inside / "validated" / "ab" / marker_key[2:40]).touch()
    assert not known_valid(marker_key)
    remember_valid(marker_key)  # written to the private folder of this run, not into the tracker
    assert known_valid(marker_key) and cache_base() != inside
    exclude_tree(tmp_path / "elsewhere")  # other trackers do not change where this one's cache is
    assert not cache_base().is_relative_to(root)


@pytest.mark.parametrize(
    "entry",
    [
        {"status": "refused", "detail": "", "checked": 0.0},
        {"status": "unchecked", "detail": "", "checked": 0.0},
        {"status": "missing", "detail": "", "checked": 0.0},
        {"status": None, "detail": "", "checked": 0.0},
        {"status": ["verified"], "detail": "", "checked": 0.0},
        {"status": "verified", "detail": 5, "checked": 0.0},
        {"status": "verified", "detail": "", "checked": math.inf},
        {"status": "verified", "detail": "", "checked": -math.inf},
        {"status": "verified", "detail": "", "checked": "now"},
        {"status": "verified", "detail": "", "checked": None},
        {"status": "verified", "detail": "", "checked": 1e300},
        {"status": "verified", "detail": ""},
        "verified",
        ["verified", 0],
    ],
)
def test_a_url_cache_entry_that_this_cache_would_not_write_is_ignored(tmp_path: Path, entry: object) -> None:
    now = time.time()
    if isinstance(entry, dict) and entry.get("checked") == 0.0:
        entry = {**entry, "checked": now - 60}
    file = cache_dir(tmp_path) / "urls.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    good = {"status": "broken", "detail": "HTTP 404", "checked": now - 60}
    file.write_text(json.dumps({"https://a.invalid/bad": entry, "https://a.invalid/good": good}))
    cache = UrlCache(tmp_path, 24)
    assert cache.get("https://a.invalid/bad") is None
    assert cache.get("https://a.invalid/good") == (EvidenceStatus.BROKEN, "HTTP 404")


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"a": ' * 100_000, b"", b"null"])
def test_a_corrupt_url_cache_file_is_an_empty_cache(tmp_path: Path, content: bytes) -> None:
    file = cache_dir(tmp_path) / "urls.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(content)
    assert UrlCache(tmp_path, 24).get("https://a.invalid/") is None


@pytest.mark.parametrize(
    "value",
    [{"g": -1}, {"g": True}, {"g": 1.5}, {"g": "3"}, {"g": None}, {"g": [1]}],
)
def test_a_burndown_count_of_another_shape_is_recomputed(tmp_path: Path, value: dict[str, object]) -> None:
    from checks.history.burndown import _counts_shape

    cache = Cache(tmp_path, "burndown-x", _counts_shape)
    cache.put("good", {"g": 3})
    cache.put("bad", value)  # type: ignore[arg-type]
    assert cache.get("good") == {"g": 3} and cache.get("bad") is None


@pytest.mark.parametrize("content", [b"\xff\xfe", b'{"a": ' * 100_000, b"[]", b"7"])
def test_a_corrupt_history_cache_file_is_recomputed(tmp_path: Path, content: bytes) -> None:
    cache = Cache(tmp_path, "tracker", lambda v: True)
    cache.folder.mkdir(parents=True)
    (cache.folder / "k.json").write_bytes(content)
    assert cache.get("k") is None and cache.hits == 0


# ---------------------------------------------------------------- the loader's caps


def test_the_node_cap_stops_a_flat_file_at_the_node_that_passes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compose_module, "MAX_NODES", 1000)
    text = "exceptions: []\nx:\n" + "".join(f"  - {i}\n" for i in range(2000))
    doc = load_bytes(text.encode(), "data/exceptions.yaml")
    (problem,) = doc.problems
    # Nodes: the root mapping, 2 keys, the empty list, the list; the 1,001st is the item on line 998.
    assert problem.code == "DATA001" and problem.line == 998 and "1,000 keys and values" in problem.message
    assert load_bytes(b"exceptions: []\nx: [1, 2]\n", "d").problems == []


def test_a_repeated_key_is_attributed_by_path_even_on_one_line() -> None:
    text = "exceptions: [{id: A, expires: 2026-03-12, expires: 2026-03-13}, {id: B}]\n"
    doc = load_bytes(text.encode(), "data/exceptions.yaml")
    (problem,) = doc.problems
    assert problem.pointer == ("exceptions", 0, "expires")
    a, b = build_waivers(doc, [])
    assert a.duplicate_keys and not b.duplicate_keys
    doc = load_bytes(b"exceptions: [{id: A}]\nexceptions: []\n", "data/exceptions.yaml")
    assert [w.duplicate_keys for w in build_waivers(doc, [])] == [True]


# ---------------------------------------------------------------- dates at the end of the calendar


def _waiver(text: str) -> tuple:  # type: ignore[type-arg]
    from checks.model.workspace import load_workspace

    root = FIXTURES / "program"
    overrides = {name: (root / "data" / f"{name}.yaml").read_bytes() for name in ("program", "invariants")}
    overrides["exceptions"] = text.encode()
    ws = load_workspace(root, overrides)
    return ws.waivers[0], ws.program


EXC = (FIXTURES / "program" / "data" / "exceptions.yaml").read_text()


@pytest.mark.parametrize(
    ("opened", "expires", "today", "out"),
    [
        ("2026-03-01", "9999-12-16", "2026-03-02", []),  # the latest date with room for 14 days and one more
        ("2026-03-01", "9999-12-17", "2026-03-02", ["expires"]),
        ("9999-12-31", "9999-12-31", "9999-12-31", ["opened", "expires"]),
        ("9999-12-25", "9999-12-31", "9999-12-30", ["opened", "expires"]),
        ("0001-01-01", "0001-01-10", "9999-12-31", []),
    ],
)
def test_dates_near_the_end_of_the_calendar_are_findings_and_waive_nothing(
    opened: str, expires: str, today: str, out: list[str]
) -> None:
    waiver, program = _waiver(EXC.replace("2026-03-01", opened).replace("2026-03-12", expires))
    assert [keys[0] for keys, _ in dates_out_of_range(waiver, program.max_age_days)] == out
    state = evaluate(waiver, program, dt.date.fromisoformat(today))  # never OverflowError
    if out:
        assert not state.compliant and any("9999-12-31" in r for r in state.reasons)


def test_a_window_of_a_billion_days_waives_nothing_and_does_not_overflow() -> None:
    from dataclasses import replace

    waiver, program = _waiver(EXC)
    state = evaluate(waiver, replace(program, max_age_days=1_000_000_000), dt.date(2026, 3, 2))
    assert not state.compliant and state.latest_allowed_expiry is None
    assert any("runs past 9999-12-31" in r for r in state.reasons)
