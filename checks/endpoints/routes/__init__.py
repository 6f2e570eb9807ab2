"""Route declarations extracted from source trees by framework presets.

The extractors read source text, not ASTs: they find route calls, resolve string constants across
files, and follow the prefixes that nesting adds (axum `.nest`, FastAPI `prefix=`, Flask
`url_prefix=`, Express `app.use`). Each route keeps the file and line it was declared at.
"""

from __future__ import annotations

from checks.endpoints.routes.axum import extract_axum
from checks.endpoints.routes.common import Route, SourceFile
from checks.endpoints.routes.express import extract_express
from checks.endpoints.routes.python import extract_python
from checks.endpoints.routes.regex import extract_regex

__all__ = ["PRESETS", "Route", "SourceFile", "extract_axum", "extract_express", "extract_python", "extract_regex"]

PRESETS = {"axum": extract_axum, "fastapi": extract_python, "flask": extract_python, "express": extract_express}
