"""The claim form: values checked by the core's parser as they are typed, claims
recorded, edited and deleted through undoable commands."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.claims.values import parse_value
from desk.errors import BadInputError
from tests.ui.conftest import INCIDENT_TITLE
from ui.dialogs.claim_form import ClaimFormDialog, clean_selection, new_claim_from_selection
from ui.panes.claims import ClaimsPane

ESM = "eastern-syria-monitor-2019-06-09.html"
NOTE = "field-note-2019-06-10.txt"
BLOG = "al-bukamal-irancommentary-2019-06-08.txt"
MP = "Russian military police intervened?"


def _incident(case: Case) -> uuid.UUID:
    return next(r.id for r in case.incidents.rows() if r.title == INCIDENT_TITLE)


def _sources(case: Case) -> dict[str, uuid.UUID]:
    return {s.original_filename or s.title: s.id for s in case.sources.list()}


def _form(
    qtbot: QtBot, case: Case, stack: QUndoStack, source: str, **kwargs: Any
) -> ClaimFormDialog:
    dialog = ClaimFormDialog(
        case,
        _incident(case),
        _sources(case)[source],
        undo_stack=stack,
        **kwargs,  # type: ignore[arg-type]
    )
    qtbot.addWidget(dialog)
    return dialog


def test_the_form_refuses_what_the_core_cannot_read(qtbot: QtBot, editable_case: Case) -> None:
    dialog = _form(qtbot, editable_case, QUndoStack(), ESM)
    dialog.field.setCurrentIndex(dialog.field.findData("fatalities"))

    qtbot.keyClicks(dialog.value, "many")

    with pytest.raises(BadInputError) as refusal:
        parse_value("fatalities", "many")
    assert dialog.value_check.text() == str(refusal.value)
    assert not dialog.ok_button.isEnabled()

    dialog.value.clear()
    qtbot.keyClicks(dialog.value, "3-5")

    assert dialog.value_check.text() == "Reads as: 3-5"
    assert dialog.ok_button.isEnabled()


def test_a_date_and_a_statement_follow_their_own_rules(qtbot: QtBot, editable_case: Case) -> None:
    dialog = _form(qtbot, editable_case, QUndoStack(), ESM)
    dialog.field.setCurrentIndex(dialog.field.findData("date"))
    qtbot.keyClicks(dialog.value, "2019-06")
    assert dialog.value_check.text() == "Reads as: any day from 2019-06-01 to 2019-06-30"
    assert dialog.question.isHidden()

    dialog.field.setCurrentIndex(dialog.field.findData("statement"))
    assert not dialog.question.isHidden()
    dialog.value.clear()
    qtbot.keyClicks(dialog.question, MP)
    qtbot.keyClicks(dialog.value, "perhaps")
    assert "not an answer" in dialog.value_check.text()
    assert not dialog.ok_button.isEnabled()


def test_accepting_records_the_claim_and_undo_takes_it_back(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id = _incident(case)
    pane = ClaimsPane(case, stack)
    qtbot.addWidget(pane)
    pane.show_incident(incident_id)
    text = case.sources.text(_sources(case)[ESM])
    start = text.index("five people were killed")
    dialog = _form(qtbot, case, stack, ESM, quote="five people were killed", quote_start=start)
    # The words already say what is claimed.
    assert dialog.value.text() == "5"
    dialog.credibility.setCurrentIndex(dialog.credibility.findData(3))

    with qtbot.waitSignal(pane.claims_changed) as changed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert changed.args == [incident_id]
    [claim] = case.claims.list(incident_id)
    assert (claim.field, claim.value_text, claim.credibility) == ("fatalities", "5", 3)
    assert (claim.quote_start, claim.quote_end) == (start, start + len("five people were killed"))
    assert pane.model.rowCount() == 1
    assert pane.model.index(0, pane.model.VALUE).data() == "5"
    assert stack.undoText() == "Add claim (fatalities 5)"

    stack.undo()
    assert case.claims.list(incident_id) == []
    assert pane.model.rowCount() == 0

    stack.redo()
    [again] = case.claims.list(incident_id)
    assert again.id == claim.id
    assert pane.model.rowCount() == 1


def test_a_quote_that_is_not_in_the_source_keeps_the_form_open(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    dialog = _form(qtbot, case, stack, ESM)
    qtbot.keyClicks(dialog.value, "12")
    qtbot.keyClicks(dialog.quote, "twelve were killed")

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert "quote is not in the text" in dialog.error.text()
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert case.claims.list(_incident(case)) == []
    assert stack.count() == 0


def test_editing_a_claim_is_one_undoable_step(qtbot: QtBot, editable_case: Case) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id = _incident(case)
    sources = _sources(case)
    claim = case.claims.add(
        incident_id, sources[NOTE], "fatalities", "2", quote="two people were killed"
    )
    dialog = _form(qtbot, case, stack, NOTE, claim=claim)
    assert not dialog.field.isEnabled()
    assert dialog.quote.toPlainText() == "two people were killed"

    dialog.value.clear()
    qtbot.keyClicks(dialog.value, ">=2")
    dialog.credibility.setCurrentIndex(dialog.credibility.findData(2))
    dialog.repeats.setCurrentIndex(dialog.repeats.findData(str(sources[ESM])))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    [edited] = case.claims.list(incident_id)
    assert (edited.value_text, edited.credibility) == (">=2", 2)
    assert edited.repeats_source_id == sources[ESM]
    assert not edited.independent

    stack.undo()
    [back] = case.claims.list(incident_id)
    assert (back.value_text, back.credibility, back.repeats_source_id) == ("2", None, None)


def test_deleting_a_claim_from_the_pane_can_be_undone(qtbot: QtBot, editable_case: Case) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id = _incident(case)
    claim = case.claims.add(
        incident_id, _sources(case)[NOTE], "fatalities", "2", quote="two people were killed"
    )
    pane = ClaimsPane(case, stack)
    qtbot.addWidget(pane)
    pane.show_incident(incident_id)
    assert pane.select_claim(claim.id)

    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)

    assert case.claims.list(incident_id) == []
    assert pane.model.rowCount() == 0
    stack.undo()
    [restored] = case.claims.list(incident_id)
    assert restored.id == claim.id
    assert restored.quote_start == claim.quote_start
    assert pane.model.rowCount() == 1


def test_questions_already_asked_are_offered_again(qtbot: QtBot, editable_case: Case) -> None:
    case = editable_case
    case.claims.add(
        _incident(case),
        _sources(case)[BLOG],
        "statement",
        "no",
        question=MP,
        quote="took no action to stop the clashes",
    )
    dialog = _form(qtbot, case, QUndoStack(), ESM)
    completer = dialog.question.completer()

    completer.setCompletionPrefix("military")

    assert completer.currentCompletion() == MP


def test_new_claim_from_selection_opens_the_form_with_the_quote(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id, source_id = _incident(case), _sources(case)[ESM]
    text = case.sources.text(source_id)
    start = text.index("nine others wounded")
    seen: dict[str, str] = {}

    def fill_and_accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ClaimFormDialog)
        seen["quote"] = dialog.quote.toPlainText()
        seen["field"] = dialog.field.currentData()
        seen["value"] = dialog.value.text()
        dialog.ok_button.click()

    QTimer.singleShot(0, fill_and_accept)
    # A selection with a blank in front, as a mouse drag often makes.
    recorded = new_claim_from_selection(
        None, case, stack, incident_id, source_id, " nine others wounded", start - 1
    )

    assert recorded
    assert seen == {"quote": "nine others wounded", "field": "injured", "value": "9"}
    [claim] = case.claims.list(incident_id)
    assert (claim.quote_start, claim.quote_end) == (start, start + len("nine others wounded"))


def test_a_selection_across_paragraphs_becomes_a_plain_quote() -> None:
    assert clean_selection("  one\u2029two ", 10) == ("one\ntwo", 12)
