"""Runbooks in reStructuredText are read as a reader sees them; other doc formats are named, never skipped silently."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, Runner


def test_rst_runbook_findings_are_exactly_the_expected_ones(program: Path, gates: Runner) -> None:
    runbooks = program / "docs" / "runbooks"
    shutil.copy(FIXTURES / "rst" / "operations.rst", runbooks / "operations.rst")
    (program / "config").mkdir()
    (program / "config" / "sync.toml").write_text("x = 1\n")
    (runbooks / "notes.adoc").write_text("= Notes\n\nCall /api/whatever.\n")
    path = program / "data" / "program.yaml"
    path.write_text(path.read_text().replace('include: ["docs/runbooks/**/*.md"]', 'include: ["docs/runbooks/**"]'))
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json", "--select", "DRIFT"
    )
    findings = [f for f in json.loads(out)["findings"] if f["code"] not in ("DRIFT005",)]
    got = sorted((f["code"], f["path"], f["line"]) for f in findings)
    doc = "docs/runbooks/operations.rst"
    assert got == [
        ("DRIFT001", doc, 9),  # POST (from `-X POST` on the line before the `\`) /api/rotate/now is not shipped
        ("DRIFT001", doc, 16),  # an http:get directive; the fixture's snapshot ships no stream cursor route
        ("DRIFT001", doc, 20),  # an http:delete directive for an endpoint nothing ships
        ("DRIFT002", doc, 5),  # a prescribed prohibited endpoint, in an inline literal
        ("DRIFT007", doc, 26),  # a link to a file that does not exist
        ("DRIFT010", "data/program.yaml", 73),  # notes.adoc is not read, and says so
    ], got
    messages = {f["line"]: f["message"] for f in findings if f["path"] == doc}
    assert messages[9].startswith("runbook names POST /api/rotate/now")
    assert messages[16].startswith("runbook names GET /api/v1/streams/{stream_id}/cursor")
    assert messages[20].startswith("runbook names DELETE /api/v1/removed/{id}")
    unread = next(f["message"] for f in findings if f["code"] == "DRIFT010")
    assert "docs/runbooks/notes.adoc" in unread and "Markdown and reStructuredText only" in unread
