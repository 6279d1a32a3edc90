"""Claims and suggested claims in a source's text: marks, selections and the panel of
suggestions to accept, edit or reject.

Offsets here are offsets in the source's text as the core stores it (Python string
indices). A QTextDocument counts UTF-16 units, so a letter outside the Basic
Multilingual Plane (an emoji) counts twice there; the functions below convert.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat, QTextCursor, QTextFormat, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desk.claims.suggest import Suggestion
from desk.claims.values import FIELD_LABELS
from desk.errors import DeskError
from desk.services.claims import ClaimView
from ui.commands.claims import AddClaim, ClaimDraft, claim_events, push
from ui.models import AnyIndex
from ui.models.claims import claim_tooltip, is_right_to_left_text, one_line
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

# Accepted claims in green, suggestions waiting for the analyst in amber; black text
# so both read under any palette.
CLAIM_COLOUR = QColor("#b9e4bb")
SUGGESTION_COLOUR = QColor("#ffe29a")
MARK_PROPERTY = QTextFormat.Property.UserProperty + 17  # "claim" or "suggestion"
TOOLTIP_PROPERTY = QTextFormat.Property.UserProperty + 18
ACCEPT_TIP = "Record the suggestion as a claim, as it is"
EDIT_TIP = "Open the claim form with the suggestion filled in"
NO_INCIDENT_TIP = "Open the source from an incident to record claims"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def to_document(text: str, offset: int) -> int:
    """The QTextDocument position of a source-text offset."""
    return offset + len(_ASTRAL.findall(text, 0, offset))


def to_source(text: str, position: int) -> int:
    """The source-text offset of a QTextDocument position."""
    if not _ASTRAL.search(text):
        return position
    offset = units = 0
    while offset < len(text) and units < position:
        units += 2 if ord(text[offset]) > 0xFFFF else 1
        offset += 1
    return offset


def _cursor(text_edit: QTextEdit, text: str, start: int, end: int) -> QTextCursor | None:
    if start < 0 or end <= start or end > len(text):
        return None
    cursor = QTextCursor(text_edit.document())
    cursor.setPosition(to_document(text, start))
    cursor.setPosition(to_document(text, end), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def _claim_range(text: str, claim: ClaimView) -> tuple[int, int] | None:
    """Where the claim's quote stands; found again when the stored offsets miss."""
    start, end = claim.quote_start, claim.quote_end
    if (
        start is not None
        and end is not None
        and (not claim.quote or text[start:end] == claim.quote)
    ):
        return start, end
    if claim.quote:
        found = text.find(claim.quote)
        if found >= 0:
            return found, found + len(claim.quote)
    return None


def _selection(
    cursor: QTextCursor, kind: str, colour: QColor, tip: str
) -> QTextEdit.ExtraSelection:
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    fmt = QTextCharFormat()
    fmt.setBackground(colour)
    fmt.setForeground(QColor(Qt.GlobalColor.black))
    if kind == "suggestion":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(QColor("#8a6100"))
    fmt.setProperty(MARK_PROPERTY, kind)
    fmt.setProperty(TOOLTIP_PROPERTY, tip)
    selection.format = fmt
    return selection


def mark_claims(
    text_edit: QTextEdit,
    claims: Sequence[ClaimView],
    suggestions: Sequence[Suggestion] = (),
) -> list[QTextEdit.ExtraSelection]:
    """Mark the quotes of ``claims`` (green) and of ``suggestions`` (amber, dashed)
    in the text the edit shows, with tooltips saying who claims what.

    Replaces the marks of an earlier call and keeps other extra selections (search
    hits). Returns the marks made.
    """
    text = text_edit.toPlainText()
    marks = []
    for claim in claims:
        found = _claim_range(text, claim)
        cursor = _cursor(text_edit, text, *found) if found else None
        if cursor is not None:
            marks.append(_selection(cursor, "claim", CLAIM_COLOUR, claim_tooltip(claim)))
    for suggestion in suggestions:
        cursor = _cursor(text_edit, text, suggestion.start, suggestion.end)
        if cursor is not None:
            label = FIELD_LABELS.get(suggestion.field, suggestion.field).lower()
            tip = f"Suggested claim, not recorded: {label} {suggestion.value}"
            marks.append(_selection(cursor, "suggestion", SUGGESTION_COLOUR, tip))
    others = [s for s in text_edit.extraSelections() if not s.format.hasProperty(MARK_PROPERTY)]
    text_edit.setExtraSelections([*marks, *others])
    _install_tips(text_edit)
    return marks


