"""A prohibited endpoint that still ships is an error at its route, waivable by an exception in its lane."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner


def _ship_the_legacy_websocket(product: Path) -> None:
    routes = product / "apps" / "control" / "src" / "routes.rs"
    text = routes.read_text().replace(
        '        .route("/api/health", get(health))\n',
        '        .route("/api/health", get(health))\n        .route("/sync/socket/websocket", get(ws_upgrade))\n',
    )
    routes.write_text(text)


def _findings(gates: Runner, program: Path, product: Path) -> list[dict[str, object]]:
    _, out, _ = gates(
        "check", "--root", program, "--today", "2026-03-05", "--offline", "--format", "json",
        "--source", f"product={product}", "--select", "DRIFT011",
    )  # fmt: skip
    return json.loads(out)["findings"]  # type: ignore[no-any-return]


def test_a_shipped_prohibited_endpoint_is_an_error_at_its_route(program: Path, product: Path, gates: Runner) -> None:
    _ship_the_legacy_websocket(product)
    (finding,) = _findings(gates, program, product)
    assert (finding["path"], finding["line"], finding["invariant"]) == (
        "product:apps/control/src/routes.rs",
        6,
        "INV-03",
    )
    assert str(finding["message"]).startswith("GET /sync/socket/websocket ships (control) but is prohibited")


def test_an_exception_in_its_lane_waives_it(program: Path, product: Path, gates: Runner) -> None:
    _ship_the_legacy_websocket(product)
    exc = program / "data" / "exceptions.yaml"
    original = exc.read_text()
    cover = "      endpoints: [{family: sync-token, path: /api/sync/token}, {path: /sync/socket/websocket}]"
    # Listing INV-01 only: the cover reaches INV-03's prohibited endpoint, outside the lane, so it waives nothing.
    exc.write_text(original.replace("      endpoints: [{family: sync-token, path: /api/sync/token}]", cover))
    assert len(_findings(gates, program, product)) == 1
    exc.write_text(
        original.replace("      endpoints: [{family: sync-token, path: /api/sync/token}]", cover).replace(
            "invariants: [INV-01]", "invariants: [INV-01, INV-03]"
        )
    )
    assert _findings(gates, program, product) == []
