"""History: closure over the tracker's git history and the legacy-symbol burndown of a source."""
