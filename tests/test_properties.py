"""Property-based tests: no exception escapes, and results are deterministic."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from checks.endpoints.normalize import normalize, same_endpoint
from checks.endpoints.runbooks import RunbookScan, scan_text
from checks.load.dates import parse_date
from checks.load.schema import validate
from checks.load.yamlload import load_bytes

YAMLISH = st.text(
    alphabet=st.sampled_from([*list("ab:- \n\t'\"[]{}&*!#|>%@`,?<=~0123456789."), "é", "\x00"]), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), YAMLISH.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_loader_never_raises_and_is_deterministic(raw: bytes) -> None:
    first = load_bytes(raw, "x.yaml")
    second = load_bytes(raw, "x.yaml")
    assert first.problems == second.problems and first.data == second.data
    for problem in first.problems:
        assert problem.code in ("DATA001", "DATA002") and problem.line >= 1
    if first.readable:
        for name in ("program", "invariants", "exceptions"):
            list(validate(first, name))  # schema validation of anything the loader accepts never raises


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_date_never_raises(text: str) -> None:
    value = parse_date(text)
    assert value is None or (isinstance(value, dt.date) and value.isoformat() == text)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=-40, max_value=40),
)
def test_time_rules_are_consistent(opened: dt.date, length: int, offset: int) -> None:
    from checks.model import Waiver, Where
    from checks.model.workspace import load_workspace
    from checks.policy.waivers import evaluate
    from tests.conftest import FIXTURES

    program = load_workspace(FIXTURES / "program").program
    waiver = Waiver(
        id="EXC-001",
        title="t",
        invariants=("INV-01",),
        surface="s",
        blocker="b",
        owner="o",
        opened=opened,
        expires=opened + dt.timedelta(days=length),
        deletion_issue="https://x.invalid/1",
        blast_radius="r",
        rollback=("x",),
        renewals=(),
        guard_covers=(),
        endpoint_covers=(),
        status="active",
        retired_date=None,
        retired_reason="",
        retired_link="",
        where=Where.__new__(Where),
    )
    today = opened + dt.timedelta(days=length + offset)
    state = evaluate(waiver, program, today)
    assert state == evaluate(waiver, program, today)
    # Compliant exactly inside its window: opened (not in the future), not expired, not stale.
    assert state.compliant == (opened <= today <= waiver.expires and length <= 14 and (today - opened).days <= 14)
    assert state.days_left == length - (length + offset)


SEGMENT = st.text(alphabet=st.sampled_from(list("abz09_-.:{}<>*$")), min_size=0, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(SEGMENT, max_size=6), st.sampled_from(["", "/", "?q=1", "#f", "/?x"]))
def test_normalize_is_idempotent_and_total(segments: list[str], tail: str) -> None:
    path = "/" + "/".join(segments) + tail
    once = normalize(path)
    assert once.startswith("/")
    assert normalize(once) == once
    assert same_endpoint(path, path)


MARKDOWN = st.lists(
    st.sampled_from(
        [
            *list("`~>#-*[]()<!/ \n.$:"),
            "api",
            "v1",
            "GET ",
            "POST ",
            "curl ",
            "https://h",
            "```",
            "<!--",
            "-->",
            "gates: ignore DRIFT001",
            "{db}",
            "<db>",
            "x.md",
        ]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_runbook_extraction_is_total_and_deterministic(text: str) -> None:
    first, second = RunbookScan(), RunbookScan()
    scan_text("d.md", text, ("/api/", "/v1/"), first)
    scan_text("d.md", text, ("/api/", "/v1/"), second)
    assert first.endpoints == second.endpoints and first.files == second.files
    lines = text.splitlines()
    for ref in first.endpoints:
        assert 1 <= ref.line <= len(lines) and ref.path.startswith("/")


_SEGMENTS = st.sampled_from(["api", "v1", "sync", "token", "{id}", ":name", "{*rest}", "*", "x"])


@given(
    templates=st.lists(st.lists(_SEGMENTS, max_size=4).map(lambda s: "/" + "/".join(s)), max_size=12),
    path=st.lists(_SEGMENTS, max_size=5).map(lambda s: "/" + "/".join(s)),
)
def test_template_index_finds_exactly_what_same_endpoint_matches(templates: list[str], path: str) -> None:
    """The catalog's index is an optimisation of pairwise matching, never a different answer."""
    from checks.endpoints.normalize import TemplateIndex, same_endpoint

    index = TemplateIndex((t, n) for n, t in enumerate(templates))
    assert index.matching(path) == [n for n, t in enumerate(templates) if same_endpoint(t, path)]


def _reference_skip_string(text: str, i: int) -> int:
    """The character-at-a-time string scanner route extraction is specified by."""
    quote, j = text[i], i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j + 1
        if quote == "'" and j - i > 3 and c == "\n":
            return i + 1
        j += 1
    return j


def _reference_balanced(text: str, open_at: int) -> int:
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack, i = [pairs[text[open_at]]], open_at + 1
    while i < len(text) and stack:
        c = text[i]
        if c in '"`' or (c == "'" and i + 2 < len(text) and (text[i + 2] == "'" or text[i + 1] == "\\")):
            i = _reference_skip_string(text, i)
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return len(text) - 1


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="(){}[]\"'`/*\\\nab ", max_size=60))
def test_bracket_matching_agrees_with_the_character_scanner(text: str) -> None:
    # The fast scanner (one bracket table per file, regex jumps) must close every bracket where the
    # plain scanner does, wherever the bracket sits: code, string or comment.
    from checks.endpoints.routes.common import balanced, skip_string

    for i, c in enumerate(text):
        if c in "([{":
            assert balanced(text, i) == _reference_balanced(text, i), (text, i)
        if c in "\"'`":
            assert skip_string(text, i) == _reference_skip_string(text, i), (text, i)
