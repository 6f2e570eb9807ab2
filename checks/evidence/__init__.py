"""Evidence verification: files exist, tests are defined, URLs answer."""
