"""Asking the analyst's name, which the case history writes next to every change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

FIRST_START = (
    "Welcome to Evidence Desk. The history of a case records who made each change: "
    "what name should it give for you? You can change it later under Edit › Analyst name."
)
CHANGE = (
    "The name the case history gives for your changes from now on. "
    "Changes already made keep the name they were made under."
)


class AnalystDialog(QDialog):
    """One line for the analyst's name; OK only when it is not blank. No signals.

    Attributes:
        name_edit: the line edit holding the name.
    """

    def __init__(self, name: str, first_start: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your name" if first_start else "Analyst name")
        explanation = QLabel(FIRST_START if first_start else CHANGE)
        explanation.setWordWrap(True)

        self.name_edit = QLineEdit(name)
        self.name_edit.selectAll()
        self.name_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._name_changed)
        self._name_changed(name)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self._buttons)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def _name_changed(self, text: str) -> None:
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))
