"""Cases made by older versions open and are upgraded, after a backup copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy.orm import Session

from db import schema
from db.engine import writer_engine
from db.models import CaseInfo, Incident
from desk.case import Case


def _case_at_first_revision(path: Path) -> None:
    engine = writer_engine(path)
    with engine.begin() as conn:
        schema.upgrade(conn, "0001")
        session = Session(bind=conn)
        session.add(CaseInfo(title="Old case", created_by="someone", app_version="0.0.1"))
        session.add(Incident(title="Shelling near Albukamal bridge", created_by="someone"))
        session.flush()
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
