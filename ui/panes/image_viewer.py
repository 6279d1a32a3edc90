"""A picture shown upright, fitted or zoomed and panned, blurred when it may be graphic."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QIcon,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

# Larger pictures are decoded at this size on the long side: a 100-megapixel photo
# would otherwise take 400 MB, and no screen shows more.
MAX_DECODED_SIDE = 4096
ZOOM_STEP = 1.25
MIN_ZOOM = 0.02
MAX_ZOOM = 16.0
# A picture shrunk to this many pixels on its long side and enlarged again keeps its
# colours and rough shapes but no detail: enough to decide whether to look.
BLUR_SIDE = 24


def decode_upright(data: bytes, max_side: int = MAX_DECODED_SIDE) -> tuple[QImage, str]:
    """Decode image bytes with their EXIF orientation applied; (image, error message).

    The image is null and the message says why when Qt cannot read the bytes.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > max_side:
        reader.setScaledSize(size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return image, "" if not image.isNull() else reader.errorString()


def blurred(image: QImage, side: int = BLUR_SIDE) -> QImage:
    """A copy of ``image`` at its own size with all detail gone (any thread)."""
    if image.isNull():
        return image
    small = image.scaled(
        side,
        side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    return small.scaled(
        image.size(),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class _PictureView(QGraphicsView):
    """The scene's view: drag to pan, Ctrl+wheel to zoom.

    Signals:
        zoom_requested(float): the factor asked for with Ctrl+wheel.
        resized(): the viewport changed size.
    """

    zoom_requested = Signal(float)
    resized = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_requested.emit(ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class ImageViewer(QWidget):
    """One picture: fit to the pane (the default), zoom in and out, 100%, pan by dragging.

    A picture marked graphic, or every picture while blur-all is on, shows blurred
    with a button to reveal it; revealing lasts until another picture is shown.

    Keys (while the viewer has focus): Ctrl++ / Ctrl+- zoom, Ctrl+0 fit, Ctrl+1 100%.

    Signals:
        revealed(): the analyst chose to see the blurred picture.

    Attributes:
        view: the ``QGraphicsView``.
        toolbar: the zoom buttons.
        fit_action, zoom_in_action, zoom_out_action, actual_size_action: their actions.
        reveal_button: shown over a blurred picture.
    """

    revealed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._pixmap: QPixmap | None = None
        self._graphic = False
        self._blur_all = False
        self._revealed = False
        self._fitting = True

        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self.view = _PictureView(self._scene)
        self.view.zoom_requested.connect(self.zoom_by)
        self.view.resized.connect(self._view_resized)

        style = self.style()
        self.toolbar = QToolBar()
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fit_action = self._action(
            "Fit", "zoom-fit-best", QKeySequence("Ctrl+0"), self.fit, "Fit the picture in the pane"
        )
        self.zoom_in_action = self._action(
            "Zoom in",
            "zoom-in",
            QKeySequence(QKeySequence.StandardKey.ZoomIn),
            self.zoom_in,
            "Zoom in",
        )
        self.zoom_out_action = self._action(
            "Zoom out",
            "zoom-out",
            QKeySequence(QKeySequence.StandardKey.ZoomOut),
            self.zoom_out,
            "Zoom out",
        )
        self.actual_size_action = self._action(
            "100%",
            "zoom-original",
            QKeySequence("Ctrl+1"),
            self.actual_size,
            "One picture pixel to one screen pixel",
        )
        # Ctrl+= too: on many keyboards + needs Shift.
        self.zoom_in_action.setShortcuts([*self.zoom_in_action.shortcuts(), QKeySequence("Ctrl+=")])

        self.reveal_button = QPushButton(self.view)
        self.reveal_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        self.reveal_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.reveal_button.clicked.connect(self.reveal)
        self.reveal_button.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._update_actions()

    def _action(
        self, text: str, theme: str, keys: QKeySequence, slot: Callable[[], None], tip: str
    ) -> QAction:
        action = QAction(QIcon.fromTheme(theme), text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # -- what is shown -------------------------------------------------------

    def set_image(self, image: QImage | None, graphic: bool = False) -> None:
        """Show ``image`` fitted to the pane (None: nothing); ``graphic`` blurs it."""
        self._image = image if image is not None and not image.isNull() else QImage()
        self._pixmap = QPixmap.fromImage(self._image) if not self._image.isNull() else None
        self._graphic = graphic
        self._revealed = False
        self._fitting = True
        self._refresh()

    def set_blur_all(self, on: bool) -> None:
        """Blur every picture until revealed (the analyst's setting)."""
        if on != self._blur_all:
            self._blur_all = on
            self._refresh()

    def is_blurred(self) -> bool:
        return self._pixmap is not None and self._wants_blur()

    def reveal(self) -> None:
        """Show the picture itself."""
        if self.is_blurred():
            self._revealed = True
            self._refresh()
            self.revealed.emit()

    def pixmap(self) -> QPixmap | None:
        """The whole picture, upright, as decoded (never blurred)."""
        return self._pixmap

    def shown_pixmap(self) -> QPixmap | None:
        """What the view draws: the picture, or its blurred copy."""
        return self._item.pixmap() if self._pixmap is not None else None

    def shown_rect(self) -> QRect:
        """Where the picture is drawn, in this widget's coordinates (empty when none)."""
        if self._pixmap is None:
            return QRect()
        on_viewport = self.view.mapFromScene(self._item.sceneBoundingRect()).boundingRect()
        visible = on_viewport.intersected(self.view.viewport().rect())
        return QRect(self.view.viewport().mapTo(self, visible.topLeft()), visible.size())

    def zoom(self) -> float:
        """The current scale: 1.0 is one picture pixel to one screen pixel."""
        return self.view.transform().m11()

    def is_fitting(self) -> bool:
        return self._fitting

    # -- zooming -------------------------------------------------------------

    def fit(self) -> None:
        """Show the whole picture, as large as fits, never enlarged beyond 100%."""
        self._fitting = True
        if self._pixmap is None:
            return
        viewport = self.view.viewport().size()
        size = self._pixmap.size()
        scale = min(
            1.0,
            max(viewport.width() - 2, 1) / size.width(),
            max(viewport.height() - 2, 1) / size.height(),
        )
        self.view.setTransform(QTransform.fromScale(scale, scale))
        self.view.centerOn(self._item)
        self._update_actions()

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def actual_size(self) -> None:
        self._fitting = False
        self.view.setTransform(QTransform())
        self._update_actions()

    def zoom_by(self, factor: float) -> None:
        if self._pixmap is None:
            return
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        self._fitting = False
        self.view.setTransform(QTransform.fromScale(target, target))
        self._update_actions()

    # -- inside --------------------------------------------------------------

    def _wants_blur(self) -> bool:
        return (self._graphic or self._blur_all) and not self._revealed

    def _refresh(self) -> None:
        if self._pixmap is None:
            self._item.setPixmap(QPixmap())
            self._scene.setSceneRect(0, 0, 0, 0)
        else:
            shown = QPixmap.fromImage(blurred(self._image)) if self._wants_blur() else self._pixmap
            self._item.setPixmap(shown)
            self._scene.setSceneRect(self._item.boundingRect())
            if self._fitting:
                self.fit()
        blur = self.is_blurred()
        self.reveal_button.setText(
            "Marked graphic: click to show the picture"
            if self._graphic
            else "Pictures are blurred: click to show this one"
        )
        self.reveal_button.adjustSize()
        self.reveal_button.setVisible(blur)
        self._place_reveal_button()
        self._update_actions()

    def _update_actions(self) -> None:
        has = self._pixmap is not None
        for action in (self.fit_action, self.zoom_in_action, self.zoom_out_action):
            action.setEnabled(has)
        self.actual_size_action.setEnabled(has)
        self.zoom_in_action.setEnabled(has and self.zoom() < MAX_ZOOM)
        self.zoom_out_action.setEnabled(has and self.zoom() > MIN_ZOOM)

    def _place_reveal_button(self) -> None:
        button = self.reveal_button
        rect = button.rect()
        rect.moveCenter(self.view.rect().center())
        button.move(rect.topLeft())
        button.raise_()

    def _view_resized(self) -> None:
        if self._fitting:
            self.fit()
        self._place_reveal_button()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fitting:
            self.fit()

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(64, 64)
