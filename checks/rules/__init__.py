"""Rule modules; importing this package registers every rule."""

from checks.rules import data, drift, evidence, exceptions, guards

__all__ = ["data", "drift", "evidence", "exceptions", "guards"]
