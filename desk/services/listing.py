"""Every incident as ``IncidentView.to_json()`` gives it, read as plain rows.

The command line's ``incidents --json`` lists a whole case. Building ORM objects and
views for 100,000 incidents costs far more than the listing itself, so this reads the
same facts with a few set-based queries per chunk of incidents (SQLAlchemy Core, plain
rows) and yields the same dicts, one at a time, in the CLI's order: by date, undated
incidents last, ties by id.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Result, Select, String, bindparam, func, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from db.models import (
    Actor,
    Incident,
    IncidentActor,
    IncidentLink,
    IncidentSource,
    Place,
    PlaceAlias,
    Source,
    Tag,
    incident_tag,
)
from desk.dates import format_partial_date
from desk.services.incidents import (
    SOURCE_ORDER,
    IncidentFilter,
    IncidentRow,
    filtered,
    row_query,
    to_row,
)

if TYPE_CHECKING:
    from desk.case import Case

# Incidents read per round of part queries (bounded IN lists, bounded memory).
LISTING_CHUNK = 500

_Groups = defaultdict[str, list[Any]]


def incident_dicts(case: Case, where: IncidentFilter | None = None) -> Iterator[dict[str, Any]]:
    """``IncidentView.to_json()`` plus ``source_count`` for each incident the filter
    lets through, in the order of ``IncidentService.rows()`` by date."""
    with case.read() as session:
        # Core rows on the session's connection: the ORM's row handling is skipped.
        connection = session.connection()
        for query in _in_date_order(_incident_columns(), where or IncidentFilter()):
            result = connection.execute(query.execution_options(yield_per=LISTING_CHUNK))
            for chunk in result.partitions():
                yield from _chunk_dicts(connection, chunk)


def incident_rows(case: Case, where: IncidentFilter | None = None) -> Iterator[IncidentRow]:
    """What ``IncidentService.rows()`` by date gives for the whole list, read as it
    is used instead of held whole."""
    with case.read() as session:
        connection = session.connection()
        for query in _in_date_order(row_query(), where or IncidentFilter()):
            rows = connection.execute(query.execution_options(yield_per=LISTING_CHUNK))
            yield from map(to_row, rows)


def _raw(column: Any) -> ColumnElement[str]:
    """``column`` as SQLite stores it: ids as 32 hex digits, dates and times as
    text. Turning them into UUID, date and datetime objects only to write them out
    again was much of the listing's time; the SQL is unchanged."""
    return type_coerce(column, String())


def _incident_columns() -> Select[Any]:
    """What a view shows of the incident itself and its place (``_as_dict`` reads
    them by position)."""
    columns = select(
        _raw(Incident.id),
        Incident.title,
        Incident.summary,
        _raw(Incident.start_date),
        Incident.start_precision,
        _raw(Incident.end_date),
        Incident.end_precision,
        _raw(Incident.place_id),
        Place.name,
        Place.admin1,
        Place.country,
        Incident.latitude,
        Incident.longitude,
        Incident.event_type,
        Incident.sub_event_type,
        Incident.status,
        _raw(Incident.created_at),
        _raw(Incident.updated_at),
        Incident.created_by,
        Incident.revision,
        Incident.source_count,
    ).outerjoin(Place, Place.id == Incident.place_id)
    return cast("Select[Any]", columns)


def _in_date_order(columns: Select[Any], where: IncidentFilter) -> tuple[Select[Any], Select[Any]]:
    """Dated incidents by (date, id), then undated ones by id: the list's date order
    (nulls last) as two walks of the (start_date, id) index, so SQLite never sorts
    the whole case."""
    query = filtered(columns, where, in_order=True)
    dated = query.where(Incident.start_date.is_not(None)).order_by(Incident.start_date, Incident.id)
    undated = query.where(Incident.start_date.is_(None)).order_by(Incident.id)
    return dated, undated


def _in_chunk(column: Any) -> ColumnElement[bool]:
    """``column IN (SELECT value FROM json_each(:ids))``, ``:ids`` a JSON list.

    One parameter for the whole chunk: SQLite reads it as it reads an IN list (the
    same plan, the values in order), but SQLAlchemy's handling of 500 separate
    parameters cost more than the queries themselves.
    """
    each = func.json_each(bindparam("ids", type_=String())).table_valued("value")
    return _raw(column).in_(select(each.c.value))


def _links(toward: str) -> Select[Any]:
    """(incident, kind, other incident, its title): the query of
    ``incidents._links`` (same order, so ties keep theirs), with raw ids."""
    near, far = (
        (IncidentLink.from_id, IncidentLink.to_id)
        if toward == "to"
        else (IncidentLink.to_id, IncidentLink.from_id)
    )
    query = (
        select(_raw(near), IncidentLink.kind, _raw(Incident.id), Incident.title)
        .join(Incident, Incident.id == far)
        .where(_in_chunk(near))
        .order_by(IncidentLink.created_at)
    )
    return cast("Select[Any]", query)


