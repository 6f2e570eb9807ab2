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


def test_blocks_marked_as_examples_are_not_checked() -> None:
    """A fence or code block marked `example` is illustration: its endpoints and file names are not held
    to the catalog or the tree; the same block unmarked is."""
    from checks.endpoints.rst import scan_rst
    from checks.endpoints.runbooks import RunbookScan, scan_text

    md = (
        "Call `POST /api/sync/token`.\n"
        "\n"
        "```bash example\n"
        "curl -X POST https://example.test/api/made-up\n"
        "```\n"
        "\n"
        "``` { .http .example }\n"
        "GET /api/also-made-up\n"
        "```\n"
        "\n"
        "```bash\n"
        "curl -X POST https://example.test/api/real-one\n"
        "```\n"
    )
    scan = RunbookScan()
    scan_text("docs/run.md", md, ("/api/",), scan)
    assert [(e.line, e.path) for e in scan.endpoints] == [(1, "/api/sync/token"), (12, "/api/real-one")]

    rst = (
        "Steps\n=====\n\n"
        ".. code-block:: bash\n   :class: example\n\n   curl -X POST http://localhost/api/made-up\n\n"
        ".. code-block:: bash\n\n   curl -X POST http://localhost/api/real-one\n"
    )
    scan = RunbookScan()
    scan_rst("docs/run.rst", rst, ("/api/",), scan)
    assert [(e.line, e.path) for e in scan.endpoints] == [(11, "/api/real-one")]


def test_an_example_fence_hides_its_file_references_end_to_end(program: Path, gates: Runner) -> None:
    runbook = program / "docs" / "runbooks" / "examples.md"
    runbook.write_text(
        "# Examples\n\n```text example\nSee [the layout](no/such/file.md) and GET /api/v1/imaginary\n```\n"
        "\nSee [missing](no/such/other.md).\n"
    )
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json", "--select", "DRIFT"
    )
    here = [(f["code"], f["line"]) for f in json.loads(out)["findings"] if f["path"].endswith("examples.md")]
    assert here == [("DRIFT007", 7)]
