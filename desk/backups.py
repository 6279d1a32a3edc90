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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desk import paths
from desk.errors import CaseError

KEEP_PER_CASE = 10
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


def snapshot(path: Path, reason: str) -> Path:
    """Back up the case at ``path`` before a risky step; old backups beyond the limit go."""
    key = case_key(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = paths.backups_dir() / f"{_safe_stem(path)}-{key}-{stamp}-{reason}.evcase"
    vacuum_into(path, target)
    for old in list_backups(path)[KEEP_PER_CASE:]:
        old.path.unlink(missing_ok=True)
    return target


def _safe_stem(path: Path) -> str:
    return re.sub(r"[^\w.-]+", "_", path.stem)[:60] or "case"


def list_backups(path: Path) -> list[Backup]:
    """Backups of the case at ``path``, newest first."""
    key = case_key(path)
    found = []
    for candidate in paths.backups_dir().glob("*.evcase"):
        match = _NAME.match(candidate.name)
        if match is None or match["case"] != key:
            continue
        created = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        found.append(Backup(candidate, key, created, match["reason"], candidate.stat().st_size))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def restore(path: Path, backup: Path) -> Path:
    """Put ``backup`` in place of the (closed) case at ``path``.

    The current state is snapshotted first ("before-restore"), so a restore can be
    undone by restoring that snapshot.
    """
    if case_key(backup) != case_key(path):
        raise CaseError(f"{backup}: this backup belongs to another case.")
    current = snapshot(path, "before-restore")
    vacuum_into(backup, path.with_name(path.name + ".restoring"))
    for sidecar in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        sidecar.unlink(missing_ok=True)
    os.replace(path.with_name(path.name + ".restoring"), path)
    _fsync_folder(path.parent)
    return current
