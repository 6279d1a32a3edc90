"""A picture shown upright and scaled to fit."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

# Larger pictures are decoded at this size on the long side: the view fits them to the
# pane anyway, and a 100-megapixel photo would otherwise take 400 MB.
MAX_DECODED_SIDE = 4096


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


class ImageViewer(QWidget):
    """Shows one picture centred and scaled down to fit (never enlarged). No signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self._scaled: QPixmap | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        self.setAutoFillBackground(True)

    def set_image(self, image: QImage | None) -> None:
        self._pixmap = QPixmap.fromImage(image) if image is not None else None
        self._scaled = None
        self.update()

    def pixmap(self) -> QPixmap | None:
        """The whole picture, upright, as decoded (not as scaled for the pane)."""
        return self._pixmap

    def shown_rect(self) -> QRect:
        """Where the picture is drawn, in widget coordinates (empty when none)."""
        if self._pixmap is None or self._pixmap.isNull():
            return QRect()
        size = self._pixmap.size()
        if size.width() > self.width() or size.height() > self.height():
            size = size.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        rect = QRect(0, 0, size.width(), size.height())
        rect.moveCenter(self.rect().center())
        return rect

    def sizeHint(self) -> QSize:
        return QSize(320, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(64, 64)

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.shown_rect()
        if self._pixmap is None or rect.isEmpty():
            return
        ratio = self.devicePixelRatioF()
        target = QSize(round(rect.width() * ratio), round(rect.height() * ratio))
        # Scale once per size with a smooth filter; painting a big pixmap into a small
        # rect every frame would be slow and aliased.
        if self._scaled is None or self._scaled.size() != target:
            self._scaled = self._pixmap.scaled(
                target,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._scaled.setDevicePixelRatio(ratio)
        painter = QPainter(self)
        painter.drawPixmap(rect.topLeft(), self._scaled)
        painter.end()
