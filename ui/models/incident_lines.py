"""What a line of the incidents list shows, by column and role: shared by the list's
model and by the first page shown while a case opens (``ui.models.first_page``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from db.vocab import INCIDENT_STATUSES
from desk.incident_row import IncidentRow, SortKey

# (sort key for the service, header) in column order.
COLUMNS: tuple[tuple[SortKey, str], ...] = (
    ("date", "Date"),
    ("title", "Title"),
    ("place", "Place"),
    ("type", "Type"),
    ("status", "Status"),
    ("sources", "Sources"),
    ("conflicts", "Conflicts"),
)
DATE, TITLE, PLACE, TYPE, STATUS, SOURCES, CONFLICTS = range(len(COLUMNS))

DISPUTED_COLOUR = QColor("#b3261e")
# Lines read at a time: the first page, then one more each time the view scrolls near the end.
PAGE_SIZE = 200


def line_data(incident: IncidentRow, column: int, role: int) -> Any:
    """``QAbstractItemModel.data`` for the incident's line at ``column``."""
    if role == Qt.ItemDataRole.DisplayRole:
        return _display(incident, column)
    if role == Qt.ItemDataRole.ToolTipRole and column in (TITLE, PLACE, TYPE):
        return _display(incident, column) or None
    if role == Qt.ItemDataRole.TextAlignmentRole and column in (SOURCES, CONFLICTS):
        return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if column == CONFLICTS and incident.open_conflicts:
        # A disputed incident stands out in the list.
        if role == Qt.ItemDataRole.ForegroundRole:
            return DISPUTED_COLOUR
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            count = incident.open_conflicts
            return f"Disputed: {count} open conflict{'' if count == 1 else 's'}"
    return None


def header_data(section: int, orientation: Qt.Orientation, role: int) -> Any:
    """``QAbstractItemModel.headerData`` for the list's columns; None for the default."""
    if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.ToolTipRole and section == CONFLICTS:
            return "Open conflicts between the claims of the incident's sources"
    return None


def lay_out_list(table: QTableView) -> None:
    """The list's look: whole lines, no grid, and columns sized for what they hold."""
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
    # Dates, statuses and counts fit whole; places and types get what a common
    # one needs (the tooltip has the rest); the title takes all that is left.
    metrics = table.fontMetrics()
    samples = {
        DATE: ["0000-00-00", "0000-W00"],
        PLACE: ["Deir ez-Zor"],
        TYPE: ["Strategic develop"],
        STATUS: list(INCIDENT_STATUSES),
        SOURCES: ["Sources"],
        CONFLICTS: ["Conflicts"],
    }
    for column, texts in samples.items():
        header.resizeSection(column, max(map(metrics.horizontalAdvance, texts)) + 24)


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _display(incident: IncidentRow, column: int) -> Any:
    if column == DATE:
        return incident.date_text
    if column == TITLE:
        return incident.title
    if column == PLACE:
        return incident.place or ""
    if column == TYPE:
        return incident.event_type or ""
    if column == STATUS:
        return incident.status
    if column == SOURCES:
        return incident.source_count
    return incident.open_conflicts
