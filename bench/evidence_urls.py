"""Evidence URL checking speed: gates vs a sequential `requests` loop, and a cached re-run.

A loopback server answers each of 300 evidence URLs after 100 ms (every tenth answers 404).
Prints gates' speed-up over the sequential loop (bar: >= 10x) and the cached re-run's speed-up
over the first run (bar: >= 20x), after checking that all three give the same verdicts.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
COUNT = 300
DELAY = 0.1


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


def make_program(root: Path, base: str) -> list[str]:
    shutil.copytree(REPO / "tests" / "fixtures" / "program", root)
    prog = root / "data" / "program.yaml"
    prog.write_text(
        prog.read_text().replace(
            "  catalog_max_age_days: 14",
            "  catalog_max_age_days: 14\n  allow_hosts: [127.0.0.1]\n  network: {concurrency: 64, per_host: 64, retries: 0}",
        )
    )
    urls = [f"{base}/run/{i}" for i in range(1, COUNT + 1)]
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


def run_gates(root: Path) -> tuple[float, set[str]]:
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "checks",
            "check",
            "--root",
            str(root),
            "--today",
            "2026-03-02",
            "--select",
            "EVID003",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    broken = {f["message"].split(": ", 1)[1].split(" ", 1)[0] for f in json.loads(proc.stdout)["findings"]}
    return elapsed, broken


def run_phase(root: Path) -> tuple[float, set[str]]:
    """The evidence URL phase alone, in-process: what the pool and the cache speed up."""
    from checks.core.context import Context, Options
    from checks.evidence.verify import BROKEN, verify_evidence
    from checks.model.workspace import load_workspace

    ctx = Context(load_workspace(root), Options())
    start = time.perf_counter()
    results = verify_evidence(ctx.scope)
    elapsed = time.perf_counter() - start
    return elapsed, {r.evidence.ref for r in results.results if r.status == BROKEN}


def run_sequential(urls: list[str]) -> tuple[float, set[str]]:
    start = time.perf_counter()
    broken = set()
    with requests.Session() as session:
        for url in urls:
            if session.head(url, timeout=10).status_code >= 400:
                broken.add(url)
    return time.perf_counter() - start, broken


def main() -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "program"
            urls = make_program(root, base)
            seq_time, seq_broken = run_sequential(urls)
            phase_first, phase_first_broken = run_phase(root)
            phase_cached, phase_cached_broken = run_phase(root)
            shutil.rmtree(root / ".gates-cache")
            cli_first, cli_first_broken = run_gates(root)
            cli_cached, cli_cached_broken = run_gates(root)
    finally:
        server.shutdown()
    verdicts = [seq_broken, phase_first_broken, phase_cached_broken, cli_first_broken, cli_cached_broken]
    assert all(v == seq_broken for v in verdicts), "verdicts differ"
    print(f"{COUNT} URLs, {DELAY * 1000:.0f} ms each, {len(seq_broken)} broken (same verdicts in every run)")
    print(f"sequential requests loop:        {seq_time:6.2f} s")
    print(
        f"gates URL phase, first run:      {phase_first:6.2f} s  -> {seq_time / phase_first:5.1f}x faster than the loop "
        "(bar: >= 10x)"
    )
    print(
        f"gates URL phase, cached re-run:  {phase_cached:6.3f} s  -> {phase_first / phase_cached:5.1f}x faster than the "
        "first run (bar: >= 20x)"
    )
    print(f"whole CLI, first run:            {cli_first:6.2f} s  -> {seq_time / cli_first:5.1f}x faster than the loop")
    print(
        f"whole CLI, cached re-run:        {cli_cached:6.2f} s  -> {cli_first / cli_cached:5.1f}x "
        "(bounded by interpreter start-up and imports, which no cache removes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
