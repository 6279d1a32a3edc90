"""The panes of one open case and the wiring between them.

The main window is the shell (menus, toolbar, docks, status bar, opening and closing
cases); this module makes every pane for the open case, puts it in a dock and
connects the panes' signals, so that selecting, searching, recording claims and
undoing keep every pane in step. Panes never talk to each other directly.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QWidget

from desk.services.sources import SourceView
from ui.claim_highlights import SuggestionsPanel, mark_claims, select_range, selection_in_source
from ui.icons import icon
from ui.models.incidents import IncidentTableModel
from ui.panes.claims import ClaimsPane
from ui.panes.conflict_board import ConflictBoard
from ui.panes.history import HistoryPane
from ui.panes.incident_editor import IncidentEditorPane
from ui.panes.incident_list import IncidentListPane
from ui.panes.merge_review import MergeReviewPane
from ui.panes.notes import NotesPane
from ui.panes.search import SearchPane
from ui.panes.source_viewer import SourceViewerPane
from ui.panes.sources import SourcesPane, dropped_files
from ui.panes.thumbnails import ThumbnailGrid

if TYPE_CHECKING:
    from desk.case import Case
    from ui.main_window import MainWindow

Area = Qt.DockWidgetArea


class CaseView:
    """Every pane of the open case, docked in ``window`` and wired together.

    Attributes (all panes): incidents (the list model), incident_list, editor, claims,
    incident_notes, history, sources, thumbnails, viewer, suggestions, source_notes,
    source_history, search, conflicts, case_notes, reviews; ``central`` is the widget
    the window shows in its middle (the incident list).
    """

    def __init__(self, window: MainWindow, case: Case) -> None:
        self.window = window
        self.case = case
        stack = window.undo_stack
        self.incidents = IncidentTableModel(case)
        self.incident_list = IncidentListPane(self.incidents)
        self.incidents.setParent(self.incident_list)  # goes with the pane
        # Tab moves on to the next pane rather than walking the table's cells.
        self.incident_list.table.setTabKeyNavigation(False)
        self.central: QWidget = self.incident_list

        self.editor = IncidentEditorPane(case, stack)
        self.claims = ClaimsPane(case, stack)
        self.incident_notes = NotesPane(case, stack)
        self.history = HistoryPane(case)
        self.sources = SourcesPane(case, stack)
        self.thumbnails = ThumbnailGrid(case)
        self.viewer = SourceViewerPane(case, stack)
        self.suggestions = SuggestionsPanel(case, stack)
        self.source_notes = NotesPane(case, stack)
        self.source_history = HistoryPane(case)
        self.search = SearchPane(case)
        self.conflicts = ConflictBoard(case, stack, in_front=False)
        self.case_notes = NotesPane(case, stack)
        self.case_notes.show_case()
        self.reviews = MergeReviewPane(case)

        self._dock_panes()
        self._make_actions()
        self._wire()

    # -- layout -------------------------------------------------------------------

    def _dock_panes(self) -> None:
        w = self.window
        bottom, right = Area.BottomDockWidgetArea, Area.RightDockWidgetArea
        # Under the list, the incident's panes and then the case-wide ones, as tabs:
        # the list keeps the width its seven columns need.
        editor = w.add_dock(self.editor, "Incident", "incident", bottom)
        claims = w.add_dock(self.claims, "Claims", "claims", bottom)
        notes = w.add_dock(self.incident_notes, "Incident notes", "incident-notes", bottom)
        history = w.add_dock(self.history, "History", "history", bottom)
        search = w.add_dock(self.search, "Search", "search", bottom)
        conflicts = w.add_dock(self.conflicts, "Conflicts", "conflicts", bottom)
        case_notes = w.add_dock(self.case_notes, "Case notes", "case-notes", bottom)
        reviews = w.add_dock(self.reviews, "Reviews", "reviews", bottom)
        for dock in (claims, notes, history, search, conflicts, case_notes, reviews):
            w.tabifyDockWidget(editor, dock)
        # Split before tabbing: a dock already in a tab group can only gain tabs.
        sources = w.add_dock(self.sources, "Sources", "sources", right)
        viewer = w.add_dock(self.viewer, "Source", "viewer", right)
        w.splitDockWidget(sources, viewer, Qt.Orientation.Vertical)
        suggestions = w.add_dock(self.suggestions, "Suggested claims", "suggestions", right)
        w.splitDockWidget(viewer, suggestions, Qt.Orientation.Vertical)
        pictures = w.add_dock(self.thumbnails, "Pictures", "pictures", right)
        w.tabifyDockWidget(sources, pictures)
        source_notes = w.add_dock(self.source_notes, "Source notes", "source-notes", right)
        custody = w.add_dock(self.source_history, "Custody", "custody", right)
        for dock in (source_notes, custody):
            w.tabifyDockWidget(suggestions, dock)
        for dock in (editor, sources, suggestions):
            dock.raise_()
        # Panes that read much wait until their tab is brought to the front.
        for dock, pane in (
            (conflicts, self.conflicts),
            (history, self.history),
            (custody, self.source_history),
        ):
            pane.set_shown(False)
            dock.visibilityChanged.connect(pane.set_shown)
        w.dock_sizes = [
            (editor, 420, Qt.Orientation.Vertical),
            (sources, 540, Qt.Orientation.Horizontal),
            (sources, 190, Qt.Orientation.Vertical),
            (viewer, 330, Qt.Orientation.Vertical),
            (suggestions, 170, Qt.Orientation.Vertical),
        ]
        w.pane_order = [self.incident_list, self.editor, self.sources, self.viewer, self.search]
        self._docks: dict[str, QDockWidget] = {
            "search": search,
            "conflicts": conflicts,
            "case-notes": case_notes,
            "claims": claims,
            "viewer": viewer,
        }

    def _make_actions(self) -> None:
        w = self.window
        w.bind(w.find_action, self._find)
        w.bind(w.new_incident_action, self.editor.create_incident)
        w.bind(w.add_sources_action, self.sources.add_files)
        w.bind(w.export_bundle_action, self.export_bundle)
        w.bind(w.import_bundle_action, self.import_bundle)
        w.bind(w.outlets_action, self.edit_outlets)
        w.bind(w.export_brief_action, self.export_brief)
        w.bind(w.verify_action, self.verify)
        w.bind(w.backups_action, self.show_backups)
        # The window's New incident (Ctrl+N) stands in for the editor's own, so that one
        # key has one action; Delete deletes an incident from the list or the editor.
        self.editor.removeAction(self.editor.new_action)
        self.incident_list.table.addAction(self.editor.delete_action)
        w.incident_menu.addAction(self.editor.delete_action)
        self.claim_action = QAction(icon("claim-new"), "New &claim from selection", w)
        self.claim_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.claim_action.setToolTip("Record what the selected words in the source claim")
        self.claim_action.triggered.connect(self.new_claim_from_selection)
        w.incident_menu.addAction(self.claim_action)
        w.toolbar.addAction(self.claim_action)
        self.viewer.text_view.addAction(self.claim_action)
        self.viewer.text_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.viewer.text_view.customContextMenuRequested.connect(self._text_menu)
        self._owned_actions = [self.editor.delete_action, self.claim_action]

    def release(self) -> None:
        """Take this case's actions out of the shared menus and toolbar."""
        for action in self._owned_actions:
            self.window.incident_menu.removeAction(action)
            self.window.toolbar.removeAction(action)

    # -- wiring -------------------------------------------------------------------

    def _wire(self) -> None:
        self.incident_list.incident_selected.connect(self.show_incident)
        self._drops = _IncidentDrops(self.incident_list)
        self._drops.dropped.connect(self._files_dropped_on_incident)

        self.editor.incident_changed.connect(self._incident_changed)
        self.editor.incident_created.connect(self.incident_list.select_incident)
        self.editor.incident_deleted.connect(self.incident_list.remove_incident)
        self.editor.incident_deleted.connect(lambda _id: self.conflicts.refresh())
        self.editor.open_incident.connect(self.incident_list.select_incident)

        self.sources.source_selected.connect(self.show_source)
        self.viewer.source_changed.connect(lambda _source: self.sources.refresh())
        self.thumbnails.image_selected.connect(self.show_source)
        self.sources.sources_changed.connect(self._sources_changed)

        self.claims.claims_changed.connect(self._claims_changed)
        self.claims.open_source.connect(self.open_source_at)
        self.suggestions.claims_changed.connect(self._claims_changed)
        self.suggestions.suggestion_focused.connect(self._select_in_text)
        self.conflicts.claims_changed.connect(self._claims_changed)
        self.conflicts.open_incident.connect(self.incident_list.select_incident)
        self.conflicts.open_source.connect(self.open_source_at)

        self.search.open_incident.connect(lambda iid, _q: self.incident_list.select_incident(iid))
        self.search.open_source.connect(self.open_found_source)
        self.search.open_case_notes.connect(lambda _q: self._docks["case-notes"].raise_())
        self.reviews.decided.connect(lambda *_: self._refresh_selected())

        self.window.blur_all_changed.connect(self.viewer.set_blur_all)
        self.window.blur_all_changed.connect(self.thumbnails.set_blur_all)
        for pane in (self.viewer, self.thumbnails):
            pane.set_blur_all(self.window.blur_all_images)
        self.window.undo_stack.indexChanged.connect(self._undone_or_done)

    # -- selection ----------------------------------------------------------------

    @property
    def incident_id(self) -> uuid.UUID | None:
        return self.sources.incident_id()

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        self.editor.show_incident(incident_id)
        self.claims.show_incident(incident_id)
        self.incident_notes.show_incident(incident_id)
        self.history.show_incident(incident_id)
        self.sources.show_incident(incident_id)
        self.thumbnails.show_incident(incident_id)
        self.search.set_current_incident(incident_id)
        if self.sources.model.rowCount() == 0:
            self.show_source(None)

    def show_source(self, source: SourceView | None) -> None:
        self.viewer.show_source(source)
        source_id = source.id if source else None
        self.suggestions.show_source(source_id, self.incident_id)
        self.source_notes.show_source(source_id)
        self.source_history.show_source(source_id)
        self._mark_claims()

    def select_source(self, source_id: uuid.UUID) -> bool:
        """Select a source of the shown incident in the sources list."""
        row = self.sources.model.row_of(source_id)
        if row is None:
            return False
        self.sources.select_row(row)
        return True

    def open_source_at(self, source_id: uuid.UUID, start: int, end: int) -> None:
        """Show a source and select the quote at ``start``-``end`` (-1: none)."""
        self._docks["viewer"].raise_()
        if self.select_source(source_id) and start >= 0:
            self._select_in_text(start, end)

    def open_found_source(
        self, incident_id: uuid.UUID | None, source_id: uuid.UUID, query: str
    ) -> None:
        """A search hit in a source: its incident, the source, the words highlighted."""
        if incident_id is not None and incident_id != self.incident_id:
            self.incident_list.select_incident(incident_id)
        if not self.select_source(source_id):
            self.show_source(self.case.sources.get(source_id))
        self.viewer.highlight(query)
        self._mark_claims()

    # -- dialogs ------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        """Show ``dialog`` over the window, non-modal: the desk stays usable."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def export_bundle(self) -> None:
        # cryptography and jsonschema load with the bundle dialogs, not at start.
        from ui.dialogs.bundle_export import BundleExportDialog

        if not self.window.flush_all():
            return
        dialog = BundleExportDialog(
            self.case, self.incident_list.selected_incidents(), self.window, self._filtered_ids()
        )
        self._open(dialog)

    def import_bundle(self) -> None:
        from ui.dialogs.bundle_import import BundleImportDialog

        path = self.window.ask_bundle_path()
        if path is None or not self.window.flush_all():
            return
        dialog = BundleImportDialog(self.case, path, self.window)
        dialog.imported.connect(lambda _result: self.reload())
        self._open(dialog)

    # Dialogs load when first opened, not when the desk starts.
    def edit_outlets(self) -> None:
        from ui.dialogs.outlets import OutletsDialog

        self._open(OutletsDialog(self.case, self.window.undo_stack, self.window))

    def export_brief(self) -> None:
        # ReportLab loads with the dialog, not when the desk starts.
        from ui.dialogs.export_brief import ExportBriefDialog

        if not self.window.flush_all():
            return
        self._open(
            ExportBriefDialog(
                self.case,
                self.incident_list.selected_incidents(),
                self._filtered_ids(),
                self.case.analyst,
                self.window,
                self.window.settings,
            )
        )

    def _filtered_ids(self) -> list[uuid.UUID] | None:
        """The incidents the filter bar lets through; None when it sets no filter."""
        if not self.incident_list.filtering():
            return None
        return self.case.incidents.ids(self.incident_list.current_filter())

    def verify(self) -> None:
        from ui.dialogs.verify_case import VerifyCaseDialog

        if self.window.flush_all():
            self._open(VerifyCaseDialog(self.case, self.window))

    def show_backups(self) -> None:
        from ui.dialogs.backups import BackupsDialog

        if not self.window.flush_all():
            return
        dialog = BackupsDialog(self.case.path, self.window)
        # Queued: the restore closes this case view, which must not happen inside
        # the dialog's own signal.
        dialog.restore_requested.connect(
            self.window.restore_backup, Qt.ConnectionType.QueuedConnection
        )
        self._open(dialog)

    def reload(self) -> None:
        """Read everything again after the case changed under the panes (a bundle)."""
        self.incidents.reload()
        self.incident_list.refresh_tags()
        self.conflicts.refresh()
        self.reviews.refresh()
        self.case_notes.refresh()
        self._refresh_selected()
        self.window.update_counts()

    # -- reactions ----------------------------------------------------------------

    def _find(self) -> None:
        self._docks["search"].raise_()
        self.search.focus_search()

    def _incident_changed(self, incident_id: uuid.UUID) -> None:
        self.incident_list.refresh_incident(incident_id)
        self.history.refresh()

    def _sources_changed(self) -> None:
        if self.incident_id is not None:
            self.incident_list.refresh_incident(self.incident_id)
            self.history.refresh()
        self.thumbnails.refresh()
        self.window.update_counts()

    def _claims_changed(self, incident_id: uuid.UUID | None) -> None:
        if incident_id is not None:
            self.incident_list.refresh_incident(incident_id)
        if incident_id == self.incident_id:
            self.claims.refresh()
            self.history.refresh()
        self.conflicts.refresh()
        self._mark_claims()

    def _refresh_selected(self) -> None:
        if self.incident_id is not None:
            self.incident_list.refresh_incident(self.incident_id)
            self.show_incident(self.incident_id)

    def _undone_or_done(self, _index: int) -> None:
        self.history.refresh()
        self.source_history.refresh()

    def _files_dropped_on_incident(self, incident_id: uuid.UUID, paths: list[Path]) -> None:
        self.incident_list.select_incident(incident_id)
        self.sources.import_files(paths, incident_id)

    def _mark_claims(self) -> None:
        """Green marks on the words of recorded claims, amber on pending suggestions."""
        source = self.viewer.source()
        if source is None or self.incident_id is None:
            return
        claims = [c for c in self.case.claims.list(self.incident_id) if c.source_id == source.id]
        mark_claims(self.viewer.text_view, claims, self.suggestions.suggestions())

    def _select_in_text(self, start: int, end: int) -> None:
        select_range(self.viewer.text_view, start, end)

    def new_claim_from_selection(self) -> None:
        from ui.dialogs.claim_form import new_claim_from_selection

        source = self.viewer.source()
        if source is None or self.incident_id is None:
            self.window.statusBar().showMessage("Select an incident's source first.", 4000)
            return
        selected = selection_in_source(self.viewer.text_view)
        text, start = selected if selected else ("", -1)
        if new_claim_from_selection(
            self.window, self.case, self.window.undo_stack, self.incident_id, source.id, text, start
        ):
            self._claims_changed(self.incident_id)

    def _text_menu(self, point: QPoint) -> None:
        view = self.viewer.text_view
        menu = view.createStandardContextMenu(point)
        menu.addSeparator()
        menu.addAction(self.claim_action)
        menu.exec(view.viewport().mapToGlobal(point))
        menu.deleteLater()


class _IncidentDrops(QObject):
    """Files dropped on an incident's row are imported and attached to that incident.

    Signals:
        dropped(object, list): the incident id and the dropped paths.
    """

    dropped = Signal(object, list)

    def __init__(self, pane: IncidentListPane) -> None:
        super().__init__(pane)
        self._pane = pane
        viewport = pane.table.viewport()
        viewport.setAcceptDrops(True)
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, (QDragEnterEvent, QDragMoveEvent)):
            if dropped_files(event.mimeData()) and self._incident_at(event.position().toPoint()):
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if isinstance(event, QDropEvent):
            paths = dropped_files(event.mimeData())
            incident_id = self._incident_at(event.position().toPoint())
            if paths and incident_id is not None:
                event.acceptProposedAction()
                self.dropped.emit(incident_id, paths)
            return True
        return False

    def _incident_at(self, point: QPoint) -> uuid.UUID | None:
        index = self._pane.table.indexAt(point)
        if not index.isValid():
            return None
        return self._pane.model.incident_at(index.row()).id
