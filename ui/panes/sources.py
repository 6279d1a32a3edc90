"""The sources attached to the selected incident: list, add, attach, detach, graphic."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.ingest import SUPPORTED_SUFFIXES
from desk.services.sources import ImportOutcome, SourceView, expand_paths
from ui.commands.sources import AttachSources, DetachSources, SetGraphic
from ui.dialogs.attach_source import AttachSourceDialog
from ui.dialogs.import_summary import ImportSummaryDialog
from ui.errors import show_error
from ui.icons import icon
from ui.models.sources import DATE, LANGUAGE, OUTLET, TITLE, SourceListModel, kind_icons
from ui.operations import CancelFlag, Operation, Progress

if TYPE_CHECKING:
    from desk.case import Case

# The outcome of each file looked at, and how many files there were.
Imported = tuple[list[ImportOutcome], int]
FILE_FILTER = f"Supported files ({' '.join('*' + s for s in SUPPORTED_SUFFIXES)});;All files (*)"


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drop from the file manager (nothing else)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class _SourceTree(QTreeView):
    """The list; files dropped on it are handed to the pane.

    Signals:
        files_dropped(list): the dropped paths.
    """

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.accepting = False

    # The model takes no drops, so the view's own handlers would refuse files.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        _accept_files(event, self.accepting)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        _accept_files(event, self.accepting)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event.mimeData())
        if self.accepting and paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            event.ignore()


def _accept_files(event: QDragEnterEvent | QDragMoveEvent, accepting: bool) -> None:
    if accepting and dropped_files(event.mimeData()):
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
    else:
        event.ignore()


class SourcesPane(QWidget):
    """The selected incident's sources: kind, title, outlet, date, language.

    Add files (file dialog, or drop them on the list) imports them on a worker thread,
    attaches them to the incident and shows a per-file summary. Attach existing,
    detach (Delete in the list; the source stays in the case) and marking a picture
    graphic are undoable commands on the shared undo stack.

    Signals:
        source_selected(object): the current ``SourceView``, or None.
        sources_changed(): sources were imported, attached, detached or re-marked
            (incident source counts may have changed).
        import_finished(object): the list of ``ImportOutcome`` of an import.

    Attributes:
        model: the ``SourceListModel`` behind the list.
        view: the list itself (several rows may be selected).
        toolbar: the pane's buttons.
        add_action, attach_action, detach_action, graphic_action: the pane's actions
            (also for the window's menus).
        summary: the last import's ``ImportSummaryDialog``, or None.
    """

    source_selected = Signal(object)
    sources_changed = Signal()
    import_finished = Signal(object)

    def __init__(
        self, case: Case, undo_stack: QUndoStack | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._case = case
        # A pane shown on its own keeps a stack of its own; the window passes its shared one.
        self._undo = undo_stack if undo_stack is not None else QUndoStack(self)
        self._incident_id: uuid.UUID | None = None
        # What to select after the next command ran (e.g. the sources it attached).
        self._pending_selection: list[uuid.UUID] | None = None
        self.summary: ImportSummaryDialog | None = None
        self.model = SourceListModel(kind_icons(self.style()), self)

        self._heading = QLabel("Sources")
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)

        style = self.style()
        self.toolbar = QToolBar()
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_action = self._action(
            "Add files…",
            icon("sources-add"),
            "Import files and attach them to the incident (or drop files on the list)",
            self.add_files,
        )
        self.attach_action = self._action(
            "Attach existing…",
            QIcon.fromTheme("insert-link"),
            "Attach sources already in the case",
            self.attach_existing,
        )
        self.detach_action = self._action(
            "Detach",
            QIcon.fromTheme("list-remove"),
            "Detach the selected sources from the incident (they stay in the case)",
            self.detach_selected,
        )
        self.graphic_action = self._action(
            "Graphic",
            QIcon.fromTheme(
                "dialog-warning", style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            ),
            "Mark the picture graphic: it shows blurred until revealed",
            None,
        )
        self.graphic_action.setCheckable(True)
        self.graphic_action.toggled.connect(self.set_graphic)

        self.view = _SourceTree()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAllColumnsShowFocus(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.detach_action, self.graphic_action):
            self.view.addAction(action)
        # Delete detaches only while the list has the focus, never elsewhere in the window.
        self.detach_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.detach_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        header.resizeSection(OUTLET, metrics.horizontalAdvance("M") * 14)
        header.resizeSection(DATE, metrics.horizontalAdvance("0000-00-00") + 24)
        header.resizeSection(LANGUAGE, metrics.horizontalAdvance("Lang.") + 24)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.files_dropped.connect(self.import_files)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._heading)
        top.addStretch(1)
        top.addWidget(self.toolbar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._update_actions()

    def _action(
        self,
        text: str,
        icon: QIcon,
        tip: str,
        slot: Callable[[], None] | None,
    ) -> QAction:
        action = QAction(icon, text, self)
        action.setToolTip(tip)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    # -- showing -------------------------------------------------------------

    def incident_id(self) -> uuid.UUID | None:
        return self._incident_id

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        """List the incident's sources and select the first.

        Only metadata is read for the list; a text or picture loads when its source is
        selected.
        """
        self._incident_id = incident_id
        self._reload(select=None)

    def refresh(self) -> None:
        """Read the list again, keeping the selection."""
        self._reload(select=[s.id for s in self.selected_sources()])

    def select_row(self, row: int) -> None:
        """Select only this row (setCurrentIndex would toggle it while Ctrl is held)."""
        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )

    def selected_source(self) -> SourceView | None:
        """The current source when it is selected (the one the viewer shows)."""
        current = self.view.currentIndex()
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row()):
            return self.model.source_at(current.row())
        rows = self.view.selectionModel().selectedRows()
        return self.model.source_at(rows[0].row()) if rows else None

    def selected_sources(self) -> list[SourceView]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.source_at(row) for row in rows]

    # -- adding --------------------------------------------------------------

    def add_files(self) -> None:
        """Ask for files and import them into the incident."""
        if self._incident_id is None:
            return
        paths = self._ask_files()
        if paths:
            self.import_files(paths)

    def _ask_files(self) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Add files to the incident", "", FILE_FILTER
        )
        return [Path(name) for name in names]

    def import_files(
        self, paths: Sequence[Path], incident_id: uuid.UUID | None = None
    ) -> Operation[Imported] | None:
        """Import ``paths`` (files, or folders of files) on a worker thread and attach
        them to ``incident_id`` (default: the incident shown). The window forwards
        files dropped on an incident here."""
        target = incident_id or self._incident_id
        if target is None or not paths:
            return None
        given = list(paths)
        case = self._case

        def work(progress: Progress, cancelled: CancelFlag) -> Imported:
            files = expand_paths(given)  # walks folders: worker's job too
            outcomes = case.sources.import_files(
                files, target, progress=progress, cancelled=cancelled
            )
            return outcomes, len(files)

        operation: Operation[Imported] = Operation(self, "Importing files", work)
        operation.on_success(
            lambda result: self._imported(result[0], result[1], operation.cancelled, target)
        )
        return operation.run()

    def _imported(
        self,
        outcomes: list[ImportOutcome],
        total: int,
        cancelled: bool,
        incident_id: uuid.UUID,
    ) -> None:
        if incident_id == self._incident_id:
            added = [o.source.id for o in outcomes if o.source is not None]
            self._reload(select=added[:1] or None)
        # Not modal: the analyst may read the new sources while the summary is open.
        self.summary = ImportSummaryDialog(outcomes, total, cancelled, self)
        self.summary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary.destroyed.connect(self._summary_closed)
        self.summary.show()
        self.sources_changed.emit()
        self.import_finished.emit(outcomes)

    def _summary_closed(self) -> None:
        self.summary = None

    # -- attaching and detaching ---------------------------------------------

    def attach_existing(self) -> None:
        """Choose sources already in the case and attach them (undoable)."""
        if self._incident_id is None:
            return
        chosen = self._choose_sources(self._incident_id)
        if chosen:
            attached = [self.model.source_at(r).id for r in range(self.model.rowCount())]
            command = AttachSources(self._case, self._incident_id, chosen, attached, self._changed)
            if command.source_ids:
                self._pending_selection = command.source_ids
                self._undo.push(command)

    def _choose_sources(self, incident_id: uuid.UUID) -> list[uuid.UUID]:
        dialog = AttachSourceDialog(self._case, incident_id, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return []
            return [s.id for s in dialog.selected_sources()]
        finally:
            dialog.deleteLater()

    def detach_selected(self) -> None:
        """Detach the selected sources from the incident (undoable); they stay in the case."""
        chosen = self.selected_sources()
        if self._incident_id is None or not chosen:
            return
        self._undo.push(
            DetachSources(self._case, self._incident_id, [s.id for s in chosen], self._changed)
        )

    def set_graphic(self, graphic: bool) -> None:
        """Mark the selected picture graphic or not (undoable)."""
        source = self.selected_source()
        if source is None or source.kind != "image" or source.graphic == graphic:
            return
        self._pending_selection = [source.id]
        self._undo.push(SetGraphic(self._case, source.id, graphic, self._changed))

    def _changed(self, error: DeskError | None) -> None:
        # After every redo and undo of this pane's commands.
        wanted = self._pending_selection
        self._pending_selection = None
        self._reload(select=wanted or [s.id for s in self.selected_sources()])
        self.sources_changed.emit()
        if error is not None:
            show_error(self, error)

    # -- inside --------------------------------------------------------------

    def _reload(self, select: Sequence[uuid.UUID] | None) -> None:
        previous = self.selected_source()
        sources = [] if self._incident_id is None else self._case.sources.list(self._incident_id)
        blocker = self.view.selectionModel().blockSignals(True)
        self.model.set_sources(sources)
        rows = [r for r in (self.model.row_of(i) for i in select or ()) if r is not None]
        if not rows and sources and select is None:
            rows = [0]
        selection = self.view.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        for row in rows:
            selection.select(self.model.index(row, 0), flag.Select | flag.Rows)
        if rows:
            selection.setCurrentIndex(self.model.index(rows[0], 0), flag.NoUpdate)
            self.view.scrollTo(self.model.index(rows[0], 0))
        self.view.selectionModel().blockSignals(blocker)
        self._heading.setText(
            f"Sources ({len(sources)})" if self._incident_id is not None else "Sources"
        )
        self._update_actions()
        current = self.selected_source()
        # Tell the viewer only when what it shows changed (a new source, or new facts).
        if current != previous or select is None:
            self.source_selected.emit(current)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()
        self.source_selected.emit(self.selected_source())

    def _update_actions(self) -> None:
        has_incident = self._incident_id is not None
        self.view.accepting = has_incident
        self.add_action.setEnabled(has_incident)
        self.attach_action.setEnabled(has_incident)
        self.detach_action.setEnabled(has_incident and bool(self.selected_sources()))
        source = self.selected_source()
        is_image = source is not None and source.kind == "image"
        self.graphic_action.setEnabled(is_image)
        blocker = self.graphic_action.blockSignals(True)
        self.graphic_action.setChecked(bool(is_image and source is not None and source.graphic))
        self.graphic_action.blockSignals(blocker)
