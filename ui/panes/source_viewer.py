"""One source: its extracted text or its picture, and what is known about it."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.files import size_text
from desk.services.sources import SourceView
from desk.vocab import is_right_to_left
from ui.commands.sources import SetOutlet
from ui.errors import show_error
from ui.models.sources import language_name
from ui.operations import CancelFlag, Operation, Progress
from ui.panes.image_viewer import ImageViewer, decode_upright
from ui.widgets.field_list import Field, FieldList
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

NO_SOURCE = "Select a source to read its text or see its picture."
# Enough to see where a common word is; more would only slow a long text down.
MAX_HIGHLIGHTS = 5000
_HIT = QColor(255, 230, 120)
_FIRST_HIT = QColor(255, 170, 60)
# Words, "quoted phrases" and prefix* as the search box reads them (db.search.fts_query).
_TERM = re.compile(r'"[^"]*"|[^\s"]+')
# Arabic short vowels, shadda, sukun, dagger alif and tatweel: a word matches with or
# without them, as a reader would expect.
_MARKS = r"\x{0610}-\x{061A}\x{0640}\x{064B}-\x{065F}\x{0670}\x{06D6}-\x{06ED}"
_ARABIC_MARKS = f"[{_MARKS}]*"
# The rest of a word after a prefix* term, marks included.
_WORD_REST = rf"[\w{_MARKS}]*"


def highlight_pattern(query: str) -> QRegularExpression | None:
    """One case-insensitive expression for every term of a search query, matching whole
    words (or, for a term ending in ``*``, words that start with it); None if no term."""
    alternatives: list[str] = []
    for token in _TERM.findall(query):
        prefix = token.endswith("*") and not token.startswith('"')
        words = token.strip('"').rstrip("*").split()
        if not words:
            continue
        body = r"\s+".join(
            "".join(re.escape(char) + _ARABIC_MARKS for char in word) for word in words
        )
        alternatives.append(rf"(?<!\w){body}" + (_WORD_REST if prefix else r"(?!\w)"))
    if not alternatives:
        return None
    options = (
        QRegularExpression.PatternOption.CaseInsensitiveOption
        | QRegularExpression.PatternOption.UseUnicodePropertiesOption
    )
    return QRegularExpression("|".join(alternatives), options)


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

    def highlight(self, query: str) -> int:
        """Mark every occurrence of the query's terms (any case) and scroll to the
        first; an empty query clears the marks. Returns the number marked."""
        pattern = highlight_pattern(query)
        selections: list[QTextEdit.ExtraSelection] = []
        document = self.document()
        cursor = QTextCursor(document)
        while pattern is not None and len(selections) < MAX_HIGHLIGHTS:
            cursor = document.find(pattern, cursor)
            if cursor.isNull() or not cursor.hasSelection():
                break
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(cursor)
            text_format = QTextCharFormat()
            text_format.setBackground(_FIRST_HIT if not selections else _HIT)
            text_format.setForeground(QColor(Qt.GlobalColor.black))
            selection.format = text_format
            selections.append(selection)
        self.setExtraSelections(selections)
        if selections:
            first = QTextCursor(selections[0].cursor)
            first.setPosition(first.selectionStart())
            self.setTextCursor(first)
            # A third of the way down, so the lines before the hit give its context.
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + self.cursorRect().top() - self.viewport().height() // 3)
        return len(selections)

    def highlights(self) -> list[str]:
        """The marked text, in order (what ``highlight`` found)."""
        return [selection.cursor.selectedText() for selection in self.extraSelections()]


class SourceViewerPane(QWidget):
    """The selected source: text (right-to-left for Arabic, Persian ...) or picture
    (upright, fitted, zoomable), above its metadata. Text and pictures load only when a
    source is shown. Nothing in a source is rendered, opened or followed: "Save
    original…" writes the original bytes to a file the analyst chooses. "Outlet…"
    names the outlet that published the source (a ``SetOutlet`` command on
    ``undo_stack``), chosen from the case's outlets or a new one.

    Signals:
        original_saved(object): the ``Path`` an original was saved to.
        source_changed(object): the ``SourceView`` of a source whose outlet changed
            (a save, an undo or a redo), for lists that show it.

    Attributes:
        title: the source's title.
        text_view: the ``SourceTextView`` for articles, documents and notes.
        image_view: the ``ImageViewer`` for images.
        metadata: the ``FieldList`` of outlet, dates, file, SHA-256 ...
        save_button, copy_coordinates_button, outlet_button: the header's buttons.
        outlet_editor: the row "Outlet…" opens: ``outlet_box`` (an editable combo box
            of the case's outlets, completing any part of a name), ``outlet_save_button``
            and ``outlet_cancel_button``. Return saves, Escape cancels; an empty box
            removes the outlet.
        status: a line saying what the last action did.
    """

    original_saved = Signal(object)
    source_changed = Signal(object)

    def __init__(
        self, case: Case, undo_stack: QUndoStack | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._case = case
        # A pane shown on its own keeps a stack of its own; the window passes its shared one.
        self._undo = undo_stack if undo_stack is not None else QUndoStack(self)
        self._source: SourceView | None = None

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)

        self.copy_coordinates_button = QPushButton("Copy coordinates")
        self.copy_coordinates_button.setToolTip(
            "Copy the picture's GPS position as “latitude, longitude”"
        )
        self.copy_coordinates_button.clicked.connect(self.copy_coordinates)
        self.save_button = QPushButton("Save original…")
        self.save_button.setToolTip(
            "Write the original file, exactly as imported, to a file you choose"
        )
        self.save_button.clicked.connect(self.save_original)
        self.outlet_button = QPushButton("Outlet…")
        self.outlet_button.setToolTip(
            "Name the outlet that published this source: its claims then carry the "
            "outlet's reliability grade"
        )
        self.outlet_button.clicked.connect(self.edit_outlet)
        self.outlet_editor = self._make_outlet_editor()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setEnabled(False)
        self.status.hide()

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

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.copy_coordinates_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.outlet_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.outlet_editor)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self._show_header(None)

    def source(self) -> SourceView | None:
        """The source shown."""
        return self._source

    def showing(self) -> QWidget | None:
        """The page in view: ``text_view``, ``image_view`` or the hint."""
        return self._stack.currentWidget()

    def show_source(self, source: SourceView | None) -> None:
        if (
            source is not None
            and self._source is not None
            and source.id == self._source.id
            and source.graphic == self._source.graphic
            and self.showing() in (self.text_view, self.image_view)
        ):
            # The same source again (a list refresh): keep the marks, the zoom, the
            # scroll position and whether the picture was revealed.
            self._source = source
            self._show_header(source)
            self.metadata.set_fields(source_fields(source))
            return
        if source is None or self._source is None or source.id != self._source.id:
            self.outlet_editor.hide()
        self._source = source
        self.text_view.clear()
        self.image_view.set_image(None)
        self._say("")
        self._show_header(source)
        if source is None:
            self.metadata.set_fields([])
            self._show_hint(NO_SOURCE)
            return
        self.metadata.set_fields(source_fields(source))
        try:
            if source.kind == "image":
                self._show_picture(source)
            else:
                self._show_text(source)
        except DeskError as exc:  # e.g. the original no longer matches its SHA-256
            self._show_hint(str(exc))

    def highlight(self, query: str) -> int:
        """Mark the query's terms in the text shown and scroll to the first; the number
        of marks (0 for a picture)."""
        if self.showing() is not self.text_view:
            return 0
        return self.text_view.highlight(query)

    def set_blur_all(self, on: bool) -> None:
        """Blur every picture until revealed (the analyst's setting)."""
        self.image_view.set_blur_all(on)

    # -- actions -------------------------------------------------------------

    def coordinates_text(self) -> str:
        """The picture's GPS position as "lat, lon" in decimal degrees, or ""."""
        source = self._source
        if source is None or source.gps_lat is None or source.gps_lon is None:
            return ""
        return f"{_degrees(source.gps_lat)}, {_degrees(source.gps_lon)}"

    def copy_coordinates(self) -> None:
        text = self.coordinates_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self._say(f"Copied {text}")

    def save_original(self) -> None:
        """Ask where to save the original file and write it there (off the GUI thread)."""
        source = self._source
        if source is None or source.sha256 is None:
            return
        target = self._ask_save_path(source.original_filename or source.title)
        if target is None:
            return
        case = self._case
        source_id = source.id

        def work(_progress: Progress, _cancelled: CancelFlag) -> Path:
            return case.sources.save_original(source_id, target)

        Operation(self, "Saving the original", work).on_success(self._saved).on_failure(
            self._save_failed
        ).run()

    def edit_outlet(self) -> None:
        """Open the outlet row on the source's outlet, with the case's outlets to pick."""
        source = self._source
        if source is None:
            return
        try:
            names = [outlet.name for outlet in self._case.outlets.list()]
        except DeskError as exc:
            show_error(self, exc, "Outlet")
            return
        self.outlet_box.clear()
        self.outlet_box.addItems(names)
        self.outlet_box.setCurrentIndex(-1)
        self.outlet_box.setEditText(source.outlet or "")
        self.outlet_editor.show()
        self.outlet_box.setFocus()
        self._outlet_edit.selectAll()

    def save_outlet(self) -> None:
        """Give the source the outlet in the box (none when it is empty) and close the row."""
        source = self._source
        if source is None or not self.outlet_editor.isVisible():
            return
        name = self.outlet_box.currentText().strip() or None
        if name == source.outlet:
            self.outlet_editor.hide()
            return
        source_id = source.id
        command = SetOutlet(
            self._case,
            source_id,
            source.outlet,
            name,
            lambda error: self._outlet_done(source_id, error),
        )
        self._undo.push(command)
        if command.error is None:
            self.outlet_editor.hide()

    def cancel_outlet(self) -> None:
        self.outlet_editor.hide()

    def _ask_save_path(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(self, "Save the original file", suggested)
        return Path(name) if name else None

    def _saved(self, target: Path) -> None:
        self._say(f"Original saved to {target}")
        self.original_saved.emit(target)

    def _save_failed(self, error: DeskError) -> None:
        self._say(str(error))
        show_error(self, error, "Save original")

    # -- inside --------------------------------------------------------------

    def _make_outlet_editor(self) -> QWidget:
        self.outlet_box = QComboBox()
        self.outlet_box.setEditable(True)
        self.outlet_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.outlet_box.setSizePolicy(
            QSizePolicy.Policy.Expanding, self.outlet_box.sizePolicy().verticalPolicy()
        )
        self._outlet_edit = QLineEdit()
        self._outlet_edit.setPlaceholderText("No outlet")
        self._outlet_edit.returnPressed.connect(self.save_outlet)
        self.outlet_box.setLineEdit(self._outlet_edit)
        completer = QCompleter(self.outlet_box.model(), self.outlet_box)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.outlet_box.setCompleter(completer)
        self.outlet_save_button = QPushButton("Save")
        self.outlet_save_button.clicked.connect(self.save_outlet)
        self.outlet_cancel_button = QPushButton("Cancel")
        self.outlet_cancel_button.clicked.connect(self.cancel_outlet)
        editor = QWidget()
        label = QLabel("Outlet:")
        label.setBuddy(self.outlet_box)
        row = QHBoxLayout(editor)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.outlet_box, 1)
        row.addWidget(self.outlet_save_button)
        row.addWidget(self.outlet_cancel_button)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), editor)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel_outlet)
        editor.hide()
        return editor

    def _outlet_done(self, source_id: uuid.UUID, error: DeskError | None) -> None:
        # After every redo and undo of a SetOutlet, whichever source is shown by then.
        if error is not None:
            self._say(str(error))
            show_error(self, error, "Outlet")
            return
        try:
            changed = self._case.sources.get(source_id)
        except DeskError as exc:
            self._say(str(exc))
            return
        if self._source is not None and self._source.id == source_id:
            self.show_source(changed)
        self.source_changed.emit(changed)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _show_header(self, source: SourceView | None) -> None:
        self.title.setText(source.title if source is not None else "")
        self.title.setVisible(source is not None)
        self.save_button.setVisible(source is not None and source.sha256 is not None)
        self.outlet_button.setVisible(source is not None)
        self.copy_coordinates_button.setVisible(bool(self.coordinates_text()))

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
        self.image_view.set_image(image, graphic=source.graphic)
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
            Field("Taken", _taken(source)),
            Field("GPS", gps),
            Field("GPS note", str(source.details.get("gps_note") or "")),
            Field("Camera", str(source.details.get("camera") or "")),
            Field("Dimensions", _dimensions(source)),
            Field("Orientation", _orientation(source.image_orientation)),
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


