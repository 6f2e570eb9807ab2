from checks.cli.entry import run

raise SystemExit(run())
