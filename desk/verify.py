"""Check a case: the database, every original's SHA-256, the history chains, the index.

Each problem is one sentence that says where it is: for a history entry, the record
it is about (type, id and title while it exists) and when it was written; for an
original, the source that holds it (title, id) and when it was acquired.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db import blobs
from db.models import Acquisition, Blob, HistoryEntry, Source
from db.search import INDEX
from desk.errors import ReadOnlyCaseError
from desk.history import (
    BrokenLink,
    chain_breaks,
    describe,
    foreign_chain_breaks,
    printable,
    record_title,
)

if TYPE_CHECKING:
    from desk.case import Case


@dataclass(frozen=True)
class Problem:
    """One problem and where it is (the fields that do not apply are None).

    ``kind``: "database", "original", "history" (this case's chain), "received
    history" (entries that came from other cases in bundles) or "search index".
    ``at``: when the history entry was written, or when the original was acquired.
    """

    kind: str
    message: str
    record_type: str | None = None
    record_id: str | None = None
    title: str | None = None
    at: str | None = None
    seq: int | None = None
    sha256: str | None = None
    received_from: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "title": self.title,
            "at": self.at,
            "seq": self.seq,
            "sha256": self.sha256,
            "received_from": self.received_from,
        }


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    blobs_checked: int = 0
    history_entries: int = 0
    sources: int = 0
    index_checked: bool = True  # False for a read-only case file: the check writes
    findings: list[Problem] = field(default_factory=list)  # ``problems`` with places
    received_history_entries: int = 0  # entries kept from other cases' bundles

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        self.findings.append(problem)
        self.problems.append(problem.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "blobs_checked": self.blobs_checked,
            "history_entries": self.history_entries,
            "sources": self.sources,
            "index_checked": self.index_checked,
            "received_history_entries": self.received_history_entries,
            "findings": [p.to_json() for p in self.findings],
        }


def _history_problem(session: Session, kind: str, broken: BrokenLink) -> Problem:
    return Problem(
        kind=kind,
        message=describe(session, broken),
        record_type=broken.entity_type,
        record_id=broken.record_id,
        title=record_title(session, broken.entity_type, broken.record_id),
        at=broken.at,
        seq=broken.seq,
        received_from=broken.received_from,
    )


def _original_problem(session: Session, sha256: str, what: str) -> Problem:
    """``what`` happened to the original ``sha256``, said with the source holding it."""
    source = session.execute(
        select(Source.id, Source.title).where(Source.blob_sha256 == sha256)
    ).first()
    if source is None:
        return Problem(
            kind="original",
            message=f"original {sha256[:12]}… (no source) {what}",
            sha256=sha256,
        )
    acquired = session.execute(
        select(Acquisition.acquired_at, Acquisition.acquired_by, Acquisition.original_filename)
        .where(Acquisition.source_id == source.id)
        .order_by(Acquisition.acquired_at)
        .limit(1)
    ).first()
    where = f"source {source.id}"
    at = None
    if acquired is not None:
        at = acquired.acquired_at.isoformat()
        by = printable(acquired.acquired_by)
        where += f", acquired {at} by {by} from {acquired.original_filename!r}"
    return Problem(
        kind="original",
        message=f"original {sha256[:12]}… ({printable(source.title)}) {what} ({where})",
        record_type="source",
        record_id=str(source.id),
        title=source.title,
        at=at,
        sha256=sha256,
    )


def _check_originals(session: Session, report: VerifyReport) -> list[tuple[str, str]]:
    """Hash every original as it streams, chunked ones included: (sha256, what is wrong)."""
    altered: list[tuple[str, str]] = []
    for sha256, size in session.execute(select(Blob.sha256, Blob.size)).all():
        report.blobs_checked += 1
        digest = hashlib.sha256()
        length = 0
        try:
            for piece in blobs.iter_blob(session, sha256):
                digest.update(piece)
                length += len(piece)
        except blobs.BlobDamagedError as exc:
            altered.append((sha256, f"is damaged: {exc}"))
            continue
        actual = digest.hexdigest()
        if actual != sha256:
            altered.append((sha256, f"was altered: its bytes now hash to {actual[:12]}…"))
        elif length != size:
            altered.append((sha256, "has the wrong recorded size"))
    return altered


def verify_case(case: Case) -> VerifyReport:
    report = VerifyReport()
    with case.read() as session:
        conn = session.connection()
        integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            for line in integrity:
                report.add(Problem(kind="database", message=f"database: {line}"))
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            report.add(
                Problem(
                    kind="database",
                    message=f"database: row {rowid} of {table} refers to a missing {parent}",
                    record_type=table,
                )
            )
        altered = _check_originals(session, report)
        for sha256, what in altered:
            report.add(_original_problem(session, sha256, what))
        for broken in list(chain_breaks(session)):
            report.add(_history_problem(session, "history", broken))
        for broken in list(foreign_chain_breaks(session)):
            report.add(_history_problem(session, "received history", broken))
        report.history_entries = session.scalar(select(func.count(HistoryEntry.seq))) or 0
        report.received_history_entries = (
            session.scalar(text("SELECT count(*) FROM foreign_history")) or 0
        )
        report.sources = session.scalar(select(func.count(Source.id))) or 0
        orphans = session.scalar(
            text(
                "SELECT count(*) FROM search_doc d LEFT JOIN search_fts f ON f.rowid = d.rowid WHERE f.rowid IS NULL"
            )
        )
        if orphans:
            report.add(
                Problem(
                    kind="search index",
                    message=f"search index: {orphans} records are missing from the index",
                )
            )
    try:
        with case.write() as session:
            if problem := INDEX.check(session):
                report.add(Problem(kind="search index", message=problem))
    except ReadOnlyCaseError:
        report.index_checked = False
    return report
