"""Bulk writes: many records in few large transactions, recorded as the services record them.

The services write one record per transaction, which is right for an analyst at the
desk and far too slow for a generated 100,000-incident case or a large import. The
``BulkWriter`` queues records and writes them in transactions of thousands of rows,
and keeps every promise the services keep:

- each record gets the history entry its service would write (same action, summary,
  before and after), chained to the previous entry in Python, one batch at a time,
  so ``desk.verify.verify_case`` finds the chain intact;
- originals are stored as blobs addressed by the SHA-256 of their bytes, taken before
  anything else looks at them; the same bytes again are a re-acquisition, as in
  ``SourceService.import_bytes``;
- rows are inserted through the models' tables, so the database triggers fill the
  full-text index exactly as for any other write;
- ``incident.open_conflicts`` is set by the conflict engine on the incident's claims
  (the claims service's own helpers), never guessed.

It reuses the services' validation and snapshot helpers so the two paths cannot drift.
Nothing here imports Qt.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from db.base import utcnow
from db.batches import batches
from db.models import (
    Acquisition,
    Actor,
    ActorAlias,
    Blob,
    Claim,
    ConflictResolution,
    Incident,
    IncidentActor,
    IncidentSource,
    Note,
    Outlet,
    Place,
    PlaceAlias,
    Source,
    Tag,
    incident_tag,
)
from db.vocab import RELIABILITY_GRADES
from desk import history
from desk.claims import values as v
from desk.claims.engine import ClaimFact, find_conflicts
from desk.errors import BadInputError, NotFoundError
from desk.ingest.model import Extracted
from desk.names import normalize_name
from desk.services.claims import _claim_snapshot, _clean, _facts, _resolver
from desk.services.gazetteer import _script_language
from desk.services.incidents import IncidentFields, _snapshot, validate
from desk.services.sources import MAX_FILE_BYTES, _new_source

if TYPE_CHECKING:
    from desk.case import Case

IdFactory = Callable[[], uuid.UUID]

DEFAULT_BATCH_ROWS = 5_000
DEFAULT_BATCH_BYTES = 256 * 1024 * 1024
# Keep each IN (...) list well under SQLite's limit of bound parameters.
_IN_CHUNK = 900


@dataclass
class _Pending:
    """Rows waiting for the next transaction, per table, in insertion order."""

    places: list[dict[str, Any]] = field(default_factory=list)
    place_aliases: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    actor_aliases: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[dict[str, Any]] = field(default_factory=list)
    outlet_grades: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    incident_tags: list[dict[str, Any]] = field(default_factory=list)
    incident_actors: list[dict[str, Any]] = field(default_factory=list)
    blobs: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    acquisitions: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    # History contents (without hashes) in the order the changes were made.
    history: list[dict[str, Any]] = field(default_factory=list)
    # Incidents whose claims changed: their open conflicts are counted again.
    touched: set[uuid.UUID] = field(default_factory=set)
    # Extracted text of the sources in this batch, for placing quotes.
    texts: dict[uuid.UUID, str | None] = field(default_factory=dict)
    bytes: int = 0

    def rows(self) -> int:
        return len(self.history)


@dataclass(frozen=True)
class BulkCounts:
    """What a writer has written so far."""

    incidents: int = 0
    sources: int = 0
    claims: int = 0
    notes: int = 0
    history: int = 0
    transactions: int = 0


class BulkWriter:
    """Queue records, write them in large transactions; use as a context manager.

    ``ids`` makes the ids of new records (a seeded factory gives a reproducible case);
    ``batch_rows`` history entries or ``batch_bytes`` of originals end a transaction.
    Leaving the ``with`` block normally writes what is still queued; an exception
    discards it (what was already committed stays, complete and verifiable).
    """

    def __init__(
        self,
        case: Case,
        *,
        ids: IdFactory = uuid.uuid4,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        batch_bytes: int = DEFAULT_BATCH_BYTES,
    ) -> None:
        self._case = case
        self._ids = ids
        self._batch_rows = batch_rows
        self._batch_bytes = batch_bytes
        self._pending = _Pending()
        # What this writer has created or looked up, so names resolve without a query.
        self._places: dict[str, uuid.UUID] = {}
        self._place_names: dict[uuid.UUID, str] = {}
        self._actors: dict[str, uuid.UUID] = {}
        self._outlets: dict[str, uuid.UUID] = {}
        self._tags: dict[str, uuid.UUID] = {}
        self._blobs: dict[str, uuid.UUID] = {}
        self._titles: dict[uuid.UUID, str] = {}
        self._attached: set[tuple[uuid.UUID, uuid.UUID]] = set()
        # Incidents and sources this writer created (their attachments are all known here).
        self._created: set[uuid.UUID] = set()
        self._counts = BulkCounts()

    # -- context -------------------------------------------------------------

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.flush()
        else:
            self._pending = _Pending()

    @property
    def counts(self) -> BulkCounts:
        return self._counts

    @property
    def analyst(self) -> str:
        return self._case.analyst

    # -- gazetteer and outlets -----------------------------------------------

    def place(
        self,
        name: str,
        aliases: Sequence[str] = (),
        *,
        admin1: str | None = None,
        country: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> uuid.UUID:
        """Define a place with its spellings (as ``GazetteerService.define_place``)."""
        name = name.strip()
        if not name:
            raise BadInputError("A place needs a name.")
        if self._lookup_place(name) is not None:
            raise BadInputError(f"'{name}' already names a place.")
        place_id = self._new_place(name)
        row = self._pending.places[-1]
        row.update(admin1=admin1, country=country)
        if latitude is not None and longitude is not None:
            row.update(latitude=latitude, longitude=longitude)
        spellings = [name]
        for alias in aliases:
            alias = alias.strip()
            norm = normalize_name(alias)
            other = self._lookup_place(alias)
            if other is not None and other != place_id:
                raise BadInputError(f"'{alias}' already names another place.")
            if other == place_id:
                continue
            self._pending.place_aliases.append(
                {
                    "id": self._ids(),
                    "place_id": place_id,
                    "alias": alias,
                    "norm": norm,
                    "language": _script_language(alias),
                }
            )
            self._places[norm] = place_id
            spellings.append(alias)
        self._record(
            action="define",
            entity_type="place",
            entity_id=place_id,
            summary=f"Place {name} known as {', '.join(spellings)}",
            after={"name": name, "aliases": spellings},
        )
        self._maybe_flush()
        return place_id

    def actor(self, name: str, aliases: Sequence[str] = ()) -> uuid.UUID:
        """Define an actor with its spellings (as ``GazetteerService.define_actor``)."""
        name = name.strip()
        if not name:
            raise BadInputError("An actor needs a name.")
        actor_id = self._lookup_actor(name) or self._new_actor(name)
        spellings = [name]
        for alias in aliases:
            alias = alias.strip()
            norm = normalize_name(alias)
            if self._actors.get(norm) == actor_id:
                continue
            self._pending.actor_aliases.append(
                {
                    "id": self._ids(),
                    "actor_id": actor_id,
                    "alias": alias,
                    "norm": norm,
                    "language": _script_language(alias),
                }
            )
            self._actors.setdefault(norm, actor_id)
            spellings.append(alias)
        self._record(
            action="define",
            entity_type="actor",
            entity_id=actor_id,
            summary=f"Actor {name} known as {', '.join(spellings)}",
            after={"name": name, "aliases": spellings},
        )
        self._maybe_flush()
        return actor_id

    def outlet(
        self,
        name: str,
        *,
        url: str | None = None,
        reliability: str | None = None,
        reason: str | None = None,
    ) -> uuid.UUID:
        """An outlet, graded when ``reliability`` is given (as ``OutletService.grade``)."""
        name = name.strip()
        outlet_id = self._outlet_named(name)
        if url is not None:
            for row in self._pending.outlets:
                if row["id"] == outlet_id:
                    row["url"] = url
        if reliability is not None:
            grade = reliability.strip().upper()
            if grade not in RELIABILITY_GRADES:
                raise BadInputError(f"'{reliability}' is not a reliability grade; use A to F.")
            if not reason or not reason.strip():
                raise BadInputError("Give the reason for the grade.")
            self._pending.outlet_grades.append(
                {"b_id": outlet_id, "b_grade": grade, "b_reason": reason.strip()}
            )
            self._record(
                action="grade",
                entity_type="outlet",
                entity_id=outlet_id,
                summary=f"Outlet {name} graded {grade}",
                before={"reliability": None, "reason": None},
                after={"reliability": grade, "reason": reason.strip()},
            )
        self._maybe_flush()
        return outlet_id

    # -- incidents -----------------------------------------------------------

    def incident(self, values: IncidentFields, incident_id: uuid.UUID | None = None) -> uuid.UUID:
        """A new incident (as ``IncidentService.create``)."""
        values = validate(values)
        incident_id = incident_id or self._ids()
        place_id = None
        if values.place:
            place_id = self._lookup_place(values.place) or self._new_place(values.place)
        self._pending.incidents.append(
            {
                "id": incident_id,
                "title": values.title,
                "summary": values.summary,
                "start_date": values.start,
                "start_precision": values.start_precision,
                "end_date": values.end,
                "end_precision": values.end_precision,
                "place_id": place_id,
                "latitude": values.latitude,
                "longitude": values.longitude,
                "event_type": values.event_type,
                "sub_event_type": values.sub_event_type,
                "status": values.status,
                "created_by": self.analyst,
            }
        )
        for tag in values.tags:
            self._pending.incident_tags.append(
                {"incident_id": incident_id, "tag_id": self._tag_named(tag)}
            )
        wanted = {(self._actor_named(name), role) for name, role in values.actors}
        for actor_id, role in sorted(wanted):
            self._pending.incident_actors.append(
                {"incident_id": incident_id, "actor_id": actor_id, "role": role}
            )
        self._titles[incident_id] = values.title
        self._created.add(incident_id)
        self._record(
            action="create",
            entity_type="incident",
            entity_id=incident_id,
            summary=f"Incident created: {values.title}",
            after=_snapshot(values),
        )
        self._count(incidents=1)
        self._maybe_flush()
        return incident_id

    def attach(self, incident_id: uuid.UUID, source_id: uuid.UUID) -> bool:
        """Attach a source to an incident (as ``attach_in``); False if it already was."""
        if (incident_id, source_id) in self._attached or self._attached_in_case(
            incident_id, source_id
        ):
            return False
        self._attached.add((incident_id, source_id))
        self._pending.attachments.append(
            {"incident_id": incident_id, "source_id": source_id, "attached_by": self.analyst}
        )
        self._record(
            action="attach",
            entity_type="incident",
            entity_id=incident_id,
            summary=f"Source '{self._title(Source, source_id)}' attached to "
            f"'{self._title(Incident, incident_id)}'",
            after={"source": str(source_id)},
        )
        self._maybe_flush()
        return True

    # -- sources -------------------------------------------------------------

    def source(
        self,
        data: bytes,
        filename: str,
        found: Extracted,
        *,
        original_path: str | None = None,
        incident_ids: Iterable[uuid.UUID] = (),
        source_id: uuid.UUID | None = None,
    ) -> tuple[uuid.UUID, bool]:
        """Store an original and what was extracted from it (as ``import_bytes``).

        Returns the source's id and whether it is new: the same bytes again are a
        re-acquisition of the source that holds them.
        """
        if not data:
            raise BadInputError(f"{filename}: the file is empty.")
        if len(data) > MAX_FILE_BYTES:
            raise BadInputError(f"{filename}: the file is {len(data):,} bytes; the limit is 1 GB.")
        # The hash is taken from the bytes before anything else (chain of custody).
        sha256 = hashlib.sha256(data).hexdigest()
        known = self._source_of_blob(sha256)
        created = known is None
        if known is None:
            new_id = source_id or self._ids()
            row = _source_row(_new_source(found, sha256, filename))
            row["id"] = new_id
            if found.outlet:
                row["outlet_id"] = self._outlet_named(found.outlet)
            self._pending.blobs.append(
                {"sha256": sha256, "size": len(data), "media_type": found.media_type, "data": data}
            )
            self._pending.sources.append(row)
            self._pending.texts[new_id] = found.text
            self._pending.bytes += len(data) + len(found.text or "")
            self._blobs[sha256] = new_id
            self._titles[new_id] = found.title
            self._created.add(new_id)
            known = new_id
        self._pending.acquisitions.append(
            {
                "id": self._ids(),
                "source_id": known,
                "acquired_by": self.analyst,
                "original_filename": filename,
                "original_path": original_path,
            }
        )
        title = self._title(Source, known)
        self._record(
            action="import" if created else "reacquire",
            entity_type="source",
            entity_id=known,
            summary=(
                f"Source imported from {filename}: {title}"
                if created
                else f"Same bytes imported again from {filename}: {title}"
            ),
            after={"file": filename, "sha256": sha256, "path": original_path},
        )
        if created:
            self._count(sources=1)
        for incident_id in incident_ids:
            self.attach(incident_id, known)
        self._maybe_flush()
        return known, created

    # -- claims and notes ----------------------------------------------------

    def claim(
        self,
        incident_id: uuid.UUID,
        source_id: uuid.UUID,
        field_name: str,
        value: str,
        *,
        quote: str | None = None,
        quote_start: int | None = None,
        credibility: int | None = None,
        question: str | None = None,
        role: str | None = None,
        repeats_source_id: uuid.UUID | None = None,
        note: str | None = None,
        claim_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """What a source says about an incident (as ``ClaimService.add``)."""
        question, role = _clean(question), _clean(role)
        typed = self._case.claims._validate(field_name, value, question, role, credibility)
        incident_title = self._title(Incident, incident_id)
        source_title = self._title(Source, source_id)
        if repeats_source_id is not None:
            if repeats_source_id == source_id:
                raise BadInputError("A claim cannot repeat its own source.")
            self._title(Source, repeats_source_id)
        start, end = _quote_span(self._text(source_id), source_title, quote, quote_start)
        self.attach(incident_id, source_id)
        row: dict[str, Any] = {
            "id": claim_id or self._ids(),
            "incident_id": incident_id,
            "source_id": source_id,
            "field": field_name,
            "question": question,
            "role": role,
            "value": v.to_json(typed),
            "value_text": typed.text(),
            "quote": _clean(quote),
            "quote_start": start,
            "quote_end": end,
            "credibility": credibility,
            "repeats_source_id": repeats_source_id,
            "note": _clean(note),
            "created_by": self.analyst,
        }
        self._pending.claims.append(row)
        self._pending.touched.add(incident_id)
        self._record(
            action="create",
            entity_type="claim",
            entity_id=row["id"],
            summary=f"Claim: {source_title} says {v.FIELD_LABELS[field_name].lower()} "
            f"{typed.text()} about '{incident_title}'",
            after=_claim_snapshot(Claim(**row)),
        )
        self._count(claims=1)
        self._maybe_flush()
        return uuid.UUID(str(row["id"]))

    def note(
        self,
        body: str,
        incident_id: uuid.UUID | None = None,
        source_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """A note on an incident, a source or the case (as ``NoteService.add``)."""
        if incident_id and source_id:
            raise BadInputError("A note belongs to an incident or a source, not both.")
        target = "incident" if incident_id else "source" if source_id else "case"
        if incident_id:
            self._title(Incident, incident_id)
        if source_id:
            self._title(Source, source_id)
        note_id = self._ids()
        self._pending.notes.append(
            {
                "id": note_id,
                "target": target,
                "incident_id": incident_id,
                "source_id": source_id,
                "body": body,
                "author": self.analyst,
            }
        )
        self._record(
            action="create",
            entity_type="note",
            entity_id=note_id,
            summary=f"Note added on the {target}",
            after={"body": body, "incident": _s(incident_id), "source": _s(source_id)},
        )
        self._count(notes=1)
        self._maybe_flush()
        return note_id

    # -- writing -------------------------------------------------------------

    def flush(self) -> None:
        """Write everything queued in one transaction."""
        pending, self._pending = self._pending, _Pending()
        if not pending.history and not pending.touched:
            return
        with self._case.write() as session:
            self._insert(session, pending)
            history.append_rows(session, pending.history)
            if pending.touched:
                recount_conflicts(self._case, session, sorted(pending.touched, key=str))
        self._count(history=len(pending.history), transactions=1)

    @staticmethod
    def _insert(session: Session, pending: _Pending) -> None:
        # Parents before children: foreign keys are checked row by row.
        batches: list[tuple[Any, list[dict[str, Any]]]] = [
            (Place, pending.places),
            (PlaceAlias, pending.place_aliases),
            (Actor, pending.actors),
            (ActorAlias, pending.actor_aliases),
            (Outlet, pending.outlets),
            (Tag, pending.tags),
            (Incident, pending.incidents),
            (incident_tag, pending.incident_tags),
            (IncidentActor, pending.incident_actors),
            (Blob, pending.blobs),
            (Source, pending.sources),
            (Acquisition, pending.acquisitions),
            (IncidentSource, pending.attachments),
            (Claim, pending.claims),
            (Note, pending.notes),
        ]
        for target, rows in batches:
            if rows:
                session.execute(insert(target), rows)
        if pending.outlet_grades:
            table = cast(Table, Outlet.__table__)
            session.execute(
                table.update()
                .where(table.c.id == bindparam("b_id"))
                .values(
                    reliability=bindparam("b_grade"),
                    reliability_reason=bindparam("b_reason"),
                    revision=table.c.revision + 1,
                ),
                pending.outlet_grades,
            )

    def _maybe_flush(self) -> None:
        pending = self._pending
        if pending.rows() >= self._batch_rows or pending.bytes >= self._batch_bytes:
            self.flush()

    def _record(
        self,
        *,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | None,
        summary: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self._pending.history.append(
            {
                "at": utcnow().replace(microsecond=0),
                "actor": self.analyst,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "summary": summary,
                "before": before,
                "after": after,
            }
        )

    def _count(self, **more: int) -> None:
        now = self._counts
        self._counts = BulkCounts(
            **{
                name: getattr(now, name) + more.get(name, 0)
                for name in BulkCounts.__dataclass_fields__
            }
        )

    # -- name lookups --------------------------------------------------------

    def _lookup_place(self, name: str) -> uuid.UUID | None:
        norm = normalize_name(name)
        if norm not in self._places:
            with self._case.read() as session:
                found = session.scalar(
                    select(PlaceAlias.place_id).where(PlaceAlias.norm == norm).limit(1)
                )
            if found is None:
                return None
            self._places[norm] = found
        return self._places[norm]

    def _new_place(self, name: str) -> uuid.UUID:
        """A place known by one spelling, as ``place_named`` makes it (no history)."""
        place_id = self._ids()
        norm = normalize_name(name)
        self._pending.places.append({"id": place_id, "name": name.strip()})
        self._pending.place_aliases.append(
            {"id": self._ids(), "place_id": place_id, "alias": name.strip(), "norm": norm}
        )
        self._places[norm] = place_id
        self._place_names[place_id] = name.strip()
        return place_id

    def _lookup_actor(self, name: str) -> uuid.UUID | None:
        norm = normalize_name(name)
        if norm not in self._actors:
            with self._case.read() as session:
                found = session.scalar(
                    select(ActorAlias.actor_id).where(ActorAlias.norm == norm).limit(1)
                )
            if found is None:
                return None
            self._actors[norm] = found
        return self._actors[norm]

    def _new_actor(self, name: str) -> uuid.UUID:
        actor_id = self._ids()
        norm = normalize_name(name)
        self._pending.actors.append({"id": actor_id, "name": name.strip()})
        self._pending.actor_aliases.append(
            {"id": self._ids(), "actor_id": actor_id, "alias": name.strip(), "norm": norm}
        )
        self._actors[norm] = actor_id
        return actor_id

    def _actor_named(self, name: str) -> uuid.UUID:
        return self._lookup_actor(name) or self._new_actor(name)

    def _outlet_named(self, name: str) -> uuid.UUID:
        if name not in self._outlets:
            with self._case.read() as session:
                found = session.scalar(select(Outlet.id).where(Outlet.name == name))
            if found is None:
                found = self._ids()
                self._pending.outlets.append({"id": found, "name": name})
            self._outlets[name] = found
        return self._outlets[name]

    def _tag_named(self, name: str) -> uuid.UUID:
        if name not in self._tags:
            with self._case.read() as session:
                found = session.scalar(select(Tag.id).where(Tag.name == name))
            if found is None:
                found = self._ids()
                self._pending.tags.append({"id": found, "name": name})
            self._tags[name] = found
        return self._tags[name]

    def _source_of_blob(self, sha256: str) -> uuid.UUID | None:
        if sha256 not in self._blobs:
            with self._case.read() as session:
                found = session.scalar(select(Source.id).where(Source.blob_sha256 == sha256))
            if found is None:
                return None
            self._blobs[sha256] = found
        return self._blobs[sha256]

    def _title(self, model: type[Incident] | type[Source], record_id: uuid.UUID) -> str:
        """The title of an incident or source, refusing an id the case does not have."""
        if record_id not in self._titles:
            with self._case.read() as session:
                found = session.scalar(select(model.title).where(model.id == record_id))
            if found is None:
                what = "incident" if model is Incident else "source"
                raise NotFoundError(f"There is no {what} {record_id} in this case.")
            self._titles[record_id] = found
        return self._titles[record_id]

    def _text(self, source_id: uuid.UUID) -> str | None:
        if source_id in self._pending.texts:
            return self._pending.texts[source_id]
        with self._case.read() as session:
            return session.scalar(select(Source.text).where(Source.id == source_id))

    def _attached_in_case(self, incident_id: uuid.UUID, source_id: uuid.UUID) -> bool:
        if incident_id in self._created or source_id in self._created:
            # One of them is new from this writer: all its attachments are in _attached.
            return False
        with self._case.read() as session:
            found = session.get(IncidentSource, (incident_id, source_id))
        return found is not None


def _s(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _source_row(source: Source) -> dict[str, Any]:
    """The column values ``_new_source`` set on a transient Source."""
    state = source.__dict__
    return {
        column.key: state[column.key]
        for column in Source.__mapper__.column_attrs
        if column.key in state
    }


def _quote_span(
    text: str | None, title: str, quote: str | None, start: int | None
) -> tuple[int | None, int | None]:
    """Where the quote stands in the source's text (as the claims service places it)."""
    quote = _clean(quote)
    if quote is None or not text:
        return None, None
    if start is not None and text[start : start + len(quote)] == quote:
        return start, start + len(quote)
    found = text.find(quote)
    if found < 0:
        raise BadInputError(f"The quote is not in the text of '{title}': {quote[:80]!r}.")
    return found, found + len(quote)


