"""Starting the desk: ``ui.app.run`` and ``main``, as ``evidence-desk gui`` calls them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui import app
from ui.main_window import MainWindow


def _close_window_soon(seen: list[str]) -> None:
    """Once the event loop runs: note the main window's title and close it; quit
    anyway after a while so that a window that fails to appear cannot hang the test."""

    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.close()

    QTimer.singleShot(0, close)
    QTimer.singleShot(10_000, QApplication.quit)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages that ``QMessageBox.critical`` would have shown."""
    shown: list[str] = []

    def critical(_parent: QWidget | None, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return shown


def test_run_opens_the_case_and_returns_when_the_window_closes(
    qapp: QApplication, sample_case_file: Path
) -> None:
    seen: list[str] = []
    _close_window_soon(seen)

    assert app.run(sample_case_file, analyst="Someone") == 0
    assert seen == ["Al Bukamal, June 2019 — albukamal.evcase"]


def test_run_without_a_case_opens_the_demo_case(qapp: QApplication, desk_home: Path) -> None:
    seen: list[str] = []
    _close_window_soon(seen)

    assert app.run(None) == 0
    assert (desk_home / "demo.evcase").is_file()
    assert len(seen) == 1
    assert seen[0].endswith("— demo.evcase")


def test_a_file_that_is_not_a_case_is_explained_in_a_dialog(
    qapp: QApplication, tmp_path: Path, dialogs: list[str]
) -> None:
    bogus = tmp_path / "notes.evcase"
    bogus.write_text("not a database", encoding="utf-8")

    assert app.main([str(bogus)]) == 2
    assert dialogs == [f"{bogus}: this is not an Evidence Desk case file."]


def test_a_missing_case_is_explained_in_a_dialog(
    qapp: QApplication, tmp_path: Path, dialogs: list[str]
) -> None:
    assert app.run(tmp_path / "gone.evcase") == 2
    assert dialogs == [f"{tmp_path / 'gone.evcase'}: no such case file."]
