"""Pictures: upright, fit, zoom and pan, the EXIF facts, the thumbnail grid, and
graphic pictures blurred until the analyst reveals them."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QMouseEvent, QPixmap, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.sources import SourceView
from ui.panes.image_viewer import ImageViewer
from ui.panes.source_viewer import SourceViewerPane
from ui.panes.thumbnails import BlurredRole, ThumbnailGrid

PHOTO = "albukamal-square-2019-06-08.jpg"
SKETCH = "map-sketch-no-metadata.png"


def _source(case: Case, filename: str) -> SourceView:
    return next(s for s in case.sources.list() if s.original_filename == filename)


def _incident(case: Case) -> uuid.UUID:
    return case.incidents.rows(limit=1)[0].id


def _viewer(qtbot: QtBot, case: Case, filename: str = PHOTO) -> SourceViewerPane:
    pane = SourceViewerPane(case)
    qtbot.addWidget(pane)
    pane.resize(800, 760)
    with qtbot.waitExposed(pane):
        pane.show()
    pane.show_source(_source(case, filename))
    assert pane.showing() is pane.image_view
    return pane


def _click(qtbot: QtBot, viewer: ImageViewer, action_name: str) -> None:
    button = viewer.toolbar.widgetForAction(getattr(viewer, action_name))
    assert isinstance(button, QToolButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _whole_picture_in_view(viewer: ImageViewer) -> bool:
    view = viewer.view
    drawn = view.mapFromScene(view.sceneRect()).boundingRect()
    return view.viewport().rect().contains(drawn)


def test_the_sideways_photo_is_shown_upright_and_fitted(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    viewer = pane.image_view

    pixmap = viewer.pixmap()
    assert pixmap is not None
    assert (pixmap.width(), pixmap.height()) == (1600, 1200)  # stored 1200 x 1600, EXIF 6
    assert viewer.is_fitting()
    assert _whole_picture_in_view(viewer)
    shown = viewer.shown_rect()
    assert shown.width() > shown.height()
    assert viewer.zoom() < 1  # 1600 px wide does not fit 800 px unscaled


def test_zoom_buttons_change_the_view_and_fit_shows_it_all_again(
    qtbot: QtBot, sample_case: Case
) -> None:
    pane = _viewer(qtbot, sample_case)
    viewer = pane.image_view
    fitted = viewer.zoom()

    _click(qtbot, viewer, "zoom_in_action")
    _click(qtbot, viewer, "zoom_in_action")
    assert viewer.zoom() == pytest.approx(fitted * 1.25 * 1.25)
    assert not viewer.is_fitting()
    assert not _whole_picture_in_view(viewer)

    _click(qtbot, viewer, "zoom_out_action")
    assert viewer.zoom() == pytest.approx(fitted * 1.25)

    _click(qtbot, viewer, "actual_size_action")
    assert viewer.zoom() == 1.0
    assert viewer.view.transform().m22() == 1.0

    _click(qtbot, viewer, "fit_action")
    assert viewer.zoom() == pytest.approx(fitted)
    assert _whole_picture_in_view(viewer)


def test_ctrl_wheel_and_keys_zoom(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    viewer = pane.image_view
    fitted = viewer.zoom()
    viewport = viewer.view.viewport()
    centre = QPointF(viewport.rect().center())

    wheel = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(viewport.rect().center())),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert viewer.zoom() == pytest.approx(fitted * 1.25)

    with qtbot.waitActive(pane):
        pane.activateWindow()
    viewer.view.setFocus()
    qtbot.keyClick(viewer.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == pytest.approx(fitted)
    qtbot.keyClick(viewer.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(viewer.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == 1.0
    qtbot.keyClick(viewer.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom() == pytest.approx(fitted)


def _mouse(kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> QMouseEvent:
    return QMouseEvent(
        kind,
        QPointF(at),
        QPointF(at),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )


def test_dragging_pans_a_zoomed_picture(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    viewer = pane.image_view
    _click(qtbot, viewer, "actual_size_action")
    bars = viewer.view.horizontalScrollBar(), viewer.view.verticalScrollBar()
    before = [bar.value() for bar in bars]
    viewport = viewer.view.viewport()
    start = viewport.rect().center()
    end = start - QPoint(120, 80)

    left = Qt.MouseButton.LeftButton
    QApplication.sendEvent(viewport, _mouse(QEvent.Type.MouseButtonPress, start, left))
    QApplication.sendEvent(viewport, _mouse(QEvent.Type.MouseMove, end, left))
    QApplication.sendEvent(
        viewport, _mouse(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    )

    after = [bar.value() for bar in bars]
    assert after[0] == before[0] + 120
    assert after[1] == before[1] + 80


def test_the_exif_facts_and_copy_coordinates(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    QGuiApplication.clipboard().clear()

    assert pane.metadata.value("Taken") == "2019-06-08 18:42:10 (camera clock)"
    assert pane.metadata.value("Camera")
    assert pane.metadata.value("Dimensions") == "1600 × 1200 px"
    assert "EXIF 6" in (pane.metadata.value("Orientation") or "")
    assert pane.copy_coordinates_button.isVisible()
    qtbot.mouseClick(pane.copy_coordinates_button, Qt.MouseButton.LeftButton)

    assert QGuiApplication.clipboard().text() == "34.4536, 40.9367"


def test_no_coordinates_no_copy_button(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case, SKETCH)

    assert not pane.copy_coordinates_button.isVisible()
    assert pane.coordinates_text() == ""


# -- blurring ------------------------------------------------------------------


def _edges(pixmap: QPixmap | None) -> float:
    """Mean brightness change between neighbouring pixels: detail, which blur removes."""
    assert pixmap is not None
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    step = max(1, image.width() // 200)
    total = count = 0
    for y in range(0, image.height() - 1, step):
        for x in range(0, image.width() - 1, step):
            here = image.pixelColor(x, y).value()
            total += abs(here - image.pixelColor(x + 1, y).value())
            total += abs(here - image.pixelColor(x, y + 1).value())
            count += 2
    return total / count


def _same_pixels(a: QPixmap | None, b: QPixmap | None) -> bool:
    assert a is not None
    assert b is not None
    return a.toImage().convertToFormat(QImage.Format.Format_RGB32) == b.toImage().convertToFormat(
        QImage.Format.Format_RGB32
    )


def test_a_graphic_picture_is_blurred_until_revealed(qtbot: QtBot, editable_case: Case) -> None:
    editable_case.sources.set_graphic(_source(editable_case, PHOTO).id, True)
    pane = _viewer(qtbot, editable_case)
    viewer = pane.image_view

    assert viewer.is_blurred()
    assert viewer.reveal_button.isVisible()
    assert "graphic" in viewer.reveal_button.text().lower()
    original = viewer.pixmap()
    assert _edges(viewer.shown_pixmap()) < 0.3 * _edges(original)
    assert not _same_pixels(viewer.shown_pixmap(), original)

    with qtbot.waitSignal(viewer.revealed):
        qtbot.mouseClick(viewer.reveal_button, Qt.MouseButton.LeftButton)

    assert not viewer.is_blurred()
    assert not viewer.reveal_button.isVisible()
    assert _same_pixels(viewer.shown_pixmap(), original)

    # Revealing lasts for this picture in this view: shown again, it stays revealed ...
    pane.show_source(_source(editable_case, PHOTO))
    assert not viewer.is_blurred()
    # ... until another source was shown in between.
    pane.show_source(_source(editable_case, SKETCH))
    pane.show_source(_source(editable_case, PHOTO))
    assert viewer.is_blurred()


def test_blur_all_blurs_every_picture_live(qtbot: QtBot, sample_case: Case) -> None:
    pane = _viewer(qtbot, sample_case)
    viewer = pane.image_view
    original = viewer.pixmap()
    assert not viewer.is_blurred()

    pane.set_blur_all(True)
    assert viewer.is_blurred()
    assert "blurred" in viewer.reveal_button.text().lower()
    assert _edges(viewer.shown_pixmap()) < 0.3 * _edges(original)

    pane.show_source(_source(sample_case, SKETCH))
    assert viewer.is_blurred()

    pane.set_blur_all(False)
    assert not viewer.is_blurred()
    assert _same_pixels(viewer.shown_pixmap(), viewer.pixmap())


# -- thumbnails ----------------------------------------------------------------


@pytest.fixture
def grid(qtbot: QtBot, sample_case: Case) -> ThumbnailGrid:
    grid = ThumbnailGrid(sample_case)
    qtbot.addWidget(grid)
    grid.resize(600, 300)
    with qtbot.waitExposed(grid):
        grid.show()
    grid.show_incident(_incident(sample_case))
    return grid


def test_the_grid_lists_the_incidents_pictures(
    qtbot: QtBot, qtmodeltester: ModelTester, grid: ThumbnailGrid
) -> None:
    model = grid.model
    names = {model.source_at(r).original_filename for r in range(model.rowCount())}

    assert names == {PHOTO, SKETCH}
    qtmodeltester.check(model)
    photo_row = next(
        r for r in range(model.rowCount()) if model.source_at(r).original_filename == PHOTO
    )
    thumbnail = model.data(model.index(photo_row), Qt.ItemDataRole.DecorationRole)
    assert isinstance(thumbnail, QPixmap)
    assert thumbnail.width() > thumbnail.height()  # upright, like the picture

    rect = grid.view.visualRect(model.index(photo_row))
    with qtbot.waitSignal(grid.image_selected) as chosen:
        qtbot.mouseClick(grid.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args[0].original_filename == PHOTO

    grid.show_incident(None)
    assert model.rowCount() == 0


def _thumbnail(grid: ThumbnailGrid, row: int) -> QPixmap:
    value = grid.model.data(grid.model.index(row), Qt.ItemDataRole.DecorationRole)
    assert isinstance(value, QPixmap)
    return value


def test_graphic_thumbnails_are_blurred_until_double_clicked(
    qtbot: QtBot, editable_case: Case
) -> None:
    editable_case.sources.set_graphic(_source(editable_case, PHOTO).id, True)
    grid = ThumbnailGrid(editable_case)
    qtbot.addWidget(grid)
    grid.resize(600, 300)
    with qtbot.waitExposed(grid):
        grid.show()
    grid.show_incident(_incident(editable_case))
    model = grid.model
    rows = {model.source_at(r).original_filename: r for r in range(model.rowCount())}
    photo, sketch = rows[PHOTO], rows[SKETCH]

    assert model.data(model.index(photo), BlurredRole) is True
    assert model.data(model.index(sketch), BlurredRole) is False
    blurred_photo = _thumbnail(grid, photo)

    rect = grid.view.visualRect(model.index(photo))
    # QTest's double click sends only the second press; a person's starts with a click.
    qtbot.mouseClick(grid.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert model.data(model.index(photo), BlurredRole) is True  # one click only chooses
    qtbot.mouseDClick(grid.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert model.data(model.index(photo), BlurredRole) is False
    revealed_photo = _thumbnail(grid, photo)
    assert _edges(blurred_photo) < 0.5 * _edges(revealed_photo)

    grid.set_blur_all(True)
    assert model.data(model.index(sketch), BlurredRole) is True
    assert model.data(model.index(photo), BlurredRole) is False  # revealed stays revealed


def test_blur_all_blurs_every_thumbnail_live(grid: ThumbnailGrid) -> None:
    model = grid.model
    rows = {model.source_at(r).original_filename: r for r in range(model.rowCount())}
    clear_photo = _thumbnail(grid, rows[PHOTO])

    grid.set_blur_all(True)

    assert all(model.data(model.index(r), BlurredRole) for r in rows.values())
    assert _edges(_thumbnail(grid, rows[PHOTO])) < 0.5 * _edges(clear_photo)

    grid.set_blur_all(False)
    assert not any(model.data(model.index(r), BlurredRole) for r in rows.values())
    assert _same_pixels(_thumbnail(grid, rows[PHOTO]), clear_photo)
