"""What this machine can do for the same work without the desk: the benchmarks' baselines.

Each function does the plain version of one heavy path on the same data, so a figure
and its baseline are measured in the same run and their ratio means something on any
machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import trafilatura
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from db.engine import PAGE_SIZE
from db.search import fts_query

SEARCH_SQL = (
    "SELECT d.kind, d.ref, search_fts.title,"
    " snippet(search_fts, 1, '[', ']', '…', 16),"
    " bm25(search_fts, 4.0, 1.0) AS rank"
    " FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid"
    " WHERE search_fts MATCH ? ORDER BY rank LIMIT ?"
)

# The incident list's page, from the incident table in the order of its existing
# indexes (one index scan, no sort): what SQLite can do for a page on this schema.
PAGE_SQL = {
    "date": "SELECT id, title, start_date, start_precision, event_type, status, open_conflicts"
    " FROM incident ORDER BY start_date LIMIT ? OFFSET ?",
    "date desc": "SELECT id, title, start_date, start_precision, event_type, status,"
    " open_conflicts FROM incident ORDER BY start_date DESC LIMIT ? OFFSET ?",
    "conflicts desc": "SELECT id, title, start_date, start_precision, event_type, status,"
    " open_conflicts FROM incident ORDER BY open_conflicts DESC LIMIT ? OFFSET ?",
    "place": "SELECT i.id, i.title, i.start_date, p.name FROM incident i"
    " LEFT JOIN place p ON p.id = i.place_id ORDER BY p.name, i.id LIMIT ? OFFSET ?",
}

FILTER_SQL = (
    "SELECT id, title, start_date, status FROM incident"
    " WHERE title LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\'"
    " ORDER BY start_date, id LIMIT 200"
)

# What `evidence-desk incidents CASE --json` lists, as one query for the sqlite3 shell.
INCIDENTS_JSON_SQL = """
SELECT i.id, i.title, i.summary, i.start_date, i.start_precision, i.end_date,
       i.end_precision, p.name AS place, i.latitude, i.longitude, i.event_type,
       i.sub_event_type, i.status, i.created_at, i.updated_at, i.created_by, i.revision,
       (SELECT group_concat(t.name) FROM incident_tag it JOIN tag t ON t.id = it.tag_id
         WHERE it.incident_id = i.id) AS tags,
       (SELECT group_concat(a.name || ':' || ia.role) FROM incident_actor ia
         JOIN actor a ON a.id = ia.actor_id WHERE ia.incident_id = i.id) AS actors,
       (SELECT group_concat(s.source_id) FROM incident_source s
         WHERE s.incident_id = i.id) AS sources,
       (SELECT count(*) FROM incident_source s WHERE s.incident_id = i.id) AS source_count
FROM incident i LEFT JOIN place p ON p.id = i.place_id
ORDER BY i.start_date, i.id;
"""


def connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def fts_search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[tuple[object, ...]]:
    return conn.execute(SEARCH_SQL, (fts_query(query), limit)).fetchall()


def timed_query(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> float:
    start = time.perf_counter()
    conn.execute(sql, tuple(params)).fetchall()
    return time.perf_counter() - start


def hash_and_copy(files: Sequence[Path], target: Path) -> float:
    """``sha256sum`` of the files plus ``cp`` of them into ``target``; seconds taken."""
    target.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if shutil.which("sha256sum") and shutil.which("cp"):
        for chunk in _chunks(files, 200):
            subprocess.run(["sha256sum", *map(str, chunk)], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["cp", *map(str, chunk), str(target)], check=True)
    else:  # pragma: no cover - machines without coreutils
        for path in files:
            data = path.read_bytes()
            hashlib.sha256(data).hexdigest()
            (target / path.name).write_bytes(data)
    return time.perf_counter() - start


def zip_and_hash(files: Sequence[Path], target: Path) -> float:
    """The same bytes written into a zip without compression, plus ``sha256sum``."""
    start = time.perf_counter()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in files:
            archive.write(path, path.name)
    if shutil.which("sha256sum"):
        for chunk in _chunks(files, 200):
            subprocess.run(["sha256sum", *map(str, chunk)], check=True, stdout=subprocess.DEVNULL)
    else:  # pragma: no cover
        for path in files:
            hashlib.sha256(path.read_bytes()).hexdigest()
    return time.perf_counter() - start


def round_trip_floor(files: Sequence[Path], work: Path) -> float:
    """The bytes alone through a bundle's round trip, as durable as the desk makes them:
    written into a zip (stored) and synced, then read back, hashed and stored in a new
    SQLite file as a case stores them, and committed. No records, no history, no checks
    beyond the hashes: the least a round trip of these bytes costs on this machine."""
    archive = work / "floor.zip"
    store = work / "floor.sqlite"
    start = time.perf_counter()
    with archive.open("wb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
            for path in files:
                zf.write(path, path.name)
        fh.flush()
        os.fsync(fh.fileno())
    conn = _new_store(store)
    try:
        conn.execute("BEGIN IMMEDIATE")
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                conn.execute(
                    "INSERT INTO blob VALUES (?, ?)", (hashlib.sha256(data).hexdigest(), data)
                )
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()
        for leftover in (archive, *work.glob(store.name + "*")):
            leftover.unlink(missing_ok=True)


def _new_store(target: Path) -> sqlite3.Connection:
    """A new SQLite file with a case's settings (pages, WAL, synchronous FULL, the
    checkpoint left for later) and one table for originals."""
    for leftover in (target, target.with_name(target.name + "-wal")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE blob (sha256 TEXT PRIMARY KEY, data BLOB)")
    return conn


def sqlite_store(files: Sequence[Path], target: Path) -> float:
    """The same bytes stored in a new SQLite file as a case stores them (WAL, synchronous
    FULL, one transaction, one value each, the checkpoint left for later): the floor
    under a bundle import."""
    start = time.perf_counter()
    conn = _new_store(target)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for path in files:
            conn.execute("INSERT INTO blob VALUES (?, ?)", (path.name, path.read_bytes()))
        conn.execute("COMMIT")  # durable once the WAL is synced
        return time.perf_counter() - start
    finally:
        conn.close()


def trafilatura_loop(files: Sequence[Path]) -> dict[str, str | None]:
    """Each page's article text with trafilatura, one after another.

    The same calls and options as the desk's HTML reader (so the text out can be
    compared), and nothing else: no hashing, no language detection, no database.
    """
    texts: dict[str, str | None] = {}
    for path in files:
        html = path.read_bytes().decode("utf-8")
        tree = trafilatura.load_html(html)
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        text = None
        if isinstance(document, Document):
            blocks = (xmltotxt(b, include_formatting=False).strip() for b in document.body)
            text = "\n\n".join(b for b in blocks if b) or None
        texts[path.name] = text
    return texts


def sqlite_json(case: Path, out: Path) -> float | None:
    """``sqlite3 -json`` of the incidents the CLI lists; None when the shell is missing."""
    if not shutil.which("sqlite3"):
        return None
    start = time.perf_counter()
    with out.open("wb") as sink:
        subprocess.run(
            ["sqlite3", "-readonly", "-json", str(case), INCIDENTS_JSON_SQL],
            check=True,
            stdout=sink,
        )
    return time.perf_counter() - start


def _chunks(items: Sequence[Path], size: int) -> list[Sequence[Path]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
