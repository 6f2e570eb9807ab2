"""Gates: track a migration program to auditable closure."""

__version__ = "0.1.0"
