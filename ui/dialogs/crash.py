"""Bugs: a dialog with the traceback and a report file, instead of a silent console.

Expected failures are ``DeskError``s and get one sentence (ui.errors); anything else
that escapes is a bug. ``CrashReporter`` catches those from slots, event handlers
and worker threads and shows them in a ``CrashDialog``; the desk keeps running.
"""

from __future__ import annotations

import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk import __version__
from desk.errors import DeskError
from desk.files import atomic_write
from ui.errors import show_error

EXPLANATION = (
    "Evidence Desk ran into a bug. The case file is safe: each change is saved whole "
    "or not at all. An edit you were still typing may not have been saved.\n\n"
    "Save a report and send it to whoever looks after Evidence Desk for you. "
    "Read it first: error messages may quote text from the case."
)
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]
ThreadExceptHook = Callable[[threading.ExceptHookArgs], Any]
SEPARATOR = "\n" + "-" * 72 + "\n"


def crash_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The text of a report: versions, time and the traceback."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        f"Evidence Desk {__version__} crash report, {when}",
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, Qt {qVersion()}",
        f"{platform.platform()}",
        f"Thread: {threading.current_thread().name}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines) + "\n"


class CrashDialog(QDialog):
    """The traceback of a bug, read-only, with "Save report…" and "Close". No signals.

    More bugs while it is open are added to the same dialog, once each.

    Attributes:
        report_view: the read-only text of the report(s).
        save_button: writes the report to a file the analyst chooses.
        count_label: how many times the bugs happened.
    """

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Desk: a bug")
        self._reports: list[str] = []
        self._count = 0

        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.count_label = QLabel()
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setMinimumSize(640, 280)

        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save report…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        self.save_button.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.count_label)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(buttons)
        self.add_report(report)

    def report(self) -> str:
        return SEPARATOR.join(self._reports)

    def add_report(self, report: str) -> None:
        """Add another bug's report; the same traceback again only counts."""
        self._count += 1
        if _without_header(report) not in map(_without_header, self._reports):
            self._reports.append(report)
            self.report_view.setPlainText(self.report())
        self.count_label.setText(
            f"{self._count} errors so far ({len(self._reports)} different)."
            if self._count > 1
            else ""
        )
        self.count_label.setVisible(self._count > 1)

    def _ask_report_path(self) -> Path | None:
        """Where to save the report, or None when the analyst cancels."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the crash report",
            str(Path.home() / f"evidence-desk-crash-{stamp}.txt"),
            "Text files (*.txt)",
        )
        return Path(name) if name else None

    def _save(self) -> None:
        path = self._ask_report_path()
        if path is None:
            return
        try:
            atomic_write(path, self.report().encode("utf-8"))
        except DeskError as exc:
            show_error(self, exc, "The report was not saved")
            return
        self.count_label.setText(f"Report saved to {path}.")
        self.count_label.show()


def _without_header(report: str) -> str:
    # The header carries the time, which differs for the same bug.
    return report.split("\n\n", 1)[-1]


class CrashReporter(QObject):
    """Shows uncaught exceptions from any thread in a ``CrashDialog``.

    ``install`` replaces ``sys.excepthook`` (PySide calls it for exceptions in slots,
    event handlers and QRunnable.run) and ``threading.excepthook``; ``uninstall``
    puts the previous hooks back. Hooks may run on a worker thread, so they only
    emit ``crashed``, which reaches the dialog on the GUI thread. The traceback is
    also printed to stderr, as Python would.

    Signals:
        crashed(str): a crash report, from whichever thread failed.

    Attributes:
        dialog: the open ``CrashDialog``, or None.
    """

    crashed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: CrashDialog | None = None
        self._previous_hooks: tuple[ExceptHook, ThreadExceptHook] | None = None
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def _excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report = crash_report(exc_type, exc, tb)
        sys.stderr.write(report)
        self.crashed.emit(report)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # a thread's normal way out
            return
        self._excepthook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    def _show(self, report: str) -> None:
        if self.dialog is not None:
            self.dialog.add_report(report)
            return
        self.dialog = CrashDialog(report)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.finished.connect(self._closed)
        self.dialog.show()
        self.dialog.raise_()

    def _closed(self) -> None:
        self.dialog = None
