"""The filter bar over the incidents list: each filter narrows it in SQL as you type."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields, IncidentFilter
from tests.ui.conftest import BIG_CASE_INCIDENTS, INCIDENT_TITLE
from tests.ui.test_incident_editor import choose, type_text
from ui.models.incident_lines import CONFLICTS
from ui.models.incidents import PAGE_SIZE, IncidentTableModel
from ui.panes.incident_list import IncidentListPane

PROTEST = "Protest outside the municipality"
AIRSTRIKE = "Airstrike near the border crossing"
ARRESTS = "Arrests at a Mayadin checkpoint"
EVERY_TITLE = {INCIDENT_TITLE, PROTEST, AIRSTRIKE, ARRESTS}


@pytest.fixture
def varied_case(editable_case: Case) -> Case:
    """The sample incident (Albukamal, 2019-06-07, Battles, under review, tag "flag
    incident") and three more that differ in every filtered field."""
    editable_case.gazetteer.define_place("Deir ez-Zor", ["Dayr az Zawr", "دير الزور"])
    for fields in (
        IncidentFields(
            title=PROTEST,
            start=date(2019, 5, 20),
            place="Dayr az Zawr",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            status="confirmed",
            tags=("protest",),
        ),
        IncidentFields(
            title=AIRSTRIKE,
            start=date(2019, 6, 15),
            place="Abu Kamal",  # another spelling of Albukamal
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            tags=("airstrike", "night"),
        ),
        IncidentFields(
            title=ARRESTS,
            start=date(2019, 7, 2),
            place="Mayadin",
            event_type="Strategic developments",
            sub_event_type="Arrests",
            status="disputed",
        ),
    ):
        editable_case.incidents.create(fields)
    return editable_case


@pytest.fixture
def pane(qtbot: QtBot, varied_case: Case) -> IncidentListPane:
    pane = IncidentListPane(IncidentTableModel(varied_case))
    pane.model.setParent(pane)
    qtbot.addWidget(pane)
    pane.resize(900, 500)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def shown(pane: IncidentListPane) -> set[str]:
    return {pane.model.incident_at(r).title for r in range(pane.model.rowCount())}


def wait_for(qtbot: QtBot, pane: IncidentListPane, titles: set[str]) -> None:
    qtbot.waitUntil(lambda: shown(pane) == titles)
    assert pane.model.rowCount() == pane.model.total == len(titles)


def test_status_filter(qtbot: QtBot, pane: IncidentListPane) -> None:
    choose(qtbot, pane.status_filter, "confirmed")
    wait_for(qtbot, pane, {PROTEST})

    choose(qtbot, pane.status_filter, "Any status")
    wait_for(qtbot, pane, EVERY_TITLE)


def test_event_type_filter(qtbot: QtBot, pane: IncidentListPane) -> None:
    choose(qtbot, pane.type_filter, "Battles")
    wait_for(qtbot, pane, {INCIDENT_TITLE})

    choose(qtbot, pane.type_filter, "Strategic developments")
    wait_for(qtbot, pane, {ARRESTS})


def test_place_filter_matches_any_spelling(qtbot: QtBot, pane: IncidentListPane) -> None:
    type_text(pane.place_filter, "البوكمال")
    wait_for(qtbot, pane, {INCIDENT_TITLE, AIRSTRIKE})

    pane.place_filter.clear()
    type_text(pane.place_filter, "دير")
    wait_for(qtbot, pane, {PROTEST})


def test_tag_filter_offers_the_case_tags(qtbot: QtBot, pane: IncidentListPane) -> None:
    tags = [pane.tag_filter.itemText(i) for i in range(pane.tag_filter.count())]
    assert tags == ["", "airstrike", "flag incident", "night", "protest"]

    qtbot.keyClicks(pane.tag_filter.lineEdit(), "night")
    wait_for(qtbot, pane, {AIRSTRIKE})


def test_date_range_filter(qtbot: QtBot, pane: IncidentListPane) -> None:
    pane.date_from.setFocus()
    qtbot.keyClicks(pane.date_from, "20190601")
    wait_for(qtbot, pane, {INCIDENT_TITLE, AIRSTRIKE, ARRESTS})

    pane.date_to.setFocus()
    qtbot.keyClicks(pane.date_to, "20190630")
    wait_for(qtbot, pane, {INCIDENT_TITLE, AIRSTRIKE})

    pane.date_from.clear_value()
    wait_for(qtbot, pane, {PROTEST, INCIDENT_TITLE, AIRSTRIKE})


def test_text_filter_and_the_rest_together_then_clear(qtbot: QtBot, pane: IncidentListPane) -> None:
    qtbot.keyClicks(pane.filter_edit, "near")
    wait_for(qtbot, pane, {AIRSTRIKE})
    choose(qtbot, pane.status_filter, "confirmed")
    wait_for(qtbot, pane, set())
    assert pane.current_filter() == IncidentFilter(text="near", status="confirmed")

    qtbot.mouseClick(pane.clear_filters_button, Qt.MouseButton.LeftButton)

    assert shown(pane) == EVERY_TITLE  # at once, not after a pause
    assert pane.current_filter() == IncidentFilter()
    assert pane.filter_edit.text() == ""
    assert pane.status_filter.currentText() == "Any status"


def test_selection_survives_a_filter_that_keeps_the_incident(
    qtbot: QtBot, pane: IncidentListPane
) -> None:
    pane.select_row(pane.model.row_of(next(iter(_ids(pane, AIRSTRIKE)))) or 0)
    chosen = pane.selected_incident()

    type_text(pane.place_filter, "Abu Kamal")
    wait_for(qtbot, pane, {INCIDENT_TITLE, AIRSTRIKE})
    assert pane.selected_incident() == chosen

    with qtbot.waitSignal(pane.incident_selected) as signal:
        choose(qtbot, pane.status_filter, "confirmed")
    assert signal.args == [None]


def _ids(pane: IncidentListPane, title: str) -> set[object]:
    return {
        pane.model.incident_at(r).id
        for r in range(pane.model.rowCount())
        if pane.model.incident_at(r).title == title
    }


def test_model_passes_qt_model_tester_after_filtering(
    qtmodeltester: ModelTester, varied_case: Case
) -> None:
    model = IncidentTableModel(varied_case)
    model.set_filter(IncidentFilter(place="albukamal"))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, CONFLICTS)) == 0
    model.set_filter(IncidentFilter(status="discarded"))
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_filtering_a_big_case_loads_a_page(qtbot: QtBot, big_case: Case) -> None:
    pane = IncidentListPane(IncidentTableModel(big_case))
    pane.model.setParent(pane)
    qtbot.addWidget(pane)
    assert pane.model.total == BIG_CASE_INCIDENTS

    pane.date_from.setFocus()
    qtbot.keyClicks(pane.date_from, "20200301")  # the big case runs from 2020-01-01

    qtbot.waitUntil(lambda: pane.model.total == BIG_CASE_INCIDENTS - 60)
    assert pane.model.rowCount() == PAGE_SIZE
    assert pane.model.canFetchMore(QModelIndex())
    assert pane.model.incident_at(0).start == date(2020, 3, 1)
