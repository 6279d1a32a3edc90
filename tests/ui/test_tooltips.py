"""Case text in tooltips is shown as text, never as markup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QTableView, QToolTip
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields
from ui.models.incident_lines import TITLE
from ui.models.incidents import IncidentTableModel
from ui.tooltips import PlainItemToolTips, plain_tooltip

MARKUP = '<b>Strike</b> near <Kharkiv> <img src="/etc/passwd"> x<y & z'


@pytest.fixture
def item_tips(qapp: QApplication) -> Iterator[None]:
    tips = PlainItemToolTips()
    qapp.installEventFilter(tips)  # as ui.app.application() does
    yield
    qapp.removeEventFilter(tips)
    QToolTip.hideText()


def test_a_title_that_looks_like_markup_is_shown_as_typed(
    qtbot: QtBot, case: Case, item_tips: None
) -> None:
    case.incidents.create(IncidentFields(title=MARKUP))
    view = QTableView()
    view.setModel(IncidentTableModel(case))
    qtbot.addWidget(view)
    view.resize(900, 300)
    with qtbot.waitExposed(view):
        view.show()
    cell = view.visualRect(view.model().index(0, TITLE)).center()

    event = QHelpEvent(QEvent.Type.ToolTip, cell, view.viewport().mapToGlobal(cell))
    QApplication.sendEvent(view.viewport(), event)

    assert QToolTip.text() == plain_tooltip(MARKUP)
    assert "&lt;b&gt;Strike&lt;/b&gt;" in QToolTip.text()
    assert "<img" not in QToolTip.text()

    nowhere = QPoint(890, 290)  # below the only row: no tooltip
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, nowhere, view.viewport().mapToGlobal(nowhere)),
    )
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
