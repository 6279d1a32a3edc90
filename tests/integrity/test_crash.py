"""The case survives a kill at any moment: SIGKILL during long work, then open and verify.

Each trial starts the real CLI in a subprocess (a large import, a bundle import, a
brief export), kills it after a random (seeded) delay, and checks that the case opens,
``verify`` passes and every operation either happened completely or not at all. The
delays are spread over the work itself: from the time an unkilled run of a minimal
form of the command takes (start-up, which dominates) to a little past an unkilled run
of the whole work; for the file import, from its first write to the case.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.conftest import SHARED

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

# 40 in all, as the issue asks for at least 30 across the three kinds of work.
IMPORT_TRIALS = 24
BUNDLE_TRIALS = 8
BRIEF_TRIALS = 8
IMPORT_FILES = 120
# Delays start a little before the work does and end a little past it.
LEAD_IN = 0.9
OVERSHOOT = 1.15


def _many_files(folder: Path, samples: Path, count: int) -> list[Path]:
    """Distinct files (each one new to the case) made from the samples."""
    folder.mkdir()
    texts = [
        samples / "al-bukamal-irancommentary-2019-06-08.txt",
        samples / "field-note-2019-06-10.txt",
    ]
    pages = [
        samples / "eastern-syria-monitor-2019-06-09.html",
        samples / "deir-ezzor-news-ar-2019-06-08.html",
    ]
    made = []
    for n in range(count):
        template = (texts + pages)[n % 4]
        target = folder / f"{n:03d}-{template.name}"
        data = template.read_bytes()
        marker = f"\n<!-- copy {n} -->\n" if template.suffix == ".html" else f"\nCopy {n}.\n"
        target.write_bytes(data + marker.encode())
        made.append(target)
    return made


def _run(args: list[str]) -> float:
    """Run the CLI to the end; how long it took."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def _delays(seed: int, lead: float, duration: float, count: int) -> list[float]:
    # One timing on a busy machine can make the start-up look as long as the whole run:
    # the last quarter of the run is always in the window.
    start = min(lead * LEAD_IN, duration * 0.75)
    chance = random.Random(seed)
    return [chance.uniform(start, duration * OVERSHOOT) for _ in range(count)]


