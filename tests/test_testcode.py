"""Test code is told apart from retained code: guards skip it unless they opt in, and say how much they skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.model import Program
from checks.model.workspace import load_workspace
from checks.scan.guards import scan_source
from checks.scan.testcode import is_test_file, rust_test_lines
from tests.conftest import FIXTURES, Runner
from tests.test_guards import _guard

RETAINED_WITH_TESTS = """\
pub fn connect() -> &'static str {
    "/v1/database/{database}/subscribe"
}

#[cfg(not(test))]
pub fn legacy() -> &'static str { "phx_join" }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_legacy_phoenix_frames() {
        assert!(parse("phx_join").is_err());
    }

    mod nested {
        #[test]
        fn also_test() { let _ = "phx_join"; }
    }
}

#[tokio::test]
async fn top_level_test() { let _ = "phx_join"; }

#[cfg(all(test, feature = "slow"))]
#[allow(dead_code)]
fn helper() { let _ = "phx_join"; }
"""


def _tree(root: Path) -> Path:
    files = {
        "apps/desktop/src/sync.rs": RETAINED_WITH_TESTS,
        "apps/desktop/src/tests.rs": 'const F: &str = "phx_join";\n',
        "apps/desktop/src/frames_test.rs": 'const F: &str = "phx_join";\n',
        "apps/desktop/tests/e2e.rs": 'const F: &str = "phx_join";\n',
        "apps/web/src/sync.test.ts": 'send("phx_join")\n',
        "apps/web/src/__tests__/frames.ts": 'send("phx_join")\n',
        "apps/web/src/sync.ts": 'send("phx_join")\n',
        "tools/test_frames.py": 'FRAME = "phx_join"\n',
        "tools/frames.py": 'FRAME = "phx_join"\n',
        "tools/frames_test.go": 'var f = "phx_join"\n',
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _program() -> Program:
    return load_workspace(FIXTURES / "program").program


RETAINED = {("apps/desktop/src/sync.rs", 6), ("apps/web/src/sync.ts", 1), ("tools/frames.py", 1)}


@pytest.mark.parametrize("engine", ["python", "ripgrep"])
def test_guards_skip_test_code_by_default(tmp_path: Path, engine: str) -> None:
    root = _tree(tmp_path / "src")
    guard = _guard("phx_join")
    scan = scan_source("product", root, [guard], _program(), engine=engine)
    assert {(h.path, h.line) for h in scan.hits} == RETAINED
    # sync.rs: 4 hits inside test items; the 7 test files are not read at all.
    assert scan.test_code["g"] == 4
    if engine == "python":
        assert scan.skipped["test file"] == 7
    else:
        # Outside git ripgrep walks the tree, test files excluded by glob, and counts no skipped file.
        assert not scan.skip_counts and scan.files_scanned == 3


def test_a_guard_may_opt_in_to_test_code(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    guard = _guard("phx_join", test_code="include")
    scan = scan_source("product", root, [guard], _program(), engine="python")
    assert len(scan.hits) == 3 + 4 + 7 and scan.test_code["g"] == 0


def test_rust_test_items_are_found_by_parsing() -> None:
    spans = rust_test_lines(RETAINED_WITH_TESTS.encode())
    # the cfg(test) module (lines 8-21), the tokio test (23-24), the cfg(all(test, …)) fn with a second attribute (26-28)
    assert spans == [(8, 21), (23, 24), (26, 28)]
    assert rust_test_lines(b"#[cfg(not(test))]\nfn a() {}\n") == []
    # A string that looks like an attribute is not one.
    assert rust_test_lines(b'const S: &str = "#[cfg(test)] mod t {}";\nfn b() {}\n') == []


@pytest.mark.parametrize(
    ("path", "test"),
    [
        ("apps/runtime/src/server/tests.rs", True),
        ("apps/runtime/src/server.rs", False),
        ("apps/runtime/benches/publish.rs", True),
        ("apps/runtime/src/tests_helpers.rs", False),
        ("pkg/test_api.py", True),
        ("pkg/api_test.py", True),
        ("pkg/contest.py", False),
        ("web/src/a.spec.tsx", True),
        ("web/src/latest.ts", False),
        ("go/x_test.go", True),
    ],
)
def test_test_files_by_name(path: str, test: bool) -> None:
    assert is_test_file(path) is test


def test_guards_read_code_not_docs_unless_they_name_files(tmp_path: Path) -> None:
    root = tmp_path / "src"
    for rel in ("apps/a.rs", "apps/b.ts", "apps/README.md", "apps/notes.txt", "apps/c.json"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text('"phx_join"\n')
    program = _program()

    def hits(**kw: object) -> set[str]:
        guard = _guard("phx_join", **kw)
        return {h.path for h in scan_source("product", root, [guard], program, engine="python").hits}

    assert hits() == {"apps/a.rs", "apps/b.ts", "apps/c.json"}  # documentation is drift's job
    assert hits(files=("rust",)) == {"apps/a.rs"}
    assert hits(files=("typescript", "**/*.json")) == {"apps/b.ts", "apps/c.json"}
    assert hits(files=("**/*.md",)) == {"apps/README.md"}


MOCK_ROUTER_IN_TESTS = """\
#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Router {
        Router::new().route("/api/mock/in-module", get(ok))
    }

    #[test]
    fn serves() { let _ = mock(); }
}
"""


def _routes(program: Path, product: Path, gates: Runner) -> set[tuple[str, str]]:
    import json

    code, out, err = gates("endpoints", "--root", program, "--format", "json", "--source", f"product={product}")
    assert code == 0, err
    control = json.loads(out)["services"]["control"]
    return {(e["method"], e["path"]) for e in control["endpoints"]}


def test_route_extraction_skips_test_code_and_demo_binaries(program: Path, product: Path, gates: Runner) -> None:
    """Mock routers in #[cfg(test)] items and test files, and demo binaries, are not routes the service ships."""
    src = product / "apps" / "control" / "src"
    shipped = _routes(program, product, gates)
    with (src / "routes.rs").open("a") as f:
        f.write("\n" + MOCK_ROUTER_IN_TESTS)
    (src / "tests.rs").write_text('fn mock() -> Router { Router::new().route("/api/mock/tests-file", get(ok)) }\n')
    (src / "bin").mkdir()
    (src / "bin" / "demo.rs").write_text('fn main() { Router::new().route("/api/demo", get(ok)); }\n')
    assert _routes(program, product, gates) == shipped

    # Opting in reads them all; naming src/bin in paths makes the demo binary part of the service.
    path = program / "data" / "program.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            'paths: ["apps/control/src/**/*.rs"]', 'paths: ["apps/control/src/**/*.rs"]\n      test_code: include'
        )
    )
    assert _routes(program, product, gates) - shipped == {
        ("GET", "/api/mock/in-module"),
        ("GET", "/api/mock/tests-file"),
        ("GET", "/api/demo"),
    }
    path.write_text(
        text.replace(
            'paths: ["apps/control/src/**/*.rs"]', 'paths: ["apps/control/src/**/*.rs", "apps/control/src/bin/**"]'
        )
    )
    assert _routes(program, product, gates) - shipped == {("GET", "/api/demo")}
