"""The case's change log: append-only and hash-chained, so tampering shows.

Every service that changes the case calls ``record`` inside the same transaction
as the change; ``verify_chain`` recomputes every hash.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.batches import insert_rows
from db.models import (
    Actor,
    BundleImport,
    CaseInfo,
    Claim,
    ConflictResolution,
    ForeignHistory,
    HistoryEntry,
    Incident,
    Note,
    Outlet,
    Place,
    Source,
)

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


_HASHED = ("at", "actor", "action", "entity_type", "entity_id", "summary", "before", "after")


def _content(entry: HistoryEntry) -> dict[str, Any]:
    return _content_of({name: getattr(entry, name) for name in _HASHED})


def _content_of(row: dict[str, Any]) -> dict[str, Any]:
    """What an entry's hash covers, as JSON values."""
    entity_id = row["entity_id"]
    return {
        "at": row["at"].isoformat(),
        "actor": row["actor"],
        "action": row["action"],
        "entity_type": row["entity_type"],
        "entity_id": str(entity_id) if entity_id else None,
        "summary": row["summary"],
        "before": row["before"],
        "after": row["after"],
    }


@dataclass(frozen=True)
class Change:
    """What ``record_many`` writes for one change (``record``'s arguments)."""

    action: str
    entity_type: str
    entity_id: uuid.UUID | None
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> HistoryEntry:
    """Append one entry; call inside the write transaction that makes the change."""
    last = session.scalar(
        select(HistoryEntry.entry_hash).order_by(HistoryEntry.seq.desc()).limit(1)
    )
    # Microseconds are dropped so the timestamp hashes the same after a round trip.
    entry = HistoryEntry(
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary,
        before=before,
        after=after,
        prev_hash=last or GENESIS,
    )
    entry.entry_hash = entry_hash(entry.prev_hash, _content(entry))
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, actor: str, changes: Sequence[Change]) -> None:
    """``record`` for many changes in order, chained with one query and one INSERT
    (a bundle import writes thousands)."""
    at = utcnow().replace(microsecond=0)
    append_rows(
        session,
        [
            {
                "at": at,
                "actor": actor,
                "action": change.action,
                "entity_type": change.entity_type,
                "entity_id": change.entity_id,
                "summary": change.summary,
                "before": change.before,
                "after": change.after,
            }
            for change in changes
        ],
    )


