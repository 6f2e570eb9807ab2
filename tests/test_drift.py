"""Endpoint catalog, path normalization, runbook extraction and the DRIFT rules."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from checks.endpoints.normalize import normalize, same_endpoint
from checks.endpoints.openapi import parse_openapi
from checks.endpoints.routes import PRESETS, SourceFile
from checks.endpoints.runbooks import RunbookScan, scan_text
from tests.conftest import FIXTURES, Runner

SERVICES = FIXTURES / "services"


def _files(folder: Path) -> list[SourceFile]:
    return [
        SourceFile(p.relative_to(folder).as_posix(), p.read_text())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "EXPECTED"
    ]


@pytest.mark.parametrize("framework", ["axum", "fastapi", "flask", "express"])
def test_route_extraction_matches_declared_routes(framework: str) -> None:
    folder = SERVICES / framework
    routes = PRESETS[framework](_files(folder))
    got = {f"{r.method} {r.path}" for r in routes}
    expected = set((folder / "EXPECTED").read_text().split("\n")) - {""}
    assert got == expected


def test_axum_routes_keep_their_declaration_line() -> None:
    routes = PRESETS["axum"](_files(SERVICES / "axum"))
    legacy = next(r for r in routes if r.path == "/api/sync/token")
    assert (legacy.file, legacy.line) == ("src/main.rs", 9)


@pytest.mark.parametrize(
    ("path", "normal"),
    [
        ("/v1/database/:name_or_identity/subscribe", "/v1/database/{}/subscribe"),
        ("/v1/database/{name_or_identity}/subscribe/", "/v1/database/{}/subscribe"),
        ("/v1/database/<name>/subscribe", "/v1/database/{}/subscribe"),
        ("/users/<int:user_id>", "/users/{}"),
        ("/files/<path:name>", "/files/{*}"),
        ("/files/{name:path}", "/files/{*}"),
        ("/static/{*rest}", "/static/{*}"),
        ("/static/*rest", "/static/{*}"),
        ("/items/:id(\\d+)", "/items/{}"),
        ("/a/$DB/b", "/a/{}/b"),
        ("/a/${DB}/b", "/a/{}/b"),
        ("/api/x?y=1#frag", "/api/x"),
        ("https://host.example:8443/api/x/", "/api/x"),
        ("//api//x", "/api/x"),
        ("/", "/"),
    ],
)
def test_normalization(path: str, normal: str) -> None:
    assert normalize(path) == normal


def test_template_matching() -> None:
    assert same_endpoint("/v1/database/prod/subscribe", "/v1/database/:db/subscribe")
    assert same_endpoint("/static/a/b/c.js", "/static/{*path}")
    assert not same_endpoint("/v1/database/prod/logs", "/v1/database/:db/subscribe")
    assert not same_endpoint("/api/spacetime/token/rotate", "/api/spacetime/token")


def test_openapi_parsing_from_file() -> None:
    endpoints = parse_openapi((SERVICES / "openapi.yaml").read_bytes(), "host", "openapi.yaml")
    assert {(e.method, e.path) for e in endpoints} == {
        ("GET", "/v1/database/{name_or_identity}/subscribe"),
        ("POST", "/v1/database/{name_or_identity}/call/{reducer}"),
    }
    with pytest.raises(ValueError, match="not an OpenAPI document"):
        parse_openapi(b"just: yaml\n", "x", "x")


def _expected_markers(text: str) -> list[tuple[str, int]]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        out += [(code, n) for code in re.findall(r"<!-- expect: (\w+) -->", line)]
    return sorted(out)


def test_runbook_fixture_findings(program: Path, gates: Runner) -> None:
    source = FIXTURES / "runbooks" / "mixed.md"
    shutil.copy(source, program / "docs" / "runbooks" / "mixed.md")
    code, out, _ = gates(
        "check",
        "--root",
        program,
        "--today",
        "2026-03-02",
        "--offline",
        "--format",
        "json",
        "--select",
        "DRIFT001,DRIFT002,DRIFT007",
    )
    findings = json.loads(out)["findings"]
    got = sorted((f["code"], f["line"]) for f in findings if f["path"] == "docs/runbooks/mixed.md")
    assert got == _expected_markers(source.read_text())
    assert code == 1


def test_file_and_shell_paths_are_not_endpoints() -> None:
    scan = RunbookScan()
    text = (FIXTURES / "runbooks" / "mixed.md").read_text()
    scan_text("mixed.md", text, ("/api/", "/v1/", "/sync/"), scan)
    paths = {r.path for r in scan.endpoints}
    assert not {p for p in paths if p.startswith(("/tmp", "/etc", "/var", "apps/", "docs/", "~"))}
    assert "/api/spacetime/token" in paths
    methods = {(r.path, r.method) for r in scan.endpoints if r.line == 6}
    assert ("/api/spacetime/token", "POST") in methods
    curl = next(r for r in scan.endpoints if r.line == 9)
    assert (curl.method, curl.path, curl.context) == ("POST", "/api/spacetime/token", "command")


def test_alias_family_and_canonical(program: Path, gates: Runner) -> None:
    # Compliant EXC-001 waives the alias (reported as info); once it expires the alias is DRIFT004.
    args = ["check", "--root", program, "--offline", "--format", "json", "--select", "DRIFT004,GUARD002,DRIFT003"]
    report = json.loads(gates(*args, "--today", "2026-03-02")[1])
    assert [(f["code"], f["path"], f["line"]) for f in report["findings"]] == [
        ("GUARD002", "product:apps/control/src/routes.rs", 9)
    ]
    report = json.loads(gates(*args, "--today", "2026-03-13")[1])
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("DRIFT004", 9)]
    assert "EXC-001 lapsed on 2026-03-13" in report["findings"][0]["message"]
    # Drop the canonical route from the snapshot: DRIFT003 at the canonical's line in program.yaml.
    snap = program / "data" / "endpoints.snapshot.json"
    data = json.loads(snap.read_text())
    data["services"]["control"]["endpoints"] = data["services"]["control"]["endpoints"][1:]
    snap.write_text(json.dumps(data))
    report = json.loads(gates(*args, "--today", "2026-03-02")[1])
    assert [f["code"] for f in report["findings"]] == ["DRIFT003"]
    assert report["findings"][0]["path"] == "data/program.yaml"


def test_live_source_beats_snapshot_and_refresh_writes_provenance(program: Path, product: Path, gates: Runner) -> None:
    code, out, _ = gates("endpoints", "--root", program, "--format", "json", "--source", f"product={product}")
    body = json.loads(out)
    control = body["services"]["control"]
    assert code == 0 and control["live"] is True
    assert {(e["method"], e["path"]) for e in control["endpoints"]} == {
        ("GET", "/api/health"),
        ("GET", "/api/v1/streams/:stream_id/cursor"),
        ("PUT", "/api/v1/streams/:stream_id/cursor"),
        ("POST", "/api/spacetime/token"),
        ("POST", "/api/sync/token"),
    }
    code, _, err = gates("endpoints", "--root", program, "--refresh", "--source", f"product={product}")
    assert code == 0 and "wrote data/endpoints.snapshot.json" in err
    snap = json.loads((program / "data" / "endpoints.snapshot.json").read_text())
    assert snap["services"]["control"]["kind"] == "preset:axum" and snap["generated"].endswith("Z")
    assert len(snap["services"]["control"]["endpoints"]) == 5
    code, _, err = gates("endpoints", "--root", program, "--refresh")
    assert code == 2 and "no service has a live source" in err


def test_stale_snapshot_is_drift006(program: Path, gates: Runner) -> None:
    args = ["check", "--root", program, "--offline", "--select", "DRIFT006"]
    assert gates(*args, "--today", "2026-03-15")[0] == 0
    code, out, _ = gates(*args, "--today", "2026-03-16", "--strict")
    assert code == 1 and "snapshot 15 days old" in out


def test_openapi_url_on_loopback(program: Path, httpserver: HTTPServer, gates: Runner) -> None:
    httpserver.expect_request("/openapi.yaml").respond_with_data((SERVICES / "openapi.yaml").read_text())
    prog = program / "data" / "program.yaml"
    text = prog.read_text().replace(
        "    - id: spacetime-host\n      manifest:\n        - {method: GET, path: /v1/database/:name_or_identity/subscribe}\n"
        "        - {method: POST, path: /v1/database/:name_or_identity/call/:reducer}\n",
        f"    - id: spacetime-host\n      openapi: {httpserver.url_for('/openapi.yaml')}\n",
    )
    prog.write_text(text)
    # Loopback is refused unless allowed.
    code, out, _ = gates("endpoints", "--root", program, "--format", "json")
    problems = [p["message"] for p in json.loads(out)["problems"] if p["service"] == "spacetime-host"]
    assert any("non-public address" in p for p in problems)
    prog.write_text(
        text.replace("  catalog_max_age_days: 14", "  catalog_max_age_days: 14\n  allow_hosts: [localhost, 127.0.0.1]")
    )
    code, out, _ = gates("endpoints", "--root", program, "--format", "json")
    host = json.loads(out)["services"]["spacetime-host"]
    assert host["live"] is True and host["url"].endswith("/openapi.yaml")
    assert ("GET", "/v1/database/{name_or_identity}/subscribe") in {(e["method"], e["path"]) for e in host["endpoints"]}
    # --offline fetches nothing.
    before = len(httpserver.log)
    gates("endpoints", "--root", program, "--format", "json", "--offline")
    assert len(httpserver.log) == before
    # A failing URL is DRIFT006, falling back to the snapshot.
    httpserver.clear()
    httpserver.expect_request("/openapi.yaml").respond_with_data("gone", status=404)
    _code, out, _ = gates("check", "--root", program, "--today", "2026-03-02", "--select", "DRIFT006")
    assert "answered HTTP 404" in out


def test_report_says_where_the_catalog_came_from(program: Path, product: Path, gates: Runner) -> None:
    args = ["check", "--root", program, "--today", "2026-03-02", "--offline", "--format", "json"]
    catalog = json.loads(gates(*args)[1])["catalog"]
    assert catalog["control"]["from"] == "snapshot" and catalog["control"]["generated"] == "2026-03-01T00:00:00Z"
    assert catalog["spacetime-host"]["from"] == "live"
    catalog = json.loads(gates(*args, "--source", f"product={product}")[1])["catalog"]
    assert catalog["control"]["from"] == "live" and catalog["control"]["endpoints"] == 5


def test_unresolvable_route_paths_are_reported(program: Path, product: Path, gates: Runner) -> None:
    routes = product / "apps" / "control" / "src" / "routes.rs"
    routes.write_text(routes.read_text() + "\nfn more() -> Router { Router::new().route(paths::built(), get(x)) }\n")
    code, out, _ = gates(
        "check",
        "--root",
        program,
        "--today",
        "2026-03-02",
        "--offline",
        "--select",
        "DRIFT006",
        "--source",
        f"product={product}",
    )
    assert "route at product:apps/control/src/routes.rs:16 uses 'paths::built()'" in out
    assert code == 0  # a warning: fails only under --strict


def test_unwritable_snapshot_is_one_line(program: Path, product: Path, gates: Runner) -> None:
    snapshot = program / "data" / "endpoints.snapshot.json"
    snapshot.unlink()
    snapshot.mkdir()  # a folder where the file should be
    code, out, err = gates("endpoints", "--root", program, "--refresh", "--source", f"product={product}")
    assert code == 2 and err.startswith("gates: error: cannot write the snapshot") and len(err.splitlines()) == 1
