"""From parsed arguments to a loaded run: the tracker root, its data, the sources and the options."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checks.cli.args import UsageError
from checks.cli.progress import on_terminal
from checks.load.workspace import NoProgram, find_root, read_documents
from checks.model import build_program
from checks.model.options import Options, resolve_sources

if TYPE_CHECKING:
    # Imported once the guard scan is running (see load_context): they are most of start-up.
    from checks.core.context import Context


def wants_color(choice: str) -> bool:
    """--color always|never, or auto: a terminal on stdout and no NO_COLOR (https://no-color.org)."""
    if choice in ("always", "never"):
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def load_context(args: argparse.Namespace, progress: bool = False, prefetch_guards: bool = False) -> Context:
    """The run's context: root found, data read once, sources resolved, the guard scan started if asked."""
    try:
        root = args.root.resolve() if args.root else find_root(Path.cwd())
    except NoProgram as exc:
        raise UsageError(str(exc)) from exc
    if not (root / "data" / "program.yaml").is_file():
        raise UsageError(f"no data/program.yaml under {root}")
    docs = read_documents(root)
    program = build_program(docs["program"])
    known = {s.id for s in program.sources}
    sources = dict(getattr(args, "source", []) or [])
    unknown = sorted(set(sources) - known)
    if unknown and docs["program"].readable:
        raise UsageError(
            f"--source {unknown[0]}: no such source in data/program.yaml (known: {', '.join(sorted(known)) or 'none'})"
        )
    for name, given in sources.items():
        # A path that is not a folder is a mistake to say, not a reason to fall back to the record.
        if not Path(given).expanduser().is_dir():
            what = "does not exist" if not Path(given).expanduser().exists() else "is not a folder"
            raise UsageError(f"--source {name}: {given} {what}")
    options = Options(
        today=args.today,
        offline=getattr(args, "offline", False),
        strict=getattr(args, "strict", False),
        sources=sources,
        # Bars only where someone watches: --progress on a terminal (evidence URLs read this too).
        progress=progress and on_terminal(),
        color=wants_color(getattr(args, "color", "never")),
    )
    scan = None
    bars = None
    paths = resolve_sources(program, root, options) if prefetch_guards and program.guards else {}
    if any(paths.values()) and options.progress:
        from checks.cli.progress import scan_with_bars

        scan, bars = scan_with_bars(program, paths)
    elif any(paths.values()):
        from checks.scan.guards import start_guard_scan

        scan = start_guard_scan(program, paths)
    # Only now the rest: the scan (mostly ripgrep) runs while the rules and validation are imported.
    from checks.core.context import Context
    from checks.model.workspace import load_workspace

    try:
        context = Context(load_workspace(root, docs=docs, program=program), options, scan)
        if bars is not None:
            # One bar at a time on the terminal: the evidence URL bar must not draw over the scan's.
            bars.closed.wait()
    except BaseException:
        if bars is not None:
            bars.close()  # interrupted: the terminal gets its cursor back
        raise
    return context


def write_output(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def codes(spec: str | None) -> set[str] | None:
    if spec is None:
        return None
    if not spec.strip(" ,"):
        raise UsageError("--select/--ignore need at least one code, slug or family (see 'gates rules')")
    from checks.rules import resolve_codes

    try:
        return resolve_codes(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
