"""Reading what a brief needs from the case, through its services only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from desk.claims.assessment import AssessedFact, assess
from desk.dates import last_day
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
        data.incidents.append(_incident(case, options, number, view))
    for incident in data.incidents:
        for source in incident.sources:
            if source.id not in data.source_numbers:
                data.source_numbers[source.id] = len(data.cited) + 1
                data.cited.append(source)
            data.cited_by.setdefault(source.id, []).append(incident.number)
    return data


def count_selected(case: Case, options: BriefOptions) -> int:
    return len(set(options.incident_ids)) if options.incident_ids else case.incidents.count()


def _selected(case: Case, options: BriefOptions) -> list[IncidentView]:
    """The chosen incidents (all when none are named), oldest first, each once."""
    if options.incident_ids:
        ids = list(dict.fromkeys(options.incident_ids))
    else:
        ids = [row.id for row in case.incidents.rows(limit=max(case.incidents.count(), 1))]
    views = [case.incidents.get(incident_id) for incident_id in ids]
    return sorted(
        views, key=lambda i: (i.fields.start or date.max, i.fields.title.casefold(), str(i.id))
    )


def _incident(case: Case, options: BriefOptions, number: int, view: IncidentView) -> IncidentData:
    sources = case.sources.list(view.id, limit=_ALL)
    claims = case.claims.list(view.id)
    conflicts = case.claims.conflicts(view.id)
    notes: list[NoteView] = []
    if options.include_notes:
        notes = [
            n
            for n in case.notes.list(incident_id=view.id)
            if options.note_ids is None or n.id in options.note_ids
        ]
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
