"""Routes registered under a configuration switch carry the switch, and a program decides whether they ship."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.endpoints.routes import PRESETS, SourceFile
from tests.conftest import Runner

AXUM = """\
pub fn router(config: &Config) -> Router {
    let mut router = Router::new().route("/api/always", get(ok));
    if config.legacy_tokens_enabled {
        router = router.route("/api/legacy/token", post(issue));
    } else {
        router = router.route("/api/only-without-legacy", get(ok));
    }
    #[cfg(feature = "debug-routes")]
    {
        router = router.merge(debug_routes());
    }
    router
}

fn debug_routes() -> Router {
    Router::new().route("/api/debug/state", get(ok))
}
"""

FLASK = """\
app = Flask(__name__)
legacy = Blueprint("legacy", __name__, url_prefix="/api/v1")


@legacy.route("/widgets", methods=["GET"])
def widgets():
    return []


@app.get("/api/v2/widgets")
def widgets_v2():
    return []


if app.config.get("LEGACY_API"):
    app.register_blueprint(legacy)
"""


def _conditions(preset: str, path: str, text: str) -> dict[str, str]:
    return {f"{r.method} {r.path}": r.condition for r in PRESETS[preset]([SourceFile(path, text)])}


def test_presets_record_the_switch_a_route_is_registered_under() -> None:
    assert _conditions("axum", "src/lib.rs", AXUM) == {
        "GET /api/always": "",
        "POST /api/legacy/token": "config.legacy_tokens_enabled",
        "GET /api/only-without-legacy": "not (config.legacy_tokens_enabled)",
        "GET /api/debug/state": 'cfg(feature = "debug-routes")',  # through the merged router
    }
    assert _conditions("flask", "app.py", FLASK) == {
        "GET /api/v1/widgets": 'app.config.get("LEGACY_API")',
        "GET /api/v2/widgets": "",
    }


def test_a_program_may_not_count_conditional_routes_as_shipped(program: Path, product: Path, gates: Runner) -> None:
    (product / "apps" / "control" / "src" / "legacy.rs").write_text(AXUM)
    runbook = program / "docs" / "runbooks" / "legacy.md"
    runbook.write_text("# Legacy\n\nCall `POST /api/legacy/token` while the switch is on.\n")
    args = ("--root", program, "--source", f"product={product}", "--today", "2026-03-05", "--offline")
    code, out, _ = gates("endpoints", *args[:4], "--format", "json")
    shipped = {(e["method"], e["path"]): e for e in json.loads(out)["services"]["control"]["endpoints"]}
    assert shipped[("POST", "/api/legacy/token")]["condition"] == "config.legacy_tokens_enabled"
    assert "condition" not in shipped[("GET", "/api/always")]

    def drift_lines() -> list[int]:
        _, out, _ = gates("check", *args, "--format", "json", "--select", "DRIFT001")
        return [f["line"] for f in json.loads(out)["findings"] if f["path"].endswith("legacy.md")]

    assert drift_lines() == []  # by default a conditional route ships
    path = program / "data" / "program.yaml"
    path.write_text(path.read_text().replace("  services:\n", "  conditional_routes: not-shipped\n  services:\n", 1))
    assert drift_lines() == [3]
    _, out, _ = gates("check", *args, "--format", "json", "--select", "DRIFT001")
    message = next(f["message"] for f in json.loads(out)["findings"] if f["path"].endswith("legacy.md"))
    assert (
        "registered only when config.legacy_tokens_enabled (product:apps/control/src/legacy.rs:4), which this program does not ship"
        in message
    )
    code, out, _ = gates("endpoints", *args[:4], "--format", "json")
    control = json.loads(out)["services"]["control"]
    assert ("POST", "/api/legacy/token") not in {(e["method"], e["path"]) for e in control["endpoints"]}
    assert {(e["method"], e["path"]) for e in control["held_back"]} == {
        ("POST", "/api/legacy/token"),
        ("GET", "/api/only-without-legacy"),
        ("GET", "/api/debug/state"),
    }
    _, out, _ = gates("endpoints", *args[:4])
    row = next(line for line in out.splitlines() if "/api/legacy/token" in line)
    assert row.split()[3:5] == ["held", "back"] and row.rstrip().endswith("config.legacy_tokens_enabled")


def test_the_drift_page_shows_each_switch(program: Path, product: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checks.site.macros import report_for
    from checks.site.pages.drift import drift_page
    from checks.site.pages.view import View

    (product / "apps" / "control" / "src" / "legacy.rs").write_text(AXUM)
    monkeypatch.setenv("GATES_TODAY", "2026-03-05")
    monkeypatch.setenv("GATES_SOURCES", f"product={product}")
    html = drift_page(View(report_for(program)[0], ""))
    assert "only when <code>config.legacy_tokens_enabled</code>" in html
    path = program / "data" / "program.yaml"
    path.write_text(path.read_text().replace("  services:\n", "  conditional_routes: not-shipped\n  services:\n", 1))
    html = drift_page(View(report_for(program)[0], ""))
    assert "held back: only when <code>cfg(feature = &quot;debug-routes&quot;)</code>" in html
