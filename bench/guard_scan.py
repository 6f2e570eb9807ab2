"""Guard scan speed: `gates check --select GUARD001` vs `rg -n -F -f patterns` on the same large tree.

Makes (or takes, with --tree) a tree of at least 100,000 files and 900 MB by copying a real source
tree (this Python environment's site-packages, text files only) several times, and plants the
prohibited symbols in one file of every 400. Runs ripgrep and gates alternately on a warm cache
and prints the median wall-time ratio (bar: gates / ripgrep <= 1.3), after checking that both
report the same set of hit lines. It also times gates' pure-Python engine once, for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYMBOLS = [
    "/sync/socket/websocket",
    "phx_join",
    "phx_reply",
    "phx_error",
    "phx_close",
    "sync:update_batch",
    "SpacetimePublisher::in_memory",
    "/api/sync/token",
]
TEXT = {".py", ".pyi", ".txt", ".md", ".rst", ".js", ".html", ".css", ".json", ".toml", ".cfg", ".ini", ".c", ".h"}
MIN_FILES = 100_000
MIN_BYTES = 900_000_000


def source_files(root: Path) -> list[Path]:
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            path = Path(folder) / name
            if not name.startswith(".") and path.suffix in TEXT and not path.is_symlink():
                out.append(path)
    return sorted(out)


def make_tree(target: Path, seed: Path) -> tuple[int, int]:
    files = source_files(seed)
    size = sum(f.stat().st_size for f in files)
    copies = max(-(-MIN_FILES // len(files)), -(-MIN_BYTES // size))
    count = total = 0
    for c in range(copies):
        for i, src in enumerate(files):
            rel = src.relative_to(seed)
            dst = target / f"copy_{c:02d}" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            data = src.read_bytes()
            if i % 400 == 0:
                data += f"\n# legacy: {SYMBOLS[(i // 400 + c) % len(SYMBOLS)]}\n".encode()
            dst.write_bytes(data)
            count += 1
            total += len(data)
    return count, total


def tree_stats(tree: Path) -> tuple[int, int]:
    count = total = 0
    for folder, _dirs, files in os.walk(tree):
        for name in files:
            count += 1
            total += (Path(folder) / name).stat().st_size
    return count, total


def make_program(root: Path) -> None:
    guards = "".join(
        f"  - {{id: g{i}, invariant: INV-01, pattern: {json.dumps(s)}, message: remove it}}\n"
        for i, s in enumerate(SYMBOLS)
    )
    (root / "data").mkdir(parents=True)
    (root / "data" / "program.yaml").write_text(
        "program: {id: bench, title: Bench, adr: docs/adr.md, owner_lane: owner:bench}\n"
        "policy: {exceptions: {max_age_days: 14}}\n"
        "evidence_classes: [{id: c, title: C, required: false}]\n"
        "sources: [{id: tree}]\n"
        "scan: {max_file_bytes: 1000000000}\n"
        f"guards:\n{guards}"
    )
    (root / "data" / "invariants.yaml").write_text(
        "invariants: [{id: INV-01, title: t, statement: s, posture: preserved, owner: o}]\n"
    )
    (root / "patterns.txt").write_text("\n".join(SYMBOLS) + "\n")


def run_rg(tree: Path, patterns: Path) -> tuple[float, set[tuple[str, int]]]:
    start = time.perf_counter()
    proc = subprocess.run(["rg", "-n", "-F", "-f", str(patterns)], cwd=tree, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    hits = set()
    for line in proc.stdout.decode(errors="replace").splitlines():
        path, number, _ = line.split(":", 2)
        hits.add((path, int(number)))
    return elapsed, hits


def run_gates(root: Path, tree: Path, engine: str) -> tuple[float, set[tuple[str, int]]]:
    env = {**os.environ, "GATES_GUARD_ENGINE": engine}
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "checks",
            "check",
            "--root",
            str(root),
            "--source",
            f"tree={tree}",
            "--select",
            "GUARD001",
            "--offline",
            "--format",
            "json",
        ],
        capture_output=True,
        env=env,
        check=False,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - start
    findings = json.loads(proc.stdout)["findings"]
    return elapsed, {(f["path"].split(":", 1)[1], f["line"]) for f in findings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, help="scan this tree instead of building one")
    parser.add_argument(
        "--seed",
        type=Path,
        default=Path(sysconfig.get_paths()["purelib"]),
        help="real source tree to copy (default: this environment's site-packages)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("rg") is None:
        print("ripgrep (rg) is needed for the comparison: apt-get install ripgrep", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tree = args.tree
        if tree is None:
            tree = work / "tree"
            t0 = time.perf_counter()
            count, total = make_tree(tree, args.seed)
            print(f"built {count:,} files, {total / 1e6:,.0f} MB from {args.seed} in {time.perf_counter() - t0:.0f} s")
        else:
            count, total = tree_stats(tree)
            print(f"scanning {tree}: {count:,} files, {total / 1e6:,.0f} MB")
        root = work / "program"
        make_program(root)
        patterns = root / "patterns.txt"
        run_rg(tree, patterns)  # warm the page cache
        run_gates(root, tree, "auto")
        rg_times, gates_times = [], []
        rg_hits: set[tuple[str, int]] = set()
        gates_hits: set[tuple[str, int]] = set()
        for _ in range(args.rounds):
            t, rg_hits = run_rg(tree, patterns)
            rg_times.append(t)
            t, gates_hits = run_gates(root, tree, "auto")
            gates_times.append(t)
        python_time, python_hits = run_gates(root, tree, "python")
    rg_median, gates_median = statistics.median(rg_times), statistics.median(gates_times)
    print(
        f"hit lines: ripgrep {len(rg_hits):,}, gates {len(gates_hits):,}, pure-Python engine {len(python_hits):,}; "
        f"identical: {'yes' if rg_hits == gates_hits == python_hits else 'NO'}"
    )
    print(f"ripgrep (rg -n -F -f patterns):   {rg_median:6.2f} s (median of {args.rounds})")
    print(f"gates check --select GUARD001:    {gates_median:6.2f} s (median of {args.rounds})")
    print(f"gates, pure-Python engine:        {python_time:6.2f} s (one run, for reference)")
    print(f"ratio gates / ripgrep: {gates_median / rg_median:.2f} (bar: <= 1.3)")
    return 0 if rg_hits == gates_hits == python_hits else 1


if __name__ == "__main__":
    raise SystemExit(main())
