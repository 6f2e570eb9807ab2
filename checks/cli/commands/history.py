"""`gates history`: closure over the tracker's git history, and the legacy burndown of each source."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from checks import __version__
from checks.cli.args import EXIT_OK, UsageError, add_common, command_parser, date_arg
from checks.cli.progress import Bars, on_terminal
from checks.cli.table import table

if TYPE_CHECKING:
    from rich.progress import TaskID


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = command_parser(
        sub,
        "history",
        "the tracker's data over git history, and the legacy-symbol burndown",
        "Each commit that changed data/, evaluated from its data files as of its date (exceptions and data\n"
        "errors; no closure number, since its sources are not at hand), and with --source each guard's hits\n"
        "over the source's history, read from git objects without checking anything out.",
        (
            "gates history",
            "gates history --source openagents=../openagents --since 2026-02-01 --until 2026-02-28",
            "gates history --format csv > history.csv",
        ),
        exit_codes="exit codes:\n  0  shown\n  2  could not run (bad flags, a source that is not a git repository)",
    )
    add_common(history)
    history.add_argument("--since", type=date_arg, help="first day (YYYY-MM-DD)")
    history.add_argument("--until", type=date_arg, help="last day (YYYY-MM-DD)")
    history.add_argument("--max-points", type=int, default=50, help="commits sampled (default 50)")
    history.add_argument(
        "--format", choices=("text", "json", "csv"), default="text", help="output format (default text)"
    )
    history.set_defaults(handler=run)


def _follow(bars: Bars, description: str) -> Callable[[int, int], None]:
    """A progress callback that draws one bar, added when the first step is reported."""
    task: list[TaskID | None] = []

    def step(done: int, total: int) -> None:
        if not task:
            task.append(bars.add(description, total))
        bars.update(task[0], done, total)

    return step


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context
    from checks.history import burndown, describe_missing, is_repository, tracker_history
    from checks.scan.trees import GitError

    ctx = load_context(args)
    if args.max_points < 1:
        raise UsageError("--max-points must be at least 1")
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    # A bar per series on a terminal; never under --format json, which scripts read.
    bars = Bars(args.format != "json" and on_terminal())
    try:
        if is_repository(ctx.root) or not ctx.options.sources:
            points = tracker_history(
                ctx.root, args.since, args.until, args.max_points, _follow(bars, "evaluating data/ at each change")
            )
        else:
            points = []
            print(f"gates: {ctx.root} is not a git repository; showing the burndown only", file=sys.stderr)
        burn: dict[str, list[dict[str, Any]]] = {}
        for source_id in ctx.options.sources:
            path = ctx.source_paths.get(source_id)
            if path is None:
                raise UsageError(f"--source {source_id}: {ctx.options.sources[source_id]} is not a folder")
            if not is_repository(path):
                raise UsageError(
                    f"--source {source_id}: {ctx.options.sources[source_id]} is not a git repository (a work tree, "
                    "a bare repository or a partial clone); the burndown reads the source's history"
                )
            source = ctx.program.source(source_id)
            keep = tuple(m.commit for m in source.milestones) if source else ()
            missing: set[tuple[str, str]] = set()
            burn[source_id] = burndown(
                path,
                source_id,
                ctx.program,
                args.since,
                args.until,
                args.max_points,
                ctx.root,
                _follow(bars, f"counting guard hits in {source_id}"),
                keep=keep,
                missing=missing,
            )
            for line in describe_missing(source_id, missing):
                bars.note(f"gates: {line}")
        for source_id, state in ctx.source_states.items():
            if source_id not in burn and state.record is not None and state.record.burndown:
                # No tree given: the series recorded with the source (gates record) stands in.
                burn[source_id] = state.record.burndown
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        bars.close()
    body = {
        "tool": {"name": "gates", "version": __version__},
        "program": ctx.program.id,
        "history": points,
        "burndown": burn,
    }
    if args.format == "json":
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        sys.stdout.write(to_csv(points, burn))
    else:
        marks = {
            s.id: {p["commit"]: ", ".join(m.label for m in s.milestones if m.marks(p["commit"])) for p in burn[s.id]}
            for s in ctx.program.sources
            if s.id in burn
        }
        sys.stdout.write(to_text(points, burn, marks))
    return EXIT_OK


def to_csv(points: list[dict[str, Any]], burn: dict[str, list[dict[str, Any]]]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["series", "date", "commit", "name", "value"])
    for p in points:
        # Points read only the data files of their commit: no closure number is stated for them.
        percent = "" if p.get("percent") is None else p["percent"]
        writer.writerow(["closure_percent", p["date"], p["commit"], "", percent])
        writer.writerow(["active_exceptions", p["date"], p["commit"], "", len(p["active_exceptions"])])
        writer.writerow(["errors", p["date"], p["commit"], "", p["findings"]["error"]])
    for source, series in burn.items():
        for p in series:
            for guard, n in sorted(p["counts"].items()):
                writer.writerow([f"hits:{source}", p["date"], p["commit"], guard, n])
    return buffer.getvalue()


def to_text(
    points: list[dict[str, Any]],
    burn: dict[str, list[dict[str, Any]]],
    marks: dict[str, dict[str, str]] | None = None,
) -> str:
    # Points read from data files alone carry no closure number: "n/e" (not evaluated) says so.
    evaluated = not points or any(p.get("percent") is not None for p in points)
    rows = [
        [
            p["date"],
            p["commit"][:10],
            "n/e" if p.get("percent") is None else f"{p['percent']}%",
            str(len(p["active_exceptions"])),
            str(p["findings"]["error"]),
        ]
        for p in points
    ]
    lines = table(["date", "commit", "closed%" if evaluated else "closure", "active exceptions", "errors"], rows)
    if not points:
        lines.append("(no commit changed data/ in the range)")
    for source, series in burn.items():
        guards = sorted({g for p in series for g in p["counts"]})
        rows = []
        for p in series:
            label = (marks or {}).get(source, {}).get(p["commit"], "")
            notes = ("(count changed here)" if p["found_by"] == "change" else "", f"[{label}]" if label else "")
            note = "  ".join(n for n in notes if n)
            rows.append([p["date"], p["commit"][:10], *(str(p["counts"].get(g, 0)) for g in guards), note])
        lines += ["", f"legacy-symbol burndown in {source}:", *table(["date", "commit", *guards, ""], rows)]
    return "\n".join(lines) + "\n"