def marks_of(text_edit: QTextEdit) -> list[QTextEdit.ExtraSelection]:
    """The claim and suggestion marks the edit shows."""
    return [s for s in text_edit.extraSelections() if s.format.hasProperty(MARK_PROPERTY)]


def mark_range(selection: QTextEdit.ExtraSelection, text: str) -> tuple[int, int]:
    """A mark's (start, end) in the source's text."""
    cursor = selection.cursor
    return to_source(text, cursor.selectionStart()), to_source(text, cursor.selectionEnd())


def select_range(text_edit: QTextEdit, start: int, end: int) -> bool:
    """Select source-text offsets ``start``-``end`` and scroll them into view (used for
    ``open_source`` and ``suggestion_focused``). False when they are not in the text."""
    cursor = _cursor(text_edit, text_edit.toPlainText(), start, end)
    if cursor is None:
        return False
    text_edit.setTextCursor(cursor)
    text_edit.ensureCursorVisible()
    return True


def selection_in_source(text_edit: QTextEdit) -> tuple[str, int] | None:
    """The selected words and their offset in the source's text, for
    ``new_claim_from_selection``; None when nothing is selected."""
    cursor = text_edit.textCursor()
    if not cursor.hasSelection():
        return None
    text = text_edit.toPlainText()
    start = to_source(text, cursor.selectionStart())
    end = to_source(text, cursor.selectionEnd())
    return text[start:end], start


class _MarkTips(QObject):
    """Shows a mark's tooltip: QTextEdit shows only the document's own tooltips."""

    def __init__(self, text_edit: QTextEdit) -> None:
        super().__init__(text_edit)
        self.setObjectName("claim-mark-tips")
        self._edit = text_edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self._edit.viewport())
                return True
        return False

    def tip_at(self, point: QPoint) -> str:
        position = self._edit.cursorForPosition(point).position()
        tips = [
            str(s.format.property(TOOLTIP_PROPERTY))
            for s in marks_of(self._edit)
            if s.cursor.selectionStart() <= position < s.cursor.selectionEnd()
        ]
        return "\n\n".join(tips)


def _install_tips(text_edit: QTextEdit) -> None:
    if text_edit.findChild(_MarkTips, "claim-mark-tips") is None:
        text_edit.viewport().installEventFilter(_MarkTips(text_edit))


