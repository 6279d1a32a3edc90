"""Editing incidents as an analyst does: typing, choosing, undoing, creating, deleting,
linking; each test checks the window and what the case file then holds."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields
from tests.ui.conftest import INCIDENT_TITLE, SAMPLE_FILES
from ui.dialogs.link_incident import LinkIncidentDialog
from ui.models.incident_lines import TITLE
from ui.models.incidents import PAGE_SIZE, IncidentTableModel
from ui.panes.incident_editor import SAVE_DELAY_MS, IncidentEditorPane
from ui.panes.incident_list import IncidentListPane

# Long enough for the pause before saving, with room for a slow machine.
SAVED_WITHIN_MS = SAVE_DELAY_MS + 3000


@dataclass
class Desk:
    """The list and the editor, wired as the main window wires them."""

    case: Case
    stack: QUndoStack
    model: IncidentTableModel
    incidents: IncidentListPane
    editor: IncidentEditorPane
    window: QWidget

    def title_in_list(self, incident_id: uuid.UUID) -> str:
        row = self.model.row_of(incident_id)
        assert row is not None, "the incident is not in the list"
        return str(self.model.data(self.model.index(row, TITLE)))

    def titles_in_list(self) -> set[str]:
        return {self.model.incident_at(r).title for r in range(self.model.rowCount())}


def open_desk(qtbot: QtBot, case: Case) -> Desk:
    stack = QUndoStack()
    model = IncidentTableModel(case)
    incidents = IncidentListPane(model)
    editor = IncidentEditorPane(case, stack)
    incidents.incident_selected.connect(editor.show_incident)
    editor.incident_changed.connect(incidents.refresh_incident)
    editor.incident_created.connect(incidents.select_incident)
    editor.incident_deleted.connect(incidents.remove_incident)
    editor.open_incident.connect(incidents.select_incident)
    window = QSplitter(Qt.Orientation.Vertical)
    window.addWidget(incidents)
    window.addWidget(editor)
    window.addActions([editor.new_action, editor.delete_action])
    window.resize(700, 1000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    model.setParent(window)
    stack.setParent(window)
    incidents.select_row(0)
    return Desk(case, stack, model, incidents, editor, window)


@pytest.fixture
def desk(qtbot: QtBot, editable_case: Case) -> Desk:
    return open_desk(qtbot, editable_case)


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make the window active, for focus and shortcuts (the offscreen platform does
    not give it back when a dialog closes)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def sample_id(case: Case) -> uuid.UUID:
    return next(r.id for r in case.incidents.rows() if r.title == INCIDENT_TITLE)


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Arabic too (QTest's key clicks know only ASCII)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def replace_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an item as a mouse user does: open the combo, click the item."""
    row = combo.findText(text)
    assert row >= 0, f"{text!r} is not offered"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = view.model().index(row, combo.modelColumn())
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentText() == text


