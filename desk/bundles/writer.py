"""Writing bundles: the whole case or a selection of incidents with all they need.

One read transaction gives a consistent snapshot; records, history and originals are
streamed into the zip one at a time (originals in chunks straight from the database),
so memory stays bounded however large the case. The file is written under a
temporary name in the target folder and renamed only when complete: a cancel or a
failure leaves no file behind. Afterwards the case remembers what it sent
(``sync_base``) so that the colleague's changes can be merged against it later.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import tempfile
import threading
import uuid
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, undefer

from db import blobs
from db.batches import IN_LIST, batches
from db.models import (
    ActorAlias,
    CaseInfo,
    Claim,
    ConflictResolution,
    ForeignHistory,
    HistoryEntry,
    Incident,
    IncidentActor,
    IncidentSource,
    Note,
    PlaceAlias,
    Source,
    SyncBase,
)
from desk import __version__, history
from desk.bundles import records, schema, signing
from desk.bundles.digest import GATHER, WAITING, BackgroundChecks, HashingWriter
from desk.bundles.reader import CHUNK, BundleCancelled
from desk.errors import BadInputError, DeskError, NotFoundError

if TYPE_CHECKING:
    from desk.case import Case

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

# Media whose bytes are compressed already: stored, not deflated again.
_COMPRESSED = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "video/",
    "audio/",
)
_COMPRESSED_EXACT = {"application/zip", "application/gzip", "application/x-7z-compressed"}
# Base forms of what a bundle sends kept in memory up to this size, on disk beyond.
_SPOOL_IN_MEMORY = 16 << 20


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    sha256: str
    size: int
    counts: dict[str, int]
    blobs: int
    history_entries: int
    signed_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "size": self.size,
            "counts": self.counts,
            "blobs": self.blobs,
            "history_entries": self.history_entries,
            "signed_by": self.signed_by,
        }


class _Lines:
    """Lines written into a zip member on a worker thread, counted and hashed there.

    Deflating, checksumming and writing (zlib and hashlib release the GIL) take the
    other core while this thread turns the next records into lines; lines are handed
    over a megabyte at a time through a short queue (bounded memory)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0
        self._pending = bytearray()
        self._queue: queue.Queue[bytes | None] = queue.Queue(WAITING)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-member", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (piece := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drained, so that the caller never blocks on a full queue
            try:
                self._stream.write(piece)
                self.digest.update(piece)
                self.size += len(piece)
            except BaseException as exc:  # raised on the caller's thread, at its next line
                self._error = exc

    def write(self, line: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._pending += line
        if len(self._pending) >= GATHER:
            self._queue.put(bytes(self._pending))
            self._pending.clear()

    def finish(self) -> None:
        """Write what is left and wait until all is written."""
        if self._pending:
            self._queue.put(bytes(self._pending))
            self._pending.clear()
        self.stop()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Stop the worker once it has written what it was given (also on a failure)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


@contextmanager
def _lines(stream: IO[bytes]) -> Iterator[_Lines]:
    lines = _Lines(stream)
    try:
        yield lines
        lines.finish()
    finally:
        lines.stop()


def _ids_where(session: Session, column: Any, key: Any, values: Collection[Any]) -> set[Any]:
    """``column`` of the rows whose ``key`` is among ``values`` (in bounded IN lists)."""
    found: set[Any] = set()
    for batch in batches(sorted(values)):
        found.update(v for v in session.scalars(select(column).where(key.in_(batch))) if v)
    return found


@dataclass
class _Selection:
    ids: dict[str, set[uuid.UUID]]
    whole_case: bool

    def all_ids(self) -> set[uuid.UUID]:
        return set().union(*self.ids.values())


def _select(session: Session, incident_ids: Collection[uuid.UUID] | None) -> _Selection:
    """The records a bundle must hold: everything, or the incidents and what they need."""
    if incident_ids is None:
        ids = {kind.name: set(session.scalars(select(kind.model.id))) for kind in records.TYPES}
        return _Selection(ids, whole_case=True)
    incidents = set(incident_ids)
    if not incidents:
        raise BadInputError("Choose at least one incident to put in the bundle.")
    known = _ids_where(session, Incident.id, Incident.id, incidents)
    if missing := incidents - known:
        raise NotFoundError(f"There is no incident {sorted(missing)[0]} in this case.")
    claims = _ids_where(session, Claim.id, Claim.incident_id, incidents)
    sources = _ids_where(session, IncidentSource.source_id, IncidentSource.incident_id, incidents)
    sources |= _ids_where(session, Claim.source_id, Claim.id, claims)
    sources |= _ids_where(session, Claim.repeats_source_id, Claim.id, claims)
    notes = _ids_where(session, Note.id, Note.incident_id, incidents)
    notes |= _ids_where(session, Note.id, Note.source_id, sources)
    # Names in claims are matched by spelling: the places and actors they name come
    # too, so that the colleague's desk finds the same agreements and conflicts.
    norms = _ids_where(session, Claim.value["norm"].as_string(), Claim.id, claims)
    places = _ids_where(session, Incident.place_id, Incident.id, incidents)
    places |= _ids_where(session, PlaceAlias.place_id, PlaceAlias.norm, norms)
    actors = _ids_where(session, IncidentActor.actor_id, IncidentActor.incident_id, incidents)
    actors |= _ids_where(session, ActorAlias.actor_id, ActorAlias.norm, norms)
    ids = {
        "outlet": _ids_where(session, Source.outlet_id, Source.id, sources),
        "place": places,
        "actor": actors,
        "source": sources,
        "incident": incidents,
        "claim": claims,
        "conflict_resolution": _ids_where(
            session, ConflictResolution.id, ConflictResolution.incident_id, incidents
        ),
        "note": notes,
    }
    return _Selection(ids, whole_case=False)


def _record_lines(
    session: Session, selection: _Selection, step: Callable[[str], None]
) -> Iterator[tuple[records.RecordType, Any, dict[str, Any], dict[str, Any] | None]]:
    """(type, row, data, base) for every record, in the bundle's order."""
    incidents = {str(i) for i in selection.ids["incident"]}
    for kind in records.TYPES:
        for chunk in batches(sorted(selection.ids[kind.name])):
            query = select(kind.model).where(kind.model.id.in_(chunk)).order_by(kind.model.id)
            if kind is records.SOURCE:
                query = query.options(undefer(Source.text), undefer(Source.thumbnail))
            found = session.execute(
                select(SyncBase.record_id, SyncBase.snapshot).where(
                    SyncBase.record_type == kind.name, SyncBase.record_id.in_(chunk)
                )
            )
            bases = {record_id: snapshot for record_id, snapshot in found}
            rows = list(session.scalars(query))
            for row, data in zip(rows, records.snapshots(session, kind, rows), strict=True):
                step(kind.name)
                if kind is records.INCIDENT:
                    data["links"] = [link for link in data["links"] if link["to"] in incidents]
                yield kind, row, data, bases.get(row.id)


def _history_lines(session: Session, wanted: set[uuid.UUID]) -> Iterator[dict[str, Any]]:
    """The case's own entries about the records, then those it received from others.

    The entries are found by their indexed record id and then read in their order, a
    batch at a time: a selection's history is a small part of a large case's, which
    is not read whole."""
    ids = sorted(wanted)
    own: set[int] = set()
    for chunk in batches(ids):
        own.update(
            session.scalars(select(HistoryEntry.seq).where(HistoryEntry.entity_id.in_(chunk)))
        )
    for seqs in batches(sorted(own)):
        query = select(HistoryEntry).where(HistoryEntry.seq.in_(seqs)).order_by(HistoryEntry.seq)
        for entry in session.scalars(query):
            yield {
                "seq": entry.seq,
                "at": entry.at.isoformat(),
                "actor": entry.actor,
                "action": entry.action,
                "entity_type": entry.entity_type,
                "entity_id": str(entry.entity_id),
                "summary": entry.summary,
                "before": entry.before,
                "after": entry.after,
                "prev_hash": entry.prev_hash,
                "hash": entry.entry_hash,
            }
    received: list[tuple[Any, int, str]] = []
    for chunk in batches(ids):
        keys = select(
            ForeignHistory.import_id, ForeignHistory.seq, ForeignHistory.entry_hash
        ).where(ForeignHistory.record_id.in_(chunk))
        received.extend(
            (import_id, seq, digest) for import_id, seq, digest in session.execute(keys)
        )
    received.sort()
    for digests in batches([digest for _, _, digest in received]):
        found = {
            item.entry_hash: item
            for item in session.scalars(
                select(ForeignHistory).where(ForeignHistory.entry_hash.in_(digests))
            )
        }
        for digest in digests:
            item = found[digest]
            yield {
                "seq": item.seq,
                "at": item.at,
                "actor": item.actor,
                "action": item.action,
                "entity_type": item.entity_type,
                "entity_id": str(item.entity_id) if item.entity_id else None,
                "summary": item.summary,
                "before": item.before,
                "after": item.after,
                "prev_hash": item.prev_hash,
                "hash": item.entry_hash,
            }


def _compression(media_type: str) -> int:
    if media_type in _COMPRESSED_EXACT or media_type.startswith(_COMPRESSED):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def _member(name: str, compression: int, size: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, datetime.now(UTC).timetuple()[:6])
    info.compress_type = compression
    info.external_attr = 0o644 << 16  # a plain file, whatever reads it
    if size is not None:
        info.file_size = size
    return info


def _line(value: dict[str, Any] | list[Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _copy_blob(
    session: Session, zf: zipfile.ZipFile, sha256: str, media_type: str, checks: BackgroundChecks
) -> int:
    """Stream one original (whole or chunked) from the database into the zip; ``checks``
    compares its hash with its name beside the writing."""
    size = blobs.blob_size(session, sha256)
    if size is None:
        raise DeskError(f"The original {sha256[:12]}… is missing from the case; run verify.")
    # The one pass over the original: read, checked against its name, and written.
    info = _member(schema.BLOB_PREFIX + sha256, _compression(media_type), size)
    checks.begin(sha256, size)
    try:
        with zf.open(info, "w") as out:
            for chunk in blobs.iter_blob(session, sha256, CHUNK):
                checks.update(chunk)
                out.write(chunk)
    except (blobs.BlobError, DBAPIError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise DeskError(
            f"The original {sha256[:12]}… cannot be read ({reason}); run verify."
        ) from exc
    checks.end()
    return size


def export_bundle(
    case: Case,
    target: Path | str,
    incident_ids: Iterable[uuid.UUID] | None = None,
    sign_with: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BundleSummary:
    """Write the whole case (``incident_ids`` None) or the incidents named, with all
    they need, to ``target``; ``sign_with`` is the id of one of the analyst's keys."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BadInputError(f"{target}: the folder {target.parent} does not exist.")
    if target.resolve() == case.path.resolve():
        raise BadInputError(f"{target}: that is the case itself; choose another name.")
    key = signing.signing_key(sign_with) if sign_with is not None else None
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise DeskError(f"{target}: cannot write in {target.parent} ({exc.strerror}).") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as fh, _spool(target.parent) as sent:
            # The bundle's own SHA-256 is taken as it is written, not by reading it back.
            out = HashingWriter(fh)
            try:
                counts, blobs, entries = _write_zip(
                    case,
                    out,
                    sent,
                    None if incident_ids is None else set(incident_ids),
                    key,
                    progress,
                    cancelled,
                )
                sha256, size = out.digest.hexdigest(), out.digest.size
            finally:
                out.close()
            fh.flush()
            os.fsync(fh.fileno())
            sent.seek(0)
            _remember_sent(case, sent, temp, target, sha256, counts, key)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise DeskError(
            f"{target}: the bundle could not be written ({exc.strerror or exc}); "
            "no file was left behind."
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BundleSummary(target, sha256, size, counts, blobs, entries, key.key_id if key else None)


def _spool(folder: Path) -> tempfile.SpooledTemporaryFile[bytes]:
    """A scratch file beside the bundle (not in a shared temporary folder: it holds
    the case's words), removed when closed; small ones stay in memory."""
    return tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY, "w+b", dir=str(folder))


def _write_zip(
    case: Case,
    fh: HashingWriter,
    sent: IO[bytes],
    incident_ids: set[uuid.UUID] | None,
    key: signing.KeyInfo | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> tuple[dict[str, int], int, int]:
    members: list[dict[str, Any]] = []
    counts = dict.fromkeys(records.BY_NAME, 0)
    blobs: list[tuple[str, str]] = []
    with case.read() as session, zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
        info = session.scalar(select(CaseInfo))
        assert info is not None
        head = session.scalar(
            select(HistoryEntry.entry_hash).order_by(HistoryEntry.seq.desc()).limit(1)
        )
        selection = _select(session, incident_ids)
        total = sum(len(v) for v in selection.ids.values())
        done = 0

        def step(label: str) -> None:
            nonlocal done
            if cancelled is not None and cancelled():
                raise BundleCancelled("The export was cancelled; no bundle was written.")
            if progress is not None:
                progress(done, total, label)
            done += 1

        records_member = _member(schema.RECORDS, zipfile.ZIP_DEFLATED)
        with zf.open(records_member, "w", force_zip64=True) as out, _lines(out) as counted:
            for kind, row, data, base in _record_lines(session, selection, step):
                counts[kind.name] += 1
                if kind is records.SOURCE and row.blob_sha256:
                    blobs.append((row.blob_sha256, row.media_type))
                line = {
                    "type": kind.name,
                    "id": str(row.id),
                    "revision": row.revision,
                    "base": base,
                    "data": data,
                }
                # What this desk writes, it (and a colleague's) must be able to read.
                if problem := schema.first_problem("record", line):
                    raise DeskError(
                        f"The {kind.describe(data)} cannot be put in a bundle: {problem}."
                    )
                counted.write(_line(line))
                sent.write(
                    _line([kind.name, line["id"], row.revision, records.base_form(kind, data)])
                )
        members.append(_entry(schema.RECORDS, counted))

        entries = 0
        history_member = _member(schema.HISTORY, zipfile.ZIP_DEFLATED)
        with zf.open(history_member, "w", force_zip64=True) as out, _lines(out) as counted:
            for entry in _history_lines(session, selection.all_ids()):
                entries += 1
                counted.write(_line(entry))
        members.append(_entry(schema.HISTORY, counted))

        total += len(blobs)
        checks = BackgroundChecks()
        try:
            for sha256, media_type in sorted(set(blobs)):
                step(f"original {sha256[:12]}")
                size = _copy_blob(session, zf, sha256, media_type, checks)
                members.append(
                    {"name": schema.BLOB_PREFIX + sha256, "size": size, "sha256": sha256}
                )
            if altered := checks.altered():
                raise DeskError(
                    f"The original {altered[0][:12]}… was altered in this case; run verify."
                )
        finally:
            checks.close()

        manifest = {
            "format": schema.FORMAT_NAME,
            "format_version": schema.FORMAT_VERSION,
            "app_version": __version__,
            "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "created_by": case.analyst,
            "case": {"id": str(info.id), "title": info.title},
            "scope": "case" if selection.whole_case else "incidents",
            "history_head": head,
            "counts": counts,
            "members": members,
        }
        raw = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
        zf.writestr(_member(schema.MANIFEST, zipfile.ZIP_DEFLATED), raw)
        if key is not None:
            zf.writestr(
                _member(schema.SIGNATURE, zipfile.ZIP_DEFLATED), signing.sign(raw, key.key_id)
            )
    if progress is not None:
        progress(total, total, "")
    return counts, len(set(blobs)), entries


def _entry(name: str, counted: _Lines) -> dict[str, Any]:
    return {"name": name, "size": counted.size, "sha256": counted.digest.hexdigest()}


def _remember_sent(
    case: Case,
    sent: IO[bytes],
    written: Path,
    target: Path,
    sha256: str,
    counts: dict[str, int],
    key: signing.KeyInfo | None,
) -> None:
    """Keep what was sent as each record's base, then move the file into place.

    The bases come from ``sent``, the base forms of the lines as they were written (a
    record's columns, large ones as digests), so they are exactly what the colleague
    receives without reading the bundle's records back. The rename happens inside the
    transaction: if it fails, the case does not remember a bundle that does not exist,
    and if the commit fails after it, the bundle is taken away again.
    """
    try:
        with case.write() as session:
            bases = records.Bases(session)
            for kind, batch in _sent(sent):
                bases.keep(kind.name, batch, sha256)
            described = ", ".join(f"{n} {t}" for t, n in counts.items() if n)
            history.record(
                session,
                actor=case.analyst,
                action="export",
                entity_type="bundle",
                entity_id=None,
                summary=f"Bundle {sha256[:12]} written to {target.name}: {described or 'nothing'}"
                + (f"; signed with key {key.key_id}" if key else "; unsigned"),
                after={
                    "sha256": sha256,
                    "file": target.name,
                    "counts": counts,
                    "signed_by": key.key_id if key else None,
                },
            )
            os.replace(written, target)
    except BaseException:
        if not written.exists():  # moved into place, then the commit failed
            target.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _sent(
    lines: IO[bytes],
) -> Iterator[tuple[records.RecordType, list[tuple[uuid.UUID, int, dict[str, Any]]]]]:
    """The base forms written beside the records, a batch of one type at a time."""
    kind = records.TYPES[0]
    batch: list[tuple[uuid.UUID, int, dict[str, Any]]] = []
    for raw in lines:
        name, record_id, revision, form = json.loads(raw)
        if batch and (name != kind.name or len(batch) == IN_LIST):
            yield kind, batch
            batch = []
        kind = records.BY_NAME[name]
        batch.append((uuid.UUID(record_id), revision, form))
    if batch:
        yield kind, batch


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
