"""Showing the core's errors: one plain sentence in a dialog, never a traceback.

Bugs (anything that is not a DeskError) go to the crash dialog instead, see
ui.dialogs.crash.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desk.errors import DeskError


def show_error(parent: QWidget | None, error: DeskError, title: str = "Evidence Desk") -> None:
    """A modal message with the core's sentence; the case is unchanged by a DeskError.

    Plain text: the sentence often quotes a file name or text from a source, which
    QMessageBox would otherwise take for markup when it looks like HTML.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, str(error), parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
