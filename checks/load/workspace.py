"""Find the tracker root and parse its three data files into position-keeping documents."""

from __future__ import annotations

from pathlib import Path

from checks.load.cache_dir import exclude_tree
from checks.load.yamlload import Document, load_bytes, load_file

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


def read_documents(root: Path, overrides: dict[str, bytes] | None = None) -> dict[str, Document]:
    """Parse the three data files (no schema validation yet). `overrides` supplies contents by name."""
    exclude_tree(root)  # from here on, no cache is read from inside this tracker
    docs: dict[str, Document] = {}
    for name, rel in DATA_FILES.items():
        if overrides is not None:
            raw = overrides.get(name)
            doc = load_bytes(raw, rel) if raw is not None else Document(path=rel, exists=False)
        else:
            doc = load_file(root / rel, rel, root=root)
        if not doc.exists and name == "exceptions":
            doc = Document(path=rel, data={"exceptions": []}, exists=False)
        docs[name] = doc
    return docs
