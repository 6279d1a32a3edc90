"""Exporting a PDF brief: which incidents, which sections, how it is marked, and where."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.case import Case
from desk.errors import DeskError
from exporters.brief import BriefOptions, BriefResult, GraphicImages, build_brief
from exporters.brief.gather import NoteChoice, note_choices
from exporters.brief.options import PageSize
from ui.operations import CancelFlag, Operation, Progress
from ui.settings import Settings
from ui.tooltips import plain_tooltip

PDF_FILTER = "PDF documents (*.pdf)"
HANDLING_LINES = (
    "RESTRICTED - FOR PARTNER DISTRIBUTION",
    "INTERNAL USE ONLY - NOT FOR RELEASE",
    "TLP:AMBER",
    "TLP:GREEN",
    "TLP:CLEAR",
)
SECTIONS = (
    ("map", "&Map of the incidents"),
    ("timeline", "&Timeline"),
    ("images", "&Images"),
    ("notes", "Analyst &notes"),
    ("appendix", "Source a&ppendix"),
)
NOTE_COLUMNS = ("Incident", "Note", "By", "Date")
GRAPHIC: tuple[tuple[str, GraphicImages], ...] = (("Leave out", "omit"), ("Blur", "blur"))
PAGE_SIZES: tuple[PageSize, ...] = ("A4", "Letter")
# Characters that Windows or macOS refuse in a file name.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def default_brief_path(case_path: Path, case_title: str) -> Path:
    """``<case title> brief.pdf`` next to the case, numbered so no earlier brief is replaced."""
    stem = _NOT_IN_NAMES.sub(" ", case_title).strip(" .")[:80].strip() or case_path.stem
    candidate = case_path.parent / f"{stem} brief.pdf"
    number = 2
    while candidate.exists():
        candidate = case_path.parent / f"{stem} brief ({number}).pdf"
        number += 1
    return candidate


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def first_line(text: str) -> str:
    """The first line of ``text`` that holds anything but white space."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _note_item(choice: NoteChoice, ticked: bool) -> QTreeWidgetItem:
    note = choice.note
    # The date the brief prints under the note.
    cells = [
        choice.incident_title,
        first_line(note.body),
        note.author,
        f"{note.updated_at:%Y-%m-%d}",
    ]
    item = QTreeWidgetItem(cells)
    item.setData(0, Qt.ItemDataRole.UserRole, str(note.id))
    # The whole title and note on hover, escaped: a tooltip that looks like markup
    # is rendered as rich text, and case data must show as typed.
    item.setToolTip(0, plain_tooltip(choice.incident_title))
    item.setToolTip(1, plain_tooltip(note.body.strip()))
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
    return item