def _wal_written(case: Path) -> bool:
    wal = case.with_name(case.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _first_write(args: list[str], case: Path) -> tuple[float, float]:
    """Run the CLI to the end: when it first wrote to ``case`` (its WAL grew), and how
    long it took."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "desk", *args], stderr=subprocess.PIPE)
    while process.poll() is None and not _wal_written(case):
        time.sleep(0.005)
    first = time.monotonic() - started
    _, stderr = process.communicate()
    assert process.returncode == 0, stderr
    return first, time.monotonic() - started


def _kill_after(args: list[str], delay: float, writing: Path | None = None) -> int | None:
    """Kill the CLI ``delay`` seconds after it started, or after it first wrote to the
    case ``writing``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "desk", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while writing is not None and process.poll() is None and not _wal_written(writing):
        time.sleep(0.005)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    return process.wait()


def _empty_case(folder: Path, name: str) -> Path:
    """A closed, empty case to copy for each trial (cheaper than creating one)."""
    path = folder / name
    Case.create(path, "Trial").close()
    return path


def _fresh(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    return path


def _verified(path: Path) -> None:
    with Case.open(path) as case:
        report = verify_case(case)
    assert report.ok, report.problems


def _table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as raw:
        names = [
            row[0]
            for row in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'search_fts_%' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {n: raw.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    raw.close()
    return counts


def _check_every_import_is_whole(path: Path) -> int:
    """Every source has its blob, acquisition, history entry and search entry."""
    with Case.open(path) as case:
        report = verify_case(case)
        assert report.ok, report.problems
        sources = case.sources.list(limit=10_000)
    with sqlite3.connect(path) as raw:
        for source in sources:
            assert (
                raw.execute(
                    "SELECT count(*) FROM blob WHERE sha256 = ?", (source.sha256,)
                ).fetchone()[0]
                == 1
            )
            ref = source.id.hex
            assert (
                raw.execute("SELECT count(*) FROM search_doc WHERE ref = ?", (ref,)).fetchone()[0]
                == 1
            )
            assert (
                raw.execute(
                    "SELECT count(*) FROM history WHERE entity_id = ? AND action = 'import'", (ref,)
                ).fetchone()[0]
                == 1
            )
            assert source.acquisitions
        orphans = raw.execute(
            "SELECT count(*) FROM blob WHERE sha256 NOT IN (SELECT blob_sha256 FROM source)"
        ).fetchone()[0]
        assert orphans == 0
    raw.close()
    return len(sources)


@pytest.fixture(scope="module")
def sent_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A colleague's case (incidents with sources, claims and notes), its bundle and the
    id of its first incident."""
    folder = tmp_path_factory.mktemp("sent")
    path = folder / "sent.evcase"
    files = _many_files(folder / "files", SHARED / "samples", 24)
    with (
        pytest.MonkeyPatch.context() as mp,
        Case.create(path, "Eastern Syria, June 2019", analyst="Anna") as case,
    ):
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        incidents = [
            case.incidents.create(
                IncidentFields(title=f"Clashes, day {n + 1}", place="Albukamal")
            ).id
            for n in range(6)
        ]
        for n, outcome in enumerate(case.sources.import_files(files)):
            assert outcome.source is not None, outcome.error
            incident = incidents[n % len(incidents)]
            case.incidents.attach(incident, [outcome.source.id])
            case.claims.add(incident, outcome.source.id, "fatalities", str(n % 5 + 1))
        for incident in incidents:
            case.notes.add("Ask the field team.", incident_id=incident)
        export_bundle(case, folder / "sent.evbundle")
    return path, folder / "sent.evbundle", str(incidents[0])


def test_imports_killed_at_random_moments_leave_whole_files_only(
    tmp_path: Path, samples: Path
) -> None:
    files = _many_files(tmp_path / "incoming", samples, IMPORT_FILES)
    template = _empty_case(tmp_path, "empty.evcase")
    # The kills are timed from the import's first write, not from its start: start-up
    # varies with the machine's load as much as the whole import lasts, and delays
    # from the start missed the writing on a busy machine.
    reference = _fresh(template, tmp_path / "reference.evcase")
    first, duration = _first_write(["import", str(reference), *map(str, files)], reference)
    assert _check_every_import_is_whole(reference) == len(files)

    seen_partial = 0
    delays = _delays(20191607, 0.0, duration - first, IMPORT_TRIALS)
    for trial, delay in enumerate(delays):
        path = _fresh(template, tmp_path / f"trial-{trial}.evcase")
        code = _kill_after(["import", str(path), *map(str, files)], delay, writing=path)
        imported = _check_every_import_is_whole(path)
        assert imported <= len(files)
        if code == -signal.SIGKILL and 0 < imported < len(files):
            seen_partial += 1
        # the interrupted import can simply be run again: it completes the set
        if trial % 8 == 0:
            _run(["import", str(path), *map(str, files)])
            assert _check_every_import_is_whole(path) == len(files)
    assert seen_partial >= 3, "the kills never landed in the middle of an import"


def test_bundle_imports_killed_at_random_moments_import_all_or_nothing(
    tmp_path: Path, sent_case: tuple[Path, Path, str]
) -> None:
    _, bundle, _ = sent_case
    template = tmp_path / "own.evcase"
    with Case.create(template, "Bob's case", analyst="Bob") as own:
        own.incidents.create(IncidentFields(title="Bob's own incident"))
    nothing = _table_counts(template)
    lead = _run(["bundle-verify", str(bundle)])  # reads and checks it, writes nothing
    reference = _fresh(template, tmp_path / "reference.evcase")
    duration = _run(["bundle-import", str(reference), str(bundle)])
    everything = _table_counts(reference)
    assert everything["incident"] == nothing["incident"] + 6

    killed = 0
    delays = _delays(20190608, lead, duration, BUNDLE_TRIALS)
    for trial, delay in enumerate(delays):
        path = _fresh(template, tmp_path / f"trial-{trial}.evcase")
        code = _kill_after(["bundle-import", str(path), str(bundle)], delay)
        _verified(path)
        assert _table_counts(path) in (nothing, everything), f"trial {trial}: part of the bundle"
        killed += code == -signal.SIGKILL
        # an interrupted import runs again to the end
        if code == -signal.SIGKILL and trial % 3 == 0:
            _run(["bundle-import", str(path), str(bundle)])
            assert _table_counts(path) == everything
    assert killed >= 2, "the kills came after the imports had finished"


def test_brief_exports_killed_at_random_moments_leave_a_whole_pdf_or_none(
    tmp_path: Path, sent_case: tuple[Path, Path, str]
) -> None:
    case, _, first_incident = sent_case
    lead = _run(["brief", str(case), "--incident", first_incident, "-o", str(tmp_path / "one.pdf")])
    duration = _run(["brief", str(case), "-o", str(tmp_path / "reference.pdf")])
    pages = len(PdfReader(tmp_path / "reference.pdf").pages)
    assert pages > len(PdfReader(tmp_path / "one.pdf").pages)

    killed = 0
    delays = _delays(20190609, lead, duration, BRIEF_TRIALS)
    for trial, delay in enumerate(delays):
        folder = tmp_path / f"trial-{trial}"
        folder.mkdir()
        target = folder / "brief.pdf"
        code = _kill_after(["brief", str(case), "-o", str(target)], delay)
        killed += code == -signal.SIGKILL
        if code == 0:
            assert target.is_file()
        if target.exists():
            assert len(PdfReader(target, strict=True).pages) == pages, f"trial {trial}"
        # a kill can leave the hidden temporary file, never a partial file by the final name
        others = {p.name for p in folder.iterdir()} - {target.name}
        assert all(n.startswith(".brief.pdf.") and n.endswith(".part") for n in others), others
        _verified(case)
    assert killed >= 2, "the kills came after the briefs were written"
