"""Creating a case: where its file goes and what it is called."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.case import CASE_SUFFIX, Case
from desk.errors import DeskError

CASE_FILTER = f"Evidence Desk cases (*{CASE_SUFFIX})"


def with_case_suffix(path: Path) -> Path:
    """``path`` ending in .evcase: file dialogs do not add it everywhere."""
    return path if path.suffix == CASE_SUFFIX else path.with_name(path.name + CASE_SUFFIX)


class NewCaseDialog(QDialog):
    """A title and a file name; OK creates the case file (``Case.create``).

    A name that cannot be used (the file exists, the folder is missing) is explained
    under the fields and the dialog stays open.

    Signals:
        case_created(object): the new, open ``Case``; the receiver owns it.

    Attributes:
        title_edit, path_edit: the two fields; choose_button asks for the file name.
        message: the line that explains why the case could not be created.
    """

    case_created = Signal(object)

    def __init__(self, analyst: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self._analyst = analyst
        self._folder = folder

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. Sarmin, March 2024")
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(f"a new file ending in {CASE_SUFFIX}")
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        file_label = QLabel("&File:")  # a row holding a layout gets no buddy by itself
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, path_row)

        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText("C&reate")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.title_edit.textChanged.connect(self._fields_changed)
        self.path_edit.textChanged.connect(self._fields_changed)
        self._fields_changed()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

    def accept(self) -> None:
        path = with_case_suffix(Path(self.path_edit.text().strip()).expanduser())
        if not path.is_absolute():
            path = self._folder / path
        try:
            case = Case.create(path, self.title_edit.text().strip(), analyst=self._analyst)
        except DeskError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return
        super().accept()
        self.case_created.emit(case)

    def _ask_path(self) -> Path | None:
        """The file name from a save dialog, or None when the analyst cancels."""
        suggested = self._folder / f"{self.title_edit.text().strip() or 'case'}{CASE_SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(
            self,
            "New case file",
            str(suggested),
            CASE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,  # we refuse existing files
        )
        return with_case_suffix(Path(name)) if name else None

    def _choose(self) -> None:
        path = self._ask_path()
        if path is None:
            return
        self.path_edit.setText(str(path))
        if not self.title_edit.text().strip():
            self.title_edit.setText(path.stem)

    def _fields_changed(self) -> None:
        self.message.hide()
        self._ok.setEnabled(bool(self.title_edit.text().strip() and self.path_edit.text().strip()))
