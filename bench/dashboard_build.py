"""Dashboard build cost: `mkdocs build` with the dashboard vs the same build without the macros plugin.

Generates a program 20x the shipped one (200 invariants, 400 exceptions, 2,000 evidence items,
100 runbooks) as a git repository with 20 commits of data changes, so the dashboard's history page
evaluates the program along its history as it does for the shipped tracker. Builds it both ways,
alternately (the history is computed by the first build and read from the cache (GATES_CACHE_DIR) afterwards, as
on a user's rebuild), and prints min/median ratios over 9 pairs by default (a build
takes seconds and its time varies from run to run by more than the margin to the bar). Bar: median <= 1.5; exit 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import alternate, report, verdict  # noqa: E402

from tests.sitekit import prepare_site  # noqa: E402

BAR = 1.5
HISTORY = 20


def generate(
    root: Path, invariants: int = 200, exceptions: int = 400, evidence_per: int = 10, runbooks: int = 100
) -> None:
    shutil.copytree(REPO / "tests" / "fixtures" / "program", root)
    inv_lines = ["invariants:"]
    for i in range(1, invariants + 1):
        inv_lines += [
            f"  - id: INV-{i:03d}",
            f"    title: Generated invariant {i}",
            f"    statement: Generated statement {i} that must hold for the program to close.",
            "    posture: preserved",
            f"    owner: owner:lane-{i % 7}",
            "    evidence:",
        ]
        for e in range(evidence_per):
            inv_lines.append(
                f"      - {{id: E-{i}-{e}, class: runtime-tests, kind: path, ref: docs/runbooks/r{e % runbooks}.md}}"
            )
    (root / "data" / "invariants.yaml").write_text("\n".join(inv_lines) + "\n")
    exc = ["exceptions:"]
    for x in range(exceptions):
        exc += [
            f"  - id: EXC-{x:03d}",
            f"    title: Generated exception {x}",
            "    invariants: [INV-001]",
            "    blocker: b",
            "    owner: '@o'",
            "    opened: 2026-03-01",
            "    expires: 2026-03-12",
            "    deletion_issue: https://example.invalid/issues/1",
            "    blast_radius: r",
            "    rollback: [x]",
            "    covers: {endpoints: [{family: sync-token, path: /api/sync/token}]}",
            "    status: active" if x % 4 else "    status: retired\n    retired: {date: 2026-03-05, reason: done}",
        ]
    (root / "data" / "exceptions.yaml").write_text("\n".join(exc) + "\n")
    for r in range(runbooks):
        (root / "docs" / "runbooks" / f"r{r}.md").write_text(
            f"# Runbook {r}\n\nIssue a token with `POST /api/spacetime/token` and subscribe with\n"
            f"`GET /v1/database/<db>/subscribe`.\n\n" + "Some prose. " * 80 + "\n"
        )
    prepare_site(root)
    # Without the macros plugin the same pages build with their macro calls left as text.
    config = (root / "mkdocs.yml").read_text()
    start = config.index("  - macros:")
    end = config.index("\nwatch:") if "\nwatch:" in config else len(config)
    (root / "mkdocs-nomacros.yml").write_text(config[:start] + config[end:])


def make_history(root: Path, commits: int = HISTORY) -> None:
    """A git history of the tracker: the generated program, then one exception retired per commit."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "bench"}
    env["GIT_COMMITTER_EMAIL"] = "b@b"

    def git(*args: str, day: int = 1) -> None:
        stamp = f"2026-03-{day:02d}T12:00:00+00:00"
        subprocess.run(
            ["git", "-C", str(root), *args],
            check=True,
            capture_output=True,
            env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "generated program")
    exceptions = root / "data" / "exceptions.yaml"
    for c in range(1, commits):
        text = exceptions.read_text()
        exceptions.write_text(
            text.replace("    status: active", "    status: retired\n    retired: {date: 2026-03-05, reason: done}", 1)
        )
        git("commit", "-q", "-am", f"retire one exception ({c})", day=1 + c % 28)


def build(root: Path, config: str) -> None:
    # The history cache lives in GATES_CACHE_DIR: kept between builds, as on a user's machine.
    env = {
        **os.environ,
        "GATES_TODAY": "2026-03-10",
        "NO_MKDOCS_2_WARNING": "1",
        "GATES_CACHE_DIR": str(root.parent / "cache"),
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(root / "site")],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "program"
        generate(root)
        make_history(root)
        pair = alternate(lambda: build(root, "mkdocs.yml"), lambda: build(root, "mkdocs-nomacros.yml"), args.rounds)
        history = (root / "site" / "history" / "index.html").read_text() if (root / "site" / "history").exists() else ""
    print(f"program: 200 invariants, 400 exceptions, 2000 evidence items, 100 runbooks; {HISTORY} commits of history")
    print(f"history page built: {'yes' if history else 'NO'}")
    report("mkdocs build with the dashboard", "mkdocs build without the macros plugin", pair)
    print(f"ratio with / without: min {pair.min_ratio:.2f}, median {pair.median_ratio:.2f}")
    ok = verdict("dashboard build", pair.median_ratio, BAR)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
