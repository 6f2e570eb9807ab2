"""Runbooks where they live: read from a source, references resolved in their own tree, includes checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.endpoints.routes import PRESETS, SourceFile
from checks.endpoints.runbooks import RunbookScan, scan_text
from tests.conftest import Runner

RUNBOOK = """\
# Token rotation (a product runbook)

1. Mint a token: `POST /api/spacetime/token`.
2. Retired alias: `/api/sync/token` must not be used.
3. Do not call `GET /api/nothing/here`.
4. Config lives in `config/sync.toml`, the image in `deploy/Dockerfile`, scripts in `scripts/`.
5. Missing on purpose: `config/gone.toml` and `deploy/old/`.
6. See [the other runbook](other.md) and [a missing one](missing.md).

```console
curl https://control.example.invalid/api/status
```
"""


def _product_with_runbooks(product: Path) -> Path:
    docs = product / "docs" / "sync"
    docs.mkdir(parents=True)
    (docs / "rotation.md").write_text(RUNBOOK)
    (docs / "other.md").write_text("# Other\n")
    (product / "config").mkdir()
    (product / "config" / "sync.toml").write_text("x = 1\n")
    (product / "deploy").mkdir(exist_ok=True)
    (product / "deploy" / "Dockerfile").write_text("FROM scratch\n")
    (product / "scripts").mkdir(exist_ok=True)
    return product


def _set_includes(program: Path, include: list[str]) -> None:
    path = program / "data" / "program.yaml"
    text = path.read_text().replace(
        'include: ["docs/runbooks/**/*.md"]', "include: [" + ", ".join(json.dumps(i) for i in include) + "]"
    )
    path.write_text(text)


def _report(gates: Runner, program: Path, *args: str | Path) -> dict[str, object]:
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json", "--select", "DRIFT", *args
    )
    return json.loads(out)


def test_runbooks_are_read_from_a_source(program: Path, product: Path, gates: Runner) -> None:
    _product_with_runbooks(product)
    _set_includes(program, ["product:docs/sync/**/*.md", "docs/runbooks/**/*.md"])
    report = _report(gates, program, "--source", f"product={product}")
    findings = report["findings"]
    assert isinstance(findings, list)
    got = sorted(
        (f["code"], f["path"], f["line"], f["message"].split(";")[0]) for f in findings if f["code"] != "DRIFT005"
    )
    doc = "product:docs/sync/rotation.md"
    assert got == [
        ("DRIFT001", doc, 5, "runbook names GET /api/nothing/here, but no service ships it"),
        ("DRIFT001", doc, 11, "runbook names /api/status, but no service ships it"),  # one finding for one URL
        ("DRIFT007", doc, 7, "'config/gone.toml' does not exist in source 'product'"),
        ("DRIFT007", doc, 7, "'deploy/old/' does not exist in source 'product'"),
        ("DRIFT007", doc, 8, "link 'missing.md' points to a file that does not exist"),
    ]


def test_source_runbooks_are_unchecked_without_the_source(program: Path, gates: Runner) -> None:
    _set_includes(program, ["product:docs/sync/**/*.md", "docs/runbooks/**/*.md"])
    report = _report(gates, program)
    findings = report["findings"]
    assert isinstance(findings, list)
    unmatched = [f for f in findings if f["code"] == "DRIFT010"]
    assert len(unmatched) == 1 and unmatched[0]["severity"] == "warning"
    assert (
        "runbooks of 'product:docs/sync/**/*.md' are unchecked: source 'product' is not present"
        in (unmatched[0]["message"])
    )


def test_an_include_that_matches_nothing_is_reported(program: Path, gates: Runner) -> None:
    _set_includes(program, ["docs/runbook/**/*.md", "docs/runbooks/**/*.md"])
    findings = _report(gates, program)["findings"]
    assert isinstance(findings, list)
    assert [f["message"] for f in findings if f["code"] == "DRIFT010"] == [
        "runbook include 'docs/runbook/**/*.md' matches no Markdown file; fix or remove it"
    ]


@pytest.mark.parametrize("bad", ["/etc/**/*.md", "../../../**/*.md", "product:../x/*.md", "docs/../../*.md"])
def test_an_absolute_or_escaping_include_is_a_data_finding(program: Path, gates: Runner, bad: str) -> None:
    _set_includes(program, [bad])
    code, out, err = gates("check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json")
    assert code == 1 and "internal error" not in err
    findings = json.loads(out)["findings"]
    schema = [f for f in findings if f["code"] == "DATA003" and f["path"] == "data/program.yaml"]
    assert schema and "runbooks.include" in schema[0]["message"]


def test_a_line_that_says_an_endpoint_is_retired_does_not_prescribe_it() -> None:
    scan = RunbookScan()
    scan_text("d.md", "Retired: `/api/v1/sync/token`.\nCall `/api/v1/sync/token` now.\n", ("/api/",), scan)
    assert [(r.line, r.retired) for r in scan.endpoints] == [(1, True), (2, False)]


def test_a_path_from_configuration_ships_its_default() -> None:
    code = (
        'const DEFAULT_SECRET_FETCH_PATH: &str = "/api/internal/secrets/fetch";\n'
        "fn router(secret_fetch_path: &str) -> Router {\n"
        "    Router::new().route(secret_fetch_path, post(fetch))\n"
        "}\n"
    )
    routes = PRESETS["axum"]([SourceFile("src/lib.rs", code)])
    assert [(r.method, r.path, r.line) for r in routes] == [("POST", "/api/internal/secrets/fetch", 3)]


def test_symlinks_are_followed_inside_the_tree_and_reported_when_they_leave(
    program: Path, product: Path, tmp_path: Path, gates: Runner
) -> None:
    _product_with_runbooks(product)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("Call `GET /api/outside/only`.\n")
    (product / "docs" / "sync" / "escape.md").symlink_to(outside / "secret.md")
    (product / "docs" / "linked").symlink_to(product / "docs" / "sync", target_is_directory=True)
    _set_includes(program, ["product:docs/linked/**/*.md"])
    report = _report(gates, program, "--source", f"product={product}")
    findings = report["findings"]
    assert isinstance(findings, list)
    paths = {f["path"] for f in findings if f["code"] == "DRIFT001"}
    # The folder symlink stays inside the tree, so the docs behind it are read.
    assert paths == {"product:docs/linked/rotation.md"}
    refused = [f["message"] for f in findings if f["code"] == "DRIFT010"]
    assert refused == [
        "runbook include 'product:docs/linked/escape.md' is a symlink that leaves its tree; it was not read"
    ]
