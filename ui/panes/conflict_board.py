"""The conflict board: every conflict of the case, the claims behind the one chosen
side by side, and its resolution."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.claims.values import FIELD_LABELS, FIELDS
from desk.errors import DeskError
from desk.services.claims import ConflictView
from ui.commands.claims import claim_events
from ui.dialogs.resolve_conflict import ResolveConflictDialog
from ui.models.claims import (
    CONFLICT_ROLE,
    ConflictClaimsModel,
    ConflictListModel,
)
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

STATUSES = (
    ("Open and re-opened", "open"),
    ("Resolved", "resolved"),
    ("Re-opened", "reopened"),
    ("All", None),
)
FILTER_DELAY_MS = 200


class ConflictBoard(QWidget):
    """Every conflict of the case, filtered by incident (words of its title), field
    and status. For the conflict chosen: the one-sentence explanation, the claims
    side by side (value, source, outlet and its grade, credibility, independent or
    "repeats X", corroboration, quote) and its resolution; "Resolve…" records an
    assessment through an undoable command.

    Signals:
        open_incident(object): show this incident (its id).
        claims_changed(object): an incident's conflicts changed (its id), resolved
            here or by any claim command done or undone.
        open_source(object, int, int): a claim was activated: its source's id and
            its quote's start and end (-1, -1 without one).

    Attributes:
        incident_filter, field_filter, status_filter: the filters; conflicts: the
        list; claims: the claims of the chosen conflict; explanation, resolution:
        labels; resolve_button, open_button; status: a refusal from the core.
    """

    open_incident = Signal(object)
    claims_changed = Signal(object)
    open_source = Signal(object, int, int)

    def __init__(
        self,
        case: Case,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        in_front: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._stack = undo_stack
        # Reading every conflict of a large case takes seconds: in a dock, the board
        # reads them when its tab is in front, and after a change once it is again.
        # False until the dock says so: then nothing is read at start.
        self._in_front = in_front
        self._stale = True
        self._all: list[ConflictView] = []

        self.incident_filter = QLineEdit()
        self.incident_filter.setPlaceholderText("Incident title contains…")
        self.incident_filter.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self._filter)
        self.incident_filter.textChanged.connect(lambda _t: self._timer.start())
        self.field_filter = QComboBox()
        self.field_filter.addItem("All fields", None)
        for field in FIELDS:
            self.field_filter.addItem(FIELD_LABELS[field], field)
        self.field_filter.currentIndexChanged.connect(lambda _n: self._filter())
        self.status_filter = QComboBox()
        for label, status in STATUSES:
            self.status_filter.addItem(label, status)
        self.status_filter.currentIndexChanged.connect(lambda _n: self._filter())

        self._list_model = ConflictListModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._list_model)
        self._proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.conflicts = QTableView()
        self.conflicts.setModel(self._proxy)
        self.conflicts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflicts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflicts.verticalHeader().hide()
        self.conflicts.setWordWrap(False)
        self.conflicts.setSortingEnabled(True)
        self.conflicts.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.conflicts.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.conflicts.activated.connect(lambda _i: self._open_incident())

        self.explanation = QLabel()
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.explanation.font()
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.explanation.setFont(font)
        self._claims_model = ConflictClaimsModel(self)
        self.claims = QTableView()
        self.claims.setModel(self._claims_model)
        self.claims.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.claims.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.claims.verticalHeader().hide()
        self.claims.setWordWrap(True)
        self.claims.activated.connect(self._claim_activated)
        claims_header = self.claims.horizontalHeader()
        claims_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        claims_header.setStretchLastSection(True)
        self.resolution = QLabel()
        self.resolution.setTextFormat(Qt.TextFormat.PlainText)
        self.resolution.setWordWrap(True)
        self.resolution.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resolve_button = QPushButton("Resolve…")
        self.resolve_button.clicked.connect(self.resolve_current)
        self.open_button = QPushButton("Open incident")
        self.open_button.clicked.connect(self._open_incident)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b3261e;")
        self.status.hide()
        self._hint = hint_label("")

        filters = QHBoxLayout()
        filters.addWidget(self.incident_filter, 2)
        filters.addWidget(self.field_filter, 1)
        filters.addWidget(self.status_filter, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.conflicts, 1)
        top_layout.addWidget(self._hint, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.resolution, 1)
        buttons.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignTop)
        self._detail = QWidget()
        detail_layout = QVBoxLayout(self._detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.explanation)
        detail_layout.addWidget(self.claims, 1)
        detail_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self._detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        events = claim_events(case)
        events.changed.connect(self._claims_changed)
        events.outlets_changed.connect(self.refresh)
        events.failed.connect(self._failed)
        self.refresh()

    def refresh(self) -> None:
        """Read every conflict of the case again (the filters stay); behind another
        tab, when it next comes to the front."""
        if self._in_front is False:
            self._stale = True
            return
        self._stale = False
        current = self.current_conflict()
        try:
            found = self._case.claims.conflicts()
        except DeskError as exc:
            self._all = []
            self._failed(exc)
        else:
            # Incidents in the service's order (by date), each one's fields in form order.
            incidents = {
                iid: n for n, iid in enumerate(dict.fromkeys(c.incident_id for c in found))
            }
            self._all = sorted(
                found,
                key=lambda c: (
                    incidents[c.incident_id],
                    FIELDS.index(c.field) if c.field in FIELDS else len(FIELDS),
                    c.key.casefold(),
                ),
            )
            self.status.hide()
        self._filter(keep=current.id if current else None)

    def set_shown(self, shown: bool) -> None:
        """Whether the board's dock is in front of its tab group; it reads what
        changed while it was out of sight when it comes to the front."""
        self._in_front = shown
        if shown and self._stale:
            self.refresh()

    def set_incident_filter(self, text: str) -> None:
        self.incident_filter.setText(text)
        self._filter()

    def current_conflict(self) -> ConflictView | None:
        index = self.conflicts.currentIndex()
        conflict = index.data(CONFLICT_ROLE) if index.isValid() else None
        return conflict if isinstance(conflict, ConflictView) else None

    def select_conflict(self, conflict_id: uuid.UUID) -> bool:
        row = self._list_model.row_of(conflict_id)
        if row is None:
            return False
        self.conflicts.setCurrentIndex(self._proxy.mapFromSource(self._list_model.index(row, 0)))
        return True

    def resolve_current(self) -> None:
        conflict = self.current_conflict()
        if conflict is None:
            return
        self._exec(ResolveConflictDialog(self._case, conflict, undo_stack=self._stack, parent=self))

    def _exec(self, dialog: QDialog) -> int:
        """Run a dialog modally; tests replace this to drive it without blocking."""
        return dialog.exec()

    def _filter(self, keep: uuid.UUID | None = None) -> None:
        self._timer.stop()
        if keep is None and (current := self.current_conflict()) is not None:
            keep = current.id
        words = self.incident_filter.text().strip().casefold()
        field = self.field_filter.currentData()
        status = self.status_filter.currentData()
        shown = [
            c
            for c in self._all
            if (not words or words in c.incident_title.casefold())
            and (field is None or c.field == field)
            and (status is None or (c.is_open if status == "open" else c.status == status))
        ]
        self._list_model.set_conflicts(shown)
        if shown:
            self.conflicts.resizeColumnsToContents()
            header = self.conflicts.horizontalHeader()
            header.resizeSection(0, min(header.sectionSize(0), 320))
        if not self._all:
            self._hint.setText("No conflicts: the claims recorded so far all agree.")
        else:
            self._hint.setText("No conflicts match the filters.")
        self._hint.setVisible(not shown)
        self.conflicts.setVisible(bool(shown))
        if not (keep and self.select_conflict(keep)) and shown:
            self.conflicts.setCurrentIndex(self._proxy.index(0, 0))
        self._show_current()

    def _show_current(self) -> None:
        conflict = self.current_conflict()
        self._detail.setEnabled(conflict is not None)
        if conflict is None:
            self.explanation.setText("")
            self._claims_model.set_claims([])
            self.resolution.setText("")
            return
        self.explanation.setText(conflict.explanation)
        titles = {c.source_id: c.source_title for c in conflict.claims}
        repeated = {c.repeats_source_id for c in conflict.claims} - set(titles) - {None}
        for source_id in repeated:
            assert source_id is not None
            try:
                titles[source_id] = self._case.sources.get(source_id).title
            except DeskError:
                continue  # a source deleted since: shown as "another source"
        self._claims_model.set_claims(conflict.claims, titles)
        self.claims.resizeColumnsToContents()
        header = self.claims.horizontalHeader()
        for column in range(self._claims_model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column), 240))
        self.claims.resizeRowsToContents()
        self.resolution.setText(_resolution_text(conflict))
        self.resolve_button.setText("Resolve again…" if conflict.resolution else "Resolve…")

    def _claims_changed(self, incident_id: object) -> None:
        self.refresh()
        self.claims_changed.emit(incident_id)

    def _failed(self, error: object) -> None:
        self.status.setText(str(error))
        self.status.show()

    def _open_incident(self) -> None:
        conflict = self.current_conflict()
        if conflict is not None:
            self.open_incident.emit(conflict.incident_id)

    def _claim_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        claim = self._claims_model.claim_at(index.row())
        start = claim.quote_start if claim.quote_start is not None else -1
        end = claim.quote_end if claim.quote_end is not None else -1
        self.open_source.emit(claim.source_id, start, end)


def _resolution_text(conflict: ConflictView) -> str:
    r = conflict.resolution
    if r is None:
        return "Status: open. Not resolved yet."
    status = {"resolved": "resolved", "reopened": "re-opened by a newer claim"}.get(
        conflict.status, conflict.status
    )
    accepted = r.accepted_value if r.accepted_value else "no value accepted"
    estimates = ""
    if (r.best, r.low, r.high) != (None, None, None):
        parts = [
            f"{name} {n}"
            for name, n in (("best", r.best), ("low", r.low), ("high", r.high))
            if n is not None
        ]
        estimates = f" ({', '.join(parts)})"
    when = r.decided_at.strftime("%Y-%m-%d")
    return (
        f"Status: {status}. Accepted: {accepted}{estimates}; {r.confidence} confidence, "
        f"by {r.decided_by} on {when}.\nRationale: {r.rationale}"
    )
