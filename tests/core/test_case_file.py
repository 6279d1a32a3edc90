"""Creating and opening case files, and refusing what cannot be opened safely."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db import schema
from desk.case import Case, save_copy
from desk.errors import CaseError
from desk.services.incidents import IncidentFields


def test_a_new_case_is_one_sqlite_file_with_safe_settings(case: Case, case_path: Path) -> None:
    assert case.info().title == "Test case"
    with case.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    with sqlite3.connect(case_path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            schema.head_revision()
        )


def test_new_cases_get_large_pages_and_older_cases_keep_theirs(case: Case, case_path: Path) -> None:
    """Originals fill most of a case, and SQLite stores them faster in 16 KiB pages; a
    case written with 4 KiB pages (by earlier versions) still opens and takes writes,
    and is not rewritten to change its pages."""
    case.incidents.create(IncidentFields(title="Before"))
    case.close()

    def page_size() -> int:
        with sqlite3.connect(case_path) as raw:
            return int(raw.execute("PRAGMA page_size").fetchone()[0])

    assert page_size() == 16_384
    raw = sqlite3.connect(case_path, isolation_level=None)
    for statement in ("journal_mode = DELETE", "page_size = 4096"):
        raw.execute(f"PRAGMA {statement}")
    raw.execute("VACUUM")
    raw.execute("PRAGMA journal_mode = WAL")
    raw.close()
    assert page_size() == 4096
    with Case.open(case_path) as older:
        older.incidents.create(IncidentFields(title="After"))
        assert sorted(r.title for r in older.incidents.rows()) == ["After", "Before"]
    assert page_size() == 4096


def test_creating_over_an_existing_file_is_refused(case_path: Path) -> None:
    case_path.write_bytes(b"precious")
    with pytest.raises(CaseError, match="already exists"):
        Case.create(case_path, "x")
    assert case_path.read_bytes() == b"precious"


def test_reopened_case_keeps_its_records(case: Case, case_path: Path) -> None:
    made = case.incidents.create(IncidentFields(title="Clashes in Albukamal"))
    case.close()
    with Case.open(case_path) as again:
        assert [r.title for r in again.incidents.rows()] == ["Clashes in Albukamal"]
        assert again.incidents.get(made.id).title == "Clashes in Albukamal"


def test_a_case_from_a_newer_version_is_refused_and_left_untouched(
    case: Case, case_path: Path
) -> None:
    case.close()
    with sqlite3.connect(case_path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.close()
    before = case_path.read_bytes()
    with pytest.raises(CaseError, match="newer version of Evidence Desk"):
        Case.open(case_path)
    assert case_path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a database", "not an Evidence Desk case"),
        (b"", "not an Evidence Desk case"),
    ],
)
def test_files_that_are_not_cases_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "odd.evcase"
    path.write_bytes(content)
    with pytest.raises(CaseError, match=message):
        Case.open(path)
    assert path.read_bytes() == content


def test_a_plain_sqlite_database_is_not_taken_for_a_case(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (x)")
    raw.close()
    with pytest.raises(CaseError, match="not an Evidence Desk case"):
        Case.open(path)


def test_a_damaged_case_gives_a_clear_message(case: Case, case_path: Path) -> None:
    case.close()
    data = bytearray(case_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page after the header
    case_path.write_bytes(bytes(data))
    with pytest.raises(CaseError, match=r"damaged|not an Evidence Desk case"):
        Case.open(case_path)


def test_save_a_copy_gives_a_consistent_case(case: Case, tmp_path: Path) -> None:
    case.incidents.create(IncidentFields(title="Copied incident"))
    copy = tmp_path / "copy.evcase"
    save_copy(case, copy)
    with Case.open(copy) as copied:
        assert [r.title for r in copied.incidents.rows()] == ["Copied incident"]


def test_write_failure_rolls_back_everything(case: Case) -> None:
    def crash_mid_transaction() -> None:
        with case.write() as session:
            session.execute(text("DELETE FROM case_info"))
            raise RuntimeError("crash mid-transaction")

    with pytest.raises(RuntimeError):
        crash_mid_transaction()
    assert case.info().title == "Test case"


def test_first_revision_only_database_upgrades(tmp_path: Path) -> None:
    """Sanity check of the migration chain on a bare engine (no case_info yet)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    with engine.begin() as conn:
        schema.upgrade(conn, "0001")
        assert schema.current_revision(conn) == "0001"
        schema.upgrade(conn)
        assert schema.current_revision(conn) == schema.head_revision()
    engine.dispose()
