"""Evidence verification against real loopback servers, test lookups, path confinement, closure."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from checks.evidence.verify import confined, defines_test
from checks.model import NetworkPolicy
from checks.net.client import Fetcher
from checks.net.urls import FetchError, Refused, resolve, validate_url
from tests.conftest import Runner

LOCAL = ("localhost", "127.0.0.1")


def _fetcher(sleeps: list[float] | None = None, **policy: float) -> Fetcher:
    record = sleeps if sleeps is not None else []
    return Fetcher(NetworkPolicy(**policy), LOCAL, sleep=record.append)  # type: ignore[arg-type]


def test_ok_and_redirect(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/ok"})
    f = _fetcher()
    assert f.request("GET", httpserver.url_for("/moved")).status == 200


def test_404_and_500_after_retries(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/boom").respond_with_data("no", status=503)
    sleeps: list[float] = []
    f = _fetcher(sleeps, retries=2)
    assert f.request("GET", httpserver.url_for("/gone")).status == 404
    assert f.request("GET", httpserver.url_for("/boom")).status == 503
    assert sleeps == [0.25, 0.5]  # exponential backoff between the three attempts


def test_retry_after_is_honoured(httpserver: HTTPServer) -> None:
    calls = {"n": 0}

    def handler(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("slow down", status=429, headers={"Retry-After": "2"})
        return Response("ok")

    httpserver.expect_request("/limited").respond_with_handler(handler)
    sleeps: list[float] = []
    assert _fetcher(sleeps).request("GET", httpserver.url_for("/limited")).status == 200
    assert sleeps == [2.0]


def test_retry_after_beyond_the_cap_gives_up(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/later").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    sleeps: list[float] = []
    assert _fetcher(sleeps).request("GET", httpserver.url_for("/later")).status == 429
    assert sleeps == []


def test_slow_answer_times_out(httpserver: HTTPServer) -> None:
    def handler(request: Request) -> Response:
        time.sleep(1.0)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(handler)
    with pytest.raises(FetchError, match="timed out"):
        _fetcher(read_timeout=0.2, retries=0).request("GET", httpserver.url_for("/slow"))


def test_oversized_body_is_capped(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data("x" * (3 * 1024 * 1024))
    response = _fetcher(max_bytes=64 * 1024).request("GET", httpserver.url_for("/big"))
    assert response.truncated and len(response.body) <= 64 * 1024


def test_no_cookies_or_credentials(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/set").respond_with_data("", headers={"Set-Cookie": "sid=secret"})
    httpserver.expect_request("/check").respond_with_data("ok")
    f = _fetcher()
    f.request("GET", httpserver.url_for("/set"))
    f.request("GET", httpserver.url_for("/check"))
    last = httpserver.log[-1][0]
    assert "Cookie" not in last.headers and "Authorization" not in last.headers
    with pytest.raises(Refused, match="credentials"):
        validate_url("https://user:pw@example.org/x")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.org/x", "scheme"),
        ("https://user:pw@example.org/", "credentials"),
        ("http:///nohost", "no host"),
    ],
)
def test_bad_urls_are_refused_without_network(url: str, why: str) -> None:
    with pytest.raises(Refused, match=why):
        validate_url(url)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "2130706433",
        "0x7f000001",
        "::1",
        "169.254.169.254",
        "10.1.2.3",
        "192.168.0.1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_targets_are_refused(host: str) -> None:
    with pytest.raises(Refused, match="non-public"):
        resolve(host, 80, ())


def test_resolved_public_address_is_used() -> None:
    def fake(host: str, port: int, type: int = 0) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    assert resolve("example.org", 443, (), resolver=fake) == "93.184.216.34"


def test_redirect_from_allowed_host_to_private_is_refused(httpserver: HTTPServer) -> None:
    target = httpserver.url_for("/inside").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": target.replace("127.0.0.1", "localhost")}
    )
    f = Fetcher(NetworkPolicy(), ("127.0.0.1",))  # only the literal address is allowed
    with pytest.raises(Refused, match="non-public"):
        f.request("GET", httpserver.url_for("/hop").replace("localhost", "127.0.0.1"))


# ---------------------------------------------------------------- test lookups


@pytest.mark.parametrize(
    ("name", "text", "test", "found"),
    [
        ("a.rs", "#[test]\nfn works() {}\n", "works", True),
        ("a.rs", "#[tokio::test]\nasync fn works() {}\n", "works", True),
        (
            "a.rs",
            "#[cfg(test)]\nmod tests {\n    use super::*;\n    fn helper() {}\n    #[test]\n    fn works() {}\n}\n",
            "works",
            True,
        ),
        ("a.rs", "#[cfg(test)]\nmod tests {\n    fn helper_in_tests() {}\n}\n", "helper_in_tests", True),
        ("a.rs", "fn works() {}\n", "works", False),
        ("a.rs", "#[test]\nfn works_too() {}\n", "works", False),
        ("t.py", "def test_dedupe():\n    pass\n", "test_dedupe", True),
        ("t.py", "class TestSync:\n    def test_resume(self):\n        pass\n", "TestSync::test_resume", True),
        ("t.py", "def helper():\n    pass\n", "helper", False),
        (
            "t.ts",
            "describe('x', () => {\n  it('rejects phoenix frames', () => {})\n})\n",
            "rejects phoenix frames",
            True,
        ),
        ("t.js", 'test("subscribes", async () => {})\n', "subscribes", True),
        ("t.js", 'test("subscribes twice", async () => {})\n', "subscribes", False),
        ("x_test.go", "func TestResume(t *testing.T) {}\n", "TestResume", True),
        ("x_test.go", "func Resume(t *testing.T) {}\n", "Resume", False),
        ("notes.txt", "anything\n", "x", False),
    ],
)
def test_test_lookup(tmp_path: Path, name: str, text: str, test: str, found: bool) -> None:
    file = tmp_path / name
    file.write_text(text)
    assert defines_test(file, test)[0] is found


def test_path_confinement(tmp_path: Path) -> None:
    (tmp_path / "inside.md").write_text("x")
    (tmp_path / "link").symlink_to("/etc")
    assert confined(tmp_path, "inside.md")[0] is not None
    for ref in ("../x", "/etc/passwd", "a/../../x", "link/passwd", "C:\\x"):
        assert confined(tmp_path, ref)[0] is None, ref


# ---------------------------------------------------------------- through the CLI


def _add_evidence(program: Path, *items: str) -> None:
    inv = program / "data" / "invariants.yaml"
    text = inv.read_text().replace(
        "      - {id: INV-03-E1, class: guard-checks, kind: path, ref: data/program.yaml}\n",
        "      - {id: INV-03-E1, class: guard-checks, kind: path, ref: data/program.yaml}\n"
        + "".join(f"      - {item}\n" for item in items),
    )
    inv.write_text(text)


def _allow_loopback(program: Path) -> None:
    prog = program / "data" / "program.yaml"
    prog.write_text(
        prog.read_text().replace("  catalog_max_age_days: 14", "  catalog_max_age_days: 14\n  allow_hosts: [localhost]")
    )


def _report(gates: Runner, program: Path, *extra: str) -> dict[str, object]:
    _code, out, err = gates("check", "--root", program, "--today", "2026-03-10", "--format", "json", *extra)
    assert err == "" or "checking evidence" in err
    report: dict[str, object] = json.loads(out)
    return report


def _status(report: dict[str, object], inv: str) -> str:
    closure = report["closure"]
    assert isinstance(closure, dict)
    return next(i["status"] for i in closure["invariants"] if i["id"] == inv)


def test_urls_verified_broken_refused_and_cached(program: Path, httpserver: HTTPServer, gates: Runner) -> None:
    httpserver.expect_request("/run/1").respond_with_data("ok")
    httpserver.expect_request("/run/2").respond_with_data("no", status=404)
    _allow_loopback(program)
    _add_evidence(
        program,
        f"{{id: U1, class: guard-checks, kind: url, ref: '{httpserver.url_for('/run/1')}'}}",
        f"{{id: U2, class: guard-checks, kind: url, ref: '{httpserver.url_for('/run/2')}'}}",
        "{id: U3, class: guard-checks, kind: url, ref: 'http://169.254.169.254/latest/meta-data/'}",
        "{id: U4, class: guard-checks, kind: issue, ref: 'javascript:alert(1)'}",
    )
    report = _report(gates, program, "--select", "EVID")
    codes = {f["subject"]: f["code"] for f in report["findings"]}  # type: ignore[union-attr]
    assert codes == {"U2": "EVID003", "U3": "EVID006", "U4": "EVID006"}
    assert _status(report, "INV-03") == "open"
    hits = len(httpserver.log)
    report = _report(gates, program, "--select", "EVID")  # cached: no new requests
    assert len(httpserver.log) == hits
    from checks.load.cache_dir import cache_dir

    assert (cache_dir(program) / "urls.json").is_file() and not (program / ".gates-cache").exists()
    report = _report(gates, program, "--select", "EVID", "--offline")
    codes = {f["subject"]: f["code"] for f in report["findings"]}  # type: ignore[union-attr]
    assert codes == {"U1": "EVID005", "U2": "EVID005", "U3": "EVID006", "U4": "EVID006"}


def test_required_class_coverage(program: Path, gates: Runner) -> None:
    inv = program / "data" / "invariants.yaml"
    inv.write_text(inv.read_text().replace("ref: data/program.yaml}", "ref: data/missing.yaml}"))
    report = _report(gates, program, "--offline", "--select", "EVID")
    found = sorted((f["code"], f["subject"]) for f in report["findings"])  # type: ignore[union-attr]
    assert found == [("EVID001", "INV-03-E1"), ("EVID004", "guard-checks")]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("none", "closed"),
        ("missing-evidence", "open"),
        ("unchecked-evidence", "open"),
        ("active-exception", "at-risk"),
        ("guard-error", "violated"),
        ("guard-error-and-exception", "violated"),
    ],
)
def test_closure_status_combinations(program: Path, product: Path, gates: Runner, change: str, expected: str) -> None:
    args: list[str] = ["--offline"]
    if change == "missing-evidence":
        _add_evidence(program, "{id: X1, class: guard-checks, kind: path, ref: nope.md}")
    if change == "unchecked-evidence":
        _add_evidence(program, "{id: X1, class: guard-checks, kind: url, ref: 'https://ci.invalid/run'}")
    if change in ("active-exception", "guard-error-and-exception"):
        exc = program / "data" / "exceptions.yaml"
        exc.write_text(exc.read_text().replace("invariants: [INV-01]", "invariants: [INV-01, INV-03]"))
    if change.startswith("guard-error"):
        args += ["--source", f"product={product}"]
    report = _report(gates, program, *args)
    assert _status(report, "INV-03") == expected
    closure = report["closure"]
    assert isinstance(closure, dict) and closure["closed"] is False  # EXC-001 is active in every case


def test_program_closes_when_everything_holds(program: Path, gates: Runner) -> None:
    (program / "data" / "exceptions.yaml").write_text("exceptions: []\n")
    snap = program / "data" / "endpoints.snapshot.json"
    data = json.loads(snap.read_text())
    data["services"]["control"]["endpoints"] = data["services"]["control"]["endpoints"][:1]
    snap.write_text(json.dumps(data))
    report = _report(gates, program, "--offline")
    closure = report["closure"]
    assert isinstance(closure, dict)
    assert closure["closed"] is True and closure["percent"] == 100, closure
