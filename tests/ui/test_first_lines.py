"""Opening a case onto its first lines: they show before the case layer has loaded, the
case opens behind them, and what cannot be opened is explained."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget, QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from desk.first_page import read_first_page
from tests.ui.conftest import BIG_CASE_INCIDENTS, Albukamal
from ui.main_window import MainWindow
from ui.models.incident_lines import DATE, PAGE_SIZE, TITLE


def _opening(qtbot: QtBot, path: Path) -> MainWindow:
    first = read_first_page(path, PAGE_SIZE)
    assert first is not None
    window = MainWindow(analyst="Test Analyst", opening=(path, first))
    qtbot.addWidget(window)
    return window


def _lines(table: QTableView, rows: int) -> list[tuple[str, str]]:
    model = table.model()
    return [(model.index(r, DATE).data(), model.index(r, TITLE).data()) for r in range(rows)]


def test_the_first_lines_show_at_once_and_the_case_opens_behind_them(
    qtbot: QtBot, big_case_file: Path
) -> None:
    window = _opening(qtbot, big_case_file)

    first_lines = window.findChild(QTableView, "first-lines")
    assert window.is_opening()
    assert window.case is None
    assert first_lines.model().rowCount() == min(PAGE_SIZE, BIG_CASE_INCIDENTS)
    assert window.windowTitle() == "A thousand incidents — big.evcase"
    assert window.status_text() == f"{BIG_CASE_INCIDENTS:,} incidents · opening…"
    shown_first = _lines(first_lines, 5)
    assert shown_first[0] == ("2020-01-01", f"Incident {BIG_CASE_INCIDENTS - 1:04d}")

    window.resize(1000, 700)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: window.case is not None)

    assert not window.is_opening()
    assert window.case.path == big_case_file
    # The panes fit the window it was (they used to stretch it past the screen's edge).
    assert window.size().toTuple() == (1000, 700)
    # The same lines, now in the live list, which pages on as it scrolls.
    assert _lines(window.incident_list.table, 5) == shown_first
    assert window.status_text().startswith(f"{BIG_CASE_INCIDENTS:,} incidents · ")
    qtbot.waitUntil(lambda: window.findChild(QTableView, "first-lines") is None)


def test_a_window_closed_on_its_first_lines_never_opens_the_case(
    qtbot: QtBot, big_case_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "closed-early.evcase"
    path.write_bytes(big_case_file.read_bytes())
    window = _opening(qtbot, path)
    with qtbot.waitExposed(window):
        window.show()
    window.close()
    qtbot.wait(200)  # past the first paint and the hidden window's start

    assert window.case is None
    assert not window.is_opening()
    assert window.findChild(QDockWidget) is None  # no pane was ever made


def test_a_case_that_reads_but_will_not_open_is_explained_and_the_start_page_shown(
    qtbot: QtBot, sample_case_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = tmp_path / "newer.evcase"
    newer.write_bytes(sample_case_file.read_bytes())
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from-the-future'")
    explained: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: explained.append(box.text()) or QMessageBox.StandardButton.Ok,
    )
    window = _opening(qtbot, newer)
    assert window.findChild(QTableView, "first-lines").model().rowCount() == 1

    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: not window.is_opening())

    assert window.case is None
    assert window.windowTitle() == "Evidence Desk"
    assert len(explained) == 1
    assert "newer version of Evidence Desk" in explained[0]


def test_a_window_closed_as_soon_as_its_case_opened_keeps_its_docks(
    qtbot: QtBot, albukamal: Albukamal
) -> None:
    """The panes are docked in a window already on screen; closed at once, it saves
    its layout, and the next start shows the docks again, each tab read only when it
    comes to the front."""
    case, _incident = albukamal  # with claims in conflict
    path = case.path
    case.close()
    first = _opening(qtbot, path)
    with qtbot.waitExposed(first):
        first.show()
    qtbot.waitUntil(lambda: first.case is not None)
    first.close()  # at once: the layout is saved as the docks were just made

    window = _opening(qtbot, path)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: window.case is not None)
    incident = window.findChild(QDockWidget, "dock-incident")
    qtbot.waitUntil(lambda: not incident.visibleRegion().isEmpty())  # laid out, in front
    board = window.view.conflicts
    assert board.conflicts.model().rowCount() == 0  # behind its tab: not read

    window.findChild(QDockWidget, "dock-conflicts").raise_()
    qtbot.waitUntil(lambda: board.conflicts.model().rowCount() == 6)
    assert incident.visibleRegion().isEmpty()
