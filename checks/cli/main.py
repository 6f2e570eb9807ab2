"""The `gates` command line: parse, run, report, exit (0 clean, 1 findings, 2 could not run)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from checks import __version__
from checks.core.context import Context, Options
from checks.core.registry import all_rules, resolve_codes
from checks.load.dates import parse_date
from checks.load.workspace import NoProgram, find_root, read_documents
from checks.model import build_program
from checks.model.workspace import load_workspace

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CHECK_FORMATS = ("auto", "text", "json", "github", "sarif", "junit", "markdown")


class UsageError(Exception):
    """The command cannot run: bad flags, no program, unwritable output (exit 2, one line)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _FormatAction(argparse.Action):
    """`--format F [--output FILE]` pairs: each --output belongs to the --format before it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        outputs: list[list[str | None]] = getattr(namespace, "outputs", None) or []
        if option_string == "--format":
            if outputs and outputs[-1][0] is None:
                outputs[-1][0] = values
            else:
                outputs.append([values, None])
        elif not outputs or outputs[-1][1] is not None:
            outputs.append([None, values])
        else:
            outputs[-1][1] = values
        namespace.outputs = outputs


def _today(value: str) -> dt.date:
    date = parse_date(value)
    if date is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a calendar date YYYY-MM-DD")
    return date


def _source(value: str) -> tuple[str, str]:
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"{value!r} must be NAME=PATH")
    return name, path


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, help="tracker root (default: nearest folder upward with data/program.yaml)")
    p.add_argument("--today", type=_today, help="evaluate as of this date (default: today in the program timezone)")
    p.add_argument(
        "--source",
        type=_source,
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="path of a named source tree (repeatable)",
    )
    p.add_argument("--offline", action="store_true", help="make no network request (URLs are reported unchecked)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gates", description="Track a migration program to auditable closure.")
    parser.add_argument("--version", action="version", version=f"gates {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="validate the program and report findings")
    _common(check)
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        action=_FormatAction,
        dest="outputs",
        help="output format (repeat with --output to write several)",
    )
    check.add_argument(
        "--output", action=_FormatAction, dest="outputs", metavar="FILE", help="write the preceding --format to FILE"
    )
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument("--select", help="only these codes or families (comma separated)")
    check.add_argument("--ignore", help="skip these codes or families (comma separated)")
    check.add_argument(
        "--changed-only", metavar="BASE", help="report findings only in files changed since git revision BASE"
    )
    check.add_argument("--progress", action="store_true", help="show progress on stderr")

    validate = sub.add_parser("validate", help="fast: schema and exception rules, findings in the given files")
    validate.add_argument("files", nargs="*", help="data files to report on (default: all)")
    validate.add_argument("--root", type=Path)
    validate.add_argument("--today", type=_today)
    validate.add_argument("--format", choices=("text", "json", "github"), default="text")

    history = sub.add_parser("history", help="closure over git history, and the legacy-symbol burndown")
    _common(history)
    history.add_argument("--since", type=_today, help="first day (YYYY-MM-DD)")
    history.add_argument("--until", type=_today, help="last day (YYYY-MM-DD)")
    history.add_argument("--max-points", type=int, default=50, help="commits sampled (default 50)")
    history.add_argument("--format", choices=("text", "json", "csv"), default="text")

    status = sub.add_parser("status", help="closure summary: invariants and exceptions")
    _common(status)
    status.add_argument("--format", choices=("text", "json"), default="text")

    rules = sub.add_parser("rules", help="the rule catalog")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    endpoints = sub.add_parser("endpoints", help="the shipped endpoint catalog")
    _common(endpoints)
    endpoints.add_argument("--refresh", action="store_true", help="write the snapshot from live sources")
    endpoints.add_argument("--format", choices=("text", "json"), default="text")

    exception = sub.add_parser("exception", help="work with exceptions")
    exc_sub = exception.add_subparsers(dest="exception_command", metavar="ACTION", parser_class=_Parser)
    new = exc_sub.add_parser("new", help="print a complete exception skeleton to fill in")
    new.add_argument("--root", type=Path)
    new.add_argument("--today", type=_today)
    new.add_argument("--invariant", default="INV-03")
    new.add_argument("--title", default="")
    new.add_argument("--owner", default="")

    return parser


def _wants_guards(select: str | None) -> bool:
    """Whether the guard scan will be needed, decided before the rule registry is even imported."""
    if select is None:
        return True
    words = {w.strip().upper() for w in select.split(",")}
    return any(
        w.startswith(("GUARD", "EXC"))
        or w in ("PROHIBITED-SYMBOL", "WAIVED-SYMBOL", "SOURCE-UNAVAILABLE", "EXCEPTION-UNUSED")
        for w in words
    )


def _context(args: argparse.Namespace, progress: bool = False, prefetch_guards: bool = False) -> Context:
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
    options = Options(
        today=args.today,
        offline=getattr(args, "offline", False),
        strict=getattr(args, "strict", False),
        sources=sources,
        progress=progress,
    )
    scan = None
    if prefetch_guards:
        from checks.core.context import resolve_sources
        from checks.scan.guards import start_guard_scan

        scan = start_guard_scan(program, resolve_sources(program, root, options), progress)
    return Context(load_workspace(root, docs=docs, program=program), options, scan)


def _write(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def _codes(spec: str | None) -> set[str] | None:
    if spec is None:
        return None
    try:
        return resolve_codes(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def cmd_check(args: argparse.Namespace) -> int:
    from checks.core.changes import ChangesError, changed_files, restrict_to_changed
    from checks.core.engine import run
    from checks.reporters import FORMATS, write_side_outputs

    outputs = [(fmt or "auto", out) for fmt, out in (args.outputs or [["auto", None]])]
    for _fmt, out in outputs:
        if out is not None:
            target = Path(out)
            if target.is_dir() or not (target.parent if str(target.parent) else Path(".")).is_dir():
                raise UsageError(f"cannot write {out}: no such folder or it is a folder")
    ctx = _context(args, progress=args.progress, prefetch_guards=_wants_guards(args.select))
    try:
        changed = changed_files(ctx.root, args.changed_only) if args.changed_only else None
    except ChangesError as exc:
        raise UsageError(str(exc)) from exc
    report = run(ctx, _codes(args.select), _codes(args.ignore) or set())
    if changed is not None:
        report = restrict_to_changed(report, changed)
    for fmt, out in outputs:
        if fmt == "auto":
            fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
        _write(FORMATS[fmt](report), out)
        write_side_outputs(fmt, report)
    return EXIT_FINDINGS if report.failed(args.strict) else EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Schema, reference and exception rules only, offline: what a pre-commit hook can afford."""
    from checks.core.engine import Report, run
    from checks.reporters import FORMATS

    root = (args.root or (Path(args.files[0]).parent if args.files else Path.cwd())).resolve()
    ns = argparse.Namespace(
        root=find_root(root) if not args.root else root, today=args.today, source=[], offline=True, strict=False
    )
    ctx = _context(ns)
    codes = {r.code for r in all_rules() if r.family == "DATA"} | {
        "EXC001",
        "EXC002",
        "EXC003",
        "EXC004",
        "EXC005",
        "EXC007",
    }
    report = run(ctx, codes)
    if args.files:
        wanted = set()
        for name in args.files:
            try:
                wanted.add(Path(name).resolve().relative_to(ctx.root).as_posix())
            except ValueError:
                wanted.add(name)
        report = Report(ctx, [f for f in report.findings if f.path in wanted], report.closure, report.rules)
    sys.stdout.write(FORMATS[args.format](report))
    return EXIT_FINDINGS if report.failed(strict=False) else EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from checks.history.history import cmd_history as history

    return history(_context(args), args)


