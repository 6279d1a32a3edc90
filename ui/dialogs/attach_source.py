"""Choose sources already in the case to attach to an incident."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk.services.sources import SourceView
from ui.models.sources import DATE, LANGUAGE, OUTLET, TITLE, SourceListModel, kind_icons

if TYPE_CHECKING:
    from desk.case import Case

# The list shows this many matches; typing narrows it.
SHOWN = 500
SEARCH_DELAY_MS = 150


class AttachSourceDialog(QDialog):
    """A searchable list of the case's sources not yet attached to the incident; pick
    one or many (Ctrl/Shift+click) and press Attach. No signals.

    Attributes:
        search: the search box (title, outlet, author, file name).
        model: the ``SourceListModel`` of matches.
        view: the list.
        attach_button: the Attach button.
    """

    def __init__(self, case: Case, incident_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._incident_id = incident_id
        self.setWindowTitle("Attach sources from the case")

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, outlets, authors, file names")
        self.search.setClearButtonEnabled(True)
        self.model = SourceListModel(kind_icons(self.style()), self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        header.resizeSection(OUTLET, metrics.horizontalAdvance("M") * 12)
        header.resizeSection(DATE, metrics.horizontalAdvance("0000-00-00") + 24)
        header.resizeSection(LANGUAGE, metrics.horizontalAdvance("Lang.") + 24)
        self._count = QLabel()
        self._count.setTextFormat(Qt.TextFormat.PlainText)
        self._count.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.attach_button = QPushButton("Attach")
        self.attach_button.setDefault(True)
        buttons.addButton(self.attach_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._count)
        layout.addWidget(buttons)
        self.resize(metrics.horizontalAdvance("M") * 56, metrics.lineSpacing() * 24)

        # Query after a pause in typing, not on every key.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.refresh()

    def refresh(self) -> None:
        """List the sources matching the search box now."""
        self._timer.stop()
        found = self._case.sources.find(
            self.search.text(), limit=SHOWN + 1, exclude_incident=self._incident_id
        )
        self.model.set_sources(found[:SHOWN])
        if not found:
            self._count.setText(
                "No other source in the case matches."
                if self.search.text().strip()
                else "Every source in the case is attached already."
            )
        elif len(found) > SHOWN:
            self._count.setText(f"The first {SHOWN} matches; type to narrow them.")
        else:
            self._count.setText(f"{len(found)} source{'' if len(found) == 1 else 's'}.")
        self._selection_changed()

    def selected_sources(self) -> list[SourceView]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.source_at(row) for row in rows]

    def _selection_changed(self) -> None:
        count = len(self.view.selectionModel().selectedRows())
        self.attach_button.setEnabled(count > 0)
        self.attach_button.setText(f"Attach {count}" if count > 1 else "Attach")

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.accept()