def append_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append entries given as plain rows (``record``'s arguments, with ``at`` without
    microseconds), each hashed over the one before, in one INSERT in this order.

    Plain rows, not HistoryEntry objects: thousands of those cost more than the INSERT.
    """
    if not rows:
        return
    session.flush()  # entries ``record`` added come first in the chain
    prev = session.scalar(
        select(HistoryEntry.entry_hash).order_by(HistoryEntry.seq.desc()).limit(1)
    )
    prev = prev or GENESIS
    chained = []
    for row in rows:
        digest = entry_hash(prev, _content_of(row))
        chained.append({**row, "prev_hash": prev, "entry_hash": digest})
        prev = digest
    insert_rows(session, HistoryEntry, chained)


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    entry_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
            "hash": self.entry_hash,
        }


def as_item(entry: HistoryEntry) -> HistoryItem:
    return HistoryItem(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_id=str(entry.entity_id) if entry.entity_id else None,
        summary=entry.summary,
        before=entry.before,
        after=entry.after,
        entry_hash=entry.entry_hash,
    )


def entries_for(session: Session, entity_id: uuid.UUID) -> list[HistoryItem]:
    rows = session.scalars(
        select(HistoryEntry).where(HistoryEntry.entity_id == entity_id).order_by(HistoryEntry.seq)
    )
    return [as_item(row) for row in rows]


def entries_with_related(session: Session, entity_id: uuid.UUID) -> list[HistoryItem]:
    """Changes to one incident or source and to what hangs on it, oldest first.

    Besides the record's own entries: the notes written on it (deleted ones too, found
    through the target their "create" entry names) and, for a source, its attaching to
    and detaching from incidents (recorded on the incident).
    """
    first = session.scalar(
        select(func.min(HistoryEntry.seq)).where(HistoryEntry.entity_id == entity_id)
    )
    key = str(entity_id)
    current_notes = select(Note.id).where(
        or_(Note.incident_id == entity_id, Note.source_id == entity_id)
    )
    related = [HistoryEntry.entity_id == entity_id, HistoryEntry.entity_id.in_(current_notes)]
    if first is not None:
        # Nothing hangs on a record before it exists: bounding by its first entry keeps
        # these unindexed JSON lookups to the part of the log written since.
        later = HistoryEntry.seq >= first
        deleted_notes = select(HistoryEntry.entity_id).where(
            later,
            HistoryEntry.entity_type == "note",
            HistoryEntry.action == "create",
            or_(
                HistoryEntry.after["incident"].as_string() == key,
                HistoryEntry.after["source"].as_string() == key,
            ),
        )
        related.append(HistoryEntry.entity_id.in_(deleted_notes))
        related.append(
            later
            & HistoryEntry.action.in_(("attach", "detach"))
            & or_(
                HistoryEntry.after["source"].as_string() == key,
                HistoryEntry.before["source"].as_string() == key,
            )
        )
    rows = session.scalars(select(HistoryEntry).where(or_(*related)).order_by(HistoryEntry.seq))
    return [as_item(row) for row in rows]


# -- checking the chains ------------------------------------------------------------

ALTERED = "altered"
OUT_OF_CHAIN = "out of chain"

# What names a record of each type in a sentence: its title, name or text.
_LABELS: dict[str, tuple[type[Any], str]] = {
    "incident": (Incident, "title"),
    "source": (Source, "title"),
    "note": (Note, "body"),
    "outlet": (Outlet, "name"),
    "place": (Place, "name"),
    "actor": (Actor, "name"),
    "claim": (Claim, "value_text"),
    "conflict_resolution": (ConflictResolution, "field"),
    "case": (CaseInfo, "title"),
    "bundle": (BundleImport, "file_name"),
}
_LABEL_CHARS = 80


@dataclass(frozen=True)
class BrokenLink:
    """A history entry that fails its check, with what locates it for a reader.

    ``reason`` is ``ALTERED`` (its content no longer gives its hash) or
    ``OUT_OF_CHAIN`` (it does not follow the entry before it). For an entry received
    from another case, ``received_from`` is that case's title, ``bundle_sha256`` the
    bundle it came in, and ``record_id`` the record here it is about.
    """

    reason: str
    seq: int
    at: str
    actor: str
    action: str
    entity_type: str
    record_id: str | None
    summary: str
    entry_hash: str
    received_from: str | None = None
    bundle_sha256: str | None = None
    more: int = 0  # further broken entries of the same received chain


def printable(text: str) -> str:
    """``text`` with control and format characters (a bidi override, a NUL, a line
    break) shown as escapes, so a name cannot rearrange or split a report's line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def record_title(session: Session, entity_type: str, record_id: str | None) -> str | None:
    """The record's title (name, text) on one line, or None when it no longer exists
    (or has no id, or is of a type without a title)."""
    if record_id is None or entity_type not in _LABELS:
        return None
    try:
        key = uuid.UUID(record_id)
    except ValueError:
        return None
    model, column = _LABELS[entity_type]
    value = session.scalar(select(getattr(model, column)).where(model.id == key))
    if value is None:
        return None
    line = " ".join(str(value).split())
    return line if len(line) <= _LABEL_CHARS else line[: _LABEL_CHARS - 1] + "…"


def describe_record(session: Session, entity_type: str, record_id: str | None) -> str:
    """``incident <id> 'Title'``; ``(no longer in the case)`` when it was deleted."""
    if record_id is None:
        return entity_type
    title = record_title(session, entity_type, record_id)
    if title is not None:
        return f"{entity_type} {record_id} {title!r}"
    if entity_type in _LABELS:
        return f"{entity_type} {record_id} (no longer in the case)"
    return f"{entity_type} {record_id}"