def _degrees(value: float) -> str:
    """Decimal degrees to six places (about 10 cm), without trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _when(moment: datetime | None, pattern: str, zone: str) -> str:
    return f"{moment.strftime(pattern)} {zone}" if moment is not None else ""


def _published(source: SourceView) -> str:
    if source.published_at is not None and source.published_precision == "datetime":
        return _when(source.published_at, "%Y-%m-%d %H:%M", "UTC")
    return source.published_text


def _taken(source: SourceView) -> str:
    """When the photo was taken. Without a zone in EXIF the time is the camera's clock
    (stored as if UTC); with one it was converted to UTC."""
    zone = str(source.details.get("taken_at_zone") or "")
    offset = zone.removeprefix("EXIF gives the offset").strip()
    local = _offset(offset) if zone.startswith("EXIF gives the offset") else None
    if source.taken_at is None or local is None:
        return _when(source.taken_at, "%Y-%m-%d %H:%M:%S", "(camera clock)")
    there = source.taken_at.astimezone(local).strftime("%Y-%m-%d %H:%M:%S")
    return f"{there} {offset} ({source.taken_at.strftime('%H:%M:%S')} UTC)"


def _offset(text: str) -> timezone | None:
    """ "+03:00" as a zone; None when it is not in that form."""
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", text)
    if match is None:
        return None
    delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
    return timezone(-delta if match[1] == "-" else delta)


def _dimensions(source: SourceView) -> str:
    if source.upright_size is None:
        return ""
    width, height = source.upright_size
    return f"{width} × {height} px"


# EXIF orientation: how the pixels are stored; the desk always shows them upright.
_STORED = {
    2: "mirrored",
    3: "upside down",
    4: "upside down and mirrored",
    5: "on its side and mirrored",
    6: "on its side (turned 90° counter-clockwise)",
    7: "on its side and mirrored",
    8: "on its side (turned 90° clockwise)",
}


def _orientation(value: int | None) -> str:
    if value is None:
        return ""
    if value not in _STORED:
        return f"upright as stored (EXIF {value})"
    return f"stored {_STORED[value]}, shown upright (EXIF {value})"


def _size(size: int | None) -> str:
    if size is None:
        return ""
    text = size_text(size)
    return text if text.endswith("bytes") else f"{text} ({size:,} bytes)"
