"""Case: create or open one case file and hand out units of work.

One writer connection per case, used by one thread at a time (a lock), because
SQLite allows one writer and concurrent writers corrupt WAL files in the SQLite
this machine ships; readers get their own connections.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db import schema
from db.checkpoints import Checkpointer
from db.engine import BUSY_TIMEOUT_MS, reader_engine, writer_engine
from db.models import CaseInfo
from desk import __version__, backups, history
from desk.errors import CaseError, ReadOnlyCaseError

if TYPE_CHECKING:
    from desk.services.claims import ClaimService
    from desk.services.gazetteer import GazetteerService
    from desk.services.incidents import IncidentService
    from desk.services.notes import NoteService
    from desk.services.outlets import OutletService
    from desk.services.search import SearchService
    from desk.services.sources import SourceService

T = TypeVar("T")

SQLITE_HEADER = b"SQLite format 3\x00"
CASE_SUFFIX = ".evcase"


def default_analyst() -> str:
    return os.environ.get("EVIDENCE_DESK_ANALYST") or getpass.getuser()


class Case:
    """An open case file: the facade the CLI and the GUI both use."""

    def __init__(self, path: Path, analyst: str) -> None:
        self.path = path
        self.analyst = analyst
        self._writer: Engine = writer_engine(path, checkpoints_apart=True)
        self._checkpointer = Checkpointer(path, BUSY_TIMEOUT_MS / 1000)
        # Reads run ahead of the user (the list's next page): closing waits for them.
        self._ahead = ThreadPoolExecutor(1, thread_name_prefix="read-ahead")
        self._reader: Engine = reader_engine(path)
        self._write_lock = threading.Lock()
        self._writes = 0
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)

    # -- opening -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, title: str, analyst: str | None = None) -> Case:
        path = Path(path)
        if path.exists():
            raise CaseError(f"{path}: a file of that name already exists; choose another name.")
        if not path.parent.is_dir():
            raise CaseError(f"{path}: the folder {path.parent} does not exist.")
        case = cls(path, analyst or default_analyst())
        try:
            with case.write() as session:
                schema.upgrade(session.connection())
                info = CaseInfo(title=title, created_by=case.analyst, app_version=__version__)
                session.add(info)
                session.flush()
                history.record(
                    session,
                    actor=case.analyst,
                    action="create",
                    entity_type="case",
                    entity_id=info.id,
                    summary=f"Case created: {title}",
                    after={"title": title},
                )
        except BaseException:
            case.close()
            for leftover in (path, *_sidecars(path)):
                leftover.unlink(missing_ok=True)
            raise
        return case

    @classmethod
    def open(cls, path: Path | str, analyst: str | None = None) -> Case:
        path = Path(path)
        revision = _inspect(path)
        if revision != schema.HEAD_REVISION:
            _backup_then_upgrade(path)
        case = cls(path, analyst or default_analyst())
        try:
            case.info()
        except DatabaseError as exc:
            case.close()
            raise CaseError(f"{path}: the case file is damaged ({exc.orig}).") from exc
        return case

    def close(self) -> None:
        self._ahead.shutdown(wait=True, cancel_futures=True)
        self._checkpointer.close()
        self._writer.dispose()
        self._reader.dispose()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- units of work -------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE): commits on success, rolls back on error.

        A read-only case file or a full disk becomes a CaseError naming the file, raised
        after the rollback, so the case is as it was before the transaction.
        """
        try:
            with self._write_lock:
                with self._write_sessions() as session, session.begin():
                    yield session
                self._writes += 1
        except OperationalError as exc:
            error = _storage_error(self.path, exc)
            if error is None:
                raise
            raise error from exc
        self._checkpointer.committed()

    def checkpoints_deferred(self) -> AbstractContextManager[None]:
        """For long work that commits batch after batch: see ``db.checkpoints``."""
        return self._checkpointer.deferred()

    @property
    def writes(self) -> int:
        """How many write transactions this Case has committed: a result read when the
        count was lower may be out of date."""
        return self._writes

    def read_ahead(self, read: Callable[[], T]) -> Future[T | None] | None:
        """Start ``read`` on a thread of the case's own, for what the user will ask for
        next (the list's next page): taking its result then costs nothing, and waiting
        for it less than reading anew. The future gives None when the read failed (the
        next request's concern); there is no future once the case is closed."""

        def quietly() -> T | None:
            with suppress(CaseError, SQLAlchemyError):
                return read()
            return None

        try:
            return self._ahead.submit(quietly)
        except RuntimeError:  # closed
            return None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    def info(self) -> CaseInfo:
        with self.read() as session:
            info: CaseInfo | None = session.scalar(select(CaseInfo))
        if info is None:
            raise CaseError(f"{self.path}: the case file has no case record.")
        return info

    # -- services ------------------------------------------------------------

    @cached_property
    def incidents(self) -> IncidentService:
        from desk.services.incidents import IncidentService

        return IncidentService(self)

    @cached_property
    def sources(self) -> SourceService:
        from desk.services.sources import SourceService

        return SourceService(self)

    @cached_property
    def notes(self) -> NoteService:
        from desk.services.notes import NoteService

        return NoteService(self)

    @cached_property
    def gazetteer(self) -> GazetteerService:
        from desk.services.gazetteer import GazetteerService

        return GazetteerService(self)

    @cached_property
    def outlets(self) -> OutletService:
        from desk.services.outlets import OutletService

        return OutletService(self)

    @cached_property
    def claims(self) -> ClaimService:
        from desk.services.claims import ClaimService

        return ClaimService(self)

    @cached_property
    def search(self) -> SearchService:
        from desk.services.search import SearchService

        return SearchService(self)