def leave_field(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def when_a_dialog_opens(qtbot: QtBot, act: Callable[[QWidget], None]) -> None:
    """Run ``act`` on the next modal dialog, once it is shown."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, check)
            return
        act(dialog)

    QTimer.singleShot(0, check)


def confirm_delete(box: QWidget) -> None:
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("Delete the incident “")
    button = box.button(QMessageBox.StandardButton.Yes)
    assert button.text() == "Delete"
    button.click()


# -- fields -------------------------------------------------------------------


def test_a_typed_title_is_saved_after_a_pause_and_undo_restores_it(
    qtbot: QtBot, desk: Desk
) -> None:
    incident = sample_id(desk.case)
    replace_text(qtbot, desk.editor.title_edit, "Flag clash in Albukamal")
    assert desk.case.incidents.get(incident).title == INCIDENT_TITLE  # not on every key

    qtbot.waitUntil(
        lambda: desk.case.incidents.get(incident).title == "Flag clash in Albukamal",
        timeout=SAVED_WITHIN_MS,
    )
    assert desk.title_in_list(incident) == "Flag clash in Albukamal"
    assert desk.incidents.selected_incident() == incident
    assert desk.stack.count() == 1  # one save, one step to undo
    assert desk.editor.fact("Last change").endswith("revision 2")

    desk.stack.undo()

    assert desk.case.incidents.get(incident).title == INCIDENT_TITLE
    assert desk.editor.title_edit.text() == INCIDENT_TITLE
    assert desk.title_in_list(incident) == INCIDENT_TITLE
    assert desk.incidents.selected_incident() == incident

    desk.stack.redo()
    assert desk.case.incidents.get(incident).title == "Flag clash in Albukamal"
    assert desk.editor.title_edit.text() == "Flag clash in Albukamal"


def test_ctrl_z_in_the_window_undoes_a_choice(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    undo = desk.stack.createUndoAction(desk.window)
    undo.setShortcut("Ctrl+Z")
    desk.window.addAction(undo)
    choose(qtbot, desk.editor.status_combo, "confirmed")
    assert desk.case.incidents.get(incident).fields.status == "confirmed"  # at once

    desk.incidents.table.setFocus()
    qtbot.keyClick(desk.incidents.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert desk.case.incidents.get(incident).fields.status == "under review"
    assert desk.editor.status_combo.currentText() == "under review"
    assert desk.model.incident_at(0).status == "under review"


def test_an_empty_title_is_explained_and_not_saved(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    replace_text(qtbot, desk.editor.title_edit, " ")
    leave_field(qtbot, desk.editor.title_edit)

    assert desk.editor.problem("title") == "An incident needs a title."
    assert desk.case.incidents.get(incident).title == INCIDENT_TITLE

    qtbot.keyClicks(desk.editor.title_edit, "Clashes")
    desk.editor.flush()
    assert desk.editor.problem("title") == ""
    assert desk.case.incidents.get(incident).title == "Clashes"


def test_an_end_before_the_start_is_explained_and_not_saved(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    end = desk.editor.end_edit.date_edit
    assert end.value() is None

    end.setFocus()
    qtbot.keyClicks(end, "20190601")  # the incident starts on 2019-06-07
    qtbot.keyClick(end, Qt.Key.Key_Return)

    assert desk.editor.problem("dates") == "The incident's end is before its start."
    assert desk.editor.end_edit.value() == (date(2019, 6, 1), "day")  # what was typed stays
    assert desk.case.incidents.get(incident).fields.end is None
    assert desk.stack.count() == 0

    end.setFocus()
    qtbot.keyClicks(end, "20190609")
    qtbot.keyClick(end, Qt.Key.Key_Return)
    assert desk.editor.problem("dates") == ""
    assert desk.case.incidents.get(incident).fields.end == date(2019, 6, 9)


def test_a_latitude_out_of_range_is_explained_and_not_saved(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    replace_text(qtbot, desk.editor.latitude_edit, "95")
    leave_field(qtbot, desk.editor.latitude_edit)

    assert desk.editor.problem("coordinates") == "Latitude 95.0 is out of range (-90 to 90)."
    assert desk.case.incidents.get(incident).fields.latitude == 34.4536

    replace_text(qtbot, desk.editor.latitude_edit, "north")
    leave_field(qtbot, desk.editor.latitude_edit)
    assert desk.editor.problem("coordinates") == "Latitude must be a number, such as 34.4536."

    replace_text(qtbot, desk.editor.latitude_edit, "34.45")
    leave_field(qtbot, desk.editor.latitude_edit)
    assert desk.editor.problem("coordinates") == ""
    assert desk.case.incidents.get(incident).fields.latitude == 34.45


def test_a_refused_field_does_not_hold_back_the_others(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    replace_text(qtbot, desk.editor.longitude_edit, "200")
    replace_text(qtbot, desk.editor.title_edit, "Clashes at night")
    desk.editor.flush()

    got = desk.case.incidents.get(incident).fields
    assert got.title == "Clashes at night"
    assert got.longitude == 40.9367
    assert desk.editor.longitude_edit.text() == "200"  # kept, to be put right
    assert "Longitude 200.0 is out of range" in desk.editor.problem("coordinates")


def test_the_place_completer_offers_arabic_spellings_of_the_same_place(
    qtbot: QtBot, desk: Desk
) -> None:
    incident = sample_id(desk.case)
    place_before = desk.case.incidents.get(incident).place_id
    place = desk.editor.place_edit
    place.setFocus()
    place.clear()

    type_text(place, "البو")

    completer = place.completer()
    qtbot.waitUntil(completer.popup().isVisible)
    offered = completer.completionModel()
    assert [offered.index(r, 0).data() for r in range(offered.rowCount())] == ["البوكمال"]
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)

    assert place.text() == "البوكمال"
    assert desk.case.incidents.get(incident).place_id == place_before
    assert desk.stack.count() == 0  # the same place: nothing to undo
    leave_field(qtbot, place)
    assert place.text() == "Albukamal"  # shown by its name once left
    assert "البوكمال" in desk.editor.place_info.text()


def test_a_new_place_name_is_a_new_place(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    place_before = desk.case.incidents.get(incident).place_id
    replace_text(qtbot, desk.editor.place_edit, "Hajin")
    assert desk.case.incidents.get(incident).place_id == place_before  # not while typing

    qtbot.keyClick(desk.editor.place_edit, Qt.Key.Key_Return)

    view = desk.case.incidents.get(incident)
    assert view.fields.place == "Hajin"
    assert view.place_id != place_before
    assert desk.model.incident_at(0).place == "Hajin"


def test_choosing_an_event_type_offers_its_sub_types(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    subs = desk.editor.sub_event_type_combo
    assert subs.currentText() == "Armed clash"

    choose(qtbot, desk.editor.event_type_combo, "Protests")

    assert [subs.itemText(i) for i in range(subs.count())] == [
        "(none)",
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ]
    got = desk.case.incidents.get(incident).fields
    assert (got.event_type, got.sub_event_type) == ("Protests", None)
    assert desk.model.incident_at(0).event_type == "Protests"

    choose(qtbot, subs, "Peaceful protest")
    assert desk.case.incidents.get(incident).fields.sub_event_type == "Peaceful protest"

    desk.stack.undo()
    desk.stack.undo()
    assert desk.editor.event_type_combo.currentText() == "Battles"
    assert subs.currentText() == "Armed clash"


def test_an_actor_added_with_a_role_is_saved(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    actors = desk.editor.actors
    assert [row.value() for row in actors.rows] == [
        ("Kata'ib Hezbollah", "actor1"),
        ("National Defence Forces", "actor2"),
    ]

    qtbot.mouseClick(actors.add_button, Qt.MouseButton.LeftButton)
    row = actors.rows[-1]
    assert row.name.hasFocus()
    qtbot.keyClicks(row.name, "Syrian Arab Army")
    choose(qtbot, row.role, "target")

    assert ("Syrian Arab Army", "target") in desk.case.incidents.get(incident).fields.actors

    qtbot.mouseClick(actors.rows[0].remove, Qt.MouseButton.LeftButton)
    assert set(desk.case.incidents.get(incident).fields.actors) == {
        ("National Defence Forces", "actor2"),
        ("Syrian Arab Army", "target"),
    }
    desk.stack.undo()
    assert len(actors.rows) == 3


def test_tags_are_completed_and_saved(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    tags = desk.editor.tags_edit
    tags.setFocus()
    tags.end(False)
    qtbot.keyClicks(tags, ", night, fla")

    completer = tags.completer()
    qtbot.waitUntil(completer.popup().isVisible)
    assert completer.completionModel().index(0, 0).data() == "flag incident"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    leave_field(qtbot, tags)

    assert desk.case.incidents.get(incident).fields.tags == ("flag incident", "night")
    assert desk.case.incidents.tags() == ["flag incident", "night"]
    assert "night" in tags.completer().model().stringList()  # offered from now on


def test_a_week_date_shows_its_iso_week(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    choose(qtbot, desk.editor.start_edit.precision, "week")

    got = desk.case.incidents.get(incident).fields
    assert (got.start, got.start_precision) == (date(2019, 6, 3), "week")  # its Monday
    assert desk.editor.start_edit.week.text().startswith("ISO week 2019-W23")
    assert desk.model.incident_at(0).date_text == "2019-W23"


def test_switching_incidents_saves_a_pending_edit(qtbot: QtBot, desk: Desk) -> None:
    first = sample_id(desk.case)
    second = desk.case.incidents.create(IncidentFields(title="Second incident")).id
    desk.incidents.select_incident(second)
    desk.incidents.select_incident(first)

    qtbot.keyClick(desk.editor.title_edit, Qt.Key.Key_End)
    qtbot.keyClicks(desk.editor.title_edit, " (revised)")
    desk.editor.summary_edit.setFocus()
    desk.editor.summary_edit.selectAll()
    qtbot.keyClicks(desk.editor.summary_edit, "Rewritten.")
    desk.incidents.select_incident(second)  # well before the pause is over

    got = desk.case.incidents.get(first).fields
    assert (got.title, got.summary) == (f"{INCIDENT_TITLE} (revised)", "Rewritten.")
    assert desk.editor.incident is not None
    assert desk.editor.incident.id == second
    assert desk.editor.title_edit.text() == "Second incident"
    assert desk.stack.count() == 1


def test_flush_saves_what_is_being_typed(qtbot: QtBot, desk: Desk) -> None:
    incident = sample_id(desk.case)
    qtbot.keyClick(desk.editor.title_edit, Qt.Key.Key_End)
    qtbot.keyClicks(desk.editor.title_edit, "!")

    desk.editor.flush()  # as the main window does before it closes

    assert desk.case.incidents.get(incident).title == f"{INCIDENT_TITLE}!"


# -- new, delete --------------------------------------------------------------


def test_a_new_incident_appears_selected_with_its_title_ready_to_type(
    qtbot: QtBot, desk: Desk
) -> None:
    qtbot.keyClick(desk.incidents.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert desk.case.incidents.count() == 2
    new = desk.incidents.selected_incident()
    assert new is not None
    assert new != sample_id(desk.case)
    assert desk.title_in_list(new) == "New incident"
    assert desk.editor.title_edit.hasFocus()
    qtbot.keyClicks(desk.editor.title_edit, "Shelling of the market")
    desk.editor.flush()
    assert desk.case.incidents.get(new).title == "Shelling of the market"
    assert desk.title_in_list(new) == "Shelling of the market"

    desk.stack.undo()  # the title
    desk.stack.undo()  # the incident
    assert desk.case.incidents.count() == 1
    assert desk.model.rowCount() == 1
    assert desk.incidents.selected_incident() == sample_id(desk.case)
    desk.stack.redo()
    desk.stack.redo()
    assert desk.case.incidents.get(new).title == "Shelling of the market"


def test_delete_asks_then_removes_and_undo_brings_it_back_with_its_sources(
    qtbot: QtBot, editable_case: Case
) -> None:
    later = editable_case.incidents.create(
        IncidentFields(title="Funeral procession", start=date(2019, 6, 9))
    )
    desk = open_desk(qtbot, editable_case)
    incident = sample_id(desk.case)
    assert desk.incidents.selected_incident() == incident

    when_a_dialog_opens(qtbot, lambda box: box.reject())
    desk.editor.delete_action.trigger()
    assert desk.case.incidents.count() == 2  # cancelled
    activate(qtbot, desk.window)

    when_a_dialog_opens(qtbot, confirm_delete)
    qtbot.keyClick(desk.incidents.table, Qt.Key.Key_Delete)

    assert desk.case.incidents.count() == 1
    assert desk.titles_in_list() == {"Funeral procession"}
    assert desk.incidents.selected_incident() == later.id  # the next row
    assert desk.editor.incident is not None
    assert desk.editor.incident.id == later.id

    desk.stack.undo()

    restored = desk.case.incidents.get(incident)
    assert restored.title == INCIDENT_TITLE
    assert len(restored.source_ids) == len(SAMPLE_FILES)
    assert desk.titles_in_list() == {INCIDENT_TITLE, "Funeral procession"}
    assert desk.incidents.selected_incident() == incident


@pytest.fixture
def editable_big_case(big_case_file: Path, tmp_path: Path) -> Iterator[Case]:
    """A private copy of the shared case of a thousand incidents."""
    copy = tmp_path / "big-copy.evcase"
    shutil.copyfile(big_case_file, copy)
    with Case.open(copy) as case:
        yield case


def test_new_and_delete_keep_a_big_list_paged(qtbot: QtBot, editable_big_case: Case) -> None:
    desk = open_desk(qtbot, editable_big_case)
    third = desk.model.incident_at(2).id
    desk.incidents.select_row(1)

    desk.editor.create_incident()

    new = desk.incidents.selected_incident()
    assert new is not None
    assert desk.model.incident_at(0).id == new  # pinned at the top, not fetched for
    assert desk.model.rowCount() == PAGE_SIZE + 1
    assert desk.model.total == 1001

    desk.incidents.select_row(2)
    when_a_dialog_opens(qtbot, confirm_delete)
    desk.editor.delete_action.trigger()
    assert desk.incidents.selected_incident() == third
    assert desk.model.rowCount() == PAGE_SIZE

    while desk.model.canFetchMore(QModelIndex()):
        desk.model.fetchMore(QModelIndex())
    ids = [desk.model.incident_at(r).id for r in range(desk.model.rowCount())]
    assert len(ids) == len(set(ids)) == 1000  # no row twice, none skipped


# -- links --------------------------------------------------------------------


def test_linking_two_incidents_and_undoing_it(qtbot: QtBot, editable_case: Case) -> None:
    other = editable_case.incidents.create(
        IncidentFields(title="Flag pulled down in the main square", start=date(2019, 6, 7))
    )
    desk = open_desk(qtbot, editable_case)
    incident = sample_id(desk.case)
    desk.incidents.select_incident(incident)

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, LinkIncidentDialog)
        qtbot.keyClicks(dialog.search, "flag pulled")
        qtbot.waitUntil(lambda: dialog.results.count() == 1)
        choose(qtbot, dialog.kind, "part of")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    when_a_dialog_opens(qtbot, pick)
    qtbot.mouseClick(desk.editor.add_link_button, Qt.MouseButton.LeftButton)

    assert desk.case.incidents.get(incident).links == (
        ("part of", other.id, "Flag pulled down in the main square"),
    )
    [link] = desk.editor.links
    assert link.relation.text() == "part of"
    assert link.title.text() == "Flag pulled down in the main square"

    with qtbot.waitSignal(desk.editor.open_incident) as opened:
        qtbot.mouseClick(link.title, Qt.MouseButton.LeftButton)
    assert opened.args == [other.id]
    assert desk.incidents.selected_incident() == other.id
    [back] = desk.editor.links
    assert (back.relation.text(), back.title.text()) == ("has part", INCIDENT_TITLE)

    desk.stack.undo()

    assert desk.case.incidents.get(incident).links == ()
    assert desk.editor.links == []

    desk.stack.redo()
    [back] = desk.editor.links
    qtbot.mouseClick(back.remove, Qt.MouseButton.LeftButton)
    assert desk.case.incidents.get(incident).links == ()
    desk.stack.undo()
    assert len(desk.case.incidents.get(incident).links) == 1


def test_the_link_dialog_finds_incidents_by_title(qtbot: QtBot, editable_case: Case) -> None:
    for title in ("Market shelling", "Market fire", "Checkpoint arrests"):
        editable_case.incidents.create(IncidentFields(title=title))
    incident = sample_id(editable_case)
    dialog = LinkIncidentDialog(editable_case, incident, INCIDENT_TITLE)
    qtbot.addWidget(dialog)
    assert dialog.results.count() == 3  # everything but the incident itself

    qtbot.keyClicks(dialog.search, "market")

    qtbot.waitUntil(lambda: dialog.results.count() == 2)
    choice = dialog.choice()
    assert choice is not None
    assert editable_case.incidents.get(choice[0]).title == "Market fire"
    assert choice[1] == "related"
