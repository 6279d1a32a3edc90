"""The claims of an incident as a table and a matrix; suggestions and marks in a
source's text."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QUndoStack
from PySide6.QtWidgets import QDialog, QTextEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.claims.suggest import Suggestion
from tests.ui.conftest import INCIDENT_TITLE
from ui.claim_highlights import (
    CLAIM_COLOUR,
    SUGGESTION_COLOUR,
    SuggestionModel,
    SuggestionsPanel,
    mark_claims,
    mark_range,
    marks_of,
    select_range,
    selection_in_source,
)
from ui.commands.claims import EditClaim
from ui.dialogs.claim_form import ClaimFormDialog
from ui.models.claims import (
    STATE_COLOURS,
    STATE_ROLE,
    ClaimMatrixModel,
    ClaimTableModel,
    ConflictClaimsModel,
    ConflictListModel,
)
from ui.panes.claims import ClaimsPane
from ui.panes.source_viewer import SourceTextView

ESM = "eastern-syria-monitor-2019-06-09.html"
NOTE = "field-note-2019-06-10.txt"
BLOG = "al-bukamal-irancommentary-2019-06-08.txt"
ARABIC = "deir-ezzor-news-ar-2019-06-08.html"


def _incident(case: Case) -> uuid.UUID:
    return next(r.id for r in case.incidents.rows() if r.title == INCIDENT_TITLE)


def _sources(case: Case) -> dict[str, uuid.UUID]:
    return {s.original_filename or s.title: s.id for s in case.sources.list()}


def _pane(qtbot: QtBot, case: Case, stack: QUndoStack | None = None) -> ClaimsPane:
    pane = ClaimsPane(case, stack or QUndoStack())
    qtbot.addWidget(pane)
    pane.show_incident(_incident(case))
    return pane


def _row(model: ClaimTableModel, source_title: str, field: str) -> int:
    return next(
        n
        for n in range(model.rowCount())
        if model.claim_at(n).source_title == source_title and model.claim_at(n).field == field
    )


def test_the_table_shows_grades_and_corroboration(qtbot: QtBot, editable_case: Case) -> None:
    case = editable_case
    incident_id, sources = _incident(case), _sources(case)
    case.outlets.grade("Eastern Syria Monitor", "B", "Local network, usually right on places.")
    case.claims.add(
        incident_id, sources[ESM], "fatalities", "5", quote="five people were killed", credibility=3
    )
    case.claims.add(
        incident_id, sources[BLOG], "fatalities", ">=3", quote="three individuals were killed"
    )

    pane = _pane(qtbot, case)

    model = pane.model
    esm_title = case.sources.get(sources[ESM]).title
    row = _row(model, esm_title, "fatalities")
    assert model.index(row, model.FIELD).data() == "Fatalities"
    assert model.index(row, model.OUTLET).data() == "Eastern Syria Monitor (B)"
    assert model.index(row, model.GRADE).data() == "B3"
    assert "usually reliable" in model.index(row, model.GRADE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, model.CORROBORATED).data() == "2"  # ">=3" agrees with 5
    assert model.index(row, model.QUOTE).data() == "five people were killed"
    assert pane.table.isVisibleTo(pane)


def test_the_field_filter_keeps_one_field(qtbot: QtBot, editable_case: Case) -> None:
    case = editable_case
    incident_id, sources = _incident(case), _sources(case)
    case.claims.add(incident_id, sources[ESM], "fatalities", "5", quote="five people were killed")
    case.claims.add(incident_id, sources[ESM], "injured", "9", quote="nine others wounded")
    pane = _pane(qtbot, case)
    assert pane.proxy.rowCount() == 2

    pane.field_filter.setCurrentIndex(pane.field_filter.findData("injured"))

    assert pane.proxy.rowCount() == 1
    assert pane.proxy.index(0, ClaimTableModel.VALUE).data() == "9"


def _fatalities_cells(pane: ClaimsPane, case: Case) -> dict[str, tuple[str, QBrush]]:
    """The fatalities row of the matrix: each source's (state, background) by file name."""
    model = pane.matrix.model
    matrix = model.matrix
    assert matrix is not None
    row = list(matrix.rows).index(("fatalities", ""))
    names = {source_id: name for name, source_id in _sources(case).items()}
    return {
        names[matrix.sources[column][0]]: (
            model.index(row, column).data(STATE_ROLE),
            model.index(row, column).data(Qt.ItemDataRole.BackgroundRole),
        )
        for column in range(model.columnCount())
    }


