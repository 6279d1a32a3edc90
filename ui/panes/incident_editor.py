"""The incident editor: every field of one incident, saved as the analyst works.

Text fields save after a short pause in typing and when they lose focus; choices save
at once. Each save is one undoable ``EditIncident``. A field whose value breaks a rule
(``desk.services.incidents.problems``) shows the reason beside it in red and is not
saved until it is put right.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFontDatabase,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.errors import NotFoundError
from desk.services.incidents import IncidentFields, IncidentView, problems
from desk.vocab import ACTOR_ROLES, DATE_PRECISIONS, EVENT_TYPES, INCIDENT_STATUSES
from ui.commands.incidents import (
    CreateIncident,
    DeleteIncident,
    EditIncident,
    IncidentEvents,
    LinkIncidents,
    UnlinkIncidents,
    push,
)
from ui.dialogs.link_incident import LINK_KIND_NAMES, LinkIncidentDialog
from ui.errors import show_error
from ui.tooltips import plain_tooltip
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from desk.case import Case

NO_INCIDENT = "Select an incident to edit it, or make a new one (Ctrl+N)."
NEW_TITLE = "New incident"
# Long enough not to save in the middle of a word, short enough that nothing is lost.
SAVE_DELAY_MS = 600
_PROBLEM_COLOUR = Qt.GlobalColor.red

ROLE_NAMES = {
    "actor1": "actor 1",
    "actor2": "actor 2",
    "assoc_actor1": "associated with actor 1",
    "assoc_actor2": "associated with actor 2",
    "target": "target",
    "victim": "victim",
    "other": "other",
}
# How a link reads from the incident it points to.
LINKED_FROM_NAMES = {
    "related": "related to",
    "duplicate of": "has duplicate",
    "part of": "has part",
}

# The editor saves fields in groups that are checked together (an end is checked
# against its start, a latitude needs its longitude).
GROUPS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "summary": ("summary",),
    "dates": ("start", "start_precision", "end", "end_precision"),
    "place": ("place",),
    "coordinates": ("latitude", "longitude"),
    "type": ("event_type", "sub_event_type"),
    "actors": ("actors",),
    "status": ("status",),
    "tags": ("tags",),
}


class _Unreadable(Exception):
    """A field's text is not a value at all (a latitude of "north")."""