def recount_conflicts(
    case: Case, session: Session, incident_ids: Sequence[uuid.UUID], *, store: bool = True
) -> int:
    """Set ``open_conflicts`` of the given incidents from their claims; the total open.

    Incidents with resolutions go through the claims service's own re-evaluation;
    the others (no resolution, so every finding is open) are evaluated in chunks with
    the engine on the service's facts and name resolver. With ``store`` False nothing
    is written (a read session will do): the count of open conflicts is only returned.
    """
    resolved: set[uuid.UUID] = set()
    for chunk in batches(incident_ids, _IN_CHUNK):
        resolved.update(
            session.scalars(
                select(ConflictResolution.incident_id)
                .where(ConflictResolution.incident_id.in_(chunk))
                .distinct()
            )
        )
    total = 0
    for incident_id in resolved:
        open_now = sum(c.is_open for c in case.claims._conflicts_of(session, incident_id))
        if store:
            session.execute(update(Incident), [{"id": incident_id, "open_conflicts": open_now}])
        total += open_now
    plain = [i for i in incident_ids if i not in resolved]
    for chunk in batches(plain, _IN_CHUNK):
        claims = session.scalars(select(Claim).where(Claim.incident_id.in_(chunk))).all()
        facts = _facts(session, claims)
        resolve = _resolver(session, claims)
        by_incident: dict[uuid.UUID, list[ClaimFact]] = {i: [] for i in chunk}
        for fact in facts:
            by_incident[fact.incident_id].append(fact)
        counts = {iid: len(find_conflicts(group, resolve)) for iid, group in by_incident.items()}
        total += sum(counts.values())
        if store:
            session.execute(
                update(Incident), [{"id": iid, "open_conflicts": n} for iid, n in counts.items()]
            )
        # Claims loaded here are not needed again; keep the session small.
        session.expunge_all()
    return total
