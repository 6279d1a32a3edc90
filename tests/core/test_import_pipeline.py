"""Importing a folder through worker processes and batched transactions.

Real files (the shared samples, real damaged images, generated texts) into real case
files; the workers are real processes, killed for real where a test says so.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

from db import blobs
from desk.case import Case
from desk.ingest.worker import extract_bytes, extract_file
from desk.services import importing
from desk.services.incidents import IncidentFields
from desk.services.sources import ImportOutcome, expand_paths
from desk.verify import verify_case

PHOTO = "albukamal-square-2019-06-08.jpg"
TEXTS = 30


@pytest.fixture
def folder(tmp_path: Path, samples: Path, real_files: Path) -> Path:
    """Every sample, many distinct texts, the photo twice, and files that cannot be read."""
    target = tmp_path / "incoming"
    target.mkdir()
    for sample in samples.iterdir():
        if sample.name != "README.md":
            shutil.copyfile(sample, target / sample.name)
    shutil.copyfile(samples / PHOTO, target / "zz-same-photo-again.jpg")
    for n in range(TEXTS):
        (target / f"report-{n:02d}.txt").write_text(
            f"Report {n}: shelling near the bridge of Hajin, house number {n * 7}.\n"
        )
    (target / "lies.jpg").write_text("This is not a photo at all, only some text.\n")
    shutil.copyfile(real_files / "pillow-truncated_jpeg.jpg", target / "truncated.jpg")
    shutil.copyfile(real_files / "pillow-decompression_bomb.gif", target / "bomb.gif")
    return target


BAD = {"lies.jpg", "truncated.jpg", "bomb.gif"}


@pytest.fixture(autouse=True)
def _through_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder this small would be read in this process; these tests want the workers."""
    monkeypatch.setattr(importing, "POOL_MIN_SECONDS", 0.0)


def _by_name(outcomes: list[ImportOutcome]) -> dict[str, ImportOutcome]:
    return {o.path.name: o for o in outcomes}


def test_a_folder_is_imported_in_order_with_each_bad_file_named(
    case: Case, case_path: Path, folder: Path
) -> None:
    incident = case.incidents.create(IncidentFields(title="Shelling of Hajin"))
    files = expand_paths([folder])

    outcomes = case.sources.import_files([folder], incident.id)

    assert [o.path for o in outcomes] == files
    failed = {o.path.name: o.error or "" for o in outcomes if not o.ok}
    assert set(failed) == BAD
    for name, error in failed.items():
        assert error.startswith(f"{name}: ")
    assert "decompression bomb" in failed["bomb.gif"]
    assert "truncated" in failed["truncated.jpg"]
    named = _by_name(outcomes)
    first, again = named[PHOTO], named["zz-same-photo-again.jpg"]
    assert first.created
    assert not again.created
    assert first.source is not None
    assert again.source is not None
    assert again.source.id == first.source.id
    assert [a.original_filename for a in again.source.acquisitions] == [
        PHOTO,
        "zz-same-photo-again.jpg",
    ]
    # What each outcome shows is what the case now holds.
    for outcome in outcomes:
        if outcome.ok and outcome.path.name != PHOTO:
            assert outcome.source is not None
            assert outcome.source == case.sources.get(outcome.source.id)
            assert outcome.source.incident_ids == (incident.id,)
    assert case.sources.count() == len(files) - len(BAD) - 1
    report_13 = named["report-13.txt"].source
    assert report_13 is not None
    assert [h.id for h in case.search("91")] == [report_13.id]
    report = verify_case(case)
    assert report.ok, report.problems
    with sqlite3.connect(case_path) as raw:
        actions = dict(
            raw.execute(
                "SELECT action, count(*) FROM history WHERE action IN "
                "('import', 'reacquire', 'attach') GROUP BY action"
            ).fetchall()
        )
    raw.close()
    sources = len(files) - len(BAD) - 1
    assert actions == {"import": sources, "reacquire": 1, "attach": sources}


