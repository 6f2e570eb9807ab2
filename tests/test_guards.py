"""Repo guards over the fixture product tree: every expected hit, nothing else, in every mode."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from checks.model import Guard
from checks.model.workspace import load_workspace
from checks.scan.guards import compile_guard, scan_source
from tests.conftest import Runner, git_init

MARK = re.compile(r"expect-hit: ([\w-]+)")


def expected_hits(root: Path) -> set[tuple[str, int, str]]:
    out = set()
    for file in root.rglob("*"):
        if file.is_symlink() or not file.is_file() or file.suffix == ".bin" or ".git" in file.parts:
            continue
        for n, line in enumerate(file.read_text().splitlines(), 1):
            for guard in MARK.findall(line):
                out.add((file.relative_to(root).as_posix(), n, guard))
    return out


ENGINES = ["python"] + (["ripgrep"] if shutil.which("rg") else [])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("use_git", [False, True])
def test_scan_finds_exactly_the_declared_hits(program: Path, product: Path, engine: str, use_git: bool) -> None:
    if use_git:
        git_init(product)
    ws = load_workspace(program)
    scan = scan_source("product", product, ws.program.guards, ws.program, engine=engine)
    got = {(h.path, h.line, h.guard) for h in scan.hits}
    assert got == expected_hits(product)
    assert scan.engine == engine
    assert scan.mode == ("git" if use_git else "walk")
    # The reasoned inline suppression is listed, not reported.
    assert [(s.path, s.line, s.reason) for _, s in scan.suppressed] == [
        ("apps/desktop/src/sync.ts", 6, "decodes captured legacy traffic for the report")
    ]
    if engine == "python":
        assert scan.skipped["binary"] == 1
        assert scan.skipped["symlink leaving the tree"] == 1


def test_hits_carry_column_and_matched_text(program: Path, product: Path) -> None:
    ws = load_workspace(program)
    scan = scan_source("product", product, ws.program.guards, ws.program, engine="python")
    hit = next(h for h in scan.hits if h.guard == "runtime-in-memory-publisher")
    assert (hit.line, hit.column, hit.text) == (3, 16, "SpacetimePublisher::in_memory")
    upper = next(h for h in scan.hits if h.text == "/API/SYNC/TOKEN")
    assert upper.guard == "sync-token-alias-route"


def test_size_limit_skips_and_counts(program: Path, product: Path) -> None:
    big = product / "apps" / "runtime" / "src" / "big.rs"
    big.write_text("// phx_join\n" + "x" * 5000)
    text = (program / "data" / "program.yaml").read_text()
    (program / "data" / "program.yaml").write_text(text + "scan:\n  max_file_bytes: 4096\n")
    ws = load_workspace(program)
    scan = scan_source("product", product, ws.program.guards, ws.program, engine="python")
    assert scan.skipped["over the size limit"] >= 1
    assert not any(h.path.endswith("big.rs") for h in scan.hits)


def _guard(pattern: str, **kw: object) -> Guard:
    from checks.load.yamlload import Document
    from checks.model import Where

    fields: dict[str, object] = dict(
        id="g",
        invariant="INV-01",
        title="",
        pattern=pattern,
        regex=False,
        word=False,
        case_sensitive=True,
        message="m",
        sources=(),
        paths=("**",),
        exclude=(),
        where=Where(Document(path="p"), ()),
    )
    fields.update(kw)
    return Guard(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pattern", "word", "text", "hit"),
    [
        ("SpacetimePublisher::in_memory", True, "SpacetimePublisher::in_memory()", True),
        ("SpacetimePublisher::in_memory", True, "SpacetimeClient::in_memory()", False),
        ("SpacetimePublisher::in_memory", True, "MySpacetimePublisher::in_memory()", False),
        ("SpacetimePublisher::in_memory", True, "SpacetimePublisher::in_memory_cache()", False),
        ("in_memory", True, "open_in_memory()", False),
        ("in_memory", False, "open_in_memory()", True),
        ("/sync/socket/websocket", True, "wss://h/sync/socket/websocket?v=2", True),
        ("sync:update_batch", True, '"sync:update_batch"', True),
        ("sync:update_batch", True, "sync:update_batches", False),
    ],
)
def test_word_bounded_precision(pattern: str, word: bool, text: str, hit: bool) -> None:
    regex, error = compile_guard(_guard(pattern, word=word))
    assert error is None and regex is not None
    assert bool(regex.search(text)) is hit


def test_invalid_regex_is_a_data003_finding(program: Path, gates: Runner) -> None:
    path = program / "data" / "program.yaml"
    path.write_text(
        path.read_text().replace(r"pattern: \b(phx_join|phx_reply|phx_error|phx_close)\b", "pattern: (phx_join")
    )
    code, out, _ = gates("check", "--root", program, "--today", "2026-03-02", "--offline", "--select", "DATA003")
    assert code == 1
    assert re.search(
        r"data/program.yaml:\d+:\d+: error DATA003 schema: guard phoenix-frame-protocol: pattern is not a valid", out
    )


def test_cli_reports_hits_waivers_and_absent_source(program: Path, product: Path, gates: Runner) -> None:
    code, out, _ = gates(
        "check",
        "--root",
        program,
        "--today",
        "2026-03-02",
        "--offline",
        "--select",
        "GUARD",
        "--source",
        f"product={product}",
    )
    assert code == 1
    assert (
        f"{product}/apps/runtime/src/lib.rs:3:16: error GUARD001 prohibited-symbol: 'SpacetimePublisher::in_memory'"
        in out
    )
    # The alias route in apps/control is covered by the compliant EXC-001: waived, naming it.
    assert re.search(
        re.escape(f"{product}/apps/control/src/paths.rs:3:6: info GUARD002 waived-symbol: '/api/sync/token'")
        + " is waived by EXC-001",
        out,
    )
    # The same symbol outside the covered paths is an error.
    assert f"{product}/apps/desktop/src/sync.ts:8:" in out and "GUARD001" in out
    assert 'needs reason="..."' in out
    code, out, _ = gates("check", "--root", program, "--today", "2026-03-02", "--offline", "--select", "GUARD")
    assert code == 0 and "GUARD003 source-unavailable" in out
    code, _, _ = gates(
        "check", "--root", program, "--today", "2026-03-02", "--offline", "--select", "GUARD", "--strict"
    )
    assert code == 1


def test_lapsed_exception_turns_waived_hits_into_errors(program: Path, product: Path, gates: Runner) -> None:
    code, out, _ = gates(
        "check",
        "--root",
        program,
        "--today",
        "2026-03-13",
        "--offline",
        "--select",
        "GUARD",
        "--source",
        f"product={product}",
    )
    assert code == 1
    line = next(ln for ln in out.splitlines() if ln.startswith(f"{product}/apps/control/src/paths.rs:3:6"))
    assert "GUARD001" in line and "EXC-001 lapsed on 2026-03-13" in line


def test_background_scan_matches_a_synchronous_one(program: Path, product: Path) -> None:
    """The scan the CLI starts before validation gives exactly what the context would compute itself."""
    import argparse

    from checks.cli.session import load_context as _context

    args = argparse.Namespace(root=program, today=None, source=[("product", str(product))], offline=True, strict=False)
    prefetched = _context(args, prefetch_guards=True)
    direct = _context(args, prefetch_guards=False)
    assert prefetched._guard_future is not None and direct._guard_future is None
    assert prefetched.guard_scan.hits == direct.guard_scan.hits
    assert len(direct.guard_scan.hits) == len(expected_hits(product))


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        (r"(a+)+$", True),
        (r"(a*)*b", True),
        (r"(?:x|y+)*z", True),
        (r"(?=(a+)+)x", True),
        (r"([a-z]+\.)+com", True),  # safe in practice, but the shape is refused: keep guards simple
        (r"\b(phx_join|phx_reply|phx_error|phx_close)\b", False),
        (r"/api/(v1/)?sync/token|/api/v1/spacetime/token", False),
        (r"(ab){2,}", False),
        (r"x" * 2001, True),
        (r"(unclosed", True),
    ],
)
def test_unsafe_regexes_are_refused(pattern: str, refused: bool) -> None:
    from checks.scan.regexsafety import unsafe_regex

    assert (unsafe_regex(pattern) is not None) is refused


@pytest.mark.parametrize("engine", ENGINES)
def test_git_mode_honours_gitignore(program: Path, product: Path, engine: str) -> None:
    (product / ".gitignore").write_text("apps/desktop/src/generated-ignored.ts\n")
    (product / "apps" / "desktop" / "src" / "generated-ignored.ts").write_text('send("phx_join");\n')
    (product / "apps" / "desktop" / "src" / "untracked.ts").write_text('send("phx_join");\n')
    git_init(product)
    (product / "apps" / "desktop" / "src" / "new-untracked.ts").write_text('send("phx_reply");\n')
    ws = load_workspace(program)
    scan = scan_source("product", product, ws.program.guards, ws.program, engine=engine)
    paths = {h.path for h in scan.hits}
    assert "apps/desktop/src/generated-ignored.ts" not in paths
    assert {"apps/desktop/src/untracked.ts", "apps/desktop/src/new-untracked.ts"} <= paths


def test_exception_unused(program: Path, product: Path, gates: Runner) -> None:
    exc = program / "data" / "exceptions.yaml"
    text = exc.read_text()
    extra = (
        text.split("\n", 1)[1]
        .replace("EXC-001", "EXC-002")
        .replace(
            'covers:\n      guards: [{guard: sync-token-alias-route, paths: ["apps/control/**"]}]\n'
            "      endpoints: [{family: sync-token, path: /api/sync/token}]",
            'covers:\n      guards: [{guard: legacy-websocket-path, paths: ["apps/runtime/**"]}]',
        )
    )
    empty = text.split("\n", 1)[1].replace("EXC-001", "EXC-003").split("    covers:")[0] + "    status: active\n"
    exc.write_text(text + extra + empty)
    args = ["check", "--root", program, "--today", "2026-03-02", "--offline", "--format", "json", "--select", "EXC006"]
    # With the source present, EXC-002 covers nothing that exists; EXC-003 covers nothing at all.
    found = json.loads(gates(*args, "--source", f"product={product}")[1])["findings"]
    assert sorted((f["subject"], f["message"].split(": ", 1)[1]) for f in found) == [
        ("EXC-002", "covers nothing that exists any more; retire it with the change that removed it"),
        ("EXC-003", "covers nothing; list the guards or alias endpoints it waives under 'covers'"),
    ]
    # Without the source, what EXC-002 covers cannot be seen: it is not called unused.
    found = json.loads(gates(*args)[1])["findings"]
    assert [f["subject"] for f in found] == ["EXC-003"]
