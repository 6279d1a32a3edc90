"""The full-text index behind one small interface.

SQLite FTS5 serves it: ``search_fts`` holds title and body, ``search_doc`` maps its
rowids to the records (kind + id). Triggers keep both in step with the data (see
migration 0002), so every write path, bundles included, keeps the index current.
Another engine can serve ``FullTextIndex`` later without touching callers.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

# Private-use characters mark hits in snippets; they cannot occur in our text
# meaningfully and callers turn them into whatever markup they need.
HIT_START = "\ue000"
HIT_END = "\ue001"

_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')
# FTS5 ends a string at NUL; other control characters carry nothing searchable.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: uuid.UUID
    title: str
    snippet: str
    rank: float


class FullTextIndex(Protocol):
    def search(self, session: Session, query: str, limit: int) -> list[Hit]: ...

    def check(self, session: Session) -> str | None: ...


def fts_query(user_text: str) -> str:
    """Turn what a person typed into a safe FTS5 query.

    Every word becomes a quoted string (so FTS5 operators and punctuation are plain
    text); words in double quotes stay a phrase; a trailing ``*`` asks for a prefix.
    """
    parts: list[str] = []
    for token in _TOKEN.findall(_CONTROL.sub(" ", user_text)):
        prefix = token.endswith("*") and not token.startswith('"')
        word = token.strip('"').rstrip("*").replace('"', "")
        if word.strip():
            parts.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(parts)


class Fts5Index:
    def search(self, session: Session, query: str, limit: int = 50) -> list[Hit]:
        match = fts_query(query)
        if not match:
            return []
        rows = session.execute(
            text(
                "SELECT d.kind, d.ref, search_fts.title,"
                " snippet(search_fts, 1, :start, :end, '…', 16),"
                " bm25(search_fts, 4.0, 1.0) AS rank"
                " FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid"
                " WHERE search_fts MATCH :match ORDER BY rank LIMIT :limit"
            ),
            {"start": HIT_START, "end": HIT_END, "match": match, "limit": limit},
        )
        return [
            Hit(kind=kind, id=uuid.UUID(hex=ref), title=title, snippet=snip, rank=rank)
            for kind, ref, title, snip, rank in rows
        ]

    def check(self, session: Session) -> str | None:
        """None when the index matches its content, else the reason (needs a write session;
        raises on a read-only case file)."""
        try:
            session.execute(text("INSERT INTO search_fts(search_fts) VALUES('integrity-check')"))
        except DatabaseError as exc:
            if getattr(exc.orig, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_READONLY:
                raise  # the check itself writes: a read-only file is unchecked, not damaged
            return f"the search index is damaged ({exc})"
        return None


INDEX: FullTextIndex = Fts5Index()
