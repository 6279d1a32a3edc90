"""Checkpoints of a case's write-ahead log, on a thread of their own.

A commit is durable once its pages are in the WAL (``synchronous=FULL`` syncs it).
Copying them into the case file, the checkpoint, is left by default to the commit that
grows the WAL past 1,000 pages, which then waits for it: after an import of a gigabyte
of originals, seconds spent writing every byte a second time. The writer turns that off
(``wal_autocheckpoint = 0``) and each commit wakes this thread instead, which runs a
PASSIVE checkpoint on its own connection while the desk goes on: SQLite lets one run
beside readers and the writer, and a kill in the middle of one loses nothing.

Long work that commits batch after batch (an import of a thousand photos) defers them:
copying every page a second time while it runs takes a core from it (a second of a
thirteen-second import on two cores), so the checkpoint runs when it ends, or sooner
once the log has grown by ``DEFERRED_MAX`` (the disk holds the pages twice meanwhile).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFERRED_MAX = 4 << 30


class Checkpointer:
    """Checkpoints one case file after commits, until closed."""

    def __init__(self, path: Path, busy_timeout_s: float) -> None:
        self._path = path
        self._timeout = busy_timeout_s
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._deferring = 0  # nested ``deferred`` blocks under way
        self._due = False  # a commit came while deferring
        self._deferred_from = 0  # the log's size when deferring began or last gave way
        self.error: sqlite3.Error | None = None  # the last failure, for diagnosis

    def committed(self) -> None:
        """A transaction committed: checkpoint soon (several commits share one)."""
        with self._lock:
            if self._stopping:
                return
            if self._deferring:
                size = self._wal_size()
                if size - self._deferred_from < DEFERRED_MAX:
                    self._due = True
                    return
                self._deferred_from = size
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"checkpoint {self._path.name}", daemon=True
                )
                self._thread.start()
        self._wake.set()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Commits inside wake no checkpoint (see the module); one runs at the end."""
        with self._lock:
            if not self._deferring:
                self._deferred_from = self._wal_size()
            self._deferring += 1
        try:
            yield
        finally:
            with self._lock:
                self._deferring -= 1
                due = self._due and not self._deferring
                if due:
                    self._due = False
            if due:
                self.committed()

    def _wal_size(self) -> int:
        try:
            return self._path.with_name(self._path.name + "-wal").stat().st_size
        except OSError:
            return 0

    def close(self) -> None:
        """Finish the checkpoint under way, if any, and stop the thread."""
        with self._lock:
            self._stopping = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None)
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopping:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:
                    # A checkpoint that cannot run now (a full disk) runs at a later
                    # commit, or when the last connection closes; the data is safe.
                    self.error = exc
        finally:
            conn.close()
