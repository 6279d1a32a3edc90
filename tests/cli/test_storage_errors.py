"""A case file that cannot take a write (read-only, disk full): one clear sentence,
exit 2, and the case as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from desk.case import Case
from desk.cli import main
from desk.verify import verify_case

NOTE = "field-note-2019-06-10.txt"
ROOM_PAGES = 40  # pages a case may still grow by on the "almost full disk"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _as_someone_who_cannot_write(probe: Path) -> list[str]:
    """The prefix that runs a command without write permission on read-only files.

    Root writes to them anyway, so as root the command runs without the capabilities
    that override file permissions.
    """
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, and setpriv is not there to drop the override")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    tried = subprocess.run(
        [*prefix, sys.executable, "-c", f"open({str(probe)!r}, 'ab')"], capture_output=True
    )
    if b"PermissionError" not in tried.stderr:
        pytest.skip("this system lets the tests write to read-only files")
    return prefix


@pytest.mark.skipif(os.name != "posix", reason="file permissions as POSIX has them")
def test_importing_into_a_read_only_case_says_so_and_changes_nothing(
    case_path: Path, samples: Path
) -> None:
    with Case.create(case_path, "Read-only") as case:
        case.sources.import_file(samples / NOTE)
    case_path.chmod(0o444)
    before = _sha256(case_path)
    prefix = _as_someone_who_cannot_write(case_path)

    def desk(*args: object) -> subprocess.CompletedProcess[str]:
        command = [*prefix, sys.executable, "-m", "desk", *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True)

    imported = desk("import", case_path, samples / "eastern-syria-monitor-2019-06-09.html")
    assert imported.returncode == 2
    assert imported.stdout == ""
    assert imported.stderr == (
        f"error: {case_path}: the case file is read-only, so nothing was saved in it; copy "
        "it to a folder you can write to, or change its permissions.\n"
    )
    added = desk("incident-add", case_path, "--title", "Shelling")
    assert added.returncode == 2
    assert added.stderr.startswith(f"evidence-desk: {case_path}: the case file is read-only")
    assert added.stderr.count("\n") == 1
    # reading and checking still work, and say what could not be checked
    verified = desk("verify", case_path)
    assert verified.returncode == 0, verified.stdout
    assert "1 originals match" in verified.stdout
    assert "search index not checked (read-only file)" in verified.stdout

    assert _sha256(case_path) == before
    case_path.chmod(0o644)
    with Case.open(case_path) as case:
        assert verify_case(case).ok
        assert case.sources.count() == 1


@pytest.mark.skipif(os.name != "posix", reason="file permissions as POSIX has them")
def test_a_case_in_a_read_only_folder_says_so(tmp_path: Path, samples: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    case_path = folder / "case.evcase"
    Case.create(case_path, "In a read-only folder").close()
    before = _sha256(case_path)
    folder.chmod(0o555)
    try:
        prefix = _as_someone_who_cannot_write(folder / "probe")
        command = [*prefix, sys.executable, "-m", "desk", "import", str(case_path)]
        done = subprocess.run([*command, str(samples / NOTE)], capture_output=True, text=True)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2
    assert done.stderr == (
        f"evidence-desk: {case_path}: the case is in a folder that cannot be written, and it "
        "keeps its journal beside the file; copy it to a folder you can write to.\n"
    )
    assert _sha256(case_path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["case.evcase"]


def _limit_growth(connection: sqlite3.Connection, _record: Any) -> None:
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.execute(f"PRAGMA max_page_count = {pages + ROOM_PAGES}")


@contextmanager
def almost_full_disk() -> Iterator[None]:
    """Every case connection opened meanwhile may grow the file by ROOM_PAGES only
    (SQLite's page limit answers like a full disk: SQLITE_FULL)."""
    event.listen(Engine, "connect", _limit_growth)
    try:
        yield
    finally:
        event.remove(Engine, "connect", _limit_growth)


def test_a_full_disk_keeps_the_files_that_fit_and_names_the_case(
    case_path: Path, tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Case.create(case_path, "Full disk").close()
    big = tmp_path / "long-report.txt"
    big.write_text(
        "\n".join(f"Line {n}: shelling reported near the bridge." for n in range(12_000))
    )
    never = tmp_path / "after.txt"
    never.write_text("Not reached: the case could take nothing more.\n")

    with almost_full_disk():
        code = main(["import", str(case_path), str(samples / NOTE), str(big), str(never)])
    out, err = capsys.readouterr()

    assert code == 2
    assert "FIELD NOTE" in out
    assert err == (
        f"error: {case_path}: the disk is full, so this change was not saved and the case is "
        "as it was before it; free some space and try again.\n"
    )
    with Case.open(case_path) as case:
        report = verify_case(case)
        assert report.ok, report.problems
        assert [s.original_filename for s in case.sources.list()] == [NOTE]
    # with room again, the same command brings in the rest
    assert main(["import", str(case_path), str(samples / NOTE), str(big), str(never)]) == 0
