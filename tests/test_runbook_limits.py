"""What the runbook scanner cannot read is reported, never passed in silence."""

from __future__ import annotations

from checks.endpoints.runbooks import MAX_LINE, RunbookScan, scan_text


def test_an_unclosed_comment_is_reported() -> None:
    scan = RunbookScan()
    scan_text("d.md", "intro\n<!-- never closed\nCall `GET /api/hidden/endpoint`.\n", ("/api/",), scan)
    assert scan.unreadable == [("d.md", "an HTML comment opened on line 2 is never closed; the rest is not checked")]


def test_a_line_over_the_limit_is_reported() -> None:
    scan = RunbookScan()
    scan_text("d.md", "x" * MAX_LINE + " `/api/beyond/the/limit`\nok\n", ("/api/",), scan)
    assert scan.unreadable == [("d.md", f"line 1 is over {MAX_LINE:,} characters; its rest is not checked")]
