"""The claim form: what one source says about one incident, in the source's words.

The value is checked as it is typed by the core's own parser
(``desk.claims.values.parse_value``), so the form and the CLI accept the same values.
Accepting records the claim through an undoable command.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk.claims.suggest import Suggestion, suggest_claims
from desk.claims.values import FIELD_LABELS, FIELDS, DateValue, Value, describe, parse_value
from desk.errors import DeskError
from desk.services.claims import ClaimView
from desk.services.sources import SourceView
from desk.vocab import ACTOR_ROLES, is_right_to_left
from ui.commands.claims import AddClaim, ClaimDraft, EditClaim, push
from ui.models.claims import CREDIBILITY_MEANINGS, ROLE_LABELS, outlet_text

if TYPE_CHECKING:
    from desk.case import Case

# How to write a value, per field (the syntax parse_value reads).
VALUE_HINTS = {
    "fatalities": "A count: 3, a range 3-5, at least >=3, at most <=3, about ~5.",
    "injured": "A count: 3, a range 3-5, at least >=3, at most <=3, about ~5.",
    "date": "A day 2019-06-07, a month 2019-06, a week 2019-W23, a year 2019, "
    "or a span 2019-06-07..2019-06-08.",
    "place": "The place as the source names it; the gazetteer's aliases match other spellings.",
    "actor": "The actor as the source names it; choose its role below.",
    "event_type": "The kind of event as the source describes it, e.g. Armed clash.",
    "weapons": "The weapons as written (e.g. 122 mm artillery shells), or yes / no.",
    "statement": "yes or no, answering the question above; without a question, free text.",
}
QUESTION_HINT = "Spell it as the other sources' claims do, so their answers are compared."
ERROR_STYLE = "color: #b3261e;"


class ClaimFormDialog(QDialog):
    """Record a new claim, or edit ``claim``. No signals.

    ``source_id`` None lets the analyst pick one of the incident's sources. ``quote``
    and ``quote_start`` (its offset in the source's text) come from a selection;
    ``suggestion`` pre-fills field, value and quote. Accepting pushes ``AddClaim`` or
    ``EditClaim`` on ``undo_stack``; a refusal from the core shows in ``error`` and
    the form stays open.

    Attributes:
        source, field, value, question, role, quote, credibility, repeats, note: the
            inputs (``source`` is a combo, enabled only when no source was given).
        value_check: the parser's verdict on the value (its error, or how it reads).
        error: the core's refusal when accepting failed.
        claim: the claim as recorded, once accepted.
    """

    def __init__(
        self,
        case: Case,
        incident_id: uuid.UUID,
        source_id: uuid.UUID | None,
        quote: str | None = None,
        quote_start: int | None = None,
        suggestion: Suggestion | None = None,
        claim: ClaimView | None = None,
        *,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._stack = undo_stack
        self._incident_id = incident_id
        self._editing = claim
        self.claim: ClaimView | None = None
        if claim is not None:
            source_id = claim.source_id
        self._sources: list[SourceView] = case.sources.list(incident_id)
        if source_id is not None and all(s.id != source_id for s in self._sources):
            self._sources.append(case.sources.get(source_id))
        self._quote_start = quote_start
        self.setWindowTitle("Edit claim" if claim else "New claim")
        self.setMinimumWidth(560)

        # Combos hold ids as text: QComboBox.findData cannot compare Python objects.
        self.source = QComboBox()
        for s in self._sources:
            self.source.addItem(_source_label(s), str(s.id))
        if source_id is not None:
            self.source.setCurrentIndex(self.source.findData(str(source_id)))
        self.source.setEnabled(source_id is None)

        self.field = QComboBox()
        for name in FIELDS:
            self.field.addItem(FIELD_LABELS[name], name)
        self.field.setEnabled(claim is None)  # the service keeps a claim's field

        self.value = QLineEdit()
        self.value.setClearButtonEnabled(True)
        self._value_hint = QLabel()
        self._value_hint.setWordWrap(True)
        self._value_hint.setEnabled(False)
        self.value_check = QLabel()
        self.value_check.setWordWrap(True)
        self.value_check.setTextFormat(Qt.TextFormat.PlainText)

        self.question = QLineEdit()
        self.question.setPlaceholderText("e.g. Russian military police intervened?")
        completer = QCompleter(case.claims.questions(incident_id), self.question)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.question.setCompleter(completer)
        self.question.setToolTip(QUESTION_HINT)

        self.role = QComboBox()
        self.role.addItem("no role given", None)
        for role in ACTOR_ROLES:
            self.role.addItem(ROLE_LABELS.get(role, role), role)

        # A QTextEdit (plain text only), not a QPlainTextEdit: it lays out each
        # paragraph in its own direction, so an Arabic quote reads from the right.
        self.quote = QTextEdit()
        self.quote.setAcceptRichText(False)
        self.quote.setTabChangesFocus(True)
        self.quote.setPlaceholderText("The source's exact words")
        self.quote.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

        self.credibility = QComboBox()
        self.credibility.addItem("not judged", None)
        for digit, meaning in CREDIBILITY_MEANINGS.items():
            self.credibility.addItem(f"{digit} · {meaning}", digit)

        self.repeats = QComboBox()
        self.repeats.setToolTip(
            "A source that only repeats another does not count as independent corroboration."
        )
        self.note = QLineEdit()

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText("Save" if claim else "Record claim")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        self._form = QFormLayout()
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._form.addRow("Source", self.source)
        self._form.addRow("Field", self.field)
        self._form.addRow("Question", self.question)
        self._form.addRow("Role", self.role)
        value_box = QVBoxLayout()
        value_box.setSpacing(2)
        value_box.addWidget(self.value)
        value_box.addWidget(self._value_hint)
        value_box.addWidget(self.value_check)
        self._form.addRow("Value", value_box)
        self._form.addRow("Quote", self.quote)
        self._form.addRow("Credibility", self.credibility)
        self._form.addRow("Repeats", self.repeats)
        self._form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons)

        self._fill(quote, suggestion, claim)
        self.source.currentIndexChanged.connect(lambda _n: self._source_changed())
        self.field.currentIndexChanged.connect(lambda _n: self._field_changed())
        self.value.textChanged.connect(lambda _t: self._check())
        self.question.textChanged.connect(lambda _t: self._check())
        self._source_changed()
        self._field_changed()
        self.value.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self._buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _fill(
        self, quote: str | None, suggestion: Suggestion | None, claim: ClaimView | None
    ) -> None:
        field, value = "fatalities", ""
        if claim is not None:
            field, value, quote = claim.field, claim.value_text, claim.quote
            self._quote_start = claim.quote_start
            self.question.setText(claim.question or "")
            self.role.setCurrentIndex(max(0, self.role.findData(claim.role)))
            self.credibility.setCurrentIndex(max(0, self.credibility.findData(claim.credibility)))
            self.note.setText(claim.note or "")
        elif suggestion is not None:
            field, value, quote = suggestion.field, suggestion.value, suggestion.quote
            self._quote_start = suggestion.start
        elif quote:
            # Words like "five people were killed" already say field and value.
            guessed = suggest_claims(quote)
            if guessed:
                field, value = guessed[0].field, guessed[0].value
        self.field.setCurrentIndex(max(0, self.field.findData(field)))
        self.value.setText(value)
        self.quote.setPlainText(quote or "")

    def _source(self) -> SourceView | None:
        source_id = self.source.currentData()
        return next((s for s in self._sources if str(s.id) == source_id), None)

    def _source_changed(self) -> None:
        source = self._source()
        right_to_left = source is not None and is_right_to_left(source.language)
        option = self.quote.document().defaultTextOption()
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft
            if right_to_left
            else Qt.LayoutDirection.LayoutDirectionAuto
        )
        self.quote.document().setDefaultTextOption(option)
        self.quote.setPlainText(self.quote.toPlainText())  # lay out again in that direction
        keep = self.repeats.currentData()
        if self._editing is not None and keep is None and self._editing.repeats_source_id:
            keep = str(self._editing.repeats_source_id)
        self.repeats.clear()
        self.repeats.addItem("no one: independent", None)
        for s in self._sources:
            if source is None or s.id != source.id:
                self.repeats.addItem(_source_label(s), str(s.id))
        self.repeats.setCurrentIndex(max(0, self.repeats.findData(keep)))

    def _field_changed(self) -> None:
        field = self.field.currentData()
        self._form.setRowVisible(self.question, field == "statement")
        self._form.setRowVisible(self.role, field == "actor")
        self._value_hint.setText(VALUE_HINTS[field])
        self._check()

    def _check(self) -> bool:
        """Ask the core whether the value reads; show its sentence or the reading."""
        field = self.field.currentData()
        text = self.value.text()
        ok = False
        if not text.strip():
            self.value_check.clear()
        else:
            try:
                typed = parse_value(field, text, self._question())
            except DeskError as exc:
                self.value_check.setText(str(exc))
                self.value_check.setStyleSheet(ERROR_STYLE)
            else:
                self.value_check.setText(f"Reads as: {reading(typed)}")
                self.value_check.setStyleSheet("")
                ok = True
        self.value_check.setVisible(bool(self.value_check.text()))
        self.ok_button.setEnabled(ok and self._source() is not None)
        return ok

    def _question(self) -> str | None:
        if self.field.currentData() != "statement":
            return None
        return self.question.text().strip() or None

    def _values(self) -> dict[str, Any]:
        field = self.field.currentData()
        return {
            "value": self.value.text().strip(),
            "quote": self.quote.toPlainText().strip() or None,
            "credibility": self.credibility.currentData(),
            "question": self._question(),
            "role": self.role.currentData() if field == "actor" else None,
            "repeats_source_id": uuid.UUID(repeats)
            if (repeats := self.repeats.currentData())
            else None,
            "note": self.note.text().strip() or None,
        }

    def accept(self) -> None:
        source = self._source()
        if not self._check() or source is None:
            return
        values = self._values()
        if self._editing is None:
            command: AddClaim | EditClaim = AddClaim(
                self._case,
                ClaimDraft(
                    incident_id=self._incident_id,
                    source_id=source.id,
                    field=self.field.currentData(),
                    quote_start=self._quote_start,
                    **values,
                ),
            )
        else:
            old = self._editing
            before = {
                "value": old.value_text,
                "quote": old.quote,
                "credibility": old.credibility,
                "question": old.question,
                "role": old.role,
                "repeats_source_id": old.repeats_source_id,
                "note": old.note,
            }
            changed = [k for k in values if values[k] != before[k]]
            if not changed:
                super().accept()
                return
            command = EditClaim(
                self._case,
                old,
                {k: before[k] for k in changed},
                {k: values[k] for k in changed},
            )
        error = push(self._stack, command)
        if error is not None:
            self.error.setText(str(error))
            self.error.show()
            return
        if isinstance(command, AddClaim):
            self.claim = command.claim
        else:
            self.claim = next(
                (c for c in self._case.claims.list(self._incident_id) if c.id == command.claim_id),
                None,
            )
        super().accept()


def reading(value: Value) -> str:
    """How the desk understands a value: a date as the days it covers."""
    if isinstance(value, DateValue) and value.first != value.last:
        return f"any day from {value.first.isoformat()} to {value.last.isoformat()}"
    if isinstance(value, DateValue):
        return value.first.isoformat()
    return describe(value)


def _source_label(source: SourceView) -> str:
    outlet = outlet_text(source.outlet, source.outlet_reliability)
    return f"{source.title} — {outlet}" if outlet else source.title


def clean_selection(text: str, start: int) -> tuple[str, int]:
    """A selection as a quote: paragraph separators as newlines, no surrounding blanks,
    the start moved past the blanks cut from the front."""
    text = text.replace("\u2029", "\n").replace("\u2028", "\n")
    stripped = text.lstrip()
    return stripped.rstrip(), start + len(text) - len(stripped)


def new_claim_from_selection(
    parent: QWidget | None,
    case: Case,
    undo_stack: QUndoStack,
    incident_id: uuid.UUID,
    source_id: uuid.UUID,
    selected_text: str,
    start: int,
) -> bool:
    """Open the claim form with the selected words as the quote; True when a claim
    was recorded. ``start`` is the selection's offset in the source's text (see
    ``ui.claim_highlights.selection_in_source``)."""
    quote, quote_start = clean_selection(selected_text, start)
    dialog = ClaimFormDialog(
        case,
        incident_id,
        source_id,
        quote=quote or None,
        quote_start=quote_start if quote else None,
        undo_stack=undo_stack,
        parent=parent,
    )
    return dialog.exec() == QDialog.DialogCode.Accepted
