"""Legacy-symbol burndown speed: `gates history` vs a plain `git grep` loop over the same commits.

Builds a synthetic repository (default 2,000 commits over a 20,000-file monorepo-shaped tree: code,
docs, dependencies and test files, with the shipped guards' symbols added and removed at known
commits) and a tracker holding the shipped program (data/*.yaml). Then, alternately:

- gates: `gates history --source openagents=REPO` with 50 sampled commits plus the bisection that
  pins every commit where a count changed (each commit counted once), from git objects, no checkout;
- the peer: for every commit gates reports (samples and changes), one `git grep -P` with the same
  patterns and the same pathspecs (the guards' paths and excludes, the program's excludes, test files).

Both must give identical per-guard counts. Bar: median gates / git grep loop <= 1.0; exit 1 if missed.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import alternate, report, verdict

from checks.history.counting import _grep_args, compiled_guards, pathspecs
from checks.model.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
BAR = 1.0
# Where file i lives: most of the tree is out of every guard's scope.
FOLDERS = [
    "apps/runtime/src",
    "apps/service_{k}/src",
    "apps/web/node_modules/pkg{k}",
    "docs/guide{k}",
    "apps/service_{k}/tests",
]


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
        # Known history: phx_join in 4 of 50 files until commit 60%; the websocket path in 2 of 200
        # until 30%; the in-memory publisher in 1 of 500 files between 20% and 80%. Some are in
        # docs, dependencies and tests, out of scope.
        if i % 50 in (0, 1, 3, 4) and rev < commits * 0.6:
            lines.append('socket.send("phx_join");')
        if i % 200 in (0, 2) and rev < commits * 0.3:
            lines.append('const URL = "/sync/socket/websocket";')
        if i % 500 == 0 and name(i).startswith("apps/runtime/") and commits * 0.2 <= rev < commits * 0.8:
            lines.append("let p = SpacetimePublisher::in_memory();")
        return "\n".join(lines) + "\n"

    def name(i: int) -> str:
        return FOLDERS[i % len(FOLDERS)].format(k=i % 40) + f"/module_{i}.rs"

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


def gates_burndown(tracker: Path, repo: Path, points: int) -> tuple[dict[str, dict[str, int]], int]:
    # No cached count: Gates keeps its history cache in GATES_CACHE_DIR, emptied before every run.
    cache = tracker.parent / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "checks",
            "history",
            "--root",
            str(tracker),
            "--source",
            f"openagents={repo}",
            *(["--max-points", str(points), "--format", "json"]),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "GATES_CACHE_DIR": str(cache)},
    )
    series = json.loads(proc.stdout)["burndown"]["openagents"]
    samples = sum(p["found_by"] == "sample" for p in series)
    return {p["commit"]: p["counts"] for p in series}, len(series) - samples


def git_grep_loop(repo: Path, shas: list[str]) -> dict[str, dict[str, int]]:
    program = load_workspace(REPO).program
    compiled = compiled_guards(program, "openagents")
    grep, specs = _grep_args(compiled), pathspecs(compiled, program)
    counts = {}
    for sha in shas:
        out = subprocess.run(
            ["git", "-C", str(repo), "grep", "-h", "-I", "-P", "--no-color", *grep, sha, "--", *specs],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        lines = out.splitlines()
        counts[sha] = {c.guard.id: sum(len(c.regex.findall(line)) for line in lines) for c in compiled}
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = work / "product"
        t0 = time.perf_counter()
        build_repo(repo, args.commits, args.files)
        print(f"built {args.commits:,} commits over {args.files:,} files in {time.perf_counter() - t0:.1f} s")
        tracker = work / "tracker"
        (tracker / "data").mkdir(parents=True)
        for name in ("program.yaml", "invariants.yaml"):
            shutil.copy(REPO / "data" / name, tracker / "data" / name)
        gates_counts, changes = gates_burndown(tracker, repo, args.points)
        shas = list(gates_counts)
        peer_counts = git_grep_loop(repo, shas)
        same = gates_counts == peer_counts
        print(
            f"commits: {len(shas) - changes} sampled + {changes} where a count changed (bisection), each counted once"
        )
        print(f"per-guard counts identical at all {len(shas)} commits: {'yes' if same else 'NO'}")
        pair = alternate(
            lambda: gates_burndown(tracker, repo, args.points), lambda: git_grep_loop(repo, shas), args.rounds
        )
    report("gates history (burndown, no cache)", f"git grep loop over the same {len(shas)} commits", pair)
    print(f"ratio gates / git grep loop: min {pair.min_ratio:.2f}, median {pair.median_ratio:.2f}")
    ok = verdict("history burndown", pair.median_ratio, BAR)
    return 0 if ok and same else 1


if __name__ == "__main__":
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    raise SystemExit(main())
