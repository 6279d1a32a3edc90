"""The first lines of a case's incidents list, read with sqlite3 alone.

The desk shows them while it loads the rest of itself (SQLAlchemy, the services, the
panes: about half a second), so a case of any size opens onto its incidents at once.
The query gives what ``IncidentService.rows()`` gives for the list's first page (by
date, undated last, ties by id, no filter); a test holds the two together.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desk.incident_row import IncidentRow

_LINES = """
    SELECT i.id, i.title, i.start_date, i.start_precision, p.name, i.event_type, i.status,
           i.source_count, i.open_conflicts
    FROM (SELECT id FROM incident ORDER BY start_date NULLS LAST, id LIMIT ?) AS page
    JOIN incident AS i ON i.id = page.id
    LEFT OUTER JOIN place AS p ON p.id = i.place_id
    ORDER BY i.start_date NULLS LAST, i.id
"""


@dataclass(frozen=True)
class FirstPage:
    """What the window shows before the case is open: its title, how many incidents it
    holds, and the first lines of the list."""

    title: str
    total: int
    rows: list[IncidentRow]


def read_first_page(path: Path, limit: int) -> FirstPage | None:
    """The case's first ``limit`` lines, or None when the file cannot be read so (not a
    case, an older schema, locked): the desk then simply opens it the usual way, which
    explains any problem."""
    try:
        # Read-only and without creating the file: opening the case proper comes next.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        title = connection.execute("SELECT title FROM case_info LIMIT 1").fetchone()
        total = connection.execute("SELECT count(*) FROM incident").fetchone()[0]
        rows = [_row(values) for values in connection.execute(_LINES, (limit,))]
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        connection.close()
    return FirstPage(title=title[0] if title else path.stem, total=int(total), rows=rows)


def _row(values: tuple[object, ...]) -> IncidentRow:
    ident, title, start, precision, place, event_type, status, sources, conflicts = values
    return IncidentRow(
        id=uuid.UUID(hex=str(ident)),
        title=str(title),
        start=date.fromisoformat(str(start)) if start is not None else None,
        start_precision=str(precision),
        place=None if place is None else str(place),
        event_type=None if event_type is None else str(event_type),
        status=str(status),
        source_count=int(sources or 0),  # type: ignore[call-overload]
        open_conflicts=int(conflicts or 0),  # type: ignore[call-overload]
    )
