"""EVID rules: evidence exists, and every required class is covered by verified evidence."""

from __future__ import annotations

from collections.abc import Iterator

from checks.core.context import Context
from checks.core.findings import Problem, Severity
from checks.core.registry import rule
from checks.evidence.verify import EvidenceResult


def _problems(ctx: Context, code: str, text: str) -> Iterator[Problem]:
    for result in ctx.evidence.results:
        if result.code != code:
            continue
        e = result.evidence
        line, col = e.where.at("ref")
        yield Problem(
            e.where.path, line, col, f"evidence {e.id} ({e.invariant}): {result.detail}{text}", e.id, e.invariant
        )


@rule("EVID001", "evidence-path-missing", Severity.ERROR, needs=("evidence",))
def evidence_path_missing(ctx: Context) -> Iterator[Problem]:
    """An evidence path must exist inside the tracker or its named source.

    Absolute paths, `..` and symlinks that leave the tree are refused.

    Pass:
    ```yaml
    - {id: INV-07-E1, class: integration-chaos-gates, kind: path, ref: docs/evidence/chaos-drill-2026-03.md}
    ```
    Fail:
    ```yaml
    - {id: INV-07-E1, class: integration-chaos-gates, kind: path, ref: ../outside.md}
    ```
    """
    yield from _problems(ctx, "EVID001", "; point it at a file that exists")


@rule("EVID002", "evidence-test-missing", Severity.ERROR, needs=("evidence",))
def evidence_test_missing(ctx: Context) -> Iterator[Problem]:
    """A `test` evidence item must name a test that is defined in the named file.

    Recognised: Rust `fn` under a test attribute or in a `#[cfg(test)]` module, Python
    `def test_...` (optionally `Class::test_...`), JS/TS `test("...")`/`it("...")`, Go `func TestX`.

    Pass:
    ```yaml
    ref: apps/runtime/src/publisher.rs::publisher_rejects_in_memory_lane
    ```
    Fail (renamed test):
    ```yaml
    ref: apps/runtime/src/publisher.rs::publisher_rejects_memory_lane
    ```
    """
    yield from _problems(ctx, "EVID002", "")


@rule("EVID003", "evidence-url-broken", Severity.ERROR, needs=("evidence",))
def evidence_url_broken(ctx: Context) -> Iterator[Problem]:
    """An evidence URL must answer without a 4xx or 5xx status after retries.

    Pass: `https://github.com/OpenAgentsInc/openagents/pull/2150` answers 200.
    Fail: the page answers 404.
    """
    yield from _problems(ctx, "EVID003", "; fix or replace the link")


@rule("EVID004", "evidence-class-uncovered", Severity.ERROR, needs=("evidence",))
def evidence_class_uncovered(ctx: Context) -> Iterator[Problem]:
    """Every required evidence class must be covered by at least one verified evidence item.

    Unchecked evidence (offline, source absent) does not count: closure is never assumed.

    Pass: a `repo-guard-checks` item whose file exists in the present source.
    Fail: every `integration-chaos-gates` item is missing or unchecked.
    """
    for cls in ctx.program.required_classes:
        results: list[EvidenceResult] = ctx.evidence.for_class(cls.id)
        if any(r.verified for r in results):
            continue
        line, col = cls.where.at("id")
        if not results:
            why = "no evidence item has this class"
        else:
            counts: dict[str, int] = {}
            for r in results:
                counts[r.status] = counts.get(r.status, 0) + 1
            why = "its items are " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        yield Problem(
            cls.where.path,
            line,
            col,
            f"required evidence class {cls.id!r} has no verified evidence ({why}); add or fix evidence",
            cls.id,
        )


@rule("EVID005", "evidence-unchecked", Severity.INFO, needs=("evidence",))
def evidence_unchecked(ctx: Context) -> Iterator[Problem]:
    """Report evidence that was not checked (offline, or its source is absent).

    Pass: the check ran online with every source present.
    Fail: this rule reports, it never fails a check on its own.
    """
    yield from _problems(ctx, "EVID005", "")


@rule("EVID006", "evidence-url-refused", Severity.ERROR, needs=("evidence",))
def evidence_url_refused(ctx: Context) -> Iterator[Problem]:
    """Evidence URLs must be public http(s) addresses without credentials, unless the host is allowed.

    Hosts that resolve to private, loopback or link-local addresses are refused (also after a
    redirect), as are `javascript:`, `file:` and URLs with a user or password.

    Pass: `https://github.com/OpenAgentsInc/openagents/issues/2101`.
    Fail: `http://169.254.169.254/latest/meta-data/` or `http://2130706433/`.
    """
    yield from _problems(ctx, "EVID006", "")
