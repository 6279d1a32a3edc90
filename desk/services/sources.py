"""Sources: import files as evidence, read them back, save originals."""

from __future__ import annotations

import builtins
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from db import blobs
from db.models import Acquisition, Blob, IncidentSource, Outlet, Source
from desk import history
from desk.errors import BadInputError, DeskError, IngestError, NotFoundError
from desk.files import atomic_write_pieces, size_text
from desk.ingest import SUPPORTED_SUFFIXES, extract, identify
from desk.ingest.model import Extracted, SourceKind
from desk.ingest.sniff import Family, FileType
from desk.ingest.text import file_stem
from desk.ingest.worker import Extraction
from desk.services.incidents import attach_in

if TYPE_CHECKING:
    from desk.case import Case

# SQLite refuses values over 1 GB; larger originals need chunked blobs (not yet).
MAX_FILE_BYTES = 1_000_000_000

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class AcquisitionView:
    acquired_at: datetime
    acquired_by: str
    original_filename: str
    original_path: str | None
    method: str

    def to_json(self) -> dict[str, Any]:
        return {
            "acquired_at": self.acquired_at.isoformat(),
            "acquired_by": self.acquired_by,
            "original_filename": self.original_filename,
            "original_path": self.original_path,
            "method": self.method,
        }


@dataclass(frozen=True)
class SourceView:
    """A source's metadata (not its text or bytes, which are fetched on demand)."""

    id: uuid.UUID
    kind: str
    title: str
    author: str | None
    outlet: str | None
    outlet_reliability: str | None
    url: str | None
    published_at: datetime | None
    published_precision: str | None
    language: str | None
    media_type: str
    sha256: str | None
    size: int | None
    original_filename: str | None
    text_chars: int
    page_count: int | None
    extraction_warning: str | None
    image_width: int | None
    image_height: int | None
    image_orientation: int | None
    taken_at: datetime | None
    gps_lat: float | None
    gps_lon: float | None
    graphic: bool
    details: dict[str, Any]
    acquisitions: tuple[AcquisitionView, ...]
    incident_ids: tuple[uuid.UUID, ...]

    @property
    def published_text(self) -> str:
        return format_published(self.published_at, self.published_precision)

    @property
    def acquired_at(self) -> datetime | None:
        return self.acquisitions[0].acquired_at if self.acquisitions else None

    @property
    def upright_size(self) -> tuple[int, int] | None:
        if self.image_width is None or self.image_height is None:
            return None
        if self.image_orientation in (5, 6, 7, 8):
            return self.image_height, self.image_width
        return self.image_width, self.image_height

    def to_json(self) -> dict[str, Any]:
        gps = (
            {"latitude": self.gps_lat, "longitude": self.gps_lon}
            if self.gps_lat is not None and self.gps_lon is not None
            else None
        )
        image = None
        if self.upright_size is not None:
            width, height = self.upright_size
            image = {
                "width": width,
                "height": height,
                "orientation": self.image_orientation,
                "taken_at": self.taken_at.isoformat() if self.taken_at else None,
                "gps": gps,
                "graphic": self.graphic,
                "camera": self.details.get("camera"),
            }
        return {
            "id": str(self.id),
            "kind": self.kind,
            "title": self.title,
            "author": self.author,
            "outlet": self.outlet,
            "outlet_reliability": self.outlet_reliability,
            "url": self.url,
            "published": self.published_text or None,
            "language": self.language,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "size": self.size,
            "original_filename": self.original_filename,
            "text_chars": self.text_chars,
            "pages": self.page_count,
            "warning": self.extraction_warning,
            "image": image,
            "acquisitions": [a.to_json() for a in self.acquisitions],
            "incidents": [str(i) for i in self.incident_ids],
        }


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file: a source (new or already there), or an error."""

    path: Path
    source: SourceView | None = None
    created: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def format_published(value: datetime | None, precision: str | None) -> str:
    if value is None:
        return ""
    if precision == "datetime":
        return value.isoformat()
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.date().isoformat()


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the supported files inside any folder given (sorted)."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                )
            )
        else:
            result.append(path)
    return result


def is_large(path: Path) -> bool:
    """Too large to hold in memory or keep as one value: imported in chunks, unread."""
    try:
        return path.stat().st_size > blobs.SINGLE_VALUE_MAX
    except OSError:
        return False  # read_file names the problem


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(path.name, f"the file is {size:,} bytes; the limit is 1 GB")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError(path.name, "the file does not exist") from exc
    except IsADirectoryError as exc:
        raise IngestError(path.name, "this is a folder, not a file") from exc
    except OSError as exc:
        raise IngestError(path.name, f"the file cannot be read ({exc.strerror})") from exc


def _load(session: Session, source_id: uuid.UUID) -> Source:
    source = session.scalar(
        select(Source)
        .where(Source.id == source_id)
        .options(selectinload(Source.outlet), selectinload(Source.acquisitions))
    )
    if source is None:
        raise NotFoundError(f"There is no source {source_id} in this case.")
    return source


def _view(session: Session, source: Source) -> SourceView:
    size = (
        session.scalar(select(Blob.size).where(Blob.sha256 == source.blob_sha256))
        if source.blob_sha256
        else None
    )
    incident_ids = session.scalars(
        select(IncidentSource.incident_id).where(IncidentSource.source_id == source.id)
    ).all()
    acquisitions = [acquisition_view(a) for a in source.acquisitions]
    return source_view(source, source.outlet, size, acquisitions, incident_ids)


def acquisition_view(acquisition: Acquisition) -> AcquisitionView:
    return AcquisitionView(
        acquired_at=acquisition.acquired_at,
        acquired_by=acquisition.acquired_by,
        original_filename=acquisition.original_filename,
        original_path=acquisition.original_path,
        method=acquisition.method,
    )


def source_view(
    source: Source,
    outlet: Outlet | None,
    size: int | None,
    acquisitions: Iterable[AcquisitionView],
    incident_ids: Iterable[uuid.UUID],
) -> SourceView:
    """The view of a source from what is already at hand (imports build it from what
    they wrote, without reading each source back)."""
    return SourceView(
        id=source.id,
        kind=source.kind,
        title=source.title,
        author=source.author,
        outlet=outlet.name if outlet else None,
        outlet_reliability=outlet.reliability if outlet else None,
        url=source.url,
        published_at=source.published_at,
        published_precision=source.published_precision,
        language=source.language,
        media_type=source.media_type,
        sha256=source.blob_sha256,
        size=size,
        original_filename=source.original_filename,
        text_chars=source.text_chars,
        page_count=source.page_count,
        extraction_warning=source.extraction_warning,
        image_width=source.image_width,
        image_height=source.image_height,
        image_orientation=source.image_orientation,
        taken_at=source.taken_at,
        gps_lat=source.gps_lat,
        gps_lon=source.gps_lon,
        graphic=source.graphic,
        details=dict(source.details or {}),
        acquisitions=tuple(acquisitions),
        incident_ids=tuple(incident_ids),
    )


EDITABLE = frozenset(
    {"title", "author", "outlet", "url", "published_at", "published_precision", "language"}
)


def _editable(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "author": source.author,
        "outlet": source.outlet.name if source.outlet else None,
        "url": source.url,
        "published_at": source.published_at.isoformat() if source.published_at else None,
        "published_precision": source.published_precision,
        "language": source.language,
    }


def outlet_named(session: Session, name: str) -> Outlet:
    outlet = session.scalar(select(Outlet).where(Outlet.name == name))
    if outlet is None:
        outlet = Outlet(name=name)
        session.add(outlet)
        session.flush()
    return outlet


def _details(found: Extracted) -> dict[str, Any]:
    details: dict[str, Any] = dict(found.metadata)
    if found.image is not None:
        if found.image.camera:
            details["camera"] = found.image.camera
        if found.image.gps_note:
            details["gps_note"] = found.image.gps_note
        details["format"] = found.image.format
    if found.warnings:
        details["warnings"] = list(found.warnings)
    return details


def _new_source(found: Extracted, sha256: str, filename: str) -> Source:
    image = found.image
    return Source(
        kind=found.kind,
        title=found.title,
        author=found.author,
        url=found.url,
        published_at=found.published,
        published_precision=found.published_precision if found.published else None,
        language=found.language,
        media_type=found.media_type,
        blob_sha256=sha256,
        original_filename=filename,
        text=found.text,
        text_chars=len(found.text or ""),
        page_count=len(found.pages) if found.pages else None,
        extraction_warning="; ".join(found.warnings) or None,
        details=_details(found),
        image_width=image.width if image else None,
        image_height=image.height if image else None,
        image_orientation=image.orientation if image else None,
        taken_at=image.taken_at if image else None,
        gps_lat=image.gps_lat if image else None,
        gps_lon=image.gps_lon if image else None,
        thumbnail=image.thumbnail_jpeg if image else None,
    )


class SourceService:
    def __init__(self, case: Case) -> None:
        self._case = case

    # -- importing -----------------------------------------------------------

    def import_files(
        self,
        paths: Sequence[Path],
        incident_id: uuid.UUID | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> list[ImportOutcome]:
        """Import files (and the supported files in folders): good files are kept, bad
        ones reported, in the order given. See ``desk.services.importing``."""
        # Imported here: the importing module builds on this one's views and helpers.
        from desk.services.importing import FileImport

        if incident_id is not None:
            self._case.incidents.get(incident_id)
        return FileImport(self._case, incident_id, progress, cancelled).run(paths)

    def import_file(
        self, path: Path, incident_id: uuid.UUID | None = None
    ) -> tuple[SourceView, bool]:
        """Import one file; returns the source and whether it is new."""
        if is_large(path):
            return self.import_large_file(path, incident_id)
        data = read_file(path)
        return self.import_bytes(data, path.name, str(path.resolve()), incident_id)

    def import_bytes(
        self,
        data: bytes,
        filename: str,
        original_path: str | None = None,
        incident_id: uuid.UUID | None = None,
    ) -> tuple[SourceView, bool]:
        from desk.services.importing import Pending, write_batch

        # The hash is taken before any parser sees the bytes (chain of custody).
        sha256 = hashlib.sha256(data).hexdigest()
        with self._case.read() as session:
            known = session.scalar(select(Source.id).where(Source.blob_sha256 == sha256))
        pending = Pending(
            path=Path(filename),
            filename=filename,
            original_path=original_path,
            data=data,
            sha256=sha256,
            in_case=known is not None,
            extraction=None if known else Extraction(found=extract(data, filename)),
        )
        with self._case.write() as session:
            (outcome,) = write_batch(session, self._case.analyst, incident_id, [pending])
        if outcome.source is None:  # removed from the case meanwhile, and unreadable
            raise BadInputError(outcome.error or f"{filename}: the file could not be read")
        return outcome.source, outcome.created

    def import_large_file(
        self, path: Path, incident_id: uuid.UUID | None = None
    ) -> tuple[SourceView, bool]:
        """Import a file too large to hold in memory (over ``blobs.SINGLE_VALUE_MAX``).

        The file is read twice in pieces, to hash it and then to store it (in chunks);
        its type comes from its first bytes and no text is extracted. Returns the source
        and whether it is new; the same bytes again make a re-acquisition.
        """
        filename = path.name
        # Refused by its first bytes before the rest is read.
        used, notes = identify(_head(path), filename)
        size, sha256 = _hash_file(path)
        with self._case.write() as session:
            analyst = self._case.analyst
            source = session.scalar(select(Source).where(Source.blob_sha256 == sha256))
            created = source is None
            if source is None:
                source = _store_large(session, path, used, notes, size, sha256)
            session.add(
                Acquisition(
                    source_id=source.id,
                    acquired_by=analyst,
                    original_filename=filename,
                    original_path=str(path.resolve()),
                )
            )
            history.record(
                session,
                actor=analyst,
                action="import" if created else "reacquire",
                entity_type="source",
                entity_id=source.id,
                summary=(
                    f"Source imported from {filename}: {source.title}"
                    if created
                    else f"Same bytes imported again from {filename}: {source.title}"
                ),
                after={"file": filename, "sha256": sha256, "path": str(path.resolve())},
            )
            if incident_id is not None:
                attach_in(session, analyst, incident_id, [source.id])
            session.flush()
            return _view(session, _load(session, source.id)), created

    # -- reading -------------------------------------------------------------

    def get(self, source_id: uuid.UUID) -> SourceView:
        with self._case.read() as session:
            return _view(session, _load(session, source_id))

    def list(
        self, incident_id: uuid.UUID | None = None, offset: int = 0, limit: int = 1000
    ) -> list[SourceView]:
        query = select(Source).options(
            selectinload(Source.outlet), selectinload(Source.acquisitions)
        )
        if incident_id is not None:
            query = query.join(IncidentSource, IncidentSource.source_id == Source.id).where(
                IncidentSource.incident_id == incident_id
            )
        query = query.order_by(
            Source.published_at.is_(None), Source.published_at, Source.title, Source.id
        )
        with self._case.read() as session:
            return [_view(session, s) for s in session.scalars(query.offset(offset).limit(limit))]

    def count(self) -> int:
        with self._case.read() as session:
            return session.scalar(select(func.count(Source.id))) or 0

    def find(
        self,
        text: str = "",
        limit: int = 200,
        exclude_incident: uuid.UUID | None = None,
    ) -> builtins.list[SourceView]:
        """Sources whose title, outlet, author or file name contains ``text`` (any case),
        by title; those attached to ``exclude_incident`` are left out."""
        query = (
            select(Source)
            .outerjoin(Outlet, Outlet.id == Source.outlet_id)
            .options(selectinload(Source.outlet), selectinload(Source.acquisitions))
        )
        if text.strip():
            escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            query = query.where(
                or_(
                    Source.title.ilike(pattern, escape="\\"),
                    Source.author.ilike(pattern, escape="\\"),
                    Source.original_filename.ilike(pattern, escape="\\"),
                    Outlet.name.ilike(pattern, escape="\\"),
                )
            )
        if exclude_incident is not None:
            query = query.where(
                Source.id.not_in(
                    select(IncidentSource.source_id).where(
                        IncidentSource.incident_id == exclude_incident
                    )
                )
            )
        query = query.order_by(Source.title, Source.id).limit(limit)
        with self._case.read() as session:
            return [_view(session, s) for s in session.scalars(query)]

    def text(self, source_id: uuid.UUID) -> str:
        with self._case.read() as session:
            text = session.scalar(select(Source.text).where(Source.id == source_id))
        return text or ""

    def thumbnail(self, source_id: uuid.UUID) -> bytes | None:
        with self._case.read() as session:
            return session.scalar(select(Source.thumbnail).where(Source.id == source_id))

    def display_image(self, source_id: uuid.UUID, max_side: int = 2048) -> bytes:
        """The image upright (EXIF orientation applied) as JPEG, at most ``max_side`` long."""
        source = self.get(source_id)
        if source.kind != "image":
            raise BadInputError(f"Source {source.title} is not an image.")
        from desk.ingest.image import upright_copy  # Pillow loads with the first picture

        data = self.original(source_id)
        return upright_copy(
            data, source.original_filename or source.title, source.media_type, max_side
        )

    def original(self, source_id: uuid.UUID) -> bytes:
        """The original bytes, checked against their SHA-256 before they leave the case.

        Originals too large for memory (chunked) are refused: save them to a file.
        """
        with self._case.read() as session:
            size = session.scalar(
                select(Blob.size)
                .join(Source, Source.blob_sha256 == Blob.sha256)
                .where(Source.id == source_id)
            )
            if size is not None and size > blobs.SINGLE_VALUE_MAX:
                raise BadInputError(
                    f"The original of source {source_id} is {size_text(size)}, too large to "
                    "open here; save it to a file instead."
                )
            return b"".join(self._checked_pieces(session, source_id))

    def save_original(self, source_id: uuid.UUID, target: Path) -> Path:
        """Write the original bytes to ``target`` (temporary file, fsync, rename).

        The bytes stream from the case to the file, hashed on the way: a file whose
        bytes do not match the SHA-256 is removed and never takes ``target``'s name.
        """
        with self._case.read() as session:
            atomic_write_pieces(target, self._checked_pieces(session, source_id))
        return target

    @staticmethod
    def _checked_pieces(session: Session, source_id: uuid.UUID) -> Iterator[bytes]:
        """The original's bytes in pieces; raises after the last one if they were altered."""
        sha256 = session.scalar(select(Source.blob_sha256).where(Source.id == source_id))
        if sha256 is None:
            raise NotFoundError(f"Source {source_id} has no original file in this case.")
        digest = hashlib.sha256()
        try:
            for piece in blobs.iter_blob(session, sha256):
                digest.update(piece)
                yield piece
        except blobs.BlobMissingError as exc:
            raise NotFoundError(f"Source {source_id} has no original file in this case.") from exc
        except blobs.BlobDamagedError as exc:
            raise DeskError(
                f"The original of source {source_id} is damaged ({exc}): the case file was "
                "altered. Run verify."
            ) from exc
        if digest.hexdigest() != sha256:
            raise DeskError(
                f"The original of source {source_id} no longer matches its SHA-256 {sha256}: "
                "the case file was altered. Run verify."
            )

    def history(self, source_id: uuid.UUID) -> builtins.list[history.HistoryItem]:
        with self._case.read() as session:
            return history.entries_for(session, source_id)

    # -- changing ------------------------------------------------------------

    def update(self, source_id: uuid.UUID, **changes: Any) -> SourceView:
        """Correct what extraction found (title, author, outlet, url, published, language).

        ``outlet`` is an outlet name (created if new) or None; ``published`` a UTC-aware
        datetime with ``published_precision``. History keeps what changed.
        """
        unknown = set(changes) - EDITABLE
        if unknown:
            raise BadInputError(f"Unknown source field(s): {', '.join(sorted(unknown))}.")
        if "title" in changes and not str(changes["title"]).strip():
            raise BadInputError("A source needs a title.")
        with self._case.write() as session:
            source = _load(session, source_id)
            before = _editable(source)
            for name, value in changes.items():
                if name == "outlet":
                    name_given = value.strip() if value else ""  # blank: no outlet
                    source.outlet = outlet_named(session, name_given) if name_given else None
                else:
                    setattr(source, name, value)
            session.flush()
            after = _editable(source)
            changed = [k for k in after if after[k] != before[k]]
            if changed:
                source.revision += 1
                history.record(
                    session,
                    actor=self._case.analyst,
                    action="update",
                    entity_type="source",
                    entity_id=source_id,
                    summary=f"Source edited ({', '.join(changed)}): {source.title}",
                    before={k: before[k] for k in changed},
                    after={k: after[k] for k in changed},
                )
            return _view(session, source)

    def set_graphic(self, source_id: uuid.UUID, graphic: bool) -> None:
        with self._case.write() as session:
            source = _load(session, source_id)
            if source.graphic == graphic:
                return
            source.graphic = graphic
            source.revision += 1
            history.record(
                session,
                actor=self._case.analyst,
                action="update",
                entity_type="source",
                entity_id=source_id,
                summary=f"Marked {'graphic' if graphic else 'not graphic'}: {source.title}",
                before={"graphic": not graphic},
                after={"graphic": graphic},
            )


