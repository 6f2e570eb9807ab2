"""Legacy-symbol burndown speed: gates (git objects, no checkout) vs ripgrep on checked-out work trees.

Builds a synthetic repository (default 2,000 commits over a 20,000-file tree, with legacy symbols
added and removed at known commits), then times:

- gates: `gates history --source` with 50 sampled commits (plus the bisection that pins every
  commit where a count changed), reading blobs from git and never checking anything out;
- the naive way: for the same 50 commits, `git worktree add` a work tree and run
  `rg -o -F -f patterns` on it.

It checks that both give identical per-guard counts at the 50 commits and prints the time ratio
(bar: gates / naive <= 1.0).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATTERNS = {
    "legacy-websocket-path": "/sync/socket/websocket",
    "phoenix-join": "phx_join",
    "in-memory-publisher": "SpacetimePublisher::in_memory",
}

PROGRAM = """program: {id: bench, title: Bench, adr: docs/adr.md, owner_lane: owner:bench}
policy: {exceptions: {max_age_days: 14}}
evidence_classes: [{id: c, title: C}]
sources: [{id: product}]
guards:
""" + "".join(
    f"  - {{id: {gid}, invariant: INV-01, pattern: '{pat}', message: remove it}}\n" for gid, pat in PATTERNS.items()
)


def build_repo(path: Path, commits: int, files: int) -> None:
    """A linear history written with git fast-import (fast, and no work tree is ever written)."""
    subprocess.run(["git", "init", "-q", "--bare", str(path / ".git")], check=True)
    out: list[bytes] = []

    def data(text: str) -> None:
        raw = text.encode()
        out.append(b"data %d\n" % len(raw) + raw + b"\n")

    def content(i: int, rev: int) -> str:
        lines = [f"// module {i}", f"pub fn handler_{i}() -> u32 {{ {i} }}"] + [
            f"let value_{k} = {k} * {i};" for k in range(6)
        ]
        # Known history: phx_join in 1 of 50 files until commit 60%; the websocket path in 1 of 200
        # until 30%; the in-memory publisher in 1 of 500 files between 20% and 80%.
        if i % 50 == 0 and rev < commits * 0.6:
            lines.append('socket.send("phx_join");')
        if i % 200 == 0 and rev < commits * 0.3:
            lines.append('const URL = "/sync/socket/websocket";')
        if i % 500 == 0 and commits * 0.2 <= rev < commits * 0.8:
            lines.append("let p = SpacetimePublisher::in_memory();")
        return "\n".join(lines) + "\n"

    def name(i: int) -> str:
        return f"apps/service_{i % 40}/src/module_{i}.rs"

    touched_at: dict[int, list[int]] = {}
    for i in range(files):
        for boundary in (0.2, 0.3, 0.6, 0.8):
            rev = int(commits * boundary)
            if content(i, rev) != content(i, rev - 1):
                touched_at.setdefault(rev, []).append(i)
    epoch = 1_767_225_600  # 2026-01-01
    for rev in range(commits):
        out.append(b"commit refs/heads/main\n")
        out.append(b"committer bench <bench@bench> %d +0000\n" % (epoch + rev * 3600))
        data(f"revision {rev}")
        changed = range(files) if rev == 0 else sorted({rev % files, (rev * 7) % files, *touched_at.get(rev, [])})
        for i in changed:
            out.append(f"M 100644 inline {name(i)}\n".encode())
            data(content(i, rev) + (f"// touched at {rev}\n" if rev else ""))
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "-C", str(path), "config", "core.bare", "false"], check=True)
    subprocess.run(["git", "-C", str(path), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)


def gates_burndown(tracker: Path, repo: Path, points: int) -> tuple[float, dict[str, dict[str, int]], int]:
    shutil.rmtree(tracker / ".gates-cache", ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "checks",
            "history",
            "--root",
            str(tracker),
            "--source",
            f"product={repo}",
            "--max-points",
            str(points),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - start
    series = json.loads(proc.stdout)["burndown"]["product"]
    samples = {p["commit"]: p["counts"] for p in series if p["found_by"] == "sample"}
    return elapsed, samples, len(series) - len(samples)


def naive(repo: Path, shas: list[str], work: Path) -> tuple[float, dict[str, dict[str, int]]]:
    patterns = work / "patterns.txt"
    patterns.write_text("\n".join(PATTERNS.values()) + "\n")
    by_text = {v: k for k, v in PATTERNS.items()}
    counts: dict[str, dict[str, int]] = {}
    start = time.perf_counter()
    for i, sha in enumerate(shas):
        tree = work / f"tree-{i}"
        subprocess.run(["git", "-C", str(repo), "worktree", "add", "-q", "--detach", str(tree), sha], check=True)
        proc = subprocess.run(
            ["rg", "-o", "-F", "-N", "--no-filename", "-f", str(patterns), str(tree)],
            capture_output=True,
            text=True,
            check=False,
        )
        found = Counter(line for line in proc.stdout.splitlines() if line)
        counts[sha] = {gid: found.get(text, 0) for text, gid in by_text.items()}
    elapsed = time.perf_counter() - start
    return elapsed, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--points", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("rg") is None:
        print("ripgrep (rg) is needed for the comparison: apt-get install ripgrep", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = work / "product"
        t0 = time.perf_counter()
        build_repo(repo, args.commits, args.files)
        print(f"built {args.commits} commits over {args.files} files in {time.perf_counter() - t0:.1f} s")
        tracker = work / "tracker"
        (tracker / "data").mkdir(parents=True)
        (tracker / "data" / "program.yaml").write_text(PROGRAM)
        (tracker / "data" / "invariants.yaml").write_text(
            "invariants: [{id: INV-01, title: t, statement: s, posture: preserved, owner: o}]\n"
        )
        gates_time, gates_counts, extra = gates_burndown(tracker, repo, args.points)
        naive_time, naive_counts = naive(repo, list(gates_counts), work)
    same = gates_counts == naive_counts
    print(f"sampled commits: {len(gates_counts)}; change commits found by bisection: {extra}")
    print(f"gates burndown (git objects, incl. bisection): {gates_time:6.2f} s")
    print(f"ripgrep on {len(naive_counts)} checked-out work trees:      {naive_time:6.2f} s")
    print(f"counts identical at every sampled commit: {'yes' if same else 'NO'}")
    print(f"ratio gates / naive: {gates_time / naive_time:.2f} (bar: <= 1.0)")
    return 0 if same else 1


if __name__ == "__main__":
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    raise SystemExit(main())