class SuggestionModel(QAbstractTableModel):
    """Suggested claims as rows: field, value, the words they come from. No signals."""

    HEADERS = ("Field", "Value", "Words in the source")
    FIELD, VALUE, QUOTE = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._suggestions: list[Suggestion] = []

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        self.beginResetModel()
        self._suggestions = list(suggestions)
        self.endResetModel()

    def suggestion_at(self, row: int) -> Suggestion:
        return self._suggestions[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._suggestions)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        suggestion = self._suggestions[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.FIELD:
                return FIELD_LABELS.get(suggestion.field, suggestion.field)
            if column == self.VALUE:
                return suggestion.value
            return one_line(suggestion.quote)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.QUOTE:
            return suggestion.quote
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and column == self.QUOTE
            and is_right_to_left_text(suggestion.quote)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class SuggestionsPanel(QWidget):
    """Claims the desk reads in a source's text (numbers killed and wounded, dates),
    for the analyst to accept as they are, edit before recording, or reject. Nothing
    is recorded until the analyst accepts; a rejected suggestion stays hidden while
    this panel lives and nothing is written.

    Signals:
        suggestion_focused(int, int): the chosen suggestion's start and end in the
            source's text, so the viewer can scroll to it.
        claims_changed(object): the claims of the incident shown changed, here or
            elsewhere, done or undone (its id): time to mark the text again.

    Attributes:
        table: the suggestions; accept_button, edit_button, reject_button; status:
            the line that tells why nothing is shown or what failed.
    """

    suggestion_focused = Signal(int, int)
    claims_changed = Signal(object)

    def __init__(self, case: Case, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self._case = case
        self._stack = undo_stack
        self._source_id: uuid.UUID | None = None
        self._incident_id: uuid.UUID | None = None
        self._rejected: set[tuple[uuid.UUID, str, str, int]] = set()

        self._model = SuggestionModel(self)
        self.table = QTableView()
        self.table.setModel(self._model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._focused)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())

        self.accept_button = QPushButton("Accept")
        self.accept_button.clicked.connect(self.accept_current)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_current)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Hide the suggestion; nothing is recorded")
        self.reject_button.clicked.connect(self.reject_current)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self._hint = hint_label("No source shown.")

        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._hint, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        claim_events(case).changed.connect(self._claims_changed)
        self._show()

    def show_source(self, source_id: uuid.UUID | None, incident_id: uuid.UUID | None) -> None:
        """List the suggestions for ``source_id``; recording them needs ``incident_id``."""
        self._source_id, self._incident_id = source_id, incident_id
        self.status.clear()
        # A source opens at its beginning: the first suggestion is chosen, not shown.
        self._quiet = True
        try:
            self._show()
        finally:
            self._quiet = False

    def suggestions(self) -> list[Suggestion]:
        """The suggestions listed now (for ``mark_claims``)."""
        return [self._model.suggestion_at(n) for n in range(self._model.rowCount())]

    def current(self) -> Suggestion | None:
        index = self.table.currentIndex()
        return self._model.suggestion_at(index.row()) if index.isValid() else None

    def refresh(self) -> None:
        self._show()

    def accept_current(self) -> None:
        suggestion = self.current()
        if suggestion is None or self._incident_id is None or self._source_id is None:
            return
        command = AddClaim(
            self._case,
            ClaimDraft(
                incident_id=self._incident_id,
                source_id=self._source_id,
                field=suggestion.field,
                value=suggestion.value,
                quote=suggestion.quote,
                quote_start=suggestion.start,
            ),
        )
        self._report(push(self._stack, command))

    def edit_current(self) -> None:
        from ui.dialogs.claim_form import ClaimFormDialog  # loads with the first claim form

        suggestion = self.current()
        if suggestion is None or self._incident_id is None or self._source_id is None:
            return
        dialog = ClaimFormDialog(
            self._case,
            self._incident_id,
            self._source_id,
            suggestion=suggestion,
            undo_stack=self._stack,
            parent=self,
        )
        self._exec(dialog)

    def _exec(self, dialog: QDialog) -> int:
        """Run a dialog modally; tests replace this to drive it without blocking."""
        return dialog.exec()

    def reject_current(self) -> None:
        suggestion = self.current()
        if suggestion is None or self._source_id is None:
            return
        self._rejected.add(_key(self._source_id, suggestion))
        row = self.table.currentIndex().row()
        self._show(select_row=row)

    def _report(self, error: DeskError | None) -> None:
        if error is not None:
            self.status.setText(str(error))

    def _claims_changed(self, incident_id: object) -> None:
        if incident_id == self._incident_id and self._source_id is not None:
            row = self.table.currentIndex().row()
            self._show(select_row=row)
            self.claims_changed.emit(incident_id)

    def _show(self, select_row: int = 0) -> None:
        found: list[Suggestion] = []
        if self._source_id is not None:
            try:
                found = self._case.claims.suggestions(self._source_id, self._incident_id)
                recorded = self._recorded()
            except DeskError as exc:
                self.status.setText(str(exc))
                recorded = []
            source_id = self._source_id
            found = [
                s
                for s in found
                if _key(source_id, s) not in self._rejected and not _covered(s, recorded)
            ]
        self._model.set_suggestions(found)
        if self._source_id is None:
            self._hint.setText("No source shown.")
        elif not found:
            self._hint.setText("No numbers of killed or wounded, and no dates, found in this text.")
        self._hint.setVisible(not found)
        self.table.setVisible(bool(found))
        can_record = self._incident_id is not None
        for button, tip in (
            (self.accept_button, ACCEPT_TIP),
            (self.edit_button, EDIT_TIP),
        ):
            button.setEnabled(bool(found) and can_record)
            button.setToolTip(tip if can_record else NO_INCIDENT_TIP)
        self.reject_button.setEnabled(bool(found))
        if found:
            self.table.selectRow(min(max(select_row, 0), len(found) - 1))

    def _recorded(self) -> list[ClaimView]:
        if self._incident_id is None:
            return []
        return [
            c for c in self._case.claims.list(self._incident_id) if c.source_id == self._source_id
        ]

    def _focused(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            suggestion = self._model.suggestion_at(current.row())
            self.suggestion_focused.emit(suggestion.start, suggestion.end)


def _key(source_id: uuid.UUID, suggestion: Suggestion) -> tuple[uuid.UUID, str, str, int]:
    return (source_id, suggestion.field, suggestion.value, suggestion.start)


def _covered(suggestion: Suggestion, claims: Sequence[ClaimView]) -> bool:
    """Whether a claim of the same field was already recorded from these words."""
    return any(
        c.field == suggestion.field
        and c.quote_start is not None
        and c.quote_end is not None
        and c.quote_start < suggestion.end
        and suggestion.start < c.quote_end
        for c in claims
    )
