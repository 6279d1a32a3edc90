"""Originals read from a bundle ahead of the merge, on a thread of their own.

Storing a bundle's originals is, per original, reading it out of the zip (with its
CRC), hashing it and writing it into the case. The first two need no database and
release the GIL (file reads, zlib, hashlib), so a thread does them for the originals
the merge is about to store while the merge writes the one before: the two cores work
at once. What the thread holds is bounded (``budget`` bytes); originals larger than
what is gathered whole are left to the merge, which streams them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence

from desk.bundles.reader import BundleReader

_BUDGET = 64 << 20

# (sha256, size, its bytes or the error reading them raised); None: no more.
_Item = tuple[str, int, bytes | Exception] | None


class Prefetch:
    """The originals ``wanted`` (SHA-256s, in the order the merge stores them), read
    and checked against the manifest ahead of ``take``."""

    def __init__(
        self, reader: BundleReader, wanted: Sequence[tuple[str, int]], budget: int = _BUDGET
    ) -> None:
        self._reader = reader
        self._wanted = wanted  # (sha256, size as the manifest says)
        self._budget = budget
        self._held = 0  # bytes read and not yet taken
        self._room = threading.Condition()
        self._stop = False
        self._items: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._done = not wanted
        self._thread = threading.Thread(target=self._run, name="bundle-prefetch", daemon=True)
        if wanted:
            self._thread.start()

    def _run(self) -> None:
        try:
            for sha256, size in self._wanted:
                with self._room:
                    # One original larger than the budget still goes, alone.
                    while not self._stop and self._held > 0 and self._held + size > self._budget:
                        self._room.wait()
                    if self._stop:
                        return
                    self._held += size
                try:
                    got: bytes | Exception = b"".join(self._reader.blob(sha256))
                except Exception as exc:  # handed to the merge, which raises it
                    got = exc
                self._items.put((sha256, size, got))
        finally:
            self._items.put(None)

    def take(self, sha256: str) -> bytes | None:
        """The original's bytes, checked against the manifest (its error raised if it
        failed), or None when it was not read ahead (the caller reads it itself).
        Originals read ahead but never asked for before this one are dropped."""
        while not self._done:
            item = self._items.get()
            if item is None:
                self._done = True
                break
            name, size, got = item
            with self._room:
                self._held -= size
                self._room.notify()
            if name != sha256:
                continue
            if isinstance(got, Exception):
                raise got
            return got
        return None

    def close(self) -> None:
        """Stop reading ahead and wait for the thread (also when the merge failed)."""
        with self._room:
            self._stop = True
            self._room.notify()
        if self._thread.is_alive():
            self._thread.join()
