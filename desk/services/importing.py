"""Importing many files: extraction in worker processes, writes a batch at a time.

This process reads each file and hashes it (the hash is taken before any parser sees
the bytes) and looks the hash up in the case; the files new to the case go to a pool
of worker processes, one per core, which extract their text and metadata. The results
come back in the order given and are written a batch of files per transaction, on a
writer thread so that reading goes on while a commit waits for the disk: each file
still gets its blob, source, acquisition, history entry, search entry and attachment,
and a kill at any moment leaves whole batches or nothing of a batch. The views returned
are built from what was written, not read back one source at a time.

Workers are forked from a fork server (``warm_up`` starts it ahead of the first import),
or started with "spawn" where there is none: the GUI process runs Qt threads and must
never be forked itself. A worker that dies (a parser crashing, memory running out) is
replaced, and the files it may have been reading are tried again one at a time in a
worker of their own, so the one that kills it is named and the others are imported.

Each file gets a time limit in the workers (``TimeLimit``, counted from when its worker
says it began the file, so including a parser's loading on first use). A file past it
has the pool's workers killed, which the pool takes as a worker dying: that file is
reported and not imported, the other files in flight are tried again alone. Imports
too small for workers (``POOL_MIN_SECONDS``, or one core) are extracted in this
process, where a hanging parser cannot be stopped: a thread cannot be killed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from itertools import count
from multiprocessing.queues import SimpleQueue
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from db import blobs
from db.base import utcnow
from db.batches import batches, insert_rows
from db.models import Acquisition, Blob, IncidentSource, Outlet, Source
from desk import history
from desk.bulk import _source_row
from desk.errors import CaseError, DeskError, IngestError
from desk.ingest.model import Extracted
from desk.ingest.worker import Extraction, extract_bytes, extract_files, ready, start_worker
from desk.services.incidents import attach_in
from desk.services.sources import (
    AcquisitionView,
    Cancelled,
    ImportOutcome,
    Progress,
    SourceView,
    _new_source,
    acquisition_view,
    expand_paths,
    is_large,
    read_file,
    source_view,
)

if TYPE_CHECKING:
    from desk.case import Case

# Starting the workers takes about half a second of each core: worth it only for an
# import that would keep this process reading for longer than about twice that. The
# estimate: a parsed page per file, plus decoding (photos, PDFs) per megabyte.
POOL_MIN_SECONDS = 1.2
SECONDS_PER_FILE = 0.003
SECONDS_PER_MB = 0.015
# A transaction per this many files or bytes: few commits (each one an fsync), and a
# kill loses at most one batch of work, never part of a file.
BATCH_FILES = 100
BATCH_BYTES = 32 << 20
# A batch is also at most this fraction of the import, so a smaller import too is
# committed (and kept on cancel or kill) in several steps.
BATCH_SHARE = 8
# Files read and handed to the workers ahead of the one being written, per worker: enough
# to keep the workers busy while this process writes, few enough to bound memory.
AHEAD_PER_WORKER = 16
AHEAD_BYTES = 128 << 20
# How often to read the workers' word of the files they begin, while waiting for a task.
BEGUN_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class TimeLimit:
    """How long a worker may take to read a file before it is stopped."""

    seconds: float
    seconds_per_mb: float

    def of(self, size: int) -> float:
        return self.seconds + self.seconds_per_mb * size / 2**20


# Generous, so that a real file is not refused: trafilatura takes about 10 s over a
# 2.5 MB article, and a new worker's first file also pays for loading the parsers.
READ_LIMIT = TimeLimit(seconds=60.0, seconds_per_mb=4.0)


def worker_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# What the fork server loads once, so that each worker forked from it starts with the
# readers loaded instead of spending a third of a second of CPU loading them.
READERS = [
    "desk.ingest.worker",
    "desk.ingest.html",
    "desk.ingest.pdf",
    "desk.ingest.image",
    "desk.ingest.text",
]


def _context() -> Any:
    # A fork server is a clean single-threaded process started like "spawn", so forking
    # it is safe where forking this (Qt) process is not; spawn where there is none.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(READERS)
    return context


def warm_up() -> None:
    """Start the fork server and wait until it has loaded the readers, so that the
    first import's workers start at once. Blocks for about half a second: the desk
    calls it on a thread of its own once a case is showing."""
    context = _context()
    if context.get_start_method() != "forkserver":
        return
    try:
        process = context.Process(target=ready, name="extraction-warm-up")
        process.start()
        process.join()
    except (OSError, RuntimeError):
        return  # only a head start: the import starts the server itself, or says why not


class _Workers:
    """A pool of worker processes, and the queue on which they say which file they begin
    (one queue per pool: a worker killed while writing to it leaves it locked)."""

    def __init__(self, workers: int) -> None:
        context = _context()
        self.begun: SimpleQueue[tuple[int, int]] = context.SimpleQueue()
        self.executor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=start_worker, initargs=(self.begun,)
        )

    def kill(self) -> None:
        """Kill the workers: the pool then fails its tasks as if a worker had crashed."""
        # Python 3.11 has no public way to stop a pool's workers (3.14 adds
        # ``terminate_workers``). Joined here so none is left when the import ends.
        for process in list((self.executor._processes or {}).values()):
            process.kill()
            process.join()

    def shutdown(self, *, wait: bool, cancel: bool = False) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=cancel)


@dataclass(eq=False)
class _Task:
    """Files handed to a worker together, and how long it may take to read each."""

    workers: _Workers
    future: Future[list[Extraction]]
    number: int
    limits: list[float]
    late: int | None = None  # the place of the file that ran out of time, if one did


@dataclass
class Pending:
    """One file on its way: read and hashed, then extracted, then written."""

    path: Path
    filename: str
    original_path: str | None = None
    data: bytes = b""
    sha256: str = ""
    in_case: bool = False  # the case already holds these bytes: nothing to extract
    large: bool = False  # stored in chunks by ``SourceService.import_large_file``
    task: _Task | None = None
    slot: int = 0  # this file's place in the results of its task
    extraction: Extraction | None = None
    error: str | None = None


@dataclass
class _Stored:
    """A source of the case as the batch leaves it, for the views it returns."""

    source: Source
    outlet: Outlet | None
    size: int | None
    acquisitions: list[AcquisitionView]
    incident_ids: list[uuid.UUID] = field(default_factory=list)


def _worth_workers(files: list[Path]) -> bool:
    megabytes = sum(_size(path) for path in files) / 2**20
    estimate = len(files) * SECONDS_PER_FILE + megabytes * SECONDS_PER_MB
    return estimate >= POOL_MIN_SECONDS


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when the file is read


def _read(path: Path) -> Pending:
    pending = Pending(path=path, filename=path.name)
    if is_large(path):
        pending.large = True  # read in pieces by the writer, never whole
        return pending
    try:
        pending.data = read_file(path)
        pending.original_path = str(path.resolve())
    except IngestError as exc:
        pending.error = str(exc)
        return pending
    # The hash is taken before any parser sees the bytes (chain of custody).
    pending.sha256 = hashlib.sha256(pending.data).hexdigest()
    return pending


class _Inline:
    """Extraction in this process, for imports too small to pay for starting workers."""

    def submit(self, pendings: list[Pending]) -> None:
        """Nothing to start: each file is extracted when its result is asked for."""

    def result(self, pending: Pending) -> Extraction:
        return extract_bytes(pending.data, pending.filename)

    def close(self, *, wait: bool) -> None:
        """Nothing to stop."""


class _Pool:
    """Extraction in worker processes; a dead worker costs the file that killed it only,
    and a file that takes too long costs itself only."""

    def __init__(self, workers: int, limit: TimeLimit) -> None:
        self._workers = workers
        self._limit = limit
        self._pool: _Workers | None = None
        self._suspects: _Workers | None = None
        self._numbers = count()
        # Task number: the place of the file its worker last said it began, and when.
        self._begun: dict[int, tuple[int, float]] = {}

    def submit(self, pendings: list[Pending]) -> None:
        """Share the files among the workers, a run of files per worker: one task
        each, so this process spends little on handing work out."""
        if not pendings:
            return
        share = -(-len(pendings) // self._workers)
        for start in range(0, len(pendings), share):
            self._submit(pendings[start : start + share])

    def _submit(self, chunk: list[Pending]) -> None:
        for _attempt in range(2):
            if self._pool is None:
                self._pool = _Workers(self._workers)
            try:
                task = self._task(self._pool, chunk)
            except BrokenProcessPool:  # a worker died since the last files: start afresh
                self._pool.shutdown(wait=False)
                self._pool = None
                continue
            for slot, pending in enumerate(chunk):
                pending.task, pending.slot = task, slot
            return

    def _task(self, workers: _Workers, chunk: list[Pending]) -> _Task:
        jobs = [(str(p.path), p.filename, p.sha256) for p in chunk]
        number = next(self._numbers)
        future = workers.executor.submit(extract_files, jobs, number)
        return _Task(workers, future, number, [self._limit.of(len(p.data)) for p in chunk])

    def result(self, pending: Pending) -> Extraction:
        task = pending.task
        if task is None:
            return self._alone(pending)
        try:
            return self._wait(task)[pending.slot]
        except (BrokenProcessPool, TimeoutError):
            if task.late == pending.slot:
                return _too_slow(task.limits[pending.slot])
            # Any other file in flight may have killed the worker: try each alone to
            # tell. (A new pool is started for the next files.)
            return self._alone(pending)

    def _alone(self, pending: Pending) -> Extraction:
        if self._suspects is None:
            self._suspects = _Workers(1)
        try:
            return self._wait(self._task(self._suspects, [pending]))[0]
        except TimeoutError:
            return _too_slow(self._limit.of(len(pending.data)))
        except BrokenProcessPool:
            self._suspects.shutdown(wait=False)
            self._suspects = None
            return Extraction(
                reason="reading it made the reader process crash (the file is malformed "
                "or too large to read)"
            )

    def _wait(self, task: _Task) -> list[Extraction]:
        """The task's results. A file of it past its time limit has the workers of its
        pool killed, is named in ``task.late`` and raises TimeoutError; a pool whose
        worker died raises BrokenProcessPool."""
        while not task.future.done():
            self._read_begun(task.workers)
            slot, began = self._begun.get(task.number, (None, 0.0))
            if slot is not None and time.monotonic() >= began + task.limits[slot]:
                task.late = slot
                self._stop(task.workers)
                raise TimeoutError
            futures.wait([task.future], timeout=BEGUN_POLL_SECONDS)
        self._read_begun(task.workers)  # its last words, sent before its results
        self._begun.pop(task.number, None)
        return task.future.result()

    def _read_begun(self, workers: _Workers) -> None:
        # Timed as read, at most a poll after they were sent: a limit is never short.
        while not workers.begun.empty():
            number, slot = workers.begun.get()
            self._begun[number] = (slot, time.monotonic())

    def _stop(self, workers: _Workers) -> None:
        workers.kill()
        workers.shutdown(wait=False)
        if workers is self._pool:
            self._pool = None
        if workers is self._suspects:
            self._suspects = None

    def close(self, *, wait: bool) -> None:
        for workers in (self._pool, self._suspects):
            if workers is not None:
                workers.shutdown(wait=wait, cancel=True)


def _too_slow(seconds: float) -> Extraction:
    return Extraction(
        reason=f"it took longer than {round(seconds, 2):g} seconds to read and was not imported"
    )


class FileImport:
    """One ``SourceService.import_files`` call.

    ``in_workers``: extract in worker processes (True) or in this one (False); by
    default in workers when there are several cores and the import is worth them.
    ``limit``: how long a worker may read a file.
    """

    def __init__(
        self,
        case: Case,
        incident_id: uuid.UUID | None,
        progress: Progress | None,
        cancelled: Cancelled | None,
        *,
        in_workers: bool | None = None,
        limit: TimeLimit = READ_LIMIT,
    ) -> None:
        self._case = case
        self._incident_id = incident_id
        self._progress = progress
        self._cancelled = cancelled
        self._in_workers = in_workers
        self._limit = limit

    def run(self, paths: Sequence[Path]) -> list[ImportOutcome]:
        files = expand_paths(paths)
        workers = worker_count()
        in_workers = self._in_workers
        if in_workers is None:
            in_workers = workers > 1 and _worth_workers(files)
        extractor = _Pool(workers, self._limit) if in_workers else _Inline()
        writer = _Writer(self._write)
        finished = False
        with self._case.checkpoints_deferred():
            try:
                for batch in self._batches(files, extractor, workers * AHEAD_PER_WORKER):
                    if not writer.put(batch):
                        break
                else:
                    finished = True
            except _Cancelled as cancel:
                # What was reported done is kept, then the import stops.
                writer.put(cancel.batch)
            finally:
                # Stopped early: do not wait for the files the workers are still reading.
                extractor.close(wait=finished)
                outcomes = writer.close()
        if self._progress is not None:
            self._progress(len(outcomes), len(files), "")
        return outcomes

    def _batches(
        self, files: list[Path], extractor: _Inline | _Pool, ahead_files: int
    ) -> Iterator[list[Pending]]:
        """The files with what was extracted from them, a batch at a time, in order."""
        ahead: deque[Pending] = deque()
        upcoming = iter(files)
        batch: list[Pending] = []
        batch_bytes = 0
        batch_files = max(1, min(BATCH_FILES, len(files) // BATCH_SHARE))
        for number in range(len(files)):
            self._read_ahead(ahead, upcoming, extractor, ahead_files)
            pending = ahead.popleft()
            if self._cancelled is not None and self._cancelled():
                raise _Cancelled(batch)
            if self._progress is not None:
                self._progress(number, len(files), pending.filename)
            if pending.large:
                # A transaction of its own, in its place in the order.
                yield from (b for b in (batch, [pending]) if b)
                batch, batch_bytes = [], 0
                continue
            if pending.error is None and not pending.in_case:
                pending.extraction = extractor.result(pending)
            batch.append(pending)
            batch_bytes += len(pending.data)
            if len(batch) >= batch_files or batch_bytes >= BATCH_BYTES:
                yield batch
                batch, batch_bytes = [], 0
        if batch:
            yield batch

    def _read_ahead(
        self,
        ahead: deque[Pending],
        upcoming: Iterator[Path],
        extractor: _Inline | _Pool,
        ahead_files: int,
    ) -> None:
        """Read and hash files until enough are in flight; hand the new ones to workers.

        Topped up once half are used, so the case is asked about several hashes at once.
        """
        if len(ahead) > ahead_files // 2:
            return
        read: list[Pending] = []
        held = sum(len(p.data) for p in ahead)
        while len(ahead) + len(read) < ahead_files:
            if (ahead or read) and held >= AHEAD_BYTES:
                break
            path = next(upcoming, None)
            if path is None:
                break
            pending = _read(path)
            held += len(pending.data)
            read.append(pending)
        if not read:
            return
        in_case = self._in_case({p.sha256 for p in read if p.sha256})
        for pending in read:
            pending.in_case = pending.sha256 in in_case
        extractor.submit([p for p in read if p.sha256 and not p.in_case])
        ahead.extend(read)

    def _in_case(self, hashes: set[str]) -> set[str]:
        if not hashes:
            return set()
        with self._case.read() as session:
            return set(
                session.scalars(select(Source.blob_sha256).where(Source.blob_sha256.in_(hashes)))
            )

    def _write(self, batch: list[Pending], outcomes: list[ImportOutcome]) -> bool:
        """Write a batch in one transaction and add its files' outcomes, in order.

        False when the case cannot take any file (read-only, disk full): then one
        report, not one per remaining file, and the import stops.
        """
        if not batch:
            return True
        try:
            if batch[0].large:
                source, created = self._case.sources.import_large_file(
                    batch[0].path, self._incident_id
                )
                outcomes.append(ImportOutcome(path=batch[0].path, source=source, created=created))
                return True
            with self._case.write() as session:
                outcomes.extend(write_batch(session, self._case.analyst, self._incident_id, batch))
        except CaseError as exc:
            if len(batch) > 1:
                # The batch did not fit (a nearly full disk): keep the files that do.
                return all(self._write([pending], outcomes) for pending in batch)
            outcomes.append(ImportOutcome(path=batch[0].path, error=str(exc)))
            return False
        except DeskError as exc:  # e.g. the incident was deleted meanwhile
            outcomes.extend(ImportOutcome(path=p.path, error=str(exc)) for p in batch)
        return True


class _Writer:
    """Writes batches on a thread of its own, in order, so that while a commit waits
    for the disk this thread goes on reading files and feeding the workers."""

    def __init__(self, write: Callable[[list[Pending], list[ImportOutcome]], bool]) -> None:
        self._write = write
        self._outcomes: list[ImportOutcome] = []
        # One batch waiting at most: memory stays bounded when the disk is slow.
        self._queue: queue.Queue[list[Pending] | None] = queue.Queue(maxsize=1)
        self._stop = threading.Event()  # the case refused a batch, or writing failed
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._stop.is_set():
                continue
            try:
                if not self._write(batch, self._outcomes):
                    self._stop.set()
            except BaseException as exc:  # handed to the importing thread by close()
                self._failure = exc
                self._stop.set()

    def put(self, batch: list[Pending]) -> bool:
        """Queue a batch; False once nothing more will be written."""
        if self._stop.is_set():
            return False
        self._queue.put(batch)
        return True

    def close(self) -> list[ImportOutcome]:
        """Wait for the queued batches; the outcomes of all files written or refused."""
        self._queue.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        return self._outcomes


class _Cancelled(Exception):
    """The analyst stopped the import; ``batch`` holds the files already reported."""

    def __init__(self, batch: list[Pending]) -> None:
        super().__init__("cancelled")
        self.batch = batch


def _stored_sources(session: Session, hashes: set[str]) -> dict[str, _Stored]:
    """The case's sources of these bytes, with what their views need, in a few queries."""
    stored: dict[str, _Stored] = {}
    for chunk in batches(sorted(hashes)):
        sources = session.scalars(
            select(Source)
            .where(Source.blob_sha256.in_(chunk))
            .options(selectinload(Source.outlet), selectinload(Source.acquisitions))
        ).all()
        sizes = {
            sha256: size
            for sha256, size in session.execute(
                select(Blob.sha256, Blob.size).where(Blob.sha256.in_(chunk))
            )
        }
        links = session.execute(
            select(IncidentSource.source_id, IncidentSource.incident_id).where(
                IncidentSource.source_id.in_([s.id for s in sources])
            )
        )
        incidents: dict[uuid.UUID, list[uuid.UUID]] = {}
        for source_id, incident_id in links:
            incidents.setdefault(source_id, []).append(incident_id)
        for source in sources:
            assert source.blob_sha256 is not None  # found by it
            stored[source.blob_sha256] = _Stored(
                source=source,
                outlet=source.outlet,
                size=sizes.get(source.blob_sha256),
                acquisitions=[acquisition_view(a) for a in source.acquisitions],
                incident_ids=incidents.get(source.id, []),
            )
    return stored