class OptionalDateEdit(QDateEdit):
    """A date edit that may be empty: it then shows ``empty_text``. The clear icon in
    the field empties it; clicking or typing into an empty one starts from
    ``start_date()`` (today unless set).

    Signals:
        value_changed(object): the new ``datetime.date`` or None.
    """

    value_changed = Signal(object)
    EMPTY = QDate(1800, 1, 1)

    def __init__(self, empty_text: str = "none", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_date: Callable[[], date] = date.today
        self.setCalendarPopup(True)
        self.setMinimumDate(self.EMPTY)
        self.setSpecialValueText(empty_text)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setDate(self.EMPTY)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton)
        self._clear = QAction(icon, "Clear the date", self)
        self._clear.triggered.connect(self.clear_value)
        self.lineEdit().addAction(self._clear, QLineEdit.ActionPosition.TrailingPosition)
        self._clear.setVisible(False)
        self.dateChanged.connect(self._date_changed)

    def value(self) -> date | None:
        shown = self.date()
        return None if shown == self.EMPTY else date(shown.year(), shown.month(), shown.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(self.EMPTY if value is None else QDate(value.year, value.month, value.day))

    def clear_value(self) -> None:
        self.setDate(self.EMPTY)
        self.editingFinished.emit()

    def _date_changed(self, _date: QDate) -> None:
        self._clear.setVisible(self.value() is not None)
        self.value_changed.emit(self.value())

    def _start_if_empty(self) -> None:
        if self.value() is None:
            self.set_value(self.start_date())
            self.setSelectedSection(QDateEdit.Section.YearSection)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Open the calendar at a useful month, not at the empty marker's 1800.
        if event.button() == Qt.MouseButton.LeftButton:
            self._start_if_empty()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.value() is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.lineEdit().selectedText() == self.lineEdit().text():
                self.clear_value()
                return
        elif self.value() is None and (
            event.text().isdigit()
            or event.key()
            in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
        ):
            self._start_if_empty()
            if not event.text().isdigit():
                return
        elif self.value() is None and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # QDateTimeEdit keeps Tab while its special value shows: let it leave.
            QAbstractSpinBox.focusNextPrevChild(self, event.key() == Qt.Key.Key_Tab)
            return
        super().keyPressEvent(event)


class PartialDateEdit(QWidget):
    """A date and its precision (day, ISO week, month, year); the date given is kept
    as the first day of the period, as the case stores it.

    Signals:
        edited(): the date is being typed (save after a pause).
        committed(): the date or precision is settled (save now).
    """

    edited = Signal()
    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = OptionalDateEdit("no date")
        self.date_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 64)
        self.precision = QComboBox()
        for precision in DATE_PRECISIONS:
            self.precision.addItem(precision, precision)
        self.precision.setToolTip("How exactly the date is known")
        self.week = QLabel()
        self.week.setTextFormat(Qt.TextFormat.PlainText)
        self.week.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Never widen the editor for it: a narrow pane clips it instead.
        self.week.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.precision)
        layout.addWidget(self.week, 1)

        self.date_edit.value_changed.connect(self._date_changed)
        self.date_edit.editingFinished.connect(self.committed)
        self.precision.activated.connect(self._precision_chosen)
        self._loading = False
        self._show_precision()

    def value(self) -> tuple[date | None, str]:
        precision: str = self.precision.currentData()
        return first_day(self.date_edit.value(), precision), precision

    def set_value(self, value: date | None, precision: str | None) -> None:
        self._loading = True
        try:
            self.precision.setCurrentIndex(max(0, self.precision.findData(precision or "day")))
            self.date_edit.set_value(value)
            self._show_precision()
        finally:
            self._loading = False

    def _date_changed(self, _value: date | None) -> None:
        self._show_precision()
        if not self._loading:
            self.edited.emit()

    def _precision_chosen(self, _index: int) -> None:
        self._show_precision()
        self.committed.emit()

    def _show_precision(self) -> None:
        precision = self.precision.currentData()
        formats = {"month": "yyyy-MM", "year": "yyyy"}
        self.date_edit.setDisplayFormat(formats.get(precision, "yyyy-MM-dd"))
        value = self.date_edit.value()
        if precision == "week" and value is not None:
            monday = first_day(value, "week")
            assert monday is not None
            year, week, _ = monday.isocalendar()
            sunday = monday + timedelta(days=6)
            self.week.setText(f"ISO week {year}-W{week:02d}")
            self.week.setToolTip(f"Monday {monday:%d %B} to Sunday {sunday:%d %B %Y}")
        else:
            self.week.clear()
            self.week.setToolTip("")


def first_day(value: date | None, precision: str) -> date | None:
    """The first day of the period ``value`` falls in, as the case stores dates."""
    if value is None:
        return None
    if precision == "week":
        return value - timedelta(days=value.weekday())
    if precision == "month":
        return value.replace(day=1)
    if precision == "year":
        return value.replace(month=1, day=1)
    return value


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, keeping the ones before."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        edit = self.widget()
        typed = edit.text() if isinstance(edit, QLineEdit) else ""
        done = [t.strip() for t in typed.split(",")[:-1] if t.strip()]
        return ", ".join([*done, str(index.data())]) + ", "


def _completer(names: QStringListModel, parent: QObject) -> QCompleter:
    completer = QCompleter(names, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


class ActorRow(QWidget):
    """One actor: a name (completed from known actors) and a role.

    Signals:
        committed(): the name was entered or the role chosen.
        remove_requested(): the remove button was clicked.
    """

    committed = Signal()
    remove_requested = Signal()

    def __init__(self, names: QStringListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Actor, in any spelling")
        self.name.setCompleter(_completer(names, self.name))
        self.role = QComboBox()
        for role in ACTOR_ROLES:
            self.role.addItem(ROLE_NAMES.get(role, role), role)
        self.remove = QToolButton()
        self.remove.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton))
        self.remove.setToolTip("Remove this actor")
        self.remove.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 3)
        layout.addWidget(self.role, 2)
        layout.addWidget(self.remove)
        self.name.editingFinished.connect(self.committed)
        self.role.activated.connect(lambda _i: self.committed.emit())
        self.remove.clicked.connect(self.remove_requested)

    def value(self) -> tuple[str, str]:
        return self.name.text().strip(), self.role.currentData()

    def set_value(self, name: str, role: str) -> None:
        self.name.setText(name)
        self.name.setCursorPosition(0)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))


