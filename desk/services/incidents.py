"""Incidents: create, edit, delete, list, link, and attach sources."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Select, and_, delete, func, literal, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from db.batches import batches
from db.models import (
    Actor,
    ActorAlias,
    Incident,
    IncidentActor,
    IncidentLink,
    IncidentSource,
    Note,
    Place,
    PlaceAlias,
    Source,
    Tag,
    incident_tag,
)
from db.vocab import ACTOR_ROLES, DATE_PRECISIONS, INCIDENT_STATUSES, LINK_KINDS
from desk import history
from desk.acled import EVENT_TYPES, event_type_of
from desk.dates import format_partial_date, last_day
from desk.errors import BadInputError, NotFoundError
from desk.incident_row import IncidentRow as IncidentRow
from desk.incident_row import SortKey as SortKey
from desk.names import normalize_name
from desk.services.gazetteer import actor_named, find_place, place_named

if TYPE_CHECKING:
    from desk.case import Case


@dataclass(frozen=True)
class IncidentFields:
    """The editable facts of an incident, as the user gives them."""

    title: str = ""
    summary: str = ""
    start: date | None = None
    start_precision: str = "day"
    end: date | None = None
    end_precision: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    status: str = "draft"
    tags: tuple[str, ...] = ()
    actors: tuple[tuple[str, str], ...] = ()


FIELD_NAMES = frozenset(f.name for f in fields(IncidentFields))


@dataclass(frozen=True)
class IncidentView:
    """Everything about one incident that the desk shows."""

    id: uuid.UUID
    fields: IncidentFields
    place_id: uuid.UUID | None
    place_aliases: tuple[str, ...]
    admin1: str | None
    country: str | None
    source_ids: tuple[uuid.UUID, ...]
    links: tuple[tuple[str, uuid.UUID, str], ...]
    created_at: datetime
    updated_at: datetime
    created_by: str
    revision: int
    # Links other incidents make to this one: (kind, from incident, its title).
    linked_from: tuple[tuple[str, uuid.UUID, str], ...] = ()

    @property
    def title(self) -> str:
        return self.fields.title

    def to_json(self) -> dict[str, Any]:
        f = self.fields
        return {
            "id": str(self.id),
            "title": f.title,
            "summary": f.summary,
            "start": format_partial_date(f.start, f.start_precision) or None,
            "start_precision": f.start_precision,
            "end": format_partial_date(f.end, f.end_precision) or None,
            "end_precision": f.end_precision,
            "place": f.place,
            "place_aliases": list(self.place_aliases),
            "admin1": self.admin1,
            "country": self.country,
            "latitude": f.latitude,
            "longitude": f.longitude,
            "event_type": f.event_type,
            "sub_event_type": f.sub_event_type,
            "status": f.status,
            "tags": list(f.tags),
            "actors": [{"name": n, "role": r} for n, r in f.actors],
            "sources": [str(s) for s in self.source_ids],
            "links": [{"kind": k, "incident": str(i), "title": t} for k, i, t in self.links],
            "linked_from": [
                {"kind": k, "incident": str(i), "title": t} for k, i, t in self.linked_from
            ],
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "created_by": self.created_by,
            "revision": self.revision,
        }


@dataclass(frozen=True)
class DeletedIncident:
    """What deleting an incident removed, enough to restore it."""

    id: uuid.UUID
    fields: IncidentFields
    source_ids: tuple[uuid.UUID, ...]
    links: tuple[tuple[uuid.UUID, uuid.UUID, str], ...]
    notes: tuple[tuple[uuid.UUID, str, str], ...]


@dataclass(frozen=True)
class IncidentFilter:
    """What narrows the incidents list; every part is applied in SQL."""

    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    place: str = ""
    event_type: str = ""
    status: str = ""
    tag: str = ""


def problems(values: IncidentFields) -> dict[str, str]:
    """What is wrong with the fields, by field name (empty when they are valid).

    Editors show each sentence next to its field; ``validate`` refuses the first.
    """
    found: dict[str, str] = {}
    if not values.title.strip():
        found["title"] = "An incident needs a title."
    if values.status not in INCIDENT_STATUSES:
        found["status"] = (
            f"'{values.status}' is not a status; use one of: {', '.join(INCIDENT_STATUSES)}."
        )
    for name in ("start_precision", "end_precision"):
        precision = getattr(values, name)
        if precision is not None and precision not in DATE_PRECISIONS:
            found[name] = f"'{precision}' is not a date precision."
    if values.end is not None:
        if values.start is None:
            found["end"] = "An incident with an end date needs a start date."
        elif last_day(values.end, values.end_precision or "day") < values.start:
            found["end"] = "The incident's end is before its start."
    found.update(_coordinate_problems(values.latitude, values.longitude))
    found.update(_type_problems(values.event_type, values.sub_event_type))
    for _, role in values.actors:
        if role not in ACTOR_ROLES:
            found["actors"] = (
                f"'{role}' is not an actor role; use one of: {', '.join(ACTOR_ROLES)}."
            )
            break
    return found


def validate(values: IncidentFields) -> IncidentFields:
    """Check the fields and return them tidied; raises BadInputError with the reason."""
    found = problems(values)
    if found:
        raise BadInputError(next(iter(found.values())))
    event_type, sub_event_type = _tidy_types(values.event_type, values.sub_event_type)
    tags = tuple(dict.fromkeys(t.strip() for t in values.tags if t.strip()))
    place = values.place.strip() if values.place and values.place.strip() else None
    return replace(
        values,
        title=values.title.strip(),
        place=place,
        tags=tags,
        event_type=event_type,
        sub_event_type=sub_event_type,
        end_precision=(values.end_precision or "day") if values.end else None,
    )


def _coordinate_problems(lat: float | None, lon: float | None) -> dict[str, str]:
    if (lat is None) != (lon is None):
        missing = "latitude" if lat is None else "longitude"
        return {missing: "Give both latitude and longitude, or neither."}
    found: dict[str, str] = {}
    if lat is not None and not (math.isfinite(lat) and -90 <= lat <= 90):
        found["latitude"] = f"Latitude {lat} is out of range (-90 to 90)."
    if lon is not None and not (math.isfinite(lon) and -180 <= lon <= 180):
        found["longitude"] = f"Longitude {lon} is out of range (-180 to 180)."
    return found


def _tidy_types(event_type: str | None, sub: str | None) -> tuple[str | None, str | None]:
    """Blank means none; a sub-event type alone names its event type."""
    event_type = event_type.strip() if event_type and event_type.strip() else None
    sub = sub.strip() if sub and sub.strip() else None
    if sub and not event_type:
        event_type = event_type_of(sub)
    return event_type, sub


def _type_problems(event_type: str | None, sub: str | None) -> dict[str, str]:
    event_type, sub = _tidy_types(event_type, sub)
    if event_type and event_type not in EVENT_TYPES:
        return {
            "event_type": f"'{event_type}' is not an ACLED event type; "
            f"use one of: {', '.join(EVENT_TYPES)}."
        }
    if sub and (event_type is None or sub not in EVENT_TYPES[event_type]):
        return {"sub_event_type": f"'{sub}' is not a sub-event type of '{event_type}'."}
    return {}


def _snapshot(values: IncidentFields) -> dict[str, Any]:
    """JSON form of the fields, for history's before/after."""
    return {
        "title": values.title,
        "summary": values.summary,
        "start": format_partial_date(values.start, values.start_precision) or None,
        "start_precision": values.start_precision,
        "end": format_partial_date(values.end, values.end_precision) or None,
        "end_precision": values.end_precision,
        "place": values.place,
        "latitude": values.latitude,
        "longitude": values.longitude,
        "event_type": values.event_type,
        "sub_event_type": values.sub_event_type,
        "status": values.status,
        "tags": list(values.tags),
        "actors": [list(a) for a in values.actors],
    }


