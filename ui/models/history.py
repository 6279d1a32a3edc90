"""The changes to one record, as a table of entries and, for the entry chosen, a table
of its fields before and after. A record has tens of changes, so both are held whole."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from desk.history import HistoryItem
from ui.models import AnyIndex

HEADERS = ("When", "Who", "What")
WHEN, WHO, WHAT = range(len(HEADERS))
CHANGE_HEADERS = ("Field", "Before", "After")
FIELD, BEFORE, AFTER = range(len(CHANGE_HEADERS))

FIELD_NAMES = {
    "body": "Text",
    "start": "Start",
    "end": "End",
    "sub_event_type": "Sub-event type",
    "to": "Linked incident",
    "url": "URL",
    "published": "Published",
}
ROLE_NAMES = {
    "actor1": "actor 1",
    "actor2": "actor 2",
    "assoc_actor1": "associated with actor 1",
    "assoc_actor2": "associated with actor 2",
}


def when_text(item: HistoryItem) -> str:
    return item.at.strftime("%Y-%m-%d %H:%M UTC")


def field_name(key: str) -> str:
    return FIELD_NAMES.get(key, key.replace("_", " ").capitalize())


def value_text(key: str, value: Any) -> str:
    """A stored value as a person reads it: lists one per line, actors with their role."""
    if value is None or value == "" or value == []:
        return ""
    if key == "actors" and isinstance(value, list):
        return "\n".join(
            f"{pair[0]} ({ROLE_NAMES.get(pair[1], pair[1])})"
            if isinstance(pair, list) and len(pair) == 2
            else str(pair)
            for pair in value
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def field_changes(item: HistoryItem) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the entry names, in the order stored;
    fields empty on both sides are left out."""
    before = item.before or {}
    after = item.after or {}
    keys = list(before) + [k for k in after if k not in before]
    rows = [
        (field_name(k), value_text(k, before.get(k)), value_text(k, after.get(k))) for k in keys
    ]
    return [row for row in rows if row[1] or row[2]]


class HistoryModel(QAbstractTableModel):
    """History entries, newest first: when, who, what. No signals."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[HistoryItem] = []

    def set_items(self, items: Sequence[HistoryItem]) -> None:
        """Show ``items`` (in any order) newest first."""
        self.beginResetModel()
        self._items = sorted(items, key=lambda item: item.seq, reverse=True)
        self.endResetModel()

    def item_at(self, row: int) -> HistoryItem:
        return self._items[row]

    def row_of(self, seq: int) -> int | None:
        return next((row for row, item in enumerate(self._items) if item.seq == seq), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == WHEN:
                return when_text(item)
            if column == WHO:
                return item.actor
            return item.summary
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHAT:
                return item.summary
            if column == WHEN:
                return item.at.isoformat()
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class FieldChangesModel(QAbstractTableModel):
    """One entry's fields: name, value before, value after. No signals."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_item(self, item: HistoryItem | None) -> None:
        self.beginResetModel()
        self._rows = field_changes(item) if item is not None else []
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CHANGE_HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(CHANGE_HEADERS)
        ):
            return CHANGE_HEADERS[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
