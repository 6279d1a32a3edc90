"""One search field across the case: incidents, sources and notes, as you type."""

from __future__ import annotations

import html
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QKeyEvent,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.services.search import SearchResult
from ui.models.search import RESULT_ROLE, SNIPPET_HTML_ROLE, SearchResultModel
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

SEARCH_DELAY_MS = 250
RESULT_LIMIT = 100
START_HINT = "Type to search the incidents, sources and notes of this case."
MARGIN = 4


class ResultDelegate(QStyledItemDelegate):
    """Draws a hit as its title above its snippet, hits in bold, each line laid out in
    its own direction (an Arabic snippet from the right). Group rows draw as usual."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def document(
        self, index: QModelIndex | QPersistentModelIndex, width: float, selected: bool = False
    ) -> QTextDocument:
        """The rich text drawn for a hit row, ``width`` pixels wide."""
        result: SearchResult = index.data(RESULT_ROLE)
        palette = self._view.palette()
        if selected:
            text = dim = palette.color(QPalette.ColorRole.HighlightedText)
        else:
            text = palette.color(QPalette.ColorRole.Text)
            dim = _blend(text, palette.color(QPalette.ColorRole.Base), 0.7)
        document = QTextDocument()
        document.setDefaultFont(self._view.font())
        document.setDocumentMargin(MARGIN)
        option = QTextOption()
        # Each paragraph (title, snippet) takes the direction of its first letters.
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        document.setDefaultTextOption(option)
        # Both pieces of source text are escaped (the snippet in the model): rich text
        # is only what is written here.
        rich = f'<p style="margin:0; color:{text.name()}">{html.escape(result.title)}</p>'
        if result.snippet:  # a hit on a picture's title has no text to show
            rich += f'<p style="margin:0; color:{dim.name()}; font-size:small">{index.data(SNIPPET_HTML_ROLE)}</p>'
        document.setHtml(rich)
        document.setTextWidth(width)
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if index.data(RESULT_ROLE) is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        document = self.document(index, option.rect.width(), selected)
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(0, 0, option.rect.width(), option.rect.height())
        document.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.data(RESULT_ROLE) is None:
            return super().sizeHint(option, index)
        # Hits sit one level below their group, which sits below the root decoration.
        width = max(self._view.viewport().width() - 2 * self._view.indentation(), 120)
        document = self.document(index, width)
        return QSize(width, int(document.size().height()) + 1)


def _blend(front: QColor, back: QColor, amount: float) -> QColor:
    """``front`` mixed into ``back``: a readable secondary text colour in any theme."""
    return QColor.fromRgbF(
        front.redF() * amount + back.redF() * (1 - amount),
        front.greenF() * amount + back.greenF() * (1 - amount),
        front.blueF() * amount + back.blueF() * (1 - amount),
    )


class ResultView(QTreeView):
    """The results list: Enter chooses the current hit; rows re-wrap on resize.

    Signals:
        chosen(QModelIndex): a hit clicked or Enter pressed on it.
    """

    chosen = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clicked.connect(self.chosen)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.chosen.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()  # a hit's height depends on the width


class _SearchSignals(QObject):
    done = Signal(str, object)  # the query; its list of SearchResult, or a DeskError


class _SearchJob(QRunnable):
    """One query on a worker thread (reads have their own connections)."""

    def __init__(self, case: Case, query: str) -> None:
        super().__init__()
        self.signals = _SearchSignals()
        self._case = case
        self._query = query

    def run(self) -> None:
        outcome: list[SearchResult] | DeskError
        try:
            outcome = self._case.search(self._query, limit=RESULT_LIMIT)
        except DeskError as exc:
            outcome = exc
        self.signals.done.emit(self._query, outcome)


class SearchPane(QWidget):
    """A search field with the hits grouped by kind: Incidents, Sources, Notes.

    Results follow the typing (250 ms after the last key). The query runs on a worker
    thread, one at a time, the newest text winning: ranking and cutting snippets from
    long texts can take seconds on a big case. Enter in the field (the best hit) or
    the list, or a click, chooses a hit; Down moves from the field to the list;
    Escape clears the search.

    Signals:
        open_incident(object, str): an incident's id (a hit on it or on a note on it)
            and the query.
        open_source(object, object, str): the incident the source belongs to (the
            current one when it is among them, else its first; None when it is on
            none), the source's id and the query, so the viewer can highlight it.
        open_case_notes(str): a hit in the notes on the case, and the query.
        results_shown(str): the hits (or "No matches") for this query are on screen.

    Attributes:
        field: the search ``QLineEdit``.
        model: the ``SearchResultModel``.
        view: the results tree.
        summary: the counts line above the hits ("Searching…" while a query runs).
        hint: what shows instead of hits ("No matches for ...").
    """

    open_incident = Signal(object, str)
    open_source = Signal(object, object, str)
    open_case_notes = Signal(str)
    results_shown = Signal(str)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._query = ""  # what the hits on screen are for
        self._wanted = ""  # what the field asks for
        self._running = False
        self._open_best_when_shown = False
        self._current_incident: uuid.UUID | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

        self.field = QLineEdit()
        self.field.setPlaceholderText("Search incidents, sources and notes (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._typed)
        self.field.installEventFilter(self)

        self.model = SearchResultModel(self)
        self.view = ResultView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setIndentation(12)
        self.view.setItemDelegate(ResultDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setWordWrap(True)
        self.view.chosen.connect(self._choose)
        self.view.installEventFilter(self)

        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setEnabled(False)
        self.hint = hint_label(START_HINT)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.hint)
        self._stack.addWidget(self.view)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.summary)
        layout.addWidget(self._stack, 1)
        self.summary.hide()

    def focus_search(self) -> None:
        """Put the cursor in the field with its text selected (the window's Ctrl+F)."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def query(self) -> str:
        """The query the hits on screen are for."""
        return self._query

    def search(self, text: str) -> None:
        """Search for ``text`` now, as if it had been typed (``results_shown`` follows)."""
        self.field.setText(text)
        self.refresh()

    def clear(self) -> None:
        self.field.clear()
        self.refresh()

    def set_current_incident(self, incident_id: uuid.UUID | None) -> None:
        """The incident the window shows: a source hit on it opens it there."""
        self._current_incident = incident_id

    def refresh(self) -> None:
        """Run the field's query now (also after the case changed)."""
        self._timer.stop()
        self._wanted = self.field.text().strip()
        if not self._wanted:
            self._open_best_when_shown = False
            self._query = ""
            self._show_hint(START_HINT)
            return
        if not self._running:
            self._start(self._wanted)

    def is_searching(self) -> bool:
        return self._running

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if watched is self.field and self._field_key(event):
                return True
            if watched is self.view and event.key() == Qt.Key.Key_Escape:
                self.clear()
                self.focus_search()
                return True
        return super().eventFilter(watched, event)

    def _field_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.field.text():
            self.clear()
            return True
        current = not self._timer.isActive() and not self._running
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if current:
                self._choose(self.model.first_result_index())
            else:  # typed faster than the search: open the best hit once it is shown
                self._open_best_when_shown = True
                self.refresh()
            return True
        if key == Qt.Key.Key_Down and current and self.model.rowCount():
            self.view.setCurrentIndex(self.model.first_result_index())
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def _start(self, query: str) -> None:
        self._running = True
        self.summary.setText("Searching…")
        self.summary.show()
        job = _SearchJob(self._case, query)
        job.signals.done.connect(self._finished)
        self._pool.start(job)

    def _finished(self, query: str, outcome: list[SearchResult] | DeskError) -> None:
        self._running = False
        if query != self._wanted:
            if self._wanted:  # the field changed meanwhile: its query, not this one
                self._start(self._wanted)
            return
        self._query = query
        if isinstance(outcome, DeskError):
            self._show_hint(str(outcome))
        elif not outcome:
            self._show_hint(f"No matches for “{query}”.")
        else:
            self._show_results(outcome)
        self.results_shown.emit(query)
        if self._open_best_when_shown:
            self._open_best_when_shown = False
            self._choose(self.model.first_result_index())

    def _show_results(self, results: list[SearchResult]) -> None:
        self.model.set_results(results)
        self.view.expandAll()
        counts = ", ".join(
            f"{n} {label.lower() if n != 1 else label.lower()[:-1]}"
            for label, n in self.model.counts().items()
        )
        more = " (the best hundred)" if len(results) >= RESULT_LIMIT else ""
        self.summary.setText(f"{counts}{more}")
        self.summary.show()
        self._stack.setCurrentIndex(1)

    def _show_hint(self, text: str) -> None:
        self.model.set_results([])
        self.summary.hide()
        self.hint.setText(text)
        self._stack.setCurrentIndex(0)

    def _choose(self, index: QModelIndex) -> None:
        result = self.model.result(index)
        if result is None:
            return
        query = self._query
        if result.kind == "incident":
            self.open_incident.emit(result.id, query)
        elif result.kind == "source":
            self._open_source(result.id, query)
        elif result.incident_id is not None:  # a note on an incident
            self.open_incident.emit(result.incident_id, query)
        elif result.source_id is not None:  # a note on a source
            self._open_source(result.source_id, query)
        else:
            self.open_case_notes.emit(query)

    def _open_source(self, source_id: uuid.UUID, query: str) -> None:
        try:
            incident_ids = self._case.sources.get(source_id).incident_ids
        except DeskError as exc:  # deleted since the search ran
            self._show_hint(str(exc))
            return
        incident = (
            self._current_incident
            if self._current_incident in incident_ids
            else (incident_ids[0] if incident_ids else None)
        )
        self.open_source.emit(incident, source_id, query)
