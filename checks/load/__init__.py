"""Reading the tracker: safe YAML with positions, JSON Schema validation, calendar dates."""