# An incident's parts, for the chunk of incidents (or places) in ``:ids``; built once.
# Tags by name and actors by role then name, as views sort them (SQLite compares
# text as UTF-8 bytes, which orders it as Python orders str).
_TAGS = (
    select(_raw(incident_tag.c.incident_id), Tag.name)
    .join(Tag, Tag.id == incident_tag.c.tag_id)
    .where(_in_chunk(incident_tag.c.incident_id))
    .order_by(Tag.name)
)
_ACTORS = (
    select(_raw(IncidentActor.incident_id), Actor.name, IncidentActor.role)
    .join(Actor, Actor.id == IncidentActor.actor_id)
    .where(_in_chunk(IncidentActor.incident_id))
    .order_by(IncidentActor.role, Actor.name)
)
# By spelling within a place: the order the view's selectin load gets from the
# (place_id, norm) index.
_ALIASES = (
    select(_raw(PlaceAlias.place_id), PlaceAlias.alias)
    .where(_in_chunk(PlaceAlias.place_id))
    .order_by(PlaceAlias.place_id, PlaceAlias.norm)
)
# Sources in no order, then, for the incidents with more than one, the views' query
# (the same plan, so ties between sources keep their order). Most incidents have
# one source, and ordering means reading each source's row in the largest table.
_SOURCE_IDS = select(_raw(IncidentSource.incident_id), _raw(IncidentSource.source_id)).where(
    _in_chunk(IncidentSource.incident_id)
)
_SOURCES_IN_ORDER = (
    select(_raw(IncidentSource.incident_id), _raw(IncidentSource.source_id))
    .join(Source, Source.id == IncidentSource.source_id)
    .where(_in_chunk(IncidentSource.incident_id))
    .order_by(*SOURCE_ORDER)
)
_LINKS = _links("to")
_LINKED_FROM = _links("from")


def _chunk_dicts(
    connection: Connection, chunk: Sequence[Sequence[Any]]
) -> Iterator[dict[str, Any]]:
    ids = {"ids": json.dumps([row[0] for row in chunk])}
    places = {"ids": json.dumps(list({row[7] for row in chunk if row[7] is not None}))}
    tags = _grouped(connection.execute(_TAGS, ids))
    actors = _grouped(connection.execute(_ACTORS, ids))
    aliases = _grouped(connection.execute(_ALIASES, places))
    sources = _sources(connection, ids)
    links = _grouped(connection.execute(_LINKS, ids))
    linked_from = _grouped(connection.execute(_LINKED_FROM, ids))
    for row in chunk:
        incident_id = row[0]
        yield _as_dict(
            row,
            aliases.get(row[7], ()),
            tags.get(incident_id, ()),
            actors.get(incident_id, ()),
            sources.get(incident_id, ()),
            links.get(incident_id, ()),
            linked_from.get(incident_id, ()),
        )


def _sources(connection: Connection, ids: dict[str, str]) -> _Groups:
    sources = _grouped(connection.execute(_SOURCE_IDS, ids))
    several = [incident for incident, found in sources.items() if len(found) > 1]
    if several:
        sources.update(
            _grouped(connection.execute(_SOURCES_IN_ORDER, {"ids": json.dumps(several)}))
        )
    return sources


def _as_dict(
    row: Sequence[Any],
    aliases: Iterable[str],
    tags: Iterable[str],
    actors: Iterable[tuple[str, str]],
    sources: Iterable[str],
    links: Iterable[tuple[str, str, str]],
    linked_from: Iterable[tuple[str, str, str]],
) -> dict[str, Any]:
    """The keys and values of ``IncidentView.to_json()``, in its order."""
    return {
        "id": _uuid_text(row[0]),
        "title": row[1],
        "summary": row[2],
        "start": _date_text(row[3], row[4]),
        "start_precision": row[4],
        "end": _date_text(row[5], row[6]),
        "end_precision": row[6],
        "place": row[8],
        "place_aliases": list(aliases),
        "admin1": row[9],
        "country": row[10],
        "latitude": row[11],
        "longitude": row[12],
        "event_type": row[13],
        "sub_event_type": row[14],
        "status": row[15],
        "tags": list(tags),
        "actors": [{"name": n, "role": r} for n, r in actors],
        "sources": [_uuid_text(s) for s in sources],
        "links": [{"kind": k, "incident": _uuid_text(i), "title": t} for k, i, t in links],
        "linked_from": [
            {"kind": k, "incident": _uuid_text(i), "title": t} for k, i, t in linked_from
        ],
        "created_at": _utc_text(row[16]),
        "updated_at": _utc_text(row[17]),
        "created_by": row[18],
        "revision": row[19],
        "source_count": row[20] or 0,
    }


def _uuid_text(stored: str) -> str:
    """``str(uuid.UUID(stored))``; SQLAlchemy stores a UUID as its 32 hex digits,
    which need only the dashes."""
    if len(stored) != 32:
        return str(uuid.UUID(stored))
    h = stored.lower()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _date_text(stored: str | None, precision: str | None) -> str | None:
    if stored is None:
        return None
    if precision == "day" and len(stored) == 10:
        return stored  # a day is stored as its ISO form
    return format_partial_date(date.fromisoformat(stored), precision) or None


def _utc_text(stored: str) -> str:
    """The ISO form of a stored UTC time, as the models return it (aware, UTC).

    SQLAlchemy stores ``YYYY-MM-DD HH:MM:SS.ffffff``; ``isoformat()`` differs from
    that only by the "T" and the zone, unless the microseconds are zero."""
    if len(stored) == 26 and stored[10] == " " and not stored.endswith(".000000"):
        return stored[:10] + "T" + stored[11:] + "+00:00"
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).isoformat()


def _grouped(rows: Result[Any]) -> _Groups:
    """Rows whose first value is an incident (or place) id, by that id: the second
    value alone, or the rest of the row as a tuple."""
    groups: _Groups = defaultdict(list)
    found: Sequence[Sequence[Any]] = rows.all()  # one fetchall, not a fetch per row
    if found and len(found[0]) == 2:
        for key, value in found:
            groups[key].append(value)
    else:
        for row in found:
            groups[row[0]].append(row[1:])
    return groups
