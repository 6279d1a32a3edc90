"""The case survives a kill at any moment: SIGKILL during long work, then open and verify.

Each trial starts the real CLI in a subprocess, kills it after a random (seeded)
delay, and checks that the case opens, ``verify`` passes and every operation either
happened completely or not at all.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.case import Case
from desk.verify import verify_case

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

IMPORT_TRIALS = 24


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


def _kill_after(args: list[str], delay: float, env: dict[str, str]) -> int | None:
    process = subprocess.Popen(
        [sys.executable, "-m", "desk", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    return process.wait()


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


def test_imports_killed_at_random_moments_leave_whole_files_only(
    tmp_path: Path, samples: Path
) -> None:
    files = _many_files(tmp_path / "incoming", samples, 80)
    env = {**os.environ, "EVIDENCE_DESK_HOME": str(tmp_path / "home")}
    chance = random.Random(20191607)
    seen_partial = 0
    for trial in range(IMPORT_TRIALS):
        path = tmp_path / f"trial-{trial}.evcase"
        with Case.create(path, f"Trial {trial}"):
            pass
        code = _kill_after(["import", str(path), *map(str, files)], chance.uniform(0.6, 2.2), env)
        imported = _check_every_import_is_whole(path)
        assert imported <= len(files)
        if code == -signal.SIGKILL and 0 < imported < len(files):
            seen_partial += 1
        # the interrupted import can simply be run again: it completes the set
        if trial % 6 == 0:
            done = subprocess.run(
                [sys.executable, "-m", "desk", "import", str(path), *map(str, files)],
                capture_output=True,
                env=env,
            )
            assert done.returncode == 0, done.stderr
            assert _check_every_import_is_whole(path) == len(files)
    assert seen_partial >= 3, "the kills never landed in the middle of an import"
