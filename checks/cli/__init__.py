"""The command line: argument parsing, one module per command, the exit policy."""
