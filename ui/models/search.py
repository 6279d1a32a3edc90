"""Search results as a two-level tree: a row per kind (Incidents, Sources, Notes) with
its hits below, best first. A search returns at most a hundred hits, held whole."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from desk.services.search import SearchResult
from ui.models import AnyIndex

GROUPS = (("incident", "Incidents"), ("source", "Sources"), ("note", "Notes"))

# The SearchResult of a hit row (None on a group row).
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
# The snippet as rich text: the source text escaped, the hits in <b>.
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 2
# The snippet's direction (Qt.LayoutDirection), from its first strong letter.
DIRECTION_ROLE = Qt.ItemDataRole.UserRole + 3

# internalId of a group row; a hit row's is its group's row + 1.
_GROUP_ID = 0


def snippet_html(result: SearchResult) -> str:
    """Escape the text first, so nothing in a source becomes markup; then bold the hits."""
    return "".join(
        f"<b>{html.escape(text)}</b>" if is_hit else html.escape(text)
        for text, is_hit in result.snippet_parts()
    )


def text_direction(text: str) -> Qt.LayoutDirection:
    """Right to left when the first letter with a strong direction is Arabic, Hebrew ..."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
    return Qt.LayoutDirection.LeftToRight


class SearchResultModel(QAbstractItemModel):
    """Group rows ("Sources (4)") with one child row per hit; one column. No signals."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[SearchResult]]] = []

    def set_results(self, results: Sequence[SearchResult]) -> None:
        """Show ``results`` (best first); kinds with no hit get no group row."""
        self.beginResetModel()
        self._groups = [(label, [r for r in results if r.kind == kind]) for kind, label in GROUPS]
        self._groups = [(label, hits) for label, hits in self._groups if hits]
        self.endResetModel()

    def result_count(self) -> int:
        return sum(len(hits) for _, hits in self._groups)

    def counts(self) -> dict[str, int]:
        """Hits per group label, e.g. {"Incidents": 1, "Sources": 4}."""
        return {label: len(hits) for label, hits in self._groups}

    def result(self, index: AnyIndex) -> SearchResult | None:
        if not index.isValid() or index.internalId() == _GROUP_ID:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def first_result_index(self) -> QModelIndex:
        return self.index(0, 0, self.index(0, 0)) if self._groups else QModelIndex()

    # -- QAbstractItemModel ----------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _GROUP_ID) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _GROUP_ID or row >= len(self._groups[parent.row()][1]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _GROUP_ID:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _GROUP_ID)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != _GROUP_ID:
            return 0
        return len(self._groups[parent.row()][1])

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            label, hits = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{label} ({len(hits)})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        result = self._groups[index.internalId() - 1][1][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return result.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.snippet_marked("", "")
        if role == RESULT_ROLE:
            return result
        if role == SNIPPET_HTML_ROLE:
            return snippet_html(result)
        if role == DIRECTION_ROLE:
            return text_direction(result.snippet_marked("", ""))
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP_ID:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
