"""The id patterns of the data files, owned here: the rules, the site and the JSON schemas agree with these.

Each is a raw regex string (the very text the schemas carry in `pattern`; tests/test_ids.py holds
them equal) and its compiled form. Match with `.match`, as the schemas' anchored patterns intend.
"""

from __future__ import annotations

import re

# An invariant: INV-03 (invariants.yaml `id`, and every reference to an invariant).
INVARIANT_ID = r"^INV-[0-9]{2,4}$"
# A time-boxed exception: EXC-001 (exceptions.yaml `id`).
EXCEPTION_ID = r"^EXC-[0-9]{3,5}$"
# A requirement: REQ-1 (program.yaml `requirements[].id`).
REQUIREMENT_ID = r"^REQ-[0-9]+$"
# An evidence item: INV-03-E1 (invariants.yaml `invariants[].evidence[].id`).
EVIDENCE_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# A lower-case id defined in program.yaml (the program, evidence classes, sources, guards, services,
# canonical endpoints, alias families) and the fields that refer to one.
PROGRAM_ID = r"^[a-z0-9][a-z0-9._-]*$"

INVARIANT_ID_RE = re.compile(INVARIANT_ID)
EXCEPTION_ID_RE = re.compile(EXCEPTION_ID)
REQUIREMENT_ID_RE = re.compile(REQUIREMENT_ID)
EVIDENCE_ID_RE = re.compile(EVIDENCE_ID)
PROGRAM_ID_RE = re.compile(PROGRAM_ID)
