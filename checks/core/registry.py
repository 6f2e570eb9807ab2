"""The one registry of rules: codes, slugs, default severities and their documentation."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checks.core.findings import Problem, Severity

if TYPE_CHECKING:
    from checks.core.context import Context

CheckFn = Callable[["Context"], Iterable[Problem]]

FAMILIES = ("DATA", "EXC", "GUARD", "DRIFT", "EVID")
# What a rule may declare it reads beyond the data files: the guard scan of the sources, the
# runbook/catalog drift analysis, the evidence verification.
NEEDS = ("guards", "drift", "evidence")
_CODE = re.compile(r"^(DATA|EXC|GUARD|DRIFT|EVID)[0-9]{3}$")
_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RegistryError(Exception):
    """A rule was declared with a bad or duplicate code or slug."""


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    check: CheckFn
    doc: str
    # The shared analyses the rule reads (see NEEDS); the command line starts them early and skips
    # them when no selected rule needs them.
    needs: frozenset[str] = frozenset()

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    @property
    def anchor(self) -> str:
        return self.code.lower()


RULES: dict[str, Rule] = {}


def rule(code: str, slug: str, severity: Severity, needs: Iterable[str] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a rule. Its docstring is the user documentation: one imperative sentence first."""
    wanted = frozenset(needs)

    def register(check: CheckFn) -> CheckFn:
        if not _CODE.match(code):
            raise RegistryError(f"rule code {code!r} must be a family ({', '.join(FAMILIES)}) and three digits")
        if not _SLUG.match(slug):
            raise RegistryError(f"rule slug {slug!r} must be lower-case words joined by '-'")
        if not wanted <= set(NEEDS):
            raise RegistryError(f"rule {code} needs {sorted(wanted - set(NEEDS))}: not one of {', '.join(NEEDS)}")
        if code in RULES:
            raise RegistryError(f"rule code {code} is declared twice")
        if any(r.slug == slug for r in RULES.values()):
            raise RegistryError(f"rule slug {slug!r} is declared twice")
        doc = inspect.cleandoc(check.__doc__ or "")
        if not doc:
            raise RegistryError(f"rule {code} needs a docstring: it is the rule's documentation")
        RULES[code] = Rule(code, slug, severity, check, doc, wanted)
        return check

    return register


def registered() -> list[Rule]:
    """Every rule declared so far, in catalog order (`checks.rules.all_rules` imports them all first)."""
    return sorted(RULES.values(), key=lambda r: (FAMILIES.index(r.family), r.code))


def resolve_codes(spec: str, rules: list[Rule]) -> set[str]:
    """Turn "DATA,EXC001" into codes; a family prefix selects the family. Unknown names raise ValueError."""
    codes: set[str] = set()
    known = {r.code: r for r in rules}
    slugs = {r.slug: r.code for r in known.values()}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        upper = part.upper()
        if upper in known:
            codes.add(upper)
        elif part in slugs:
            codes.add(slugs[part])
        elif upper in FAMILIES:
            codes.update(c for c in known if c.startswith(upper))
        else:
            raise ValueError(f"unknown rule code {part!r} (see 'gates rules')")
    return codes
