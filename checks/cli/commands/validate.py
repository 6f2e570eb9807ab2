"""`gates validate`: schema, reference and exception rules only, offline — what a pre-commit hook affords."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from checks.cli.args import EXIT_FINDINGS, EXIT_OK, UsageError, command_parser, date_arg

# The exception rules that read nothing but the data files (EXC006 needs the sources): the same time,
# lane and date rules `gates check` applies, so a pre-commit hook never passes what CI then fails.
VALIDATE_EXC_CODES = ("EXC001", "EXC002", "EXC003", "EXC004", "EXC005", "EXC007", "EXC008", "EXC009", "EXC010")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = command_parser(
        sub,
        "validate",
        "fast: schema and exception rules, findings in the given files",
        "Schema, reference and exception time rules only, offline, in a fraction of a second: what a\n"
        "pre-commit hook can afford. It states no closure verdict (it runs only part of the rules).",
        ("gates validate", "gates validate data/exceptions.yaml --today 2026-03-13"),
    )
    validate.add_argument("files", nargs="*", help="data files to report on (default: all)")
    validate.add_argument(
        "--root", type=Path, help="tracker root (default: nearest folder upward with data/program.yaml)"
    )
    validate.add_argument(
        "--today", type=date_arg, help="evaluate as of this date (default: today in the program timezone)"
    )
    validate.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format (default text)"
    )
    validate.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from checks.cli.session import load_context
    from checks.core.engine import Report
    from checks.core.engine import run as run_rules
    from checks.load.workspace import NoProgram, find_root
    from checks.reporters import FORMATS
    from checks.rules import all_rules

    root = (args.root or (Path(args.files[0]).parent if args.files else Path.cwd())).resolve()
    try:
        found = find_root(root) if not args.root else root
    except NoProgram as exc:
        raise UsageError(str(exc)) from exc
    ns = argparse.Namespace(root=found, today=args.today, source=[], offline=True, strict=False)
    ctx = load_context(ns)
    catalog = all_rules()
    codes = {r.code for r in catalog if r.family == "DATA"} | set(VALIDATE_EXC_CODES)
    report = run_rules(ctx, catalog, codes, closure=False)
    if args.files:
        from checks.load.workspace import DATA_FILES

        wanted = set()
        for name in args.files:
            try:
                rel = Path(name).resolve().relative_to(ctx.root).as_posix()
            except ValueError:
                rel = name
            if not Path(name).exists():
                raise UsageError(f"{name}: no such file")
            if rel not in DATA_FILES.values():
                print(f"gates: {name} is not one of the tracker's data files; not checked", file=sys.stderr)
                continue
            wanted.add(rel)
        report = Report(ctx, [f for f in report.findings if f.path in wanted], report.closure, report.rules)
    sys.stdout.write(FORMATS[args.format](report))
    return EXIT_FINDINGS if report.failed(strict=False) else EXIT_OK
