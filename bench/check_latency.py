"""PR-check latency: `gates check --offline` on the shipped program, as a new process each time.

Runs it --rounds times (after one warm-up) from the repository root, with no source tree (the
recorded sources stand in, as in CI's PR job), and prints min/median wall time, start-up included.
For reference it also times `python -c pass` (the interpreter's own start-up) alternately with it.
Bar: median <= 0.25 s; exit 1 when missed. `python -X importtime -m checks check --offline` shows
where the imports go.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import alternate, report, verdict

REPO = Path(__file__).resolve().parent.parent
BAR = 0.25


def gates_check() -> None:
    subprocess.run(
        [sys.executable, "-m", "checks", "check", "--offline", "--root", str(REPO)],
        cwd=REPO,
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def bare_python() -> None:
    subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    pair = alternate(gates_check, bare_python, args.rounds)
    report("gates check --offline (shipped program)", "python -c pass (interpreter start-up)", pair)
    median = statistics.median(pair.ours)
    print(f"gates check --offline: min {min(pair.ours):.3f} s, median {median:.3f} s")
    ok = verdict("check latency (median seconds)", median, BAR)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
