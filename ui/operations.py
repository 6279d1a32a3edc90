"""Long work off the GUI thread: the one way the desk runs it.

Like Anki's ``CollectionOp`` and Picard's thread helper: the work is a plain function
that runs on a worker thread, reports progress and checks a cancel flag between
items; its result or its ``DeskError`` comes back to the GUI thread through a queued
signal, where the success or failure callback runs::

    Operation(self, "Importing files", lambda progress, cancelled:
              case.sources.import_files(paths, incident_id, progress, cancelled))
        .on_success(self._imported)
        .run()

Services are safe to call from the worker: a case has one writer connection behind a
lock and gives every reader its own connection. The work must not touch widgets.

An exception that is not a ``DeskError`` is a bug: it is raised again on the GUI
thread, where the application's exception hook (the crash path) sees it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desk.errors import DeskError
from ui.errors import show_error

T = TypeVar("T")
Progress = Callable[[int, int, str], None]

# Quick work finishes before this and never flashes a dialog.
SHOW_PROGRESS_AFTER_MS = 400

_active: set[Operation[Any]] = set()


@functools.cache
def _thread_pool() -> QThreadPool:
    # Our own pool, so shutdown() waits for the desk's work and nothing else.
    return QThreadPool()


class CancelFlag:
    """Set on the GUI thread, read by the work between items. Calling it says whether
    it is set, so it can be handed to a service as its ``cancelled`` callback."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:
        return self._event.is_set()


class ProgressDialog(QDialog):
    """A non-modal window with a progress bar and a Cancel button; the desk stays
    usable while it shows. Escape and the window's close button cancel too.

    Signals:
        cancel_requested(): the analyst asked to stop.

    Attributes:
        label: what is being worked on.
        bar: the progress bar (busy until the work reports a total).
        cancel_button: the Cancel button.
    """

    cancel_requested = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.label = QLabel(f"{title}…")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 32)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self._finished = False

    def set_progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if label and self.cancel_button.isEnabled():
            self.label.setText(f"{min(done + 1, total)} of {total}: {label}")

    def finish(self) -> None:
        """Close for good: the work is over."""
        self._finished = True
        self.hide()

    def reject(self) -> None:
        if self._finished:
            super().reject()
            return
        # Stay open until the work stops: it finishes the item it is on first.
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling after the current item…")
        self.cancel_requested.emit()


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so slots run queued there."""

    progressed = Signal(int, int, str)
    done = Signal(object, object)  # result, exception


class _Job(QRunnable):
    def __init__(
        self, work: Callable[[Progress, CancelFlag], object], relay: _Relay, flag: CancelFlag
    ) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._flag = flag

    def run(self) -> None:
        try:
            result = self._work(self._relay.progressed.emit, self._flag)
        except BaseException as exc:  # handed to the GUI thread: DeskError or a bug
            self._relay.done.emit(None, exc)
        else:
            self._relay.done.emit(result, None)


class Operation(QObject, Generic[T]):
    """Run ``work(progress, cancelled)`` on a worker thread with a progress window.

    ``progress(done, total, label)`` may be called from the worker as often as the work
    likes; ``cancelled()`` is true once the analyst pressed Cancel. On the GUI thread
    afterwards: the success callback gets the result (also after a cancel: the work
    decides what it returns then; ``cancelled`` says it was cut short); the failure
    callback gets a ``DeskError`` (default: a message box); any other exception is
    raised again.

    Signals:
        progressed(int, int, str): done, total and the item being worked on.
        finished(): the callbacks have run; the operation then deletes itself.

    Attributes:
        dialog: the ``ProgressDialog`` (shown only if the work takes a while).
    """

    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Callable[[Progress, CancelFlag], T],
        show_after_ms: int = SHOW_PROGRESS_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._title = title
        self._work = work
        self._flag = CancelFlag()
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[DeskError], None] | None = None
        self._running = False
        self._relay = _Relay()
        self._relay.progressed.connect(self._progressed)
        self._relay.done.connect(self._done)
        self._job: _Job | None = None
        self.dialog = ProgressDialog(title, parent)
        self.dialog.cancel_requested.connect(self.cancel)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(show_after_ms)
        self._show_timer.timeout.connect(self.dialog.show)

    @property
    def title(self) -> str:
        return self._title

    @property
    def cancelled(self) -> bool:
        return self._flag.is_set()

    @property
    def running(self) -> bool:
        return self._running

    def on_success(self, callback: Callable[[T], None]) -> Operation[T]:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[DeskError], None]) -> Operation[T]:
        self._failure = callback
        return self

    def run(self) -> Operation[T]:
        """Start the work; returns at once."""
        if self._running or self._job is not None:
            raise RuntimeError("an Operation runs once")
        self._running = True
        _active.add(self)
        self._job = _Job(self._work, self._relay, self._flag)
        self._show_timer.start()
        _thread_pool().start(self._job)
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it stops between items."""
        self._flag.set()

    def _progressed(self, done: int, total: int, label: str) -> None:
        self.dialog.set_progress(done, total, label)
        self.progressed.emit(done, total, label)

    def _done(self, result: object, error: BaseException | None) -> None:
        self._running = False
        self._job = None
        _active.discard(self)
        self._show_timer.stop()
        self.dialog.finish()
        self.dialog.deleteLater()
        try:
            if error is not None:
                raise error  # a bug unless it is a DeskError: to the crash path
            if self._success is not None:
                self._success(result)  # type: ignore[arg-type]
        except DeskError as exc:
            if self._failure is not None:
                self._failure(exc)
            else:
                show_error(self._parent, exc, self._title)
        finally:
            self.finished.emit()
            self.deleteLater()


def active_operations() -> list[Operation[Any]]:
    """Operations whose work has not finished yet."""
    return list(_active)


def shutdown(timeout_ms: int = 30_000) -> bool:
    """Cancel all work and wait for it (before a case closes); False on timeout."""
    for operation in list(_active):
        operation.cancel()
    return _thread_pool().waitForDone(timeout_ms)
