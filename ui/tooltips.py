"""Tooltips that show case text as text.

Qt shows a tooltip as rich text when it merely looks like markup, so a source title
such as ``<b>Strike</b>`` or ``<img src="…">`` would be rendered (SAFETY.md: text from
sources is data). ``plain_tooltip`` makes text safe for a widget's tooltip;
``PlainItemToolTips``, installed on the application, does the same for every item
view's ``ToolTipRole``, so no model has to remember it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QToolTip, QWidget


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip shows it: escaped, its line breaks and spaces kept."""
    return f'<p style="white-space: pre-wrap">{html.escape(text)}</p>'


class PlainItemToolTips(QObject):
    """Shows item views' tooltips (their models' ``ToolTipRole``) as plain text."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        view = watched.parent() if isinstance(watched, QWidget) else None
        if not isinstance(view, QAbstractItemView) or watched is not view.viewport():
            return False
        index = view.indexAt(event.pos())
        text = index.data(Qt.ItemDataRole.ToolTipRole) if index.isValid() else None
        if isinstance(text, str) and text:
            QToolTip.showText(
                event.globalPos(), plain_tooltip(text), view.viewport(), view.visualRect(index)
            )
        else:
            QToolTip.hideText()
            event.ignore()
        return True
