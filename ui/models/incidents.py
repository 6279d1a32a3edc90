"""The incidents table: pages of ``case.incidents.rows()``, filtered and sorted in SQL."""

from __future__ import annotations

import uuid
from concurrent.futures import CancelledError, Future
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from desk.errors import NotFoundError
from desk.services.incidents import IncidentFilter, IncidentRow, SortKey
from ui.models import AnyIndex
from ui.models.first_page import IncidentLinesModel
from ui.models.incident_lines import COLUMNS
from ui.models.incident_lines import PAGE_SIZE as PAGE_SIZE

if TYPE_CHECKING:
    from datetime import date

    from desk.case import Case


class IncidentTableModel(IncidentLinesModel):
    """The case's incidents, fetched a page at a time as the view scrolls.

    Only the pages scrolled to are held; sorting and filtering start again from the
    first page with a new query, so a case of 100,000 incidents costs one page.
    An incident the desk must show that is not among the loaded pages (a new one, a
    linked one) is pinned at the top until the next query.

    Signals:
        total_changed(int): how many incidents match the filter, after every
            (re)query.
    """

    total_changed = Signal(int)

    def __init__(
        self, case: Case, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._page_size = page_size
        self._filter = IncidentFilter()
        self._sort: SortKey = "date"
        self._descending = False
        # Rows kept as tuples of plain values (the id as an int): the garbage collector
        # stops tracking such tuples, so 100,000 loaded rows do not slow its full
        # collections (a pause of ~100 ms while scrolling when they were objects).
        self._rows: list[_Packed] = []
        self._ids: set[int] = set()
        # Rows of the query read so far; it may run behind len(_rows) (pinned rows) or
        # a row behind the query (deletions), never ahead, so no row is skipped.
        self._read = 0
        # The last incident the query gave: the next page starts after it in the index.
        self._last_read: uuid.UUID | None = None
        self._total = 0
        self._fetching = False
        self._ahead: tuple[_AheadKey, Future[list[IncidentRow] | None]] | None = None
        self._query()

    # -- what the rest of the desk asks --------------------------------------

    @property
    def total(self) -> int:
        """Incidents matching the filter, loaded or not."""
        return self._total

    @property
    def filtered(self) -> bool:
        """Whether a filter narrows the list (else ``total`` is every incident)."""
        return self._filter != IncidentFilter()

    def incident_at(self, row: int) -> IncidentRow:
        return _unpack(self._rows[row])

    def row_of(self, incident_id: uuid.UUID) -> int | None:
        """The row of a loaded incident, or None when it is not in the loaded pages."""
        wanted = incident_id.int
        if wanted not in self._ids:
            return None
        return next(row for row, packed in enumerate(self._rows) if packed[0] == wanted)

    @property
    def case(self) -> Case:
        return self._case

    def set_filter(self, where: IncidentFilter) -> None:
        if where != self._filter:
            self._filter = where
            self._query()

    def reload(self) -> None:
        """Read the list again from its first page (the case changed as a whole)."""
        self._query()

    def refresh_incident(self, incident_id: uuid.UUID) -> None:
        """Read a loaded incident's row again (after an edit); it keeps its place."""
        row = self.row_of(incident_id)
        if row is None:
            return
        try:
            self._rows[row] = _pack(self._case.incidents.row(incident_id))
        except NotFoundError:
            self.remove_incident(incident_id)
            return
        if incident_id == self._last_read:
            # It may have moved in the order: the next page goes by count instead.
            self._last_read = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def ensure_incident(self, incident_id: uuid.UUID) -> int | None:
        """The row of an incident, pinned at the top when it is not loaded; None when
        it does not exist."""
        row = self.row_of(incident_id)
        if row is not None:
            return row
        try:
            found = self._case.incidents.row(incident_id)
        except NotFoundError:
            return None
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, _pack(found))
        self._ids.add(incident_id.int)
        self.endInsertRows()
        self._count()
        return 0

    def remove_incident(self, incident_id: uuid.UUID) -> None:
        """Drop a deleted incident's row."""
        row = self.row_of(incident_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self._ids.discard(incident_id.int)
            self.endRemoveRows()
            # The rows after it in the query moved up by one.
            self._read = max(0, self._read - 1)
        self._count()

    # -- the model ----------------------------------------------------------------

    def _line(self, row: int) -> IncidentRow:
        return _unpack(self._rows[row])

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def canFetchMore(self, parent: AnyIndex) -> bool:
        # Not while inserting a page: views ask again from the insertion signals.
        return not parent.isValid() and not self._fetching and self._read < self._total

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        new: list[_Packed] = []
        while not new:  # a page may hold only rows pinned already
            page = self._page_read_ahead()
            if page is None:
                page = self._page(offset=self._read, after=self._last_read)
            if not page:
                # Incidents were deleted since the count: stop asking for more.
                self._total = self._read
                self.total_changed.emit(self._total)
                return
            self._read += len(page)
            self._last_read = page[-1].id
            new = [_pack(row) for row in page if row.id.int not in self._ids]
        first = len(self._rows)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self._ids.update(packed[0] for packed in new)
            self.endInsertRows()
        finally:
            self._fetching = False
        self._read_ahead()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._sort, self._descending):
            self._sort, self._descending = key, descending
            self._query()

    # -- queries -------------------------------------------------------------

    def _page(self, offset: int, after: uuid.UUID | None = None) -> list[IncidentRow]:
        return self._case.incidents.rows(
            where=self._filter,
            sort=self._sort,
            descending=self._descending,
            offset=offset,
            limit=self._page_size,
            after=after,
        )

    def _query(self) -> None:
        self.beginResetModel()
        self._total = self._case.incidents.count(self._filter)
        page = self._page(offset=0)
        self._rows = [_pack(row) for row in page]
        self._ids = {packed[0] for packed in self._rows}
        self._read = len(self._rows)
        self._last_read = page[-1].id if page else None
        self.endResetModel()
        self.total_changed.emit(self._total)
        self._read_ahead()

    def _read_ahead(self) -> None:
        """Have the next page read in the background: whoever scrolled to this one
        may scroll on, and then it is there (or under way)."""
        self._ahead = None
        if self._read < self._total:
            future = self._case.incidents.read_ahead(
                self._filter,
                self._sort,
                self._descending,
                self._read,
                self._page_size,
                self._last_read,
            )
            if future is not None:
                self._ahead = (self._ahead_key(), future)

    def _ahead_key(self) -> _AheadKey:
        return (
            self._filter,
            self._sort,
            self._descending,
            self._read,
            self._last_read,
            self._case.writes,
        )

    def _page_read_ahead(self) -> list[IncidentRow] | None:
        """The next page as read ahead, or None when there is none for where the list
        stands now (it moved, or the case changed since)."""
        ahead, self._ahead = self._ahead, None
        if ahead is None or ahead[0] != self._ahead_key():
            return None
        try:
            return ahead[1].result()
        except CancelledError:
            return None

    def _count(self) -> None:
        self._total = self._case.incidents.count(self._filter)
        self.total_changed.emit(self._total)


# What the list's next page depends on: filter, order, rows read, the last of them, and
# the case's write count.
_AheadKey = tuple[IncidentFilter, SortKey, bool, int, "uuid.UUID | None", int]

# IncidentRow's fields in order, the id as an int.
_Packed = tuple[int, str, "date | None", str, "str | None", "str | None", str, int, int]


def _pack(row: IncidentRow) -> _Packed:
    return (
        row.id.int,
        row.title,
        row.start,
        row.start_precision,
        row.place,
        row.event_type,
        row.status,
        row.source_count,
        row.open_conflicts,
    )


def _unpack(packed: _Packed) -> IncidentRow:
    return IncidentRow(uuid.UUID(int=packed[0]), *packed[1:])