def _outlets(session: Session, names: set[str]) -> dict[str, Outlet]:
    """The outlets of these names, the new ones created in one statement (as
    ``outlet_named`` creates them: a name, no grade, no history entry)."""
    found = {o.name: o for o in session.scalars(select(Outlet).where(Outlet.name.in_(names)))}
    new = [Outlet(id=uuid.uuid4(), name=name) for name in sorted(names - found.keys())]
    if new:
        session.execute(insert(Outlet), [{"id": o.id, "name": o.name} for o in new])
    return found | {o.name: o for o in new}


class _Rows:
    """The rows a batch inserts, table by table, in one statement per table."""

    def __init__(self) -> None:
        self.blobs: list[dict[str, Any]] = []
        self.large: list[Pending] = []  # stored in chunks, one at a time
        self.sources: list[dict[str, Any]] = []
        self.acquisitions: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []
        self.media_types: dict[str, str] = {}  # of the large ones

    def insert(self, session: Session) -> None:
        # Parents before children: foreign keys are checked row by row.
        insert_rows(session, Blob, self.blobs)
        for pending in self.large:
            media_type = self.media_types[pending.sha256]
            blobs.write_blob(session, pending.sha256, len(pending.data), media_type, [pending.data])
        insert_rows(session, Source, self.sources)
        insert_rows(session, Acquisition, self.acquisitions)
        history.append_rows(session, self.history)


