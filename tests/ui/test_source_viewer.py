"""The source viewer's parts: text direction, picture decoding, failures shown in the pane."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from db.models import Blob
from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.services.sources import SourceView
from tests.ui.conftest import SAMPLES
from ui.panes.image_viewer import decode_upright
from ui.panes.source_viewer import SourceTextView, SourceViewerPane

ARABIC = "deir-ezzor-news-ar-2019-06-08.html"
ENGLISH = "al-bukamal-irancommentary-2019-06-08.txt"
PHOTO = "albukamal-square-2019-06-08.jpg"


def test_other_text_takes_each_paragraphs_direction(qtbot: QtBot) -> None:
    view = SourceTextView()
    qtbot.addWidget(view)

    view.show_text("An English paragraph.\nفقرة عربية في البوكمال", right_to_left=False)

    first = view.document().firstBlock()
    assert first.textDirection() == Qt.LayoutDirection.LeftToRight
    assert first.next().textDirection() == Qt.LayoutDirection.RightToLeft
    assert not view.is_right_to_left()


def test_right_to_left_text_is_laid_out_from_the_right(qtbot: QtBot) -> None:
    view = SourceTextView()
    qtbot.addWidget(view)

    view.show_text("فقرة عربية\nEnglish quoted inside", right_to_left=True)

    block = view.document().firstBlock()
    while block.isValid():
        assert block.textDirection() == Qt.LayoutDirection.RightToLeft
        block = block.next()
    assert view.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_pictures_are_decoded_upright_and_big_ones_smaller() -> None:
    data = (SAMPLES / "albukamal-square-2019-06-08.jpg").read_bytes()

    whole, error = decode_upright(data)
    small, _ = decode_upright(data, max_side=400)

    assert error == ""
    assert (whole.width(), whole.height()) == (1600, 1200)
    assert (small.width(), small.height()) == (400, 300)


def test_bytes_that_are_no_picture_give_a_reason() -> None:
    image, error = decode_upright(b"not a picture")

    assert image.isNull()
    assert error


@pytest.fixture
def case_with_photo(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "photo.evcase", "Photo") as case:
        incident = case.incidents.create(IncidentFields(title="Photo test"))
        case.sources.import_files([SAMPLES / "albukamal-square-2019-06-08.jpg"], incident.id)
        yield case


def test_an_altered_original_is_reported_in_the_pane(qtbot: QtBot, case_with_photo: Case) -> None:
    with case_with_photo.write() as session:
        session.execute(update(Blob).values(data=b"altered"))
    pane = SourceViewerPane(case_with_photo)
    qtbot.addWidget(pane)

    pane.show_source(case_with_photo.sources.list()[0])

    shown = pane.showing()
    assert isinstance(shown, QLabel)
    assert "no longer matches its SHA-256" in shown.text()
    assert pane.metadata.value("SHA-256")  # what is known is still shown


def _viewer(qtbot: QtBot, case: Case) -> SourceViewerPane:
    pane = SourceViewerPane(case)
    qtbot.addWidget(pane)
    pane.resize(800, 700)
    with qtbot.waitExposed(pane):
        pane.show()
    return pane


def _source(case: Case, filename: str) -> SourceView:
    return next(s for s in case.sources.list() if s.original_filename == filename)


def test_save_original_writes_the_identical_bytes(
    qtbot: QtBot, sample_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = _viewer(qtbot, sample_case)
    source = _source(sample_case, ARABIC)
    pane.show_source(source)
    asked: list[str] = []
    target = tmp_path / "saved" / "copy.html"
    target.parent.mkdir()

    def ask(suggested: str) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(pane, "_ask_save_path", ask)
    assert pane.save_button.isVisible()
    with qtbot.waitSignal(pane.original_saved) as saved:
        qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)

    assert asked == [ARABIC]
    assert saved.args == [target]
    assert hashlib.sha256(target.read_bytes()).hexdigest() == source.sha256
    assert target.read_bytes() == (SAMPLES / ARABIC).read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["copy.html"]  # no temporary left
    assert str(target) in pane.status.text()


def test_save_original_reports_a_folder_it_cannot_write(
    qtbot: QtBot, sample_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = _viewer(qtbot, sample_case)
    pane.show_source(_source(sample_case, ARABIC))
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.panes.source_viewer.show_error", lambda _p, error, _t="": shown.append(str(error))
    )
    monkeypatch.setattr(pane, "_ask_save_path", lambda _name: tmp_path / "missing" / "x.html")

    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))

    assert "cannot write" in shown[0]
    assert pane.status.text() == shown[0]
    assert not (tmp_path / "missing").exists()


def _python_hits(text: str, term: str) -> list[str]:
    return re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)


def test_highlight_marks_every_english_hit_whatever_the_case(
    qtbot: QtBot, sample_case: Case
) -> None:
    pane = _viewer(qtbot, sample_case)
    pane.show_source(_source(sample_case, ENGLISH))
    text = pane.text_view.toPlainText()
    expected = _python_hits(text, "russian")
    assert len(expected) >= 2

    count = pane.highlight("RUSSIAN")

    assert count == len(expected) == len(pane.text_view.extraSelections())
    assert pane.text_view.highlights() == expected
    selections = pane.text_view.extraSelections()
    first = selections[0].cursor.selectionStart()
    assert pane.text_view.textCursor().position() == first  # scrolled to the first

    assert pane.highlight("russian military") > count  # every term of the query
    assert pane.highlight("") == 0
    assert pane.text_view.extraSelections() == []


def test_highlight_marks_arabic_hits(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    pane.show_source(_source(sample_case, ARABIC))
    text = pane.text_view.toPlainText()
    expected = _python_hits(text, "البوكمال")
    assert expected

    assert pane.highlight("البوكمال") == len(expected)
    assert pane.text_view.highlights() == expected


def test_highlight_finds_arabic_words_written_with_vowel_marks(qtbot: QtBot) -> None:
    view = SourceTextView()
    qtbot.addWidget(view)
    view.show_text("مَقْتَلُ أربعة أشخاص. وقال الشهود إن المقتل وقع مساءً، مقتل", right_to_left=True)

    assert view.highlight("مقتل") == 2  # not "المقتل": whole words, as the search finds them
    assert view.highlights() == ["مَقْتَلُ", "مقتل"]
    assert view.highlight("ال*") == 2  # a prefix search marks the whole words
    assert view.highlights() == ["الشهود", "المقتل"]
    assert view.highlight('"أربعة أشخاص"') == 1


def test_a_picture_has_nothing_to_highlight(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    pane.show_source(_source(sample_case, PHOTO))

    assert pane.highlight("Albukamal") == 0
