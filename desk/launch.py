"""The ``evidence-desk`` command's entry point, which loads the desk only when it runs.

Extraction workers start with "spawn", which imports the parent's main script in each
worker before any work: a script that imported the command line (SQLAlchemy, the case,
the bundle code) cost each worker a third of a second of CPU; this module costs none.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from desk.cli import main as run_command

    return run_command(argv)
