"""The loaded tracker: parsed documents, their schema problems and the typed program built from them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checks.load.schema import SchemaProblem, validate
from checks.load.workspace import read_documents
from checks.load.yamlload import Document
from checks.model.exceptions import Waiver, build_waivers
from checks.model.invariants import Invariant, build_invariants
from checks.model.program import Program, build_program


@dataclass
class Workspace:
    root: Path
    docs: dict[str, Document]
    schema_problems: dict[str, list[SchemaProblem]]
    program: Program
    invariants: tuple[Invariant, ...]
    waivers: tuple[Waiver, ...]


def load_workspace(
    root: Path,
    overrides: dict[str, bytes] | None = None,
    docs: dict[str, Document] | None = None,
    program: Program | None = None,
) -> Workspace:
    """Load and validate the three data files (reusing documents and a program model already built)."""
    docs = docs if docs is not None else read_documents(root, overrides)
    problems = {name: list(validate(doc, name)) if doc.readable else [] for name, doc in docs.items()}
    exc_pointers = [p.pointer for p in problems["exceptions"]]
    return Workspace(
        root=root,
        docs=docs,
        schema_problems=problems,
        program=program if program is not None else build_program(docs["program"]),
        invariants=build_invariants(docs["invariants"]),
        waivers=build_waivers(docs["exceptions"], exc_pointers),
    )
