"""Guard matching: compilation, applicability and how a line's hits are recorded (mutants of
checks/scan/guards/compiled.py die here)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from checks.model import Guard
from checks.model.workspace import load_workspace
from checks.scan.guards import Hit, SourceScan, Suppression
from checks.scan.guards.compiled import (
    MAX_LINE_CHARS,
    CompiledGuard,
    applicable_guards,
    compile_guard,
    record_line_hits,
)
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def guard() -> Guard:
    """A plain literal guard (legacy-websocket-path: case-sensitive, not a regex, not word-bounded)."""
    g = load_workspace(FIXTURES / "program").program.guards[0]
    assert (g.regex, g.word, g.case_sensitive) == (False, False, True)
    return g


def _compiled(guard: Guard, **changes: Any) -> CompiledGuard:
    g = dataclasses.replace(guard, **changes)
    regex, error = compile_guard(g)
    assert regex is not None, error
    return CompiledGuard(g, regex)


def _scan() -> SourceScan:
    return SourceScan("product", Path("/nonexistent"), "walk", "python")


def test_an_empty_pattern_is_refused_with_its_reason(guard: Guard) -> None:
    assert compile_guard(dataclasses.replace(guard, pattern="")) == (None, "is empty")


def test_an_unsafe_regex_is_refused_before_it_runs(guard: Guard) -> None:
    for case_sensitive in (True, False):
        regex, error = compile_guard(
            dataclasses.replace(guard, pattern="(a+)+$", regex=True, case_sensitive=case_sensitive)
        )
        assert regex is None and error is not None and error.startswith("repeats a repeat or an alternation")


def test_a_literal_is_matched_literally(guard: Guard) -> None:
    c = _compiled(guard, pattern="a.b")
    assert c.regex.search("a.b") and not c.regex.search("axb")


def test_a_regex_is_matched_as_a_regex(guard: Guard) -> None:
    c = _compiled(guard, pattern=r"phx_\d+", regex=True)
    assert c.regex.search("x phx_12 y") and not c.regex.search("phx_")
    assert not c.regex.search("PHX_12")  # case-sensitive


def test_case_sensitivity(guard: Guard) -> None:
    assert not _compiled(guard, pattern="InMemory").regex.search("inmemory")
    assert _compiled(guard, pattern="InMemory", case_sensitive=False).regex.search("inmemory")


def test_word_bounds_only_on_identifier_ends(guard: Guard) -> None:
    # 'open(' ends in a non-identifier character: no boundary after it, so 'open(x' still matches.
    c = _compiled(guard, pattern="open(", word=True)
    assert c.regex.search("f = open(x)")
    assert not c.regex.search("reopen(x)")  # starts with an identifier character: bounded on the left
    d = _compiled(guard, pattern="(open", word=True)
    assert d.regex.search("x(open") and not d.regex.search("(opened")
    e = _compiled(guard, pattern="in_memory", word=True)
    assert e.regex.search("in_memory()") and not e.regex.search("open_in_memory") and not e.regex.search("in_memory2")


def test_a_global_exclude_that_does_not_match_keeps_the_guards(guard: Guard) -> None:
    c = _compiled(guard)
    assert applicable_guards("apps/desktop/a.rs", "product", [c], ("docs/**",)) == [c]
    assert applicable_guards("docs/a.rs", "product", [c], ("docs/**",)) == []
    assert applicable_guards("apps/desktop/a.rs", "product", [c], ()) == [c]


def test_a_guard_with_sources_applies_only_to_them(guard: Guard) -> None:
    c = _compiled(guard, sources=("product",))
    assert applicable_guards("apps/a.rs", "product", [c], ()) == [c]
    assert applicable_guards("apps/a.rs", "other", [c], ()) == []


def test_paths_and_excludes(guard: Guard) -> None:
    c = _compiled(guard)
    assert applicable_guards("apps/a/tests/x.rs", "product", [c], ()) == []
    assert applicable_guards("lib/a.rs", "product", [c], ()) == []


def test_one_suppression_comment_can_name_several_guards(guard: Guard) -> None:
    a = _compiled(guard, id="guard-a", pattern="alpha")
    b = _compiled(guard, id="guard-b", pattern="beta")
    scan = _scan()
    text = '  alpha(); beta(); // gates: allow guard-a,guard-b reason="legacy shim"  '
    record_line_hits("product", "apps/x.rs", 4, text, [a, b], scan)
    shown = text.strip()
    assert scan.hits == [] and scan.unreasoned == []
    assert scan.suppressed == [
        (
            Hit("product", "apps/x.rs", 4, 3, "guard-a", "alpha", shown),
            Suppression("product", "apps/x.rs", 4, "guard-a", "legacy shim", shown),
        ),
        (
            Hit("product", "apps/x.rs", 4, 12, "guard-b", "beta", shown),
            Suppression("product", "apps/x.rs", 4, "guard-b", "legacy shim", shown),
        ),
    ]
    assert [h.line_text for h, _ in scan.suppressed] == [shown, shown]


def test_a_suppression_without_a_reason_still_counts_and_is_flagged(guard: Guard) -> None:
    a = _compiled(guard, id="guard-a", pattern="alpha")
    b = _compiled(guard, id="guard-b", pattern="beta")
    scan = _scan()
    record_line_hits("product", "apps/x.rs", 1, "alpha beta // gates: allow guard-a", [a, b], scan)
    assert [h.guard for h in scan.hits] == ["guard-a", "guard-b"]
    assert [h.guard for h in scan.unreasoned] == ["guard-a"]
    assert scan.suppressed == []


def test_a_line_without_a_hit_records_nothing(guard: Guard) -> None:
    scan = _scan()
    record_line_hits("product", "apps/x.rs", 1, "gates: allow legacy-websocket-path", [_compiled(guard)], scan)
    assert (scan.hits, scan.unreasoned, scan.suppressed) == ([], [], [])


def test_long_lines_are_cut_after_the_limit(guard: Guard) -> None:
    c = _compiled(guard, pattern="needle")
    exact = "needle" + "x" * (MAX_LINE_CHARS - 6)
    scan = _scan()
    record_line_hits("product", "apps/x.rs", 1, exact, [c], scan)
    record_line_hits("product", "apps/x.rs", 2, exact + "y", [c], scan)
    assert [h.line_text for h in scan.hits] == [exact, exact + "…"]
    assert MAX_LINE_CHARS == 400


def test_long_matches_are_cut_at_200_characters(guard: Guard) -> None:
    c = _compiled(guard, pattern="z" * 250)
    scan = _scan()
    record_line_hits("product", "apps/x.rs", 1, "z" * 250, [c], scan)
    assert [h.text for h in scan.hits] == ["z" * 200]
