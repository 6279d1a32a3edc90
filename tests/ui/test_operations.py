"""Long work on a worker thread: the window keeps turning, progress arrives, cancel
stops between files, DeskErrors reach the failure callback and bugs are not swallowed."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.errors import DeskError
from desk.services.sources import ImportOutcome
from ui.operations import CancelFlag, Operation, Progress, active_operations

FILES = 30
# Generous: only a broken operation waits this long.
GATE_TIMEOUT = 10


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _incident(case: Case) -> uuid.UUID:
    return case.incidents.rows(limit=1)[0].id


def _reports(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(count):
        path = folder / f"report-{number:02d}.txt"
        path.write_text(
            f"Report {number}: shelling hit the market in the evening; "
            f"{number + 2} people were wounded according to the local council.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_the_event_loop_keeps_turning_during_a_long_import(
    qtbot: QtBot, parent: QWidget, editable_case: Case, tmp_path: Path
) -> None:
    files = _reports(tmp_path / "many", FILES)
    incident = _incident(editable_case)
    before = editable_case.sources.count()
    ticks = 0
    started = threading.Event()
    main_thread = threading.current_thread()
    worker_threads: set[threading.Thread] = set()

    def tick() -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 5:
            started.set()  # the import may begin only once the GUI has turned

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()

    def work(progress: Progress, cancelled: CancelFlag) -> list[ImportOutcome]:
        worker_threads.add(threading.current_thread())
        assert started.wait(GATE_TIMEOUT), "the GUI thread did not turn while the work waited"
        return editable_case.sources.import_files(files, incident, progress, cancelled)

    results: list[list[ImportOutcome]] = []
    progress_seen: list[tuple[int, int, str]] = []
    operation = Operation(parent, "Importing files", work).on_success(results.append)
    operation.progressed.connect(lambda d, t, n: progress_seen.append((d, t, n)))
    with qtbot.waitSignal(operation.finished, timeout=60_000):
        operation.run()
        assert operation.running  # run() returned while the work goes on
        ticks_at_start = ticks
    timer.stop()

    assert ticks - ticks_at_start >= 5
    assert main_thread not in worker_threads
    assert len(results) == 1
    assert len(results[0]) == FILES
    assert all(outcome.created for outcome in results[0])
    assert (0, FILES, "report-00.txt") in progress_seen
    assert progress_seen[-1] == (FILES, FILES, "")
    assert editable_case.sources.count() == before + FILES
    assert not active_operations()


def test_cancel_stops_before_the_remaining_files(
    qtbot: QtBot, parent: QWidget, editable_case: Case, tmp_path: Path
) -> None:
    files = _reports(tmp_path / "many", 12)
    incident = _incident(editable_case)
    before = editable_case.sources.count()
    pressed = threading.Event()

    def work(progress: Progress, cancelled: CancelFlag) -> list[ImportOutcome]:
        def report(done: int, total: int, name: str) -> None:
            progress(done, total, name)
            if done == 2:  # two files are in, the third begins once Cancel was pressed
                assert pressed.wait(GATE_TIMEOUT), "Cancel was never pressed"

        return editable_case.sources.import_files(files, incident, report, cancelled)

    results: list[list[ImportOutcome]] = []
    operation = Operation(parent, "Importing files", work, show_after_ms=0)
    operation.on_success(results.append).run()
    dialog = operation.dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.bar.value() == 2)
    assert dialog.label.text() == "3 of 12: report-02.txt"

    with qtbot.waitSignal(operation.finished, timeout=30_000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert operation.cancelled
        assert dialog.label.text().startswith("Cancelling")
        pressed.set()

    # The file being worked on when Cancel was pressed is finished; none after it.
    assert [o.path.name for o in results[0]] == ["report-00.txt", "report-01.txt", "report-02.txt"]
    assert operation.cancelled
    assert editable_case.sources.count() == before + 3 < before + len(files)


def test_a_desk_error_goes_to_the_failure_callback(qtbot: QtBot, parent: QWidget) -> None:
    def work(_progress: Progress, _cancelled: CancelFlag) -> int:
        raise DeskError("The case file is read-only.")

    failures: list[DeskError] = []
    successes: list[int] = []
    operation = Operation(parent, "Saving", work).on_success(successes.append)
    operation.on_failure(failures.append)
    with qtbot.waitSignal(operation.finished):
        operation.run()

    assert [str(f) for f in failures] == ["The case file is read-only."]
    assert successes == []


def test_a_desk_error_without_a_failure_callback_is_shown(
    qtbot: QtBot, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.operations.show_error", lambda _parent, error, _title="": shown.append(str(error))
    )

    def work(_progress: Progress, _cancelled: CancelFlag) -> None:
        raise DeskError("report.pdf: the file is empty")

    operation = Operation(parent, "Importing files", work)
    with qtbot.waitSignal(operation.finished):
        operation.run()

    assert shown == ["report.pdf: the file is empty"]


def test_a_bug_in_the_work_is_raised_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    def work(_progress: Progress, _cancelled: CancelFlag) -> None:
        raise ZeroDivisionError("a bug")

    successes: list[None] = []
    operation = Operation(parent, "Counting", work).on_success(successes.append)
    with qtbot.captureExceptions() as exceptions, qtbot.waitSignal(operation.finished):
        operation.run()

    assert [type(e[1]) for e in exceptions] == [ZeroDivisionError]
    assert successes == []
