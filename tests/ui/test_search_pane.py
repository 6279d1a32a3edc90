"""The search pane: hits as you type, grouped by kind, hits in bold, source text never
markup, right-to-left snippets, and a chosen hit names what to open."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QTextCursor, QTextDocument
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.services.search import SearchResult
from ui.models.search import DIRECTION_ROLE, SNIPPET_HTML_ROLE, SearchResultModel
from ui.panes.search import SEARCH_DELAY_MS, ResultDelegate, SearchPane

ARABIC_TITLE_START = "اشتباكات بين ميليشيات إيرانية"


def _pane(qtbot: QtBot, case: Case) -> SearchPane:
    pane = SearchPane(case)
    qtbot.addWidget(pane)
    pane.resize(420, 600)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def _search(qtbot: QtBot, pane: SearchPane, text: str) -> None:
    """Type ``text`` and wait for its hits."""
    pane.focus_search()
    with qtbot.waitSignal(pane.results_shown, check_params_cb=lambda q: q == text):
        qtbot.keyClicks(pane.field, text)


def _search_now(qtbot: QtBot, pane: SearchPane, text: str) -> None:
    with qtbot.waitSignal(pane.results_shown, check_params_cb=lambda q: q == text):
        pane.search(text)


def _groups(pane: SearchPane) -> list[str]:
    model = pane.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _hits(pane: SearchPane, group: str) -> list[QModelIndex]:
    model = pane.model
    parent = next(
        model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == group
    )
    return [model.index(row, 0, parent) for row in range(model.rowCount(parent))]


def _document(pane: SearchPane, index: QModelIndex) -> QTextDocument:
    delegate = pane.view.itemDelegate()
    assert isinstance(delegate, ResultDelegate)
    return delegate.document(index, 400)


def _bold_runs(document: QTextDocument) -> list[str]:
    """The runs of bold characters, as drawn."""
    runs: list[str] = []
    text = document.toPlainText()
    cursor = QTextCursor(document)
    current = ""
    for position in range(1, len(text) + 1):
        cursor.setPosition(position)  # the format of the character before the cursor
        if cursor.charFormat().fontWeight() >= QFont.Weight.Bold:
            current += text[position - 1]
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


@pytest.fixture
def case_with_markup_note(editable_case: Case) -> Case:
    incident = editable_case.incidents.rows()[0]
    editable_case.notes.add(
        "Kata'ib Hezbollah claims it, says <b>not bold</b> & more",
        incident_id=incident.id,
    )
    return editable_case


def test_hits_follow_typing_grouped_by_kind_with_bold_hits_and_escaped_text(
    qtbot: QtBot, case_with_markup_note: Case
) -> None:
    pane = _pane(qtbot, case_with_markup_note)

    pane.focus_search()
    shown = qtbot.waitSignal(pane.results_shown, timeout=SEARCH_DELAY_MS * 20)
    qtbot.keyClicks(pane.field, "Hezbollah")
    assert pane.model.rowCount() == 0  # not yet: results wait for a pause in typing
    shown.wait()

    assert _groups(pane) == ["Sources (2)", "Notes (1)"]
    assert pane.summary.text() == "2 sources, 1 note"
    for hit in _hits(pane, "Sources (2)"):
        assert "Hezbollah" in _bold_runs(_document(pane, hit))
    (note,) = _hits(pane, "Notes (1)")
    assert note.data() == f"Note on {case_with_markup_note.incidents.rows()[0].title}"
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; more" in note.data(SNIPPET_HTML_ROLE)
    document = _document(pane, note)
    assert "says <b>not bold</b> & more" in document.toPlainText()
    assert _bold_runs(document) == ["Hezbollah"]


def test_an_arabic_query_finds_the_arabic_article_laid_out_right_to_left(
    qtbot: QtBot, sample_case: Case
) -> None:
    pane = _pane(qtbot, sample_case)
    _search_now(qtbot, pane, "البوكمال")

    hits = _hits(pane, "Sources (2)")
    arabic = next(hit for hit in hits if hit.data().startswith(ARABIC_TITLE_START))
    assert arabic.data(DIRECTION_ROLE) == Qt.LayoutDirection.RightToLeft
    document = _document(pane, arabic)
    document.size()  # lays it out, as drawing does
    title, snippet = document.firstBlock(), document.firstBlock().next()
    for block in (title, snippet):
        assert block.layout().textOption().textDirection() == Qt.LayoutDirection.RightToLeft
    assert snippet.layout().lineAt(0).naturalTextRect().right() > 400 - 20  # from the right
    assert "البوكمال" in _bold_runs(document)
    english = next(hit for hit in hits if hit is not arabic)
    assert english.data(DIRECTION_ROLE) == Qt.LayoutDirection.LeftToRight


def test_clicking_a_source_hit_opens_it_in_its_incident_with_the_query(
    qtbot: QtBot, sample_case: Case
) -> None:
    incident_id = sample_case.incidents.rows()[0].id
    pane = _pane(qtbot, sample_case)
    _search(qtbot, pane, "Hezbollah")
    first = _hits(pane, "Sources (2)")[0]
    result: SearchResult = pane.model.result(first)  # type: ignore[assignment]
    pane.view.scrollTo(first)

    with qtbot.waitSignal(pane.open_source) as opened:
        qtbot.mouseClick(
            pane.view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=pane.view.visualRect(first).center(),
        )

    assert opened.args == [incident_id, result.id, "Hezbollah"]


def test_enter_opens_the_best_hit_and_a_note_hit_opens_its_incident(
    qtbot: QtBot, case_with_markup_note: Case
) -> None:
    incident_id = case_with_markup_note.incidents.rows()[0].id
    pane = _pane(qtbot, case_with_markup_note)
    _search(qtbot, pane, "bold")
    assert _groups(pane) == ["Notes (1)"]

    with qtbot.waitSignal(pane.open_incident) as opened:
        qtbot.keyClick(pane.field, Qt.Key.Key_Return)

    assert opened.args == [incident_id, "bold"]


def test_enter_typed_before_the_hits_came_opens_the_best_hit(
    qtbot: QtBot, sample_case: Case
) -> None:
    pane = _pane(qtbot, sample_case)
    pane.focus_search()

    with qtbot.waitSignal(pane.open_source) as opened:
        qtbot.keyClicks(pane.field, "Hezbollah")
        qtbot.keyClick(pane.field, Qt.Key.Key_Return)

    best = pane.model.result(pane.model.first_result_index())
    assert best is not None
    assert opened.args == [sample_case.incidents.rows()[0].id, best.id, "Hezbollah"]


def test_down_then_enter_chooses_from_the_list(qtbot: QtBot, sample_case: Case) -> None:
    pane = _pane(qtbot, sample_case)
    _search(qtbot, pane, "Hezbollah")

    qtbot.keyClick(pane.field, Qt.Key.Key_Down)
    assert pane.view.hasFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    second = _hits(pane, "Sources (2)")[1]
    with qtbot.waitSignal(pane.open_source) as opened:
        qtbot.keyClick(pane.view, Qt.Key.Key_Return)

    assert opened.args[1] == pane.model.result(second).id  # type: ignore[union-attr]


def test_no_matches_then_escape_clears(qtbot: QtBot, sample_case: Case) -> None:
    pane = _pane(qtbot, sample_case)
    _search(qtbot, pane, "zzyzx")

    assert pane.model.rowCount() == 0
    assert pane.hint.text() == "No matches for “zzyzx”."
    assert pane.hint.isVisible()
    assert not pane.view.isVisible()

    qtbot.keyClick(pane.field, Qt.Key.Key_Escape)

    assert pane.field.text() == ""
    assert pane.query() == ""
    assert pane.hint.text().startswith("Type to search")


def test_a_source_hit_prefers_the_incident_on_screen(qtbot: QtBot, editable_case: Case) -> None:
    first_incident = editable_case.incidents.rows()[0].id
    source = next(
        s for s in editable_case.sources.list(incident_id=first_incident) if s.language == "ar"
    )
    other = editable_case.incidents.create(IncidentFields(title="Later"))
    editable_case.incidents.attach(other.id, [source.id])
    pane = _pane(qtbot, editable_case)
    pane.set_current_incident(other.id)
    _search_now(qtbot, pane, "البوكمال")
    hit = next(h for h in _hits(pane, "Sources (2)") if pane.model.result(h).id == source.id)  # type: ignore[union-attr]

    with qtbot.waitSignal(pane.open_source) as opened:
        pane.view.chosen.emit(hit)

    assert opened.args == [other.id, source.id, "البوكمال"]


def test_the_query_runs_off_the_gui_thread(
    qtbot: QtBot, sample_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real_search = sample_case.search

    def spy(query: str, limit: int = 50) -> list[SearchResult]:
        threads.append(threading.current_thread())
        return real_search(query, limit)

    monkeypatch.setattr(sample_case, "search", spy)
    pane = _pane(qtbot, sample_case)
    _search_now(qtbot, pane, "Albukamal")

    assert pane.model.result_count() > 0
    assert threads
    assert threading.main_thread() not in threads


def test_the_model_is_sound(qtmodeltester: ModelTester, sample_case: Case) -> None:
    model = SearchResultModel()
    model.set_results(sample_case.search("Albukamal") + sample_case.search("البوكمال"))
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.set_results([])
    qtmodeltester.check(model)
