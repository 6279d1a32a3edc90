"""Check a case: the database, every original's SHA-256, the history chain, the index."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import LargeBinary, cast, func, select, text

from db.models import Blob, HistoryEntry, Source
from db.search import INDEX
from desk.errors import ReadOnlyCaseError
from desk.history import verify_chain

if TYPE_CHECKING:
    from desk.case import Case


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    blobs_checked: int = 0
    history_entries: int = 0
    sources: int = 0
    index_checked: bool = True  # False for a read-only case file: the check writes

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "blobs_checked": self.blobs_checked,
            "history_entries": self.history_entries,
            "sources": self.sources,
            "index_checked": self.index_checked,
        }


def verify_case(case: Case) -> VerifyReport:
    report = VerifyReport()
    with case.read() as session:
        conn = session.connection()
        integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            report.problems.extend(f"database: {line}" for line in integrity)
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            report.problems.append(f"database: row {rowid} of {table} refers to a missing {parent}")
        # CAST: bytes altered by hand may have been stored back as TEXT.
        blobs = session.execute(
            select(Blob.sha256, Blob.size, cast(Blob.data, LargeBinary))
        ).yield_per(1)
        for sha256, size, data in blobs:
            report.blobs_checked += 1
            actual = hashlib.sha256(data or b"").hexdigest()
            if actual != sha256:
                title = session.scalar(select(Source.title).where(Source.blob_sha256 == sha256))
                report.problems.append(
                    f"original {sha256[:12]}… ({title or 'no source'}) was altered: "
                    f"its bytes now hash to {actual[:12]}…"
                )
            elif len(data or b"") != size:
                report.problems.append(f"original {sha256[:12]}… has the wrong recorded size")
        report.problems.extend(verify_chain(session))
        report.history_entries = session.scalar(select(func.count(HistoryEntry.seq))) or 0
        report.sources = session.scalar(select(func.count(Source.id))) or 0
        orphans = session.scalar(
            text(
                "SELECT count(*) FROM search_doc d LEFT JOIN search_fts f ON f.rowid = d.rowid WHERE f.rowid IS NULL"
            )
        )
        if orphans:
            report.problems.append(f"search index: {orphans} records are missing from the index")
    try:
        with case.write() as session:
            if problem := INDEX.check(session):
                report.problems.append(problem)
    except ReadOnlyCaseError:
        report.index_checked = False
    return report
