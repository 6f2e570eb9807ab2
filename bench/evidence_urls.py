"""Evidence URL checking speed, with the shipped network settings: gates vs a sequential loop, and a cached re-run.

Two loopback servers (127.0.0.1 and 127.0.0.2: two hosts, as evidence links point at several
sites) answer 240 evidence URLs after 200 ms each (every tenth answers 404). The program gets the
network settings of data/program.yaml (32 requests in flight, 8 per host, 2 retries) and lets the
two loopback hosts through. Timed alternately, each gates run a new process (start-up included):

- `gates check` with an empty URL cache vs a sequential `requests` loop over the same URLs: >= 10x;
- `gates check` again, its URL answers cached, vs the first run: >= 5x faster.

The first run's floor is the per-host limit: with 8 requests in flight per host, N URLs on H hosts
take at least N / (8 H) x 200 ms (here 240 / 16 x 0.2 s = 3.0 s); the whole program's limit (32)
only binds from the fifth host on. All runs must give the same verdicts; exit 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import alternate, report, verdict

from checks.model.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
HOSTS = ("127.0.0.1", "127.0.0.2")
COUNT = 240
DELAY = 0.2
SELECT = ["--select", "EVID003", "--format", "json"]


class _Slow(http.server.BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        time.sleep(DELAY)
        number = int(self.path.rsplit("/", 1)[-1])
        status = 404 if number % 10 == 0 else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_program(root: Path, bases: list[str]) -> list[str]:
    shutil.copytree(REPO / "tests" / "fixtures" / "program", root)
    net = load_workspace(REPO).program.network
    prog = root / "data" / "program.yaml"
    prog.write_text(
        prog.read_text().replace(
            "  catalog_max_age_days: 14",
            f"  catalog_max_age_days: 14\n  allow_hosts: [{', '.join(HOSTS)}]\n"
            f"  network: {{concurrency: {net.concurrency}, per_host: {net.per_host}, retries: {net.retries}}}",
        )
    )
    print(f"shipped network settings: {net.concurrency} in flight, {net.per_host} per host, {net.retries} retries")
    urls = [f"{bases[i % len(bases)]}/run/{i}" for i in range(1, COUNT + 1)]
    lines = [
        "invariants:",
        "  - id: INV-01",
        "    title: t",
        "    statement: s",
        "    posture: preserved",
        "    owner: o",
        "    evidence:",
    ]
    lines += [f"      - {{id: U{i}, class: runtime-tests, kind: url, ref: '{u}'}}" for i, u in enumerate(urls)]
    lines += ["  - id: INV-03", "    title: t", "    statement: s", "    posture: enforced", "    owner: o"]
    (root / "data" / "invariants.yaml").write_text("\n".join(lines) + "\n")
    return urls


def run_gates(root: Path, cached: bool) -> set[str]:
    # Gates keeps its URL cache in GATES_CACHE_DIR (the user's cache directory by default).
    cache = root.parent / "cache"
    if not cached:
        shutil.rmtree(cache, ignore_errors=True)
    proc = subprocess.run(
        [sys.executable, "-m", "checks", "check", "--root", str(root), "--today", "2026-03-02", *SELECT],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "GATES_CACHE_DIR": str(cache)},
    )
    return {f["message"].split(": ", 1)[1].split(" ", 1)[0] for f in json.loads(proc.stdout)["findings"]}


def run_sequential(urls: list[str]) -> set[str]:
    broken = set()
    with requests.Session() as session:
        for url in urls:
            if session.head(url, timeout=10).status_code >= 400:
                broken.add(url)
    return broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    servers = []
    for host in HOSTS:
        server = http.server.ThreadingHTTPServer((host, 0), _Slow)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    bases = [f"http://{host}:{s.server_address[1]}" for host, s in zip(HOSTS, servers, strict=True)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "program"
            urls = make_program(root, bases)
            verdicts = [run_sequential(urls), run_gates(root, False), run_gates(root, True)]
            same = all(v == verdicts[0] for v in verdicts)
            print(f"{COUNT} URLs on {len(HOSTS)} hosts, {DELAY * 1000:.0f} ms each, {len(verdicts[0])} broken")
            print(f"same verdicts (loop, first run, cached run): {'yes' if same else 'NO'}")
            parallel = alternate(lambda: run_gates(root, False), lambda: run_sequential(urls), args.rounds)
            cache = alternate(lambda: run_gates(root, True), lambda: run_gates(root, False), args.rounds)
    finally:
        for server in servers:
            server.shutdown()
    floor = COUNT / (8 * len(HOSTS)) * DELAY
    report("gates check, empty cache (new process)", "sequential requests loop", parallel)
    print(f"  speed-up over the loop: min {1 / parallel.min_ratio:.1f}x, median {1 / parallel.median_ratio:.1f}x")
    print(f"  (the first run's floor at 8 per host: {COUNT} / (8 x {len(HOSTS)}) x {DELAY} s = {floor:.1f} s)")
    ok = verdict("evidence URLs vs sequential", 1 / parallel.median_ratio, 10, higher_is_better=True)
    report("gates check, cached (new process)", "gates check, empty cache (new process)", cache)
    print(f"  cached speed-up: min {1 / cache.min_ratio:.1f}x, median {1 / cache.median_ratio:.1f}x")
    ok = verdict("cached re-run vs first run", 1 / cache.median_ratio, 5, higher_is_better=True) and ok
    return 0 if ok and same else 1


if __name__ == "__main__":
    raise SystemExit(main())