def _fields_of(incident: Incident) -> IncidentFields:
    return IncidentFields(
        title=incident.title,
        summary=incident.summary,
        start=incident.start_date,
        start_precision=incident.start_precision,
        end=incident.end_date,
        end_precision=incident.end_precision,
        place=incident.place.name if incident.place else None,
        latitude=incident.latitude,
        longitude=incident.longitude,
        event_type=incident.event_type,
        sub_event_type=incident.sub_event_type,
        status=incident.status,
        tags=tuple(sorted(t.name for t in incident.tags)),
        # By role then name, whether the actors were just written or read back.
        actors=tuple(
            sorted(((a.actor.name, a.role) for a in incident.actors), key=lambda a: (a[1], a[0]))
        ),
    )


def _load(session: Session, incident_id: uuid.UUID) -> Incident:
    incident: Incident | None = session.scalar(
        _with_parts(select(Incident).where(Incident.id == incident_id))
    )
    if incident is None:
        raise NotFoundError(f"There is no incident {incident_id} in this case.")
    return incident


def _apply(session: Session, incident: Incident, values: IncidentFields) -> None:
    incident.title = values.title
    incident.summary = values.summary
    incident.start_date = values.start
    incident.start_precision = values.start_precision
    incident.end_date = values.end
    incident.end_precision = values.end_precision
    incident.place = place_named(session, values.place) if values.place else None
    incident.latitude = values.latitude
    incident.longitude = values.longitude
    incident.event_type = values.event_type
    incident.sub_event_type = values.sub_event_type
    incident.status = values.status
    incident.tags = [_tag_named(session, name) for name in values.tags]
    wanted = {(actor_named(session, name).id, role) for name, role in values.actors}
    incident.actors = [IncidentActor(actor_id=aid, role=role) for aid, role in sorted(wanted)]


