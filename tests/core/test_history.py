"""History is append-only and hash-chained; verify finds tampering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.verify import verify_case


def test_every_change_is_chained(case: Case) -> None:
    made = case.incidents.create(IncidentFields(title="First"))
    case.incidents.update(made.id, title="Second")
    case.notes.add("a note", incident_id=made.id)
    report = verify_case(case)
    assert report.ok, report.problems
    assert report.history_entries == 4  # case, create, update, note


def test_the_database_refuses_to_rewrite_history(case: Case) -> None:
    case.incidents.create(IncidentFields(title="First"))
    for statement in ("UPDATE history SET summary = 'nothing happened'", "DELETE FROM history"):
        with pytest.raises(IntegrityError, match="append-only"), case.write() as session:
            session.execute(text(statement))


def test_verify_finds_history_altered_behind_the_applications_back(
    case: Case, case_path: Path
) -> None:
    made = case.incidents.create(IncidentFields(title="First"))
    case.incidents.update(made.id, title="Second")
    case.close()
    with sqlite3.connect(case_path) as raw:
        raw.execute("DROP TRIGGER history_no_update")
        raw.execute("UPDATE history SET summary = 'Incident created: Nothing' WHERE seq = 2")
    raw.close()
    with Case.open(case_path) as reopened:
        report = verify_case(reopened)
    assert not report.ok
    assert any("history entry 2" in p and "altered" in p for p in report.problems)


def test_verify_finds_a_removed_history_entry(case: Case, case_path: Path) -> None:
    made = case.incidents.create(IncidentFields(title="First"))
    case.incidents.update(made.id, title="Second")
    case.close()
    with sqlite3.connect(case_path) as raw:
        raw.execute("DROP TRIGGER history_no_delete")
        raw.execute("DELETE FROM history WHERE seq = 2")
    raw.close()
    with Case.open(case_path) as reopened:
        report = verify_case(reopened)
    assert any("does not follow" in p for p in report.problems)


def test_a_records_history_has_its_notes_and_attachments(case: Case, tmp_path: Path) -> None:
    incident = case.incidents.create(IncidentFields(title="First"))
    other = case.incidents.create(IncidentFields(title="Elsewhere"))
    kept = case.notes.add("kept", incident_id=incident.id)
    case.notes.update(kept.id, "kept, edited")
    gone = case.notes.add("gone", incident_id=incident.id)
    case.notes.delete(gone.id)
    case.notes.add("on the other incident", incident_id=other.id)
    text = tmp_path / "report.txt"
    text.write_text("A report on the first incident.", encoding="utf-8")
    (outcome,) = case.sources.import_files([text], incident.id)
    assert outcome.source is not None
    source_id = outcome.source.id
    case.notes.add("on the source", source_id=source_id)
    case.incidents.detach(incident.id, [source_id])

    incident_log = [(h.action, h.entity_type) for h in case.notes.record_history(incident.id)]
    assert incident_log == [
        ("create", "incident"),
        ("create", "note"),
        ("update", "note"),
        ("create", "note"),
        ("delete", "note"),
        ("attach", "incident"),
        ("detach", "incident"),
    ]
    source_log = [(h.action, h.entity_type) for h in case.notes.record_history(source_id)]
    assert source_log == [
        ("import", "source"),
        ("attach", "incident"),
        ("create", "note"),
        ("detach", "incident"),
    ]