class ActorTable(QWidget):
    """The actors of an incident with their roles; rows are added and removed here.

    Signals:
        committed(): an actor was entered, changed or removed.

    Attributes:
        rows: the ``ActorRow`` widgets, in order.
        add_button: adds an empty row and puts the cursor in it.
    """

    committed = Signal()

    def __init__(self, names: QStringListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ActorRow] = []
        self._names = names
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add actor")
        self.add_button.setIcon(QIcon.fromTheme(QIcon.ThemeIcon.ListAdd))
        self.add_button.clicked.connect(self.add_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._rows_layout)
        layout.addLayout(buttons)

    def value(self) -> tuple[tuple[str, str], ...]:
        """The actors entered, by role then name as the case keeps them."""
        actors = dict.fromkeys(row.value() for row in self.rows if row.value()[0])
        return tuple(sorted(actors, key=lambda a: (a[1], a[0])))

    def set_value(self, actors: Iterable[tuple[str, str]]) -> None:
        actors = list(actors)
        while len(self.rows) > len(actors):
            self._drop(self.rows[-1])
        while len(self.rows) < len(actors):
            self._append()
        for row, (name, role) in zip(self.rows, actors, strict=True):
            row.set_value(name, role)

    def add_row(self) -> ActorRow:
        row = self._append()
        row.name.setFocus()
        return row

    def _append(self) -> ActorRow:
        row = ActorRow(self._names)
        row.committed.connect(self.committed)
        row.remove_requested.connect(lambda: self._remove(row))
        self.rows.append(row)
        self._rows_layout.addWidget(row)
        return row

    def _remove(self, row: ActorRow) -> None:
        self._drop(row)
        self.committed.emit()

    def _drop(self, row: ActorRow) -> None:
        self.rows.remove(row)
        row.hide()
        row.deleteLater()


class LinkRow(QWidget):
    """One link: how it relates, the other incident (click to open it), remove.

    Signals:
        open_requested(object): the other incident's id.
        remove_requested(): the remove button was clicked.
    """

    open_requested = Signal(object)
    remove_requested = Signal()

    def __init__(self, relation: str, other: uuid.UUID, title: str) -> None:
        super().__init__()
        self.relation = QLabel(relation)
        self.relation.setTextFormat(Qt.TextFormat.PlainText)
        self.relation.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.title = QPushButton(title.replace("&", "&&"))  # a title is text, not mnemonics
        self.title.setFlat(True)
        self.title.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title.setToolTip(plain_tooltip(f"Open “{title}”"))
        self.title.setStyleSheet("QPushButton { text-align: left; color: palette(link); }")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.title.clicked.connect(lambda: self.open_requested.emit(other))
        self.remove = QToolButton()
        self.remove.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton))
        self.remove.setToolTip("Remove this link")
        self.remove.setAutoRaise(True)
        self.remove.clicked.connect(self.remove_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.relation)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.remove)


