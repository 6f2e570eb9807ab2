"""Load bar: `gates check` and the dashboard build on a program far larger than any real one, at growing sizes.

At full size the generated program has 2,000 invariants, 5,000 exceptions, 20,000 evidence items
and a product source of 5,000 files (with guard hits, routes and tests the evidence names), plus
runbooks in proportion. Each size from 1/16 to 1 is generated afresh and timed, in a new process
as users run it:

- `gates check --offline --source product=DIR` — bar: < 15 s at full size;
- `mkdocs build` of the dashboard (offline, the same source) — bar: < 60 s at full size.

It prints the curve (seconds per size, and the ratio to the size before: about 2 when the cost is
linear) and exits 1 when a bar is missed. `--sizes` picks other fractions, `--skip-site` times the
checker alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import compile_package  # noqa: E402

from tests.sitekit import prepare_site  # noqa: E402

CHECK_BAR = 15.0
SITE_BAR = 60.0
FULL = {"invariants": 2000, "exceptions": 5000, "evidence": 20000, "files": 5000, "runbooks": 250}
TODAY = "2026-03-05"


def _invariants(n: int, evidence: int, files: int, runbooks: int) -> str:
    """`n` invariants sharing `evidence` items of every kind: tracker paths, source paths and tests, commands, URLs."""
    lines = ["invariants:"]
    ids = ["INV-01", "INV-03"] + [f"INV-{1000 + i}" for i in range(n - 2)]
    per, extra = divmod(evidence, n)
    item = 0
    for i, ident in enumerate(ids):
        lines += [
            f"  - id: {ident}",
            f"    title: Generated invariant {i}",
            f"    statement: Generated statement {i} that must hold for the program to close.",
            "    posture: preserved",
            f"    owner: owner:lane-{i % 7}",
            "    evidence:",
        ]
        for e in range(per + (1 if i < extra else 0)):
            item += 1
            cls = "runtime-tests" if e % 2 else "guard-checks"
            kind = item % 5
            if kind == 0:
                ref = f"kind: path, ref: docs/runbooks/r{item % runbooks}.md"
            elif kind == 1:
                ref = f"kind: path, source: product, ref: apps/gen/src/m{item % files}.rs"
            elif kind == 2:
                ref = f"kind: test, source: product, ref: apps/gen/src/m{item % files}.rs::test_m{item % files}"
            elif kind == 3:
                ref = f"kind: command, ref: cargo test -p gen m{item}"
            else:
                ref = f"kind: url, ref: 'https://example.invalid/proof/{item}'"
            lines.append(f"      - {{id: {ident}-E{e}, class: {cls}, {ref}}}")
    return "\n".join(lines) + "\n"


def _exceptions(n: int, files: int) -> str:
    """`n` exceptions in every state: compliant, expiring, expired, stale, renewed and retired."""
    lines = ["exceptions:"]
    for x in range(n):
        kind = x % 6
        opened, expires = ("2026-03-01", "2026-03-12") if kind != 2 else ("2026-02-01", "2026-02-10")
        lines += [
            f"  - id: EXC-{x + 1:04d}",
            f"    title: Generated exception {x}",
            "    invariants: [INV-01]",
            f"    surface: apps/gen/src/m{x % files}.rs",
            "    blocker: Old clients still call the alias.",
            f"    owner: '@team-{x % 13}'",
            f"    opened: {opened if kind != 3 else '2026-02-10'}",
            f"    expires: {expires if kind != 3 else '2026-02-20'}",
            f"    deletion_issue: https://example.invalid/issues/{x}",
            "    blast_radius: Old clients lose token refresh.",
            "    rollback: [Re-add the alias route.]",
            "    covers:",
            f"      guards: [{{guard: sync-token-alias-route, paths: ['apps/gen/src/m{x % files}.rs']}}]",
            "      endpoints: [{family: sync-token, path: /api/sync/token}]",
        ]
        if kind == 4:
            lines.append("    renewals: [{date: 2026-03-03, evidence: 'https://example.invalid/r', approver: '@lead'}]")
        if kind == 5:
            lines += [
                "    status: retired",
                "    retired: {date: 2026-03-04, reason: done, link: 'https://example.invalid/p'}",
            ]
        else:
            lines.append("    status: active")
    return "\n".join(lines) + "\n"


def _source(src: Path, files: int) -> None:
    """The fixture product tree plus `files` generated files: Rust modules with routes, tests and legacy hits."""
    shutil.copytree(REPO / "tests" / "fixtures" / "product", src)
    gen = src / "apps" / "gen" / "src"
    gen.mkdir(parents=True)
    control = src / "apps" / "control" / "src" / "gen"
    control.mkdir(parents=True)
    for i in range(files):
        body = [f"// generated module {i}", f"pub fn handler_{i}() -> u32 {{ {i} }}"]
        if i % 10 == 0:
            body.append('const OLD: &str = "/api/sync/token"; // a guarded alias, waived by an exception')
        if i % 25 == 0:
            body.append('const WS: &str = "/sync/socket/websocket";')
        body += [
            "",
            "#[cfg(test)]",
            "mod tests {",
            "    #[test]",
            f"    fn test_m{i}() {{ assert_eq!(super::handler_{i}(), {i}); }}",
            "}",
        ]
        body += [f"// filler line {j} of module {i}, long enough to be read like real code" for j in range(20)]
        (gen / f"m{i}.rs").write_text("\n".join(body) + "\n")
        if i % 50 == 0:
            (control / f"r{i}.rs").write_text(
                f'pub fn routes() -> Router {{\n    Router::new().route("/api/gen/{i}", post(handler_{i}))\n}}\n'
            )


def _runbooks(docs: Path, runbooks: int) -> None:
    for r in range(runbooks):
        (docs / f"r{r}.md").write_text(
            f"# Runbook {r}\n\nIssue a token with `POST /api/spacetime/token` and subscribe with\n"
            f"`GET /v1/database/<db>/subscribe`; the generated route `POST /api/gen/{r * 50}` is covered.\n\n"
            + "Some prose. " * 80
            + "\n"
        )


def generate(base: Path, fraction: float) -> tuple[Path, Path, dict[str, int]]:
    """A tracker and its product source at `fraction` of the full load; returns (root, source, sizes)."""
    sizes = {k: max(2, round(v * fraction)) for k, v in FULL.items()}
    root, src = base / "program", base / "product"
    shutil.copytree(REPO / "tests" / "fixtures" / "program", root)
    data = root / "data"
    (data / "invariants.yaml").write_text(
        _invariants(sizes["invariants"], sizes["evidence"], sizes["files"], sizes["runbooks"])
    )
    (data / "exceptions.yaml").write_text(_exceptions(sizes["exceptions"], sizes["files"]))
    _runbooks(root / "docs" / "runbooks", sizes["runbooks"])
    _source(src, sizes["files"])
    prepare_site(root)
    return root, src, sizes


def _timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    lines = proc.stderr.strip().splitlines()
    return time.perf_counter() - start, proc.returncode, lines[-1] if lines else ""


def measure(base: Path, fraction: float, site: bool) -> tuple[dict[str, int], float, float | None]:
    root, src, sizes = generate(base, fraction)
    env = {**os.environ, "GATES_CACHE_DIR": str(base / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    check = [sys.executable, "-m", "checks", "check", "--root", str(root), "--today", TODAY, "--offline"]
    check += ["--source", f"product={src}", "--format", "json", "--output", str(base / "report.json")]
    seconds, code, err = _timed(check, REPO, env)
    if code not in (0, 1):
        raise SystemExit(f"gates check failed at size {fraction}: {err}")
    built = None
    if site:
        env = {**env, "GATES_TODAY": TODAY, "GATES_SOURCES": f"product={src}"}
        built, code, err = _timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(base / "site")], root, env)
        if code != 0:
            raise SystemExit(f"mkdocs build failed at size {fraction}: {err}")
    return sizes, seconds, built


def parse_fraction(text: str) -> float:
    num, _, den = text.partition("/")
    return float(num) / float(den or 1)


def _verdict(name: str, seconds: float, bar: float) -> bool:
    ok = seconds < bar
    print(f"{name} at full size: {seconds:.2f} s (bar < {bar:.0f} s) {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1/16,1/8,1/4,1/2,1", help="fractions of the full load, comma separated")
    parser.add_argument("--skip-site", action="store_true", help="time `gates check` only")
    args = parser.parse_args()
    compile_package()
    rows: list[tuple[str, float, float, float | None]] = []
    for label in args.sizes.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            sizes, check, site = measure(Path(tmp), parse_fraction(label), not args.skip_site)
        rows.append((label, parse_fraction(label), check, site))
        print(
            f"size {label:>5}: {sizes['invariants']:5} invariants, {sizes['exceptions']:5} exceptions, "
            f"{sizes['evidence']:6} evidence items, {sizes['files']:5} source files, {sizes['runbooks']:4} runbooks: "
            f"check {check:.2f} s" + (f", site {site:.2f} s" if site is not None else ""),
            flush=True,
        )
    print("curve: seconds, and in brackets the ratio to the size before (about 2 per doubling when linear)")
    previous: tuple[str, float, float, float | None] | None = None
    for label, _f, check, site in rows:
        line = f"  {label:>5}: gates check {check:7.2f} s"
        if previous is not None:
            line += f" (x{check / previous[2]:.2f})"
        if site is not None:
            line += f"   site build {site:7.2f} s"
            if previous is not None and previous[3]:
                line += f" (x{site / previous[3]:.2f})"
        print(line)
        previous = (label, _f, check, site)
    full = [r for r in rows if r[1] >= 1.0]
    if not full:
        return 0
    _label, _f, check, site = full[-1]
    ok = _verdict("gates check", check, CHECK_BAR)
    if site is not None:
        ok = _verdict("site build", site, SITE_BAR) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
