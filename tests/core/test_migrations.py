"""Cases made by older versions open and are upgraded, after a backup copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db import schema
from db.base import Base
from db.engine import writer_engine
from db.schema import include_object
from desk.backups import list_backups
from desk.case import Case


def _case_at_first_revision(path: Path) -> None:
    """Rows written with SQL, as version 0.0.1 would have: today's models have more columns."""
    engine = writer_engine(path)
    with engine.begin() as conn:
        schema.upgrade(conn, "0001")
        conn.exec_driver_sql(
            "INSERT INTO case_info (id, title, created_at, created_by, app_version)"
            " VALUES ('00000000000000000000000000000001', 'Old case', '2024-01-01 00:00:00',"
            " 'someone', '0.0.1')"
        )
        conn.exec_driver_sql(
            "INSERT INTO incident (id, title, summary, start_precision, status, created_by,"
            " created_at, updated_at, revision) VALUES ('00000000000000000000000000000002',"
            " 'Shelling near Albukamal bridge', '', 'day', 'draft', 'someone',"
            " '2024-01-01 00:00:00', '2024-01-01 00:00:00', 1)"
        )
    engine.dispose()


def test_a_first_revision_case_is_upgraded_to_head(tmp_path: Path) -> None:
    path = tmp_path / "old.evcase"
    _case_at_first_revision(path)

    with Case.open(path) as case:
        with case.read() as session:
            assert schema.current_revision(session.connection()) == schema.head_revision()
        # 0002 builds the search index over records that existed before it
        hits = case.search("bridge")
        assert [h.title for h in hits] == ["Shelling near Albukamal bridge"]
        assert case.info().title == "Old case"

    backups = list((tmp_path / "home" / "backups").glob("old-*-before-upgrade.evcase"))
    assert len(backups) == 1
    assert [b.path for b in list_backups(path)] == backups
    with sqlite3.connect(backups[0]) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    raw.close()


def test_every_revision_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    path = tmp_path / "roundtrip.evcase"
    _case_at_first_revision(path)
    engine = writer_engine(path)
    with engine.begin() as conn:
        schema.upgrade(conn)
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0001")
        assert schema.current_revision(conn) == "0001"
        schema.upgrade(conn)
        assert schema.current_revision(conn) == schema.head_revision()
    engine.dispose()


def test_the_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """A model change without its migration fails here, not on an analyst's case."""
    engine = writer_engine(tmp_path / "compare.evcase")
    with engine.begin() as conn:
        schema.upgrade(conn)
        context = MigrationContext.configure(
            conn,
            opts={"include_object": include_object, "compare_type": True},
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_revision_a_case_is_opened_at_without_alembic_is_alembics_head() -> None:
    # Case.open compares with HEAD_REVISION to skip loading Alembic; a new migration
    # that forgot to move it would leave every case "needing an upgrade" forever.
    assert schema.head_revision() == schema.HEAD_REVISION


def test_opening_a_current_case_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "current.evcase"
    Case.create(path, "Current", "someone").close()
    probe = (
        "import sys; from desk.case import Case; "
        f"Case.open({str(path)!r}, 'someone').close(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
