"""Label/value rows of read-only text, for the details and metadata panels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

_WARNING = Qt.GlobalColor.darkRed
_LRM, _RLM = "\u200e", "\u200f"


@dataclass(frozen=True)
class Field:
    """One row. ``exact`` values (hashes, ids, URLs) stay on one line in a fixed-pitch
    font and copy exactly; ``warning`` values are shown in the warning colour."""

    label: str
    value: str
    exact: bool = False
    warning: bool = False


class FieldList(QWidget):
    """Rows of label and value; rows with an empty value are left out.

    Every value is plain text (never rich text: it comes from sources and users)
    and can be selected and copied. No signals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._values: dict[str, str] = {}

    def set_fields(self, fields: Iterable[Field]) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._values = {}
        for field in fields:
            if field.value:
                self._layout.addRow(self._label(field.label), self._value(field))
                self._values[field.label] = field.value

    def value(self, label: str) -> str | None:
        """The value shown for ``label``, or None when there is no such row."""
        return self._values.get(label)

    def _in_reading_order(self, value: str) -> str:
        """``value`` with each line starting in the desk's own direction.

        Otherwise a line that starts with an Arabic name reads right to left as a
        whole, and "الشمال اليوم (reliability C)" shows its note before the name.
        """
        mark = _LRM if self.layoutDirection() == Qt.LayoutDirection.LeftToRight else _RLM
        return "\n".join(mark + line for line in value.split("\n"))

    def _label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def _value(self, field: Field) -> QWidget:
        widget: QLabel | QLineEdit
        if field.exact:
            widget = QLineEdit(field.value, self)
            widget.setReadOnly(True)
            widget.setFrame(False)
            widget.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            widget.setCursorPosition(0)
            # Blend into the panel: it is a value to copy, not a box to type in.
            widget.setStyleSheet("QLineEdit { background: transparent; }")
        else:
            widget = QLabel(self._in_reading_order(field.value), self)
            widget.setTextFormat(Qt.TextFormat.PlainText)
            widget.setWordWrap(True)
            widget.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            # Keep right-to-left values next to their label, not at the far edge.
            widget.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
        if field.warning:
            palette = widget.palette()
            palette.setColor(QPalette.ColorRole.WindowText, _WARNING)
            palette.setColor(QPalette.ColorRole.Text, _WARNING)
            widget.setPalette(palette)
        return widget
