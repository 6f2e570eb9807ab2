"""Every command explains itself: description, examples, exit codes, help for each option, and the README agrees."""

from __future__ import annotations

import argparse
import re

import pytest

from checks.cli.main import build_parser
from tests.conftest import REPO


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = dict(sub.choices)
    nested = next(a for a in out["exception"]._actions if isinstance(a, argparse._SubParsersAction))
    out["exception new"] = nested.choices["new"]
    return out


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {
        o
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
        for o in a.option_strings
        if o.startswith("--")
    }


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_and_option_has_help(name: str) -> None:
    parser = _commands()[name]
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        assert action.help, f"gates {name}: {action.option_strings or action.dest} has no help text"
    if name != "exception new":
        assert parser.description, f"gates {name} has no description"
        assert parser.epilog and "examples:" in parser.epilog and "exit codes:" in parser.epilog


def test_the_readme_synopsis_lists_each_command_s_options() -> None:
    readme = (REPO / "README.md").read_text()
    block = readme[readme.index("```\ngates check") : readme.index("```\n", readme.index("```\ngates check") + 4)]
    synopsis: dict[str, set[str]] = {}
    current = ""
    for line in block.splitlines()[1:]:
        head = re.match(r"^gates (exception new|\w+)", line)
        if head:
            current = head.group(1)
            synopsis[current] = set()
        synopsis[current] |= set(re.findall(r"(--[a-z][a-z-]*)", line.split("#", 1)[0]))
    commands = _commands()
    assert set(synopsis) == set(commands) - {"exception"}
    for name, options in synopsis.items():
        assert options == _options(commands[name]), name
