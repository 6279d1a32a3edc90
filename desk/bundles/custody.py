"""Checks on what bundles brought in: the other cases' history entries kept here."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ForeignHistory
from desk.history import entry_hash


def check_foreign_history(session: Session) -> Iterator[str]:
    """One sentence per entry from another case whose content no longer matches its hash.

    (The chain between those entries lives in the case that wrote them; each entry's
    own hash is what can be checked here.)
    """
    rows = session.scalars(select(ForeignHistory).order_by(ForeignHistory.import_id))
    for entry in rows.yield_per(2000):
        content = {
            "at": entry.at,
            "actor": entry.actor,
            "action": entry.action,
            "entity_type": entry.entity_type,
            "entity_id": str(entry.entity_id) if entry.entity_id else None,
            "summary": entry.summary,
            "before": entry.before,
            "after": entry.after,
        }
        if entry_hash(entry.prev_hash, content) != entry.entry_hash:
            yield (
                f"history entry {entry.entry_hash[:12]}… received from another case "
                f"({entry.at}, {entry.summary[:60]!r}) was altered after it came in"
            )
