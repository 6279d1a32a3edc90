"""Showing the core's errors: one plain sentence in a dialog, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.errors import DeskError


def show_error(parent: QWidget | None, error: DeskError, title: str = "Evidence Desk") -> None:
    """A modal message with the core's sentence; the case is unchanged by a DeskError."""
    QMessageBox.warning(parent, title, str(error))
