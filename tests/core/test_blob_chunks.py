"""Originals stored whole or in chunks: written and read back in pieces, byte for byte."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from db import blobs, schema
from desk.bundles import merge
from desk.bundles.reader import open_bundle
from desk.bundles.schema import Limits
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError, DeskError, IngestError
from desk.services.incidents import IncidentFields
from desk.verify import verify_case


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _store(case: Case, data: bytes, piece: int = 1000) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    with case.write() as session:
        blobs.write_blob(
            session, sha256, len(data), "application/octet-stream", _pieces(data, piece)
        )
    return sha256


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Originals over 1 kB are streamed, over 10 kB chunked, 4 kB a chunk: every
    path, quickly."""
    monkeypatch.setattr(blobs, "GATHERED_MAX", 1_000)
    monkeypatch.setattr(blobs, "SINGLE_VALUE_MAX", 10_000)
    monkeypatch.setattr(blobs, "CHUNK_BYTES", 4096)


def _chunk_count(case_path: Path, sha256: str) -> int:
    with sqlite3.connect(case_path) as raw:
        count: int = raw.execute(
            "SELECT count(*) FROM blob_chunk WHERE sha256 = ?", (sha256,)
        ).fetchone()[0]
    raw.close()
    return count


@pytest.mark.parametrize("size", [1_000, 10_000], ids=["gathered", "streamed"])
def test_an_original_up_to_the_single_value_limit_is_one_value(
    case: Case, case_path: Path, small_chunks: None, size: int
) -> None:
    data = os.urandom(size)
    sha256 = _store(case, data, piece=333)
    with case.read() as session:
        assert blobs.has_blob(session, sha256)
        assert blobs.blob_size(session, sha256) == size
        assert blobs.read_blob(session, sha256) == data
        assert b"".join(blobs.iter_blob(session, sha256, piece=700)) == data
    assert _chunk_count(case_path, sha256) == 0


def test_a_larger_original_is_chunked_and_reads_back_whole(
    case: Case, case_path: Path, small_chunks: None
) -> None:
    data = os.urandom(4096 * 3 + 17)
    # Pieces that straddle chunk boundaries, and an empty one.
    sha256 = _store(case, data, piece=5000)
    with case.read() as session:
        assert blobs.blob_size(session, sha256) == len(data)
        assert blobs.read_blob(session, sha256) == data
        assert [len(p) for p in blobs.iter_blob(session, sha256, piece=4096)] == [4096] * 3 + [17]
    assert _chunk_count(case_path, sha256) == 4


def test_storing_the_same_bytes_again_keeps_one_copy(
    case: Case, case_path: Path, small_chunks: None
) -> None:
    data = os.urandom(20_000)
    sha256 = _store(case, data)
    assert _store(case, data, piece=7) == sha256
    assert _chunk_count(case_path, sha256) == 5


def test_an_empty_original_round_trips(case: Case) -> None:
    sha256 = _store(case, b"")
    with case.read() as session:
        assert blobs.read_blob(session, sha256) == b""
        assert blobs.blob_size(session, sha256) == 0


@pytest.mark.parametrize("size", [1_000, 5_000, 20_000], ids=["gathered", "streamed", "chunked"])
def test_bytes_that_are_not_the_hash_or_size_given_store_nothing(
    case: Case, case_path: Path, small_chunks: None, size: int
) -> None:
    data = os.urandom(size)
    sha256 = hashlib.sha256(data).hexdigest()
    wrong = [
        (sha256, len(data), data[:-1], "fewer bytes"),
        (sha256, len(data) - 1, data, "more bytes"),
    ]
    for digest, size, given, reason in wrong:
        with pytest.raises(blobs.BlobMismatchError, match=reason), case.write() as session:
            blobs.write_blob(session, digest, size, "text/plain", _pieces(given, 999))
        with case.read() as session:
            assert not blobs.has_blob(session, sha256)
    assert _chunk_count(case_path, sha256) == 0


