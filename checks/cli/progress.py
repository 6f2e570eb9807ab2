"""Progress bars on stderr for the slow steps (guard scans, history), drawn only on a terminal."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from checks.model import Program
    from checks.scan.guards import PendingScan


def on_terminal() -> bool:
    """Bars are for someone watching: stderr must be a terminal that can redraw a line in place."""
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class Bars:
    """Bars on stderr. Disabled, every method does nothing and rich is never imported (start-up time)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._lock = threading.Lock()
        # Set by close(): no bar is drawn after it, from any thread.
        self.closed = threading.Event()

    def _started(self) -> Progress | None:
        with self._lock:
            if self.closed.is_set():
                return None
            if self._progress is None:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                self._progress = Progress(
                    TextColumn("gates: {task.description}"),
                    # Plain colours: the theme's true colours turn grey on a 16-colour terminal.
                    BarColumn(complete_style="cyan", finished_style="green"),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=Console(file=sys.stderr),
                    # Standard output carries the report: the bar never takes it over.
                    redirect_stdout=False,
                    redirect_stderr=False,
                    # Gone when the step ends, so a finished run leaves only its output behind.
                    transient=True,
                )
                self._progress.start()
            return self._progress

    def add(self, description: str, total: int | None) -> TaskID | None:
        """A new bar; `total=None` animates until `update` gives one (the size of the work is unknown)."""
        progress = self._started() if self.enabled else None
        return progress.add_task(description, total=total) if progress is not None else None

    def update(self, task: TaskID | None, completed: int, total: int | None = None) -> None:
        progress = self._progress  # read once: another thread may close the bars meanwhile
        if task is not None and progress is not None:
            progress.update(task, completed=completed, total=total)

    def note(self, line: str) -> None:
        """A line of its own on stderr, printed above the bars rather than through them."""
        progress = self._progress
        if progress is not None:
            progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        """Stop drawing and give the cursor back (rich hides it while a bar is drawn)."""
        with self._lock:
            self.closed.set()
            if self._progress is not None:
                self._progress.stop()
                self._progress = None


def scan_with_bars(program: Program, paths: dict[str, Path | None]) -> tuple[PendingScan, Bars]:
    """The guard scan in the background, one bar per source; `closed` is set once the bars are gone.

    The engines do not report per file (ripgrep is one process per source), so a bar runs while its
    source is scanned and fills when it is done.
    """
    from checks.scan.guards import GuardScan, PendingScan, SourceScan, scan_guards

    bars = Bars(True)

    def work() -> GuardScan:
        merged: dict[str, SourceScan | None] = {}
        try:
            for source_id, path in paths.items():
                if path is None:
                    continue
                task = bars.add(f"scanning {source_id} for guard hits", None)
                part = scan_guards(program, {source_id: path}).sources
                bars.update(task, 1, 1)
                for key, value in part.items():
                    # Each source's own scan wins; the others are absent in that scan.
                    if key == source_id or key not in merged:
                        merged[key] = value
        finally:
            bars.close()
        return GuardScan(merged)

    return PendingScan(work), bars
