"""Reading what a brief needs from the case, through its services only."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from desk.claims.assessment import AssessedFact, assess
from desk.dates import last_day
from desk.errors import BadInputError
from exporters.brief.images import PreparedImage, prepare
from exporters.brief.options import BriefOptions, Cancelled, Progress

if TYPE_CHECKING:
    from desk.case import Case
    from desk.services.claims import ClaimView, ConflictView
    from desk.services.incidents import IncidentView
    from desk.services.notes import NoteView
    from desk.services.outlets import OutletView
    from desk.services.sources import SourceView

# Larger than any case's list of sources for one incident.
_ALL = 1_000_000


@dataclass
class IncidentData:
    number: int
    view: IncidentView
    sources: list[SourceView]
    claims: list[ClaimView]
    conflicts: list[ConflictView]
    facts: list[AssessedFact]
    notes: list[NoteView]
    images: list[PreparedImage]
    graphic_left_out: int

    @property
    def first_day(self) -> date | None:
        return self.view.fields.start

    @property
    def last_day(self) -> date | None:
        f = self.view.fields
        if f.end is not None:
            return last_day(f.end, f.end_precision or "day")
        if f.start is not None:
            return last_day(f.start, f.start_precision)
        return None


@dataclass
class BriefData:
    case_title: str
    analyst: str
    incidents: list[IncidentData]
    outlets: dict[str, OutletView]
    # Every source in the brief, numbered S1, S2 ... in order of first appearance.
    source_numbers: dict[uuid.UUID, int] = field(default_factory=dict)
    cited: list[SourceView] = field(default_factory=list)
    cited_by: dict[uuid.UUID, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class NoteChoice:
    """A note a brief can include, with the title of the incident it is on."""

    incident_title: str
    note: NoteView


class Interrupted(Exception):
    """The analyst cancelled; nothing is written."""


def gather(
    case: Case,
    options: BriefOptions,
    progress: Progress | None,
    cancelled: Cancelled | None,
    total: int,
) -> BriefData:
    """Everything the brief shows, incident by incident (each is one step of ``total``)."""
    views = _selected(case, options)
    # Checked before any incident is read: a wrong note id fails at once.
    notes = _notes(case, options, views)
    data = BriefData(
        case_title=case.info().title,
        analyst=case.analyst,
        incidents=[],
        outlets={o.name: o for o in case.outlets.list()},
    )
    for number, view in enumerate(views, start=1):
        if cancelled is not None and cancelled():
            raise Interrupted
        if progress is not None:
            progress(number - 1, total, f"Reading {view.title}")
        data.incidents.append(_incident(case, options, number, view, notes.get(view.id, [])))
    for incident in data.incidents:
        for source in incident.sources:
            if source.id not in data.source_numbers:
                data.source_numbers[source.id] = len(data.cited) + 1
                data.cited.append(source)
            data.cited_by.setdefault(source.id, []).append(incident.number)
    return data


def count_selected(case: Case, options: BriefOptions) -> int:
    return len(set(options.incident_ids)) if options.incident_ids else case.incidents.count()


def note_choices(case: Case, incident_ids: Iterable[uuid.UUID]) -> list[NoteChoice]:
    """Every note on the chosen incidents (all when none are named), in the order the
    brief prints them: what ``BriefOptions.note_ids`` picks from."""
    ids = list(dict.fromkeys(incident_ids)) or case.incidents.ids()
    notes = case.notes.by_incident(ids)
    # Only the incidents that have notes are read whole (for their titles and order).
    with_notes = tuple(incident_id for incident_id in ids if notes[incident_id])
    views = _selected(case, BriefOptions(incident_ids=with_notes)) if with_notes else []
    return [NoteChoice(view.fields.title, note) for view in views for note in notes[view.id]]


def _notes(
    case: Case, options: BriefOptions, views: list[IncidentView]
) -> dict[uuid.UUID, list[NoteView]]:
    """The notes to print, by incident; a chosen note that is not on one of the
    incidents is refused rather than silently left out."""
    if not options.include_notes:
        return {}
    every = case.notes.by_incident([view.id for view in views])
    if options.note_ids is None:
        return every
    known = {note.id for notes in every.values() for note in notes}
    missing = sorted(str(i) for i in options.note_ids - known)
    if len(missing) == 1:
        raise BadInputError(f"Note {missing[0]} is not a note on any of the brief's incidents.")
    if missing:
        raise BadInputError(
            f"Notes {', '.join(missing)} are not notes on any of the brief's incidents."
        )
    return {
        incident: [note for note in notes if note.id in options.note_ids]
        for incident, notes in every.items()
    }


def _selected(case: Case, options: BriefOptions) -> list[IncidentView]:
    """The chosen incidents (all when none are named), oldest first, each once."""
    if options.incident_ids:
        ids = list(dict.fromkeys(options.incident_ids))
    else:
        ids = case.incidents.ids()
    # Batched: ``get`` costs seven queries an incident, and the export dialog lists
    # the notes of every incident in the case on the GUI thread.
    views = case.incidents.views(ids)
    if len(views) < len(ids):
        found = {view.id for view in views}
        for missing in (i for i in ids if i not in found):
            case.incidents.get(missing)  # raises the service's NotFoundError
    return sorted(
        views, key=lambda i: (i.fields.start or date.max, i.fields.title.casefold(), str(i.id))
    )


def _incident(
    case: Case, options: BriefOptions, number: int, view: IncidentView, notes: list[NoteView]
) -> IncidentData:
    sources = case.sources.list(view.id, limit=_ALL)
    claims = case.claims.list(view.id)
    conflicts = case.claims.conflicts(view.id)
    images: list[PreparedImage] = []
    left_out = 0
    if options.include_images:
        for source in sources:
            if source.kind != "image":
                continue
            if source.graphic and options.graphic == "omit":
                left_out += 1
                continue
            images.append(prepare(case, source, options.image_dpi, blur=source.graphic))
    return IncidentData(
        number=number,
        view=view,
        sources=sources,
        claims=claims,
        conflicts=conflicts,
        facts=assess(claims, conflicts),
        notes=notes,
        images=images,
        graphic_left_out=left_out,
    )
