"""The brief export dialog: scope, sections and marking chosen by hand, a PDF on a worker."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields
from exporters.brief import BriefOptions, BriefResult
from exporters.brief.options import Cancelled
from tests.ui.conftest import INCIDENT_TITLE
from ui.dialogs import export_brief
from ui.dialogs.export_brief import ExportBriefDialog
from ui.operations import Progress
from ui.settings import Settings

WAIT_MS = 60_000
HANDLING = "RESTRICTED - FOR PARTNER DISTRIBUTION"
SECOND_TITLE = "Mortar fire on the Hamdan airstrip"
GATE_TIMEOUT = 30


def _dialog(
    qtbot: QtBot,
    held: list[QWidget],
    case: Case,
    selected: list[uuid.UUID],
    filtered: list[uuid.UUID] | None = None,
) -> ExportBriefDialog:
    dialog = ExportBriefDialog(case, selected, filtered, "Test Analyst")
    qtbot.addWidget(dialog)
    held.append(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select what the field holds and type over it, as a person would."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def _text(pdf: Path) -> str:
    """The PDF's text without white space: long lines wrap."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(pdf).pages))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_export_writes_a_pdf_with_the_handling_line_and_remembers_it(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    incident = editable_case.incidents.rows(limit=1)[0].id
    dialog = _dialog(qtbot, held, editable_case, [incident])
    assert dialog.selected.isChecked()
    assert dialog.selected.text() == "The &selected incident (1)"
    assert not dialog.filtered.isEnabled()  # no filter is set
    assert dialog.everything.text() == "&All incidents in the case (1)"
    assert dialog.author_edit.text() == "Test Analyst"
    assert dialog.path_edit.text() == str(tmp_path / "Al Bukamal, June 2019 brief.pdf")
    assert not dialog.show_button.isVisible()

    _type(qtbot, dialog.handling_combo.lineEdit(), HANDLING)
    qtbot.mouseClick(dialog.section_boxes["notes"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.section_boxes["map"], Qt.MouseButton.LeftButton)
    target = tmp_path / "out" / "partner brief"
    target.parent.mkdir()
    monkeypatch.setattr(dialog, "_ask_path", lambda: target)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(target)

    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    pdf = target.with_name("partner brief.pdf")
    assert result.path == pdf
    assert result.incidents == 1
    assert [p.name for p in target.parent.iterdir()] == ["partner brief.pdf"]
    text = _text(pdf)
    assert _squeezed(HANDLING) in text
    assert _squeezed(INCIDENT_TITLE) in text
    assert dialog.message.text().startswith(f"Written to {pdf}: ")
    assert dialog.show_button.isVisible()
    opened: list[Path] = []
    monkeypatch.setattr(dialog, "_open_folder", opened.append)
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    assert opened == [target.parent]

    settings = Settings()
    assert settings.brief_handling == HANDLING
    assert settings.brief_author == ""  # the analyst: follows a change of name
    again = _dialog(qtbot, held, editable_case, [incident])
    assert again.handling_combo.currentText() == HANDLING
    assert again.section_boxes["notes"].isChecked()
    assert not again.section_boxes["map"].isChecked()
    assert again.path_edit.text() == str(tmp_path / "Al Bukamal, June 2019 brief.pdf")


def test_the_selected_scope_puts_only_that_incident_in_the_brief(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, held: list[QWidget]
) -> None:
    first = editable_case.incidents.rows(limit=1)[0].id
    second = editable_case.incidents.create(
        IncidentFields(title=SECOND_TITLE, start=date(2019, 6, 9), place="Hamdan")
    ).id
    dialog = _dialog(qtbot, held, editable_case, [second], filtered=[first, second])
    assert dialog.filtered.text() == "The incidents the &list shows (2)"
    assert dialog.everything.text() == "&All incidents in the case (2)"
    qtbot.mouseClick(dialog.everything, Qt.MouseButton.LeftButton)
    assert dialog.options().incident_ids == ()
    qtbot.mouseClick(dialog.selected, Qt.MouseButton.LeftButton)
    assert dialog.options().incident_ids == (second,)
    _type(qtbot, dialog.path_edit, str(tmp_path / "second.pdf"))

    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert done.args[0].incidents == 1
    text = _text(tmp_path / "second.pdf")
    assert _squeezed(SECOND_TITLE) in text
    assert _squeezed(INCIDENT_TITLE) not in text


def test_cancel_leaves_no_file(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    pressed = threading.Event()
    real_build = export_brief.build_brief

    def gated(
        case: Case, target: Path, options: BriefOptions, progress: Progress, cancelled: Cancelled
    ) -> BriefResult:
        def report(done: int, total: int, label: str) -> None:
            progress(done, total, label)
            # The first incident is being read; the rest waits for the Cancel button.
            assert pressed.wait(GATE_TIMEOUT), "Cancel was never pressed"

        return real_build(case, target, options, report, cancelled)

    monkeypatch.setattr(export_brief, "build_brief", gated)
    dialog = _dialog(qtbot, held, editable_case, [])
    assert dialog.everything.isChecked()  # nothing selected, no filter
    target = tmp_path / "cancelled.pdf"
    _type(qtbot, dialog.path_edit, str(target))
    exported: list[object] = []
    dialog.exported.connect(exported.append)

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    operation = dialog._running
    assert operation is not None
    assert not dialog.export_button.isEnabled()
    qtbot.waitUntil(operation.dialog.isVisible, timeout=WAIT_MS)
    with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
        qtbot.mouseClick(operation.dialog.cancel_button, Qt.MouseButton.LeftButton)
        pressed.set()

    assert dialog.message.text() == "Cancelled: no brief was written."
    assert exported == []
    assert list(tmp_path.glob("*.pdf")) == []
    assert not any(p.name.startswith(".cancelled.pdf.") for p in tmp_path.iterdir())
    assert dialog.export_button.isEnabled()
    assert not dialog.show_button.isVisible()


def test_a_folder_that_does_not_exist_is_shown_plainly(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, held: list[QWidget]
) -> None:
    dialog = _dialog(qtbot, held, editable_case, [])
    missing = tmp_path / "no such folder"
    _type(qtbot, dialog.path_edit, str(missing / "brief.pdf"))
    exported: list[object] = []
    dialog.exported.connect(exported.append)

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    operation = dialog._running
    assert operation is not None
    with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
        pass

    assert dialog.message.text() == (
        f"{missing / 'brief.pdf'}: the folder {missing} does not exist."
    )
    assert exported == []
    assert not missing.exists()
    assert dialog.export_button.isEnabled()
    assert not dialog.show_button.isVisible()


KEPT_NOTE = "Kept: the hospital count is the one to trust.\nSecond line of the kept note."
LEFT_OUT_NOTE = "Left out: a rumour of a second strike, not yet sourced."
OTHER_NOTE = "On the <b>airstrip</b>: the crater photos are from 2018."


def _note_rows(dialog: ExportBriefDialog) -> list[tuple[str, str, str, str, bool]]:
    """What the notes list shows: incident, first line, author, date, ticked."""
    rows = []
    for row in range(dialog.notes_list.topLevelItemCount()):
        item = dialog.notes_list.topLevelItem(row)
        assert item is not None
        ticked = item.checkState(0) == Qt.CheckState.Checked
        rows.append((item.text(0), item.text(1), item.text(2), item.text(3), ticked))
    return rows


def _untick(qtbot: QtBot, dialog: ExportBriefDialog, row: int) -> None:
    """Space on a focused row flips its tick, as at the keyboard."""
    item = dialog.notes_list.topLevelItem(row)
    assert item is not None
    assert item.checkState(0) == Qt.CheckState.Checked
    dialog.notes_list.setFocus()
    dialog.notes_list.setCurrentItem(item)
    qtbot.keyClick(dialog.notes_list, Qt.Key.Key_Space)
    assert item.checkState(0) == Qt.CheckState.Unchecked


def test_the_notes_list_follows_the_scope_and_keeps_what_was_unticked(
    qtbot: QtBot, editable_case: Case, held: list[QWidget]
) -> None:
    first = editable_case.incidents.rows(limit=1)[0].id
    kept = editable_case.notes.add(KEPT_NOTE, incident_id=first)
    left_out = editable_case.notes.add(LEFT_OUT_NOTE, incident_id=first)
    editable_case.notes.add("   \n", incident_id=first)  # blank: nothing to print or pick
    editable_case.notes.add("A note on the case, not on an incident.")
    second = editable_case.incidents.create(
        IncidentFields(title=SECOND_TITLE, start=date(2019, 6, 9), place="Hamdan")
    ).id
    other = editable_case.notes.add(OTHER_NOTE, incident_id=second)
    day = f"{kept.updated_at:%Y-%m-%d}"

    dialog = _dialog(qtbot, held, editable_case, [first])
    assert not dialog.section_boxes["notes"].isChecked()
    assert not dialog.notes_box.isVisible()
    assert dialog.options().note_ids is None
    qtbot.mouseClick(dialog.section_boxes["notes"], Qt.MouseButton.LeftButton)
    assert dialog.notes_box.isVisible()
    assert _note_rows(dialog) == [
        (INCIDENT_TITLE, KEPT_NOTE.splitlines()[0], "Test Analyst", day, True),
        (INCIDENT_TITLE, LEFT_OUT_NOTE, "Test Analyst", day, True),
    ]
    assert dialog.options().note_ids == frozenset({kept.id, left_out.id})

    _untick(qtbot, dialog, 1)
    assert dialog.options().note_ids == frozenset({kept.id})

    qtbot.mouseClick(dialog.everything, Qt.MouseButton.LeftButton)
    assert [(r[0], r[4]) for r in _note_rows(dialog)] == [
        (INCIDENT_TITLE, True),
        (INCIDENT_TITLE, False),
        (SECOND_TITLE, True),  # new to the list: ticked, as the others were at first
    ]
    assert dialog.options().note_ids == frozenset({kept.id, other.id})
    row = dialog.notes_list.topLevelItem(2)
    assert row is not None
    assert row.text(1) == OTHER_NOTE  # shown as typed, markup and all
    assert "&lt;b&gt;airstrip&lt;/b&gt;" in row.toolTip(1)
    qtbot.mouseClick(dialog.selected, Qt.MouseButton.LeftButton)
    assert [r[4] for r in _note_rows(dialog)] == [True, False]

    # An incident without notes says so instead of showing an empty list.
    editable_case.notes.delete(other.id)
    lonely = _dialog(qtbot, held, editable_case, [second])
    lonely.section_boxes["notes"].setChecked(True)
    assert lonely.notes_empty.isVisible()
    assert not lonely.notes_list.isVisible()
    assert lonely.options().note_ids == frozenset()


def test_an_unticked_note_is_left_out_of_the_pdf(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, held: list[QWidget]
) -> None:
    incident = editable_case.incidents.rows(limit=1)[0].id
    editable_case.notes.add(KEPT_NOTE, incident_id=incident)
    editable_case.notes.add(LEFT_OUT_NOTE, incident_id=incident)
    dialog = _dialog(qtbot, held, editable_case, [incident])
    qtbot.mouseClick(dialog.section_boxes["notes"], Qt.MouseButton.LeftButton)
    _untick(qtbot, dialog, 1)
    assert [r[4] for r in _note_rows(dialog)] == [True, False]
    _type(qtbot, dialog.path_edit, str(tmp_path / "notes.pdf"))

    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    text = _text(tmp_path / "notes.pdf")
    assert _squeezed(KEPT_NOTE) in text
    assert _squeezed(LEFT_OUT_NOTE) not in text
    assert _squeezed("Left out: a rumour") not in text  # not even its start
