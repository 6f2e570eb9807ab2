"""Find the tracker root and load the program's data files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checks.model import Invariant, Program, Waiver, build_invariants, build_program, build_waivers
from checks.schema import SchemaProblem, validate
from checks.yamlload import Document, load_bytes, load_file

DATA_FILES = {
    "program": "data/program.yaml",
    "invariants": "data/invariants.yaml",
    "exceptions": "data/exceptions.yaml",
}


class NoProgram(Exception):
    """No data/program.yaml was found; the command cannot run."""


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds data/program.yaml."""
    current = start.resolve()
    for candidate in (current, *current.parents):
        if (candidate / DATA_FILES["program"]).is_file():
            return candidate
    raise NoProgram(f"no {DATA_FILES['program']} in {start} or any folder above it; pass --root DIR")


@dataclass
class Workspace:
    root: Path
    docs: dict[str, Document]
    schema_problems: dict[str, list[SchemaProblem]]
    program: Program
    invariants: tuple[Invariant, ...]
    waivers: tuple[Waiver, ...]


def read_documents(root: Path, overrides: dict[str, bytes] | None = None) -> dict[str, Document]:
    """Parse the three data files (no schema validation yet). `overrides` supplies contents by name."""
    docs: dict[str, Document] = {}
    for name, rel in DATA_FILES.items():
        if overrides is not None:
            raw = overrides.get(name)
            doc = load_bytes(raw, rel) if raw is not None else Document(path=rel, exists=False)
        else:
            doc = load_file(root / rel, rel)
        if not doc.exists and name == "exceptions":
            doc = Document(path=rel, data={"exceptions": []}, exists=False)
        docs[name] = doc
    return docs


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
