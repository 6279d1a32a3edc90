"""The source viewer's parts: text direction, picture decoding, failures shown in the pane."""

from __future__ import annotations

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
from tests.ui.conftest import SAMPLES
from ui.panes.image_viewer import decode_upright
from ui.panes.source_viewer import SourceTextView, SourceViewerPane


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
