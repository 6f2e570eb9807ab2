"""Shared argument parsing: exit codes, the usage error, value types and the options every command takes."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any, NoReturn

from checks.load.dates import parse_date

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run: bad flags, no program, unwritable output (exit 2, one line)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


class FormatAction(argparse.Action):
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


def date_arg(value: str) -> dt.date:
    date = parse_date(value)
    if date is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a calendar date YYYY-MM-DD")
    return date


def source_arg(value: str) -> tuple[str, str]:
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"{value!r} must be NAME=PATH")
    return name, path


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, help="tracker root (default: nearest folder upward with data/program.yaml)")
    p.add_argument("--today", type=date_arg, help="evaluate as of this date (default: today in the program timezone)")
    p.add_argument(
        "--source",
        type=source_arg,
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="path of a named source tree (repeatable)",
    )
    p.add_argument("--offline", action="store_true", help="make no network request (URLs are reported unchecked)")


EXIT_CODES = (
    "exit codes:\n"
    "  0  no error findings (warnings fail only with --strict)\n"
    "  1  error findings, including broken data files (findings at their line)\n"
    "  2  the command could not run: bad flags, no program found, unwritable output"
)


def command_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: tuple[str, ...],
    exit_codes: str = EXIT_CODES,
) -> argparse.ArgumentParser:
    """A command's parser with its one-line summary, a description, examples and the exit codes in --help."""
    epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples) + ("\n\n" + exit_codes if exit_codes else "")
    return sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
