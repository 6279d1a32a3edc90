"""What is known about one incident: when, where, what, who, and its summary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from desk.dates import format_partial_date
from desk.errors import NotFoundError
from desk.services.incidents import IncidentView
from ui.widgets.field_list import Field, FieldList
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

NO_INCIDENT = "Select an incident to see what is known about it."

ROLE_NAMES = {
    "actor1": "actor 1",
    "actor2": "actor 2",
    "assoc_actor1": "associated with actor 1",
    "assoc_actor2": "associated with actor 2",
    "target": "target",
    "victim": "victim",
    "other": "other",
}


class IncidentDetailsPane(QWidget):
    """The selected incident's facts, read-only. No signals.

    Attributes:
        title: the incident's title.
        fields: the label/value rows (Date, Place, Actors, ...).
    """

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._incident: IncidentView | None = None

        self._placeholder = hint_label(NO_INCIDENT)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.fields = FieldList()

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.title)
        body_layout.addWidget(self.fields)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)

        self._stack = QStackedWidget()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    @property
    def incident(self) -> IncidentView | None:
        return self._incident

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        self._incident = None
        if incident_id is None:
            self._show_placeholder(NO_INCIDENT)
            return
        try:
            incident = self._case.incidents.get(incident_id)
        except NotFoundError as exc:  # deleted elsewhere (the CLI) since the list was read
            self._show_placeholder(str(exc))
            return
        self._incident = incident
        self.title.setText(incident.title)
        self.fields.set_fields(incident_fields(incident))
        self._stack.setCurrentIndex(1)

    def _show_placeholder(self, text: str) -> None:
        self._placeholder.setText(text)
        self._stack.setCurrentIndex(0)


def incident_fields(incident: IncidentView) -> list[Field]:
    f = incident.fields
    place_name = f.place or ""
    aliases = [a for a in incident.place_aliases if a.casefold() != place_name.casefold()]
    region = ", ".join(part for part in (incident.admin1, incident.country) if part)
    coordinates = (
        f"{f.latitude:.5f}, {f.longitude:.5f}"
        if f.latitude is not None and f.longitude is not None
        else ""
    )
    return [
        Field("Date", _period(incident)),
        Field("Place", f"{place_name} ({region})" if place_name and region else place_name),
        Field("Also known as", ", ".join(aliases)),
        Field("Coordinates", coordinates),
        Field("Type", " › ".join(t for t in (f.event_type, f.sub_event_type) if t)),
        Field("Actors", "\n".join(f"{name} ({ROLE_NAMES.get(r, r)})" for name, r in f.actors)),
        Field("Status", f.status),
        Field("Tags", ", ".join(f.tags)),
        Field("Linked", "\n".join(f"{kind}: {title}" for kind, _, title in incident.links)),
        Field("Summary", f.summary),
        Field("Recorded", f"{_when(incident.created_at)} by {incident.created_by}"),
        Field("Last change", f"{_when(incident.updated_at)} (revision {incident.revision})"),
        Field("ID", str(incident.id), exact=True),
    ]


def _period(incident: IncidentView) -> str:
    f = incident.fields
    start = format_partial_date(f.start, f.start_precision)
    end = format_partial_date(f.end, f.end_precision)
    return f"{start} to {end}" if start and end and end != start else start


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
