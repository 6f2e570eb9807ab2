"""Shared by the bench scripts: alternate two commands, and print min/median times and ratios."""

from __future__ import annotations

import compileall
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def compile_package() -> None:
    """Byte-compile the package, as `pip install` does for an installed program.

    An editable install is compiled on first import, unless PYTHONDONTWRITEBYTECODE is set (as on some
    CI machines): then every run would compile every module again, which no installed copy does.
    """
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "checks"), quiet=1)


@dataclass
class Pair:
    ours: list[float]
    peer: list[float]

    @property
    def min_ratio(self) -> float:
        return min(self.ours) / min(self.peer)

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.peer)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def alternate(ours: Callable[[], object], peer: Callable[[], object], rounds: int) -> Pair:
    """One warm-up each, then `rounds` pairs, the order flipped every round (neither always runs on a warmer cache)."""
    compile_package()
    ours()
    peer()
    pair = Pair([], [])
    for i in range(rounds):
        if i % 2:
            pair.ours.append(timed(ours))
            pair.peer.append(timed(peer))
        else:
            pair.peer.append(timed(peer))
            pair.ours.append(timed(ours))
    return pair


def report(label_ours: str, label_peer: str, pair: Pair) -> None:
    for label, times in ((label_peer, pair.peer), (label_ours, pair.ours)):
        print(f"  {label:<44} min {min(times):7.3f} s   median {statistics.median(times):7.3f} s  (n={len(times)})")


def verdict(name: str, ratio: float, bar: float, higher_is_better: bool = False) -> bool:
    ok = ratio >= bar if higher_is_better else ratio <= bar
    sign = ">=" if higher_is_better else "<="
    print(f"{name}: {ratio:.2f} (bar {sign} {bar}) {'PASS' if ok else 'FAIL'}")
    return ok
