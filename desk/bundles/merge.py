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

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from db import blobs
from db.batches import IN_LIST, batches, insert_rows
from db.models import (
    Blob,
    BundleImport,
    BundleRecord,
    ForeignHistory,
    HistoryEntry,
    Incident,
    MergeReview,
    Source,
)
from desk import backups, history
from desk.bundles import records
from desk.bundles.prefetch import Prefetch
from desk.bundles.reader import BundleCancelled, BundleReader, ValidatedBundle
from desk.bundles.reader import BundleRecord as Line
from desk.bundles.schema import BLOB_PREFIX
from desk.errors import CaseError, DeskError
from desk.services.claims import incidents_naming

if TYPE_CHECKING:
    from desk.case import Case

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

# History keeps what changed, not megabytes of text.
_HISTORY_SKIPS = ("text", "thumbnail")
# Records merged together: one query finds those already here, one flush writes the
# new ones. The characters bound the text held at once (a source may carry megabytes).
_BATCH = IN_LIST
_BATCH_CHARS = 16 << 20
# New records of these types are written with one INSERT per batch, not as ORM objects
# (the bulk of a bundle). A source is found by its original: when a later line of the
# batch holds the same one, what the batch added so far is written first.
_BULK = (records.SOURCE, records.INCIDENT, records.CLAIM, records.NOTE)


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
        # Spellings of the places and actors added or given names here: claims here
        # that use them may now name one thing, and agree.
        self.spellings_joined: dict[str, set[str]] = {kind: set() for kind in _NAMED_IN_CLAIMS}
        self.provenance: set[tuple[str, uuid.UUID]] = set()
        # Provenance rows, written at the end of each batch (nothing reads them before).
        self.provenance_rows: list[dict[str, Any]] = []
        self.bases = records.Bases(session)
        # Items of the batch's records added together at its end (tags).
        self.gathered: dict[str, tuple[records.SetField, list[tuple[uuid.UUID, list[Any]]]]] = {}
        self.by_blob: dict[str, uuid.UUID] = {}  # the batch's sources by their original
        # The records here (and the batch's new ones) by the batch's spellings, and
        # whether a merge may have changed them since they were read.
        self.spelled: dict[str, set[uuid.UUID]] = {}
        self.spelled_stale = False
        self.copied: set[str] = set()  # originals hashed as they were stored
        self.blobs_here: set[str] = set()  # the batch's originals already in the case
        self.prefetch: Prefetch | None = None  # the batch's new originals, read ahead
        self.changes: list[history.Change] = []  # written at the end of each batch
        # The batch's new records of a ``_BULK`` type, and their set items (added once
        # the rows they belong to are written).
        self.new_rows: list[dict[str, Any]] = []
        self.new_items: list[tuple[records.SetField, uuid.UUID, list[Any]]] = []
        self.origin = f"bundle {bundle.short_id} ({bundle.signature.describe()})"
        self.done = 0
        self.originals = sorted(
            name.removeprefix(BLOB_PREFIX)
            for name in bundle.manifest.members
            if name.startswith(BLOB_PREFIX)
        )
        self.total = sum(bundle.manifest.counts.values()) + 1
        if not dry_run:
            self.total += len(self.originals)
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
            # Checked by open_bundle: see BundleReader.records.
            for batch in _batches(reader.records(check=False)):
                self.merge_batch(reader, batch)
            for set_field, owner, items in self.deferred:
                set_field.add(self.session, owner, items)
            self.session.flush()
            self.reevaluate()
            self.step("history")
            self.keep_history(reader)
            if not self.dry_run:
                self.check_other_originals(reader)
        self.finish()
        return self.plan

    # -- one record -----------------------------------------------------------

    def merge_batch(self, reader: BundleReader, lines: list[Line]) -> None:
        """Records of one type, merged one by one as ``merge`` says, but those already
        here (and their bases) read in one query, and the new ones written together."""
        kind = lines[0].kind
        ids = [uuid.UUID(line.id) for line in lines]
        here = {
            row.id: row
            for row in self.session.scalars(select(kind.model).where(kind.model.id.in_(ids)))
        }
        self.bases.load(kind.name, ids)
        if kind is records.SOURCE:
            self.load_sources(lines)
            self.read_ahead(reader, lines)
        if kind.spelling is not None:
            self.spelled.clear()
            self.spelled_stale = False
            sought = kind.spelling.sought
            self.load_spellings(kind.spelling, set().union(*(sought(ln.data) for ln in lines)))
        try:
            for line, record_id in zip(lines, ids, strict=True):
                self.step(kind.describe(line.data))
                self.merge(reader, line, here.get(record_id))
        finally:
            if self.prefetch is not None:
                self.prefetch.close()
                self.prefetch = None
        self.insert_new(kind)
        for set_field, items in self.gathered.values():
            assert set_field.add_many is not None
            set_field.add_many(self.session, items)
        self.gathered.clear()
        self.session.flush()
        history.record_many(self.session, self.case.analyst, self.changes)
        self.changes.clear()

    def merge(self, reader: BundleReader, line: Line, row: Any) -> None:
        """Add the record, or merge it into ``row`` (the record with its id, if any)."""
        kind = line.kind
        data = records.map_refs(kind, line.data, self.ids)
        base = records.map_refs(kind, line.base, self.ids) if line.base is not None else None
        if row is None and (kind.natural is not None or kind.spelling is not None):
            same = self.natural(kind, data)
            if same is not None and any(new["id"] == same for new in self.new_rows):
                self.insert_new(kind)  # added earlier in this batch, not written yet
            row = self.session.get(kind.model, same) if same is not None else None
        if row is None:
            self.add(reader, kind, line, data)
            return
        self.ids[line.id] = str(row.id)
        self.update(kind, line, row, data, base)

    def load_sources(self, lines: list[Line]) -> None:
        """The sources here that hold the originals of the batch's sources."""
        blobs = sorted({line.data["blob"] for line in lines if line.data["blob"] is not None})
        self.by_blob.clear()
        self.blobs_here.clear()
        for chunk in batches(blobs):
            found = self.session.execute(
                select(Source.blob_sha256, Source.id).where(Source.blob_sha256.in_(chunk))
            )
            self.by_blob.update((blob, source_id) for blob, source_id in found if blob)
            self.blobs_here.update(
                self.session.scalars(select(Blob.sha256).where(Blob.sha256.in_(chunk)))
            )

    def read_ahead(self, reader: BundleReader, lines: list[Line]) -> None:
        """Have the originals the batch will store read from the bundle ahead of it."""
        if self.dry_run:
            return
        members = self.bundle.manifest.members
        wanted: dict[str, int] = {}
        for line in lines:
            sha256 = line.data["blob"]
            if sha256 is None or sha256 in self.blobs_here or sha256 in wanted:
                continue
            size = members[BLOB_PREFIX + sha256].size
            if size <= blobs.GATHERED_MAX:
                wanted[sha256] = size
        self.prefetch = Prefetch(reader, list(wanted.items()))

    def load_spellings(self, spelling: records.Spelling, keys: Iterable[str]) -> None:
        """Read which records here have these spellings (the batch's, or a record's
        once a merge may have changed names or aliases)."""
        keys = sorted(set(keys))
        for key in keys:
            self.spelled.pop(key, None)
        for chunk in batches(keys):
            for key, record_id in spelling.find(self.session, chunk):
                self.spelled.setdefault(key, set()).add(record_id)

    def natural(self, kind: records.RecordType, data: dict[str, Any]) -> uuid.UUID | None:
        """The record here that is the same thing: a source (of which bundles hold many)
        by its original, and records known by their names by any of their spellings,
        from the batch's look-ups; the others by ``kind.natural``. Of several, the first
        by id, as a query ordered by id would give."""
        if kind is records.SOURCE:
            return self.by_blob.get(data["blob"]) if data["blob"] is not None else None
        if kind.spelling is not None:
            sought = kind.spelling.sought(data)
            if self.spelled_stale:
                self.load_spellings(kind.spelling, sought)
            found = {i for key in sought for i in self.spelled.get(key, ())}
            return min(found) if found else None
        assert kind.natural is not None
        return kind.natural(self.session, data)

    def add(
        self, reader: BundleReader, kind: records.RecordType, line: Line, data: dict[str, Any]
    ) -> None:
        if kind is records.SOURCE and data["blob"] is not None:
            self.ensure_blob(reader, data["blob"], data["media_type"])
            self.by_blob[data["blob"]] = uuid.UUID(line.id)
        record_id = uuid.UUID(line.id)
        if kind in _BULK:
            self.new_rows.append(records.row_values(kind, record_id, data, line.revision))
        else:
            records.create(self.session, kind, record_id, data, line.revision)
        for set_field in kind.sets:
            items = records.missing_items(set_field, [], data[set_field.key])
            if kind in _BULK:
                self.new_items.append((set_field, record_id, items))
            else:
                self.add_items(set_field, record_id, items)
        self.changes.append(
            history.Change(
                action="create",
                entity_type=kind.name,
                entity_id=record_id,
                summary=f"{_capital(kind.describe(data))} imported from {self.origin}",
                after=_for_history(data),
            )
        )
        form = records.base_form(kind, data)
        if kind in _BULK:
            self.bases.add(kind.name, record_id, line.revision, form, self.bundle.sha256)
        else:
            self.bases.remember(kind.name, record_id, line.revision, form, self.bundle.sha256)
        self.remember(kind, record_id, line.id, "added")
        if kind.spelling is not None:
            for key in kind.spelling.written(data):
                self.spelled.setdefault(key, set()).add(record_id)
        self.plan.counts[kind.name].added += 1
        self.note_claims(kind, data)
        self.note_spellings(kind, data)

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
        stored = self.bases.get(kind.name, row.id)
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
            self.spelled_stale = kind.spelling is not None
        new_reviews = [g for g in conflicts if self.open_review(kind, row.id, g, local, data)]
        if take or additions or new_reviews:
            self.record_merge(kind, row, local, data, take, additions, new_reviews)
        if self.bases.remember(kind.name, row.id, line.revision, incoming_form, self.bundle.sha256):
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
        if take or additions:
            self.note_spellings(kind, data, local)

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
        self.changes.append(
            history.Change(
                action="merge",
                entity_type=kind.name,
                entity_id=row.id,
                summary=f"{_capital(kind.describe(data))} merged from {self.origin}: "
                + "; ".join(what),
                before=_for_history(before) or None,
                after=_for_history(after),
            )
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
        stored = self.bases.get(kind.name, record_id)
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

    def insert_new(self, kind: records.RecordType) -> None:
        """Write the batch's new ``_BULK`` records in one INSERT (the database's
        triggers keep the search index and counts as for any insert), then their items,
        and the batch's new bases and provenance rows.

        The rows carry explicit NULLs, which change nothing: no nullable column of these
        types has a default."""
        insert_rows(self.session, kind.model, self.new_rows)
        self.new_rows.clear()
        self.bases.write()
        insert_rows(self.session, BundleRecord, self.provenance_rows)
        self.provenance_rows.clear()
        for set_field, owner, items in self.new_items:
            self.add_items(set_field, owner, items)
        self.new_items.clear()

    def add_items(self, set_field: records.SetField, owner: uuid.UUID, items: list[Any]) -> None:
        if not items:
            return
        if set_field.deferred:
            self.deferred.append((set_field, owner, items))
        elif set_field.add_many is not None:
            self.gathered.setdefault(set_field.key, (set_field, []))[1].append((owner, items))
        else:
            set_field.add(self.session, owner, items)

    def ensure_blob(self, reader: BundleReader, sha256: str, media_type: str) -> None:
        """Copy an original into the case unless it is there (blobs dedupe by hash).

        Whether it is comes from the batch's look-up (``load_sources``) and the originals
        stored since: no query, and so no flush of the batch's pending rows, per source."""
        if sha256 in self.blobs_here:
            return
        self.blobs_here.add(sha256)
        size = self.bundle.manifest.members[BLOB_PREFIX + sha256].size
        self.plan.blobs += 1
        if self.dry_run:
            self.session.add(Blob(sha256=sha256, size=size, media_type=media_type, data=b""))
            self.session.flush()
            return
        # Streamed from the zip into the case (chunked over 1 GB): never whole in memory.
        # The reader hashes the bytes as they pass and raises at the end if they are
        # not the manifest's: this transaction, partial rows and all, is rolled back.
        self.copied.add(sha256)
        try:
            # The batch's pending records are written at its end, not before each original.
            read = self.prefetch.take(sha256) if self.prefetch is not None else None
            pieces = reader.blob(sha256) if read is None else [read]
            with self.session.no_autoflush:
                blobs.write_blob(self.session, sha256, size, media_type, pieces)
        except blobs.BlobError as exc:
            raise DeskError(f"{self.case.path}: the original could not be stored ({exc}).") from exc
        except DBAPIError as exc:
            raise DeskError(
                f"{self.case.path}: the original could not be stored ({exc.orig})."
            ) from exc

    def check_other_originals(self, reader: BundleReader) -> None:
        """Hash the originals not stored (already in the case, or named by no record):
        a bundle with any altered member is refused whole, as its signature promises."""
        for sha256 in self.originals:
            self.step(f"original {sha256[:12]}")
            if sha256 not in self.copied:
                for _ in reader.blob(sha256):
                    if self.cancelled is not None and self.cancelled():
                        raise BundleCancelled("The import was cancelled; the case is as it was.")

    def remember(
        self, kind: records.RecordType, record_id: uuid.UUID, incoming: str, outcome: str
    ) -> None:
        if (kind.name, record_id) in self.provenance:
            return
        self.provenance.add((kind.name, record_id))
        self.provenance_rows.append(
            {
                "import_id": self.imported.id,
                "record_type": kind.name,
                "record_id": record_id,
                "incoming_id": uuid.UUID(incoming),
                "outcome": outcome,
            }
        )

    def note_claims(self, kind: records.RecordType, data: dict[str, Any]) -> None:
        if kind in (records.CLAIM, records.RESOLUTION):
            self.incidents_to_evaluate.add(uuid.UUID(data["incident"]))

    def note_spellings(self, kind: records.RecordType, *versions: dict[str, Any]) -> None:
        if kind.name in self.spellings_joined and kind.spelling is not None:
            for data in versions:
                self.spellings_joined[kind.name].update(kind.spelling.sought(data))

    def reevaluate(self) -> None:
        """Refresh the open-conflict counts of the incidents whose claims changed or
        whose claims' spellings were joined, the conflicts of many incidents read
        together (as the conflict board does)."""
        for field_name, norms in self.spellings_joined.items():
            self.incidents_to_evaluate.update(incidents_naming(self.session, field_name, norms))
        for chunk in batches(sorted(self.incidents_to_evaluate)):
            open_counts = dict.fromkeys(chunk, 0)
            for conflict in self.case.claims._conflicts_of_many(self.session, chunk):
                open_counts[conflict.incident_id] += conflict.is_open
            for incident in self.session.scalars(select(Incident).where(Incident.id.in_(chunk))):
                incident.open_conflicts = open_counts[incident.id]

    def keep_history(self, reader: BundleReader) -> None:
        """The other case's entries about these records, so custody continues here."""
        entries: list[dict[str, Any]] = []
        for entry in reader.history(check=False):
            entries.append(entry)
            if len(entries) == _BATCH:
                self.keep_entries(entries)
                entries.clear()
        self.keep_entries(entries)

    def keep_entries(self, entries: list[dict[str, Any]]) -> None:
        digests = [entry["hash"] for entry in entries]
        # Entries kept from an earlier bundle, and our own entries come back.
        known = set(
            self.session.scalars(
                select(ForeignHistory.entry_hash).where(ForeignHistory.entry_hash.in_(digests))
            )
        )
        known.update(
            self.session.scalars(
                select(HistoryEntry.entry_hash).where(HistoryEntry.entry_hash.in_(digests))
            )
        )
        kept: list[dict[str, Any]] = []
        for entry in entries:
            digest = entry["hash"]
            if digest in known:
                continue
            known.add(digest)
            entity = entry["entity_id"]
            kept.append(
                {
                    "entry_hash": digest,
                    "prev_hash": entry["prev_hash"],
                    "seq": entry["seq"],
                    "at": entry["at"],
                    "actor": entry["actor"],
                    "action": entry["action"],
                    "entity_type": entry["entity_type"],
                    "entity_id": uuid.UUID(entity) if entity else None,
                    "summary": entry["summary"],
                    "before": entry["before"],
                    "after": entry["after"],
                    "record_id": uuid.UUID(self.ids.get(entity, entity)) if entity else None,
                    "import_id": self.imported.id,
                }
            )
        if kept:
            self.session.execute(insert(ForeignHistory), kept)
            self.plan.history += len(kept)

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


# Record types whose spellings claims use (in the claim field of the type's name).
_NAMED_IN_CLAIMS = (records.PLACE.name, records.ACTOR.name)


def _batches(lines: Iterable[Line]) -> Iterator[list[Line]]:
    """Consecutive lines of one type, at most ``_BATCH`` of them and about
    ``_BATCH_CHARS`` characters of text (a bundle lists its records type by type)."""
    batch: list[Line] = []
    chars = 0
    for line in lines:
        if batch and (line.type != batch[0].type or len(batch) == _BATCH or chars > _BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(line)
        chars += sum(len(value) for value in line.data.values() if isinstance(value, str))
    if batch:
        yield batch


def _for_history(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (and the field groups in them) without the bulky keys."""
    return {
        k: _for_history(v) if isinstance(v, dict) else v
        for k, v in values.items()
        if k not in _HISTORY_SKIPS
    }


def _capital(text_: str) -> str:
    return text_[:1].upper() + text_[1:]
