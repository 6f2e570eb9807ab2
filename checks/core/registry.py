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


def rule(code: str, slug: str, severity: Severity) -> Callable[[CheckFn], CheckFn]:
    """Register a rule. Its docstring is the user documentation: one imperative sentence first."""

    def register(check: CheckFn) -> CheckFn:
        if not _CODE.match(code):
            raise RegistryError(f"rule code {code!r} must be a family ({', '.join(FAMILIES)}) and three digits")
        if not _SLUG.match(slug):
            raise RegistryError(f"rule slug {slug!r} must be lower-case words joined by '-'")
        if code in RULES:
            raise RegistryError(f"rule code {code} is declared twice")
        if any(r.slug == slug for r in RULES.values()):
            raise RegistryError(f"rule slug {slug!r} is declared twice")
        doc = inspect.cleandoc(check.__doc__ or "")
        if not doc:
            raise RegistryError(f"rule {code} needs a docstring: it is the rule's documentation")
        RULES[code] = Rule(code, slug, severity, check, doc)
        return check

    return register


def all_rules() -> list[Rule]:
    import checks.rules  # noqa: F401  (importing registers every rule)

    return sorted(RULES.values(), key=lambda r: (FAMILIES.index(r.family), r.code))


def resolve_codes(spec: str) -> set[str]:
    """Turn "DATA,EXC001" into codes; a family prefix selects the family. Unknown names raise ValueError."""
    codes: set[str] = set()
    known = {r.code: r for r in all_rules()}
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
