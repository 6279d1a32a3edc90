"""Choose another incident to link to, by searching titles, and the kind of link."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.services.incidents import IncidentFilter
from desk.vocab import LINK_KINDS

if TYPE_CHECKING:
    from desk.case import Case

SEARCH_DELAY_MS = 200
# Enough to pick from; a longer list means the analyst should type more.
MAX_RESULTS = 100

LINK_KIND_NAMES = {"related": "related to", "duplicate of": "duplicate of", "part of": "part of"}


class LinkIncidentDialog(QDialog):
    """Search incidents by title (in SQL), pick one and a kind of link. No signals.

    Attributes:
        search: the title search field.
        results: the matching incidents (the one being linked from is left out).
        kind: the link kind combo (related / duplicate of / part of).
    """

    def __init__(
        self, case: Case, from_id: uuid.UUID, from_title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._from_id = from_id
        self.setWindowTitle("Link incident")
        self.setMinimumWidth(520)

        self.kind = QComboBox()
        for kind in LINK_KINDS:
            self.kind.addItem(LINK_KIND_NAMES.get(kind, kind), kind)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words in the other incident's title or summary")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setUniformItemSizes(True)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.results.currentItemChanged.connect(lambda *_: self._update_ok())

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._find)
        self.search.textChanged.connect(lambda _text: self._timer.start())

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        source = QLineEdit(from_title)
        source.setReadOnly(True)
        source.setCursorPosition(0)
        form.addRow("This incident", source)
        form.addRow("is", self.kind)
        form.addRow("Find", self.search)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.results)
        layout.addWidget(self._buttons)
        self._find()
        self.search.setFocus()

    def choice(self) -> tuple[uuid.UUID, str] | None:
        """The incident chosen and the kind of link, or None when none is chosen."""
        item = self.results.currentItem()
        if item is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole), self.kind.currentData()

    def _find(self) -> None:
        self._timer.stop()
        rows = self._case.incidents.rows(
            IncidentFilter(text=self.search.text().strip()), sort="title", limit=MAX_RESULTS
        )
        self.results.clear()
        for row in rows:
            if row.id == self._from_id:
                continue
            text = f"{row.title}   ({row.date_text})" if row.date_text else row.title
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(row.title)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.results.currentItem() is not None)

    def accept(self) -> None:
        if self._timer.isActive():  # Enter pressed before the search caught up
            self._find()
        if self.choice() is not None:
            super().accept()
