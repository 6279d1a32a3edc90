"""What an incident's sources claim: a table of the claims, and the same claims as a
matrix of fields by sources."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.claims.values import FIELD_LABELS, FIELDS
from desk.errors import DeskError
from desk.services.claims import ClaimView
from ui.commands.claims import DeleteClaim, claim_events, push
from ui.models.claims import CLAIM_ROLE, FIELD_ROLE, ClaimTableModel
from ui.panes.claim_matrix import ClaimMatrix
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

TABLE_TAB, MATRIX_TAB = 0, 1
NO_INCIDENT = "Select an incident to see what its sources claim."
NO_CLAIMS = (
    "No claims recorded for this incident yet: select words in a source and choose "
    "New claim from selection, accept a suggested claim, or use New claim…."
)


class ClaimsPane(QWidget):
    """The claims of one incident: a table (field, what about, value, source, outlet,
    Admiralty grade such as B3, corroborating independent outlets, quote) with a
    filter by field, new / edit / delete, and a Matrix tab (``ClaimMatrix``).

    Changes go through undoable commands on ``undo_stack``.

    Signals:
        claims_changed(object): the claims of an incident changed (its id), by this
            pane or by any claim command done or undone, so lists can refresh their
            open-conflicts column.
        open_source(object, int, int): a claim was activated (in the table or the
            matrix): its source's id and its quote's start and end in the source's
            text, -1 and -1 when it has no quote.

    Attributes:
        tabs: the Claims / Matrix tabs; table, model, proxy: the claims table;
        matrix: the ClaimMatrix; field_filter; new_button, edit_button,
        delete_button; status: the line that shows a refusal from the core.
    """

    claims_changed = Signal(object)
    open_source = Signal(object, int, int)

    def __init__(self, case: Case, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._stack = undo_stack
        self._incident_id: uuid.UUID | None = None

        self.field_filter = QComboBox()
        self.field_filter.addItem("All fields", None)
        for field in FIELDS:
            self.field_filter.addItem(FIELD_LABELS[field], field)
        self.field_filter.currentIndexChanged.connect(lambda _n: self._filter())
        self.new_button = QPushButton("New claim…")
        self.new_button.clicked.connect(self.new_claim)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_current)

        self.model = ClaimTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(FIELD_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        delete = QAction("Delete claim", self.table)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_current)
        self.table.addAction(delete)

        self._hint = hint_label(NO_INCIDENT)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b3261e;")
        self.status.hide()

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.field_filter)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(4, 4, 4, 4)
        page_layout.addLayout(bar)
        page_layout.addWidget(self.table, 1)
        page_layout.addWidget(self._hint, 1)

        self.matrix = ClaimMatrix(case)
        self.matrix.open_source.connect(self.open_source)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(page, "Claims")
        self.tabs.addTab(self.matrix, "Matrix")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        events = claim_events(case)
        events.changed.connect(self._claims_changed)
        events.outlets_changed.connect(self.refresh)
        events.failed.connect(self._failed)
        self._show()

    @property
    def incident_id(self) -> uuid.UUID | None:
        return self._incident_id

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        """Show the claims of ``incident_id`` (None: nothing)."""
        self._incident_id = incident_id
        self.status.hide()
        self._show()
        self.matrix.show_incident(incident_id)

    def show_matrix(self, on: bool = True) -> None:
        self.tabs.setCurrentIndex(MATRIX_TAB if on else TABLE_TAB)

    def refresh(self) -> None:
        self._show()
        self.matrix.refresh()

    def current_claim(self) -> ClaimView | None:
        index = self.table.currentIndex()
        claim = index.data(CLAIM_ROLE) if index.isValid() else None
        return claim if isinstance(claim, ClaimView) else None

    def select_claim(self, claim_id: uuid.UUID) -> bool:
        row = self.model.row_of(claim_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        return True

    def new_claim(self) -> None:
        from ui.dialogs.claim_form import ClaimFormDialog  # loads with the first claim form

        if self._incident_id is None:
            return
        self._exec(
            ClaimFormDialog(
                self._case, self._incident_id, None, undo_stack=self._stack, parent=self
            )
        )

    def edit_current(self) -> None:
        from ui.dialogs.claim_form import ClaimFormDialog

        claim = self.current_claim()
        if claim is None or self._incident_id is None:
            return
        self._exec(
            ClaimFormDialog(
                self._case,
                self._incident_id,
                claim.source_id,
                claim=claim,
                undo_stack=self._stack,
                parent=self,
            )
        )

    def delete_current(self) -> None:
        claim = self.current_claim()
        if claim is None:
            return
        self._report(push(self._stack, DeleteClaim(self._case, claim)))

    def _exec(self, dialog: QDialog) -> int:
        """Run a dialog modally; tests replace this to drive it without blocking."""
        return dialog.exec()

    def _report(self, error: DeskError | None) -> None:
        if error is not None:
            self._failed(error)

    def _failed(self, error: object) -> None:
        self.status.setText(str(error))
        self.status.show()

    def _claims_changed(self, incident_id: object) -> None:
        if incident_id == self._incident_id:
            self._show()
        self.claims_changed.emit(incident_id)

    def _show(self) -> None:
        current = self.current_claim()
        claims: list[ClaimView] = []
        titles: dict[uuid.UUID, str] = {}
        if self._incident_id is not None:
            try:
                claims = self._case.claims.list(self._incident_id)
                titles = {s.id: s.title for s in self._case.sources.list(self._incident_id)}
            except DeskError as exc:
                self._failed(exc)
        claims.sort(key=lambda c: (FIELDS.index(c.field), c.key.casefold(), c.created_at))
        self.model.set_claims(claims, titles)
        self._filter()
        self._hint.setText(NO_INCIDENT if self._incident_id is None else NO_CLAIMS)
        self._hint.setVisible(not claims)
        self.table.setVisible(bool(claims))
        if claims:
            self.table.resizeColumnsToContents()
            header = self.table.horizontalHeader()
            for column in range(self.model.columnCount() - 1):
                header.resizeSection(column, min(header.sectionSize(column), 260))
        if current is not None:
            self.select_claim(current.id)
        self.new_button.setEnabled(self._incident_id is not None)
        self._update_buttons()

    def _filter(self) -> None:
        field = self.field_filter.currentData()
        self.proxy.setFilterRegularExpression(f"^{re.escape(field)}$" if field else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.current_claim() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _activated(self, index: QModelIndex) -> None:
        claim = index.data(CLAIM_ROLE)
        if isinstance(claim, ClaimView):
            start = claim.quote_start if claim.quote_start is not None else -1
            end = claim.quote_end if claim.quote_end is not None else -1
            self.open_source.emit(claim.source_id, start, end)

    def _menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction("Show in source", lambda: self._activated(index))
        menu.addAction("Edit…", self.edit_current)
        menu.addAction("Delete", self.delete_current)
        menu.exec(self.table.viewport().mapToGlobal(point))
