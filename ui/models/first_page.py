"""The first lines of a case's list, shown while the desk loads the rest of itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from desk.incident_row import IncidentRow
from ui.models import AnyIndex
from ui.models.incident_lines import COLUMNS, header_data, line_data


class IncidentLinesModel(QAbstractTableModel):
    """Incident lines shown as the incidents list shows them; ``_line`` gives row N's."""

    _rows: list[Any]

    def _line(self, row: int) -> IncidentRow:
        line: IncidentRow = self._rows[row]
        return line

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return line_data(self._line(index.row()), index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(section, orientation, role) or super().headerData(
            section, orientation, role
        )


class FirstPageModel(IncidentLinesModel):
    """A fixed list of incident lines, shown while the case opens."""

    def __init__(self, rows: list[IncidentRow], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = rows