def cmd_status(args: argparse.Namespace) -> int:
    from checks.cli.commands.status import format_status
    from checks.core.engine import run

    ctx = _context(args)
    report = run(ctx)
    if args.format == "json":
        body = {
            "tool": {"name": "gates", "version": __version__},
            "today": ctx.today.isoformat(),
            "root": str(ctx.root),
            "summary": report.summary,
            "closure": report.closure.as_dict(),
        }
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_status(report))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.format == "json":
        body = [
            {"code": r.code, "rule": r.slug, "severity": r.severity.value, "summary": r.summary, "doc": r.doc}
            for r in rules
        ]
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        width = max(len(r.slug) for r in rules)
        for r in rules:
            sys.stdout.write(f"{r.code}  {r.slug:<{width}}  {r.severity.value:<7}  {r.summary}\n")
    return EXIT_OK


def cmd_endpoints(args: argparse.Namespace) -> int:
    from checks.endpoints.catalog import build_catalog, write_snapshot

    ctx = _context(args)
    catalog = build_catalog(ctx, use_snapshot=not args.refresh)
    if args.refresh:
        live = [s for s, c in catalog.services.items() if c is not None and c.refreshable]
        if not live:
            raise UsageError("no service has a live source to refresh from; pass --source NAME=PATH")
        try:
            file = write_snapshot(ctx, catalog)
        except OSError as exc:
            raise UsageError(f"cannot write the snapshot {ctx.program.snapshot}: {exc.strerror or exc}") from exc
        kept = [s for s, c in catalog.services.items() if c is None]
        note = f"; kept previous entries for {', '.join(kept)}" if kept else ""
        print(f"gates: wrote {file.relative_to(ctx.root)} from {', '.join(live)}{note}", file=sys.stderr)
    if args.format == "json":
        body = {
            "services": {
                s: ({**c.provenance(), "live": c.live, "endpoints": [e.as_dict() for e in c.endpoints]} if c else None)
                for s, c in catalog.services.items()
            },
            "problems": [{"service": p.service, "message": p.message} for p in catalog.problems],
        }
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        for service, cat in catalog.services.items():
            if cat is None:
                sys.stdout.write(f"{service}: unknown (no live source, no snapshot entry)\n")
                continue
            origin = "live" if cat.live else f"snapshot {cat.generated}"
            sys.stdout.write(f"{service}: {len(cat.endpoints)} endpoints ({cat.kind}, {origin})\n")
            for e in cat.endpoints:
                sys.stdout.write(f"  {e.method:<7} {e.path}    {e.origin}\n")
        for p in catalog.problems:
            sys.stdout.write(f"warning: {p.service}: {p.message}\n")
    return EXIT_OK


def cmd_exception_new(args: argparse.Namespace) -> int:
    from checks.cli.commands.skeleton import exception_skeleton

    ctx = _context(argparse.Namespace(root=args.root, today=args.today, source=[], offline=True))
    sys.stdout.write(exception_skeleton(ctx, args.invariant, args.title, args.owner))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if args.command == "exception":
            if args.exception_command != "new":
                raise UsageError("gates exception needs an action: new")
            return cmd_exception_new(args)
        handler = {
            "check": cmd_check,
            "status": cmd_status,
            "rules": cmd_rules,
            "endpoints": cmd_endpoints,
            "validate": cmd_validate,
            "history": cmd_history,
        }[args.command]
        return handler(args)
    except UsageError as exc:
        print(f"gates: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gates: interrupted", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("GATES_DEBUG"):
            traceback.print_exc()
        print(f"gates: internal error: {type(exc).__name__}: {exc} (set GATES_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE
