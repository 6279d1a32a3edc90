"""Closed vocabularies the schema enforces with CHECK constraints."""

from __future__ import annotations

INCIDENT_STATUSES = ("draft", "under review", "confirmed", "disputed", "discarded")
DATE_PRECISIONS = ("day", "week", "month", "year")
SOURCE_KINDS = ("article", "image", "document", "note")
LINK_KINDS = ("related", "duplicate of", "part of")
ACTOR_ROLES = ("actor1", "actor2", "assoc_actor1", "assoc_actor2", "target", "victim", "other")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CONFIDENCE_LEVELS = ("low", "moderate", "high")
NOTE_TARGETS = ("case", "incident", "source")


def check_in(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a CHECK that ``column`` holds one of ``values``."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"