def _as_known(session: Session, values: IncidentFields) -> IncidentFields:
    """The fields with places and actors under the names the case knows them by, so
    another spelling of the same place is not a change."""
    place = find_place(session, values.place) if values.place else None
    actors = {(_actor_name(session, name), role) for name, role in values.actors}
    return replace(
        values,
        place=place.name if place else values.place,
        actors=tuple(sorted(actors, key=lambda a: (a[1], a[0]))),
    )


def _actor_name(session: Session, name: str) -> str:
    known = session.scalar(
        select(Actor.name)
        .join(ActorAlias, ActorAlias.actor_id == Actor.id)
        .where(ActorAlias.norm == normalize_name(name))
        .limit(1)
    )
    return known or name


def _tag_named(session: Session, name: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
    return tag


def parse_id(text: str | uuid.UUID, what: str = "incident") -> uuid.UUID:
    if isinstance(text, uuid.UUID):
        return text
    try:
        return uuid.UUID(text.strip())
    except ValueError as exc:
        raise BadInputError(f"'{text}' is not a valid {what} id.") from exc


# How many incidents ``IncidentService.views`` reads at a time.
VIEW_CHUNK = 500
# An incident's sources in the order its view lists them.
SOURCE_ORDER = (Source.published_at.is_(None), Source.published_at, Source.title)


def _with_parts(query: Select[Any]) -> Select[Any]:
    """Load what a view shows of an incident with it: place and spellings, tags, actors."""
    return query.options(
        selectinload(Incident.place).selectinload(Place.aliases),
        selectinload(Incident.tags),
        selectinload(Incident.actors),
    )


def _links(session: Session, where: Any, toward: str) -> Any:
    """(incident, kind, other incident, its title) of the links ``where`` picks, each
    link seen from the incident at its other end than ``toward``."""
    near, far = (
        (IncidentLink.from_id, IncidentLink.to_id)
        if toward == "to"
        else (IncidentLink.to_id, IncidentLink.from_id)
    )
    return session.execute(
        select(near, IncidentLink.kind, Incident.id, Incident.title)
        .join(Incident, Incident.id == far)
        .where(where)
        .order_by(IncidentLink.created_at)
    ).all()


def _grouped(rows: Iterable[Any]) -> dict[uuid.UUID, list[Any]]:
    """Rows whose first value is an incident id, by that id (the rest of each row)."""
    groups: dict[uuid.UUID, list[Any]] = {}
    for first, *rest in rows:
        groups.setdefault(first, []).append(rest[0] if len(rest) == 1 else tuple(rest))
    return groups


def _view_of(
    incident: Incident,
    source_ids: Sequence[uuid.UUID],
    links: Sequence[tuple[str, uuid.UUID, str]],
    linked_from: Sequence[tuple[str, uuid.UUID, str]],
) -> IncidentView:
    place = incident.place
    return IncidentView(
        id=incident.id,
        fields=_fields_of(incident),
        place_id=place.id if place else None,
        place_aliases=tuple(a.alias for a in place.aliases) if place else (),
        admin1=place.admin1 if place else None,
        country=place.country if place else None,
        source_ids=tuple(source_ids),
        links=tuple((k, i, t) for k, i, t in links),
        created_at=incident.created_at,
        updated_at=incident.updated_at,
        created_by=incident.created_by,
        revision=incident.revision,
        linked_from=tuple((k, i, t) for k, i, t in linked_from),
    )


class IncidentService:
    def __init__(self, case: Case) -> None:
        self._case = case

    # -- reading -------------------------------------------------------------

    def get(self, incident_id: uuid.UUID) -> IncidentView:
        with self._case.read() as session:
            return self._view(session, _load(session, incident_id))

    def views(self, incident_ids: Sequence[uuid.UUID]) -> list[IncidentView]:
        """What ``get`` gives for each incident, in the order given, missing ids left
        out: read ``VIEW_CHUNK`` incidents at a time in seven queries, where ``get``
        takes seven queries for each one (a full listing of a large case)."""
        views: list[IncidentView] = []
        with self._case.read() as session:
            for chunk in batches(incident_ids, VIEW_CHUNK):
                incidents = {
                    incident.id: incident
                    for incident in session.scalars(
                        _with_parts(select(Incident).where(Incident.id.in_(chunk)))
                    )
                }
                sources = _grouped(
                    session.execute(
                        select(IncidentSource.incident_id, IncidentSource.source_id)
                        .join(Source, Source.id == IncidentSource.source_id)
                        .where(IncidentSource.incident_id.in_(chunk))
                        .order_by(*SOURCE_ORDER)
                    )
                )
                links = _grouped(_links(session, IncidentLink.from_id.in_(chunk), "to"))
                linked_from = _grouped(_links(session, IncidentLink.to_id.in_(chunk), "from"))
                views.extend(
                    _view_of(
                        incidents[i],
                        sources.get(i, []),
                        links.get(i, []),
                        linked_from.get(i, []),
                    )
                    for i in chunk
                    if i in incidents
                )
                session.expunge_all()  # keep the session as small as one chunk
        return views

    def _view(self, session: Session, incident: Incident) -> IncidentView:
        source_ids = session.scalars(
            select(IncidentSource.source_id)
            .join(Source, Source.id == IncidentSource.source_id)
            .where(IncidentSource.incident_id == incident.id)
            .order_by(*SOURCE_ORDER)
        ).all()
        links = [
            (kind, other, title)
            for _, kind, other, title in _links(session, IncidentLink.from_id == incident.id, "to")
        ]
        linked_from = [
            (kind, other, title)
            for _, kind, other, title in _links(session, IncidentLink.to_id == incident.id, "from")
        ]
        return _view_of(incident, source_ids, links, linked_from)

    def count(self, where: IncidentFilter | None = None) -> int:
        query = filtered(select(func.count(Incident.id)), where or IncidentFilter())
        with self._case.read() as session:
            return session.scalar(query) or 0

    def ids(self, where: IncidentFilter | None = None) -> list[uuid.UUID]:
        """The ids of every incident the filter lets through, by date."""
        query = filtered(select(Incident.id), where or IncidentFilter())
        with self._case.read() as session:
            return list(session.scalars(query.order_by(Incident.start_date, Incident.title)))

    def rows(
        self,
        where: IncidentFilter | None = None,
        sort: SortKey = "date",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
        after: uuid.UUID | None = None,
    ) -> list[IncidentRow]:
        """One page of the incidents list, filtered and sorted in SQL.

        Ties are broken by id, in the direction of the sort. The page's ids come first
        from the indexes alone (migration 0005), then their lines: a deep page costs
        an index walk, not a sort of every incident nor a place and source count for
        every row skipped. ``after`` (the last incident of the previous page) starts
        the page right after it in the index, which costs the same at row 100,000 as
        at row 0; ``offset`` is then used only if that incident is gone.
        """
        where = where or IncidentFilter()
        with self._case.read() as session:
            ids = _ids_after(session, where, sort, descending, after, limit) if after else None
            if ids is None:
                ids = _page_ids(session, where, sort, descending, offset, limit)
            if not ids:
                return []
            query = row_query()
            found = {
                row[0]: to_row(row) for row in session.execute(query.where(Incident.id.in_(ids)))
            }
        return [found[i] for i in ids if i in found]

    def read_ahead(
        self,
        where: IncidentFilter | None,
        sort: SortKey,
        descending: bool,
        offset: int,
        limit: int,
        after: uuid.UUID | None,
    ) -> Future[list[IncidentRow] | None] | None:
        """Start reading the page ``rows`` would give for these arguments in the
        background (see ``Case.read_ahead``): on a large case read from disk for the
        first time a page costs 30-50 ms, and under 10 once cached."""
        return self._case.read_ahead(
            lambda: self.rows(where, sort, descending, offset=offset, limit=limit, after=after)
        )

    def row(self, incident_id: uuid.UUID) -> IncidentRow:
        """One incident's line of the list, to refresh it after an edit."""
        with self._case.read() as session:
            found = session.execute(row_query().where(Incident.id == incident_id)).first()
        if found is None:
            raise NotFoundError(f"There is no incident {incident_id} in this case.")
        return to_row(found)

    def history(self, incident_id: uuid.UUID) -> list[history.HistoryItem]:
        with self._case.read() as session:
            return history.entries_for(session, incident_id)

    # -- changing ------------------------------------------------------------

    def create(self, values: IncidentFields) -> IncidentView:
        values = validate(values)
        with self._case.write() as session:
            incident = Incident(created_by=self._case.analyst, tags=[], actors=[], place=None)
            session.add(incident)
            _apply(session, incident, values)
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="create",
                entity_type="incident",
                entity_id=incident.id,
                summary=f"Incident created: {values.title}",
                after=_snapshot(values),
            )
            return self._view(session, _load(session, incident.id))

    def update(self, incident_id: uuid.UUID, **changes: Any) -> IncidentView:
        """Change the named fields; history keeps only what actually changed."""
        unknown = set(changes) - FIELD_NAMES
        if unknown:
            raise BadInputError(f"Unknown incident field(s): {', '.join(sorted(unknown))}.")
        with self._case.write() as session:
            incident = _load(session, incident_id)
            old = _fields_of(incident)
            new = _as_known(session, validate(replace(old, **_as_field_types(changes))))
            before, after = _changed(_snapshot(old), _snapshot(new))
            if not after:
                return self._view(session, incident)
            _apply(session, incident, new)
            incident.revision += 1
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="update",
                entity_type="incident",
                entity_id=incident.id,
                summary=f"Incident edited ({', '.join(sorted(after))}): {new.title}",
                before=before,
                after=after,
            )
            return self._view(session, incident)

    def delete(self, incident_id: uuid.UUID) -> DeletedIncident:
        """Delete an incident; its sources stay in the case.

        Returns what was removed with it (attachments, links, notes) so that an undo
        can ``restore`` it under the same id.
        """
        with self._case.write() as session:
            incident = _load(session, incident_id)
            values = _fields_of(incident)
            deleted = DeletedIncident(
                id=incident_id,
                fields=values,
                source_ids=tuple(
                    session.scalars(
                        select(IncidentSource.source_id).where(
                            IncidentSource.incident_id == incident_id
                        )
                    )
                ),
                links=tuple(
                    (link.from_id, link.to_id, link.kind)
                    for link in session.scalars(
                        select(IncidentLink).where(
                            or_(
                                IncidentLink.from_id == incident_id,
                                IncidentLink.to_id == incident_id,
                            )
                        )
                    )
                ),
                notes=tuple(
                    (note.id, note.body, note.author)
                    for note in session.scalars(select(Note).where(Note.incident_id == incident_id))
                ),
            )
            session.delete(incident)
            history.record(
                session,
                actor=self._case.analyst,
                action="delete",
                entity_type="incident",
                entity_id=incident_id,
                summary=f"Incident deleted: {values.title}",
                before=_snapshot(values),
            )
            return deleted

    def restore(self, deleted: DeletedIncident) -> IncidentView:
        """Bring back a deleted incident under its old id, with what still exists of
        its sources, links and notes."""
        with self._case.write() as session:
            if session.get(Incident, deleted.id) is not None:
                raise BadInputError(f"Incident {deleted.id} exists already.")
            incident = Incident(
                id=deleted.id, created_by=self._case.analyst, tags=[], actors=[], place=None
            )
            session.add(incident)
            _apply(session, incident, deleted.fields)
            session.flush()
            for source_id in deleted.source_ids:
                if session.get(Source, source_id) is not None:
                    session.add(
                        IncidentSource(
                            incident_id=deleted.id,
                            source_id=source_id,
                            attached_by=self._case.analyst,
                        )
                    )
            for from_id, to_id, kind in deleted.links:
                other = to_id if from_id == deleted.id else from_id
                if session.get(Incident, other) is not None:
                    session.add(IncidentLink(from_id=from_id, to_id=to_id, kind=kind))
            for note_id, body, author in deleted.notes:
                session.add(
                    Note(
                        id=note_id,
                        target="incident",
                        incident_id=deleted.id,
                        body=body,
                        author=author,
                    )
                )
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="restore",
                entity_type="incident",
                entity_id=deleted.id,
                summary=f"Incident restored: {deleted.fields.title}",
                after=_snapshot(deleted.fields),
            )
            return self._view(session, _load(session, deleted.id))

    def tags(self) -> list[str]:
        """Every tag in the case, for completion and filters."""
        with self._case.read() as session:
            return list(session.scalars(select(Tag.name).order_by(Tag.name)))

    def link(self, from_id: uuid.UUID, to_id: uuid.UUID, kind: str = "related") -> None:
        if kind not in LINK_KINDS:
            raise BadInputError(
                f"'{kind}' is not a link kind; use one of: {', '.join(LINK_KINDS)}."
            )
        if from_id == to_id:
            raise BadInputError("An incident cannot be linked to itself.")
        with self._case.write() as session:
            first, second = _load(session, from_id), _load(session, to_id)
            exists = session.scalar(
                select(IncidentLink.id).where(
                    IncidentLink.from_id == from_id,
                    IncidentLink.to_id == to_id,
                    IncidentLink.kind == kind,
                )
            )
            if exists:
                return
            session.add(IncidentLink(from_id=from_id, to_id=to_id, kind=kind))
            history.record(
                session,
                actor=self._case.analyst,
                action="link",
                entity_type="incident",
                entity_id=from_id,
                summary=f"Linked '{first.title}' {kind} '{second.title}'",
                after={"kind": kind, "to": str(to_id)},
            )

    def unlink(self, from_id: uuid.UUID, to_id: uuid.UUID, kind: str) -> None:
        with self._case.write() as session:
            result = session.execute(
                delete(IncidentLink).where(
                    IncidentLink.from_id == from_id,
                    IncidentLink.to_id == to_id,
                    IncidentLink.kind == kind,
                )
            )
            if getattr(result, "rowcount", 0):
                history.record(
                    session,
                    actor=self._case.analyst,
                    action="unlink",
                    entity_type="incident",
                    entity_id=from_id,
                    summary=f"Removed link {kind} {to_id}",
                    before={"kind": kind, "to": str(to_id)},
                )

    def attach(self, incident_id: uuid.UUID, source_ids: Iterable[uuid.UUID]) -> int:
        """Attach sources to an incident; returns how many were newly attached."""
        with self._case.write() as session:
            return attach_in(session, self._case.analyst, incident_id, list(source_ids))

    def detach(self, incident_id: uuid.UUID, source_ids: Iterable[uuid.UUID]) -> int:
        """Detach sources; they stay in the case."""
        count = 0
        with self._case.write() as session:
            incident = _load(session, incident_id)
            for source_id in source_ids:
                result = session.execute(
                    delete(IncidentSource).where(
                        IncidentSource.incident_id == incident_id,
                        IncidentSource.source_id == source_id,
                    )
                )
                if getattr(result, "rowcount", 0):
                    count += 1
                    history.record(
                        session,
                        actor=self._case.analyst,
                        action="detach",
                        entity_type="incident",
                        entity_id=incident_id,
                        summary=f"Source {source_id} detached from '{incident.title}'",
                        before={"source": str(source_id)},
                    )
        return count


