"""Work a case does beside its caller: WAL checkpoints, and reads ahead of the user."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from db import blobs, checkpoints
from db.checkpoints import Checkpointer
from db.engine import writer_engine
from desk.case import Case

MEGABYTES = 8  # well over SQLite's default autocheckpoint of 1,000 pages


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_large_commit_returns_with_its_pages_in_the_wal_and_the_checkpointer_moves_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plain.sqlite"
    engine = writer_engine(path, checkpoints_apart=True)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (data BLOB)"))
        before = path.stat().st_size
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:d)"), {"d": os.urandom(MEGABYTES << 20)})
        # Committed (durable in the WAL) and not yet copied into the file.
        assert path.stat().st_size == before
        assert _wal(path).stat().st_size > MEGABYTES << 20

        checkpointer = Checkpointer(path, busy_timeout_s=5)
        checkpointer.committed()
        assert _wait_for(lambda: path.stat().st_size > MEGABYTES << 20)
        checkpointer.close()
        assert checkpointer.error is None
        assert not any(t.name.startswith("checkpoint ") for t in threading.enumerate())
    finally:
        engine.dispose()


@pytest.mark.parametrize("log_limit", [None, (MEGABYTES + MEGABYTES // 2) << 20])
def test_long_work_defers_checkpoints_to_its_end_or_until_the_log_grew_too_much(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_limit: int | None
) -> None:
    if log_limit is not None:
        monkeypatch.setattr(checkpoints, "DEFERRED_MAX", log_limit)
    path = tmp_path / "plain.sqlite"
    engine = writer_engine(path, checkpoints_apart=True)
    checkpointer = Checkpointer(path, busy_timeout_s=5)

    def commit_megabytes() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:d)"), {"d": os.urandom(MEGABYTES << 20)})
        checkpointer.committed()

    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (data BLOB)"))
        before = path.stat().st_size
        with checkpointer.deferred():
            commit_megabytes()
            time.sleep(0.5)
            assert path.stat().st_size == before  # still in the log only
            commit_megabytes()  # the log has now grown past any limit set here
            if log_limit is not None:
                assert _wait_for(lambda: path.stat().st_size > 2 * MEGABYTES << 20)
            else:
                time.sleep(0.5)
                assert path.stat().st_size == before
        assert _wait_for(lambda: path.stat().st_size > 2 * MEGABYTES << 20)
        checkpointer.close()
        assert checkpointer.error is None
    finally:
        checkpointer.close()
        engine.dispose()


def test_a_case_keeps_its_originals_through_background_checkpoints_and_a_reopen(
    case_path: Path,
) -> None:
    data = os.urandom(MEGABYTES << 20)
    sha256 = hashlib.sha256(data).hexdigest()
    case = Case.create(case_path, "Checkpoints")
    with case.write() as session:
        blobs.write_blob(session, sha256, len(data), "application/octet-stream", [data])
    assert _wait_for(lambda: case_path.stat().st_size > len(data))
    case.close()
    assert not _wal(case_path).exists()  # the last connection folded the rest in

    with Case.open(case_path) as again, again.read() as session:
        assert blobs.read_blob(session, sha256) == data


def test_reads_ahead_run_beside_the_caller_and_closing_the_case_waits_for_them(
    case_path: Path,
) -> None:
    case = Case.create(case_path, "Reading ahead")
    seen: list[str] = []
    started = threading.Event()

    def slow_read() -> str:
        started.set()
        time.sleep(0.2)
        with case.read() as session:
            seen.append(threading.current_thread().name)
            return str(session.scalar(text("SELECT title FROM case_info")))

    def failing_read() -> None:
        with case.read() as session:
            session.execute(text("SELECT * FROM no_such_table"))

    failed = case.read_ahead(failing_read)
    slow = case.read_ahead(slow_read)
    assert failed is not None
    assert slow is not None
    assert seen == []  # the caller did not wait
    assert started.wait(5)  # after the failed one
    assert failed.result() is None  # a failure is the next request's concern, not this one's
    case.close()
    assert len(seen) == 1
    assert seen[0].startswith("read-ahead")
    assert slow.result() == "Reading ahead"
    assert not _wal(case_path).exists()  # no connection was left open on the file

    started.clear()
    assert case.read_ahead(slow_read) is None  # closed: nothing runs, nothing is raised
    assert not started.wait(0.3)
