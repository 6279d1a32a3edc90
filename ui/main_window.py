"""The main window: menus, toolbar and status bar around the panes of the open case.

Wiring a pane (all in ``MainWindow._build_panes``, which runs each time a case opens):

- make it with ``(case, self.undo_stack)``;
- put it in a dock with ``self.add_dock(pane, "Title", "name", area)``: the dock gets
  a View menu entry and its place is remembered; a pane with ``flush()`` is flushed
  before the case closes (other objects: ``self.add_flushable(obj)``);
- connect a window action to it with ``self.bind(self.find_action, pane.slot)``: the
  action is enabled while that case is open;
- list it in ``self.pane_order`` for Tab and F6, and give its dock a first-time size
  in ``self.dock_sizes``; ``self.start_focus`` takes the focus when a case opens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QMetaObject, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desk import __version__
from desk.errors import DeskError
from desk.first_page import FirstPage
from desk.memory import freeze_long_lived, thaw
from ui.dialogs.analyst import AnalystDialog
from ui.errors import show_error
from ui.icons import icon
from ui.models.first_page import FirstPageModel
from ui.models.incident_lines import lay_out_list
from ui.settings import MAX_RECENT, Settings

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from desk.case import Case

# The case layer (SQLAlchemy, the services) and the panes are loaded when a case opens,
# not with this module: the window shows a case's first lines before they are loaded.

APP_TITLE = "Evidence Desk"
# Bump when docks are renamed or moved, so an old saved layout is not applied.
LAYOUT_VERSION = 3
Area = Qt.DockWidgetArea


@runtime_checkable
class Flushable(Protocol):
    """A pane with edits not yet saved: ``flush()`` saves them now, or raises DeskError."""

    def flush(self) -> None: ...


class StartPage(QWidget):
    """What the window shows with no case open: new, open, and the recent cases.

    Signals:
        new_requested(): "New case…" was clicked.
        open_requested(): "Open case…" was clicked.
        recent_chosen(object): a recent case's ``Path`` was activated.

    Attributes:
        recent_list: the recent cases; missing files are listed greyed out.
    """

    new_requested = Signal()
    open_requested = Signal()
    recent_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("Open or create a case")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            "A case is one file holding its sources, incidents, notes and history. "
            "Nothing leaves this computer."
        )
        intro.setWordWrap(True)

        self.new_button = QPushButton(icon("case-new"), "New case…")
        self.open_button = QPushButton(icon("case-open"), "Open case…")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)

        self._recent_label = QLabel("Recent cases")
        self.recent_list = QListWidget()
        self.recent_list.itemActivated.connect(self._activated)
        rows = self.recent_list.fontMetrics().height() + 8
        self.recent_list.setMaximumHeight(rows * MAX_RECENT)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(18)
        column.addWidget(self._recent_label)
        column.addWidget(self.recent_list)
        column.addStretch(1)
        holder = QWidget()
        holder.setMaximumWidth(self.fontMetrics().averageCharWidth() * 90)
        holder.setLayout(column)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 32, 24, 24)
        outer.addStretch(1)
        outer.addWidget(holder, 4)
        outer.addStretch(1)

    def set_recent(self, paths: Sequence[Path]) -> None:
        self.recent_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.name}    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(str(path))
            if not path.is_file():
                item.setText(f"{path.name}    {path.parent}    (missing)")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent_list.addItem(item)
        self._recent_label.setVisible(bool(paths))
        self.recent_list.setVisible(bool(paths))
        if paths:
            self.recent_list.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole))


class _CopySignals(QObject):
    # done(ok, error): ok is False both for a DeskError (given) and for a bug, which
    # the crash handler reports.
    done = Signal(bool, object)


class _CopyTask(QRunnable):
    """``write_copy`` on a worker thread: a big case takes a while to copy."""

    def __init__(self, case: Case, target: Path) -> None:
        super().__init__()
        self.signals = _CopySignals()
        self._case = case
        self._target = target

    def run(self) -> None:
        from desk.case import write_copy

        ok = False
        error: DeskError | None = None
        try:
            write_copy(self._case, self._target)
            ok = True
        except DeskError as exc:
            error = exc
        finally:
            self.signals.done.emit(ok, error)


class _AfterPaint(QObject):
    """Calls back from the event loop once a widget has painted for the first time."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)  # once this paint has reached the screen
            self.deleteLater()
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    _AfterPaint(widget, callback)