class IncidentEditorPane(QWidget):
    """Edit the shown incident; every change is saved and undoable.

    The main window calls ``flush()`` before it closes or switches case, so no pending
    edit is lost; ``show_incident`` flushes by itself before switching.

    Signals:
        incident_changed(object): an incident's fields or links were saved, done or
            undone (its ``uuid.UUID``); the list refreshes that row.
        incident_created(object): an incident was made or restored (its id); the list
            shows and selects it.
        incident_deleted(object): an incident was deleted (its id); the list drops it.
        open_incident(object): the analyst clicked a linked incident (its id).

    Attributes:
        new_action: makes a new incident (Ctrl+N).
        delete_action: deletes the shown incident after asking (Delete, where the pane
            or a widget it is added to has the focus).
        events: the ``IncidentEvents`` hub the incident commands report to.
        title_edit, summary_edit, start_edit, end_edit, place_edit, latitude_edit,
        longitude_edit, event_type_combo, sub_event_type_combo, actors, status_combo,
        tags_edit, add_link_button: the fields.
        place_info: the place's region and other spellings, under the place.
        links: the ``LinkRow``s shown.
    """

    incident_changed = Signal(object)
    incident_created = Signal(object)
    incident_deleted = Signal(object)
    open_incident = Signal(object)

    def __init__(self, case: Case, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._undo_stack = undo_stack
        self._incident: IncidentView | None = None
        self._loading = False
        self._just_saved: set[str] = set()
        self.events = IncidentEvents(self)
        self.events.changed.connect(self._changed)
        self.events.created.connect(self.incident_created)
        self.events.deleted.connect(self._deleted)
        self.events.failed.connect(lambda error: show_error(self, error))

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SAVE_DELAY_MS)
        self._pause.timeout.connect(self._save)

        # Known spellings for completion, read again each time an incident is shown.
        self._place_names = QStringListModel(self)
        self._actor_names = QStringListModel(self)
        self._tag_names = QStringListModel(self)
        self._build_fields()
        self._build_actions()
        self._problems = {group: self._problem_label() for group in GROUPS}
        self._build_layout()
        self._connect_fields()

    # -- what the main window calls -------------------------------------------

    @property
    def incident(self) -> IncidentView | None:
        """The incident shown, as last saved."""
        return self._incident

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        """Show an incident (None: none), saving pending edits to the one shown first."""
        if self._incident is not None and incident_id == self._incident.id:
            return
        self.flush()
        self._incident = None
        if incident_id is not None:
            try:
                self._incident = self._case.incidents.get(incident_id)
            except NotFoundError as exc:  # deleted elsewhere since the list was read
                self._show_placeholder(str(exc))
                return
        self._load()

    def flush(self) -> None:
        """Save pending edits now (the invalid ones stay unsaved, with their reason)."""
        self._save()

    def problem(self, group: str) -> str:
        """The reason shown beside a group of fields (see ``GROUPS``), or ""."""
        label = self._problems[group]
        return label.text() if not label.isHidden() else ""

    # -- building -------------------------------------------------------------

    def _build_fields(self) -> None:
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What happened, in a few words")
        font = self.title_edit.font()
        font.setBold(True)
        self.title_edit.setFont(font)
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setPlaceholderText("What is known, and from where")
        self.summary_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.start_edit = PartialDateEdit()
        self.end_edit = PartialDateEdit()
        self.end_edit.date_edit.start_date = lambda: self.start_edit.value()[0] or date.today()
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("Place, in any spelling or script")
        self.place_edit.setClearButtonEnabled(True)
        self.place_edit.setCompleter(_completer(self._place_names, self))
        self.place_edit.completer().activated.connect(lambda _text: self._save())
        self.latitude_edit = self._coordinate_edit("Latitude, e.g. 34.4536")
        self.longitude_edit = self._coordinate_edit("Longitude, e.g. 40.9367")
        self.event_type_combo = QComboBox()
        self.event_type_combo.addItem("(none)", "")
        for event_type in EVENT_TYPES:
            self.event_type_combo.addItem(event_type, event_type)
        self.sub_event_type_combo = QComboBox()
        self._fill_sub_types(None)
        self.actors = ActorTable(self._actor_names)
        self.status_combo = QComboBox()
        for status in INCIDENT_STATUSES:
            self.status_combo.addItem(status, status)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("Tags, separated by commas")
        tags = TagCompleter(self._tag_names, self)
        tags.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags_edit.setCompleter(tags)
        self.add_link_button = QPushButton("Link to incident…")
        self.add_link_button.setIcon(QIcon.fromTheme(QIcon.ThemeIcon.InsertLink))
        self.add_link_button.clicked.connect(self._add_link)
        self._links_layout = QVBoxLayout()
        self._links_layout.setContentsMargins(0, 0, 0, 0)
        self._links_layout.setSpacing(0)
        self.links: list[LinkRow] = []
        self.place_info = QLabel()
        self.place_info.setTextFormat(Qt.TextFormat.PlainText)
        self.place_info.setWordWrap(True)
        self.place_info.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.place_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts: dict[str, QLabel] = {}
        for name in ("Recorded", "Last change", "ID"):
            fact = QLabel()
            fact.setTextFormat(Qt.TextFormat.PlainText)
            fact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[name] = fact
        self.facts["ID"].setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

    def _coordinate_edit(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaximumWidth(self.fontMetrics().horizontalAdvance(placeholder) + 24)
        return edit

    def _build_actions(self) -> None:
        style = self.style()
        self.new_action = QAction("&New incident", self)
        self.new_action.setIcon(
            QIcon.fromTheme(
                QIcon.ThemeIcon.DocumentNew, style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
            )
        )
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setStatusTip("Make a new incident and edit it")
        self.new_action.triggered.connect(self.create_incident)
        self.delete_action = QAction("&Delete incident", self)
        self.delete_action.setIcon(
            QIcon.fromTheme(
                QIcon.ThemeIcon.EditDelete, style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon)
            )
        )
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setStatusTip("Delete the incident; its sources stay in the case")
        self.delete_action.triggered.connect(self.delete_incident)
        self.delete_action.setEnabled(False)
        # Only where the incident is in focus: Delete means "detach" in the sources
        # list and "delete claim" in the claims table of the same window.
        for action in (self.new_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _problem_label(self) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, _PROBLEM_COLOUR)
        label.setPalette(palette)
        label.hide()
        return label

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        def row(
            text: str, *widgets: QWidget, group: str | None = None, buddy: QWidget | None = None
        ) -> None:
            label = QLabel(text)
            label.setBuddy(buddy or widgets[0])
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            for widget in widgets:
                column.addWidget(widget)
            if group is not None:
                column.addWidget(self._problems[group])
            form.addRow(label, box)

        coordinates = QWidget()
        coordinates_row = QHBoxLayout(coordinates)
        coordinates_row.setContentsMargins(0, 0, 0, 0)
        for text, edit in (("lat", self.latitude_edit), ("lon", self.longitude_edit)):
            label = QLabel(text)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            coordinates_row.addWidget(label)
            coordinates_row.addWidget(edit)
        coordinates_row.addStretch(1)
        links = QWidget()
        links_column = QVBoxLayout(links)
        links_column.setContentsMargins(0, 0, 0, 0)
        links_column.addLayout(self._links_layout)
        link_buttons = QHBoxLayout()
        link_buttons.addWidget(self.add_link_button)
        link_buttons.addStretch(1)
        links_column.addLayout(link_buttons)

        row("&Title", self.title_edit, group="title")
        row("Su&mmary", self.summary_edit, group="summary")
        row("Sta&rt", self.start_edit, buddy=self.start_edit.date_edit)
        row("E&nd", self.end_edit, group="dates", buddy=self.end_edit.date_edit)
        row("&Place", self.place_edit, self.place_info, group="place")
        row("C&oordinates", coordinates, group="coordinates", buddy=self.latitude_edit)
        row("T&ype", self.event_type_combo)
        row("Su&b-type", self.sub_event_type_combo, group="type")
        row("A&ctors", self.actors, group="actors", buddy=self.actors.add_button)
        row("Stat&us", self.status_combo, group="status")
        row("Ta&gs", self.tags_edit, group="tags")
        row("&Links", links, buddy=self.add_link_button)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        form.addRow(rule)
        for name, fact in self.facts.items():
            label = QLabel(name)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            form.addRow(label, fact)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)

        self._placeholder = hint_label(NO_INCIDENT)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    def _connect_fields(self) -> None:
        # Typing saves after a pause; leaving a field or choosing saves at once.
        # Places, tags and actors save only when entered, so that half-typed names
        # never become places, tags or actors of the case.
        self.title_edit.textEdited.connect(self._typed)
        self.summary_edit.textChanged.connect(self._typed)
        self.summary_edit.installEventFilter(self)
        self.latitude_edit.textEdited.connect(self._typed)
        self.longitude_edit.textEdited.connect(self._typed)
        for edit in (self.start_edit, self.end_edit):
            edit.edited.connect(self._typed)
            edit.committed.connect(self._save)
        for line in (
            self.title_edit,
            self.place_edit,
            self.latitude_edit,
            self.longitude_edit,
            self.tags_edit,
        ):
            line.editingFinished.connect(self._save)
        self.event_type_combo.activated.connect(self._event_type_chosen)
        self.sub_event_type_combo.activated.connect(lambda _i: self._save())
        self.status_combo.activated.connect(lambda _i: self._save())
        self.actors.committed.connect(self._save)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.summary_edit and event.type() == QEvent.Type.FocusOut:
            self._save()
        return super().eventFilter(watched, event)

    # -- showing --------------------------------------------------------------

    def _load(self) -> None:
        self._pause.stop()
        for label in self._problems.values():
            label.hide()
        incident = self._incident
        self.delete_action.setEnabled(incident is not None)
        if incident is None:
            self._show_placeholder(NO_INCIDENT)
            return
        self._refresh_completion()
        for group in GROUPS:
            self._write(group, incident.fields)
        self._show_facts(incident)
        self._show_links(incident)
        self._stack.setCurrentIndex(1)

    def _show_placeholder(self, text: str) -> None:
        self._pause.stop()
        self.delete_action.setEnabled(False)
        self._placeholder.setText(text)
        self._stack.setCurrentIndex(0)

    def _refresh_completion(self) -> None:
        for model, names in (
            (self._place_names, self._case.gazetteer.place_names()),
            (self._actor_names, self._case.gazetteer.actor_names()),
            (self._tag_names, self._case.incidents.tags()),
        ):
            if model.stringList() != names:  # a reset would close an open popup
                model.setStringList(names)

    def fact(self, name: str) -> str:
        """A read-only fact: "Recorded", "Last change" or "ID"."""
        return self.facts[name].text()

    def _show_facts(self, incident: IncidentView) -> None:
        place = incident.fields.place or ""
        aliases = [a for a in incident.place_aliases if a.casefold() != place.casefold()]
        region = ", ".join(p for p in (incident.admin1, incident.country) if p)
        parts = [region, f"also {', '.join(aliases)}" if aliases else ""]
        # LRM: a line that ends in Arabic spellings still reads from the left.
        self.place_info.setText("\u200e" + " · ".join(p for p in parts if p))
        self.place_info.setVisible(any(parts))
        self.facts["Recorded"].setText(f"{_when(incident.created_at)} by {incident.created_by}")
        self.facts["Last change"].setText(
            f"{_when(incident.updated_at)}, revision {incident.revision}"
        )
        self.facts["ID"].setText(str(incident.id))

    def _show_links(self, incident: IncidentView) -> None:
        for link in self.links:
            link.hide()
            link.deleteLater()
        self.links = []
        for kind, other, title in incident.links:
            self._add_link_row(
                LINK_KIND_NAMES.get(kind, kind), other, title, incident.id, other, kind
            )
        for kind, other, title in incident.linked_from:
            self._add_link_row(
                LINKED_FROM_NAMES.get(kind, kind), other, title, other, incident.id, kind
            )

    def _add_link_row(
        self,
        relation: str,
        other: uuid.UUID,
        title: str,
        from_id: uuid.UUID,
        to_id: uuid.UUID,
        kind: str,
    ) -> None:
        row = LinkRow(relation, other, title)
        row.open_requested.connect(self.open_incident)
        row.remove_requested.connect(lambda: self._remove_link(from_id, to_id, kind))
        self.links.append(row)
        self._links_layout.addWidget(row)

    # -- reading and writing the fields, by group ------------------------------

    def _read(self, group: str) -> dict[str, Any]:
        if group == "title":
            return {"title": self.title_edit.text().strip()}
        if group == "summary":
            return {"summary": self.summary_edit.toPlainText()}
        if group == "dates":
            start, start_precision = self.start_edit.value()
            end, end_precision = self.end_edit.value()
            return {
                "start": start,
                "start_precision": start_precision,
                "end": end,
                "end_precision": end_precision if end else None,
            }
        if group == "place":
            return {"place": self.place_edit.text().strip() or None}
        if group == "coordinates":
            return {
                "latitude": _number(self.latitude_edit.text(), "Latitude"),
                "longitude": _number(self.longitude_edit.text(), "Longitude"),
            }
        if group == "type":
            return {
                "event_type": self.event_type_combo.currentData() or None,
                "sub_event_type": self.sub_event_type_combo.currentData() or None,
            }
        if group == "actors":
            return {"actors": self.actors.value()}
        if group == "status":
            return {"status": self.status_combo.currentData()}
        tags = (t.strip() for t in self.tags_edit.text().split(","))
        return {"tags": tuple(sorted(dict.fromkeys(t for t in tags if t)))}

    def _write(self, group: str, values: IncidentFields) -> None:
        """Show the case's values of a group, leaving widgets that already agree."""
        try:
            if self._read(group) == _values_of(group, values):
                return
        except _Unreadable:
            pass
        self._loading = True
        try:
            self._write_widgets(group, values)
        finally:
            self._loading = False

    def _write_widgets(self, group: str, values: IncidentFields) -> None:
        if group == "title":
            self.title_edit.setText(values.title)
            self.title_edit.setCursorPosition(0)
        elif group == "summary":
            self.summary_edit.setPlainText(values.summary)
        elif group == "dates":
            self.start_edit.set_value(values.start, values.start_precision)
            self.end_edit.set_value(values.end, values.end_precision)
        elif group == "place":
            self.place_edit.setText(values.place or "")
            self.place_edit.setCursorPosition(0)
        elif group == "coordinates":
            self.latitude_edit.setText(_coordinate_text(values.latitude))
            self.longitude_edit.setText(_coordinate_text(values.longitude))
        elif group == "type":
            self.event_type_combo.setCurrentIndex(
                max(0, self.event_type_combo.findData(values.event_type or ""))
            )
            self._fill_sub_types(values.event_type)
            self.sub_event_type_combo.setCurrentIndex(
                max(0, self.sub_event_type_combo.findData(values.sub_event_type or ""))
            )
        elif group == "actors":
            self.actors.set_value(values.actors)
        elif group == "status":
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(values.status)))
        else:
            self.tags_edit.setText(", ".join(values.tags))

    def _has_focus(self, group: str) -> bool:
        focused = QApplication.focusWidget()
        widgets: dict[str, tuple[QWidget, ...]] = {
            "title": (self.title_edit,),
            "summary": (self.summary_edit,),
            "dates": (self.start_edit, self.end_edit),
            "place": (self.place_edit,),
            "coordinates": (self.latitude_edit, self.longitude_edit),
            "actors": (self.actors,),
            "tags": (self.tags_edit,),
        }
        return focused is not None and any(
            w is focused or w.isAncestorOf(focused) for w in widgets.get(group, ())
        )

    def _fill_sub_types(self, event_type: str | None) -> None:
        self.sub_event_type_combo.clear()
        self.sub_event_type_combo.addItem("(none)", "")
        for sub in EVENT_TYPES.get(event_type or "", ()):
            self.sub_event_type_combo.addItem(sub, sub)
        self.sub_event_type_combo.setEnabled(bool(event_type))

    def _event_type_chosen(self, _index: int) -> None:
        self._fill_sub_types(self.event_type_combo.currentData())
        self._save()

    # -- saving ---------------------------------------------------------------

    def _typed(self) -> None:
        if not self._loading and self._incident is not None:
            self._pause.start()

    def _save(self) -> None:
        """Save every group that differs from the case and breaks no rule, as one step."""
        self._pause.stop()
        incident = self._incident
        if incident is None or self._loading:
            return
        current = incident.fields
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        saved: set[str] = set()
        for group, names in GROUPS.items():
            try:
                values = self._read(group)
            except _Unreadable as exc:
                self._show_problem(group, str(exc))
                continue
            if values == _values_of(group, current):
                self._show_problem(group, "")
                continue
            found = problems(replace(current, **values))
            reason = next((found[name] for name in names if name in found), "")
            self._show_problem(group, reason)
            if reason:
                continue
            saved.add(group)
            for name, value in values.items():
                if value != getattr(current, name):
                    before[name], after[name] = getattr(current, name), value
        if not after:
            return
        self._just_saved = saved
        try:
            push(
                self._undo_stack,
                EditIncident(self._case, self.events, incident.id, before, after),
                self,
            )
        finally:
            self._just_saved = set()

    def _show_problem(self, group: str, reason: str) -> None:
        label = self._problems[group]
        label.setText(reason)
        label.setVisible(bool(reason))

    def _changed(self, incident_id: uuid.UUID) -> None:
        """An incident changed (saved here, undone, redone): follow it if it is shown."""
        shown = self._incident
        if shown is not None and shown.id == incident_id:
            try:
                fresh = self._case.incidents.get(incident_id)
            except NotFoundError:
                fresh = None
            if fresh is not None:
                self._follow(shown, fresh)
        self.incident_changed.emit(incident_id)

    def _follow(self, shown: IncidentView, fresh: IncidentView) -> None:
        pending = set()
        for group in GROUPS:
            if group in self._just_saved:
                continue
            try:
                if self._read(group) != _values_of(group, shown.fields):
                    pending.add(group)
            except _Unreadable:
                pending.add(group)
        self._incident = fresh
        for group in GROUPS:
            if group in pending:
                continue  # an edit not saved yet (or refused): keep what was typed
            if group in self._just_saved and self._has_focus(group):
                continue  # tidied while typing ("Al  Bukamal"): don't move the cursor
            self._write(group, fresh.fields)
            if group not in self._just_saved:
                self._show_problem(group, "")
        self._show_facts(fresh)
        self._show_links(fresh)
        self._refresh_completion()  # a saved place, actor or tag may be new

    # -- new, delete, link ----------------------------------------------------

    def create_incident(self) -> None:
        """Make a new incident, show it, and put the cursor in its title."""
        self.flush()
        command = CreateIncident(self._case, self.events, IncidentFields(title=NEW_TITLE))
        if push(self._undo_stack, command, self) and command.incident_id is not None:
            self.show_incident(command.incident_id)
            self.title_edit.setFocus()
            self.title_edit.selectAll()

    def delete_incident(self) -> None:
        """Delete the shown incident once the analyst confirms."""
        incident = self._incident
        if incident is None or not self._confirm_delete(incident.title):
            return
        self.flush()
        push(
            self._undo_stack,
            DeleteIncident(self._case, self.events, incident.id, incident.title),
            self,
        )

    def _confirm_delete(self, title: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Delete incident")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the title is the analyst's text
        box.setText(f"Delete the incident “{title}”?")
        box.setInformativeText(
            "Its sources stay in the case. Undo (Ctrl+Z) brings it back with its "
            "sources, links and notes."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            box.deleteLater()

    def _deleted(self, incident_id: uuid.UUID) -> None:
        if self._incident is not None and self._incident.id == incident_id:
            self._incident = None
            self._load()
        self.incident_deleted.emit(incident_id)

    def _add_link(self) -> None:
        incident = self._incident
        if incident is None:
            return
        self.flush()
        chosen = self._ask_link(incident)
        if chosen is None:
            return
        other, kind = chosen
        if (kind, other) in {(k, i) for k, i, _ in incident.links}:
            return  # linked so already: nothing to do or undo
        push(
            self._undo_stack, LinkIncidents(self._case, self.events, incident.id, other, kind), self
        )

    def _ask_link(self, incident: IncidentView) -> tuple[uuid.UUID, str] | None:
        dialog = LinkIncidentDialog(self._case, incident.id, incident.title, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.choice()
        finally:
            dialog.deleteLater()

    def _remove_link(self, from_id: uuid.UUID, to_id: uuid.UUID, kind: str) -> None:
        push(self._undo_stack, UnlinkIncidents(self._case, self.events, from_id, to_id, kind), self)


def _values_of(group: str, values: IncidentFields) -> dict[str, Any]:
    return {name: getattr(values, name) for name in GROUPS[group]}


def _number(text: str, what: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _Unreadable(f"{what} must be a number, such as 34.4536.") from None


def _coordinate_text(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
