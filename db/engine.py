"""Engines and sessions for one case file.

SQLite is used as an application file format, with settings chosen for safety:
WAL, foreign keys on, a busy timeout and ``synchronous=FULL`` so a commit survives
power loss. SQLAlchemy's pysqlite transaction handling is legacy, so the driver is
put in autocommit mode and we emit BEGIN ourselves (SQLAlchemy's documented recipe);
the writer emits ``BEGIN IMMEDIATE`` so a write never fails half-way with "database
is locked" after reading.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import Pool, QueuePool, StaticPool

BUSY_TIMEOUT_MS = 15_000
PAGE_SIZE = 16_384


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # A new file only (an existing one keeps its size): originals fill most of a case,
    # and SQLite stores and reads large values faster in 16 KiB pages than in 4 KiB.
    cursor.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _make_engine(path: Path, begin: str, pool: type[Pool]) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=pool,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _set_pragmas)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _no_autocheckpoint(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint = 0")


def writer_engine(path: Path, checkpoints_apart: bool = False) -> Engine:
    """The case's single writing connection (callers serialise use with a lock).

    ``checkpoints_apart``: its commits leave the checkpoint to a ``Checkpointer``."""
    engine = _make_engine(path, "BEGIN IMMEDIATE", StaticPool)
    if checkpoints_apart:
        event.listen(engine, "connect", _no_autocheckpoint)
    return engine


def reader_engine(path: Path) -> Engine:
    """Connections for reads, one per thread at a time, taken from a small pool."""
    return _make_engine(path, "BEGIN", QueuePool)