def test_reading_an_original_not_in_the_case_says_so(case: Case) -> None:
    with case.read() as session, pytest.raises(blobs.BlobMissingError):
        next(blobs.iter_blob(session, "0" * 64))
    with case.read() as session:
        assert blobs.blob_size(session, "0" * 64) is None
        assert not blobs.has_blob(session, "0" * 64)


def test_a_missing_or_short_chunk_is_found_before_any_bytes_are_read(
    case: Case, case_path: Path, small_chunks: None
) -> None:
    data = os.urandom(4096 * 3 + 17)
    sha256 = _store(case, data)
    case.close()
    with sqlite3.connect(case_path) as raw:
        raw.execute("DELETE FROM blob_chunk WHERE sha256 = ? AND seq = 1", (sha256,))
    raw.close()
    with (
        Case.open(case_path) as reopened,
        reopened.read() as session,
        pytest.raises(blobs.BlobDamagedError, match="chunk 2 of its bytes is missing"),
    ):
        next(blobs.iter_blob(session, sha256))
    with sqlite3.connect(case_path) as raw:
        raw.execute("DELETE FROM blob_chunk WHERE sha256 = ? AND seq = 3", (sha256,))
        raw.execute("UPDATE blob_chunk SET seq = 1 WHERE sha256 = ? AND seq = 2", (sha256,))
    raw.close()
    with (
        Case.open(case_path) as reopened,
        reopened.read() as session,
        pytest.raises(blobs.BlobDamagedError, match="hold 8,192 of its 12,305 bytes"),
    ):
        next(blobs.iter_blob(session, sha256))


def test_a_case_from_before_chunks_is_upgraded_and_its_originals_read_back(
    case_path: Path, samples: Path, tmp_path: Path
) -> None:
    photo = samples / "albukamal-square-2019-06-08.jpg"
    with Case.create(case_path, "Old case") as case:
        source, _ = case.sources.import_file(photo)
        with case.write() as session:
            command.downgrade(schema.alembic_config(session.connection()), "0006")
    with sqlite3.connect(case_path) as raw:
        assert "chunked" not in {row[1] for row in raw.execute("PRAGMA table_info(blob)")}
    raw.close()
    with Case.open(case_path) as upgraded:
        with upgraded.read() as session:
            assert schema.current_revision(session.connection()) == "0007"
        saved = upgraded.sources.save_original(source.id, tmp_path / "saved.jpg")
        assert saved.read_bytes() == photo.read_bytes()
        assert upgraded.sources.original(source.id) == photo.read_bytes()
        assert verify_case(upgraded).ok
    assert list((tmp_path / "home" / "backups").glob("test-*-before-upgrade.evcase"))


# -- files over the single-value limit, through the desk -------------------------------


def _source_counts(case_path: Path) -> dict[str, int]:
    with sqlite3.connect(case_path) as raw:
        counts = {
            table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("blob", "blob_chunk", "source", "acquisition", "history")
        }
    raw.close()
    return counts


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while piece := fh.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def test_a_large_photo_is_imported_in_chunks_and_saved_back_byte_for_byte(
    case: Case, case_path: Path, samples: Path, tmp_path: Path, small_chunks: None
) -> None:
    photo = samples / "albukamal-square-2019-06-08.jpg"
    incident = case.incidents.create(IncidentFields(title="Clashes in Albukamal"))
    source, created = case.sources.import_large_file(photo, incident.id)
    assert created
    assert (source.kind, source.media_type, source.size) == ("image", "image/jpeg", 57467)
    assert source.title == "albukamal-square-2019-06-08"
    assert source.text_chars == 0
    assert "the text of files this large is not extracted" in (source.extraction_warning or "")
    assert source.sha256 == _sha256_of(photo)
    assert list(source.incident_ids) == [incident.id]
    assert _chunk_count(case_path, source.sha256) == 15  # 57,467 bytes in 4 KiB chunks
    saved = case.sources.save_original(source.id, tmp_path / "saved.jpg")
    assert saved.read_bytes() == photo.read_bytes()
    assert [h.action for h in case.sources.history(source.id)] == ["import"]
    assert verify_case(case).ok


