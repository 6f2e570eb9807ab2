"""Endpoint mentions as a reader sees them: placeholder hosts resolved against the program's, base URLs, doubled slashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.endpoints.runbooks import program_host
from tests.conftest import Runner

HOSTS = ("control.example", "*.api.example")


@pytest.mark.parametrize(
    ("host", "ours"),
    [
        ("", True),  # a bare path
        ("localhost:8080", True),
        ("$host", True),
        ("${api_host}:8443", True),
        ("<host>", True),
        ("{hostname}", True),
        ("control.example", True),
        ("eu.api.example", True),
        ("{region}.api.example", True),  # the placeholder stands for one name of our wildcard host
        ("{hostname}.vendor.example", False),  # another vendor's URL template
        ("docs.vendor.example", False),
        ("${tenant}.vendor.example", False),
    ],
)
def test_placeholder_hosts_resolve_against_the_programs_hosts(host: str, ours: bool) -> None:
    assert program_host(host, HOSTS) is ours


RUNBOOK = """\
# Reading runbooks

The API root is `https://control.example/api/v1/`; every call below goes under it.
See the vendor's [token docs](https://{hostname}.vendor.example/api/v1/not-ours) for their side.
Call `GET https://{region}.api.example/api/v1/missing-here` to see a regional failure.

```bash
curl -X POST https://control.example/api//spacetime/token
```

Prefixes alone are not endpoints either: /api/ and /v1/.
Token routes live under `https://control.example/api/spacetime/`; nothing is served at that folder itself.
"""


def test_runbook_reading_findings_are_exactly_the_expected_ones(program: Path, gates: Runner) -> None:
    path = program / "data" / "program.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            '  prefixes: ["/api/", "/v1/", "/sync/"]',
            # /api/v1/ is the declared API root (a prefix): naming it is not naming an endpoint.
            '  prefixes: ["/api/", "/api/v1/", "/v1/", "/sync/"]\n  hosts: ["control.example", "*.api.example"]',
        )
    )
    (program / "docs" / "runbooks" / "reading.md").write_text(RUNBOOK)
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json", "--select", "DRIFT"
    )
    got = sorted((f["code"], f["line"]) for f in json.loads(out)["findings"] if f["path"].endswith("reading.md"))
    # Lines 3 and 12: base URLs, not endpoints. Line 4: someone else's URL. Line 5: our regional host, and
    # nothing ships the path. Line 8: one finding, for the doubled slash (the path itself ships).
    assert got == [("DRIFT001", 5), ("DRIFT012", 8)], got
    message = next(f["message"] for f in json.loads(out)["findings"] if f["code"] == "DRIFT012")
    assert "write /api/spacetime/token (which ships)" in message
