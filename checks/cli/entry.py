"""The `gates` executable: start what can start early, then run the command line.

Kept apart from checks.cli.main (which tests and other programs call with their own arguments) so
that only a real `gates` process starts ripgrep runs ahead of its imports (see checks.scan.rg_prestart).
"""

from __future__ import annotations

import sys


def run() -> int:
    from checks.scan import rg_prestart

    rg_prestart.start(sys.argv[1:])
    from checks.cli.main import main

    return main()