def test_workers_and_this_process_read_files_the_same(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def imported(name: str) -> list[tuple[object, ...]]:
        with Case.create(tmp_path / name, "Same") as case:
            case.sources.import_files([folder])
        with sqlite3.connect(tmp_path / name) as raw:
            rows = raw.execute(
                "SELECT original_filename, kind, title, text, language, published_at, "
                "image_width, image_height, thumbnail, details FROM source "
                "ORDER BY original_filename"
            ).fetchall()
        raw.close()
        return rows

    through_workers = imported("workers.evcase")
    monkeypatch.setattr(importing, "POOL_MIN_SECONDS", float("inf"))
    in_this_process = imported("inline.evcase")

    assert through_workers == in_this_process
    assert len(through_workers) == len(expand_paths([folder])) - len(BAD) - 1


def test_a_reader_process_killed_mid_import_loses_no_file(case: Case, folder: Path) -> None:
    killed: list[int] = []

    def kill_the_workers(number: int, _total: int, _name: str) -> None:
        if number == 2 and not killed:
            for worker in multiprocessing.active_children():
                assert worker.pid is not None
                os.kill(worker.pid, signal.SIGKILL)
                killed.append(worker.pid)

    outcomes = case.sources.import_files([folder], progress=kill_the_workers)

    assert killed
    assert {o.path.name for o in outcomes if not o.ok} == BAD
    assert len(outcomes) == len(expand_paths([folder]))
    report = verify_case(case)
    assert report.ok, report.problems


def test_cancel_keeps_what_was_reported_and_stops(case: Case, folder: Path) -> None:
    reported: list[str] = []

    def progress(_number: int, _total: int, name: str) -> None:
        if name:
            reported.append(name)

    outcomes = case.sources.import_files(
        [folder], progress=progress, cancelled=lambda: len(reported) >= 10
    )

    assert [o.path.name for o in outcomes] == reported == reported[:10]
    kept = {o.source.id for o in outcomes if o.source is not None}
    assert {s.id for s in case.sources.list()} == kept
    report = verify_case(case)
    assert report.ok, report.problems


def test_many_small_files_are_written_in_several_batches_and_deduplicated_across_them(
    case: Case, tmp_path: Path
) -> None:
    incoming = tmp_path / "many"
    incoming.mkdir()
    for n in range(250):
        # Every 50th file repeats the first one's bytes, in later batches.
        body = "Field note 0: the market was hit." if n % 50 == 0 else f"Field note {n}."
        (incoming / f"note-{n:03d}.txt").write_text(body + "\n")

    outcomes = case.sources.import_files([incoming])

    assert all(o.ok for o in outcomes)
    assert case.sources.count() == 250 - 4
    again = [o for o in outcomes if o.path.name in {"note-050.txt", "note-200.txt"}]
    assert [o.created for o in again] == [False, False]
    assert again[1].source is not None
    assert len(again[1].source.acquisitions) == 5
    report = verify_case(case)
    assert report.ok, report.problems


def test_what_workers_send_back_pickles_whole(samples: Path) -> None:
    for sample in samples.iterdir():
        if sample.name == "README.md":
            continue
        extraction = extract_bytes(sample.read_bytes(), sample.name)
        assert extraction.found is not None
        assert pickle.loads(pickle.dumps(extraction)) == extraction
    refused = extract_bytes(b"plain words", "photo.jpg")
    assert pickle.loads(pickle.dumps(refused)) == refused


def test_a_worker_refuses_a_file_that_changed_after_it_was_hashed(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("What the analyst hashed.\n")
    hashed = hashlib.sha256(note.read_bytes()).hexdigest()
    note.write_text("What the file says now.\n")

    extraction = extract_file(str(note), note.name, hashed)

    assert extraction.found is None
    assert extraction.reason is not None
    assert "changed" in extraction.reason


def test_a_file_too_large_for_one_value_is_stored_in_chunks_in_its_place(
    case: Case, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 999 MB; a lower one makes a 200 KB text "large" for the test.
    monkeypatch.setattr(blobs, "SINGLE_VALUE_MAX", 100_000)
    big = folder / "report-15b-long.txt"
    big.write_text("Long report: shelling near the bridge.\n" * 5_000)

    outcomes = case.sources.import_files([folder])

    assert [o.path for o in outcomes] == expand_paths([folder])
    large = _by_name(outcomes)[big.name]
    assert large.created
    assert large.source is not None
    assert large.source.size == big.stat().st_size
    saved = folder.parent / "saved.txt"
    case.sources.save_original(large.source.id, saved)
    assert saved.read_bytes() == big.read_bytes()
    report = verify_case(case)
    assert report.ok, report.problems


def _workers_left() -> list[int]:
    """Worker processes of this one still running or unreaped, as /proc shows them."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == os.getpid() and b"spawn_main" in command:
            left.append(int(entry.name))
    return left


def test_a_file_that_takes_too_long_is_stopped_and_named_and_the_rest_imported(
    case: Case, tmp_path: Path
) -> None:
    incoming = tmp_path / "slow"
    incoming.mkdir()
    for n in range(4):
        (incoming / f"note-{n}.txt").write_text(f"Field note {n}: the market was hit.\n")
    # A long article: trafilatura takes about ten seconds over it. The limit is well above
    # what a note costs, even in a new worker loading the language model (under a second).
    paragraphs = "".join(
        f"<p>Paragraph {n}: witnesses saw the strike.</p>\n" for n in range(50_000)
    )
    slow = incoming / "long-article.html"
    slow.write_text(f"<!doctype html><html><body><article>{paragraphs}</article></body></html>")

    outcomes = importing.FileImport(
        case, None, None, None, in_workers=True, limit=importing.TimeLimit(3.0, 0.0)
    ).run([incoming])

    assert [o.path for o in outcomes] == expand_paths([incoming])
    named = _by_name(outcomes)
    assert named[slow.name].error == (
        f"{slow.name}: it took longer than 3 seconds to read and was not imported"
    )
    assert all(o.ok for name, o in named.items() if name != slow.name)
    kept = [a.original_filename for s in case.sources.list() for a in s.acquisitions]
    assert sorted(kept) == [f"note-{n}.txt" for n in range(4)]
    assert multiprocessing.active_children() == []
    assert _workers_left() == []
    report = verify_case(case)
    assert report.ok, report.problems
