"""Hostile shapes the rules must handle: raw HTML in runbooks, polynomial regexes, thousands of covers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time

import pytest

from checks.evidence.results import EvidenceResult, EvidenceResults, EvidenceStatus
from checks.model import Evidence, GuardCover, Waiver
from checks.model.workspace import load_workspace
from checks.policy.coverage import Covers, HitIndex, cover_matches
from checks.policy.waivers import evaluate_all
from checks.rules.drift_html import find_raw_html
from checks.scan.guards import Hit
from checks.scan.regexsafety import unsafe_regex
from tests.conftest import FIXTURES

# ---------------------------------------------------------------- raw HTML in runbooks

REFUSED = [
    "<script>alert(1)</script>",
    "<SCRIPT src=x></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<img/onerror=alert(1) src=x>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x73;cript&colon;alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="vbscript:x">x</a>',
    "[x](javascript:alert(1))",
    "[x]( <javascript:alert(1)>)",
    "![x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[r]: javascript:alert(1)",
    "<iframe src=x></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    '<meta http-equiv="refresh" content="0;url=x">',
    '<base href="https://x.invalid/">',
    "<form action=x><button>go</button></form>",
]
TEXT = [
    "`<script>alert(1)</script>` in a code span",
    "``<img src=x onerror=alert(1)>`` in a double code span",
    "<!-- <script>alert(1)</script> -->",
    "a < b and x<y; online=true",
    "[docs](https://example.invalid/javascript:guide)",
    '<a href="https://example.invalid/onboarding">ok</a>',
    "<details><summary>More</summary>text</details>",
    "javascript: is a scheme that runbooks never link to",
    "Set `onclick=` only in examples.",
]


@pytest.mark.parametrize("line", REFUSED)
def test_raw_html_that_could_run_script_is_found(line: str) -> None:
    (found,) = find_raw_html(f"# Runbook\n\n{line}\n")
    assert found.line == 3


@pytest.mark.parametrize("line", TEXT)
def test_text_that_only_looks_like_html_is_not(line: str) -> None:
    assert find_raw_html(f"# Runbook\n\n{line}\n") == []


def test_fences_comments_and_tags_over_several_lines() -> None:
    text = "\n".join(
        [
            "```html",  # 1
            "<script>alert(1)</script>",
            "```",
            "<!--",
            "<iframe src=x>",  # 5, inside a comment
            "-->",
            "<img src=x",
            "  onerror=alert(1)>",  # 8: the handler's line
            '<a href="java',
            'script:alert(1)">x</a>',  # 10: browsers drop the line break inside the URL
            "<img src=x onerror=alert(1)",  # 11: never closed before the paragraph ends: text
            "",
            "~~~",
            "[x](javascript:alert(1))",
            "~~~",
        ]
    )
    assert [(f.line, f.column) for f in find_raw_html(text)] == [(8, 3), (9, 1)]
    assert [f.line for f in find_raw_html(".. raw:: html\n\n   <script>x</script>\n", rst=True)] == [1]
    assert find_raw_html("<script>x</script>\n", rst=True) == []  # rST shows it as text


@pytest.mark.parametrize(
    "line",
    [
        "`a``" * 200_000,
        "-->" + "<!--" * 200_000,
        "<a " * 300_000,
        "<a onx" * 150_000,
        "=javascript" * 100_000,
        "&#106;" * 150_000,
        "](" * 400_000,
        " " * 500_000 + "<script",
    ],
)
def test_a_hostile_line_costs_time_in_proportion_to_its_length(line: str) -> None:
    start = time.process_time()
    find_raw_html(line)
    # Linear work on ~1 MB is well under a second; a quadratic pass would take minutes.
    assert time.process_time() - start < 5


# ---------------------------------------------------------------- regexes


@pytest.mark.parametrize(
    "pattern",
    [
        "(a|a)*$",
        "(a|aa)+$",
        "(?:a?){30}a{30}",
        "(a+)+$",
        r"\s*\s*x",
        r"\d+\d+x",
        ".*.*x",
        r"\w*\d*\w*x",
        "[a-z]+[a-z0-9]*",
    ],
)
def test_exponential_and_polynomial_shapes_are_refused(pattern: str) -> None:
    assert unsafe_regex(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bphx_(join|reply|error|close|leave)\b",
        r"/api/(spacetime|v1/sync|v1/spacetime|khala)/token\b",
        r"\s*,\s*",
        "a.*b",
        "[a-z]+[0-9]*",
        r"\d{1,3}\d{1,3}",
        "(?:a|b)*c",
    ],
)
def test_linear_patterns_stay_allowed(pattern: str) -> None:
    assert unsafe_regex(pattern) is None


# ---------------------------------------------------------------- thousands of covers and results

# After the fixture exception expired: every matching cover is then listed among the lapsed ones.
LAPSED = dt.date(2026, 3, 20)
PATHS = ["apps/a/x.rs", "apps/a/y.rs", "apps/b/z.rs", "crates/c/lib.rs", "apps/a", "apps/b/deep/q.rs"]
GLOBS = ["apps/a", "apps/a/x.rs", "apps/**", "apps/*/x.rs", "./apps/b", "/crates/c/", "apps/a/", "", "apps/[ab]/z.rs"]


def test_the_cover_index_answers_as_matching_every_cover_would() -> None:
    ws = load_workspace(FIXTURES / "program")
    base, program = ws.waivers[0], ws.program
    rng = random.Random(7)
    guards = ["sync-token-alias-route", "legacy-websocket-path"]
    waivers: list[Waiver] = []
    for i in range(60):
        covers = tuple(
            GuardCover(
                rng.choice(guards),
                rng.choice(["", "", "product", "other"]),
                tuple(rng.sample(GLOBS, rng.randint(0, 2))),
                base.guard_covers[0].where,
            )
            for _ in range(rng.randint(1, 2))
        )
        waivers.append(
            dataclasses.replace(base, id=f"EXC-{i:03d}", guard_covers=covers, invariants=("INV-01", "INV-03"))
        )
    hits = [Hit(rng.choice(["product", "other"]), p, 1, 1, g, "x", "x") for p in PATHS for g in guards]
    states = evaluate_all(tuple(waivers), program, LAPSED)
    covers, index = Covers(program, tuple(waivers), states), HitIndex(hits)
    for hit in hits:
        expected = {w.id for w in waivers for gc in w.guard_covers if cover_matches(gc, hit)}
        decided = covers.guard_cover(hit)
        assert decided.waived_by is None and {s.id for s in decided.lapsed} == expected, hit
    for w in waivers:
        for gc in w.guard_covers:
            assert index.any_match(gc) == any(cover_matches(gc, hit) for hit in hits), gc


def test_evidence_lookups_by_invariant_and_class_keep_the_file_order() -> None:
    items = [
        Evidence(f"E{i}", f"INV-0{i % 3}", f"class-{i % 2}", "path", "ref", "", "", None)  # type: ignore[arg-type]
        for i in range(30)
    ]
    results = EvidenceResults([EvidenceResult(e, EvidenceStatus.VERIFIED, "") for e in items])
    for inv in ("INV-00", "INV-01", "INV-02", "INV-09"):
        assert results.for_invariant(inv) == [r for r in results.results if r.evidence.invariant == inv]
    for cls in ("class-0", "class-1", "class-9"):
        assert results.for_class(cls) == [r for r in results.results if r.evidence.class_id == cls]
