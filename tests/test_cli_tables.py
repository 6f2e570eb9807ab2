"""Text tables line up: every row's column starts where its header does, whatever the width of the values."""

from __future__ import annotations

import json
import re
from pathlib import Path

from checks.cli.commands.history import to_text
from tests.conftest import Runner


def _column(header: str, name: str) -> int:
    """Where the header's column `name` starts (a whole cell, not a part of a longer name)."""
    found = re.search(rf"(?:^|  ){re.escape(name)}(?:  |$)", header)
    assert found, (name, header)
    return found.start() + (0 if found.start() == 0 and header.startswith(name) else 2)


def _split(header: str, names: list[str], rows: list[str]) -> list[list[str]]:
    """Cut each row at the offsets where the header's columns start; every cut must fall on a column gap."""
    offsets = [_column(header, n) for n in names]
    assert offsets == sorted(offsets), header
    cells = []
    for row in rows:
        for at in offsets[1:]:
            assert row[at - 2 : at] == "  ", f"column at {at} does not start after a gap in {row!r}"
        bounds = [*offsets[1:], None]
        cells.append([row[a:b].strip() for a, b in zip(offsets, bounds, strict=True)])
    return cells


def _table_after(lines: list[str], first: str) -> tuple[str, list[str]]:
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start], lines[start + 1 : end]


def test_endpoints_is_one_aligned_table_with_each_endpoint_s_role(program: Path, product: Path, gates: Runner) -> None:
    routes = product / "apps" / "control" / "src" / "routes.rs"
    routes.write_text(
        routes.read_text().replace(
            '.route("/api/health", get(health))',
            '.route("/api/health", get(health))\n'
            '        .route("/sync/socket/websocket", get(legacy_ws))\n'
            '        .route("/api/v1/a/path/much/longer/than/every/other/path/in/the/catalog", get(long))',
        )
    )
    args = ("endpoints", "--root", program, "--today", "2026-03-05", "--offline", "--source", f"product={product}")
    code, out, _ = gates(*args)
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["control: 7 endpoints (preset:axum, live)", "spacetime-host: 2 endpoints (manifest, live)"]
    header, rows = _table_after(lines, "service ")
    cells = _split(header, ["service", "method", "path", "role", "registered at"], rows)
    assert len(cells) == 9
    roles = {(c[1], c[2]): c[3] for c in cells}
    assert roles[("GET", "/sync/socket/websocket")] == "prohibited"
    assert roles[("POST", "/api/spacetime/token")] == "canonical"
    assert roles[("POST", "/api/sync/token")] == "alias"
    assert roles[("GET", "/v1/database/:name_or_identity/subscribe")] == "canonical"
    assert roles[("GET", "/api/health")] == "-"
    assert ["control", "GET", "/api/health", "-", "product:apps/control/src/routes.rs:5"] in cells
    # The JSON says the same, for scripts.
    body = json.loads(gates(*args, "--format", "json")[1])
    by_path = {e["path"]: e["role"] for e in body["services"]["control"]["endpoints"]}
    assert by_path["/sync/socket/websocket"] == "prohibited" and by_path["/api/sync/token"] == "alias"
    assert by_path["/api/health"] == ""


def test_history_columns_line_up_whatever_the_width_of_the_values() -> None:
    points = [
        {"date": "2026-03-01", "commit": "a" * 40, "percent": 100, "active_exceptions": [], "findings": {"error": 0}},
        {
            "date": "2026-03-02",
            "commit": "b" * 40,
            "percent": None,
            "active_exceptions": [f"EXC-{i:03d}" for i in range(12)],
            "findings": {"error": 1234567},
        },
    ]
    burn = {
        "product": [
            {"commit": "c" * 40, "date": "2026-03-01", "found_by": "sample", "counts": {"g": 1234567, "a-long-id": 1}},
            {"commit": "d" * 40, "date": "2026-03-02", "found_by": "change", "counts": {"g": 0, "a-long-id": 22}},
        ]
    }
    lines = to_text(points, burn, {"product": {"d" * 40: "convergence"}}).splitlines()
    header, rows = _table_after(lines, "date ")
    assert _split(header, ["date", "commit", "closed%", "active exceptions", "errors"], rows) == [
        ["2026-03-01", "a" * 10, "100%", "0", "0"],
        ["2026-03-02", "b" * 10, "n/e", "12", "1234567"],
    ]
    assert lines[lines.index(header) + len(rows) + 2] == "legacy-symbol burndown in product:"
    header, rows = _table_after(lines[lines.index(header) + len(rows) + 3 :], "date ")
    cells = _split(header, ["date", "commit", "a-long-id", "g"], rows)
    assert [c[:3] for c in cells] == [["2026-03-01", "c" * 10, "1"], ["2026-03-02", "d" * 10, "22"]]
    assert cells[0][3] == "1234567" and cells[1][3].split()[0] == "0"
    # The notes are a column of their own, after the widest count of the last guard.
    assert rows[1].index("(count changed here)  [convergence]") == _column(header, "g") + len("1234567") + 2


def test_history_says_not_evaluated_when_no_point_has_a_closure_number() -> None:
    point = {
        "date": "2026-03-01",
        "commit": "e" * 40,
        "percent": None,
        "active_exceptions": [],
        "findings": {"error": 2},
    }
    lines = to_text([point], {}).splitlines()
    assert _split(lines[0], ["date", "commit", "closure", "active exceptions", "errors"], lines[1:]) == [
        ["2026-03-01", "e" * 10, "n/e", "0", "2"]
    ]


def test_rules_and_status_columns_line_up(program: Path, gates: Runner) -> None:
    _, out, _ = gates("rules")
    rows = out.splitlines()
    # Codes differ in width (EXC001, GUARD001): the slug column still starts at one offset.
    assert {r.split()[0][:3] for r in rows} >= {"DAT", "EXC", "GUA"}
    starts = {r.index(r.split()[1], len(r.split()[0])) for r in rows}
    assert len(starts) == 1, starts
    _, out, _ = gates("status", "--root", program, "--today", "2026-03-05", "--offline")
    lines = out.splitlines()
    header, rows = _table_after(lines, "invariant ")
    cells = _split(header, ["invariant", "status", "posture", "owner", "evidence", "why"], rows[1:])
    assert [c[0] for c in cells] == ["INV-01", "INV-03"] and set(rows[0]) == {"-", " "}
    header, rows = _table_after(lines, "exception ")
    cells = _split(header, ["exception", "state", "owner", "expires", "days left"], rows[1:])
    assert cells[0][:4] == ["EXC-001", "active", "@control", "2026-03-12"]