def _storage_error(path: Path, exc: OperationalError) -> CaseError | None:
    """The plain sentence for a case that cannot take a write (None for other errors)."""
    code = getattr(exc.orig, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyCaseError(
            f"{path}: the case file is read-only, so nothing was saved in it; copy it to a "
            "folder you can write to, or change its permissions."
        )
    if code == sqlite3.SQLITE_FULL:
        return CaseError(
            f"{path}: the disk is full, so this change was not saved and the case is as it "
            "was before it; free some space and try again."
        )
    if code == sqlite3.SQLITE_IOERR:
        return CaseError(
            f"{path}: the disk refused a write ({exc.orig}), so this change was not saved "
            "and the case is as it was before it; check the disk and try again."
        )
    return None


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _inspect(path: Path) -> str:
    """Check that ``path`` is a case this version can open; return its schema revision.

    Reads through a read-only connection so a refused file is left untouched.
    """
    if not path.is_file():
        raise CaseError(f"{path}: no such case file.")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CaseError(f"{path}: the case file cannot be read ({exc.strerror}).") from exc
    if header != SQLITE_HEADER:
        raise CaseError(f"{path}: this is not an Evidence Desk case file.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "case_info" not in tables:
                raise CaseError(f"{path}: this database is not an Evidence Desk case file.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:
            # Even reading needs the WAL's files beside the case.
            raise ReadOnlyCaseError(
                f"{path}: the case is in a folder that cannot be written, and it keeps its "
                "journal beside the file; copy it to a folder you can write to."
            ) from exc
        raise CaseError(f"{path}: the case file is damaged ({exc}).") from exc
    revision = str(row[0]) if row else ""
    if revision != schema.HEAD_REVISION and revision not in schema.known_revisions():
        raise CaseError(
            f"{path}: this case was written by a newer version of Evidence Desk "
            f"(schema {revision or 'unknown'}); this version ({__version__}) reads schemas "
            f"up to {schema.head_revision()}. Update Evidence Desk to open it."
        )
    return revision


def _backup_then_upgrade(path: Path) -> None:
    backups.snapshot(path, "before-upgrade")
    engine = writer_engine(path)
    try:
        with engine.begin() as connection:
            schema.upgrade(connection)
    finally:
        engine.dispose()


def save_copy(case: Case, target: Path) -> None:
    """Write a consistent snapshot of an open case to ``target`` (temp + rename).

    VACUUM INTO reads one snapshot and cannot run inside a transaction, so it gets
    a connection of its own.
    """
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(case.path, isolation_level=None)
    try:
        conn.execute("VACUUM INTO ?", (str(partial),))
    finally:
        conn.close()
    with partial.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


def write_copy(case: Case, target: Path) -> None:
    """A snapshot of an open case to a file the user chose; every expected failure a
    CaseError.

    Like ``save_copy``, but through a read-only connection, which never checkpoints
    the WAL, so it may run on a worker thread while the case's one writer writes
    (SAFETY.md: one writer). It must not replace the open case or its WAL files:
    renaming over a database with open connections damages it.
    """
    if target.resolve() in {case.path.resolve(), *(p.resolve() for p in _sidecars(case.path))}:
        raise CaseError(f"{target}: that is the open case itself; choose another name.")
    if not target.parent.is_dir():
        raise CaseError(f"{target}: the folder {target.parent} does not exist.")
    partial = target.with_name(target.name + ".part")
    try:
        partial.unlink(missing_ok=True)
        uri = case.path.resolve().as_uri() + "?mode=ro"  # as_uri escapes "?" and "#"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            conn.execute("VACUUM INTO ?", (str(partial),))
        finally:
            conn.close()
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise CaseError(f"{target}: the copy could not be written ({exc}).") from exc
