"""The incidents model: pages from SQL, sorting and filtering in SQL, Qt's model rules."""

from __future__ import annotations

import threading

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from desk.case import Case
from desk.services.incidents import IncidentFilter
from tests.ui.conftest import BIG_CASE_INCIDENTS, INCIDENT_TITLE
from ui.models.incident_lines import DATE, SOURCES, TITLE
from ui.models.incidents import PAGE_SIZE, IncidentTableModel
from ui.models.sources import SourceListModel


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester, sample_case: Case) -> None:
    model = IncidentTableModel(sample_case)
    qtmodeltester.check(model)
    assert model.data(model.index(0, TITLE)) == INCIDENT_TITLE
    assert model.data(model.index(0, SOURCES)) == 7
    assert model.data(model.index(0, DATE)) == "2019-06-07"


def test_paged_model_passes_qt_model_tester(qtmodeltester: ModelTester, big_case: Case) -> None:
    model = IncidentTableModel(big_case, page_size=50)
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_sources_model_passes_qt_model_tester(
    qtmodeltester: ModelTester, sample_case: Case
) -> None:
    model = SourceListModel({})
    model.set_sources(sample_case.sources.list())
    qtmodeltester.check(model)


def test_only_the_first_page_is_loaded_at_open(big_case: Case) -> None:
    model = IncidentTableModel(big_case)

    assert model.total == BIG_CASE_INCIDENTS
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())

    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE

    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == BIG_CASE_INCIDENTS
    titles = {model.incident_at(row).title for row in range(model.rowCount())}
    assert len(titles) == BIG_CASE_INCIDENTS  # pages neither overlap nor skip


def test_view_fetches_the_next_page_when_scrolled_to_the_end(qtbot: QtBot, big_case: Case) -> None:
    model = IncidentTableModel(big_case)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)

    view.scrollToBottom()

    qtbot.waitUntil(lambda: model.rowCount() > PAGE_SIZE)
    assert model.rowCount() < BIG_CASE_INCIDENTS


def test_sorting_by_title_queries_again_from_the_first_page(big_case: Case) -> None:
    model = IncidentTableModel(big_case)
    model.fetchMore(QModelIndex())
    assert model.incident_at(0).title == "Incident 0999"  # the earliest date

    with_reset = []
    model.modelReset.connect(lambda: with_reset.append(True))
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)

    assert with_reset
    assert model.incident_at(0).title == "Incident 0000"
    assert model.rowCount() == PAGE_SIZE

    model.sort(TITLE, Qt.SortOrder.DescendingOrder)
    assert model.incident_at(0).title == "Incident 0999"


def test_filter_is_applied_in_sql(qtbot: QtBot, big_case: Case) -> None:
    model = IncidentTableModel(big_case)

    with qtbot.wait_signal(model.total_changed) as blocker:
        model.set_filter(IncidentFilter(text="Incident 004"))

    assert blocker.args == [10]
    assert model.rowCount() == 10
    assert not model.canFetchMore(QModelIndex())


def test_a_disputed_incident_stands_out(editable_case: Case) -> None:
    from ui.models.incident_lines import CONFLICTS, DISPUTED_COLOUR

    model = IncidentTableModel(editable_case)
    cell = model.index(0, CONFLICTS)
    assert model.data(cell) == 0
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole) is None

    incident = model.incident_at(0).id
    first, second = editable_case.incidents.get(incident).source_ids[:2]
    editable_case.claims.add(incident, first, "fatalities", "3")
    editable_case.claims.add(incident, second, "fatalities", "9")
    model.refresh_incident(incident)

    assert model.data(cell) == 1
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole) == DISPUTED_COLOUR
    assert model.data(cell, Qt.ItemDataRole.FontRole).bold()
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == "Disputed: 1 open conflict"


def test_scrolling_on_after_edits_and_a_deletion_lists_every_incident_once(
    editable_big_case: Case,
) -> None:
    # Pages after the first start after the last row read (keyset paging); an edit
    # that moves that row, or deleting rows, must not make the list skip or repeat.
    from datetime import date

    case = editable_big_case
    model = IncidentTableModel(case, page_size=50)
    model.fetchMore(QModelIndex())
    last = model.incident_at(model.rowCount() - 1).id
    case.incidents.update(last, start=date(2010, 1, 1))  # now first by date
    model.refresh_incident(last)
    gone = model.incident_at(10).id
    case.incidents.delete(gone)
    model.remove_incident(gone)

    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())

    listed = [model.incident_at(row).id for row in range(model.rowCount())]
    assert len(listed) == len(set(listed)) == BIG_CASE_INCIDENTS - 1
    assert gone not in listed


def _wait_for_reads_ahead(case: Case) -> None:
    # The case reads ahead on one thread, in order: a read queued now ends after them.
    done = case.read_ahead(lambda: None)
    assert done is not None
    done.result(timeout=10)


def test_the_next_page_comes_from_the_read_ahead_without_a_query(big_case: Case) -> None:
    model = IncidentTableModel(big_case, page_size=50)
    _wait_for_reads_ahead(big_case)
    on_this_thread: list[str] = []

    def seen(*_: object) -> None:
        if threading.current_thread() is threading.main_thread():
            on_this_thread.append("query")

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        model.fetchMore(QModelIndex())
    finally:
        event.remove(Engine, "before_cursor_execute", seen)

    assert on_this_thread == []
    assert model.rowCount() == 100
    assert model.incident_at(50).title == f"Incident {BIG_CASE_INCIDENTS - 51:04d}"


def test_a_page_read_ahead_before_an_edit_is_read_again(editable_big_case: Case) -> None:
    case = editable_big_case
    model = IncidentTableModel(case, page_size=50)
    _wait_for_reads_ahead(case)  # the second page, as it was
    second = case.incidents.rows(offset=50, limit=1)[0]
    case.incidents.update(second.id, title="Renamed while the list read ahead")

    model.fetchMore(QModelIndex())

    assert model.incident_at(50).id == second.id
    assert model.incident_at(50).title == "Renamed while the list read ahead"
