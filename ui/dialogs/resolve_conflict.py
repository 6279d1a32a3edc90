"""Resolve a conflict: the analyst's assessment of what is most likely true, with the
reasons and a confidence; for counts a best estimate with low and high, as UCDP
records them. The claims themselves stay as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.claims.values import COUNT_FIELDS, INFINITY, Count, describe, parse_value
from desk.errors import DeskError
from desk.services.claims import ConflictView
from desk.vocab import CONFIDENCE_LEVELS
from ui.commands.claims import Resolution, ResolveConflict, push

if TYPE_CHECKING:
    from desk.case import Case

ERROR_STYLE = "color: #b3261e;"
NO_ESTIMATE = -1  # a spin box at its minimum means "no estimate"
MAX_COUNT = 1_000_000
CONFIDENCE_HINTS = {
    "low": "low · the evidence is thin or the sources are poor",
    "moderate": "moderate · credible sources, but gaps or doubts remain",
    "high": "high · good sources that agree on the essentials",
}


class ResolveConflictDialog(QDialog):
    """Record an assessment of ``conflict``; accepting pushes ``ResolveConflict`` on
    ``undo_stack`` (undo puts back the earlier state). No signals.

    Attributes:
        value: the accepted value (editable combo of the values claimed; empty for
            none); value_check: the parser's verdict on it.
        best, low, high: estimates for counts (hidden for other fields).
        rationale, confidence: both required.
        error: the core's refusal when accepting failed.
    """

    def __init__(
        self,
        case: Case,
        conflict: ConflictView,
        *,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._case = case
        self._stack = undo_stack
        self._conflict = conflict
        self._counts = conflict.field in COUNT_FIELDS
        self.setWindowTitle(f"Resolve: {conflict.label}")
        self.setMinimumWidth(560)

        heading = QLabel(f"{conflict.label} — {conflict.incident_title}")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        explanation = QLabel(conflict.explanation)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        explanation.setWordWrap(True)

        self.value = QComboBox()
        self.value.setEditable(True)
        self.value.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for text in dict.fromkeys(c.value_text for c in conflict.claims):
            self.value.addItem(text)
        line = self.value.lineEdit()
        assert line is not None  # the combo is editable
        line.setPlaceholderText("empty: no value accepted")
        line.setClearButtonEnabled(True)
        self.value_check = QLabel()
        self.value_check.setTextFormat(Qt.TextFormat.PlainText)
        self.value_check.setWordWrap(True)

        self.best = self._spin()
        self.low = self._spin()
        self.high = self._spin()
        estimates = QHBoxLayout()
        for label, box in (("low", self.low), ("best", self.best), ("high", self.high)):
            estimates.addWidget(QLabel(label))
            estimates.addWidget(box)
        estimates.addStretch(1)
        self._estimates = QWidget()
        self._estimates.setLayout(estimates)
        estimates.setContentsMargins(0, 0, 0, 0)

        self.rationale = QPlainTextEdit()
        self.rationale.setTabChangesFocus(True)
        self.rationale.setPlaceholderText(
            "Why this value: which sources weigh most and why, what is still unknown"
        )
        self.rationale.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.confidence = QComboBox()
        self.confidence.addItem("choose…", None)
        for level in CONFIDENCE_LEVELS:
            self.confidence.addItem(CONFIDENCE_HINTS.get(level, level), level)

        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText("Resolve")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        value_box = QVBoxLayout()
        value_box.setSpacing(2)
        value_box.addWidget(self.value)
        value_box.addWidget(self.value_check)
        form.addRow("Accepted value", value_box)
        form.addRow("Estimates", self._estimates)
        form.setRowVisible(self._estimates, self._counts)
        form.addRow("Rationale", self.rationale)
        form.addRow("Confidence", self.confidence)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons)

        self._fill()
        self.value.editTextChanged.connect(self._value_changed)
        for box in (self.best, self.low, self.high):
            box.valueChanged.connect(lambda _n: self._check())
        self.rationale.textChanged.connect(self._check)
        self.confidence.currentIndexChanged.connect(lambda _n: self._check())
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self._buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _spin(self) -> QSpinBox:
        box = QSpinBox()
        box.setRange(NO_ESTIMATE, MAX_COUNT)
        box.setSpecialValueText("—")
        box.setValue(NO_ESTIMATE)
        return box

    def _fill(self) -> None:
        previous = self._conflict.resolution
        if previous is None:
            self.value.setEditText("")
            return
        self.value.setEditText(previous.accepted_value or "")
        for box, number in (
            (self.best, previous.best),
            (self.low, previous.low),
            (self.high, previous.high),
        ):
            box.setValue(NO_ESTIMATE if number is None else number)
        self.rationale.setPlainText(previous.rationale)
        self.confidence.setCurrentIndex(max(0, self.confidence.findData(previous.confidence)))

    def _question(self) -> str | None:
        return self._conflict.key if self._conflict.field == "statement" else None

    def _value_changed(self, text: str) -> None:
        """A count fills in the estimates (the analyst can still change them)."""
        if self._counts and text.strip():
            try:
                typed = parse_value(self._conflict.field, text, self._question())
            except DeskError:
                typed = None
            if isinstance(typed, Count):
                self.low.setValue(typed.low)
                self.high.setValue(NO_ESTIMATE if typed.high == INFINITY else int(typed.high))
                self.best.setValue(typed.best())
        self._check()

    def _check(self) -> bool:
        problems: list[str] = []
        text = self.value.currentText().strip()
        self.value_check.setStyleSheet("")
        if text:
            try:
                typed = parse_value(self._conflict.field, text, self._question())
            except DeskError as exc:
                self.value_check.setText(str(exc))
                self.value_check.setStyleSheet(ERROR_STYLE)
                problems.append(str(exc))
            else:
                self.value_check.setText(f"Accepted: {describe(typed)}")
        else:
            self.value_check.setText("No value accepted: the conflict is assessed as undecided.")
        low, best, high = (self._number(b) for b in (self.low, self.best, self.high))
        if low is not None and high is not None and low > high:
            problems.append("The low estimate is above the high one.")
        if best is not None and (
            (low is not None and best < low) or (high is not None and best > high)
        ):
            problems.append("The best estimate lies outside the low-high range.")
        ok = not problems and bool(self.rationale.toPlainText().strip())
        ok = ok and self.confidence.currentData() is not None
        if problems and not self.value_check.styleSheet():
            self.value_check.setText(problems[0])
            self.value_check.setStyleSheet(ERROR_STYLE)
        self.ok_button.setEnabled(ok)
        return ok

    @staticmethod
    def _number(box: QSpinBox) -> int | None:
        return None if box.value() == NO_ESTIMATE else box.value()

    def resolution(self) -> Resolution:
        counts = self._counts
        return Resolution(
            rationale=self.rationale.toPlainText().strip(),
            confidence=self.confidence.currentData() or "",
            value=self.value.currentText().strip() or None,
            best=self._number(self.best) if counts else None,
            low=self._number(self.low) if counts else None,
            high=self._number(self.high) if counts else None,
        )

    def accept(self) -> None:
        if not self._check():
            return
        conflict = self._conflict
        command = ResolveConflict(
            self._case, conflict.id, conflict.incident_id, conflict.label, self.resolution()
        )
        error = push(self._stack, command)
        if error is not None:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()
