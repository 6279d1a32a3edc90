"""Snapshots of a case in the user's backups folder, kept with a retention limit,
and restoring one.

A snapshot is VACUUM INTO a temporary name through a read-only connection (one
consistent read that never blocks or disturbs the case's writer), checked with
integrity_check, flushed to disk and renamed into place (SAFETY.md: the online backup
API can restart forever while another connection writes).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desk import paths
from desk.errors import CaseError

KEEP_PER_CASE = 10
# The case as an older version wrote it: no later snapshot can stand in for it.
NEVER_PRUNED = frozenset({"before-upgrade"})
# A copy being written grows all the time; one untouched this long was left by a
# process that was killed while writing it (it may be gigabytes).
STALE_PART_SECONDS = 3600
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<case>[0-9a-f]{8})-(?P<stamp>\d{8}T\d{6}\d{6}Z)-(?P<reason>[a-z-]+)\.evcase$"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    case_key: str
    created_at: datetime
    reason: str
    size: int

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "created_at": self.created_at.isoformat(),
            "reason": self.reason,
            "size": self.size,
        }


def vacuum_into(source: Path, target: Path) -> None:
    """A consistent, checked copy of the case at ``source`` written to ``target``."""
    partial = target.with_name(target.name + ".part")
    try:
        partial.unlink(missing_ok=True)
        conn = sqlite3.connect(
            source.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None
        )
        try:
            conn.execute("VACUUM INTO ?", (str(partial),))
        finally:
            conn.close()
        check = sqlite3.connect(partial)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise CaseError(f"{target}: the copy failed its integrity check ({result}).")
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
        _fsync_folder(target.parent)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise CaseError(f"{target}: the copy could not be written ({exc}).") from exc


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def case_key(path: Path) -> str:
    """The first 8 hex digits of the case's id: backups of one case share it."""
    if not path.is_file():
        raise CaseError(f"{path}: no such case file.")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT id FROM case_info LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise CaseError(f"{path}: not a readable case file ({exc}).") from exc
    if row is None:
        raise CaseError(f"{path}: the case file has no case record.")
    return str(row[0]).replace("-", "")[:8]


def snapshot(path: Path, reason: str, spare: Path | None = None) -> Path:
    """Back up the case at ``path`` before a risky step; old backups beyond the limit go,
    except ``spare`` and those made before an upgrade."""
    key = case_key(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = _folder()
    _remove_stale_parts(folder)
    target = folder / f"{_safe_stem(path)}-{key}-{stamp}-{reason}.evcase"
    vacuum_into(path, target)
    spared = spare.resolve() if spare is not None else None
    prunable = [
        b for b in list_backups(path) if b.path.resolve() != spared and b.reason not in NEVER_PRUNED
    ]
    for old in prunable[KEEP_PER_CASE:]:
        old.path.unlink(missing_ok=True)
    return target


def _remove_stale_parts(folder: Path) -> None:
    """Delete half-written copies that a killed desk left in the backups folder."""
    too_old = time.time() - STALE_PART_SECONDS
    for part in folder.glob("*.evcase.part"):
        try:
            if part.stat().st_mtime < too_old:
                part.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: the next backup tries again


def _folder() -> Path:
    try:
        return paths.backups_dir()
    except OSError as exc:
        raise CaseError(
            f"{exc.filename}: the backups folder cannot be made ({exc.strerror})."
        ) from exc


def _safe_stem(path: Path) -> str:
    return re.sub(r"[^\w.-]+", "_", path.stem)[:60] or "case"


def list_backups(path: Path) -> list[Backup]:
    """Backups of the case at ``path``, newest first."""
    key = case_key(path)
    found = []
    for candidate in _folder().glob("*.evcase"):
        match = _NAME.match(candidate.name)
        if match is None or match["case"] != key:
            continue
        created = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        found.append(Backup(candidate, key, created, match["reason"], candidate.stat().st_size))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def restore(path: Path, backup: Path) -> Path:
    """Put ``backup`` in place of the (closed) case at ``path``.

    The current state is snapshotted first ("before-restore"), so a restore can be
    undone by restoring that snapshot. The backup is copied and checked before that
    snapshot is taken, and spared by its retention, so a restore never loses it.
    """
    if not backup.is_file():
        raise CaseError(f"{backup}: no such backup file.")
    if case_key(backup) != case_key(path):
        raise CaseError(f"{backup}: this backup belongs to another case.")
    _refuse_if_open(path)
    staged = path.with_name(path.name + ".restoring")
    vacuum_into(backup, staged)
    try:
        current = snapshot(path, "before-restore", spare=backup)
        os.replace(staged, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        raise CaseError(f"{path}: the backup could not be put in its place ({exc}).") from exc
    finally:
        staged.unlink(missing_ok=True)
    return current


def _refuse_if_open(path: Path) -> None:
    """Refuse while any connection has the case open (the desk, another command).

    Renaming over a database with open connections damages it, and their later writes
    would be lost. Leaving WAL mode needs the only connection to the file, so it fails
    with "database is locked" exactly when another one exists; when it succeeds the
    WAL has been folded into the file and removed with the -shm, so no stale WAL can be
    applied to the restored file. WAL mode comes back at the next open.
    """
    try:
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
            raise CaseError(
                f"{path}: the case is open (in the desk or another command); close it and "
                "restore again."
            ) from exc
        raise CaseError(f"{path}: the case file cannot be replaced ({exc}).") from exc
