"""MkDocs hooks: one generated page per invariant, listed in the navigation.

The pages hold no data, only a macro call; the invariant's title and content come escaped from
the macro. Only ids of the form INV-NN become pages, so no data string ever becomes a file name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from checks.load.workspace import DATA_FILES
from checks.load.yamlload import load_file
from checks.model import build_invariants
from checks.model.ids import INVARIANT_ID

_ID = re.compile(INVARIANT_ID)


def _ids(config: Any) -> list[str]:
    # Only the invariants file is needed here; the full check runs once, in the macros module.
    doc = load_file(Path(config["config_file_path"]).parent / DATA_FILES["invariants"], DATA_FILES["invariants"])
    return sorted({i.id for i in build_invariants(doc) if _ID.match(i.id)})


def on_config(config: Any) -> Any:
    nav = config.get("nav")
    if isinstance(nav, list):
        for entry in nav:
            if isinstance(entry, dict) and "Invariants" in entry and isinstance(entry["Invariants"], list):
                keep = [e for e in entry["Invariants"] if not (isinstance(e, str) and _ID.match(Path(e).stem))]
                entry["Invariants"] = keep + [f"invariants/{i}.md" for i in _ids(config)]
    return config


def on_files(files: Files, config: Any) -> Files:
    for ident in _ids(config):
        src = f"invariants/{ident}.md"
        if files.get_file_from_path(src) is not None:
            continue
        content = f"---\nrender_macros: true\n---\n# {ident}\n\n{{{{ invariant_page('{ident}') }}}}\n"
        files.append(File.generated(config, src, content=content))
    return files