def attach_in(
    session: Session, analyst: str, incident_id: uuid.UUID, source_ids: Sequence[uuid.UUID]
) -> int:
    """Attach within an open write transaction (imports attach in the same one)."""
    incident = _load(session, incident_id)
    count = 0
    for source_id in source_ids:
        source = session.get(Source, source_id)
        if source is None:
            raise NotFoundError(f"There is no source {source_id} in this case.")
        if session.get(IncidentSource, (incident_id, source_id)) is not None:
            continue
        session.add(
            IncidentSource(incident_id=incident_id, source_id=source_id, attached_by=analyst)
        )
        history.record(
            session,
            actor=analyst,
            action="attach",
            entity_type="incident",
            entity_id=incident_id,
            summary=f"Source '{source.title}' attached to '{incident.title}'",
            after={"source": str(source_id)},
        )
        count += 1
    return count


def _as_field_types(changes: Mapping[str, Any]) -> dict[str, Any]:
    converted = dict(changes)
    for key in ("tags", "actors"):
        if key in converted:
            converted[key] = tuple(tuple(v) if isinstance(v, list) else v for v in converted[key])
    return converted


def _changed(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def row_query() -> Select[Any]:
    """The columns of a list line."""
    query = select(
        Incident.id,
        Incident.title,
        Incident.start_date,
        Incident.start_precision,
        Place.name,
        Incident.event_type,
        Incident.status,
        Incident.source_count,
        Incident.open_conflicts,
    ).outerjoin(Place, Place.id == Incident.place_id)
    return cast("Select[Any]", query)


# The column of each order but "place" (two tables: its own functions).
_SORT_COLUMNS: dict[str, Any] = {
    "date": Incident.start_date,
    "title": Incident.title,
    "type": Incident.event_type,
    "status": Incident.status,
    "sources": Incident.source_count,
    "conflicts": Incident.open_conflicts,
    "updated": Incident.updated_at,
}


def _page_ids(
    session: Session,
    where: IncidentFilter,
    sort: SortKey,
    descending: bool,
    offset: int,
    limit: int,
) -> list[uuid.UUID]:
    """The ids of one page of the list, in order."""
    if sort == "place":
        return _page_ids_by_place(session, where, descending, offset, limit)
    column = _SORT_COLUMNS[sort]
    order = (column.desc(), Incident.id.desc()) if descending else (column.asc(), Incident.id)
    query = filtered(select(Incident.id), where, in_order=True)
    query = query.order_by(order[0].nulls_last(), order[1]).offset(offset).limit(limit)
    return list(session.scalars(query))


def _ids_after(
    session: Session,
    where: IncidentFilter,
    sort: SortKey,
    descending: bool,
    after: uuid.UUID,
    limit: int,
) -> list[uuid.UUID] | None:
    """The ids of the page that follows incident ``after`` in the order (keyset paging);
    None when ``after`` no longer exists."""
    if sort == "place":
        return _place_ids_after(session, where, descending, after, limit)
    column = _SORT_COLUMNS[sort]
    key = session.execute(select(column).where(Incident.id == after)).first()
    if key is None:
        return None
    ids: list[uuid.UUID] = []
    base = filtered(select(Incident.id), where, in_order=True)
    if key[0] is not None:  # the rest of the rows with a value, then those without
        beyond = tuple_(column, Incident.id)
        bound = tuple_(literal(key[0], column.type), literal(after, Incident.id.type))
        valued = base.where(column.is_not(None), beyond < bound if descending else beyond > bound)
        ids = list(session.scalars(valued.order_by(*_directed(descending, column)).limit(limit)))
        if len(ids) == limit:
            return ids
    unvalued = base.where(column.is_(None))
    if key[0] is None:
        unvalued = unvalued.where(Incident.id < after if descending else Incident.id > after)
    unvalued = unvalued.order_by(*_directed(descending)).limit(limit - len(ids))
    return ids + list(session.scalars(unvalued))


def _place_ids_after(
    session: Session, where: IncidentFilter, descending: bool, after: uuid.UUID, limit: int
) -> list[uuid.UUID] | None:
    """Keyset paging in the place order: the rest of ``after``'s place, the places after
    it by name, then the incidents without a place."""
    found = session.execute(
        select(Incident.place_id, Place.name)
        .outerjoin(Place, Place.id == Incident.place_id)
        .where(Incident.id == after)
    ).first()
    if found is None:
        return None
    place_id, name = found
    base = filtered(select(Incident.id), where, in_order=True)
    next_id = Incident.id < after if descending else Incident.id > after
    if place_id is None:
        unplaced = base.where(Incident.place_id.is_(None), next_id)
        return list(session.scalars(unplaced.order_by(*_directed(descending)).limit(limit)))
    same_place = base.where(Incident.place_id == place_id, next_id)
    ids = list(session.scalars(same_place.order_by(*_directed(descending)).limit(limit)))
    if len(ids) < limit:
        beyond = tuple_(Place.name, Place.id)
        bound = tuple_(literal(name, Place.name.type), literal(place_id, Place.id.type))
        later = filtered(
            select(Incident.id).join(Place, Place.id == Incident.place_id), where, in_order=True
        ).where(beyond < bound if descending else beyond > bound)
        later = later.order_by(*_directed(descending, Place.name, Place.id))
        ids += session.scalars(later.limit(limit - len(ids)))
    if len(ids) < limit:
        unplaced = base.where(Incident.place_id.is_(None))
        ids += session.scalars(unplaced.order_by(*_directed(descending)).limit(limit - len(ids)))
    return ids


def _directed(descending: bool, *columns: Any) -> list[Any]:
    """``columns`` then the incident's id, all ascending or all descending."""
    return [c.desc() if descending else c.asc() for c in (*columns, Incident.id)]


def _page_ids_by_place(
    session: Session, where: IncidentFilter, descending: bool, offset: int, limit: int
) -> list[uuid.UUID]:
    """Incidents with a place by its name (places walked by name, then each place's
    incidents by id: two indexes, no sort), then those without a place by id."""
    if descending:
        order: tuple[Any, ...] = (Place.name.desc(), Place.id.desc(), Incident.id.desc())
    else:
        order = (Place.name, Place.id, Incident.id)
    placed = filtered(
        select(Incident.id).join(Place, Place.id == Incident.place_id), where, in_order=True
    ).order_by(*order)
    ids = list(session.scalars(placed.offset(offset).limit(limit)))
    if len(ids) == limit:
        return ids
    if ids or offset == 0:
        with_place = offset + len(ids)
    else:  # the page starts past the incidents with a place: how many are there?
        with_place = (
            session.scalar(
                filtered(select(func.count(Incident.id)), where).where(
                    Incident.place_id.is_not(None)
                )
            )
            or 0
        )
    unplaced = filtered(select(Incident.id), where, in_order=True).where(
        Incident.place_id.is_(None)
    )
    unplaced = unplaced.order_by(Incident.id.desc() if descending else Incident.id)
    unplaced = unplaced.offset(max(0, offset - with_place)).limit(limit - len(ids))
    return ids + list(session.scalars(unplaced))


def to_row(row: Any) -> IncidentRow:
    return IncidentRow(
        id=row[0],
        title=row[1],
        start=row[2],
        start_precision=row[3],
        place=row[4],
        event_type=row[5],
        status=row[6],
        source_count=row[7] or 0,
        open_conflicts=row[8] or 0,
    )


def filtered(query: Select[Any], where: IncidentFilter, in_order: bool = False) -> Select[Any]:
    """``query`` narrowed by the filter.

    ``in_order`` is for a page query: the place, type, status and tag conditions are
    then checked row by row (``+column`` keeps SQLite from using their indexes), so
    the page is read in the order's index until it is full. Without statistics SQLite
    would otherwise fetch every match through the filter's index and sort them all
    (typing "A" in the place filter matches nearly every incident); this way the
    worst case is one walk of the order's index.
    """
    conditions: list[Any] = []
    if where.text.strip():
        pattern = f"%{_escape_like(where.text.strip())}%"
        conditions.append(
            or_(
                Incident.title.ilike(pattern, escape="\\"),
                Incident.summary.ilike(pattern, escape="\\"),
            )
        )
    if where.date_from:
        conditions.append(Incident.start_date >= where.date_from)
    if where.date_to:
        conditions.append(Incident.start_date <= where.date_to)
    if where.place.strip():
        norm = f"%{_escape_like(normalize_name(where.place))}%"
        conditions.append(
            _column(Incident.place_id, in_order).in_(
                select(PlaceAlias.place_id).where(PlaceAlias.norm.like(norm, escape="\\"))
            )
        )
    if where.event_type:
        conditions.append(_column(Incident.event_type, in_order) == where.event_type)
    if where.status:
        conditions.append(_column(Incident.status, in_order) == where.status)
    if where.tag.strip():
        conditions.append(
            _column(Incident.id, in_order).in_(
                select(incident_tag.c.incident_id)
                .join(Tag, Tag.id == incident_tag.c.tag_id)
                .where(Tag.name == where.tag.strip())
            )
        )
    return query.where(and_(*conditions)) if conditions else query


def _column(column: Any, unindexed: bool) -> Any:
    """``column``, or ``+column`` (the same value, which SQLite will not look up in an
    index) when ``unindexed``."""
    if not unindexed:
        return column
    return literal_column(f"+{column.table.name}.{column.name}", type_=column.type)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
