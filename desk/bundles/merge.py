"""Merging a validated bundle into a case: all or nothing, never overwriting silently.

Records merge by id (or, for things a case knows by name, by that name: an outlet's
name, a source's original, a place's or actor's spellings, a conflict's key). A new
record is added; for a known one each group of fields is compared three ways with
the version both sides started from (the bundle's ``base``, else the version this
case last exchanged): a field only the colleague changed is taken, one only this
case changed is kept, and one both changed differently is left as it is here with
the colleague's value waiting beside it in ``merge_review``. Set-like relations
(tags, actors, attached sources, links, aliases, acquisitions) merge as unions:
nothing is ever removed by a merge, so deletions do not travel.

Everything happens in one write transaction; a preview runs the very same merge and
rolls it back.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    Blob,
    BundleImport,
    BundleRecord,
    ForeignHistory,
    HistoryEntry,
    MergeReview,
    SyncBase,
)
from desk import backups, history
from desk.bundles import records
from desk.bundles.reader import BundleCancelled, BundleReader, ValidatedBundle
from desk.bundles.reader import BundleRecord as Line
from desk.bundles.schema import BLOB_PREFIX
from desk.errors import CaseError, DeskError

if TYPE_CHECKING:
    from desk.case import Case

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

# History keeps what changed, not megabytes of text.
_HISTORY_SKIPS = ("text", "thumbnail")


@dataclass
class TypeCounts:
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    review: int = 0  # records with at least one field to review

    def to_json(self) -> dict[str, int]:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "review": self.review,
        }


@dataclass
class MergePlan:
    """What a merge adds, finds present, changes and leaves for review, per record type.

    ``preview`` returns it without changing the case; ``apply`` after committing.
    """

    bundle_sha256: str
    counts: dict[str, TypeCounts] = field(
        default_factory=lambda: {kind.name: TypeCounts() for kind in records.TYPES}
    )
    reviews: int = 0  # fields waiting for the analyst
    blobs: int = 0  # originals added
    history: int = 0  # history entries of the other case kept
    bases: int = 0  # records whose last-exchanged version was updated
    applied: bool = False
    import_id: uuid.UUID | None = None
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        records_changed = any(c.added or c.updated or c.review for c in self.counts.values())
        return records_changed or bool(self.blobs or self.history or self.bases)

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.counts.values())

    def summary(self) -> str:
        if not self.changed:
            return "Nothing to import: everything in this bundle is already in the case."
        parts = [
            f"{self.total('added')} new",
            f"{self.total('updated')} merged",
            f"{self.total('unchanged')} already here",
        ]
        if self.reviews:
            parts.append(f"{self.reviews} change(s) to review")
        verb = "Imported" if self.applied else "Would import"
        return f"{verb}: " + ", ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle_sha256": self.bundle_sha256,
            "applied": self.applied,
            "changed": self.changed,
            "counts": {name: c.to_json() for name, c in self.counts.items()},
            "reviews": self.reviews,
            "originals_added": self.blobs,
            "history_entries_added": self.history,
            "import_id": str(self.import_id) if self.import_id else None,
            "backup": str(self.backup) if self.backup else None,
        }


class _Rollback(Exception):
    """Carries the plan out of a transaction that must not commit."""

    def __init__(self, plan: MergePlan) -> None:
        super().__init__("rollback")
        self.plan = plan


def preview(
    case: Case,
    bundle: ValidatedBundle,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MergePlan:
    """What ``apply`` would do: the same merge, rolled back."""
    return _run(case, bundle, True, progress, cancelled)


def apply(
    case: Case,
    bundle: ValidatedBundle,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MergePlan:
    """Merge the bundle in one transaction; a backup of the case is written first.

    The backup is taken inside the transaction, just before it commits, from the last
    committed state (readers never see uncommitted writes): the case as it was before
    the import, and no backup at all when the bundle brings nothing new.
    """
    return _run(case, bundle, False, progress, cancelled)


def _run(
    case: Case,
    bundle: ValidatedBundle,
    dry_run: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> MergePlan:
    try:
        with case.write() as session:
            plan = _Merger(case, session, bundle, dry_run, progress, cancelled).run()
            if dry_run or not plan.changed:
                raise _Rollback(plan)
            try:
                plan.backup = backups.snapshot(case.path, "before-bundle-import")
            except CaseError as exc:
                raise DeskError(
                    f"{case.path}: the backup before the import could not be written, so "
                    f"nothing was imported ({str(exc).rstrip('.')})."
                ) from exc
            plan.applied = True
    except _Rollback as stop:
        return stop.plan
    except IntegrityError as exc:
        raise bundle.refused(f"it cannot be merged into this case ({exc.orig})") from exc
    return plan


class _Merger:
    def __init__(
        self,
        case: Case,
        session: Session,
        bundle: ValidatedBundle,
        dry_run: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> None:
        self.case = case
        self.session = session
        self.bundle = bundle
        self.dry_run = dry_run
        self.progress = progress
        self.cancelled = cancelled
        self.plan = MergePlan(bundle.sha256)
        self.ids: records.IdMap = {}
        self.deferred: list[tuple[records.SetField, uuid.UUID, list[Any]]] = []
        self.incidents_to_evaluate: set[uuid.UUID] = set()
        self.provenance: set[tuple[str, uuid.UUID]] = set()
        self.origin = f"bundle {bundle.short_id} ({bundle.signature.describe()})"
        self.done = 0
        self.total = sum(bundle.manifest.counts.values()) + 1
        manifest = bundle.manifest
        self.imported = BundleImport(
            id=uuid.uuid4(),
            bundle_sha256=bundle.sha256,
            file_name=bundle.path.name[:1000],
            signature=bundle.signature.status,
            signer_key_id=bundle.signature.key_id,
            signer_trusted=bundle.signature.trusted,
            source_case_id=manifest.case_id,
            source_case_title=manifest.case_title,
            created_by=manifest.created_by,
            created_at=manifest.created_at,
            history_head=manifest.history_head,
            imported_by=case.analyst,
            counts={},
        )

    def step(self, label: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise BundleCancelled("The import was cancelled; the case is as it was.")
        if self.progress is not None:
            self.progress(self.done, self.total, label)
        self.done += 1

    def run(self) -> MergePlan:
        self.session.add(self.imported)
        self.session.flush()
        with self.bundle.open() as reader:
            for line in reader.records():
                self.step(line.kind.describe(line.data))
                self.merge(reader, line)
            for set_field, owner, items in self.deferred:
                set_field.add(self.session, owner, items)
            self.session.flush()
            for incident_id in sorted(self.incidents_to_evaluate):
                _reevaluate(self.case, self.session, incident_id)
            self.step("history")
            self.keep_history(reader)
        self.finish()
        return self.plan

    # -- one record -----------------------------------------------------------

    def merge(self, reader: BundleReader, line: Line) -> None:
        kind = line.kind
        data = records.map_refs(kind, line.data, self.ids)
        base = records.map_refs(kind, line.base, self.ids) if line.base is not None else None
        row = self.session.get(kind.model, uuid.UUID(line.id))
        if row is None and kind.natural is not None:
            same = kind.natural(self.session, data)
            row = self.session.get(kind.model, same) if same is not None else None
        if row is None:
            self.add(reader, kind, line, data)
            return
        self.ids[line.id] = str(row.id)
        self.update(kind, line, row, data, base)

    def add(
        self, reader: BundleReader, kind: records.RecordType, line: Line, data: dict[str, Any]
    ) -> None:
        if kind is records.SOURCE and data["blob"] is not None:
            self.ensure_blob(reader, data["blob"], data["media_type"])
        row = records.create(self.session, kind, uuid.UUID(line.id), data)
        row.revision = line.revision
        for set_field in kind.sets:
            items = records.missing_items(set_field, [], data[set_field.key])
            self.add_items(set_field, row.id, items)
        self.session.flush()
        history.record(
            self.session,
            actor=self.case.analyst,
            action="create",
            entity_type=kind.name,
            entity_id=row.id,
            summary=f"{_capital(kind.describe(data))} imported from {self.origin}",
            after=_for_history(data),
        )
        records.remember_base(
            self.session,
            kind.name,
            row.id,
            line.revision,
            records.base_form(kind, data),
            self.bundle.sha256,
        )
        self.remember(kind, row.id, line.id, "added")
        self.plan.counts[kind.name].added += 1
        self.note_claims(kind, data)

    def update(
        self,
        kind: records.RecordType,
        line: Line,
        row: Any,
        data: dict[str, Any],
        bundle_base: dict[str, Any] | None,
    ) -> None:
        local = records.snapshot(self.session, kind, row)
        incoming_form = records.base_form(kind, data)
        local_form = records.base_form(kind, local)
        stored = self.session.get(SyncBase, (kind.name, row.id))
        base = bundle_base if bundle_base is not None else (stored.snapshot if stored else None)
        take: list[str] = []
        conflicts: list[str] = []
        # The very version received or sent before brings nothing to its fields.
        if stored is None or stored.snapshot != incoming_form:
            for group in kind.groups:
                theirs = records.group_value(kind, incoming_form, group)
                ours = records.group_value(kind, local_form, group)
                if theirs == ours:
                    continue
                common = records.group_value(kind, base, group) if base is not None else None
                if common is not None and theirs == common:
                    continue  # only this case changed it
                if common is not None and ours == common:
                    take.append(group)  # only the colleague changed it
                else:
                    conflicts.append(group)
        additions = {s.key: records.missing_items(s, local[s.key], data[s.key]) for s in kind.sets}
        additions = {key: items for key, items in additions.items() if items}
        if take or additions:
            for group in take:
                records.write(row, kind, kind.groups[group], data)
            for set_field in kind.sets:
                if set_field.key in additions:
                    self.add_items(set_field, row.id, additions[set_field.key])
            row.revision += 1
            self.session.flush()
        new_reviews = [g for g in conflicts if self.open_review(kind, row.id, g, local, data)]
        if take or additions or new_reviews:
            self.record_merge(kind, row, local, data, take, additions, new_reviews)
        if records.remember_base(
            self.session, kind.name, row.id, line.revision, incoming_form, self.bundle.sha256
        ):
            self.plan.bases += 1
        counts = self.plan.counts[kind.name]
        if new_reviews:
            counts.review += 1
            self.remember(kind, row.id, line.id, "review")
        elif take or additions:
            counts.updated += 1
            self.remember(kind, row.id, line.id, "updated")
        else:
            counts.unchanged += 1
        if take or additions or new_reviews:
            self.note_claims(kind, data)

    def record_merge(
        self,
        kind: records.RecordType,
        row: Any,
        local: dict[str, Any],
        data: dict[str, Any],
        take: list[str],
        additions: dict[str, list[Any]],
        reviews: list[str],
    ) -> None:
        what = []
        if take:
            what.append("took " + ", ".join(take))
        if additions:
            what.append("added " + ", ".join(additions))
        if reviews:
            what.append(f"{', '.join(reviews)} changed on both sides: kept here, theirs to review")
        before = {g: records.group_value(kind, local, g) for g in take}
        after: dict[str, Any] = {g: records.group_value(kind, data, g) for g in take}
        after.update(additions)
        if reviews:
            after["to_review"] = reviews
        history.record(
            self.session,
            actor=self.case.analyst,
            action="merge",
            entity_type=kind.name,
            entity_id=row.id,
            summary=f"{_capital(kind.describe(data))} merged from {self.origin}: "
            + "; ".join(what),
            before=_for_history(before) or None,
            after=_for_history(after),
        )

    def open_review(
        self,
        kind: records.RecordType,
        record_id: uuid.UUID,
        group: str,
        local: dict[str, Any],
        data: dict[str, Any],
    ) -> bool:
        """Keep the colleague's value beside ours; False when it waits already."""
        incoming = records.group_value(kind, data, group)
        waiting = self.session.scalars(
            select(MergeReview.incoming_value).where(
                MergeReview.record_id == record_id,
                MergeReview.field == group,
                MergeReview.status == "open",
            )
        )
        if any(value == incoming for value in waiting):
            return False
        stored = self.session.get(SyncBase, (kind.name, record_id))
        self.session.add(
            MergeReview(
                record_type=kind.name,
                record_id=record_id,
                field=group,
                local_value=records.group_value(kind, local, group),
                incoming_value=incoming,
                base_value=records.group_value(kind, stored.snapshot, group) if stored else None,
                import_id=self.imported.id,
                bundle_sha256=self.bundle.sha256,
            )
        )
        self.plan.reviews += 1
        return True

    # -- pieces -----------------------------------------------------------------

    def add_items(self, set_field: records.SetField, owner: uuid.UUID, items: list[Any]) -> None:
        if not items:
            return
        if set_field.deferred:
            self.deferred.append((set_field, owner, items))
        else:
            set_field.add(self.session, owner, items)

    def ensure_blob(self, reader: BundleReader, sha256: str, media_type: str) -> None:
        """Copy an original into the case unless it is there (blobs dedupe by hash)."""
        if self.session.get(Blob, sha256) is not None:
            return
        size = self.bundle.manifest.members[BLOB_PREFIX + sha256].size
        self.plan.blobs += 1
        if self.dry_run:
            self.session.add(Blob(sha256=sha256, size=size, media_type=media_type, data=b""))
            self.session.flush()
            return
        # Room for the bytes first, then written in chunks: never the whole file in memory.
        self.session.add(
            Blob(sha256=sha256, size=size, media_type=media_type, data=func.zeroblob(size))
        )
        self.session.flush()
        raw = cast(sqlite3.Connection, self.session.connection().connection.driver_connection)
        rowid = self.session.scalar(text("SELECT rowid FROM blob WHERE sha256 = :s"), {"s": sha256})
        try:
            with raw.blobopen("blob", "data", rowid) as out:
                for chunk in reader.blob(sha256):
                    out.write(chunk)
        except sqlite3.Error as exc:
            raise DeskError(f"{self.case.path}: the original could not be stored ({exc}).") from exc

    def remember(
        self, kind: records.RecordType, record_id: uuid.UUID, incoming: str, outcome: str
    ) -> None:
        if (kind.name, record_id) in self.provenance:
            return
        self.provenance.add((kind.name, record_id))
        self.session.add(
            BundleRecord(
                import_id=self.imported.id,
                record_type=kind.name,
                record_id=record_id,
                incoming_id=uuid.UUID(incoming),
                outcome=outcome,
            )
        )

    def note_claims(self, kind: records.RecordType, data: dict[str, Any]) -> None:
        if kind in (records.CLAIM, records.RESOLUTION):
            self.incidents_to_evaluate.add(uuid.UUID(data["incident"]))

    def keep_history(self, reader: BundleReader) -> None:
        """The other case's entries about these records, so custody continues here."""
        for entry in reader.history():
            digest = entry["hash"]
            if self.session.get(ForeignHistory, digest) is not None:
                continue
            if self.session.scalar(
                select(HistoryEntry.seq).where(HistoryEntry.entry_hash == digest)
            ):
                continue  # our own entry, come back
            entity = entry["entity_id"]
            self.session.add(
                ForeignHistory(
                    entry_hash=digest,
                    prev_hash=entry["prev_hash"],
                    seq=entry["seq"],
                    at=entry["at"],
                    actor=entry["actor"],
                    action=entry["action"],
                    entity_type=entry["entity_type"],
                    entity_id=uuid.UUID(entity) if entity else None,
                    summary=entry["summary"],
                    before=entry["before"],
                    after=entry["after"],
                    record_id=uuid.UUID(self.ids.get(entity, entity)) if entity else None,
                    import_id=self.imported.id,
                )
            )
            self.session.flush()
            self.plan.history += 1

    def finish(self) -> None:
        plan = self.plan
        self.imported.counts = {name: c.to_json() for name, c in plan.counts.items()}
        plan.import_id = self.imported.id
        if not plan.changed:
            return
        manifest = self.bundle.manifest
        history.record(
            self.session,
            actor=self.case.analyst,
            action="import-bundle",
            entity_type="bundle",
            entity_id=self.imported.id,
            summary=f"Bundle {self.bundle.short_id} imported from case "
            f"'{manifest.case_title}' (made by {manifest.created_by}), "
            f"{self.bundle.signature.describe()}: {plan.summary()}",
            after={
                "sha256": self.bundle.sha256,
                "file": self.bundle.path.name,
                "signer": self.bundle.signature.key_id,
                "trusted": self.bundle.signature.trusted,
                "source_case": str(manifest.case_id),
                "counts": self.imported.counts,
                "reviews": plan.reviews,
            },
        )


def _reevaluate(case: Case, session: Session, incident_id: uuid.UUID) -> None:
    """Refresh an incident's open-conflict count after its claims changed."""
    case.claims._reevaluate(session, incident_id)


def _for_history(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (and the field groups in them) without the bulky keys."""
    return {
        k: _for_history(v) if isinstance(v, dict) else v
        for k, v in values.items()
        if k not in _HISTORY_SKIPS
    }


def _capital(text_: str) -> str:
    return text_[:1].upper() + text_[1:]
