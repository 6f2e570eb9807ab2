"""The dashboard's HTML helpers, exactly, without a browser (mutants of checks/site/html.py die here)."""

from __future__ import annotations

import pytest

from checks.site.html import (
    anchor,
    badge,
    block,
    esc,
    label_badge,
    link,
    result_badge,
    severity_badge,
    state_badge,
    status_badge,
    table,
)
from checks.site.palette import BAD, FALLBACK, GOOD, INFO, INVALID, NEUTRAL, RETIRED, WARN

HOSTILE = "<script>alert('x')</script> & \"q\""
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"


def test_esc_escapes_markup_and_both_quotes() -> None:
    assert esc(HOSTILE) == ESCAPED
    assert esc(None) == ""
    assert esc(0) == "0"
    assert esc(3.5) == "3.5"


def test_links_only_for_http_urls() -> None:
    assert link("https://ci.invalid/runs/7?a=1&b=2") == (
        '<a href="https://ci.invalid/runs/7?a=1&amp;b=2" rel="noopener nofollow">https://ci.invalid/runs/7?a=1&amp;b=2</a>'
    )
    assert (
        link("http://h.invalid/", "run <7>") == '<a href="http://h.invalid/" rel="noopener nofollow">run &lt;7&gt;</a>'
    )
    assert link("http://h.invalid/", "") == '<a href="http://h.invalid/" rel="noopener nofollow"></a>'


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://h.invalid/x",
        "//h.invalid/x",
        'https://h.invalid/"onmouseover="x',
        "https://h.invalid/a b",
        "https://h.invalid/<x>",
        " https://h.invalid/",
        "HTTPS://h.invalid/",
        "https://",
    ],
)
def test_anything_else_is_inert_text(url: str) -> None:
    assert link(url) == f"<code>{esc(url)}</code>"
    assert link(url, "label") == "<code>label</code>"


def test_an_empty_url_is_nothing() -> None:
    assert link("") == ""
    assert link("", "label") == ""


def test_block_is_one_line() -> None:
    assert block("<p>a\nb</p>", "\n<p>c</p>") == '<div class="gates"><p>a b</p> <p>c</p></div>'
    assert block() == '<div class="gates"></div>'


def test_table_escapes_headers_not_cells() -> None:
    html = table(["a<b", "c"], [["<i>1</i>", "2"], ["3", "4"]], "wide")
    assert html == (
        '<div class="gates-scroll"><table class="gates-table wide"><thead><tr><th>a&lt;b</th><th>c</th></tr></thead>'
        "<tbody><tr><td><i>1</i></td><td>2</td></tr><tr><td>3</td><td>4</td></tr></tbody></table></div>"
    )
    assert table([], []) == (
        '<div class="gates-scroll"><table class="gates-table "><thead><tr></tr></thead><tbody></tbody></table></div>'
    )


def test_badges_escape_their_text_and_take_the_palette() -> None:
    assert badge(HOSTILE, "#123456") == f'<span class="gates-badge" style="background:#123456">{ESCAPED}</span>'
    expected = {
        status_badge: {"closed": GOOD, "open": NEUTRAL, "at-risk": WARN, "violated": BAD, "other": FALLBACK},
        state_badge: {"active": GOOD, "expiring": WARN, "invalid": INVALID, "retired": RETIRED, "other": FALLBACK},
        result_badge: {"verified": GOOD, "refused": INVALID, "shown": INFO, "other": FALLBACK},
        severity_badge: {"error": BAD, "warning": WARN, "info": INFO, "other": INFO},
        label_badge: {"shipped": GOOD, "not shipped": BAD, "undocumented": NEUTRAL, "other": FALLBACK},
    }
    for function, colours in expected.items():
        for text, colour in colours.items():
            assert function(text) == f'<span class="gates-badge" style="background:{colour}">{esc(text)}</span>'


def test_anchor_is_lower_case_letters_digits_and_dashes() -> None:
    assert anchor("INV-03") == "inv-03"
    assert anchor("EXC 1/a_b<x>") == "exc-1-a-b-x-"
    assert anchor("") == ""


def test_a_url_with_a_trailing_newline_is_not_a_link() -> None:
    from checks.site.html import link

    assert "href" not in link("https://host.invalid/x\n")
