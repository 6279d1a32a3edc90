"""One source: its extracted text or its picture, and what is known about it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.services.sources import SourceView
from desk.vocab import is_right_to_left
from ui.models.sources import language_name
from ui.panes.image_viewer import ImageViewer, decode_upright
from ui.widgets.field_list import Field, FieldList
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

NO_SOURCE = "Select a source to read its text or see its picture."


class SourceTextView(QTextBrowser):
    """A source's extracted text, always as plain text, never rendered as HTML.

    It loads nothing: ``loadResource`` returns no data and links do not open, so
    nothing in a source can reach the network or the disk. No signals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(16)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        return None

    def show_text(self, text: str, right_to_left: bool) -> None:
        """Show ``text``; right-to-left text is laid out from the right, other text
        takes each paragraph's direction from its first letters."""
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight
        )
        document = self.document()
        option = document.defaultTextOption()
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft
            if right_to_left
            else Qt.LayoutDirection.LayoutDirectionAuto
        )
        document.setDefaultTextOption(option)
        # setPlainText: never HTML. Also the one fast way in: a 5 MB text takes
        # milliseconds, where cursor edits or block formats would take seconds.
        self.setPlainText(text)

    def is_right_to_left(self) -> bool:
        direction = self.document().defaultTextOption().textDirection()
        return direction == Qt.LayoutDirection.RightToLeft


class SourceViewerPane(QWidget):
    """The selected source: text (right-to-left for Arabic, Persian ...) or picture
    (upright, fitted), above its metadata. Text and pictures load only when a source
    is shown. No signals.

    Attributes:
        title: the source's title.
        text_view: the ``SourceTextView`` for articles, documents and notes.
        image_view: the ``ImageViewer`` for images.
        metadata: the ``FieldList`` of outlet, dates, file, SHA-256 ...
    """

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)

        self._hint = hint_label(NO_SOURCE)
        self.text_view = SourceTextView()
        self.image_view = ImageViewer()
        self._stack = QStackedWidget()
        for page in (self._hint, self.text_view, self.image_view):
            self._stack.addWidget(page)

        self.metadata = FieldList()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.metadata)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._stack)
        splitter.addWidget(scroll)
        splitter.setSizes([600, 240])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        self.title.hide()

    def showing(self) -> QWidget | None:
        """The page in view: ``text_view``, ``image_view`` or the hint."""
        return self._stack.currentWidget()

    def show_source(self, source: SourceView | None) -> None:
        self.text_view.clear()
        self.image_view.set_image(None)
        if source is None:
            self.title.hide()
            self.metadata.set_fields([])
            self._show_hint(NO_SOURCE)
            return
        self.title.setText(source.title)
        self.title.show()
        self.metadata.set_fields(source_fields(source))
        try:
            if source.kind == "image":
                self._show_picture(source)
            else:
                self._show_text(source)
        except DeskError as exc:  # e.g. the original no longer matches its SHA-256
            self._show_hint(str(exc))

    def _show_text(self, source: SourceView) -> None:
        text = self._case.sources.text(source.id)
        if not text.strip():
            self._show_hint("No text was extracted from this file.")
            return
        self.text_view.show_text(text, is_right_to_left(source.language))
        self._stack.setCurrentWidget(self.text_view)

    def _show_picture(self, source: SourceView) -> None:
        image, error = decode_upright(self._case.sources.original(source.id))
        if image.isNull():
            self._show_hint(f"This picture cannot be shown ({error}).")
            return
        self.image_view.set_image(image)
        self._stack.setCurrentWidget(self.image_view)

    def _show_hint(self, text: str) -> None:
        self._hint.setText(text)
        self._stack.setCurrentWidget(self._hint)


def source_fields(source: SourceView) -> list[Field]:
    """The metadata rows for a source; pictures lead with when, where and what camera."""
    picture: list[Field] = []
    if source.kind == "image":
        gps = (
            f"{source.gps_lat:.5f}, {source.gps_lon:.5f}"
            if source.gps_lat is not None and source.gps_lon is not None
            else ""
        )
        picture = [
            # EXIF times are the camera's clock, whatever zone it was set to.
            Field("Taken", _when(source.taken_at, "%Y-%m-%d %H:%M:%S", "(camera clock)")),
            Field("GPS", gps),
            Field("GPS note", str(source.details.get("gps_note") or "")),
            Field("Camera", str(source.details.get("camera") or "")),
            Field("Dimensions", _dimensions(source)),
            Field("Graphic", "yes: may show injury or death" if source.graphic else ""),
        ]
    outlet = source.outlet or ""
    if outlet and source.outlet_reliability:
        outlet = f"{outlet} (reliability {source.outlet_reliability})"
    language = ""
    if source.language:
        language = f"{language_name(source.language)} ({source.language})"
        if is_right_to_left(source.language):
            language += ", right to left"
    acquired = ""
    if source.acquisitions:
        first = source.acquisitions[0]
        acquired = f"{_when(first.acquired_at, '%Y-%m-%d %H:%M', 'UTC')} by {first.acquired_by}"
        if len(source.acquisitions) > 1:
            acquired += f", and {len(source.acquisitions) - 1} more time(s)"
    return [
        *picture,
        Field("Outlet", outlet),
        Field("Author", source.author or ""),
        Field("Published", _published(source)),
        Field("URL", source.url or "", exact=True),
        Field("Language", language),
        Field("Pages", str(source.page_count) if source.page_count else ""),
        Field("Warning", source.extraction_warning or "", warning=True),
        Field("Acquired", acquired),
        Field("Original file", source.original_filename or ""),
        Field("Type", f"{source.kind}, {source.media_type}"),
        Field("Size", _size(source.size)),
        Field("SHA-256", source.sha256 or "", exact=True),
    ]


def _when(moment: datetime | None, pattern: str, zone: str) -> str:
    return f"{moment.strftime(pattern)} {zone}" if moment is not None else ""


def _published(source: SourceView) -> str:
    if source.published_at is not None and source.published_precision == "datetime":
        return _when(source.published_at, "%Y-%m-%d %H:%M", "UTC")
    return source.published_text


def _dimensions(source: SourceView) -> str:
    if source.upright_size is None:
        return ""
    width, height = source.upright_size
    text = f"{width} × {height} px"
    if source.image_orientation not in (None, 1):
        text += f" (stored turned; EXIF orientation {source.image_orientation})"
    return text


def _size(size: int | None) -> str:
    if size is None:
        return ""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"
