"""Mistakes in the data name their likely cause and the line to look at, and suggest the name that was meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.load.yamlload import load_bytes
from tests.conftest import Runner


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        (
            b"a:\n  title: Fix: the thing\n",
            2,
            "a value holding ': ' needs quotes: on line 2, write title: \"Fix: the thing\"",
        ),
        (b"a:\n  b: 1\n   c: 2\n", 3, "line 3 is indented deeper than the line above it (3 spaces, not 2)"),
        (b"- id: x\n    foo: 1\n", 2, "line 2 is indented deeper than the line above it (4 spaces, not 2)"),
        (b"a:\n\tb: 1\n", 2, "line 2 is indented with a tab; YAML indents with spaces only"),
        (b"a: 'abc\nb: 2\n", 1, "a quote opened on line 1 is never closed"),
        (b'a: "x" y\n', 1, "text follows a closing quote on line 1; put the whole value inside the quotes"),
        (b"a: [1, 2]]\n", 1, "the ']' on line 1 closes nothing"),
        (b"owner: @team\n", 1, "a plain value cannot start with '@' (line 1); put the value in quotes"),
        (b'pattern: "\\d+"\n', 1, "a backslash in double quotes starts an escape (line 1); use single quotes"),
        (b"a:\n  - 1\n  b: 2\n", 3, "line 3 sits at the indentation of a list but does not start with '- '"),
        (b"k: v\nfoo\nbar: 1\n", 3, "line 2 lacks 'key: value'"),
    ],
)
def test_a_syntax_error_names_its_likely_cause_first(text: bytes, line: int, cause: str) -> None:
    (problem,) = load_bytes(text, "f.yaml").problems
    assert problem.code == "DATA001" and problem.line == line
    assert problem.message.startswith(f"YAML syntax: {cause}"), problem.message
    assert "(the parser says: " in problem.message  # PyYAML's words stay, for searching


def test_a_broken_data_file_is_one_finding_at_its_line(program: Path, gates: Runner) -> None:
    exceptions = program / "data" / "exceptions.yaml"
    exceptions.write_text(exceptions.read_text().replace("title: Token alias while", "title: Token alias: while"))
    code, out, err = gates("check", "--root", program, "--today", "2026-03-05", "--offline", "--select", "DATA001")
    assert code == 1 and err == ""
    (finding,) = [line for line in out.splitlines() if "DATA001" in line]
    assert finding.startswith("data/exceptions.yaml:3:")
    assert 'write title: "Token alias: while clients migrate"' in finding


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("invariants: [INV-01]", "invariants: [INV-011]", "invariant 'INV-011' does not exist; did you mean 'INV-01'?"),
        ("guard: sync-token-alias-route", "guard: sync-token-alias-rout", "did you mean 'sync-token-alias-route'?"),
        (
            "family: sync-token,",
            "family: sync-tokn,",
            "alias family 'sync-tokn' does not exist; did you mean 'sync-token'?",
        ),
    ],
)
def test_an_unknown_reference_in_an_exception_suggests_the_name_meant(
    program: Path, gates: Runner, old: str, new: str, expected: str
) -> None:
    exceptions = program / "data" / "exceptions.yaml"
    assert old in exceptions.read_text()
    exceptions.write_text(exceptions.read_text().replace(old, new))
    _, out, _ = gates("check", "--root", program, "--today", "2026-03-05", "--offline", "--select", "DATA005")
    (finding,) = [line for line in out.splitlines() if "DATA005" in line]
    assert finding.startswith("data/exceptions.yaml:") and expected in finding
