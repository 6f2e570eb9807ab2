"""The ripgrep run started ahead of start-up: used only when it is exactly the scan's run, never harmful."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.scan import rg_prestart

RG = shutil.which("rg")
pytestmark = pytest.mark.skipif(RG is None, reason="ripgrep is installed by `make test` (apt-get install ripgrep)")

# A ripgrep on PATH that says how it was started: "file" when its output goes to a file (the
# early start writes to an unlinked file), "pipe" when the scan ran it (subprocess captures a pipe).
FAKE_RG = """#!/bin/sh
if [ -p /dev/stdout ]; then how=pipe; else how=file; fi
echo "$how $*" >> "{log}"
exec "{rg}" "$@"
"""


@pytest.fixture
def run(tmp_path: Path, program: Path, product: Path):  # type: ignore[no-untyped-def]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "rg.log"
    fake = bin_dir / "rg"
    fake.write_text(FAKE_RG.format(log=log, rg=RG))
    fake.chmod(0o755)
    cache = tmp_path / "user-cache"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GATES_CACHE_DIR": str(cache),
        "GATES_GUARD_ENGINE": "ripgrep",
    }
    env.pop("GATES_NO_PRESTART", None)
    args = ["check", "--root", str(program), "--source", f"product={product}", "--today", "2026-03-02"]
    args += ["--offline", "--select", "GUARD", "--format", "json"]

    def gates() -> tuple[dict[str, object], list[str]]:
        before = log.read_text().splitlines() if log.exists() else []
        proc = subprocess.run(
            [sys.executable, "-m", "checks", *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
            cwd=program,
        )
        assert proc.returncode in (0, 1), proc.stderr
        after = log.read_text().splitlines()
        return json.loads(proc.stdout), [line.split()[0] for line in after[len(before) :]]

    gates.cache_file = cache / "rg-prestart.json"  # type: ignore[attr-defined]
    return gates


def _findings(report: dict[str, object]) -> list[object]:
    return report["findings"]  # type: ignore[return-value]


def test_second_identical_run_uses_the_early_start_and_reports_the_same(run) -> None:  # type: ignore[no-untyped-def]
    first, how_first = run()
    assert how_first == ["pipe"]  # nothing remembered yet: the scan ran ripgrep itself
    assert _findings(first), "the fixture product has guard hits"
    second, how_second = run()
    assert how_second == ["file"]  # started ahead of the imports, and taken: no second run
    assert _findings(second) == _findings(first)


def test_a_changed_command_line_is_stopped_and_run_afresh(run) -> None:  # type: ignore[no-untyped-def]
    first, _ = run()
    data = json.loads(run.cache_file.read_text())
    for entries in data["entries"].values():
        for entry in entries:
            entry["args"][-2:-2] = ["-e", "NOT-A-GUARD"]  # what an edited program would have written before
    run.cache_file.write_text(json.dumps(data))
    second, how = run()
    assert how == ["file", "pipe"]  # the stale one was started, then stopped; the real one ran
    assert _findings(second) == _findings(first)


def test_an_edited_cache_cannot_make_ripgrep_run_anything(run) -> None:  # type: ignore[no-untyped-def]
    run()
    data = json.loads(run.cache_file.read_text())
    for entries in data["entries"].values():
        for entry in entries:
            entry["args"][:0] = ["--pre", "/bin/sh"]
    run.cache_file.write_text(json.dumps(data))
    _, how = run()
    assert how == ["pipe"]  # not started early at all


@pytest.mark.parametrize(
    "args",
    [
        ["--pre", "sh", "--", "."],
        ["--no-ignore", "--", "/etc"],
        ["--no-ignore", "--", ".", "/etc"],
        ["--max-filesize", "1K; rm", "--", "."],
        ["--glob"],
        ["--no-ignore"],
        ["--config", "x", "--", "."],
        ["--hidden", "-e"],
    ],
)
def test_safe_args_refuses_what_the_scan_never_writes(args: list[str]) -> None:
    assert not rg_prestart.safe_args(args)


def test_safe_args_accepts_the_scan_s_own_command_lines(program: Path) -> None:
    from checks.model.workspace import load_workspace
    from checks.scan.guards import CompiledGuard, compile_guard
    from checks.scan.guards.ripgrep_engine import ripgrep_args, scope_globs
    from checks.scan.testcode import TEST_FILE_GLOBS

    workspace = load_workspace(program)
    compiled = []
    for g in workspace.program.guards:
        regex, _ = compile_guard(g)
        assert regex is not None
        compiled.append(CompiledGuard(g, regex))
    args = [*ripgrep_args(compiled, workspace.program), *scope_globs(compiled, workspace.program, TEST_FILE_GLOBS)]
    assert rg_prestart.safe_args([*args, "--", "."])
    assert not rg_prestart.safe_args(args)  # no path: ripgrep would read stdin


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"entries": []}',
        '{"entries": {"x": 1}}',
        "[1, 2]",
        '{"entries": {}}',
    ],
)
def test_a_broken_cache_file_costs_only_the_head_start(run, content: str) -> None:  # type: ignore[no-untyped-def]
    first, _ = run()
    run.cache_file.write_text(content)
    second, how = run()
    assert how == ["pipe"] and _findings(second) == _findings(first)
    third, how = run()  # rewritten by the run before: the head start is back
    assert how == ["file"] and _findings(third) == _findings(first)


def test_entries_of_the_wrong_shape_are_skipped(run) -> None:  # type: ignore[no-untyped-def]
    run()
    data = json.loads(run.cache_file.read_text())
    key = next(iter(data["entries"]))
    data["entries"][key] = ["a string", {"rg": 1}, {"rg": RG, "cwd": "/", "args": "--hidden"}]
    run.cache_file.write_text(json.dumps(data))
    _, how = run()
    assert how == ["pipe"]
