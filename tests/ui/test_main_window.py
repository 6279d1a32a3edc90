"""The main window on a real case: incidents, details, sources, text and pictures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.services.sources import SourceView
from tests.ui.conftest import BIG_CASE_INCIDENTS, INCIDENT_TITLE, SAMPLE_FILES
from ui.main_window import MainWindow
from ui.models.incident_lines import TITLE
from ui.models.incidents import PAGE_SIZE
from ui.panes.source_viewer import SourceViewerPane


@pytest.fixture
def window(qtbot: QtBot, sample_case: Case) -> MainWindow:
    return _open(qtbot, sample_case)


def _open(qtbot: QtBot, case: Case) -> MainWindow:
    window = MainWindow(case)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    if window.incidents.rowCount():  # the first incident is shown once the list has painted
        qtbot.waitUntil(lambda: bool(window.incident_list.selected_incidents()))
    return window


def _select_source(window: MainWindow, wanted: Callable[[SourceView], bool]) -> SourceView:
    model = window.sources.model
    for row in range(model.rowCount()):
        if wanted(model.source_at(row)):
            window.sources.select_row(row)
            return model.source_at(row)
    raise AssertionError("no such source in the list")


def test_title_names_the_case_and_its_file(window: MainWindow) -> None:
    assert window.windowTitle() == "Al Bukamal, June 2019 — albukamal.evcase"


def test_lists_the_incident_and_counts_in_the_status_bar(window: MainWindow) -> None:
    model = window.incident_list.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, TITLE)) == INCIDENT_TITLE
    assert window.status_text().startswith("1 incident · 7 sources")


def test_clicking_the_incident_shows_its_details_and_sources(
    qtbot: QtBot, window: MainWindow
) -> None:
    table = window.incident_list.table
    table.clearSelection()
    assert window.sources.model.rowCount() == 0
    assert window.editor.incident is None

    cell = table.visualRect(table.model().index(0, TITLE)).center()
    with qtbot.wait_signal(window.incident_list.incident_selected):
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)

    editor = window.editor
    assert editor.title_edit.text() == INCIDENT_TITLE
    assert editor.place_edit.text() == "Albukamal"
    assert "البوكمال" in editor.place_info.text()
    assert (editor.latitude_edit.text(), editor.longitude_edit.text()) == ("34.4536", "40.9367")
    assert editor.event_type_combo.currentText() == "Battles"
    assert editor.sub_event_type_combo.currentText() == "Armed clash"
    assert [row.value() for row in editor.actors.rows] == [
        ("Kata'ib Hezbollah", "actor1"),
        ("National Defence Forces", "actor2"),
    ]
    assert editor.status_combo.currentText() == "under review"
    sources = window.sources.model
    assert sources.rowCount() == len(SAMPLE_FILES)
    assert {sources.source_at(r).original_filename for r in range(sources.rowCount())} == set(
        SAMPLE_FILES
    )


def test_arabic_article_reads_right_to_left(window: MainWindow) -> None:
    source = _select_source(window, lambda s: s.language == "ar")

    viewer = window.viewer
    assert viewer.showing() is viewer.text_view
    assert "البوكمال" in viewer.text_view.toPlainText()
    assert viewer.text_view.is_right_to_left()
    assert viewer.text_view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert viewer.metadata.value("Outlet") == source.outlet
    assert viewer.metadata.value("Language") == "Arabic (ar), right to left"
    assert viewer.metadata.value("SHA-256") == source.sha256

    _select_source(window, lambda s: s.language == "en" and s.kind == "article")
    assert not viewer.text_view.is_right_to_left()
    assert viewer.text_view.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_sideways_jpeg_is_shown_upright_with_its_exif(window: MainWindow) -> None:
    _select_source(window, lambda s: s.original_filename == "albukamal-square-2019-06-08.jpg")

    viewer = window.viewer
    assert viewer.showing() is viewer.image_view
    pixmap = viewer.image_view.pixmap()
    assert pixmap is not None
    assert pixmap.width() > pixmap.height()  # stored 1200 x 1600 with orientation 6
    shown = viewer.image_view.shown_rect()
    assert shown.width() > shown.height()
    assert viewer.image_view.rect().contains(shown)
    assert viewer.metadata.value("Taken") == "2019-06-08 18:42:10 (camera clock)"
    assert viewer.metadata.value("GPS") == "34.45360, 40.93670"
    assert viewer.metadata.value("Camera")
    assert "1600 × 1200" in (viewer.metadata.value("Dimensions") or "")


def test_pdf_shows_its_text_and_page_count(window: MainWindow) -> None:
    _select_source(window, lambda s: s.kind == "document")

    viewer = window.viewer
    assert viewer.showing() is viewer.text_view
    assert "Albukamal" in viewer.text_view.toPlainText()
    assert viewer.metadata.value("Pages") == "2"


def test_clicking_the_title_header_sorts_by_title(qtbot: QtBot, big_case: Case) -> None:
    window = _open(qtbot, big_case)
    model = window.incident_list.model
    before = model.incident_at(0).title
    header = window.incident_list.table.horizontalHeader()

    _click_header(qtbot, header, TITLE)

    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert before == "Incident 0999"  # by date, the earliest
    assert model.incident_at(0).title == "Incident 0000"
    _click_header(qtbot, header, TITLE)
    assert model.incident_at(0).title == "Incident 0999"


def _click_header(qtbot: QtBot, header: QHeaderView, section: int) -> None:
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_selection_follows_the_incident_when_sorted(qtbot: QtBot, big_case: Case) -> None:
    window = _open(qtbot, big_case)
    pane = window.incident_list
    pane.select_row(3)
    chosen = pane.selected_incident()

    pane.table.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)

    assert pane.selected_incident() == chosen
    assert window.editor.incident is not None
    assert window.editor.incident.id == chosen


def test_filter_box_narrows_the_list_in_sql(qtbot: QtBot, big_case: Case) -> None:
    window = _open(qtbot, big_case)
    model = window.incident_list.model

    qtbot.keyClicks(window.incident_list.filter_edit, "Incident 012")

    qtbot.waitUntil(lambda: model.total == 10)
    assert model.rowCount() == 10
    assert window.status_text().startswith("10 of 1,000 incidents")


def test_only_a_page_of_incidents_is_loaded_at_open(qtbot: QtBot, big_case: Case) -> None:
    window = _open(qtbot, big_case)

    assert window.incidents.total == BIG_CASE_INCIDENTS
    assert window.incidents.rowCount() == PAGE_SIZE


@pytest.fixture
def case_with_markup(tmp_path: Path) -> Iterator[Case]:
    markup = tmp_path / "markup.txt"
    markup.write_text(
        'Report <b>bold</b> <img src="file:///etc/passwd"> <a href="https://example.org">link</a>\n'
        "More text so that the language can be told: the clashes started in the evening.\n",
        encoding="utf-8",
    )
    with Case.create(tmp_path / "markup.evcase", "Markup") as case:
        incident = case.incidents.create(IncidentFields(title="Markup test"))
        case.sources.import_files([markup], incident.id)
        yield case


def test_source_text_is_shown_as_plain_text_never_as_html(
    qtbot: QtBot, case_with_markup: Case
) -> None:
    window = _open(qtbot, case_with_markup)

    viewer: SourceViewerPane = window.viewer
    assert viewer.showing() is viewer.text_view  # the first source is selected
    text = viewer.text_view.toPlainText()
    assert '<b>bold</b> <img src="file:///etc/passwd">' in text
    assert "<img" not in viewer.text_view.document().toHtml()  # text, not an element
    assert viewer.text_view.loadResource(0, "file:///etc/passwd") is None


def test_a_shown_case_is_kept_out_of_the_collectors_way_until_it_closes(
    qtbot: QtBot, window: MainWindow
) -> None:
    # A full collection over the desk's ~100k long-lived objects stalls a scroll for
    # 40-50 ms; once shown they are frozen, and given back when the case closes.
    import gc

    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=3000)
    window.close_case()
    assert gc.get_freeze_count() == 0


def test_going_through_many_incidents_does_not_wear_down_none(qtbot: QtBot, big_case: Case) -> None:
    # PySide6 6.12.0 on Python 3.11 dropped a reference to None for each empty QVariant
    # it handed back: ~220 per incident shown, so the desk aborted ("none_dealloc")
    # after a few hundred incidents. pyproject.toml keeps PySide6 below 6.12.
    import gc
    import sys

    window = _open(qtbot, big_case)
    table = window.incident_list.table
    # Garbage holds references to None too: collect it on both sides of the count
    # (and let the window's own collection after its first paint happen first).
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    gc.collect()
    before = sys.getrefcount(None)
    for row in range(1, 61):
        table.selectRow(row)
        qtbot.wait(1)
    gc.collect()
    assert sys.getrefcount(None) > before - 1000
