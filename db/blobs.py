"""Originals' bytes: written and read in pieces, whole values or chunks.

SQLite refuses values over 1,000,000,000 bytes (``SQLITE_MAX_LENGTH``, which also
bounds the whole row). An original up to ``SINGLE_VALUE_MAX`` bytes is one value in
``blob.data``; a larger one is marked ``chunked`` and its bytes are rows of
``blob_chunk`` (``CHUNK_BYTES`` each, the last one shorter). Originals are read in
pieces with incremental blob I/O (``sqlite3.Connection.blobopen``). One up to
``GATHERED_MAX`` bytes is written as one value; a larger one is streamed into room
made with ``zeroblob``, so no large original is ever held whole in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import cast

from sqlalchemy import func, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import Blob

# Room for the row's other columns under SQLite's 1,000,000,000-byte row limit.
SINGLE_VALUE_MAX = 999_000_000
CHUNK_BYTES = 64 << 20
# Room made with zeroblob is written twice (zeros, then the bytes): an original this
# small (every photo, almost every PDF) is gathered and written once instead.
GATHERED_MAX = 32 << 20


class BlobError(Exception):
    """An original cannot be read or stored as asked."""


class BlobMissingError(BlobError, LookupError):
    """No original with that SHA-256 is in the case."""


class BlobDamagedError(BlobError):
    """The original's row is there but its bytes are not all there (a chunk is missing)."""


class BlobMismatchError(BlobError, ValueError):
    """The pieces given to ``write_blob`` do not add up to the size given."""


def _raw(session: Session) -> sqlite3.Connection:
    """The session's own sqlite3 connection, inside the session's transaction."""
    return cast(sqlite3.Connection, session.connection().connection.driver_connection)


