"""Writing files outside the case so that a crash never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from desk.errors import DeskError


def atomic_write(target: Path, data: bytes) -> None:
    """Temporary file in the same folder, flush, fsync, rename, fsync the folder."""
    atomic_write_pieces(target, [data])


def atomic_write_pieces(target: Path, pieces: Iterable[bytes]) -> None:
    """``atomic_write`` for bytes that come in pieces (never all held at once).

    If reading the pieces fails (the iterator raises), the temporary file is removed
    and ``target`` is left as it was.
    """
    folder = target.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise DeskError(f"{target}: cannot write in {folder} ({exc.strerror}).") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise DeskError(f"{target}: the file could not be written ({exc.strerror}).") from exc
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def size_text(size: int) -> str:
    """A file size as people read it: ``1.3 MB``, ``640 bytes``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size:,} bytes"