class ExportBriefDialog(QDialog):
    """Which incidents, which sections, the handling line, title, author, page size
    and the output file; Export builds the PDF on a worker with progress and cancel.
    The handling line, author, sections and page size are remembered in ``settings``
    (the desk's ``Settings`` when None) for next time.

    Signals:
        exported(object): the ``BriefResult`` once the PDF is written (not on cancel).

    Attributes:
        selected, filtered, everything: the three scopes with their counts (each is
            disabled when it holds no incident; filtered also when no filter is set).
        section_boxes: the section check boxes by name (map, timeline, images, notes,
            appendix), the ``BriefOptions.include_*`` flags.
        notes_box: shown while "Analyst notes" is ticked: the chosen incidents' notes.
        notes_list: one checkable row per note (incident, first line, author, date),
            all ticked at first; the ticked ones are ``BriefOptions.note_ids``. It
            follows the scope, and a note unticked stays so when the scope comes back.
        notes_empty: says the chosen incidents have no notes (instead of the list).
        graphic_combo: leave graphic images out or blur them (with images only).
        handling_combo: editable; the handling line printed on every page.
        title_edit: the brief's title; blank gives "Brief: <case title>".
        author_edit: the author named on the cover; the analyst by default.
        page_combo: A4 or Letter.
        path_edit, choose_button: the output file.
        export_button: starts the export.
        message: what was written, that nothing was, or the core's error.
        show_button: opens the folder holding the written brief.
    """

    exported = Signal(object)

    def __init__(
        self,
        case: Case,
        selected_incident_ids: list[uuid.UUID],
        filtered_incident_ids: list[uuid.UUID] | None,
        analyst: str,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a brief")
        self._case = case
        self._analyst = analyst
        self._settings = settings or Settings()
        self._selected_ids = tuple(dict.fromkeys(selected_incident_ids))
        self._filtered_ids = (
            None if filtered_incident_ids is None else tuple(dict.fromkeys(filtered_incident_ids))
        )
        self._running: Operation[BriefResult] | None = None
        self._written: Path | None = None
        # Unticked notes are remembered, not the ticked: a note the scope brings in
        # later starts ticked, as the rest did.
        self._left_out: set[uuid.UUID] = set()
        self._notes_listed_for: tuple[uuid.UUID, ...] | None = None
        case_title = case.info().title

        selected = len(self._selected_ids)
        self.selected = QRadioButton(
            f"The &selected incident{'' if selected == 1 else 's'} ({selected})"
        )
        self.selected.setEnabled(selected > 0)
        if self._filtered_ids is None:
            self.filtered = QRadioButton("The incidents the &list shows (no filter is set)")
            self.filtered.setEnabled(False)
        else:
            self.filtered = QRadioButton(
                f"The incidents the &list shows ({len(self._filtered_ids)})"
            )
            self.filtered.setEnabled(bool(self._filtered_ids))
        total = case.incidents.count()
        self.everything = QRadioButton(f"&All incidents in the case ({total})")
        self.everything.setEnabled(total > 0)
        self._scopes = (self.selected, self.filtered, self.everything)
        scope = QButtonGroup(self)
        scope_box = QGroupBox("Incidents")
        scope_layout = QVBoxLayout(scope_box)
        for button in self._scopes:
            scope.addButton(button)
            scope_layout.addWidget(button)
        first = next((b for b in self._scopes if b.isEnabled()), None)
        if first is not None:
            first.setChecked(True)

        defaults = BriefOptions()
        self.section_boxes: dict[str, QCheckBox] = {}
        sections_box = QGroupBox("Sections")
        sections_layout = QVBoxLayout(sections_box)
        for name, label in SECTIONS:
            box = QCheckBox(label)
            box.setChecked(
                self._settings.brief_section(name, bool(getattr(defaults, f"include_{name}")))
            )
            self.section_boxes[name] = box
            sections_layout.addWidget(box)
        self.graphic_combo = QComboBox()
        for text, _ in GRAPHIC:
            self.graphic_combo.addItem(text)
        self.section_boxes["images"].toggled.connect(self.graphic_combo.setEnabled)
        self.graphic_combo.setEnabled(self.section_boxes["images"].isChecked())

        self.notes_list = QTreeWidget()
        self.notes_list.setHeaderLabels(list(NOTE_COLUMNS))
        self.notes_list.setRootIsDecorated(False)
        self.notes_list.setUniformRowHeights(True)
        self.notes_list.setAllColumnsShowFocus(True)
        header = self.notes_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Long titles are elided rather than widening the dialog off the screen, and
        # the note itself gets most of the room.
        char = self.fontMetrics().averageCharWidth()
        self.notes_list.setColumnWidth(0, char * 24)
        self.notes_list.setMinimumWidth(char * 84)
        self.notes_list.itemChanged.connect(self._note_ticked)
        self.notes_empty = QLabel("The chosen incidents have no notes.")
        self.notes_empty.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_box = QGroupBox("Notes to include")
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.addWidget(self.notes_list)
        notes_layout.addWidget(self.notes_empty)
        self.section_boxes["notes"].toggled.connect(self._refresh_notes)

        handling_edit = QLineEdit()
        handling_edit.setPlaceholderText("none")
        self.handling_combo = QComboBox()
        self.handling_combo.setLineEdit(handling_edit)
        self.handling_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.handling_combo.addItems(HANDLING_LINES)
        self.handling_combo.setCurrentText(self._settings.brief_handling)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(f"Brief: {case_title}")
        self.author_edit = QLineEdit(self._settings.brief_author or analyst)
        self.author_edit.setPlaceholderText(analyst)
        self.page_combo = QComboBox()
        self.page_combo.addItems(PAGE_SIZES)
        remembered = self._settings.brief_page_size
        self.page_combo.setCurrentIndex(
            PAGE_SIZES.index(remembered) if remembered in PAGE_SIZES else 0
        )
        form = QFormLayout()
        form.addRow("&Graphic images:", self.graphic_combo)
        form.addRow("&Handling:", self.handling_combo)
        form.addRow("T&itle:", self.title_edit)
        form.addRow("A&uthor:", self.author_edit)
        form.addRow("Pa&ge size:", self.page_combo)

        self.path_edit = QLineEdit(str(default_brief_path(case.path, case_title)))
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)

        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_button = QPushButton("Show in &folder")
        self.show_button.hide()
        self.show_button.clicked.connect(self._show_written)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignTop)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        self.path_edit.textChanged.connect(self._fields_changed)
        scope.buttonToggled.connect(self._fields_changed)
        scope.buttonToggled.connect(self._refresh_notes)

        # Everything the export reads, locked while it runs.
        self._choices = QWidget()
        choices = QVBoxLayout(self._choices)
        choices.setContentsMargins(0, 0, 0, 0)
        columns = QHBoxLayout()
        columns.addWidget(scope_box, 1)
        columns.addWidget(sections_box, 1)
        choices.addLayout(columns)
        choices.addWidget(self.notes_box)
        choices.addLayout(form)
        choices.addWidget(QLabel("Write it to:"))
        choices.addLayout(path_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self._choices)
        layout.addLayout(message_row)
        layout.addWidget(buttons)
        self._fields_changed()
        self._refresh_notes()

    def options(self) -> BriefOptions:
        """The brief the dialog's choices describe."""
        include = {name: box.isChecked() for name, box in self.section_boxes.items()}
        return BriefOptions(
            incident_ids=self._scope_ids(),
            title=self.title_edit.text().strip(),
            author=self.author_edit.text().strip() or self._analyst,
            handling=self.handling_combo.currentText().strip(),
            include_map=include["map"],
            include_timeline=include["timeline"],
            include_images=include["images"],
            graphic=GRAPHIC[self.graphic_combo.currentIndex()][1],
            include_notes=include["notes"],
            note_ids=frozenset(self._ticked_notes()) if include["notes"] else None,
            include_appendix=include["appendix"],
            page_size=PAGE_SIZES[self.page_combo.currentIndex()],
        )

    def _scope_ids(self) -> tuple[uuid.UUID, ...]:
        """The chosen incidents; empty for every incident in the case."""
        if self.selected.isChecked():
            return self._selected_ids
        if self.filtered.isChecked() and self._filtered_ids is not None:
            return self._filtered_ids
        return ()

    def _ticked_notes(self) -> list[uuid.UUID]:
        ticked = []
        for row in range(self.notes_list.topLevelItemCount()):
            item = self.notes_list.topLevelItem(row)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                ticked.append(uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole)))
        return ticked

    def _refresh_notes(self) -> None:
        """List the notes of the chosen incidents (read only while notes are wanted)."""
        wanted = self.section_boxes["notes"].isChecked()
        self.notes_box.setVisible(wanted)
        scope = self._scope_ids()
        # A change of scope toggles two buttons: list once, and not on every untick.
        if not wanted or scope == self._notes_listed_for:
            return
        self._notes_listed_for = scope
        # Blank notes are left out: the brief prints nothing for them.
        choices = [c for c in note_choices(self._case, scope) if c.note.body.strip()]
        with QSignalBlocker(self.notes_list):
            self.notes_list.clear()
            self.notes_list.addTopLevelItems(
                [_note_item(c, c.note.id not in self._left_out) for c in choices]
            )
        self.notes_list.setVisible(bool(choices))
        self.notes_empty.setVisible(not choices)

    def _note_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        note_id = uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole))
        if item.checkState(0) == Qt.CheckState.Checked:
            self._left_out.discard(note_id)
        else:
            self._left_out.add(note_id)

    def target(self) -> Path:
        """The output file; a relative name is taken as in the case's folder."""
        path = with_pdf_suffix(Path(self.path_edit.text().strip()).expanduser())
        return path if path.is_absolute() else self._case.path.parent / path

    def reject(self) -> None:
        """Close; while the export runs, Close (or Escape) cancels it first."""
        if self._running is not None:
            self._running.cancel()
            return
        super().reject()

    def _ask_path(self) -> Path | None:
        """The output file from a save dialog, or None when the analyst cancels."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Export a brief", str(self.target()), PDF_FILTER
        )
        return with_pdf_suffix(Path(name)) if name else None

    def _open_folder(self, folder: Path) -> None:
        """Show ``folder`` in the platform's file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _choose(self) -> None:
        path = self._ask_path()
        if path is not None:
            self.path_edit.setText(str(path))

    def _show_written(self) -> None:
        if self._written is not None:
            self._open_folder(self._written.parent)

    def _fields_changed(self) -> None:
        scoped = any(b.isChecked() and b.isEnabled() for b in self._scopes)
        ready = scoped and bool(self.path_edit.text().strip())
        self.export_button.setEnabled(ready and self._running is None)

    def start(self) -> None:
        """Build the brief on a worker; the dialog reports the outcome."""
        case, target, options = self._case, self.target(), self.options()

        def work(progress: Progress, cancelled: CancelFlag) -> BriefResult:
            return build_brief(case, target, options, progress, cancelled)

        self._written = None
        self.show_button.hide()
        self._choices.setEnabled(False)
        self.message.setText(f"Writing {target.name}…")
        self._running = (
            Operation(self, "Exporting a brief", work)
            .on_success(lambda result: self._finished(result, options))
            .on_failure(self._failed)
            .run()
        )
        self._fields_changed()

    def _finished(self, result: BriefResult, options: BriefOptions) -> None:
        self._running = None
        self._choices.setEnabled(True)
        self._fields_changed()
        if result.path is None:
            self.message.setText("Cancelled: no brief was written.")
            return
        self._remember(options)
        self._written = result.path
        self.message.setText(
            f"Written to {result.path}: {_plural(result.pages, 'page')}, "
            f"{_plural(result.incidents, 'incident')}, {_plural(result.sources, 'source')} "
            f"cited, {_plural(result.images, 'image')}."
        )
        self.show_button.show()
        self.exported.emit(result)

    def _failed(self, error: DeskError) -> None:
        self._running = None
        self._choices.setEnabled(True)
        self._fields_changed()
        self.message.setText(str(error))

    def _remember(self, options: BriefOptions) -> None:
        self._settings.brief_handling = options.handling
        self._settings.brief_author = "" if options.author == self._analyst else options.author
        self._settings.brief_page_size = options.page_size
        for name, box in self.section_boxes.items():
            self._settings.set_brief_section(name, box.isChecked())
