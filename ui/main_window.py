"""The main window: the panes of one open case, wired together."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QWidget

from desk import __version__
from ui.models.incidents import IncidentTableModel
from ui.panes.incident_details import IncidentDetailsPane
from ui.panes.incident_list import IncidentListPane
from ui.panes.source_viewer import SourceViewerPane
from ui.panes.sources import SourcesPane

if TYPE_CHECKING:
    from desk.case import Case


class MainWindow(QMainWindow):
    """The desk for one case: incidents on the left, the selected incident's details
    below them, its sources and the selected source on the right.

    The window does not own the case: whoever opened it closes it. No signals.

    Attributes:
        case: the open ``Case``.
        incidents: the ``IncidentTableModel`` behind the list.
        incident_list, details, sources, viewer: the panes.
    """

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.setWindowTitle(f"{case.info().title} — {case.path.name}")

        self.incidents = IncidentTableModel(case, parent=self)
        self.incident_list = IncidentListPane(self.incidents)
        self.details = IncidentDetailsPane(case)
        self.sources = SourcesPane(case)
        self.viewer = SourceViewerPane(case)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.incident_list)
        left.addWidget(self.details)
        left.setSizes([550, 450])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.sources)
        right.addWidget(self.viewer)
        right.setSizes([250, 750])
        central = QSplitter(Qt.Orientation.Horizontal)
        central.addWidget(left)
        central.addWidget(right)
        central.setSizes([580, 420])
        for splitter in (left, right, central):
            splitter.setChildrenCollapsible(False)
        central.setContentsMargins(6, 6, 6, 0)
        self.setCentralWidget(central)

        self._counts = QLabel()
        self._counts.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self._counts)
        self._build_menus()

        self.incident_list.incident_selected.connect(self._incident_selected)
        self.sources.source_selected.connect(self.viewer.show_source)
        self.incidents.total_changed.connect(self._update_counts)
        self._update_counts()

        screen = self.screen().availableGeometry()
        self.resize(min(1440, screen.width() * 9 // 10), min(900, screen.height() * 9 // 10))
        if self.incidents.rowCount():
            self.incident_list.select_row(0)
        self.incident_list.table.setFocus()  # arrow keys move through incidents at once

    def status_text(self) -> str:
        """The counts shown at the right of the status bar."""
        return self._counts.text()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Evidence Desk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _incident_selected(self, incident_id: uuid.UUID | None) -> None:
        self.details.show_incident(incident_id)
        self.sources.show_incident(incident_id)

    def _update_counts(self) -> None:
        shown = self.incidents.total
        total = self.case.incidents.count()
        incidents = _count(total, "incident")
        if shown != total:
            incidents = f"{shown:,} of {incidents}"
        sources = _count(self.case.sources.count(), "source")
        self._counts.setText(f"{incidents} · {sources} · analyst: {self.case.analyst}")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Evidence Desk",
            f"Evidence Desk {__version__}\n\nAn offline desk for conflict and OSINT analysts: "
            "sources, incidents, claims and briefs in one case file.",
        )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