def _new(pending: Pending, found: Extracted, outlet: Outlet | None, rows: _Rows) -> _Stored:
    """Rows for a new source of the pending file's bytes, and the source as written."""
    source = _new_source(found, pending.sha256, pending.filename)
    source.id = uuid.uuid4()
    source.outlet_id = outlet.id if outlet else None
    source.graphic = False
    size = len(pending.data)
    if size > blobs.SINGLE_VALUE_MAX:
        rows.large.append(pending)
        rows.media_types[pending.sha256] = found.media_type
    else:
        rows.blobs.append(
            {
                "sha256": pending.sha256,
                "size": size,
                "media_type": found.media_type,
                "chunked": False,
                "data": pending.data,
            }
        )
    rows.sources.append(_source_row(source))
    return _Stored(source=source, outlet=outlet, size=size, acquisitions=[])


def _acquire(rows: _Rows, analyst: str, pending: Pending, known: _Stored, created: bool) -> None:
    """Rows for the file's acquisition and its history entry."""
    acquisition = AcquisitionView(
        acquired_at=utcnow(),
        acquired_by=analyst,
        original_filename=pending.filename,
        original_path=pending.original_path,
        method="file",
    )
    known.acquisitions.append(acquisition)
    source_id = known.source.id
    rows.acquisitions.append({"id": uuid.uuid4(), "source_id": source_id, **asdict(acquisition)})
    title = known.source.title
    rows.history.append(
        {
            # Microseconds are dropped, as history.record does, so the hash round-trips.
            "at": acquisition.acquired_at.replace(microsecond=0),
            "actor": analyst,
            "action": "import" if created else "reacquire",
            "entity_type": "source",
            "entity_id": source_id,
            "summary": (
                f"Source imported from {pending.filename}: {title}"
                if created
                else f"Same bytes imported again from {pending.filename}: {title}"
            ),
            "before": None,
            "after": {
                "file": pending.filename,
                "sha256": pending.sha256,
                "path": pending.original_path,
            },
        }
    )


