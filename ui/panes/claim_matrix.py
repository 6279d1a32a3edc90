"""An incident's claims as a matrix: fields down, sources across, each cell coloured by
whether what the source says agrees with the others (an Analysis of Competing
Hypotheses matrix)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from ui.commands.claims import claim_events
from ui.models.claims import (
    INK,
    STATE_COLOURS,
    ClaimMatrixModel,
)
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

LEGEND = (
    ("agree", "agrees with another source"),
    ("conflict", "in conflict"),
    ("alone", "one source only"),
    ("not stated", "not stated"),
)
COLUMN_WIDTH = 160


class ClaimMatrix(QWidget):
    """Fields down, the incident's sources across. A cell holds what the source says
    with the claim's credibility in brackets, green where it agrees with another
    source, red where it is part of a conflict, white where only this source says
    it, grey where the source says nothing. Headers give each outlet's grade;
    tooltips give the quotes.

    Signals:
        open_source(object, int, int): a cell was activated: the source's id and
            the first claim's quote start and end in its text (-1, -1 without one).

    Attributes:
        table: the matrix view; model: its ClaimMatrixModel; status: the line that
            shows a refusal from the core.
    """

    open_source = Signal(object, int, int)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._incident_id: uuid.UUID | None = None

        self.model = ClaimMatrixModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setShowGrid(True)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(COLUMN_WIDTH)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)

        self._hint = hint_label("Select an incident to see its claims as a matrix.")
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.hide()

        # Two chips a row, so the pane can be narrow beside the others.
        legend = QGridLayout()
        legend.setHorizontalSpacing(10)
        for number, (state, words) in enumerate(LEGEND):
            chip = QLabel(f"  {words}  ")
            chip.setStyleSheet(
                f"background: {STATE_COLOURS[state].name()}; color: {INK.name()};"
                "border: 1px solid #9e9e9e; padding: 1px 4px;"
            )
            legend.addWidget(chip, number // 2, number % 2)
        legend.setColumnStretch(2, 1)
        brackets = QLabel("[3] the claim's credibility, 1 confirmed … 6 cannot be judged")
        brackets.setEnabled(False)
        brackets.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._hint, 1)
        layout.addLayout(legend)
        layout.addWidget(brackets)
        layout.addWidget(self.status)

        events = claim_events(case)
        events.changed.connect(self._claims_changed)
        events.outlets_changed.connect(self.refresh)
        self._show()

    @property
    def incident_id(self) -> uuid.UUID | None:
        return self._incident_id

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        self._incident_id = incident_id
        self._show()

    def refresh(self) -> None:
        self._show()

    def _claims_changed(self, incident_id: object) -> None:
        if incident_id == self._incident_id:
            self._show()

    def _show(self) -> None:
        self.status.hide()
        matrix = None
        if self._incident_id is not None:
            try:
                matrix = self._case.claims.matrix(self._incident_id)
            except DeskError as exc:
                self.status.setText(str(exc))
                self.status.show()
        self.model.set_matrix(matrix)
        empty = matrix is None or not matrix.rows
        if self._incident_id is None:
            self._hint.setText("Select an incident to see its claims as a matrix.")
        elif empty:
            self._hint.setText(
                "No claims recorded for this incident yet: select words in a source "
                "and choose New claim from selection, or accept a suggested claim."
            )
        self._hint.setVisible(empty)
        self.table.setVisible(not empty)
        self.table.resizeRowsToContents()

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid() or self.model.matrix is None:
            return
        claims = self.model.cell(index.row(), index.column()).claims
        if not claims:
            return
        claim = claims[0]
        start = claim.quote_start if claim.quote_start is not None else -1
        end = claim.quote_end if claim.quote_end is not None else -1
        self.open_source.emit(claim.source_id, start, end)
