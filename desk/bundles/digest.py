"""SHA-256 computed beside the work instead of in a second pass over a bundle.

hashlib releases the GIL while it hashes a buffer larger than a couple of KiB, so a
digest updated on a worker thread costs little wall time: the calling thread reads,
checks and writes the next piece on the other core meanwhile. Pieces are handed over
through a short queue (bounded memory); small writes are gathered first, because a
hand-over costs microseconds and zipfile writes many tiny pieces (headers, deflate
output of short lines).
"""

from __future__ import annotations

import hashlib
import queue
import threading
from typing import IO

# Pieces gathered before a hand-over, and hand-overs waiting at most (memory bound).
GATHER = 1 << 20
WAITING = 8


class BackgroundDigest:
    """The SHA-256 and size of the bytes given to ``update``, in order.

    The first MiB is hashed on the calling thread: most originals are smaller, and
    for them a worker would cost more than it saves."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(WAITING)
        self._pending = bytearray()
        self._thread: threading.Thread | None = None
        self.size = 0

    def _run(self) -> None:
        while (piece := self._queue.get()) is not None:
            self._digest.update(piece)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        self.size += len(data)
        if self._thread is None:
            if self.size <= GATHER:
                self._digest.update(data)
                return
            self._thread = threading.Thread(target=self._run, name="bundle-sha256", daemon=True)
            self._thread.start()
        if len(data) >= GATHER and not self._pending:
            # bytes are immutable: the worker may hash them after the caller moved on.
            self._queue.put(data if isinstance(data, bytes) else bytes(data))
            return
        self._pending += data
        if len(self._pending) >= GATHER:
            self._queue.put(bytes(self._pending))
            self._pending.clear()

    def hexdigest(self) -> str:
        """The digest of everything given (waits for the worker)."""
        if self._pending:
            self._queue.put(bytes(self._pending))
            self._pending.clear()
        self.close()
        return self._digest.hexdigest()

    def close(self) -> None:
        """Stop the worker (also when the caller gives up half-way)."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


class HashingWriter:
    """A forward-only output file that hashes what is written to it.

    It has no ``seek``: zipfile then writes each member's sizes and CRC in a data
    descriptor after its bytes instead of going back to patch its local header, so
    every byte is final once written and the bundle's SHA-256 needs no second pass
    over the finished file.
    """

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self.digest = BackgroundDigest()

    def write(self, data: bytes) -> int:
        written = self._out.write(data)
        self.digest.update(data)
        return written

    def tell(self) -> int:
        return self.digest.size

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        """Stop hashing; the file itself belongs to the caller (zipfile never closes a
        file object it was given, but its typing asks for ``close``)."""
        self.digest.close()


class BackgroundChecks:
    """The SHA-256 of one member after another, taken on one worker thread and compared
    with what each should be: a bundle's originals are checked as they are written
    without the writing waiting for the hashing (a thread per original would cost more
    than it saves: most are under a megabyte)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, int] | bytes | None] = queue.Queue(WAITING)
        self._altered: list[str] = []
        self._thread = threading.Thread(target=self._run, name="bundle-checks", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        digest, expected, size = hashlib.sha256(), ("", 0), 0
        while (item := self._queue.get()) is not None:
            if isinstance(item, bytes):
                digest.update(item)
                size += len(item)
                continue
            if item[0]:  # a member begins
                digest, expected, size = hashlib.sha256(), item, 0
            elif (digest.hexdigest(), size) != expected:  # it ended
                self._altered.append(expected[0])

    def begin(self, sha256: str, size: int) -> None:
        self._queue.put((sha256, size))

    def update(self, data: bytes) -> None:
        self._queue.put(data)

    def end(self) -> None:
        self._queue.put(("", 0))

    def altered(self) -> list[str]:
        """The members whose bytes were not what they should be (waits for the worker;
        no member may begin after)."""
        self.close()
        return self._altered

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
