"""A source's runbooks in its record: a check without the source gives the live verdict on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.endpoints.doc_refs import resolve_file
from checks.endpoints.runbooks import FileRef
from tests.conftest import Runner, git_init

TODAY = "2026-03-13"
RECORD = Path("data") / "records" / "product.json"
PROSE = "Rotate the signing keys before the quarterly audit window closes"
RUNBOOK = f"""\
# Token rotation

{PROSE}.

1. Mint a token: `POST /api/spacetime/token`, then check `GET /api/health`.
2. The alias `/api/sync/token` is retired and must not be used.
3. Subscribe over `GET /sync/socket/websocket` first.
4. The old socket `/sync/socket/websocket` was removed.
5. Do not call `GET /api/nothing/here`.
<!-- gates: ignore DRIFT001 reason="staging only" -->
6. Staging: `GET /api/staging/only`.
<!-- gates: ignore DRIFT001 -->
7. Unreasoned: `GET /api/unreasoned`.
8. Config lives in `config/sync.toml` and `apps/control/src/routes.rs`; missing: `config/gone.toml`, `deploy/old/`.
9. See [the other runbook](other.md#top), [a missing one](missing.md) and [outside](../../../../etc/passwd).
10. A tracker file, named from here: `data/program.yaml`.

```console
curl -X PUT https://control.example.invalid/api/v1/streams/7/cursor
curl https://elsewhere.example.invalid/api/status
```
"""


def _setup(program: Path, product: Path, derived_prefixes: bool = False) -> None:
    docs = product / "docs" / "sync"
    (docs / "archived").mkdir(parents=True)
    (docs / "rotation.md").write_text(RUNBOOK)
    (docs / "other.md").write_text("# Other\n\nCall `POST /api/v1/gone/endpoint` first.\n")
    (docs / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (docs / "archived" / "old.md").write_text("Call `GET /api/archived/only`.\n")
    (product / "config").mkdir()
    (product / "config" / "sync.toml").write_text("x = 1\n")
    git_init(product)
    yaml = program / "data" / "program.yaml"
    text = yaml.read_text().replace(
        'include: ["docs/runbooks/**/*.md"]\n  exclude: ["docs/archive/**"]',
        'include: ["product:docs/sync/**/*.md", "docs/runbooks/**/*.md"]\n'
        '  exclude: ["docs/archive/**", "product:**/archived/**"]',
    )
    if derived_prefixes:
        text = text.replace('  prefixes: ["/api/", "/v1/", "/sync/"]\n', "")
    yaml.write_text(text)


def _check(gates: Runner, program: Path, *extra: str | Path) -> dict:
    code, out, err = gates("check", "--root", program, "--today", TODAY, "--offline", "--format", "json", *extra)
    assert code in (0, 1), err
    return json.loads(out)


def _findings(report: dict) -> list[tuple]:
    return sorted(
        (f["code"], f["severity"], f["path"], f["line"], f["column"], f["message"], f.get("invariant"))
        for f in report["findings"]
    )


def _closure(report: dict) -> tuple:
    closure = report["closure"]
    return (
        closure["percent"],
        closure["closed"],
        [(i["id"], i["status"]) for i in closure["invariants"]],
        {e["id"]: e["status"] for i in closure["invariants"] for e in i["evidence"]["items"]},
    )


@pytest.mark.parametrize("derived", [False, True], ids=["configured-prefixes", "derived-prefixes"])
def test_recorded_runbooks_give_the_live_verdict(program: Path, product: Path, gates: Runner, derived: bool) -> None:
    _setup(program, product, derived)
    live = _check(gates, program, "--source", f"product={product}")
    code, _, err = gates("record", "--root", program, "--source", f"product={product}", "--today", TODAY)
    assert code == 0, err
    assert "2 runbooks" in err  # rotation and other (latin is unreadable, the archived one excluded)
    recorded = _check(gates, program)
    assert recorded["sources"]["product"]["state"] == "recorded"
    assert _findings(recorded) == _findings(live)
    assert _closure(recorded) == _closure(live)
    # The fixture exercises every DRIFT rule that reads a doc, on the source's docs.
    doc = "product:docs/sync/rotation.md"
    on_doc = {(code, line) for code, _, path, line, *_ in _findings(live) if path == doc}
    assert {("DRIFT001", 9), ("DRIFT001", 13), ("DRIFT002", 7), ("DRIFT007", 14), ("DRIFT007", 15)} <= on_doc
    assert ("DRIFT001", 11) not in on_doc and ("DRIFT002", 8) not in on_doc and ("DRIFT001", 6) not in on_doc
    messages = [f[5] for f in _findings(live) if f[0] == "DRIFT007"]
    assert any("'config/gone.toml' does not exist in source 'product'" in m for m in messages)
    assert any("'../../../../etc/passwd' points outside source 'product'" in m for m in messages)
    assert not any("config/sync.toml" in m or "other.md" in m or "data/program.yaml" in m for m in messages)
    assert [f[2] for f in _findings(live) if f[0] == "DRIFT008"] == ["product:docs/sync/latin.md"]
    assert not any("unchecked" in f[5] for f in _findings(recorded))
    assert not any("archived" in f[2] for f in _findings(recorded))


def test_the_record_holds_facts_not_prose(program: Path, product: Path, gates: Runner) -> None:
    _setup(program, product)
    code, _, err = gates("record", "--root", program, "--source", f"product={product}", "--today", TODAY)
    assert code == 0, err
    text = (program / RECORD).read_text()
    assert PROSE not in text and "signing keys" not in text and "curl" not in text
    runbooks = json.loads(text)["runbooks"]
    assert runbooks["patterns"] == {"include": ["product:docs/sync/**/*.md"], "exclude": ["product:**/archived/**"]}
    assert runbooks["docs"] == ["docs/sync/other.md", "docs/sync/rotation.md"]
    assert runbooks["unreadable"] == [{"doc": "docs/sync/latin.md", "why": "is not UTF-8"}]
    first = runbooks["endpoints"][0]
    assert set(first) == {"doc", "line", "column", "path", "method", "context", "host", "retired"}
    files = {(f["target"], f["kind"]): f for f in runbooks["files"]}
    config = files[("config/sync.toml", "inline")]
    assert (config["exists"], config["folder"], "inside" in config) == (True, True, False)
    assert files[("data/program.yaml", "inline")]["folder"] is False
    assert files[("missing.md", "link")]["exists"] is False and files[("missing.md", "link")]["inside"] is True
    assert files[("../../../../etc/passwd", "link")]["inside"] is False
    assert [(s["line"], s["codes"], s["reason"]) for s in runbooks["suppressions"]] == [
        (10, ["DRIFT001"], "staging only"),
        (12, ["DRIFT001"], ""),
    ]


def test_a_changed_runbook_include_makes_the_record_stale(program: Path, product: Path, gates: Runner) -> None:
    _setup(program, product)
    gates("record", "--root", program, "--source", f"product={product}", "--today", TODAY)
    assert "DATA008" not in {f["code"] for f in _check(gates, program)["findings"]}
    yaml = program / "data" / "program.yaml"
    yaml.write_text(yaml.read_text().replace('"product:docs/sync/**/*.md"', '"product:docs/sync/*.md"'))
    report = _check(gates, program)
    stale = [f["message"] for f in report["findings"] if f["code"] == "DATA008"]
    assert len(stale) == 1
    assert "runbook include 'product:docs/sync/*.md' was added" in stale[0]
    assert "runbook include 'product:docs/sync/**/*.md' was removed" in stale[0]
    # The recorded docs that the new include still selects are replayed, never reported unchecked.
    drift = {(f["code"], f["path"]) for f in report["findings"] if f["code"].startswith("DRIFT")}
    assert ("DRIFT001", "product:docs/sync/rotation.md") in drift
    assert not any(code == "DRIFT010" for code, _ in drift)


def test_a_new_exclude_or_other_prefixes_make_the_record_stale(program: Path, product: Path, gates: Runner) -> None:
    _setup(program, product)
    gates("record", "--root", program, "--source", f"product={product}", "--today", TODAY)
    yaml = program / "data" / "program.yaml"
    text = yaml.read_text()
    yaml.write_text(text.replace('"product:**/archived/**"]', '"product:**/archived/**", "product:**/rotation.md"]'))
    report = _check(gates, program)
    assert any("runbook exclude 'product:**/rotation.md' was added" in f["message"] for f in report["findings"])
    assert not any(f["path"] == "product:docs/sync/rotation.md" for f in report["findings"])
    yaml.write_text(text.replace('prefixes: ["/api/", "/v1/", "/sync/"]', 'prefixes: ["/api/", "/v1/"]'))
    stale = [f["message"] for f in _check(gates, program)["findings"] if f["code"] == "DATA008"]
    assert len(stale) == 1 and "the endpoint prefixes changed" in stale[0]


def test_a_record_without_runbooks_is_stale_when_an_include_names_the_source(
    program: Path, product: Path, gates: Runner
) -> None:
    _setup(program, product)
    gates("record", "--root", program, "--source", f"product={product}", "--today", TODAY)
    body = json.loads((program / RECORD).read_text())
    del body["runbooks"]
    (program / RECORD).write_text(json.dumps(body))
    report = _check(gates, program)
    assert report["sources"]["product"]["state"] == "recorded"
    stale = [f["message"] for f in report["findings"] if f["code"] == "DATA008"]
    assert len(stale) == 1 and "runbook include 'product:docs/sync/**/*.md' was added" in stale[0]
    unchecked = [f["message"] for f in report["findings"] if f["code"] == "DRIFT010"]
    assert unchecked and "are unchecked: source 'product' is not present" in unchecked[0]


def test_a_reference_resolves_in_its_own_tree(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("")
    (tmp_path / "src").mkdir()

    def resolve(target: str, kind: str) -> tuple[bool, bool, bool]:
        found = resolve_file(tmp_path, "docs/b.md", FileRef("docs/b.md", 1, 1, target, kind))
        return found.exists, found.inside, found.folder

    assert resolve("a.md#x", "link") == (True, True, True)
    assert resolve("gone.md", "link") == (False, True, True)
    assert resolve("../../x.md", "link") == (False, False, True)
    assert resolve("docs/a.md", "inline") == (True, True, True)
    assert resolve("src/gone.rs", "inline") == (False, True, True)
    assert resolve("other/x.rs", "inline") == (False, True, False)
