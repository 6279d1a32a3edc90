"""Starting the desk: ``ui.app.run`` and ``main``, as ``evidence-desk gui`` calls them."""

from __future__ import annotations

import getpass
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase, QFontInfo, QTextLayout
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui import app
from ui.dialogs.analyst import AnalystDialog
from ui.main_window import MainWindow
from ui.settings import Settings


class Driver:
    """Acts on top-level widgets as they appear, once each, also inside modal loops
    (``exec``); quits the event loop after ``deadline_ms`` so a test cannot hang."""

    def __init__(self, deadline_ms: int = 10_000) -> None:
        self._handlers: list[tuple[type[QWidget], Callable[[Any], None]]] = []
        self._handled: list[QWidget] = []
        self._poll = QTimer()
        self._poll.setInterval(10)
        self._poll.timeout.connect(self._act)
        self._poll.start()
        self._deadline = QTimer()
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(QApplication.quit)
        self._deadline.start(deadline_ms)

    def on(self, kind: type[QWidget], handler: Callable[[Any], None]) -> None:
        self._handlers.append((kind, handler))

    def stop(self) -> None:
        self._poll.stop()
        self._deadline.stop()

    def _act(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible() or widget in self._handled:
                continue
            for kind, handler in self._handlers:
                if isinstance(widget, kind):
                    self._handled.append(widget)
                    handler(widget)
                    break


@pytest.fixture(autouse=True)
def _application_font(qapp: QApplication) -> Iterator[None]:
    """``run`` sets the application's font; later tests get the one they had."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)
    QFontDatabase.removeAllApplicationFonts()


@pytest.fixture
def driver(qapp: QApplication) -> Iterator[Driver]:
    driver = Driver()
    yield driver
    driver.stop()


@pytest.fixture
def messages(driver: Driver) -> list[str]:
    """The text of every message box shown; each is answered with its first button."""
    shown: list[str] = []

    def answer(box: QMessageBox) -> None:
        shown.append(box.text())
        box.buttons()[0].click()

    driver.on(QMessageBox, answer)
    return shown


@dataclass
class Seen:
    title: str
    status: str


@pytest.fixture
def windows(driver: Driver) -> list[Seen]:
    """The title and status text of each main window shown, once its case is open; each
    is then closed, which ends ``run``."""
    seen: list[Seen] = []

    def close(window: MainWindow) -> None:
        if window.is_opening():  # its first lines are showing: wait for the case
            QTimer.singleShot(10, lambda: close(window))
            return
        seen.append(Seen(window.windowTitle(), window.status_text()))
        window.close()

    driver.on(MainWindow, close)
    return seen


@pytest.fixture
def case_copy(sample_case_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "albukamal.evcase"
    shutil.copyfile(sample_case_file, copy)
    return copy


def test_run_opens_the_case_and_returns_when_the_window_closes(
    qapp: QApplication, sample_case_file: Path, windows: list[Seen]
) -> None:
    assert app.run(sample_case_file, analyst="Someone") == 0
    assert [seen.title for seen in windows] == ["Al Bukamal, June 2019 — albukamal.evcase"]
    assert windows[0].status.endswith("analyst: Someone")


def test_run_without_a_case_opens_the_demo_case(
    qapp: QApplication, desk_home: Path, windows: list[Seen]
) -> None:
    assert app.run(None) == 0
    assert (desk_home / "demo.evcase").is_file()
    assert len(windows) == 1
    assert windows[0].title.endswith("— demo.evcase")


def test_a_file_that_is_not_a_case_is_explained_in_a_dialog(
    qapp: QApplication, tmp_path: Path, messages: list[str], windows: list[Seen]
) -> None:
    bogus = tmp_path / "notes.evcase"
    bogus.write_text("not a database", encoding="utf-8")

    assert app.main([str(bogus)]) == 2
    assert messages == [f"{bogus}: this is not an Evidence Desk case file."]
    assert windows == []


def test_a_missing_case_is_explained_in_a_dialog(
    qapp: QApplication, tmp_path: Path, messages: list[str]
) -> None:
    assert app.run(tmp_path / "gone.evcase") == 2
    assert messages == [f"{tmp_path / 'gone.evcase'}: no such case file."]


def test_the_analyst_is_asked_once_and_remembered(
    qapp: QApplication,
    qtbot: QtBot,
    case_copy: Path,
    driver: Driver,
    windows: list[Seen],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EVIDENCE_DESK_ANALYST")
    offered: list[str] = []

    def answer(dialog: AnalystDialog) -> None:
        offered.append(dialog.name_edit.text())
        dialog.name_edit.clear()
        qtbot.keyClicks(dialog.name_edit, "Rana Haddad")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    driver.on(AnalystDialog, answer)

    assert app.run(case_copy) == 0
    assert offered == [getpass.getuser()]  # the login name is offered
    assert Settings().analyst == "Rana Haddad"
    assert windows[0].status.endswith("analyst: Rana Haddad")

    assert app.run(case_copy) == 0
    assert len(offered) == 1  # not asked again
    assert windows[1].status.endswith("analyst: Rana Haddad")


def test_the_analyst_option_wins_without_asking(
    qapp: QApplication,
    case_copy: Path,
    driver: Driver,
    windows: list[Seen],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EVIDENCE_DESK_ANALYST")
    Settings().analyst = "Saved Name"
    asked: list[AnalystDialog] = []
    driver.on(AnalystDialog, lambda dialog: (asked.append(dialog), dialog.reject()))

    assert app.main([str(case_copy), "--analyst", "Given Name"]) == 0
    assert asked == []
    assert windows[0].status.endswith("analyst: Given Name")
    assert Settings().analyst == "Saved Name"  # an override for this run only


def test_shipped_fonts_render_arabic(
    qapp: QApplication, case_copy: Path, windows: list[Seen]
) -> None:
    assert app.run(case_copy, analyst="Someone") == 0

    families = set(QFontDatabase.families())
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic"} <= families
    assert QApplication.font().families()[:3] == list(app.UI_FAMILIES)
    assert QFontInfo(QLabel("Albukamal").font()).family() == "Noto Sans"
    # Arabic and Persian letters come from the first Arabic family, whatever the
    # machine has (this one's DejaVu Sans has Arabic too).
    for word in ("البوكمال", "گزارش"):
        layout = QTextLayout(word, QApplication.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        assert {run.rawFont().familyName() for run in layout.glyphRuns()} == {"Noto Sans Arabic"}


def test_the_crash_handler_is_installed_while_the_desk_runs(
    qapp: QApplication, case_copy: Path, driver: Driver
) -> None:
    hooks: list[object] = []

    def note_hooks(window: MainWindow) -> None:
        hooks.extend([sys.excepthook, threading.excepthook])
        window.close()

    driver.on(MainWindow, note_hooks)
    before = (sys.excepthook, threading.excepthook)

    assert app.run(case_copy, analyst="Someone") == 0
    assert len(hooks) == 2
    assert hooks[0] is not before[0]
    assert hooks[1] is not before[1]
    assert getattr(hooks[0], "__self__", None).__class__.__name__ == "CrashReporter"
    assert (sys.excepthook, threading.excepthook) == before  # put back afterwards