def write_batch(
    session: Session, analyst: str, incident_id: uuid.UUID | None, batch: list[Pending]
) -> list[ImportOutcome]:
    """Write the batch's files inside an open write transaction, a statement per table.

    Bytes already in the case, or earlier in the batch, make a re-acquisition of that
    source; a file that cannot be imported is reported and not written.
    """
    stored = _stored_sources(session, {p.sha256 for p in batch if p.error is None})
    extractions = {
        id(p): _extraction(p) for p in batch if p.error is None and p.sha256 not in stored
    }
    outlets = _outlets(
        session, {e.found.outlet for e in extractions.values() if e.found and e.found.outlet}
    )
    rows = _Rows()
    written: list[tuple[Pending, _Stored, bool, tuple[AcquisitionView, ...]]] = []
    errors: dict[int, str] = {}
    for number, pending in enumerate(batch):
        if pending.error is not None:
            errors[number] = pending.error
            continue
        known = stored.get(pending.sha256)
        created = known is None
        if known is None:
            extraction = extractions[id(pending)]
            found = extraction.found
            if found is None:
                errors[number] = str(extraction.error(pending.filename))
                continue
            outlet = outlets.get(found.outlet) if found.outlet else None
            known = stored[pending.sha256] = _new(pending, found, outlet, rows)
        _acquire(rows, analyst, pending, known, created)
        written.append((pending, known, created, tuple(known.acquisitions)))
    rows.insert(session)
    if incident_id is not None:
        _attach(session, analyst, incident_id, [known for _p, known, _c, _a in written])
    views = iter(
        ImportOutcome(path=pending.path, source=_view(known, acquisitions), created=created)
        for pending, known, created, acquisitions in written
    )
    return [
        ImportOutcome(path=pending.path, error=errors[number]) if number in errors else next(views)
        for number, pending in enumerate(batch)
    ]


def _extraction(pending: Pending) -> Extraction:
    # Bytes that were in the case when read, and are not now, are extracted here.
    return pending.extraction or extract_bytes(pending.data, pending.filename)


def _attach(session: Session, analyst: str, incident_id: uuid.UUID, sources: list[_Stored]) -> None:
    """Attach the batch's sources to the incident, each once (one history entry each)."""
    unique = {id(known): known for known in sources if incident_id not in known.incident_ids}
    if not unique:
        return
    attach_in(session, analyst, incident_id, [known.source.id for known in unique.values()])
    for known in unique.values():
        known.incident_ids.append(incident_id)


def _view(known: _Stored, acquisitions: tuple[AcquisitionView, ...]) -> SourceView:
    return source_view(known.source, known.outlet, known.size, acquisitions, known.incident_ids)
