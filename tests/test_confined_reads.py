"""The snapshot, an OpenAPI file and the history cache: read only inside their tree, bounded, checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, Runner, git_init

TODAY = "2026-03-02"


def _set_program(root: Path, old: str, new: str) -> None:
    file = root / "data" / "program.yaml"
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def _findings(gates: Runner, root: Path, *extra: str) -> list[dict[str, Any]]:
    code, out, err = gates("check", "--offline", "--format", "json", "--root", root, "--today", TODAY, *extra)
    assert code in (0, 1), err
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return findings


@pytest.mark.parametrize(
    ("snapshot", "why"),
    [("/etc/passwd", "is an absolute path"), ("../outside.json", "climbs out of its tree with '..'")],
)
def test_a_snapshot_outside_the_tracker_is_refused(program: Path, gates: Runner, snapshot: str, why: str) -> None:
    outside = program.parent / "outside.json"
    shutil.copy(program / "data" / "endpoints.snapshot.json", outside)
    _set_program(program, "snapshot: data/endpoints.snapshot.json", f"snapshot: {snapshot}")
    drift9 = [f for f in _findings(gates, program) if f["code"] == "DRIFT009"]
    assert drift9 and all(f"snapshot {snapshot} {why}" in f["message"] for f in drift9)


def test_a_snapshot_symlinked_out_of_the_tracker_is_refused(program: Path, gates: Runner) -> None:
    outside = program.parent / "outside.json"
    snapshot = program / "data" / "endpoints.snapshot.json"
    shutil.move(snapshot, outside)
    snapshot.symlink_to(outside)
    drift9 = [f for f in _findings(gates, program) if f["code"] == "DRIFT009"]
    assert drift9 and all("resolves outside its tree" in f["message"] for f in drift9)


def test_a_snapshot_over_the_byte_limit_is_refused(
    program: Path, gates: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checks.endpoints import snapshot

    monkeypatch.setattr(snapshot, "MAX_SNAPSHOT_BYTES", 64)
    drift9 = [f for f in _findings(gates, program) if f["code"] == "DRIFT009"]
    assert drift9 and all("is over the 64-byte limit" in f["message"] for f in drift9)


@pytest.fixture
def product(tmp_path: Path) -> Path:
    root = tmp_path / "product"
    shutil.copytree(FIXTURES / "product", root)
    return root


def _refresh(gates: Runner, root: Path, product: Path) -> tuple[int, str, str]:
    return gates("endpoints", "--refresh", "--root", root, "--today", TODAY, "--source", f"product={product}")


def test_refresh_never_writes_outside_the_tracker(program: Path, product: Path, gates: Runner) -> None:
    _set_program(program, "snapshot: data/endpoints.snapshot.json", "snapshot: ../written.json")
    code, out, err = _refresh(gates, program, product)
    assert code == 2 and out == ""
    assert re.fullmatch(r"gates: error: cannot write the snapshot \.\./written\.json: climbs out [^\n]*\n", err)
    assert not (program.parent / "written.json").exists()


def test_refresh_through_a_symlinked_folder_is_refused(program: Path, product: Path, gates: Runner) -> None:
    elsewhere = program.parent / "elsewhere"
    elsewhere.mkdir()
    (program / "snap").symlink_to(elsewhere)
    _set_program(program, "snapshot: data/endpoints.snapshot.json", "snapshot: snap/endpoints.json")
    code, _, err = _refresh(gates, program, product)
    assert code == 2 and len(err.splitlines()) == 1 and "resolves outside its tree" in err
    assert list(elsewhere.iterdir()) == []


def test_refresh_does_not_write_through_a_committed_temporary_symlink(
    program: Path, product: Path, gates: Runner
) -> None:
    victim = program.parent / "victim.txt"
    victim.write_text("keep me\n")
    (program / "data" / "endpoints.snapshot.json.tmp").symlink_to(victim)
    code, _, err = _refresh(gates, program, product)
    assert code == 0, err
    assert victim.read_text() == "keep me\n"
    written = json.loads((program / "data" / "endpoints.snapshot.json").read_text())
    assert "control" in written["services"]
    assert (program / "data" / "endpoints.snapshot.json").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("openapi", "why"),
    [
        ("../secret.yaml", "climbs out of its tree with '..'"),
        ("/etc/passwd", "is an absolute path"),
        ("api/link.yaml", "resolves outside its tree"),
    ],
)
def test_an_openapi_file_outside_its_source_is_refused(
    program: Path, product: Path, gates: Runner, openapi: str, why: str
) -> None:
    secret = product.parent / "secret.yaml"
    secret.write_text("openapi: 3.0.0\npaths:\n  /api/secret: {get: {}}\n")
    (product / "api").mkdir()
    (product / "api" / "link.yaml").symlink_to(secret)
    _set_program(
        program,
        '      preset: axum\n      paths: ["apps/control/src/**/*.rs"]',
        f"      openapi: {openapi}",
    )
    findings = _findings(gates, program, "--source", f"product={product}")
    messages = [f["message"] for f in findings if f["code"].startswith("DRIFT")]
    assert any(f"OpenAPI file product:{openapi} {why}" in m for m in messages), messages
    assert not any("/api/secret" in m for m in messages)


def test_an_openapi_file_inside_its_source_is_read(program: Path, product: Path, gates: Runner) -> None:
    (product / "api").mkdir()
    (product / "api" / "control.yaml").write_text("openapi: 3.0.0\npaths:\n  /api/spacetime/token: {post: {}}\n")
    _set_program(
        program, '      preset: axum\n      paths: ["apps/control/src/**/*.rs"]', "      openapi: api/control.yaml"
    )
    code, out, err = gates(
        "endpoints",
        "--format",
        "json",
        "--offline",
        "--root",
        program,
        "--today",
        TODAY,
        "--source",
        f"product={product}",
    )
    assert code == 0, err
    control = json.loads(out)["services"]["control"]
    assert control["kind"] == "openapi"
    assert [(e["method"], e["path"]) for e in control["endpoints"]] == [("POST", "/api/spacetime/token")]


def test_a_cached_history_point_with_bad_types_is_recomputed(program: Path) -> None:
    from checks.history.cache import Cache
    from checks.history.tracker import _point_shape, tracker_history

    git_init(program)
    first = tracker_history(program, None, None, 10)
    assert first and _point_shape(first[0])
    cache = Cache(program, "tracker", _point_shape)
    (entry,) = cache.folder.glob("*.json")
    for forged in (
        {"exception_states": {"EXC-001": 5}},
        {"exception_states": {"EXC-001": ["active"]}},
        {"codes": {"DATA001": "many"}},
        {"codes": {"DATA001": True}},
    ):
        entry.write_text(json.dumps({**first[0], **forged}))
        assert cache.get(entry.stem) is None
        assert tracker_history(program, None, None, 10) == first
        assert json.loads(entry.read_text()) == first[0]


def test_the_history_package_says_where_its_cache_lives() -> None:
    import checks.history

    doc = checks.history.__doc__ or ""
    assert ".gates-cache" not in doc and "user's cache directory" in doc