# -- files too large for memory ---------------------------------------------------

PIECE_BYTES = 1 << 20  # what a large file is read in
# The kind the importers give each family (``desk.ingest``), without reading the file.
LARGE_FILE_KIND: dict[Family, SourceKind] = {
    "text": "article",
    "html": "article",
    "pdf": "document",
    "image": "image",
}


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """A file that cannot be read becomes an ``IngestError`` naming it."""
    try:
        yield
    except FileNotFoundError as exc:
        raise IngestError(path.name, "the file does not exist") from exc
    except IsADirectoryError as exc:
        raise IngestError(path.name, "this is a folder, not a file") from exc
    except OSError as exc:
        raise IngestError(path.name, f"the file cannot be read ({exc.strerror})") from exc


def _file_pieces(path: Path) -> Iterator[bytes]:
    with _reading(path), path.open("rb") as fh:
        while piece := fh.read(PIECE_BYTES):
            yield piece


def _hashed(pieces: Iterable[bytes], digest: hashlib._Hash) -> Iterator[bytes]:
    for piece in pieces:
        digest.update(piece)
        yield piece


def _head(path: Path) -> bytes:
    """The file's first piece (enough to tell its type)."""
    head = next(_file_pieces(path), b"")
    if not head:
        raise IngestError(path.name, "the file is empty")
    return head


def _hash_file(path: Path) -> tuple[int, str]:
    """The file's size and SHA-256, read in pieces."""
    digest = hashlib.sha256()
    size = sum(len(piece) for piece in _hashed(_file_pieces(path), digest))
    return size, digest.hexdigest()


def _store_large(
    session: Session, path: Path, used: FileType, notes: tuple[str, ...], size: int, sha256: str
) -> Source:
    """A source for a large file, its bytes streamed into the case; its text is not read."""
    found = Extracted(
        kind=LARGE_FILE_KIND[used.family],
        media_type=used.media_type,
        title=file_stem(path.name),
        warnings=(
            *notes,
            f"the file is {size_text(size)}: the text of files this large is not extracted",
        ),
    )
    # Hashed again as it is stored: the file may have changed since it was hashed.
    digest = hashlib.sha256()
    pieces = _hashed(_file_pieces(path), digest)
    changed = IngestError(path.name, "the file changed while it was being imported")
    try:
        blobs.write_blob(session, sha256, size, used.media_type, pieces)
    except blobs.BlobMismatchError as exc:
        raise changed from exc
    if digest.hexdigest() != sha256:
        raise changed
    source = _new_source(found, sha256, path.name)
    session.add(source)
    session.flush()
    return source
