"""`gates check`: every selected rule over the program and its sources, in one or more formats."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from checks.cli.args import EXIT_FINDINGS, EXIT_OK, FormatAction, UsageError, add_common, command_parser

CHECK_FORMATS = ("auto", "text", "json", "github", "sarif", "junit", "markdown")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = command_parser(
        sub,
        "check",
        "validate the program and report findings",
        "Run every rule over the program's data, its sources, runbooks and evidence; report findings at\n"
        "file:line and the closure verdict. The verdict always counts every enabled rule; --select,\n"
        "--ignore, --changed-only and --min-severity only filter what is reported.",
        (
            "gates check --source openagents=../openagents",
            "gates check --select EXC,DATA --today 2026-03-13",
            "gates check --format sarif --output gates.sarif --format text",
            "gates check -q --changed-only origin/main",
        ),
    )
    add_common(check)
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        action=FormatAction,
        dest="outputs",
        help="output format (repeat with --output to write several)",
    )
    check.add_argument(
        "--output", action=FormatAction, dest="outputs", metavar="FILE", help="write the preceding --format to FILE"
    )
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument("--select", help="only these codes or families (comma separated)")
    check.add_argument("--ignore", help="skip these codes or families (comma separated)")
    check.add_argument(
        "--changed-only", metavar="BASE", help="report findings only in files changed since git revision BASE"
    )
    check.add_argument(
        "--progress",
        action="store_true",
        help="progress bars on stderr for the guard scan and evidence URLs (only when stderr is a terminal)",
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format: auto (a terminal, unless NO_COLOR is set), always or never",
    )
    check.add_argument(
        "--min-severity",
        choices=("info", "warning", "error"),
        default="info",
        help="report only findings of this severity or worse (the verdict still counts every finding)",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="hide info findings (the same as --min-severity warning)"
    )
    check.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import codes, load_context, write_output

    outputs = [(fmt or "auto", out) for fmt, out in (args.outputs or [["auto", None]])]
    if sum(1 for _fmt, out in outputs if out in (None, "-")) > 1:
        raise UsageError("only one --format can go to standard output; give the others --output FILE")
    for _fmt, out in outputs:
        if out is not None:
            target = Path(out)
            if target.is_dir() or not (target.parent if str(target.parent) else Path(".")).is_dir():
                raise UsageError(f"cannot write {out}: no such folder or it is a folder")
    # The guard scan is the slow part: it starts as soon as the program is read, before the rules and
    # the rest are imported (the closure verdict runs every rule, whatever --select reports, so the
    # GUARD rules always read it when the program has guards).
    ctx = load_context(args, progress=args.progress, prefetch_guards=True)
    from checks.core.changes import ChangesError, changed_files, restrict_to_changed
    from checks.core.engine import Report
    from checks.core.engine import run as run_rules
    from checks.reporters import FORMATS, write_side_outputs
    from checks.rules import all_rules

    catalog = all_rules()
    select, ignore = codes(args.select), codes(args.ignore) or set()
    try:
        changed = changed_files(ctx.root, args.changed_only) if args.changed_only else None
    except ChangesError as exc:
        raise UsageError(str(exc)) from exc
    report = run_rules(ctx, catalog, select, ignore)
    if changed is not None:
        report = restrict_to_changed(report, changed)
    floor = "warning" if args.quiet and args.min_severity == "info" else args.min_severity
    if floor != "info":
        keep = {"warning": ("error", "warning"), "error": ("error",)}[floor]
        report = Report(ctx, [f for f in report.findings if f.severity.value in keep], report.closure, report.rules)
    for fmt, out in outputs:
        if fmt == "auto":
            fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
        write_output(FORMATS[fmt](report), out)
        write_side_outputs(fmt, report)
    return EXIT_FINDINGS if report.failed(args.strict) else EXIT_OK
