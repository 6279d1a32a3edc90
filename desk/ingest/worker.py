"""Extraction as a worker process runs it: it never raises, so one file stops no other.

Only ``desk.ingest`` is imported here, so a worker process starts without the database
layer. What crosses between processes is a path, a hash and an ``Extraction``: all
plain, picklable values. A worker also says on a queue of its pool when it begins each
file, so the importing process can time the file and stop a parser that hangs.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.queues import SimpleQueue
from pathlib import Path

from desk.errors import IngestError
from desk.ingest import extract
from desk.ingest.model import Extracted


@dataclass(frozen=True)
class Extraction:
    """What was found in one file, or why it cannot be imported."""

    found: Extracted | None = None
    reason: str | None = None

    def error(self, filename: str) -> IngestError:
        return IngestError(filename, self.reason or "the file could not be read")


def extract_bytes(data: bytes, filename: str) -> Extraction:
    try:
        return Extraction(found=extract(data, filename))
    except IngestError as error:
        return Extraction(reason=error.reason)
    except Exception as error:
        # A parser's own bug on hostile bytes must cost this file only, not the import.
        return Extraction(reason=f"the file could not be read ({type(error).__name__}: {error})")


def extract_file(path: str, filename: str, sha256: str) -> Extraction:
    """Read the file at ``path`` and extract it, if it still holds the bytes hashed as ``sha256``.

    The worker reads the file itself (cheaper than sending its bytes through a pipe);
    the hash proves it read the bytes the case stores.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return Extraction(reason=f"the file cannot be read ({error.strerror})")
    if hashlib.sha256(data).hexdigest() != sha256:
        return Extraction(reason="the file changed while it was being imported; import it again")
    return extract_bytes(data, filename)


# In a worker process, set by ``start_worker``: where it says which file it begins.
_begun: SimpleQueue[tuple[int, int]] | None = None


def extract_files(jobs: list[tuple[str, str, str]], task: int) -> list[Extraction]:
    """``extract_file`` for each (path, file name, SHA-256): one task for several files.

    Before each file the task's number and the file's place in it are sent: a
    ``SimpleQueue`` writes in this thread, so the word leaves even if a parser then
    holds the GIL for good.
    """
    extractions = []
    for slot, (path, filename, sha256) in enumerate(jobs):
        if _begun is not None:
            _begun.put((task, slot))
        extractions.append(extract_file(path, filename, sha256))
    return extractions


def ready() -> None:
    """Nothing: a process that runs it shows that workers can start (``warm_up``)."""


def start_worker(begun: SimpleQueue[tuple[int, int]]) -> None:
    """Run first in each worker: keep where to announce files, and watch the parent."""
    global _begun
    _begun = begun
    stop_with_parent()


def stop_with_parent() -> None:
    """Exit as soon as the importing process is gone.

    A worker of a killed desk would otherwise wait for work forever (it holds its own
    end of the work queue, so it never sees the queue close).
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="stop-with-parent", daemon=True).start()
