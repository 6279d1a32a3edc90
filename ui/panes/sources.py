"""The sources attached to the selected incident."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk.services.sources import SourceView
from ui.models.sources import DATE, LANGUAGE, OUTLET, TITLE, SourceListModel

if TYPE_CHECKING:
    from desk.case import Case

# Qt's standard icons stand in for kind icons until resources/icons has our own.
KIND_ICONS = {
    "article": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "image": QStyle.StandardPixmap.SP_DesktopIcon,
    "document": QStyle.StandardPixmap.SP_FileIcon,
    "note": QStyle.StandardPixmap.SP_FileDialogInfoView,
}


class SourcesPane(QWidget):
    """A list of the selected incident's sources: kind, title, outlet, date, language.

    Signals:
        source_selected(object): the selected ``SourceView``, or None when the
            selection is cleared.

    Attributes:
        model: the ``SourceListModel`` behind the list.
        view: the list itself.
    """

    source_selected = Signal(object)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        style = self.style()
        icons: dict[str, QIcon] = {k: style.standardIcon(p) for k, p in KIND_ICONS.items()}
        self.model = SourceListModel(icons, self)

        self._heading = QLabel("Sources")
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)

        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        header.resizeSection(OUTLET, metrics.horizontalAdvance("M") * 14)
        header.resizeSection(DATE, metrics.horizontalAdvance("0000-00-00") + 24)
        header.resizeSection(LANGUAGE, metrics.horizontalAdvance("Lang.") + 24)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._heading)
        layout.addWidget(self.view)

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        """List the incident's sources and select the first.

        Only metadata is read for the list; a text or picture loads when its source is
        selected.
        """
        sources = [] if incident_id is None else self._case.sources.list(incident_id=incident_id)
        self.model.set_sources(sources)
        self._heading.setText(f"Sources ({len(sources)})" if incident_id else "Sources")
        if sources:
            self.select_row(0)
        else:
            # A model reset clears the selection without a selectionChanged signal.
            self.source_selected.emit(None)

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row, 0))

    def selected_source(self) -> SourceView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.source_at(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.source_selected.emit(self.selected_source())
