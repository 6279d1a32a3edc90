"""The history pane: who changed what and when, before and after, newest first."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from tests.ui.conftest import INCIDENT_TITLE
from ui.models.history import AFTER, BEFORE, WHAT, WHO, FieldChangesModel, HistoryModel
from ui.panes.history import HistoryPane


@pytest.fixture
def incident_id(editable_case: Case) -> uuid.UUID:
    return editable_case.incidents.rows()[0].id


def _pane(qtbot: QtBot, case: Case) -> HistoryPane:
    pane = HistoryPane(case)
    qtbot.addWidget(pane)
    pane.resize(600, 600)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def _changes(pane: HistoryPane) -> dict[str, tuple[str, str]]:
    model = pane.changes_model
    return {
        model.index(row, 0).data(): (
            model.index(row, BEFORE).data(),
            model.index(row, AFTER).data(),
        )
        for row in range(model.rowCount())
    }


def _click_row(qtbot: QtBot, pane: HistoryPane, row: int) -> None:
    index = pane.model.index(row, WHAT)
    pane.table.scrollTo(index)
    qtbot.mouseClick(
        pane.table.viewport(), Qt.MouseButton.LeftButton, pos=pane.table.visualRect(index).center()
    )


def test_an_edit_shows_at_the_top_with_each_fields_before_and_after(
    qtbot: QtBot, editable_case: Case, incident_id: uuid.UUID
) -> None:
    pane = _pane(qtbot, editable_case)
    pane.show_incident(incident_id)
    entries_before = pane.model.rowCount()

    editable_case.analyst = "Second Analyst"
    editable_case.incidents.update(
        incident_id, title="Clashes in Albukamal", tags=["flag incident", "night"]
    )
    pane.refresh()

    assert pane.model.rowCount() == entries_before + 1
    top = pane.model.index(0, WHO)
    assert top.data() == "Second Analyst"
    assert pane.model.index(0, WHAT).data().startswith("Incident edited (tags, title)")
    assert pane.table.currentIndex().row() == 0  # the newest change is shown
    assert _changes(pane) == {
        "Title": (INCIDENT_TITLE, "Clashes in Albukamal"),
        "Tags": ("flag incident", "flag incident, night"),
    }
    assert "Second Analyst" in pane.detail.text()


def test_the_creation_lists_what_the_incident_started_with(
    qtbot: QtBot, editable_case: Case, incident_id: uuid.UUID
) -> None:
    pane = _pane(qtbot, editable_case)
    pane.show_incident(incident_id)
    last = pane.model.rowCount() - 1

    _click_row(qtbot, pane, last)

    assert pane.model.index(last, WHAT).data() == f"Incident created: {INCIDENT_TITLE}"
    changes = _changes(pane)
    assert changes["Title"] == ("", INCIDENT_TITLE)
    assert changes["Actors"] == (
        "",
        "Kata'ib Hezbollah (actor 1)\nNational Defence Forces (actor 2)",
    )
    assert changes["Start"] == ("", "2019-06-07")
    assert pane.changes.isColumnHidden(BEFORE)
    assert not pane.changes.isColumnHidden(AFTER)


def test_notes_and_detaching_appear_in_the_incident_history(
    qtbot: QtBot, editable_case: Case, incident_id: uuid.UUID
) -> None:
    source = editable_case.sources.list(incident_id=incident_id)[0]
    note = editable_case.notes.add("first thought", incident_id=incident_id)
    editable_case.notes.update(note.id, "second thought")
    editable_case.incidents.detach(incident_id, [source.id])
    pane = _pane(qtbot, editable_case)
    pane.show_incident(incident_id)

    whats = [pane.model.index(row, WHAT).data() for row in range(3)]
    assert whats[0].startswith(f"Source {source.id} detached")
    assert whats[1:] == ["Note edited on the incident", "Note added on the incident"]
    _click_row(qtbot, pane, 1)
    assert _changes(pane) == {"Text": ("first thought", "second thought")}

    editable_case.notes.update(note.id, "third thought")
    pane.refresh()  # an older entry being read stays selected
    assert _changes(pane) == {"Text": ("first thought", "second thought")}
    assert pane.table.currentIndex().row() == 2


def test_a_source_history_and_nothing_selected(qtbot: QtBot, sample_case: Case) -> None:
    incident_id = sample_case.incidents.rows()[0].id
    source = sample_case.sources.list(incident_id=incident_id)[0]
    pane = _pane(qtbot, sample_case)

    pane.show_source(source.id)
    actions = {pane.model.item_at(row).action for row in range(pane.model.rowCount())}
    assert actions == {"import", "attach"}
    assert pane.heading.text() == "History of this source (2)"

    pane.show_source(None)
    assert pane.model.rowCount() == 0
    assert not pane.table.isVisible()


def test_a_hidden_pane_reads_when_shown(
    qtbot: QtBot, editable_case: Case, incident_id: uuid.UUID
) -> None:
    pane = _pane(qtbot, editable_case)
    pane.hide()
    pane.show_incident(incident_id)
    assert pane.model.rowCount() == 0

    pane.show()

    assert pane.model.rowCount() > 0


def test_the_models_are_sound(qtmodeltester: ModelTester, sample_case: Case) -> None:
    items = sample_case.notes.record_history(sample_case.incidents.rows()[0].id)
    model = HistoryModel()
    model.set_items(items)
    qtmodeltester.check(model)
    changes = FieldChangesModel()
    changes.set_item(items[0])
    assert changes.rowCount() > 0
    qtmodeltester.check(changes)
