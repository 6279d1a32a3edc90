"""The verify dialog: a check on a worker, a readable outcome, a report saved whole."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk.case import Case
from ui.dialogs.verify_case import VerifyCaseDialog

WAIT_MS = 30_000
FIELD_NOTE = "field-note-2019-06-10.txt"


def _verified(qtbot: QtBot, held: list[QWidget], case: Case) -> VerifyCaseDialog:
    dialog = VerifyCaseDialog(case)
    qtbot.addWidget(dialog)
    held.append(dialog)
    with qtbot.waitSignal(dialog.verified, timeout=WAIT_MS):
        dialog.show()
    return dialog


@pytest.fixture
def altered(sample_case_file: Path, tmp_path: Path) -> Iterator[tuple[Case, str, str]]:
    """A copy of the sample case whose field note's bytes were changed with sqlite3,
    behind the application's back; with the source's title and SHA-256."""
    path = tmp_path / "altered.evcase"
    path.write_bytes(sample_case_file.read_bytes())
    with sqlite3.connect(path) as raw:
        title, sha256 = raw.execute(
            "SELECT title, blob_sha256 FROM source WHERE original_filename = ?", (FIELD_NOTE,)
        ).fetchone()
        raw.execute(
            "UPDATE blob SET data = substr(data, 1, 10) || x'00' || substr(data, 12) "
            "WHERE sha256 = ?",
            (sha256,),
        )
    raw.close()
    with Case.open(path) as case:
        yield case, title, sha256


def test_a_clean_case_is_all_well_and_the_report_is_saved(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    dialog = _verified(qtbot, held, editable_case)
    assert dialog.headline_label.text() == "All is well: nothing was found wrong with this case."
    checked = dialog.checked_label.text()
    assert "the SHA-256 of 7 originals (held by 7 sources)" in checked
    assert "the history chain of " in checked
    assert not dialog.problems_list.isVisible()
    assert not dialog.advice_label.isVisible()
    assert dialog.save_button.isEnabled()

    target = tmp_path / "reports" / "check.txt"
    target.parent.mkdir()
    monkeypatch.setattr(dialog, "_ask_report_path", lambda: target)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == f"Report saved to {target}."
    saved = target.read_text(encoding="utf-8")
    assert saved == dialog.text()
    assert str(editable_case.path) in saved
    assert "All is well" in saved
    assert "- the SHA-256 of 7 originals (held by 7 sources)" in saved
    assert [p.name for p in target.parent.iterdir()] == ["check.txt"]  # no temporary left


def test_an_original_altered_behind_the_desks_back_is_named(
    qtbot: QtBot, altered: tuple[Case, str, str], tmp_path: Path, held: list[QWidget]
) -> None:
    case, title, sha256 = altered
    dialog = _verified(qtbot, held, case)
    assert dialog.headline_label.text() == "1 problem found in this case."
    assert dialog.problems_list.isVisible()
    assert dialog.advice_label.isVisible()
    assert dialog.problems_list.count() == 1
    problem = dialog.problems_list.item(0).text()
    assert problem.startswith(f"Original {sha256[:12]}… ({title}) was altered")
    assert f"({title}) was altered" in dialog.text()


def test_a_report_that_cannot_be_written_says_why(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    dialog = _verified(qtbot, held, editable_case)
    missing = tmp_path / "no such folder"
    monkeypatch.setattr(dialog, "_ask_report_path", lambda: missing / "check.txt")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith(f"{missing / 'check.txt'}: cannot write in {missing}")
    assert not missing.exists()
