"""The hostile corpus: every bad file, link and payload ends in a precise finding or a one-line error.

Each case under tests/hostile/cases/ is a folder with its payload and a case.yaml that says where
the payload goes in a copy of the fixture program, how to produce large or binary payloads, and
the exact outcome: exit code and findings (CODE@LINE) in the placed files. Every case runs in its
own process, bounded in wall time and peak memory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES, REPO

CASES = Path(__file__).parent / "hostile" / "cases"
# CPU seconds of the checker process (user + system), not wall time: a hang or superlinear blow-up
# shows in CPU time, while a loaded machine (CI, parallel work) only stretches wall time.
MAX_CPU_SECONDS = 15.0
# Wall time only as a last-resort stop for a case that sleeps or blocks without using CPU.
MAX_WALL_SECONDS = 120
MAX_RSS_MB = 300


def generate(kind: str, spec: dict[str, Any]) -> bytes:
    if kind == "huge":
        line = b"# padding to make the file large\n"
        return b"exceptions: []\n" + line * (int(spec["bytes"]) // len(line))
    if kind == "deep-flow":
        depth = int(spec["depth"])
        return b"exceptions: " + b"[" * depth + b"]" * depth + b"\n"
    if kind == "deep-block":
        depth = int(spec["depth"])
        return b"exceptions:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(depth)).encode()
    if kind == "many-exceptions":
        body = ["exceptions:"]
        for i in range(int(spec["count"])):
            body += [
                f"  - id: EXC-{i:05d}",
                f"    title: Generated {i}",
                "    invariants: [INV-01]",
                "    blocker: b",
                "    owner: '@o'",
                "    opened: 2026-03-01",
                "    expires: 2026-03-12",
                "    deletion_issue: https://example.invalid/issues/1",
                "    blast_radius: r",
                "    rollback: [x]",
                "    covers: {endpoints: [{family: sync-token, path: /api/sync/token}]}",
                "    status: active",
            ]
        return ("\n".join(body) + "\n").encode()
    if kind == "deep-markdown":
        depth = int(spec["depth"])
        return (
            "# Runbook\n\n"
            + "".join(f"{'>' * (i % 200)} {'  ' * (i % 50)}- item {i} `/api/spacetime/token`\n" for i in range(depth))
        ).encode()
    if kind == "long-line":
        return b"# Runbook\n\n" + b"`/api/spacetime/token` " * (int(spec["bytes"]) // 23) + b"\n"
    raise ValueError(f"unknown generator {kind}")


def prepare(case: Path, tmp: Path) -> tuple[Path, dict[str, Any], list[str]]:
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text())
    root = tmp / "program"
    shutil.copytree(FIXTURES / "program", root)
    targets: list[str] = []
    for step in spec.get("setup", []):
        if "remove" in step:
            (root / step["remove"]).unlink()
        if "mkdir" in step:
            (root / step["mkdir"]).mkdir(parents=True)
        if "symlink" in step:
            link = root / step["symlink"]
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(step["to"])
    for name, target in (spec.get("place") or {}).items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(case / name, root / target)
        targets.append(target)
    if "generate" in spec:
        gen = spec["generate"]
        (root / gen["target"]).write_bytes(generate(gen["kind"], gen))
        targets.append(gen["target"])
    targets += spec.get("report", [])
    return root, spec, targets


def run_case(root: Path, spec: dict[str, Any]) -> tuple[int, str, str, float, float]:
    args = [
        sys.executable,
        "-m",
        "checks",
        "check",
        "--root",
        str(root),
        "--today",
        str(spec.get("today")),
        "--offline",
        "--format",
        "json",
        *[str(a) for a in spec.get("args", [])],
    ]
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    out, err = proc.communicate(timeout=MAX_WALL_SECONDS)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Cases run one at a time, so the children's CPU time grew by exactly this child's.
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The child's peak memory: ru_maxrss of all waited-for children only grows, so a fresh
    # process per case plus a high-water mark still bounds each case from above.
    rss_mb = after.ru_maxrss / 1024
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), elapsed, rss_mb


def outcome(code: int, out: str, targets: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {"exit": code}
    if code in (0, 1):
        report = json.loads(out)
        result["findings"] = sorted(f"{f['code']}@{f['line']}" for f in report["findings"] if f["path"] in targets)
    return result


@pytest.mark.parametrize("case", sorted(CASES.iterdir()), ids=lambda p: p.name)
def test_hostile_case(case: Path, tmp_path: Path) -> None:
    root, spec, targets = prepare(case, tmp_path)
    code, out, err, elapsed, rss_mb = run_case(root, spec)
    assert "Traceback" not in err
    got = outcome(code, out, targets)
    if os.environ.get("HOSTILE_RECORD"):
        spec["expect"] = got
        if code == 2:
            spec["expect"]["stderr"] = err.strip().replace(str(root), "<root>")
        (case / "case.yaml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    expect = spec["expect"]
    assert got["exit"] == expect["exit"]
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("gates: error:")
        assert out == ""
        if "stderr" in expect:
            assert err.strip() == expect["stderr"].replace("<root>", str(root))
    else:
        assert got["findings"] == sorted(expect.get("findings", []))
    assert elapsed < MAX_CPU_SECONDS, f"took {elapsed:.1f} s of CPU"
    assert rss_mb < MAX_RSS_MB, f"peak memory {rss_mb:.0f} MB"
