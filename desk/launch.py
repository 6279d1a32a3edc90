"""The ``evidence-desk`` command's entry point, which loads the desk only when it runs.

Each extraction worker (forked from a fork server, or started with "spawn") imports
the parent's main script before any work: a script that imported the command line
(SQLAlchemy, the case, the bundle code) cost each worker a third of a second of CPU;
this module costs none.

``evidence-desk [gui] [CASE]`` goes straight to the window (``ui.app``), which shows the
case's first lines before it loads the database layer; the other commands go to
``desk.cli``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

_ASK_THE_CLI = frozenset({"-h", "--help", "--version"})


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    window = gui_arguments(args)
    if window is not None:
        from ui.app import main as run_window

        return run_window(window)
    from desk.cli import main as run_command

    return run_command(args)


def gui_arguments(args: list[str]) -> list[str] | None:
    """The window's own arguments (``[CASE] [--analyst NAME]``) when ``args`` ask for the
    window (the ``gui`` command, or no command); None for any other command."""
    if _ASK_THE_CLI.intersection(args):
        return None
    commands = [
        at
        for at, arg in enumerate(args)
        if not arg.startswith("-") and (at == 0 or args[at - 1] != "--analyst")
    ]
    if not commands:
        return args
    if args[commands[0]] != "gui":
        return None
    return args[: commands[0]] + args[commands[0] + 1 :]