@contextmanager
def _as_statement_errors(what: str) -> Iterator[None]:
    """Blob I/O fails like any statement (a full disk, a read-only file), for the callers."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DBAPIError.instance(what, None, exc, sqlite3.Error) from exc


# Straight to SQLite, once per original read or stored: an ORM query costs several
# times the look-up. Originals are only written by write_blob, never left pending in a
# session, so there is nothing to flush first.


def has_blob(session: Session, sha256: str) -> bool:
    return blob_size(session, sha256) is not None


def blob_size(session: Session, sha256: str) -> int | None:
    row = _raw(session).execute("SELECT size FROM blob WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else int(row[0])


def write_blob(
    session: Session, sha256: str, size: int, media_type: str, pieces: Iterable[bytes]
) -> None:
    """Store ``size`` bytes, given as consecutive pieces, under ``sha256`` unless there.

    The caller vouches for the hash (it hashed the bytes, or hashes them as they pass:
    hashing here too would cost every bundle import a second pass). Pieces that do not
    add up to ``size`` raise ``BlobMismatchError``; the caller's transaction must then
    be rolled back (it holds the partial rows).
    """
    if has_blob(session, sha256):
        return
    if size <= GATHERED_MAX:
        _insert_whole(session, sha256, media_type, _gathered(pieces, size))
        return
    chunked = size > SINGLE_VALUE_MAX
    session.execute(
        insert(Blob).values(
            sha256=sha256,
            size=size,
            media_type=media_type,
            chunked=chunked,
            data=None if chunked else func.zeroblob(size),
        )
    )
    raw = _raw(session)
    with _as_statement_errors(f"writing original {sha256}"):
        if chunked:
            targets = _chunk_rows(raw, sha256, size)
        else:
            rowid = raw.execute("SELECT rowid FROM blob WHERE sha256 = ?", (sha256,)).fetchone()[0]
            targets = iter([("blob", rowid, size)])
        written = _write_pieces(raw, targets, pieces)
    if written != size:
        raise BlobMismatchError("the pieces hold fewer bytes than the size")


def _insert_whole(session: Session, sha256: str, media_type: str, data: bytes) -> None:
    """One original's row, straight to SQLite: a bundle stores thousands, and an ORM or
    Core insert costs as much as writing half a megabyte."""
    # The time as the model's own column type writes it.
    stamp = Blob.__table__.c.created_at.type.bind_processor(session.get_bind().dialect)
    assert stamp is not None  # UTCDateTime always converts
    with _as_statement_errors(f"writing original {sha256}"):
        _raw(session).execute(
            "INSERT INTO blob (sha256, size, media_type, created_at, chunked, data)"
            " VALUES (?, ?, ?, ?, 0, ?)",
            (sha256, len(data), media_type, stamp(utcnow()), data),
        )


def _gathered(pieces: Iterable[bytes], size: int) -> bytes:
    """The pieces as one value, once they are known to add up to ``size``."""
    gathered: list[bytes] = []
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > size:
            raise BlobMismatchError("the pieces hold more bytes than the size")
        gathered.append(piece)
    if total != size:
        raise BlobMismatchError("the pieces hold fewer bytes than the size")
    return b"".join(gathered)


def _chunk_rows(raw: sqlite3.Connection, sha256: str, size: int) -> Iterator[tuple[str, int, int]]:
    """Make room for each chunk as the writing reaches it: (table, rowid, length)."""
    for seq, start in enumerate(range(0, size, CHUNK_BYTES)):
        length = min(CHUNK_BYTES, size - start)
        cursor = raw.execute(
            "INSERT INTO blob_chunk (sha256, seq, data) VALUES (?, ?, zeroblob(?))",
            (sha256, seq, length),
        )
        assert cursor.lastrowid is not None
        yield "blob_chunk", cursor.lastrowid, length


def _write_pieces(
    raw: sqlite3.Connection, targets: Iterator[tuple[str, int, int]], pieces: Iterable[bytes]
) -> int:
    """Fill each target value (table, rowid, length) in turn; the bytes written."""
    handle: sqlite3.Blob | None = None
    room = 0
    written = 0
    try:
        for piece in pieces:
            view = memoryview(piece)
            while view:
                if room == 0:
                    if handle is not None:
                        handle.close()
                        handle = None
                    handle, room = _open_next(raw, targets)
                assert handle is not None
                part = view[:room]
                handle.write(part)
                room -= len(part)
                written += len(part)
                view = view[len(part) :]
    finally:
        if handle is not None:
            handle.close()
    return written


def _open_next(
    raw: sqlite3.Connection, targets: Iterator[tuple[str, int, int]]
) -> tuple[sqlite3.Blob, int]:
    for table, rowid, length in targets:
        if length:
            return raw.blobopen(table, "data", rowid), length
    raise BlobMismatchError("the pieces hold more bytes than the size")


def iter_blob(session: Session, sha256: str, piece: int = 1 << 20) -> Iterator[bytes]:
    """The original's bytes in pieces of at most ``piece`` bytes, whole or chunked.

    Raises ``BlobMissingError`` if there is no such original and ``BlobDamagedError``
    (before any bytes) if its bytes are gone or a chunk is missing or short. The
    caller hashes what it reads when it must know the bytes are unaltered.
    """
    raw = _raw(session)
    with _as_statement_errors(f"reading original {sha256}"):
        row = raw.execute(
            "SELECT rowid, size, chunked FROM blob WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise BlobMissingError(f"no original {sha256} in the case")
        rowid, size, chunked = row
        targets = _stored_chunks(raw, sha256, size) if chunked else [("blob", rowid)]
        for table, target_rowid in targets:
            with _open_stored(raw, table, target_rowid) as handle:
                while data := handle.read(piece):
                    yield data


def _open_stored(raw: sqlite3.Connection, table: str, rowid: int) -> sqlite3.Blob:
    try:
        return raw.blobopen(table, "data", rowid, readonly=True)
    except sqlite3.OperationalError as exc:
        # NULL where the bytes should be: set so by hand, or a chunked flag cleared.
        raise BlobDamagedError("its bytes are gone") from exc


def _stored_chunks(raw: sqlite3.Connection, sha256: str, size: int) -> list[tuple[str, int]]:
    """The chunks' rowids in order, once they are known to add up to the original."""
    rows = raw.execute(
        "SELECT seq, rowid, length(data) FROM blob_chunk WHERE sha256 = ? ORDER BY seq",
        (sha256,),
    ).fetchall()
    total = 0
    for expected, (seq, _rowid, length) in enumerate(rows):
        if seq != expected:
            raise BlobDamagedError(f"chunk {expected + 1} of its bytes is missing")
        total += length or 0
    if total != size:
        raise BlobDamagedError(
            f"its chunks hold {total:,} of its {size:,} bytes (a chunk is missing or short)"
        )
    return [("blob_chunk", rowid) for _seq, rowid, _length in rows]


def read_blob(session: Session, sha256: str) -> bytes:
    """The original's bytes whole: for originals small enough to hold in memory."""
    return b"".join(iter_blob(session, sha256))
