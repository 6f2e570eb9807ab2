"""Guard scan speed: `gates check` with the shipped guards vs the best single ripgrep run, side by side.

The guards are those of data/program.yaml. The tree is real-shaped: a monorepo where most files are
out of every guard's scope (dependencies, build output, docs, tests), made by copying a seed tree
(`--tree DIR`, e.g. a product checkout; by default this environment's site-packages laid out as a
monorepo) until it has at least 100,000 files, with the prohibited symbols planted in one file of
every 400. The default layout puts three files of seven in some guard's scope, as in OpenAgents
itself: at its newest stored commit 5,038 of its 11,624 files (43%) are in scope. `--copies N` sets
the number of copies (`--copies 1 --tree DIR` scans DIR in place) and `--scale 1,2,4,8` prints the
ratio per size.

The peer is what a user would type: one ripgrep run with every guard pattern (ASCII word boundaries
`(?-u:\\b)`), `--no-ignore --hidden`, the guards' paths and excludes, the program's `scan.exclude`
and the test-file globs as `-g` globs, and an explicit path. Both are timed alternately, start-up
included; every line Gates reports must be one ripgrep reports. Bar: median gates/ripgrep <= 1.5 on
every tree of at least 100,000 files; the script exits 1 when it is missed.

`--sabotage` runs Gates with a slowed engine (ripgrep searches the whole tree and Python filters
the paths afterwards, as Gates once did) to show that the bench catches it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import alternate, report, verdict

from checks.model.workspace import load_workspace
from checks.scan.testcode import TEST_FILE_GLOBS

REPO = Path(__file__).resolve().parent.parent
BAR = 1.5
MIN_FILES = 100_000
PLANTED = ["/sync/socket/websocket", "phx_join", "sync:update_batch", "FanoutHub", "/api/khala/token"]
# Where the default seed's files go in each copy: three parts of seven are retained code in some
# guard's scope (43%, OpenAgents' own share); the rest is dependencies, build output, docs and tests.
LAYOUT = [
    "apps/app{c}/src",
    "apps/app{c}/node_modules",
    "crates/c{c}/src",
    "target/debug/build{c}",
    "packages/p{c}/lib",
    "docs/site{c}",
    "crates/c{c}/tests",
]
SELECT = ["--select", "GUARD001", "--offline", "--format", "json"]
SABOTAGE = (
    "import sys, checks.scan.guards.ripgrep_engine as r; r.scope_globs = lambda *a, **k: []; "
    "from checks.cli.main import main; sys.exit(main())"
)


def seed_files(root: Path) -> list[Path]:
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", "__pycache__")]
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                out.append(path)
    return sorted(out)


def make_tree(target: Path, seed: Path, copies: int, monorepo: bool) -> tuple[int, int]:
    """`copies` copies of the seed; the default seed is spread over a monorepo layout."""
    files = seed_files(seed)
    count = total = 0
    for c in range(copies):
        for i, src in enumerate(files):
            rel = src.relative_to(seed)
            base = target / f"copy_{c:02d}"
            dst = base / LAYOUT[i % len(LAYOUT)].format(c=c) / rel if monorepo else base / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            data = src.read_bytes()
            if i % 400 == 0 and b"\0" not in data:  # copies only: a tree scanned in place is left as it is
                data += f"\n// legacy: {PLANTED[(i // 400 + c) % len(PLANTED)]}\n".encode()
            dst.write_bytes(data)
            count += 1
            total += len(data)
    return count, total


def tree_stats(tree: Path) -> tuple[int, int]:
    count = total = 0
    for folder, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            count += 1
            total += (Path(folder) / name).lstat().st_size
    return count, total


def peer_command(tree: Path) -> list[str]:
    """The best single ripgrep invocation for the shipped guards."""
    program = load_workspace(REPO).program
    args = ["rg", "-n", "--no-ignore", "--hidden", "--no-messages", "-g", "!.git"]
    for g in program.guards:
        body = g.pattern.replace("\\b", "(?-u:\\b)") if g.regex else re.escape(g.pattern)
        if g.word and not g.regex:
            left = "(?-u:\\b)" if re.match(r"\w", g.pattern[0]) else ""
            right = "(?-u:\\b)" if re.match(r"\w", g.pattern[-1]) else ""
            body = f"{left}{body}{right}"
        args += ["-e", body if g.case_sensitive else f"(?i){body}"]
    paths = {p for g in program.guards for p in g.paths}
    if "**" not in paths:
        for p in sorted(paths):
            args += ["-g", p]
    shared = set.intersection(*(set(g.exclude) for g in program.guards))
    test = TEST_FILE_GLOBS if all(g.test_code != "include" for g in program.guards) else ()
    for glob in [*program.scan_exclude, *sorted(shared), *test]:
        args += ["-g", "!" + glob]
    return [*args, "--", str(tree)]


def run_peer(command: list[str], tree: Path) -> set[tuple[str, int]]:
    proc = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, check=False)
    hits = set()
    prefix = str(tree) + "/"
    for line in proc.stdout.decode(errors="replace").splitlines():
        path, number, _ = line.split(":", 2)
        hits.add((path.removeprefix(prefix), int(number)))
    return hits


def run_gates(tree: Path, sabotage: bool = False, head_start: bool = True) -> set[tuple[str, int]]:
    entry = ["-c", SABOTAGE] if sabotage else ["-m", "checks"]
    env = {k: v for k, v in os.environ.items() if k != "GATES_NO_PRESTART"}
    if not head_start:
        env["GATES_NO_PRESTART"] = "1"
    proc = subprocess.run(
        [sys.executable, *entry, "check", "--root", str(REPO), "--source", f"openagents={tree}", *SELECT],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        check=False,
        cwd=REPO,
        env=env,
    )
    findings = json.loads(proc.stdout)["findings"]
    return {(f["path"].split(":", 1)[1], f["line"]) for f in findings}


def measure(tree: Path, rounds: int, sabotage: bool) -> tuple[float, bool]:
    count, total = tree_stats(tree)
    command = peer_command(tree)
    peer_hits, gates_hits = run_peer(command, tree), run_gates(tree, sabotage)
    same = gates_hits <= peer_hits and bool(gates_hits)
    print(f"tree {tree}: {count:,} files, {total / 1e6:,.0f} MB")
    print(f"  hit lines: ripgrep {len(peer_hits):,}, gates {len(gates_hits):,}; all of gates' in ripgrep's: {same}")
    pair = alternate(lambda: run_gates(tree, sabotage), lambda: run_peer(command, tree), rounds)
    report("gates check" + (" (sabotaged engine)" if sabotage else ""), "ripgrep, one run, same scope", pair)
    print(f"  ratio gates/ripgrep: min {pair.min_ratio:.2f}, median {pair.median_ratio:.2f}")
    if not sabotage:
        # The timed runs repeat one command line, as a pull-request loop does, so ripgrep starts ahead
        # of the imports (checks.scan.rg_prestart). A command line run for the first time has no head start:
        cold = alternate(
            lambda: run_gates(tree, head_start=False), lambda: run_peer(command, tree), max(3, rounds // 2)
        )
        print(f"  first run of a command line (no head start): median ratio {cold.median_ratio:.2f} (not a bar)")
    enforced = count >= MIN_FILES
    ok = verdict("  guard scan", pair.median_ratio, BAR) if enforced else True
    if not enforced:
        print(f"  (fewer than {MIN_FILES:,} files: the bar is not enforced at this size)")
    return pair.median_ratio, ok and same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, help="seed tree to copy (or scan in place with --copies 1)")
    parser.add_argument("--copies", type=int, help="copies of the seed (default: enough for 100,000 files)")
    parser.add_argument("--scale", help="comma-separated copy counts, e.g. 1,2,4,8: the ratio per size")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sabotage", action="store_true", help="slow the engine down; the bar must then fail")
    parser.add_argument("--workdir", type=Path, help="where to build trees (default: a temporary folder)")
    args = parser.parse_args()
    if shutil.which("rg") is None:
        print("ripgrep (rg) is needed for the comparison: apt-get install ripgrep", file=sys.stderr)
        return 2
    seed = args.tree or Path(sysconfig.get_paths()["purelib"])
    monorepo = args.tree is None
    unit = len(seed_files(seed))
    default = max(1, -(-MIN_FILES // unit))
    scales = [int(s) for s in args.scale.split(",")] if args.scale else [args.copies or default]
    ok = True
    curve = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for copies in scales:
            if args.tree and copies == 1 and not args.scale:
                tree = args.tree
            else:
                tree = Path(tmp) / f"tree{copies}"
                count, _total = make_tree(tree, seed, copies, monorepo)
                print(f"built {copies} cop{'y' if copies == 1 else 'ies'} of {seed}: {count:,} files")
            ratio, passed = measure(tree, args.rounds, args.sabotage)
            curve.append((copies, tree_stats(tree)[0], ratio))
            ok = ok and passed
            if tree != args.tree:
                shutil.rmtree(tree)
    if len(curve) > 1:
        print("scaling (copies, files, median gates/ripgrep): " + "; ".join(f"{c}x {n:,} {r:.2f}" for c, n, r in curve))
    if args.sabotage:
        print("sabotaged engine: the bench " + ("FAILED as it must" if not ok else "PASSED: it does not catch it"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
