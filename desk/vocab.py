"""The desk's closed vocabularies, for the CLI and the GUI (the schema enforces them)."""

from __future__ import annotations

from db.vocab import (
    ACTOR_ROLES,
    CONFIDENCE_LEVELS,
    DATE_PRECISIONS,
    INCIDENT_STATUSES,
    LINK_KINDS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
)
from desk.acled import EVENT_TYPES

# Scripts written right to left, by ISO 639 code (ckb: Central Kurdish).
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


def is_right_to_left(language: str | None) -> bool:
    return language in RIGHT_TO_LEFT_LANGUAGES


__all__ = [
    "ACTOR_ROLES",
    "CONFIDENCE_LEVELS",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "INCIDENT_STATUSES",
    "LINK_KINDS",
    "RELIABILITY_GRADES",
    "RIGHT_TO_LEFT_LANGUAGES",
    "SOURCE_KINDS",
    "is_right_to_left",
]
