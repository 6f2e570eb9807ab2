"""The object the mkdocs macros bind: one method per macro, each delegating to its page module."""

from __future__ import annotations

from checks.site.pages import adr, drift, evidence, exceptions, guards, history, home, invariants, rules
from checks.site.pages.view import View

# The macros docs/*.md call, each a method of `Dashboard` below.
MACROS = (
    "home",
    "invariants_table",
    "invariant_page",
    "exceptions_page",
    "drift_page",
    "guards_page",
    "evidence_page",
    "rules_page",
    "adr_mandate",
    "adr_requirements",
    "adr_mapping",
    "exception_process",
    "evidence_classes",
    "history_page",
)


class Dashboard(View):
    def home(self) -> str:
        return home.home(self)

    def invariants_table(self) -> str:
        return invariants.invariants_table(self)

    def invariant_page(self, invariant_id: str) -> str:
        return invariants.invariant_page(self, invariant_id)

    def exceptions_page(self) -> str:
        return exceptions.exceptions_page(self)

    def drift_page(self) -> str:
        return drift.drift_page(self)

    def guards_page(self) -> str:
        return guards.guards_page(self)

    def evidence_page(self) -> str:
        return evidence.evidence_page(self)

    def history_page(self) -> str:
        return history.history_page(self)

    def rules_page(self) -> str:
        return rules.rules_page()

    def adr_mandate(self) -> str:
        return adr.adr_mandate(self)

    def adr_requirements(self) -> str:
        return adr.adr_requirements(self)

    def adr_mapping(self) -> str:
        return adr.adr_mapping(self)

    def exception_process(self) -> str:
        return adr.exception_process(self)

    def evidence_classes(self) -> str:
        return adr.evidence_classes(self)
