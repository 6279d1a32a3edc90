"""Checking a case: the database, every original's SHA-256, the history chain, the index."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk import __version__
from desk.case import Case
from desk.errors import DeskError
from desk.files import atomic_write
from desk.verify import VerifyReport, verify_case
from ui.operations import CancelFlag, Operation, Progress

ADVICE = (
    "The case may have been changed outside Evidence Desk, or the disk damaged it. "
    "Keep a copy of the file as it is now, save this report, and consider restoring "
    "a backup (Case › Backups and restore…)."
)


def _count(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def headline(report: VerifyReport) -> str:
    if report.ok:
        return "All is well: nothing was found wrong with this case."
    return f"{_count(len(report.problems), 'problem', 'problems')} found in this case."


def checked(report: VerifyReport) -> list[str]:
    """What the check covered, one line each."""
    return [
        "the database's integrity and the links between its records",
        f"the SHA-256 of {_count(report.blobs_checked, 'original', 'originals')} "
        f"(held by {_count(report.sources, 'source', 'sources')})",
        f"the history chain of {_count(report.history_entries, 'entry', 'entries')}",
        *(
            [
                f"{_count(report.received_history_entries, 'history entry', 'history entries')}"
                " received from other cases in bundles"
            ]
            if report.received_history_entries
            else []
        ),
        *(["the search index"] if report.index_checked else []),
    ]


def not_checked(report: VerifyReport) -> list[str]:
    """What the check had to leave out, and why."""
    if report.index_checked:
        return []
    return ["the search index: checking it writes, and this case file is read-only"]


def problem_text(problem: str) -> str:
    return problem[:1].upper() + problem[1:]


def report_text(report: VerifyReport, case_path: Path, when: datetime) -> str:
    """The report as a text file says it."""
    lines = [
        f"Evidence Desk {__version__}: check of {case_path}",
        f"{when:%Y-%m-%d %H:%M:%S} UTC",
        "",
        headline(report),
        "",
        "Checked:",
        *(f"- {line}" for line in checked(report)),
    ]
    if left_out := not_checked(report):
        lines += ["", "Not checked:", *(f"- {line}" for line in left_out)]
    if not report.ok:
        lines += ["", "Problems:", *(f"- {problem_text(p)}" for p in report.problems)]
    return "\n".join(lines) + "\n"


class VerifyCaseDialog(QDialog):
    """Runs the check on a worker as it opens and shows the outcome: a headline, what
    was checked and each problem; "Save report…" writes it to a text file.

    The core's check cannot stop part-way: Close while it runs closes the dialog once
    it has finished.

    Signals:
        verified(object): the ``VerifyReport`` once the check has run.

    Attributes:
        report: the ``VerifyReport`` (None until the check has run).
        headline_label: all well, N problems, or why the check could not run.
        checked_label: what the check covered (and what it had to leave out).
        problems_list: each problem, one row each (hidden when there are none).
        advice_label: what to do about problems (hidden when there are none).
        save_button: writes the text report (enabled once there is one).
        message: where the report was saved, or why it was not.
    """

    verified = Signal(object)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Verify {case.path.name}")
        self._case = case
        self._running: Operation[VerifyReport] | None = None
        self._close_when_done = False
        self._checked_at: datetime | None = None
        self.report: VerifyReport | None = None

        self.headline_label = QLabel("Checking the case…")
        self.headline_label.setTextFormat(Qt.TextFormat.PlainText)
        self.headline_label.setWordWrap(True)
        font = self.headline_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.headline_label.setFont(font)
        case_label = QLabel(str(case.path))
        case_label.setTextFormat(Qt.TextFormat.PlainText)
        case_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checked_label = QLabel()
        self.checked_label.setTextFormat(Qt.TextFormat.PlainText)
        self.checked_label.setWordWrap(True)
        self.problems_list = QListWidget()
        self.problems_list.setWordWrap(True)
        self.problems_list.hide()
        self.advice_label = QLabel(ADVICE)
        self.advice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.advice_label.setWordWrap(True)
        self.advice_label.hide()
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("&Save report…")
        self.save_button.setEnabled(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline_label)
        layout.addWidget(case_label)
        layout.addWidget(self.checked_label)
        layout.addWidget(self.problems_list, 1)
        layout.addWidget(self.advice_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # Wide enough that a report line or a problem reads on one or two lines.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self._check()

    def reject(self) -> None:
        if self._running is not None:
            self._close_when_done = True
            self.headline_label.setText("Closing when the check under way has finished…")
            return
        super().reject()

    def text(self) -> str:
        """The report as "Save report…" writes it; empty until the check has run."""
        if self.report is None or self._checked_at is None:
            return ""
        return report_text(self.report, self._case.path, self._checked_at)

    def _check(self) -> None:
        case = self._case

        def work(_progress: Progress, _cancelled: CancelFlag) -> VerifyReport:
            return verify_case(case)

        self._checked_at = datetime.now(UTC)
        self._running = (
            Operation(self, "Verifying the case", work)
            .on_success(self._checked)
            .on_failure(self._failed)
            .run()
        )

    def _checked(self, report: VerifyReport) -> None:
        self._running = None
        if self._close_when_done:
            super().reject()
            return
        self.report = report
        self.headline_label.setText(headline(report))
        lines = ["Checked:", *(f"• {line}" for line in checked(report))]
        if left_out := not_checked(report):
            lines += ["Not checked:", *(f"• {line}" for line in left_out)]
        self.checked_label.setText("\n".join(lines))
        self.problems_list.addItems([problem_text(p) for p in report.problems])
        self.problems_list.setVisible(not report.ok)
        self.advice_label.setVisible(not report.ok)
        self.save_button.setEnabled(True)
        self.adjustSize()  # the report is longer than "Checking the case…"
        self.verified.emit(report)

    def _failed(self, error: DeskError) -> None:
        self._running = None
        self._close_when_done = False  # stay open: the analyst must see it failed
        self.headline_label.setText(f"The case could not be checked: {error}")

    def _ask_report_path(self) -> Path | None:
        """Where to save the report, or None when the analyst cancels."""
        stamp = f"{self._checked_at or datetime.now(UTC):%Y-%m-%d}"
        suggested = self._case.path.with_name(f"{self._case.path.stem} check {stamp}.txt")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the check's report", str(suggested), "Text files (*.txt)"
        )
        return Path(name) if name else None

    def _save(self) -> None:
        path = self._ask_report_path()
        if path is None:
            return
        try:
            atomic_write(path, self.text().encode("utf-8"))
        except DeskError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"Report saved to {path}.")
