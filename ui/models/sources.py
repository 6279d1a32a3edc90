"""The sources of one incident, as a small table (an incident has tens of sources, not
thousands, so the list is held whole)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle

from desk.services.sources import SourceView
from desk.vocab import is_right_to_left
from ui.models import AnyIndex

HEADERS = ("Title", "Outlet", "Date", "Lang.")
TITLE, OUTLET, DATE, LANGUAGE = range(len(HEADERS))

# Qt's standard icons stand in for kind icons until resources/icons has our own.
KIND_ICONS = {
    "article": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "image": QStyle.StandardPixmap.SP_DesktopIcon,
    "document": QStyle.StandardPixmap.SP_FileIcon,
    "note": QStyle.StandardPixmap.SP_FileDialogInfoView,
}


def kind_icons(style: QStyle) -> dict[str, QIcon]:
    return {kind: style.standardIcon(pixmap) for kind, pixmap in KIND_ICONS.items()}


def source_date(source: SourceView) -> str:
    """When the source was published, or for a photo when it was taken (to the day)."""
    if source.published_at is not None:
        # Month or year precision stays as it is; a time of day is too much for a list.
        return source.published_text[:10]
    if source.taken_at is not None:
        return source.taken_at.date().isoformat()
    return ""


def language_name(code: str | None) -> str:
    """'Arabic' for 'ar'; the code itself when Qt does not know it."""
    if not code:
        return ""
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return QLocale.languageToString(locale.language())


class SourceListModel(QAbstractTableModel):
    """Sources as rows: kind icon and title, outlet, date, language. No signals."""

    def __init__(self, icons: Mapping[str, QIcon], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons = icons
        self._sources: list[SourceView] = []

    def set_sources(self, sources: Sequence[SourceView]) -> None:
        self.beginResetModel()
        self._sources = list(sources)
        self.endResetModel()

    def source_at(self, row: int) -> SourceView:
        return self._sources[row]

    def row_of(self, source_id: uuid.UUID) -> int | None:
        for row, source in enumerate(self._sources):
            if source.id == source_id:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sources)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        source = self._sources[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(source, column)
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE:
            return self._icons.get(source.kind)
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and column == TITLE
            and is_right_to_left(source.language)
        ):
            # An Arabic title reads from the right edge of its column.
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == TITLE:
                graphic = " (marked graphic)" if source.graphic else ""
                return f"{source.kind.capitalize()}{graphic}: {source.title}"
            if column == LANGUAGE:
                return language_name(source.language) or None
            if column == DATE:
                return source.published_text or source_date(source) or None
            return _display(source, column) or None
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


def _display(source: SourceView, column: int) -> str:
    if column == TITLE:
        return source.title
    if column == OUTLET:
        return source.outlet or ""
    if column == DATE:
        return source_date(source)
    return source.language or ""