def describe(session: Session, broken: BrokenLink) -> str:
    """One sentence: which entry, about which record, written when and by whom."""
    record = describe_record(session, broken.entity_type, broken.record_id)
    where = (
        f"history entry {broken.seq} ({broken.action} of {record}, "
        f"at {printable(broken.at)} by {printable(broken.actor)}: {broken.summary[:120]!r})"
    )
    if broken.received_from is not None:
        bundle = (broken.bundle_sha256 or "")[:12]
        where = (
            f"{where} received from case {broken.received_from!r} in bundle {bundle}…"
            if bundle
            else f"{where} received from case {broken.received_from!r}"
        )
    if broken.reason == ALTERED:
        when = "it came in" if broken.received_from is not None else "it was written"
        sentence = f"{where} was altered after {when}"
    else:
        sentence = f"{where} does not follow the entry before it: an entry was removed or altered"
    if broken.more:
        later = "entry" if broken.more == 1 else "entries"
        sentence += f" (and {broken.more} later {later} of that chain)"
    return sentence


def chain_breaks(session: Session) -> Iterator[BrokenLink]:
    """This case's own chain: one item per broken link, oldest first."""
    expected_prev = GENESIS
    rows = session.execute(select(HistoryEntry).order_by(HistoryEntry.seq)).scalars()
    for entry in rows.yield_per(2000):
        reasons = []
        if entry.prev_hash != expected_prev:
            reasons.append(OUT_OF_CHAIN)
        if entry_hash(entry.prev_hash, _content(entry)) != entry.entry_hash:
            reasons.append(ALTERED)
        for reason in reasons:
            yield BrokenLink(
                reason=reason,
                seq=entry.seq,
                at=entry.at.isoformat(),
                actor=entry.actor,
                action=entry.action,
                entity_type=entry.entity_type,
                record_id=str(entry.entity_id) if entry.entity_id else None,
                summary=entry.summary,
                entry_hash=entry.entry_hash,
            )
        expected_prev = entry.entry_hash


def _foreign_content(entry: ForeignHistory) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": str(entry.entity_id) if entry.entity_id else None,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
    }


def _out_of_chain(entry: ForeignHistory, seq_of: dict[str, int]) -> bool:
    """Only a case's first entry starts from the genesis hash, and an entry whose
    predecessor came here too carries the next number."""
    if (entry.prev_hash == GENESIS) != (entry.seq == 1):
        return True
    before = seq_of.get(entry.prev_hash)
    return before is not None and before != entry.seq - 1


def foreign_chain_breaks(session: Session) -> Iterator[BrokenLink]:
    """The history entries received from other cases: the first broken link of each
    chain (entries grouped by the case that sent them, in their order there).

    A bundle holds only the entries about its records, so the chain between received
    entries has gaps; what can be checked here is each entry's own hash, that an
    entry following a received one carries the next number, and that only the first
    entry of a case starts from the genesis hash.
    """
    rows = session.execute(
        select(ForeignHistory, BundleImport.source_case_id, BundleImport.source_case_title)
        .join(BundleImport, BundleImport.id == ForeignHistory.import_id)
        .order_by(BundleImport.source_case_id, ForeignHistory.seq, ForeignHistory.at)
    )
    seq_of = {
        digest: seq
        for digest, seq in session.execute(select(ForeignHistory.entry_hash, ForeignHistory.seq))
    }
    bundles = {
        import_id: sha256
        for import_id, sha256 in session.execute(
            select(BundleImport.id, BundleImport.bundle_sha256)
        )
    }
    chains: dict[uuid.UUID, list[BrokenLink]] = {}
    for entry, case_id, case_title in rows:
        if entry_hash(entry.prev_hash, _foreign_content(entry)) != entry.entry_hash:
            reason = ALTERED
        elif _out_of_chain(entry, seq_of):
            reason = OUT_OF_CHAIN
        else:
            continue
        chains.setdefault(case_id, []).append(
            BrokenLink(
                reason=reason,
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                entity_type=entry.entity_type,
                record_id=str(entry.record_id) if entry.record_id else None,
                summary=entry.summary,
                entry_hash=entry.entry_hash,
                received_from=case_title,
                bundle_sha256=bundles.get(entry.import_id),
            )
        )
    for broken in chains.values():
        yield replace(broken[0], more=len(broken) - 1)


def verify_chain(session: Session) -> Iterator[str]:
    """Yield one sentence per broken link of this case's chain, oldest first."""
    for broken in chain_breaks(session):
        yield describe(session, broken)