class MainWindow(QMainWindow):
    """The desk: the incident list in the middle, the other panes in docks around it,
    or the start page when no case is open. The window owns the open case: it closes
    it when another case opens, on Close case, and when the window closes.

    Signals:
        case_changed(object): the ``Case`` now open, or None after Close case.
        blur_all_changed(bool): "Blur all images" was switched on or off.

    Attributes:
        case: the open ``Case``, or None.
        analyst: the name the case history records for changes made here.
        undo_stack: the ``QUndoStack`` every pane pushes its commands on.
        pane_order: the open case's panes in Tab and F6 order.
        start_focus: the widget that has the focus when a case opens.
        dock_sizes: (dock, size, orientation) for the docks' first layout.
        flushables: what is flushed before the case closes.
        incidents, incident_list, editor, sources, viewer: the open case's model
            and panes (replaced at each case switch).
        file_menu, edit_menu, view_menu, incident_menu, case_menu, help_menu,
            recent_menu, toolbar.
        new_case_action, open_case_action, save_copy_action, close_case_action,
        quit_action, undo_action, redo_action, find_action, analyst_action,
        blur_all_action, new_incident_action, add_sources_action, export_brief_action,
        export_bundle_action, import_bundle_action, outlets_action, verify_action,
        backups_action, keys_action, about_action.
        start_page: the ``StartPage``.
    """

    case_changed = Signal(object)
    blur_all_changed = Signal(bool)

    def __init__(
        self,
        case: Case | None = None,
        parent: QWidget | None = None,
        *,
        analyst: str | None = None,
        opening: tuple[Path, FirstPage] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main-window")
        self.settings = Settings()
        self.case: Case | None = None
        self.analyst = (
            analyst or (case.analyst if case else "") or self.settings.analyst or _login_name()
        )
        self.undo_stack = QUndoStack(self)
        self.pane_order: list[QWidget] = []
        self.flushables: list[Flushable] = []
        self._docks: list[QDockWidget] = []
        self.dock_sizes: list[tuple[QDockWidget, int, Qt.Orientation]] = []
        self._bindings: list[tuple[QAction, QMetaObject.Connection]] = []
        self._layout = self.settings.window_state("layout")
        self._pool = QThreadPool(self)
        self._copy_signals: _CopySignals | None = None
        self._shown_once = False
        self._first_lines: QTableView | None = None

        # Docks on the right run the full height; the bottom one sits under the list.
        self.setCorner(Qt.Corner.TopRightCorner, Area.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Area.RightDockWidgetArea)
        self.setDockNestingEnabled(True)

        self.start_page = StartPage()
        self.start_page.new_requested.connect(self.new_case)
        self.start_page.open_requested.connect(self.open_case_dialog)
        self.start_page.recent_chosen.connect(self.open_recent)
        self._pages = QStackedWidget()
        self._pages.setContentsMargins(4, 4, 0, 0)
        self._pages.addWidget(self.start_page)
        self.setCentralWidget(self._pages)

        self._counts = QLabel()
        self._counts.setTextFormat(Qt.TextFormat.PlainText)
        self._busy = QProgressBar()
        self._busy.setRange(0, 0)
        self._busy.setMaximumWidth(120)
        self._busy.hide()
        self.statusBar().addPermanentWidget(self._busy)
        self.statusBar().addPermanentWidget(self._counts)

        self._make_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_geometry()
        if case is not None:
            self._show_case(case)
        elif opening is not None:
            self._open_after_first_lines(*opening)
        else:
            self._show_start_page()

    # -- hooks for wiring panes ---------------------------------------------------

    def _build_panes(self, case: Case) -> QWidget:
        """Make the open case's panes and wire them; return the central one.

        Runs each time a case opens; docks, flushables and bindings made here go when
        it closes, so a pane only ever sees one case.
        """
        from ui.case_view import CaseView

        self.view = CaseView(self, case)
        # Shortcuts to the panes the window itself and its tests talk to.
        self.incidents = self.view.incidents
        self.incident_list = self.view.incident_list
        self.editor = self.view.editor
        self.sources = self.view.sources
        self.viewer = self.view.viewer
        self.start_focus: QWidget = self.incident_list.table
        self.incidents.total_changed.connect(self.update_counts)
        return self.view.central

    def _case_opened(self) -> None:
        """Once the panes are laid out: select the first incident."""
        if self.incidents.rowCount():
            self.incident_list.select_row(0)

    def add_dock(self, pane: QWidget, title: str, name: str, area: Area) -> QDockWidget:
        """Put ``pane`` in a dock called ``title`` for the open case.

        ``name`` identifies the dock in the saved layout (keep it stable). The dock
        gets a View menu entry; a pane with ``flush()`` is added to ``flushables``.
        """
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(pane)
        self.addDockWidget(area, dock)
        if self.isVisible():
            # Made for a window already on screen (a case opened from it): a widget
            # added to a shown one stays hidden until shown, and its layout would be
            # saved so if the window closed at once.
            dock.show()
        self.view_menu.insertAction(self._view_docks_end, dock.toggleViewAction())
        self._docks.append(dock)
        if isinstance(pane, Flushable):
            self.add_flushable(pane)
        return dock

    def add_flushable(self, pane: Flushable) -> None:
        """Flush ``pane`` before the open case closes, is switched, or copied."""
        self.flushables.append(pane)

    def bind(self, action: QAction, slot: Callable[[], object]) -> None:
        """Connect ``action`` to ``slot`` and enable it until the open case closes."""
        self._bindings.append((action, action.triggered.connect(slot)))
        action.setEnabled(True)

    # -- cases --------------------------------------------------------------------

    def new_case(self) -> None:
        """Ask for a title and file name and open the new case (File › New case)."""
        if not self._flush_all("Create a new case"):
            return
        from ui.dialogs.new_case import NewCaseDialog

        dialog = NewCaseDialog(self.analyst, self._folder(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_created.connect(self._case_created)
        dialog.open()

    def open_case_dialog(self) -> None:
        """File › Open case."""
        path = self._ask_open_path()
        if path is not None:
            self.open_case(path)

    def open_recent(self, path: Path) -> None:
        """Open a recent case; one that has gone is explained and forgotten."""
        if not self.open_case(path) and not path.is_file():
            self.settings.remove_recent_case(path)
            self._refresh_recent()

    def open_case(self, path: Path) -> bool:
        """Open the case at ``path`` in place of the current one; False when it cannot
        be opened (the reason is shown, the current case stays open)."""
        if self.case is not None and _same_file(self.case.path, path):
            return True
        if not self._flush_all("Open the other case"):
            return False
        from desk.case import Case

        try:
            case = Case.open(path, analyst=self.analyst)
        except DeskError as exc:
            show_error(self, exc, "The case cannot be opened")
            return False
        self._show_case(case)
        return True

    def close_case(self) -> bool:
        """Close the open case and show the start page (File › Close case)."""
        if self.case is None:
            return True
        if not self._flush_all("Close the case"):
            return False
        self._teardown()
        self._show_start_page()
        self.case_changed.emit(None)
        return True

    def save_copy(self) -> None:
        """Write a snapshot of the open case to a file of the analyst's choosing,
        on a worker thread (File › Save a copy)."""
        if self.case is None or not self._flush_all("Save a copy"):
            return
        target = self._ask_copy_path()
        if target is None:
            return
        task = _CopyTask(self.case, target)
        self._copy_signals = task.signals
        task.signals.done.connect(lambda ok, error: self._copy_done(target, ok, error))
        self.save_copy_action.setEnabled(False)
        self._busy.show()
        self.statusBar().showMessage(f"Saving a copy to {target}…")
        self._pool.start(task)

    def restore_backup(self, backup: Path) -> bool:
        """Put ``backup`` in place of the open case and open it again; the present
        state is kept as a backup first. False when it could not be done (the reason is
        shown; the case is open again as it was)."""
        if self.case is None:
            return False
        path = self.case.path
        if not self.close_case():
            return False
        from desk.backups import restore

        try:
            kept = restore(path, backup)
        except DeskError as exc:
            show_error(self, exc, "The backup was not restored")
            self.open_case(path)
            return False
        if not self.open_case(path):
            return False
        self.statusBar().showMessage(
            f"Restored {backup.name}; the case as it was before is kept as {kept.name}."
        )
        return True

    def copying(self) -> bool:
        return self._copy_signals is not None

    def set_analyst(self, name: str) -> None:
        """Record changes under ``name`` from now on, in this case and later ones."""
        self.analyst = name
        self.settings.analyst = name
        if self.case is not None:
            self.case.analyst = name
            self.update_counts()

    @property
    def blur_all_images(self) -> bool:
        return self.blur_all_action.isChecked()

    def status_text(self) -> str:
        """The counts shown at the right of the status bar."""
        return self._counts.text()

    # -- overridable questions (tests replace these) ------------------------------

    def _ask_open_path(self) -> Path | None:
        from ui.dialogs.new_case import CASE_FILTER

        name, _ = QFileDialog.getOpenFileName(
            self, "Open a case", str(self._folder()), f"{CASE_FILTER};;All files (*)"
        )
        return Path(name) if name else None

    def _ask_copy_path(self) -> Path | None:
        from ui.dialogs.new_case import CASE_FILTER, with_case_suffix

        assert self.case is not None
        suggested = self.case.path.with_name(f"{self.case.path.stem}-copy{self.case.path.suffix}")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save a copy of the case", str(suggested), CASE_FILTER
        )
        return with_case_suffix(Path(name)) if name else None

    def ask_bundle_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Import a colleague's bundle",
            str(self._folder()),
            "Evidence Desk bundles (*.evbundle);;All files (*)",
        )
        return Path(name) if name else None

    def _ask_to_discard(self, error: DeskError, doing: str) -> bool:
        answer = QMessageBox.warning(
            self,
            "A change was not saved",
            f"{error}\n\n{doing} anyway, without that change?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # -- Qt events ----------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go through the panes in ``pane_order``. Qt's own focus
        chain follows the order widgets were made in, which mixes the panes up as they
        make widgets for each incident and source."""
        stops = [widget for pane in self.pane_order for widget in _tab_stops(pane)]
        focused = self.focusWidget()
        if focused not in stops or len(stops) < 2:
            return super().focusNextPrevChild(next)
        step, reason = (
            (1, Qt.FocusReason.TabFocusReason) if next else (-1, Qt.FocusReason.BacktabFocusReason)
        )
        stops[(stops.index(focused) + step) % len(stops)].setFocus(reason)
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.case is not None:
                self._apply_layout()
                # Again: the docks as first made may have stretched the window.
                self._restore_geometry()
                self.start_focus.setFocus()  # a hidden widget cannot take it earlier

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._flush_all("Quit"):
            event.ignore()
            return
        self._stop_opening()  # closed on its first lines: the case is never opened
        if self.copying():
            self.statusBar().showMessage("Finishing the copy of the case…")
            self._pool.waitForDone()
        self.settings.set_window_state("geometry", self.saveGeometry())
        self._teardown()
        if self._layout is not None:
            self.settings.set_window_state("layout", self._layout)
        self.settings.sync()
        super().closeEvent(event)

    # -- inside -------------------------------------------------------------------

    def _make_actions(self) -> None:
        self.new_case_action = self._action(
            "&New case…", "case-new", QKeySequence("Ctrl+Shift+N"), self.new_case
        )
        self.open_case_action = self._action(
            "&Open case…", "case-open", QKeySequence.StandardKey.Open, self.open_case_dialog
        )
        self.save_copy_action = self._action(
            "Save a &copy…", "case-copy", QKeySequence("Ctrl+Shift+S"), self.save_copy
        )
        self.close_case_action = self._action(
            "&Close case", "case-close", QKeySequence.StandardKey.Close, self.close_case
        )
        self.quit_action = self._action("&Quit", None, QKeySequence.StandardKey.Quit, self.close)

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setIcon(icon("undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setIcon(icon("redo"))
        # Ctrl+Shift+Z everywhere (the standard key is Ctrl+Y on Windows).
        redo_keys = [QKeySequence("Ctrl+Shift+Z")]
        redo_keys += [
            keys
            for keys in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
            if keys not in redo_keys
        ]
        self.redo_action.setShortcuts(redo_keys)
        self.find_action = self._action("&Find…", "find", QKeySequence.StandardKey.Find)
        self.analyst_action = self._action("&Analyst name…", "analyst", None, self._change_analyst)
        self.new_incident_action = self._action(
            "&New incident", "incident-new", QKeySequence.StandardKey.New
        )
        self.add_sources_action = self._action(
            "&Add sources…", "sources-add", QKeySequence("Ctrl+Shift+A")
        )
        self.export_brief_action = self._action(
            "Export &brief…", "brief", QKeySequence("Ctrl+Shift+P")
        )
        self.export_bundle_action = self._action("E&xport bundle…", "bundle", None)
        self.import_bundle_action = self._action("&Import bundle…", None, None)
        self.outlets_action = self._action("&Outlets and grades…", None, None)
        self.verify_action = self._action("&Verify case…", "verify", None)
        self.backups_action = self._action("&Backups and restore…", None, None)
        # Keys belong to the analyst, not to a case: always at hand.
        self.keys_action = self._action("&Signing keys…", None, None, self._show_keys)

        self.blur_all_action = self._action("&Blur all images", None, None)
        self.blur_all_action.setCheckable(True)
        self.blur_all_action.setChecked(self.settings.blur_all_images)
        self.blur_all_action.setToolTip(
            "Show every image blurred until you click it: for reviewing violent material"
        )
        self.blur_all_action.toggled.connect(self._blur_all_toggled)
        self.next_pane_action = self._action(
            "Next &pane", None, QKeySequence(Qt.Key.Key_F6), lambda: self._focus_pane(1)
        )
        self.previous_pane_action = self._action(
            "Previous pane", None, QKeySequence("Shift+F6"), lambda: self._focus_pane(-1)
        )
        self.about_action = self._action("&About Evidence Desk", None, None, self._about)

        # Enabled while a case is open; find and the placeholders once bound.
        self._case_actions = [self.save_copy_action, self.close_case_action]
        for action in self._placeholders():
            action.setEnabled(False)

    def _placeholders(self) -> list[QAction]:
        """The actions the open case's view binds (disabled with no case open)."""
        return [
            self.find_action,
            self.new_incident_action,
            self.add_sources_action,
            self.export_brief_action,
            self.export_bundle_action,
            self.import_bundle_action,
            self.outlets_action,
            self.verify_action,
            self.backups_action,
        ]

    def _action(
        self,
        text: str,
        icon_name: str | None,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        slot: Callable[[], object] | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(shortcut)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            name = text.replace("&", "").rstrip("…")
            action.setToolTip(f"{name} ({keys})" if keys else name)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addActions([self.new_case_action, self.open_case_action])
        self.recent_menu = self.file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.save_copy_action)
        self.file_menu.addSeparator()
        self.file_menu.addActions(
            [self.export_brief_action, self.export_bundle_action, self.import_bundle_action]
        )
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.close_case_action, self.quit_action])

        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.analyst_action)

        self.view_menu = bar.addMenu("&View")
        self._view_docks_end = self.view_menu.addSeparator()
        self.incident_menu = bar.addMenu("&Incident")
        self.incident_menu.addActions([self.new_incident_action, self.add_sources_action])
        self.case_menu = bar.addMenu("&Case")
        self.case_menu.addAction(self.outlets_action)
        self.case_menu.addSeparator()
        self.case_menu.addActions([self.verify_action, self.backups_action])
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.keys_action)

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("toolbar-main")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        for group in (
            [self.new_case_action, self.open_case_action, self.save_copy_action],
            [self.undo_action, self.redo_action],
            [self.find_action],
            [self.new_incident_action, self.add_sources_action],
            [self.export_brief_action],
        ):
            if self.toolbar.actions():
                self.toolbar.addSeparator()
            self.toolbar.addActions(group)
        # The view menu lists the docks, then these.
        self.view_menu.addAction(self.toolbar.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.blur_all_action)
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.next_pane_action, self.previous_pane_action])

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1440, screen.width() * 9 // 10), min(900, screen.height() * 9 // 10))

    def _show_case(self, case: Case) -> None:
        if self.case is not None:
            self._teardown()
        self.case = case
        kept = self.saveGeometry() if self._shown_once else None
        central = self._build_panes(case)
        self._pages.addWidget(central)
        self._pages.setCurrentWidget(central)
        if kept is not None:
            self._apply_layout()
            # The docks as first made stretch a window already on screen: it keeps its size.
            self.restoreGeometry(kept)
        for action in self._case_actions:
            action.setEnabled(True)
        self.setWindowTitle(f"{case.info().title} — {case.path.name}")
        self.settings.add_recent_case(case.path)
        self.update_counts()
        # The first incident's details fill in once the list has painted its rows: on a
        # large case the window shows them a tenth of a second sooner. What exists then
        # lives as long as the case, so the garbage collector may stop walking it.
        after_first_paint(self.incident_list.table.viewport(), self._settle)
        self.start_focus.setFocus()
        self.case_changed.emit(case)

    def _settle(self) -> None:
        from desk.services.importing import warm_up

        self._case_opened()
        freeze_long_lived()
        # The first import then starts its workers at once; an idle core does it now.
        # A Python thread, not the window's pool: it waits on a process, not on Qt.
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

    def _open_after_first_lines(self, path: Path, first: FirstPage) -> None:
        """Show the case's first lines now and open it once they are on screen: loading
        the case layer and the panes takes about half a second, the lines a few ms."""
        table = QTableView()
        table.setObjectName("first-lines")
        table.setModel(FirstPageModel(first.rows, table))
        lay_out_list(table)
        # Nothing to do with a line until the case is open.
        table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._first_lines = table
        self._pages.addWidget(table)
        self._pages.setCurrentWidget(table)
        self.setWindowTitle(f"{first.title} — {path.name}")
        self._counts.setText(f"{_count(first.total, 'incident')} · opening…")
        self._busy.show()
        after_first_paint(table.viewport(), lambda: self._open_shown(path))
        # Never shown (a window made to be driven hidden): open at once.
        QTimer.singleShot(0, lambda: self._open_unless_shown(path))

    def is_opening(self) -> bool:
        """Whether the window shows a case's first lines while it opens the case."""
        return self._first_lines is not None

    def _open_unless_shown(self, path: Path) -> None:
        if not self.isVisible():
            self._open_shown(path)

    def _open_shown(self, path: Path) -> None:
        if self._first_lines is None:
            return  # opened already, or the window was closed first
        self._stop_opening()
        if not self.open_case(path):
            self._show_start_page()

    def _stop_opening(self) -> None:
        if self._first_lines is None:
            return
        self._pages.removeWidget(self._first_lines)
        self._first_lines.deleteLater()
        self._first_lines = None
        self._busy.hide()
        self._counts.clear()

    def _apply_layout(self) -> None:
        # The saved layout when there is one; the first time, sizes that suit the panes.
        if self._layout is None or not self.restoreState(self._layout, LAYOUT_VERSION):
            # One call per orientation: docks sized one by one push each other about.
            for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
                sized = [(d, n) for d, n, o in self.dock_sizes if o == orientation]
                self.resizeDocks([d for d, _ in sized], [n for _, n in sized], orientation)

    def _teardown(self) -> None:
        """Forget the open case: its panes, docks, bindings and undo history; close it."""
        if self.case is None:
            return
        self._layout = self.saveState(LAYOUT_VERSION)
        thaw()
        self.view.release()
        self.undo_stack.clear()
        for action, connection in self._bindings:
            QObject.disconnect(connection)
            action.setEnabled(False)
        self._bindings.clear()
        self.flushables.clear()
        self.pane_order = []
        self.dock_sizes = []
        for dock in self._docks:
            self.view_menu.removeAction(dock.toggleViewAction())
            self.removeDockWidget(dock)
            dock.setObjectName("")  # so the next case's dock of that name gets the layout
            dock.deleteLater()
        self._docks.clear()
        central = self._pages.widget(1)
        if central is not None:
            self._pages.removeWidget(central)
            central.deleteLater()
        for action in self._case_actions:
            action.setEnabled(False)
        self._counts.clear()
        self.case.close()
        self.case = None

    def _show_start_page(self) -> None:
        self.setWindowTitle(APP_TITLE)
        self._refresh_recent()
        self._pages.setCurrentWidget(self.start_page)
        for action in self._case_actions:
            action.setEnabled(False)
        self.start_page.recent_list.setFocus()

    def _refresh_recent(self) -> None:
        self.start_page.set_recent(self.settings.recent_cases)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_cases
        for number, path in enumerate(recent, start=1):
            missing = not path.is_file()
            label = f"&{number % 10} {path.name}    {path.parent}"
            action = self.recent_menu.addAction(f"{label}    (missing)" if missing else label)
            action.setToolTip(str(path))
            action.setData(str(path))
            action.setEnabled(not missing)
            action.triggered.connect(lambda _=False, p=path: self.open_recent(p))
        if recent:
            self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("Clear the list")
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent_cases()
        self._refresh_recent()

    def _case_created(self, case: Case) -> None:
        self._show_case(case)
        self.statusBar().showMessage(f"New case created: {case.path}")

    def flush_all(self) -> bool:
        """Save every pane's pending edits before the case is read as a whole (a
        bundle, a brief); False when the analyst chose to stay with an unsaved one."""
        return self._flush_all("Go on")

    def _flush_all(self, doing: str) -> bool:
        """Save every pane's pending edits; False when one failed and the analyst
        chose to stay (``doing`` names what they asked for)."""
        for pane in self.flushables:
            try:
                pane.flush()
            except DeskError as exc:
                if not self._ask_to_discard(exc, doing):
                    return False
        return True

    def _copy_done(self, target: Path, ok: bool, error: DeskError | None) -> None:
        self._copy_signals = None
        self._busy.hide()
        self.save_copy_action.setEnabled(self.case is not None)
        if ok:
            self.statusBar().showMessage(f"A copy of the case was saved to {target}.")
            return
        self.statusBar().clearMessage()
        if error is not None:
            show_error(self, error, "The copy was not saved")

    def _show_keys(self) -> None:
        from ui.dialogs.keys import KeysDialog  # loads cryptography

        dialog = KeysDialog(self.analyst, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _change_analyst(self) -> None:
        dialog = AnalystDialog(self.analyst, first_start=False, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_analyst(dialog.name()))
        dialog.open()

    def _blur_all_toggled(self, checked: bool) -> None:
        self.settings.blur_all_images = checked
        self.blur_all_changed.emit(checked)

    def _focus_pane(self, step: int) -> None:
        """F6 / Shift+F6: to the next or previous pane, where its focus last was."""
        stops = {pane: _tab_stops(pane) for pane in self.pane_order if pane.isVisible()}
        panes = [pane for pane, widgets in stops.items() if widgets]
        if not panes:
            return
        here = self._pane_of(self.focusWidget())
        index = panes.index(here) if here in panes else -1
        pane = panes[(index + step) % len(panes)]
        last = pane.focusWidget()
        (last if last in stops[pane] else stops[pane][0]).setFocus(Qt.FocusReason.OtherFocusReason)

    def _pane_of(self, widget: QWidget | None) -> QWidget | None:
        return next((p for p in self.pane_order if widget and p.isAncestorOf(widget)), None)

    def _folder(self) -> Path:
        """Where file dialogs start: the open case's folder, else the last case's."""
        if self.case is not None:
            return self.case.path.parent
        recent = [p.parent for p in self.settings.recent_cases if p.parent.is_dir()]
        return recent[0] if recent else Path.home()

    def update_counts(self) -> None:
        if self.case is None:
            return
        shown = self.incidents.total
        # Counting 100,000 incidents again costs more than the list's own count.
        total = self.case.incidents.count() if self.incidents.filtered else shown
        incidents = _count(total, "incident")
        if shown != total:
            incidents = f"{shown:,} of {incidents}"
        sources = _count(self.case.sources.count(), "source")
        self._counts.setText(f"{incidents} · {sources} · analyst: {self.case.analyst}")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Evidence Desk",
            f"Evidence Desk {__version__}\n\nAn offline desk for conflict and OSINT analysts: "
            "sources, incidents, claims and briefs in one case file.",
        )


def _login_name() -> str:
    from desk.case import default_analyst

    return default_analyst()


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _tab_stops(pane: QWidget) -> list[QWidget]:
    """The widgets of ``pane`` that Tab stops at, in the order they were made.

    Found with findChildren: in PySide 6.12 walking the focus chain (nextInFocusChain)
    round the window ties the wrappers together, and deleting a pane then deletes the
    menu bar.
    """
    return [
        widget
        for widget in pane.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and widget.isVisible()
        and widget.isEnabled()
    ]
