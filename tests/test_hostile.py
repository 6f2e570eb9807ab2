"""The hostile corpus: every bad file, link and payload ends in a precise finding or a one-line error.

Each case under tests/hostile/cases/ is a folder with its payload and a case.yaml that says where
the payload goes in a copy of the fixture program, how to produce large or binary payloads, and
the exact outcome: exit code and findings (CODE@LINE) in the placed files. Every case runs in its
own process, bounded in wall time and peak memory.

Setup steps: `remove`, `mkdir`, `move` (to `to`), `symlink` (to `to`), `fifo` and `socket` make the
named path. Optional keys: `source: true` copies the fixture product tree and passes it as `--source
product=...` (setup and place targets starting with `product/` go into that copy); `command`
runs another command than `check --format json` (findings are then not parsed); `expect.marker`
names text the payload tries to put at the start of an output line (as `::MARKER::` after a line
break), which no line of stdout may start with, bare or behind `::`, after its indentation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
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
    if kind == "many-scalars":
        return b"exceptions: []\nx: [" + b",".join([b"1"] * int(spec["count"])) + b"]\n"
    if kind == "many-keys":
        return b"exceptions: []\nx:\n" + b"".join(f"  k{i}: 1\n".encode() for i in range(int(spec["count"])))
    if kind == "many-evidence":
        item = "      {{id: E{i}, class: runtime-tests, kind: path, ref: docs/runbooks/tokens.md}},"
        body = [
            "invariants:",
            "  - {id: INV-01, title: t, statement: s, posture: preserved, owner: o, evidence: [",
            *(item.format(i=i) for i in range(int(spec["count"]))),
            "    ]}",
            "  - {id: INV-03, title: t, statement: s, posture: enforced, owner: o, evidence: [",
            "      {id: INV-03-E1, class: guard-checks, kind: path, ref: data/program.yaml}]}",
        ]
        return ("\n".join(body) + "\n").encode()
    raise ValueError(f"unknown generator {kind}")


def _at(root: Path, product: Path | None, rel: str) -> Path:
    """Where a case's path goes: in the product copy for `product/...` when the case has a source."""
    if product is not None and rel.startswith("product/"):
        return product / rel.removeprefix("product/")
    return root / rel


def prepare(case: Path, tmp: Path) -> tuple[Path, Path | None, dict[str, Any], list[str]]:
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text())
    root = tmp / "program"
    shutil.copytree(FIXTURES / "program", root)
    product = None
    if spec.get("source"):
        product = tmp / "product"
        shutil.copytree(FIXTURES / "product", product)
    targets: list[str] = []
    for step in spec.get("setup", []):
        if "remove" in step:
            _at(root, product, step["remove"]).unlink()
        if "mkdir" in step:
            _at(root, product, step["mkdir"]).mkdir(parents=True)
        if "move" in step:
            shutil.move(_at(root, product, step["move"]), _at(root, product, step["to"]))
        if "symlink" in step:
            link = _at(root, product, step["symlink"])
            link.parent.mkdir(parents=True, exist_ok=True)
            link.unlink(missing_ok=True)
            link.symlink_to(step["to"])
        if "fifo" in step:
            fifo = _at(root, product, step["fifo"])
            fifo.parent.mkdir(parents=True, exist_ok=True)
            fifo.unlink(missing_ok=True)
            os.mkfifo(fifo)
        if "socket" in step:
            path = _at(root, product, step["socket"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(str(path))  # the socket file stays after the socket is closed
    for name, target in (spec.get("place") or {}).items():
        dest = _at(root, product, target)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(case / name, dest)
        targets.append(target)
    if "generate" in spec:
        gen = spec["generate"]
        (root / gen["target"]).write_bytes(generate(gen["kind"], gen))
        targets.append(gen["target"])
    targets += spec.get("report", [])
    return root, product, spec, targets


def run_case(root: Path, product: Path | None, spec: dict[str, Any]) -> tuple[int, str, str, float, float]:
    command = [str(a) for a in spec.get("command", ["check", "--offline", "--format", "json"])]
    args = [sys.executable, "-m", "checks", *command, "--root", str(root), "--today", str(spec.get("today"))]
    if product is not None:
        args += ["--source", f"product={product}"]
    args += [str(a) for a in spec.get("args", [])]
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root if "command" in spec else REPO
    )
    out, err = proc.communicate(timeout=MAX_WALL_SECONDS)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Cases run one at a time, so the children's CPU time grew by exactly this child's.
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The child's peak memory: ru_maxrss of all waited-for children only grows, so a fresh
    # process per case plus a high-water mark still bounds each case from above.
    rss_mb = after.ru_maxrss / 1024
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), elapsed, rss_mb


def outcome(code: int, out: str, targets: list[str], parsed: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {"exit": code}
    if code in (0, 1) and parsed:
        report = json.loads(out)
        result["findings"] = sorted(f"{f['code']}@{f['line']}" for f in report["findings"] if f["path"] in targets)
    return result


@pytest.mark.parametrize("case", sorted(CASES.iterdir()), ids=lambda p: p.name)
def test_hostile_case(case: Path, tmp_path: Path) -> None:
    root, product, spec, targets = prepare(case, tmp_path)
    code, out, err, elapsed, rss_mb = run_case(root, product, spec)
    assert "Traceback" not in err
    got = outcome(code, out, targets, "command" not in spec)
    if os.environ.get("HOSTILE_RECORD"):
        marker = spec.get("expect", {}).get("marker")
        spec["expect"] = {**got, **({"marker": marker} if marker else {})}
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
    elif "command" not in spec:
        assert got["findings"] == sorted(expect.get("findings", []))
    if "marker" in expect:
        # Line starts as a terminal or a CI runner sees them: after a newline or a carriage return.
        marker = expect["marker"]
        starts = [line.lstrip() for line in re.split(r"\r\n|\r|\n", out)]
        assert marker in out, "the payload must reach the output for the case to prove anything"
        assert not [line for line in starts if line.startswith((f"::{marker}", marker))]
    assert elapsed < MAX_CPU_SECONDS, f"took {elapsed:.1f} s of CPU"
    assert rss_mb < MAX_RSS_MB, f"peak memory {rss_mb:.0f} MB"
