"""The record types a bundle carries: how each is read from a case, checked, written
into a case and merged.

A record travels as JSON ``data``: its columns (dates as ISO 8601, ids as UUID
strings, bytes as base64) and its set-like relations (tags, actors, attached
sources, links, aliases, acquisitions) as lists. Columns merge in groups (a date
with its precision, latitude with longitude) against the version both sides started
from; sets merge as unions. ``schema.py`` builds the JSON Schema from these specs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Text, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from db.batches import batches, insert_rows
from db.models import (
    Acquisition,
    Actor,
    ActorAlias,
    Claim,
    ConflictResolution,
    Incident,
    IncidentActor,
    IncidentLink,
    IncidentSource,
    Note,
    Outlet,
    Place,
    PlaceAlias,
    Source,
    SyncBase,
    Tag,
    incident_tag,
)
from db.vocab import (
    ACTOR_ROLES,
    CONFIDENCE_LEVELS,
    DATE_PRECISIONS,
    INCIDENT_STATUSES,
    LINK_KINDS,
    NOTE_TARGETS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
)
from desk.claims import values as v
from desk.history import canonical_json
from desk.names import normalize_name

# incoming id -> local id (as strings): the same thing may be known here by another id
IdMap = dict[str, str]

TEXT_MAX = 1_000_000
SOURCE_TEXT_MAX = 50_000_000
THUMBNAIL_MAX = 4_000_000  # base64 characters
INT_MAX = 2**53
PUBLISHED_PRECISIONS = ("datetime", "day", "month", "year")


class Malformed(ValueError):
    """A value that passed the schema but means nothing (31 February, a note on two
    targets); the reader reports it with the line it is on."""


@dataclass(frozen=True)
class Column:
    """One column of a record as it travels: ``key`` in the data, ``attr`` on the model.

    ``kind`` is text, int, float, bool, date, datetime, json (an object), bytes
    (base64), ref (the id of a record of type ``ref``), blob (a SHA-256 naming a
    member), value (a typed claim value) or ids (a list of record ids).
    """

    key: str
    kind: str
    attr: str = ""
    nullable: bool = True
    max_length: int | None = None
    min_length: int = 0
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None
    # Large values: a base holds their digest, not the value.
    heavy: bool = False

    @property
    def attribute(self) -> str:
        return self.attr or self.key


# The items of many records at once: {owner id: items}, every owner present.
Reader = Callable[[Session, Sequence[uuid.UUID]], dict[uuid.UUID, list[Any]]]
Adder = Callable[[Session, uuid.UUID, list[Any]], None]
ManyAdder = Callable[[Session, list[tuple[uuid.UUID, list[Any]]]], None]


@dataclass(frozen=True)
class SetField:
    """A set-like relation of a record; merging adds the items the case lacks."""

    key: str
    item_schema: dict[str, Any]
    identity: Callable[[Any], Hashable]
    read: Reader
    add: Adder
    refs: tuple[tuple[str, str], ...] = ()  # (item key, record type)
    # Added once every record of the bundle is in (links point at later incidents).
    deferred: bool = False
    # Adds the items of many records in a few statements (a merge's batch).
    add_many: ManyAdder | None = None


@dataclass(frozen=True)
class Spelling:
    """How records of a type are recognised across cases: by spellings, any one of
    which names the same thing (an outlet's name; a place's or actor's normalised names).
    The spellings of a whole batch of records are looked up in one query."""

    # The spellings a record is looked for by.
    sought: Callable[[Mapping[str, Any]], set[str]]
    # Those by which a record written from this data can be found.
    written: Callable[[Mapping[str, Any]], set[str]]
    # (spelling, record id) for the records here with any of these spellings.
    find: Callable[[Session, Sequence[str]], Iterable[tuple[str, uuid.UUID]]]


@dataclass(frozen=True)
class RecordType:
    name: str
    model: type[Any]
    columns: tuple[Column, ...]
    groups: Mapping[str, tuple[str, ...]]
    describe: Callable[[Mapping[str, Any]], str]
    sets: tuple[SetField, ...] = ()
    # The local record that is the same thing under another id (an assessment of the
    # same question ...); ``spelling`` says it for types known by their names.
    natural: Callable[[Session, Mapping[str, Any]], uuid.UUID | None] | None = None
    spelling: Spelling | None = None
    check: Callable[[Mapping[str, Any]], str | None] | None = None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# -- values ------------------------------------------------------------------


def _digest(value: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def dump(column: Column, value: Any) -> Any:
    """A model attribute as JSON."""
    if value is None:
        return None
    if column.kind == "date":
        assert isinstance(value, date)
        return value.isoformat()
    if column.kind == "datetime":
        assert isinstance(value, datetime)
        return value.astimezone(UTC).isoformat()
    if column.kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if column.kind == "ref":
        return str(value)
    return value


def parse_datetime(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Malformed(f"'{text[:40]}' is not a date and time") from exc
    if parsed.tzinfo is None:
        raise Malformed(f"'{text[:40]}' has no time zone")
    return parsed.astimezone(UTC)


def load(column: Column, value: Any) -> Any:
    """A JSON value as the model attribute; Malformed when it means nothing."""
    if value is None:
        return None
    kind = column.kind
    if kind == "date":
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise Malformed(f"{column.key}: '{value}' is not a date") from exc
    if kind == "datetime":
        return parse_datetime(value)
    if kind == "bytes":
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Malformed(f"{column.key}: not base64") from exc
    if kind == "ref":
        return uuid.UUID(value)
    if kind == "value":
        try:
            v.from_json(value)
        except (KeyError, TypeError, ValueError) as exc:
            raise Malformed(f"{column.key}: not a claim value") from exc
    return value


def map_refs(kind: RecordType, data: Mapping[str, Any], ids: IdMap) -> dict[str, Any]:
    """``data`` with the ids of other records replaced by the ids they have here."""
    mapped = dict(data)
    for column in kind.columns:
        value = mapped.get(column.key)
        if value is None:
            continue
        if column.kind == "ref":
            mapped[column.key] = ids.get(value, value)
        elif column.kind == "ids":
            mapped[column.key] = [ids.get(i, i) for i in value]
    for field in kind.sets:
        if field.refs and field.key in mapped:
            mapped[field.key] = [
                {**item, **{k: ids.get(item[k], item[k]) for k, _ in field.refs}}
                for item in mapped[field.key]
            ]
    return mapped


def base_form(kind: RecordType, data: Mapping[str, Any]) -> dict[str, Any]:
    """What a base keeps of a record: its columns, large ones as digests."""
    form: dict[str, Any] = {}
    for column in kind.columns:
        if column.key in data:
            value = data[column.key]
            form[column.key] = (
                _digest(value) if column.heavy and value is not None and value != "" else value
            )
    return form


def group_value(kind: RecordType, form: Mapping[str, Any], group: str) -> dict[str, Any]:
    return {key: form.get(key) for key in kind.groups[group]}


def references(kind: RecordType, data: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, record type, id) for every record this one needs, blobs as type "blob"."""
    for column in kind.columns:
        value = data.get(column.key)
        if value is None:
            continue
        if column.kind == "ref":
            assert column.ref is not None
            yield column.key, column.ref, value
        elif column.kind == "blob":
            yield column.key, "blob", value
    for field in kind.sets:
        for item in data.get(field.key, ()):
            for key, ref in field.refs:
                yield f"{field.key}.{key}", ref, item[key]


def validate(kind: RecordType, data: Mapping[str, Any], base: bool = False) -> None:
    """Meaning beyond the schema (of data, or of a base); raises Malformed."""
    for column in kind.columns:
        if not (base and column.heavy):
            load(column, data.get(column.key))
    if not base:
        for field in kind.sets:
            for item in data.get(field.key, ()):
                if field.identity(item) == "":
                    raise Malformed(f"{field.key}: an item with an empty name")
                if isinstance(item, dict):
                    for key, value in item.items():
                        if key.endswith("_at") and value is not None:
                            parse_datetime(value)
    if kind.check is not None and (problem := kind.check(data)):
        raise Malformed(problem)


# -- reading and writing records -------------------------------------------------


def snapshot(session: Session, kind: RecordType, row: Any) -> dict[str, Any]:
    """A record of the case as bundle data (in the case's own ids)."""
    return snapshots(session, kind, [row])[0]


def snapshots(session: Session, kind: RecordType, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Records of one type as bundle data, each set read once for all of them (an
    export reads thousands of records: one query per set and batch, not per record)."""
    items = {field.key: field.read(session, [row.id for row in rows]) for field in kind.sets}
    result = []
    for row in rows:
        data = {c.key: dump(c, getattr(row, c.attribute)) for c in kind.columns}
        for field in kind.sets:
            data[field.key] = items[field.key][row.id]
        result.append(data)
    return result


def create(
    session: Session,
    kind: RecordType,
    record_id: uuid.UUID,
    data: Mapping[str, Any],
    revision: int,
) -> Any:
    """A new row from (mapped) data, pending until the session flushes (the next query
    or the end of the caller's batch); set items are added by the caller."""
    row = kind.model(**row_values(kind, record_id, data, revision))
    session.add(row)
    return row


def row_values(
    kind: RecordType, record_id: uuid.UUID, data: Mapping[str, Any], revision: int
) -> dict[str, Any]:
    """The attributes of a new row from (mapped) data, for the model or a bulk INSERT."""
    values = {c.attribute: load(c, data.get(c.key)) for c in kind.columns}
    return {"id": record_id, "revision": revision, **values}


def write(row: Any, kind: RecordType, keys: tuple[str, ...], data: Mapping[str, Any]) -> None:
    for key in keys:
        column = kind.column(key)
        setattr(row, column.attribute, load(column, data.get(key)))


def missing_items(field: SetField, local: list[Any], incoming: list[Any]) -> list[Any]:
    """Incoming items the case does not have yet (sets only grow)."""
    have = {field.identity(item) for item in local}
    added: list[Any] = []
    for item in incoming:
        identity = field.identity(item)
        if identity not in have:
            have.add(identity)
            added.append(item)
    return added


class Bases:
    """The versions of records last exchanged (``sync_base``), read for a batch of
    records in one query instead of one lookup per record.

    Only the current batch is held (a base holds a whole record's columns)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._known: dict[tuple[str, uuid.UUID], SyncBase | None] = {}
        self._new: list[dict[str, Any]] = []  # bases of new records, see ``add``

    def load(self, record_type: str, record_ids: Sequence[uuid.UUID]) -> None:
        """Read the bases of these records, forgetting those of the previous batch."""
        self._known.clear()
        for chunk in batches(record_ids):
            found = {
                row.record_id: row
                for row in self._session.scalars(
                    select(SyncBase).where(
                        SyncBase.record_type == record_type, SyncBase.record_id.in_(chunk)
                    )
                )
            }
            self._known.update(((record_type, i), found.get(i)) for i in chunk)

    def add(
        self,
        record_type: str,
        record_id: uuid.UUID,
        revision: int,
        form: dict[str, Any],
        bundle_sha256: str,
    ) -> None:
        """The base of a record new to the case, written by ``write``, which must come
        before any look-up of it (``get`` reads the database)."""
        self._new.append(
            {
                "record_type": record_type,
                "record_id": record_id,
                "revision": revision,
                "snapshot": form,
                "bundle_sha256": bundle_sha256,
            }
        )

    def write(self) -> None:
        """Insert the bases given to ``add`` in one statement."""
        insert_rows(self._session, SyncBase, self._new)
        for written in self._new:  # known as missing when the batch was loaded
            self._known.pop((written["record_type"], written["record_id"]), None)
        self._new.clear()

    def keep(
        self,
        record_type: str,
        sent: Sequence[tuple[uuid.UUID, int, dict[str, Any]]],
        bundle_sha256: str,
    ) -> None:
        """Keep each (id, revision, form) as the version last exchanged, as ``remember``
        does, for a batch just sent: the bases here are compared as the text the column
        holds, not read back into objects (a colleague's case is sent again and again,
        and most bases have not changed since)."""
        found = self._session.execute(
            select(SyncBase.record_id, type_coerce(SyncBase.snapshot, Text)).where(
                SyncBase.record_type == record_type,
                SyncBase.record_id.in_([record_id for record_id, _, _ in sent]),
            )
        )
        stored = {record_id: text for record_id, text in found}
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for record_id, revision, form in sent:
            text = stored.get(record_id)
            # Equal text is an equal form; text that differs only in its spelling of
            # the same form is rewritten, which changes nothing.
            if text is not None and text == json.dumps(form):
                continue
            (new if text is None else changed).append(
                {
                    "record_type": record_type,
                    "record_id": record_id,
                    "revision": revision,
                    "snapshot": form,
                    "bundle_sha256": bundle_sha256,
                }
            )
        insert_rows(self._session, SyncBase, new)
        if changed:
            self._session.execute(update(SyncBase), changed)

    def get(self, record_type: str, record_id: uuid.UUID) -> SyncBase | None:
        key = (record_type, record_id)
        if key not in self._known:  # a record known here under another id
            self._known[key] = self._session.get(SyncBase, key)
        return self._known[key]

    def remember(
        self,
        record_type: str,
        record_id: uuid.UUID,
        revision: int,
        form: dict[str, Any],
        bundle_sha256: str,
    ) -> bool:
        """Keep ``form`` as the version last exchanged; False if it was already."""
        row = self.get(record_type, record_id)
        if row is None:
            self._known[(record_type, record_id)] = SyncBase(
                record_type=record_type,
                record_id=record_id,
                revision=revision,
                snapshot=form,
                bundle_sha256=bundle_sha256,
            )
            self._session.add(self._known[(record_type, record_id)])
            return True
        if row.snapshot == form:
            return False
        row.snapshot, row.revision, row.bundle_sha256 = form, revision, bundle_sha256
        return True


# -- schema pieces -----------------------------------------------------------------

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SHA256_PATTERN = "^[0-9a-f]{64}$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"


def nullable_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def datetime_schema() -> dict[str, Any]:
    return {"type": "string", "pattern": DATETIME_PATTERN}


def uuid_schema() -> dict[str, Any]:
    return {"type": "string", "pattern": UUID_PATTERN}


def text_schema(max_length: int, min_length: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return schema


def _item(properties: dict[str, Any], required: tuple[str, ...] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required if required is not None else properties),
        "additionalProperties": False,
    }


# -- set relations ------------------------------------------------------------------


def _grouped(
    session: Session, owners: Sequence[uuid.UUID], owner: Any, query: Any
) -> dict[uuid.UUID, list[Any]]:
    """The rows of ``query`` (its first column the owner's id) by owner, in the
    query's order; ``owner`` is the column the owners are looked up by."""
    found: dict[uuid.UUID, list[Any]] = {owner_id: [] for owner_id in owners}
    for chunk in batches(sorted(found)):
        for row in session.execute(query.where(owner.in_(chunk))):
            found[row[0]].append(row[1:])
    return found


def _read_tags(session: Session, incident_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    query = select(incident_tag.c.incident_id, Tag.name).join(Tag, incident_tag.c.tag_id == Tag.id)
    found = _grouped(session, incident_ids, incident_tag.c.incident_id, query)
    return {owner: sorted(name for (name,) in rows) for owner, rows in found.items()}


def _add_tags(session: Session, incident_id: uuid.UUID, names: list[Any]) -> None:
    _add_many_tags(session, [(incident_id, names)])


def _add_many_tags(session: Session, items: list[tuple[uuid.UUID, list[Any]]]) -> None:
    """Tag incidents (the tags looked up by name, one query per batch of names)."""
    names = sorted({name for _, tags in items for name in tags})
    tag_ids: dict[str, Any] = {}
    for chunk in batches(names):
        found = session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(chunk)))
        tag_ids.update((name, tag_id) for name, tag_id in found)
    new = [Tag(name=name) for name in names if name not in tag_ids]
    if new:
        session.add_all(new)
        session.flush()
        tag_ids.update((tag.name, tag.id) for tag in new)
    rows = [
        {"incident_id": owner, "tag_id": tag_ids[name]} for owner, tags in items for name in tags
    ]
    if rows:
        session.execute(insert(incident_tag), rows)


def _read_actors(session: Session, incident_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    query = select(IncidentActor.incident_id, IncidentActor.actor_id, IncidentActor.role)
    found = _grouped(session, incident_ids, IncidentActor.incident_id, query)
    return {
        owner: sorted(
            ({"actor": str(a), "role": r} for a, r in rows),
            key=lambda i: (i["role"], i["actor"]),
        )
        for owner, rows in found.items()
    }


def _add_actors(session: Session, incident_id: uuid.UUID, items: list[Any]) -> None:
    _add_many_actors(session, [(incident_id, items)])


def _add_many_actors(session: Session, items: list[tuple[uuid.UUID, list[Any]]]) -> None:
    """Actors of many incidents in one INSERT (rows, not ORM objects: a merge adds thousands)."""
    rows = [
        {"incident_id": owner, "actor_id": uuid.UUID(i["actor"]), "role": i["role"]}
        for owner, actors in items
        for i in actors
    ]
    insert_rows(session, IncidentActor, rows)


def _read_attachments(
    session: Session, incident_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Any]]:
    query = select(
        IncidentSource.incident_id,
        IncidentSource.source_id,
        IncidentSource.attached_at,
        IncidentSource.attached_by,
    ).order_by(IncidentSource.source_id)
    found = _grouped(session, incident_ids, IncidentSource.incident_id, query)
    return {
        owner: [
            {"source": str(s), "attached_at": at.astimezone(UTC).isoformat(), "attached_by": by}
            for s, at, by in rows
        ]
        for owner, rows in found.items()
    }


def _add_attachments(session: Session, incident_id: uuid.UUID, items: list[Any]) -> None:
    _add_many_attachments(session, [(incident_id, items)])


def _add_many_attachments(session: Session, items: list[tuple[uuid.UUID, list[Any]]]) -> None:
    """Attachments of many incidents in one INSERT (the source counts follow by trigger)."""
    rows = [
        {
            "incident_id": owner,
            "source_id": uuid.UUID(i["source"]),
            "attached_at": parse_datetime(i["attached_at"]),
            "attached_by": i["attached_by"],
        }
        for owner, attachments in items
        for i in attachments
    ]
    insert_rows(session, IncidentSource, rows)


def _read_links(session: Session, incident_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    query = select(
        IncidentLink.from_id, IncidentLink.to_id, IncidentLink.kind, IncidentLink.created_at
    ).order_by(IncidentLink.to_id, IncidentLink.kind)
    found = _grouped(session, incident_ids, IncidentLink.from_id, query)
    return {
        owner: [
            {"to": str(t), "kind": k, "created_at": at.astimezone(UTC).isoformat()}
            for t, k, at in rows
        ]
        for owner, rows in found.items()
    }


def _add_links(session: Session, incident_id: uuid.UUID, items: list[Any]) -> None:
    session.add_all(
        IncidentLink(
            from_id=incident_id,
            to_id=uuid.UUID(i["to"]),
            kind=i["kind"],
            created_at=parse_datetime(i["created_at"]),
        )
        for i in items
    )


def _alias_reader(model: type[PlaceAlias] | type[ActorAlias], owner: str) -> Reader:
    def read(session: Session, owner_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        column = getattr(model, owner)
        query = select(column, model.alias, model.language)
        found = _grouped(session, owner_ids, column, query)
        return {
            owner_id: sorted(
                ({"alias": a, "language": lang} for a, lang in rows), key=lambda i: i["alias"]
            )
            for owner_id, rows in found.items()
        }

    return read


def _alias_adder(model: type[PlaceAlias] | type[ActorAlias], owner: str) -> Adder:
    def add(session: Session, owner_id: uuid.UUID, items: list[Any]) -> None:
        session.add_all(
            model(
                **{owner: owner_id},
                alias=i["alias"],
                norm=normalize_name(i["alias"]),
                language=i["language"],
            )
            for i in items
        )

    return add


def _read_acquisitions(
    session: Session, source_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Any]]:
    query = select(Acquisition.source_id, Acquisition).order_by(Acquisition.id)
    found = _grouped(session, source_ids, Acquisition.source_id, query)
    return {
        owner: [
            {
                "id": str(a.id),
                "acquired_at": a.acquired_at.astimezone(UTC).isoformat(),
                "acquired_by": a.acquired_by,
                "original_filename": a.original_filename,
                "original_path": a.original_path,
                "method": a.method,
            }
            for (a,) in rows
        ]
        for owner, rows in found.items()
    }


def _add_acquisitions(session: Session, source_id: uuid.UUID, items: list[Any]) -> None:
    session.add_all(
        Acquisition(
            id=uuid.UUID(i["id"]),
            source_id=source_id,
            acquired_at=parse_datetime(i["acquired_at"]),
            acquired_by=i["acquired_by"],
            original_filename=i["original_filename"],
            original_path=i["original_path"],
            method=i["method"],
        )
        for i in items
    )


ALIASES_ITEM = _item({"alias": text_schema(300, 1), "language": nullable_schema(text_schema(8))})


def _alias_identity(item: Any) -> Hashable:
    return normalize_name(item["alias"])


# -- natural keys ------------------------------------------------------------------


def _outlet_name(data: Mapping[str, Any]) -> set[str]:
    return {data["name"]}


def _outlets_named(session: Session, names: Sequence[str]) -> Iterable[tuple[str, uuid.UUID]]:
    return session.execute(select(Outlet.name, Outlet.id).where(Outlet.name.in_(names)))


def _norms(data: Mapping[str, Any], with_name: bool) -> set[str]:
    names = [data["name"]] if with_name else []
    names.extend(a["alias"] for a in data.get("aliases", ()))
    return {normalize_name(name) for name in names} - {""}


def _by_alias(model: type[PlaceAlias] | type[ActorAlias], owner: str) -> Spelling:
    """Spellings identify places and actors in a case, so they do across cases: a
    record's name and aliases are sought among the spellings here (a record's name is
    one of its aliases)."""

    def find(session: Session, norms: Sequence[str]) -> Iterable[tuple[str, uuid.UUID]]:
        column = getattr(model, owner)
        return session.execute(select(model.norm, column).where(model.norm.in_(norms)))

    return Spelling(
        sought=lambda data: _norms(data, with_name=True),
        written=lambda data: _norms(data, with_name=False),
        find=find,
    )


def _source_of_blob(session: Session, data: Mapping[str, Any]) -> uuid.UUID | None:
    if data.get("blob") is None:
        return None
    return session.scalar(select(Source.id).where(Source.blob_sha256 == data["blob"]))


def _resolution_of(session: Session, data: Mapping[str, Any]) -> uuid.UUID | None:
    question = data.get("question")
    return session.scalar(
        select(ConflictResolution.id).where(
            ConflictResolution.incident_id == uuid.UUID(data["incident"]),
            ConflictResolution.field == data["field"],
            ConflictResolution.question.is_(None)
            if question is None
            else ConflictResolution.question == question,
        )
    )


# -- checks beyond the schema ---------------------------------------------------------


def _check_note(data: Mapping[str, Any]) -> str | None:
    target, incident, source = data["target"], data.get("incident"), data.get("source")
    fits = {
        "case": incident is None and source is None,
        "incident": incident is not None and source is None,
        "source": source is not None and incident is None,
    }
    return None if fits[target] else f"a note on the {target} names the wrong records"


def _check_pairs(*pairs: tuple[str, str]) -> Callable[[Mapping[str, Any]], str | None]:
    def check(data: Mapping[str, Any]) -> str | None:
        for first, second in pairs:
            if (data.get(first) is None) != (data.get(second) is None):
                return f"{first} and {second} must be given together"
        return None

    return check


def _check_incident(data: Mapping[str, Any]) -> str | None:
    if problem := _check_pairs(("latitude", "longitude"), ("end_date", "end_precision"))(data):
        return problem
    return None


# -- the record types ----------------------------------------------------------------

CREATED_AT = Column("created_at", "datetime", nullable=False)


def _text(key: str, max_length: int = TEXT_MAX, nullable: bool = True, **kw: Any) -> Column:
    return Column(key, "text", nullable=nullable, max_length=max_length, **kw)


def _int(key: str, minimum: float = 0, maximum: float = INT_MAX, nullable: bool = True) -> Column:
    return Column(key, "int", nullable=nullable, minimum=minimum, maximum=maximum)


def _float(key: str, bound: float) -> Column:
    return Column(key, "float", minimum=-bound, maximum=bound)


def _ref(key: str, ref: str, nullable: bool = True) -> Column:
    return Column(key, "ref", attr=f"{key}_id", ref=ref, nullable=nullable)


OUTLET = RecordType(
    name="outlet",
    model=Outlet,
    columns=(
        _text("name", 300, nullable=False, min_length=1),
        _text("url", 2000),
        Column("reliability", "text", enum=RELIABILITY_GRADES),
        _text("reliability_reason"),
        CREATED_AT,
    ),
    groups={
        "name": ("name",),
        "url": ("url",),
        "reliability": ("reliability", "reliability_reason"),
    },
    describe=lambda d: f"outlet {d['name']}",
    spelling=Spelling(_outlet_name, _outlet_name, _outlets_named),
)

PLACE = RecordType(
    name="place",
    model=Place,
    columns=(
        _text("name", 300, nullable=False, min_length=1),
        _text("admin1", 300),
        _text("admin2", 300),
        _text("country", 100),
        _float("latitude", 90),
        _float("longitude", 180),
        CREATED_AT,
    ),
    groups={
        "name": ("name",),
        "admin": ("admin1", "admin2", "country"),
        "location": ("latitude", "longitude"),
    },
    sets=(
        SetField(
            "aliases",
            ALIASES_ITEM,
            _alias_identity,
            _alias_reader(PlaceAlias, "place_id"),
            _alias_adder(PlaceAlias, "place_id"),
        ),
    ),
    describe=lambda d: f"place {d['name']}",
    spelling=_by_alias(PlaceAlias, "place_id"),
    check=_check_pairs(("latitude", "longitude")),
)

ACTOR = RecordType(
    name="actor",
    model=Actor,
    columns=(_text("name", 300, nullable=False, min_length=1), CREATED_AT),
    groups={"name": ("name",)},
    sets=(
        SetField(
            "aliases",
            ALIASES_ITEM,
            _alias_identity,
            _alias_reader(ActorAlias, "actor_id"),
            _alias_adder(ActorAlias, "actor_id"),
        ),
    ),
    describe=lambda d: f"actor {d['name']}",
    spelling=_by_alias(ActorAlias, "actor_id"),
)

EXTRACTION = (
    "kind",
    "media_type",
    "original_filename",
    "text",
    "text_chars",
    "page_count",
    "extraction_warning",
    "details",
    "image_width",
    "image_height",
    "image_orientation",
    "taken_at",
    "gps_lat",
    "gps_lon",
    "thumbnail",
)

SOURCE = RecordType(
    name="source",
    model=Source,
    columns=(
        Column("kind", "text", nullable=False, enum=SOURCE_KINDS),
        _text("title", nullable=False),
        _text("author", 500),
        _ref("outlet", "outlet"),
        _text("url", 2000),
        Column("published_at", "datetime"),
        Column("published_precision", "text", enum=PUBLISHED_PRECISIONS),
        _text("language", 8),
        _text("media_type", 100, nullable=False),
        Column("blob", "blob", attr="blob_sha256"),
        _text("original_filename", 1000),
        _text("text", SOURCE_TEXT_MAX, heavy=True),
        _int("text_chars", nullable=False),
        _int("page_count"),
        _text("extraction_warning"),
        Column("details", "json", nullable=False),
        _int("image_width"),
        _int("image_height"),
        _int("image_orientation", 0, 8),
        Column("taken_at", "datetime"),
        _float("gps_lat", 90),
        _float("gps_lon", 180),
        Column("graphic", "bool", nullable=False),
        Column("thumbnail", "bytes", max_length=THUMBNAIL_MAX, heavy=True),
        CREATED_AT,
    ),
    groups={
        "title": ("title",),
        "author": ("author",),
        "outlet": ("outlet",),
        "url": ("url",),
        "published": ("published_at", "published_precision"),
        "language": ("language",),
        "graphic": ("graphic",),
        "extraction": EXTRACTION,
    },
    sets=(
        SetField(
            "acquisitions",
            _item(
                {
                    "id": uuid_schema(),
                    "acquired_at": datetime_schema(),
                    "acquired_by": text_schema(200),
                    "original_filename": text_schema(1000),
                    "original_path": nullable_schema(text_schema(TEXT_MAX)),
                    "method": text_schema(20),
                }
            ),
            lambda i: i["id"],
            _read_acquisitions,
            _add_acquisitions,
        ),
    ),
    describe=lambda d: f"source '{d['title']}'",
    natural=_source_of_blob,
    check=_check_pairs(("gps_lat", "gps_lon")),
)

INCIDENT = RecordType(
    name="incident",
    model=Incident,
    columns=(
        _text("title", nullable=False, min_length=1),
        _text("summary", nullable=False),
        Column("start_date", "date"),
        Column("start_precision", "text", nullable=False, enum=DATE_PRECISIONS),
        Column("end_date", "date"),
        Column("end_precision", "text", enum=DATE_PRECISIONS),
        _ref("place", "place"),
        _float("latitude", 90),
        _float("longitude", 180),
        _text("coord_precision", 20),
        _text("event_type", 100),
        _text("sub_event_type", 100),
        Column("status", "text", nullable=False, enum=INCIDENT_STATUSES),
        _text("created_by", 200, nullable=False),
        CREATED_AT,
    ),
    groups={
        "title": ("title",),
        "summary": ("summary",),
        "start": ("start_date", "start_precision"),
        "end": ("end_date", "end_precision"),
        "place": ("place",),
        "location": ("latitude", "longitude", "coord_precision"),
        "type": ("event_type", "sub_event_type"),
        "status": ("status",),
    },
    sets=(
        SetField(
            "tags",
            text_schema(100, 1),
            lambda name: name,
            _read_tags,
            _add_tags,
            add_many=_add_many_tags,
        ),
        SetField(
            "actors",
            _item({"actor": uuid_schema(), "role": {"enum": list(ACTOR_ROLES)}}),
            lambda i: (i["actor"], i["role"]),
            _read_actors,
            _add_actors,
            refs=(("actor", "actor"),),
            add_many=_add_many_actors,
        ),
        SetField(
            "sources",
            _item(
                {
                    "source": uuid_schema(),
                    "attached_at": datetime_schema(),
                    "attached_by": text_schema(200),
                }
            ),
            lambda i: i["source"],
            _read_attachments,
            _add_attachments,
            refs=(("source", "source"),),
            add_many=_add_many_attachments,
        ),
        SetField(
            "links",
            _item(
                {
                    "to": uuid_schema(),
                    "kind": {"enum": list(LINK_KINDS)},
                    "created_at": datetime_schema(),
                }
            ),
            lambda i: (i["to"], i["kind"]),
            _read_links,
            _add_links,
            refs=(("to", "incident"),),
            deferred=True,
        ),
    ),
    describe=lambda d: f"incident '{d['title']}'",
    check=_check_incident,
)

CLAIM = RecordType(
    name="claim",
    model=Claim,
    columns=(
        _ref("incident", "incident", nullable=False),
        _ref("source", "source", nullable=False),
        Column("field", "text", nullable=False, enum=v.FIELDS),
        _text("question"),
        _text("role", 20),
        Column("value", "value", nullable=False),
        _text("value_text", nullable=False),
        _text("quote"),
        _int("quote_start"),
        _int("quote_end"),
        _int("credibility", 1, 6),
        _ref("repeats_source", "source"),
        _text("note"),
        _text("created_by", 200, nullable=False),
        CREATED_AT,
    ),
    groups={
        "value": ("value", "value_text"),
        "question": ("question",),
        "role": ("role",),
        "quote": ("quote", "quote_start", "quote_end"),
        "credibility": ("credibility",),
        "repeats_source": ("repeats_source",),
        "note": ("note",),
    },
    describe=lambda d: f"claim {d['field']} {d['value_text']}",
)

RESOLUTION = RecordType(
    name="conflict_resolution",
    model=ConflictResolution,
    columns=(
        _ref("incident", "incident", nullable=False),
        _text("field", 40, nullable=False),
        _text("question"),
        Column("accepted_value", "value"),
        _int("best"),
        _int("low"),
        _int("high"),
        _text("rationale", nullable=False),
        Column("confidence", "text", nullable=False, enum=CONFIDENCE_LEVELS),
        _text("decided_by", 200, nullable=False),
        Column("decided_at", "datetime", nullable=False),
        Column("claim_ids", "ids", nullable=False),
        CREATED_AT,
    ),
    groups={
        "assessment": (
            "accepted_value",
            "best",
            "low",
            "high",
            "rationale",
            "confidence",
            "decided_by",
            "decided_at",
            "claim_ids",
        )
    },
    describe=lambda d: f"assessment of {d['field']}",
    natural=_resolution_of,
)

NOTE = RecordType(
    name="note",
    model=Note,
    columns=(
        Column("target", "text", nullable=False, enum=NOTE_TARGETS),
        _ref("incident", "incident"),
        _ref("source", "source"),
        _text("body", nullable=False),
        _text("author", 200, nullable=False),
        CREATED_AT,
    ),
    groups={"body": ("body",)},
    describe=lambda d: f"note on the {d['target']}",
    check=_check_note,
)

# In the order a bundle lists them: every record comes after those it names
# (links between incidents excepted: they are added last).
TYPES: tuple[RecordType, ...] = (OUTLET, PLACE, ACTOR, SOURCE, INCIDENT, CLAIM, RESOLUTION, NOTE)
BY_NAME: dict[str, RecordType] = {t.name: t for t in TYPES}
