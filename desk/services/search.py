"""Search across sources, incidents and notes, with highlighted snippets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from db.models import Incident, Note, Source
from db.search import HIT_END, HIT_START, INDEX

if TYPE_CHECKING:
    from desk.case import Case


@dataclass(frozen=True)
class SearchResult:
    kind: str
    id: uuid.UUID
    title: str
    snippet: str
    rank: float
    incident_id: uuid.UUID | None = None
    source_id: uuid.UUID | None = None

    def snippet_marked(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(HIT_START, start).replace(HIT_END, end)

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_hit) pieces in order, so a caller can escape the text
        for its own markup before marking the hits."""
        parts: list[tuple[str, bool]] = []
        for piece in self.snippet.split(HIT_START):
            hit, sep, rest = piece.partition(HIT_END)
            if not sep:
                hit, rest = "", piece
            if hit:
                parts.append((hit, True))
            if rest:
                parts.append((rest, False))
        return parts

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": str(self.id),
            "title": self.title,
            "snippet": self.snippet_marked(),
            "rank": round(self.rank, 4),
            "incident": str(self.incident_id) if self.incident_id else None,
            "source": str(self.source_id) if self.source_id else None,
        }


class SearchService:
    def __init__(self, case: Case) -> None:
        self._case = case

    def __call__(self, query: str, limit: int = 50) -> list[SearchResult]:
        """Ranked hits, best first; a note hit says which incident or source it is on."""
        with self._case.read() as session:
            hits = INDEX.search(session, query, limit)
            note_ids = [h.id for h in hits if h.kind == "note"]
            notes = {n.id: n for n in session.scalars(select(Note).where(Note.id.in_(note_ids)))}
            titles = self._titles(session, notes.values())
        results = []
        for hit in hits:
            note = notes.get(hit.id)
            title = hit.title
            incident_id = hit.id if hit.kind == "incident" else None
            source_id = hit.id if hit.kind == "source" else None
            if note is not None:
                incident_id, source_id = note.incident_id, note.source_id
                target = titles.get(incident_id or source_id or hit.id, "the case")
                title = f"Note on {target}"
            results.append(
                SearchResult(hit.kind, hit.id, title, hit.snippet, hit.rank, incident_id, source_id)
            )
        return results

    @staticmethod
    def _titles(session: Any, notes: Any) -> dict[uuid.UUID, str]:
        incident_ids = [n.incident_id for n in notes if n.incident_id]
        source_ids = [n.source_id for n in notes if n.source_id]
        titles: dict[uuid.UUID, str] = {}
        for model, ids in ((Incident, incident_ids), (Source, source_ids)):
            if ids:
                # A comprehension: dict.update takes a Result (it has keys()) for a mapping.
                rows = session.execute(select(model.id, model.title).where(model.id.in_(ids)))
                titles.update({row_id: title for row_id, title in rows})
        return titles
