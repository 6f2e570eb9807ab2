"""Helpers to build a dashboard for any program root and serve it on loopback."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).parent.parent
DASHBOARD_PAGES = [
    "index.md",
    "invariants/index.md",
    "exceptions.md",
    "drift.md",
    "guards.md",
    "evidence.md",
    "history.md",
    "rules.md",
    "tags.md",
    "assets/gates.css",
    "assets/gates-tables.js",
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def prepare_site(root: Path) -> None:
    """Give a program root the dashboard pages and a config that points at this checkout's theme and hooks."""
    for page in DASHBOARD_PAGES:
        target = root / "docs" / page
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "docs" / page, target)
    config = (REPO / "mkdocs.yml").read_text()
    config = config.split("\nnav:\n", 1)[0] + "\n"
    config = config.replace("custom_dir: checks/site/theme", f"custom_dir: {REPO / 'checks' / 'site' / 'theme'}")
    config = config.replace("  - data\n  - checks\n", "  - data\n")
    config = config.replace("  - checks/site/hooks.py", f"  - {REPO / 'checks' / 'site' / 'hooks.py'}")
    (root / "mkdocs.yml").write_text(config)


def build_site(root: Path, out: Path, today: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GATES_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
