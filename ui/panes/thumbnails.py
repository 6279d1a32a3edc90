"""A grid of the pictures of one incident."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelection,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desk.services.sources import SourceView
from ui.models import AnyIndex
from ui.models.sources import source_date
from ui.panes.image_viewer import blurred
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

THUMBNAIL_SIDE = 160
# Thumbnails are small, so a stronger shrink is needed than for the full picture.
THUMBNAIL_BLUR_SIDE = 12
SourceRole = Qt.ItemDataRole.UserRole
BlurredRole = Qt.ItemDataRole.UserRole + 1
NO_IMAGES = "This incident has no pictures."


class ThumbnailModel(QAbstractListModel):
    """The pictures of one incident. A thumbnail is read from the case the first time a
    view asks for it, so a long list costs only what is on screen. No signals.

    Roles: display (title), decoration (the thumbnail, blurred when graphic or
    when everything is blurred, until revealed), tooltip, ``SourceRole`` (the
    ``SourceView``), ``BlurredRole`` (bool).
    """

    def __init__(self, case: Case, placeholder: QPixmap, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._placeholder = placeholder
        self._sources: list[SourceView] = []
        self._thumbnails: dict[uuid.UUID, QImage] = {}
        self._revealed: set[uuid.UUID] = set()
        self._blur_all = False

    def set_sources(self, sources: Sequence[SourceView]) -> None:
        self.beginResetModel()
        self._sources = [s for s in sources if s.kind == "image"]
        kept = {s.id for s in self._sources}
        self._thumbnails = {k: v for k, v in self._thumbnails.items() if k in kept}
        self._revealed &= kept
        self.endResetModel()

    def set_blur_all(self, on: bool) -> None:
        if on != self._blur_all:
            self._blur_all = on
            self._changed_all()

    def reveal(self, row: int) -> None:
        self._revealed.add(self._sources[row].id)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole, BlurredRole])

    def source_at(self, row: int) -> SourceView:
        return self._sources[row]

    def row_of(self, source_id: uuid.UUID) -> int | None:
        for row, source in enumerate(self._sources):
            if source.id == source_id:
                return row
        return None

    def is_blurred(self, row: int) -> bool:
        source = self._sources[row]
        return (source.graphic or self._blur_all) and source.id not in self._revealed

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sources)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sources):
            return None
        source = self._sources[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return source.title
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = source.original_filename or source.title
            if date := source_date(source):
                tip += f"\n{date}"
            if self.is_blurred(index.row()):
                tip += (
                    "\nMarked graphic" if source.graphic else "\nAll pictures are blurred"
                ) + ": double-click to show it"
            return tip
        if role == SourceRole:
            return source
        if role == BlurredRole:
            return self.is_blurred(index.row())
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def _thumbnail(self, row: int) -> QPixmap:
        source = self._sources[row]
        image = self._thumbnails.get(source.id)
        if image is None:
            data = self._case.sources.thumbnail(source.id)
            image = QImage.fromData(data) if data else QImage()
            if not image.isNull():
                # The delegate draws a pixmap at its own size: fit it to the grid.
                image = image.scaled(
                    THUMBNAIL_SIDE,
                    THUMBNAIL_SIDE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self._thumbnails[source.id] = image
        if image.isNull():
            return self._placeholder
        if self.is_blurred(row):
            image = blurred(image, THUMBNAIL_BLUR_SIDE)
        return QPixmap.fromImage(image)

    def _changed_all(self) -> None:
        if self._sources:
            self.dataChanged.emit(
                self.index(0),
                self.index(len(self._sources) - 1),
                [Qt.ItemDataRole.DecorationRole, BlurredRole, Qt.ItemDataRole.ToolTipRole],
            )


class ThumbnailGrid(QWidget):
    """Thumbnails of all pictures of an incident. Choosing one selects it; a blurred
    one shows itself on double-click (or Enter).

    Signals:
        image_selected(object): the chosen picture's ``SourceView``, or None.

    Attributes:
        model: the ``ThumbnailModel``.
        view: the ``QListView`` in icon mode.
    """

    image_selected = Signal(object)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        placeholder = self.style().standardPixmap(QStyle.StandardPixmap.SP_FileIcon)
        self.model = ThumbnailModel(case, placeholder, self)
        self.view = QListView()
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setModel(self.model)
        self.view.setIconSize(QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        line = self.fontMetrics().lineSpacing()
        self.view.setGridSize(QSize(THUMBNAIL_SIDE + 24, THUMBNAIL_SIDE + line + 16))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Selection, not the current item: focus alone makes the first item current.
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.activated.connect(self._activated)

        self._hint = hint_label(NO_IMAGES)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

        self._incident_id: uuid.UUID | None = None

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        """List the incident's pictures (none when None)."""
        self._incident_id = incident_id
        self.refresh()

    def refresh(self) -> None:
        """Read the list again (after imports, detaching, marking graphic), keeping the
        chosen picture."""
        current = self.selected_image()
        sources = [] if self._incident_id is None else self._case.sources.list(self._incident_id)
        self.model.set_sources(sources)
        self._stack.setCurrentWidget(self.view if self.model.rowCount() else self._hint)
        row = self.model.row_of(current.id) if current is not None else None
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))
        elif current is not None:
            self.image_selected.emit(None)

    def set_blur_all(self, on: bool) -> None:
        """Blur every thumbnail until revealed (the analyst's setting)."""
        self.model.set_blur_all(on)

    def selected_image(self) -> SourceView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.source_at(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.image_selected.emit(self.selected_image())

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid() and self.model.is_blurred(index.row()):
            self.model.reveal(index.row())
