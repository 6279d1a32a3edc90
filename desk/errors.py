"""Errors the core raises for expected failures: one plain sentence for the user.

The CLI prints ``str(error)`` and exits with ``error.exit_code``; the GUI shows it in
a dialog. Anything that is not a ``DeskError`` is a bug and gets a traceback.
"""

from __future__ import annotations

from pathlib import Path


class DeskError(Exception):
    """An expected failure, explained in one sentence."""

    exit_code = 1


class BadInputError(DeskError):
    """The user gave us something we cannot use (exit code 2)."""

    exit_code = 2


class IngestError(BadInputError):
    """A file could not be imported; names the file and the reason."""

    def __init__(self, filename: str | Path, reason: str) -> None:
        self.filename = str(filename)
        self.reason = reason
        super().__init__(f"{self.filename}: {reason}")


class CaseError(DeskError):
    """A case file cannot be created, opened, upgraded or written (read-only, disk full)."""

    exit_code = 2


class ReadOnlyCaseError(CaseError):
    """The case file cannot be written: a read-only file, or one on a read-only medium."""


class NotFoundError(BadInputError):
    """A record named by the user does not exist in the case."""
