"""Every table of a case, importable from one place."""

from db.models.blob import Blob, BlobChunk
from db.models.case_info import CaseInfo
from db.models.claim import Claim, ConflictResolution
from db.models.gazetteer import Actor, ActorAlias, Place, PlaceAlias
from db.models.history import HistoryEntry
from db.models.incident import (
    Incident,
    IncidentActor,
    IncidentLink,
    IncidentSource,
    Tag,
    incident_tag,
)
from db.models.note import Note
from db.models.outlet import Outlet
from db.models.source import Acquisition, Source
from db.models.sync import BundleImport, BundleRecord, ForeignHistory, MergeReview, SyncBase

__all__ = [
    "Acquisition",
    "Actor",
    "ActorAlias",
    "Blob",
    "BlobChunk",
    "BundleImport",
    "BundleRecord",
    "CaseInfo",
    "Claim",
    "ConflictResolution",
    "ForeignHistory",
    "HistoryEntry",
    "Incident",
    "IncidentActor",
    "IncidentLink",
    "IncidentSource",
    "MergeReview",
    "Note",
    "Outlet",
    "Place",
    "PlaceAlias",
    "Source",
    "SyncBase",
    "Tag",
    "incident_tag",
]
