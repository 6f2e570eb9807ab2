"""Dashboard build cost: `mkdocs build` with the dashboard vs the same build without the macros plugin.

Generates a program 20x the shipped one (200 invariants, 400 exceptions, 2,000 evidence items,
100 runbooks), builds it both ways (alternating, several rounds) and prints the median ratio.
Bar: <= 2.0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.sitekit import prepare_site  # noqa: E402


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


def build(root: Path, config: str) -> float:
    env = {**os.environ, "GATES_TODAY": "2026-03-10", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(root / "site")],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "program"
        generate(root)
        build(root, "mkdocs.yml")  # warm caches
        with_dash, without = [], []
        for _ in range(args.rounds):
            with_dash.append(build(root, "mkdocs.yml"))
            without.append(build(root, "mkdocs-nomacros.yml"))
        a, b = statistics.median(with_dash), statistics.median(without)
        print("program: 200 invariants, 400 exceptions, 2000 evidence items, 100 runbooks")
        print(f"mkdocs build with dashboard:    {a:.2f} s (median of {args.rounds})")
        print(f"mkdocs build without macros:    {b:.2f} s (median of {args.rounds})")
        print(f"ratio: {a / b:.2f} (bar: <= 2.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
