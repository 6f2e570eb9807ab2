"""Run the rules, attach codes and severities, sort, compute the closure from all of them, report the selected."""

from __future__ import annotations

from dataclasses import dataclass

from checks import __version__
from checks.core.closure import Closure, compute_closure
from checks.core.context import Context
from checks.core.findings import Finding, Severity
from checks.core.registry import Rule
from checks.scan.trees import listed_once


@dataclass
class Report:
    ctx: Context
    findings: list[Finding]
    closure: Closure
    rules: list[Rule]

    @property
    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def failed(self, strict: bool) -> bool:
        summary = self.summary
        return summary["error"] > 0 or (strict and summary["warning"] > 0)

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": {"name": "gates", "version": __version__},
            "today": self.ctx.today.isoformat(),
            "root": str(self.ctx.root),
            "program": {"id": self.ctx.program.id, "title": self.ctx.program.title},
            "summary": self.summary,
            "findings": [f.as_dict() for f in self.findings],
            "closure": self.closure.as_dict(),
            "sources": {s: state.as_dict() for s, state in self.ctx.source_states.items()},
            **({"catalog": self.catalog_provenance()} if "drift" in vars(self.ctx) else {}),
            **({"scan": self.scan_stats()} if "guard_scan" in vars(self.ctx) else {}),
        }

    def scan_stats(self) -> dict[str, object]:
        """Per source: how the guard scan ran, what it skipped, and per guard its hits and test-code hits left out."""
        out: dict[str, object] = {}
        for source, scan in self.ctx.guard_scan.sources.items():
            if scan is None:
                out[source] = None
                continue
            hits: dict[str, int] = {}
            for h in scan.hits:
                hits[h.guard] = hits.get(h.guard, 0) + 1
            out[source] = {
                "engine": scan.engine,
                "mode": scan.mode,
                "files_scanned": scan.files_scanned if scan.skip_counts else None,
                "skipped": dict(sorted(scan.skipped.items())),
                "guards": {
                    g.id: {"hits": hits.get(g.id, 0), "test_code_skipped": scan.test_code.get(g.id, 0)}
                    for g in self.ctx.program.guards
                    if not g.sources or source in g.sources
                },
            }
        return out

    def catalog_provenance(self) -> dict[str, object]:
        """Where each service's endpoints came from in this run: live sources, a source's record or the snapshot."""
        out: dict[str, object] = {}
        for service, cat in self.ctx.drift.catalog.services.items():
            if cat is None:
                out[service] = {"from": "unknown"}
            else:
                out[service] = {
                    "from": "live" if cat.live else "record" if cat.record else "snapshot",
                    **cat.provenance(),
                    "endpoints": len(cat.endpoints),
                }
        return out


def selected_rules(ctx: Context, catalog: list[Rule], select: set[str] | None, ignore: set[str]) -> list[Rule]:
    rules = []
    for r in catalog:
        if select is not None and r.code not in select:
            continue
        if r.code in ignore or ctx.program.severity.get(r.code) == "off":
            continue
        rules.append(r)
    return rules


def run_rules(ctx: Context, rules: list[Rule]) -> list[Finding]:
    findings: set[Finding] = set()
    for r in rules:
        level = ctx.program.severity.get(r.code)
        severity = Severity(level) if level in ("error", "warning", "info") else r.severity
        for p in r.check(ctx):
            findings.add(Finding(r.code, r.slug, severity, p.path, p.line, p.column, p.message, p.subject, p.invariant))
    return sorted(findings, key=lambda f: f.sort_key)


def run(
    ctx: Context,
    catalog: list[Rule],
    select: set[str] | None = None,
    ignore: set[str] | None = None,
    closure: bool = True,
) -> Report:
    """Report the rules of `catalog` that `select`/`ignore` and the program's severity settings leave on.

    The closure verdict never depends on what is reported: with `closure` (the default) every rule
    the program has not switched off runs, the verdict is computed from all of their findings, and
    only then are the findings filtered. Without it (`gates validate`) only the selected rules run and
    the report says the closure was not evaluated.
    """
    with listed_once():
        return _run(ctx, catalog, select, ignore, closure)


def _run(ctx: Context, catalog: list[Rule], select: set[str] | None, ignore: set[str] | None, closure: bool) -> Report:
    rules = selected_rules(ctx, catalog, select, ignore or set())
    if not closure:
        findings = run_rules(ctx, rules)
        verdict = compute_closure(ctx, findings, evaluated=False)
        verdict.evaluated = False
        return Report(ctx, findings, verdict, rules)
    everything = run_rules(ctx, selected_rules(ctx, catalog, None, set()))
    reported = {r.code for r in rules}
    findings = [f for f in everything if f.code in reported]
    return Report(ctx, findings, compute_closure(ctx, everything), rules)