def test_the_matrix_is_red_where_sources_disagree_and_green_where_they_agree(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id, sources = _incident(case), _sources(case)
    case.claims.add(
        incident_id, sources[ESM], "fatalities", "5", quote="five people were killed", credibility=2
    )
    note = case.claims.add(
        incident_id, sources[NOTE], "fatalities", "2", quote="two people were killed"
    )
    pane = _pane(qtbot, case, stack)
    pane.show_matrix()

    cells = _fatalities_cells(pane, case)
    assert cells[ESM][0] == cells[NOTE][0] == "conflict"
    assert cells[ESM][1].color() == STATE_COLOURS["conflict"]
    assert cells[BLOG][0] == "not stated"
    assert cells[BLOG][1].color() == STATE_COLOURS["not stated"]
    model = pane.matrix.model
    row = list(model.matrix.rows).index(("fatalities", ""))  # type: ignore[union-attr]
    esm_column = [s[0] for s in model.matrix.sources].index(sources[ESM])  # type: ignore[union-attr]
    cell = model.index(row, esm_column)
    assert cell.data() == "5 [2]"
    assert "five people were killed" in cell.data(Qt.ItemDataRole.ToolTipRole)

    # The analyst corrects the field note's figure: the two now agree.
    stack.push(EditClaim(case, note, {"value": "2"}, {"value": "5"}))

    cells = _fatalities_cells(pane, case)
    assert cells[ESM][0] == cells[NOTE][0] == "agree"
    assert cells[NOTE][1].color() == STATE_COLOURS["agree"]


def test_the_matrix_headers_give_each_outlets_grade(qtbot: QtBot, editable_case: Case) -> None:
    case = editable_case
    incident_id, sources = _incident(case), _sources(case)
    case.outlets.grade("Eastern Syria Monitor", "B", "Local network, usually right on places.")
    case.claims.add(incident_id, sources[ESM], "fatalities", "5", quote="five people were killed")
    pane = _pane(qtbot, case)

    model = pane.matrix.model
    matrix = model.matrix
    assert matrix is not None
    column = [s[0] for s in matrix.sources].index(sources[ESM])
    header = model.headerData(column, Qt.Orientation.Horizontal)
    assert "Eastern Syria Monitor" in header
    assert header.endswith("B · usually reliable")
    assert model.headerData(0, Qt.Orientation.Vertical) == "Fatalities"


def test_activating_a_claim_asks_for_its_source_at_the_quote(
    qtbot: QtBot, editable_case: Case
) -> None:
    case = editable_case
    incident_id, sources = _incident(case), _sources(case)
    claim = case.claims.add(
        incident_id, sources[ESM], "fatalities", "5", quote="five people were killed"
    )
    pane = _pane(qtbot, case)
    pane.show()
    pane.table.setFocus()
    pane.table.setCurrentIndex(pane.proxy.index(0, 0))

    with qtbot.waitSignal(pane.open_source) as opened:
        qtbot.keyClick(pane.table, Qt.Key.Key_Return)

    assert opened.args == [sources[ESM], claim.quote_start, claim.quote_end]


def test_a_change_anywhere_is_announced_for_the_incident_list(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id, sources = _incident(case), _sources(case)
    claim = case.claims.add(incident_id, sources[ESM], "fatalities", "5")
    pane = _pane(qtbot, case, stack)

    with qtbot.waitSignal(pane.claims_changed) as changed:
        stack.push(EditClaim(case, claim, {"value": "5"}, {"value": "6"}))

    assert changed.args == [incident_id]
    assert pane.model.index(0, ClaimTableModel.VALUE).data() == "6"


def test_without_an_incident_the_pane_says_so(qtbot: QtBot, editable_case: Case) -> None:
    pane = ClaimsPane(editable_case, QUndoStack())
    qtbot.addWidget(pane)
    pane.show_incident(None)
    assert pane.model.rowCount() == 0
    assert not pane.new_button.isEnabled()
    assert not pane.table.isVisibleTo(pane)


def test_suggestions_for_the_esm_article_are_accepted_at_their_place(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id, source_id = _incident(case), _sources(case)[ESM]
    panel = SuggestionsPanel(case, stack)
    qtbot.addWidget(panel)

    panel.show_source(source_id, incident_id)

    listed = {(s.field, s.value) for s in panel.suggestions()}
    assert {("fatalities", "5"), ("injured", "9")} <= listed
    assert case.claims.list(incident_id) == []  # nothing recorded by listing

    row = next(
        n for n, s in enumerate(panel.suggestions()) if (s.field, s.value) == ("fatalities", "5")
    )
    with qtbot.waitSignal(panel.suggestion_focused) as focused:
        panel.table.selectRow(row)
    suggestion = panel.suggestions()[row]
    assert focused.args == [suggestion.start, suggestion.end]

    with qtbot.waitSignal(panel.claims_changed):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)

    [claim] = case.claims.list(incident_id)
    text = case.sources.text(source_id)
    assert (claim.field, claim.value_text, claim.quote) == (
        "fatalities",
        "5",
        "five people were killed",
    )
    assert claim.quote_start is not None
    assert text[claim.quote_start : claim.quote_end] == claim.quote
    assert ("fatalities", "5") not in {(s.field, s.value) for s in panel.suggestions()}

    stack.undo()
    assert ("fatalities", "5") in {(s.field, s.value) for s in panel.suggestions()}


def test_editing_a_suggestion_opens_the_form_filled_in(
    qtbot: QtBot, editable_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id, source_id = _incident(case), _sources(case)[ESM]
    panel = SuggestionsPanel(case, stack)
    qtbot.addWidget(panel)
    panel.show_source(source_id, incident_id)
    row = next(n for n, s in enumerate(panel.suggestions()) if s.field == "injured")
    panel.table.selectRow(row)
    seen = {}

    def correct(dialog: QDialog) -> int:
        assert isinstance(dialog, ClaimFormDialog)
        qtbot.addWidget(dialog)
        seen.update(
            field=dialog.field.currentData(),
            value=dialog.value.text(),
            quote=dialog.quote.toPlainText(),
        )
        dialog.value.clear()
        qtbot.keyClicks(dialog.value, ">=9")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(panel, "_exec", correct)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)

    assert seen == {"field": "injured", "value": "9", "quote": "nine others wounded"}
    [claim] = case.claims.list(incident_id)
    assert (claim.field, claim.value_text, claim.quote) == ("injured", ">=9", "nine others wounded")


def test_editing_from_the_pane_changes_the_claim(
    qtbot: QtBot, editable_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id = _incident(case)
    case.claims.add(incident_id, _sources(case)[ESM], "fatalities", "5")
    pane = _pane(qtbot, case, stack)
    pane.table.setCurrentIndex(pane.proxy.index(0, 0))

    def raise_credibility(dialog: QDialog) -> int:
        assert isinstance(dialog, ClaimFormDialog)
        qtbot.addWidget(dialog)
        dialog.credibility.setCurrentIndex(dialog.credibility.findData(2))
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(pane, "_exec", raise_credibility)
    qtbot.mouseClick(pane.edit_button, Qt.MouseButton.LeftButton)

    assert case.claims.list(incident_id)[0].credibility == 2
    assert pane.model.index(0, ClaimTableModel.GRADE).data() == "?2"
    stack.undo()
    assert case.claims.list(incident_id)[0].credibility is None


def test_rejecting_a_suggestion_records_nothing(qtbot: QtBot, editable_case: Case) -> None:
    case, stack = editable_case, QUndoStack()
    incident_id, source_id = _incident(case), _sources(case)[ESM]
    panel = SuggestionsPanel(case, stack)
    qtbot.addWidget(panel)
    panel.show_source(source_id, incident_id)
    before = len(panel.suggestions())
    rejected = panel.current()

    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)

    assert len(panel.suggestions()) == before - 1
    assert rejected not in panel.suggestions()
    assert case.claims.list(incident_id) == []
    assert stack.count() == 0


def test_suggestions_without_an_incident_cannot_be_recorded(
    qtbot: QtBot, editable_case: Case
) -> None:
    panel = SuggestionsPanel(editable_case, QUndoStack())
    qtbot.addWidget(panel)
    panel.show_source(_sources(editable_case)[ESM], None)
    assert panel.suggestions()
    assert not panel.accept_button.isEnabled()
    assert panel.reject_button.isEnabled()


def test_marks_stand_on_the_claims_quotes(qtbot: QtBot, editable_case: Case) -> None:
    case = editable_case
    incident_id, source_id = _incident(case), _sources(case)[ARABIC]
    claim = case.claims.add(incident_id, source_id, "fatalities", "4", quote="بمقتل أربعة أشخاص")
    view = SourceTextView()
    qtbot.addWidget(view)
    text = case.sources.text(source_id)
    view.show_text(text, right_to_left=True)
    view.highlight("البوكمال")  # a search hit, which the marks leave alone
    hits = len(view.extraSelections())

    marks = mark_claims(view, [claim], [])

    assert len(marks) == 1
    assert marks[0].cursor.selectedText() == "بمقتل أربعة أشخاص"
    assert mark_range(marks[0], view.toPlainText()) == (claim.quote_start, claim.quote_end)
    assert marks[0].format.background().color() == CLAIM_COLOUR
    assert len(view.extraSelections()) == hits + 1

    # Marking again replaces the marks, not the search hits.
    mark_claims(view, [], [])
    assert marks_of(view) == []
    assert len(view.extraSelections()) == hits


def test_offsets_survive_letters_outside_the_basic_plane(qtbot: QtBot) -> None:
    text = "😀 Witnesses said five people were killed."
    edit = QTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText(text)
    start = text.index("five")
    suggestion = Suggestion("fatalities", "5", "five people were killed", start, start + 23)

    [mark] = mark_claims(edit, [], [suggestion])

    assert mark.cursor.selectedText() == "five people were killed"
    assert mark.format.background().color() == SUGGESTION_COLOUR
    assert mark_range(mark, text) == (start, start + 23)
    assert select_range(edit, start, start + 4)
    assert selection_in_source(edit) == ("five", start)


def test_the_models_are_sound(
    qtmodeltester: ModelTester, qtbot: QtBot, editable_case: Case
) -> None:
    case = editable_case
    incident_id, sources = _incident(case), _sources(case)
    case.claims.add(incident_id, sources[ESM], "fatalities", "5", quote="five people were killed")
    case.claims.add(incident_id, sources[NOTE], "fatalities", "2", credibility=4)
    case.claims.add(incident_id, sources[ARABIC], "place", "حي الفيحاء", quote="حي الفيحاء")
    claims = case.claims.list(incident_id)

    table = ClaimTableModel()
    table.set_claims(claims, {s.id: s.title for s in case.sources.list()})
    qtmodeltester.check(table)
    matrix = ClaimMatrixModel()
    matrix.set_matrix(case.claims.matrix(incident_id))
    qtmodeltester.check(matrix)
    conflicts = ConflictListModel()
    conflicts.set_conflicts(case.claims.conflicts())
    qtmodeltester.check(conflicts)
    behind = ConflictClaimsModel()
    behind.set_claims(case.claims.conflicts()[0].claims)
    qtmodeltester.check(behind)
    suggestions = SuggestionModel()
    suggestions.set_suggestions(case.claims.suggestions(sources[ESM]))
    qtmodeltester.check(suggestions)