def test_the_same_large_file_again_is_a_reacquisition(
    case: Case, case_path: Path, samples: Path, small_chunks: None
) -> None:
    big = samples / "albukamal-square-2019-06-08.jpg"
    first, _ = case.sources.import_large_file(big)
    again, created = case.sources.import_large_file(big)
    assert not created
    assert again.id == first.id
    assert len(again.acquisitions) == 2
    assert [h.action for h in case.sources.history(first.id)] == ["import", "reacquire"]
    assert _source_counts(case_path)["blob"] == 1


def test_a_large_file_of_an_unsupported_type_or_a_lying_name_is_refused_and_nothing_kept(
    case: Case, case_path: Path, samples: Path, tmp_path: Path, small_chunks: None
) -> None:
    before = _source_counts(case_path)
    video = tmp_path / "clip.mp4"
    video.write_bytes(os.urandom(50_000))
    with pytest.raises(IngestError, match=r"clip\.mp4: files ending in \.mp4 are not supported"):
        case.sources.import_large_file(video)
    lying = tmp_path / "report.pdf"
    lying.write_bytes((samples / "albukamal-square-2019-06-08.jpg").read_bytes())
    with pytest.raises(
        IngestError, match=r"report\.pdf: the name says PDF document but the content is a JPEG"
    ):
        case.sources.import_large_file(lying)
    with pytest.raises(IngestError, match=r"gone\.jpg: the file does not exist"):
        case.sources.import_large_file(tmp_path / "gone.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match=r"empty\.jpg: the file is empty"):
        case.sources.import_large_file(empty)
    assert _source_counts(case_path) == before


def test_an_original_too_large_for_memory_is_saved_not_opened(
    case: Case, samples: Path, small_chunks: None
) -> None:
    source, _ = case.sources.import_large_file(samples / "albukamal-square-2019-06-08.jpg")
    with pytest.raises(BadInputError, match="too large to open here; save it to a file"):
        case.sources.original(source.id)


def _damage(case: Case, case_path: Path, sql: str, *params: object) -> Case:
    case.close()
    with sqlite3.connect(case_path) as raw:
        raw.execute(sql, params)
    raw.close()
    return Case.open(case_path)


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        (
            "UPDATE blob_chunk SET data = zeroblob(4096) WHERE sha256 = ? AND seq = 3",
            "was altered: its bytes now hash to",
        ),
        (
            "DELETE FROM blob_chunk WHERE sha256 = ? AND seq = 3",
            "is damaged: chunk 4 of its bytes is missing",
        ),
        (
            "DELETE FROM blob_chunk WHERE sha256 = ? AND seq = 14",
            "is damaged: its chunks hold 57,344 of its 57,467 bytes",
        ),
    ],
    ids=["altered chunk", "missing chunk", "missing last chunk"],
)
def test_verify_names_the_source_of_a_damaged_or_missing_chunk_and_saving_it_fails(
    case: Case,
    case_path: Path,
    samples: Path,
    tmp_path: Path,
    small_chunks: None,
    sql: str,
    found: str,
) -> None:
    source, _ = case.sources.import_large_file(samples / "albukamal-square-2019-06-08.jpg")
    assert source.sha256 is not None
    with _damage(case, case_path, sql, source.sha256) as damaged:
        report = verify_case(damaged)
        assert not report.ok
        (problem,) = report.findings
        assert problem.kind == "original"
        assert problem.record_id == str(source.id)
        assert found in problem.message
        assert "albukamal-square-2019-06-08" in problem.message
        target = tmp_path / "saved.jpg"
        with pytest.raises(DeskError, match="Run verify"):
            damaged.sources.save_original(source.id, target)
        assert list(tmp_path.glob("saved.jpg*")) == []
        assert list(tmp_path.glob(".saved.jpg*")) == []


