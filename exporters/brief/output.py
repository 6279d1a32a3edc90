"""Writing the PDF so that a crash or a cancel never leaves half a file.

Like ``desk.files.atomic_write``, but streaming: ReportLab writes into an open file
(a temporary name in the target's folder), which is flushed, fsynced and renamed over
the target only when the whole build succeeded.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desk.errors import BadInputError, DeskError


@contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """A file to write ``target`` through; removed instead if the block raises."""
    folder = target.parent
    if not folder.is_dir():
        raise BadInputError(f"{target}: the folder {folder} does not exist.")
    if target.is_dir():
        raise BadInputError(f"{target}: this is a folder; give a file name for the brief.")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise DeskError(f"{target}: cannot write in {folder} ({exc.strerror}).") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise DeskError(f"{target}: the brief could not be written ({exc.strerror}).") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