def test_a_chunked_original_travels_in_a_bundle_byte_for_byte(
    case: Case, samples: Path, tmp_path: Path, small_chunks: None
) -> None:
    photo = samples / "albukamal-square-2019-06-08.jpg"
    incident = case.incidents.create(IncidentFields(title="Clashes in Albukamal"))
    sent, _ = case.sources.import_large_file(photo, incident.id)
    bundle = tmp_path / "out.evbundle"
    export_bundle(case, bundle)
    with Case.create(tmp_path / "colleague.evcase", "Colleague") as colleague:
        merge.apply(colleague, open_bundle(bundle))
        (received,) = colleague.sources.list()
        assert received.sha256 == sent.sha256
        assert _chunk_count(tmp_path / "colleague.evcase", sent.sha256 or "") == 15
        saved = colleague.sources.save_original(received.id, tmp_path / "received.jpg")
        assert saved.read_bytes() == photo.read_bytes()
        assert verify_case(colleague).ok


def test_a_bundle_original_may_be_larger_than_the_records_member_limit(
    case: Case, samples: Path, tmp_path: Path
) -> None:
    photo = samples / "albukamal-square-2019-06-08.jpg"
    incident = case.incidents.create(IncidentFields(title="Clashes in Albukamal"))
    case.sources.import_file(photo, incident.id)
    bundle = tmp_path / "out.evbundle"
    export_bundle(case, bundle)
    limits = Limits(max_member_bytes=50_000, max_original_bytes=60_000)
    with Case.create(tmp_path / "colleague.evcase", "Colleague") as colleague:
        merge.apply(colleague, open_bundle(bundle, limits))
        assert colleague.sources.count() == 1
    with pytest.raises(BadInputError, match="is 57,467 bytes; the limit is 50,000"):
        open_bundle(bundle, Limits(max_original_bytes=50_000))


# -- over the real limit -------------------------------------------------------------

GIB = 1 << 30


def _vm_hwm() -> int:
    """The process's peak resident memory so far, in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def _write_large_jpeg(path: Path, size: int) -> str:
    """A file with a JPEG's first bytes, each MiB numbered (so chunks out of order show)."""
    body = os.urandom(1 << 20)
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for number, start in enumerate(range(0, size, len(body))):
            head = b"\xff\xd8\xff\xe0" if number == 0 else number.to_bytes(4, "big")
            piece = (head + body[4:])[: size - start]
            digest.update(piece)
            fh.write(piece)
    return digest.hexdigest()


def test_a_file_over_sqlites_one_gigabyte_limit_is_imported_and_saved_back_in_little_memory(
    tmp_path: Path,
) -> None:
    size = GIB + 100 * (1 << 20) + 12_345  # 1.17 GB: more than SQLite takes in one value
    assert size > 1_000_000_000 > blobs.SINGLE_VALUE_MAX
    original = tmp_path / "drone-footage-still.jpg"
    sha256 = _write_large_jpeg(original, size)
    case_path = tmp_path / "large.evcase"
    saved = tmp_path / "saved.jpg"
    try:
        with Case.create(case_path, "Large originals") as case:
            hwm_before = _vm_hwm()
            tracemalloc.start()
            source, created = case.sources.import_large_file(original)
            case.sources.save_original(source.id, saved)
            _current, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            hwm_growth = _vm_hwm() - hwm_before
            assert created
            assert (source.sha256, source.size) == (sha256, size)
            assert _chunk_count(case_path, sha256) == -(-size // blobs.CHUNK_BYTES)
            assert saved.stat().st_size == size
            assert _sha256_of(saved) == sha256
            assert traced_peak < 16 << 20, f"Python held {traced_peak:,} bytes at once"
            assert hwm_growth < 256 << 20, f"peak memory grew by {hwm_growth:,} bytes"
    finally:
        for leftover in (original, saved, case_path, *tmp_path.glob("large.evcase-*")):
            leftover.unlink(missing_ok=True)
