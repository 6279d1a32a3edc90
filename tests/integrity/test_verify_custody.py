"""verify re-checks the history received from colleagues' bundles, and every problem it
reports says where it is: the record (type, id, title while it exists) and the time."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import ForeignHistory
from desk.bundles import merge
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.cli import main
from desk.services.incidents import IncidentFields
from desk.verify import verify_case

REPORT = b"Shelling hit the market in Hajin; two people were killed.\n"
INCIDENT = "Shelling of the Hajin market"
SOURCE = "hajin-report.txt"
SOURCE_TITLE = "Shelling hit the market in Hajin; two people were killed."


@dataclass(frozen=True)
class Received:
    """Bob's case after importing Anna's bundle, closed so raw sqlite3 can change it."""

    path: Path
    incident_id: uuid.UUID
    source_id: uuid.UUID
    entries: int  # history entries received


def _tamper(path: Path, statement: str, *params: object) -> None:
    """Change received history behind the desk's back: its guard dropped first, as
    anyone with sqlite3 could."""
    raw = sqlite3.connect(path)
    try:
        with raw:
            raw.execute("DROP TRIGGER IF EXISTS foreign_history_no_update")
            assert raw.execute(statement, params).rowcount == 1
    finally:
        raw.close()


def _received_rows(path: Path) -> list[ForeignHistory]:
    with Case.open(path) as case, case.read() as session:
        rows = session.scalars(select(ForeignHistory).order_by(ForeignHistory.seq)).all()
        session.expunge_all()
        return list(rows)


@pytest.fixture
def received(tmp_path: Path) -> Received:
    with Case.create(tmp_path / "anna.evcase", "Anna's case", analyst="Anna") as anna:
        incident = anna.incidents.create(IncidentFields(title=INCIDENT, place="Hajin"))
        source, _ = anna.sources.import_bytes(REPORT, SOURCE, incident_id=incident.id)
        anna.claims.add(incident.id, source.id, "fatalities", "2", quote="two people")
        anna.incidents.update(incident.id, summary="Two killed at the market.")
        export_bundle(anna, tmp_path / "anna.evbundle")
    bob_path = tmp_path / "bob.evcase"
    with Case.create(bob_path, "Bob's case", analyst="Bob") as bob:
        plan = merge.apply(bob, open_bundle(tmp_path / "anna.evbundle"))
        assert plan.applied
        assert plan.history >= 4
        report = verify_case(bob)
        assert report.ok, report.problems
        assert report.received_history_entries == plan.history
    return Received(bob_path, incident.id, source.id, plan.history)


def _verify(path: Path) -> list[str]:
    with Case.open(path) as case:
        return verify_case(case).problems


def test_a_received_entry_altered_in_the_case_file_is_found(received: Received) -> None:
    rows = _received_rows(received.path)
    target = next(r for r in rows if r.entity_type == "incident" and r.action == "update")
    _tamper(
        received.path,
        "UPDATE foreign_history SET summary = 'Nothing changed' WHERE entry_hash = ?",
        target.entry_hash,
    )
    (problem,) = _verify(received.path)
    assert problem.startswith(f"history entry {target.seq} (update of incident ")
    assert f"incident {received.incident_id} {INCIDENT!r}" in problem
    assert f"at {target.at} by Anna" in problem
    assert 'received from case "Anna\'s case" in bundle ' in problem
    assert problem.endswith("was altered after it came in")


def test_the_cli_reports_it_with_its_place(
    received: Received, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _received_rows(received.path)
    target = next(r for r in rows if r.entity_type == "source")
    _tamper(
        received.path,
        "UPDATE foreign_history SET actor = 'Mallory' WHERE entry_hash = ?",
        target.entry_hash,
    )
    assert main(["verify", str(received.path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    # the fields the command always had, and the new ones beside them
    assert {"ok", "problems", "blobs_checked", "history_entries", "sources", "index_checked"} <= (
        report.keys()
    )
    assert report["ok"] is False
    assert report["received_history_entries"] == len(rows)
    (finding,) = report["findings"]
    assert finding["kind"] == "received history"
    assert finding["record_type"] == "source"
    assert finding["record_id"] == str(received.source_id)
    assert finding["title"] == SOURCE_TITLE
    assert finding["at"] == target.at
    assert finding["seq"] == target.seq
    assert finding["received_from"] == "Anna's case"
    assert report["problems"] == [finding["message"]]
    assert main(["verify", str(received.path)]) == 1
    assert "was altered after it came in" in capsys.readouterr().out


def test_a_renumbered_entry_no_longer_follows_the_one_before(received: Received) -> None:
    rows = _received_rows(received.path)
    # Renumbering is not caught by the entry's own hash (the number is not hashed), only
    # by the link to the entry before it, which came in the same bundle.
    linked = {r.entry_hash: r for r in rows}
    follower = next(r for r in rows if r.prev_hash in linked)
    _tamper(
        received.path,
        "UPDATE foreign_history SET seq = seq + 5 WHERE entry_hash = ?",
        follower.entry_hash,
    )
    # the renumbered entry and the one after it both break; the first is told in full
    (problem,) = _verify(received.path)
    assert "does not follow the entry before it" in problem
    assert problem.endswith("(and 1 later entry of that chain)")


def test_only_the_first_broken_link_of_a_received_chain_is_told_in_full(
    received: Received,
) -> None:
    _tamper(
        received.path,
        "UPDATE foreign_history SET actor = 'Mallory' WHERE seq = (SELECT min(seq) FROM foreign_history)",
    )
    _tamper(
        received.path,
        "UPDATE foreign_history SET actor = 'Mallory' WHERE seq = (SELECT max(seq) FROM foreign_history)",
    )
    first = min(r.seq for r in _received_rows(received.path))
    (problem,) = _verify(received.path)
    assert problem.startswith(f"history entry {first} (")
    assert problem.endswith("(and 1 later entry of that chain)")


def test_a_local_history_problem_names_the_record_and_the_time(case: Case, case_path: Path) -> None:
    made = case.incidents.create(IncidentFields(title="First"))
    case.incidents.update(made.id, title="Second")
    update = next(h for h in case.incidents.history(made.id) if h.action == "update")
    case.close()
    raw = sqlite3.connect(case_path)
    with raw:
        raw.execute("DROP TRIGGER history_no_update")
        raw.execute("UPDATE history SET actor = 'Mallory' WHERE seq = ?", (update.seq,))
    raw.close()
    (problem,) = _verify(case_path)
    assert problem == (
        f"history entry {update.seq} (update of incident {made.id} 'Second', "
        f"at {update.at.isoformat()} by Mallory: {update.summary!r}) "
        "was altered after it was written"
    )


def test_a_deleted_record_is_named_by_type_and_id(case: Case, case_path: Path) -> None:
    note = case.notes.add("to be deleted")
    case.notes.delete(note.id)
    created = next(h for h in case.notes.history(note.id) if h.action == "create")
    case.close()
    raw = sqlite3.connect(case_path)
    with raw:
        raw.execute("DROP TRIGGER history_no_update")
        raw.execute("UPDATE history SET summary = 'x' WHERE seq = ?", (created.seq,))
    raw.close()
    (problem,) = _verify(case_path)
    assert f"(create of note {note.id} (no longer in the case), at " in problem


def test_an_altered_original_names_its_source_and_acquisition(case: Case, case_path: Path) -> None:
    source, _ = case.sources.import_bytes(REPORT, SOURCE)
    acquired = case.sources.get(source.id).acquisitions[0]
    sha256 = source.sha256
    assert sha256 is not None
    case.close()
    _tamper(case_path, "UPDATE blob SET data = ? WHERE sha256 = ?", b"forged", sha256)
    with Case.open(case_path) as reopened:
        report = verify_case(reopened)
    (problem,) = report.problems
    assert problem.startswith(f"original {sha256[:12]}… ({SOURCE_TITLE}) was altered")
    assert (
        f"(source {source.id}, acquired {acquired.acquired_at.isoformat()} by Test Analyst "
        f"from {SOURCE!r})"
    ) in problem
    (finding,) = report.findings
    assert (finding.kind, finding.record_id, finding.title, finding.sha256) == (
        "original",
        str(source.id),
        SOURCE_TITLE,
        sha256,
    )
    assert finding.at == acquired.acquired_at.isoformat()


def test_the_verify_dialog_says_it_checked_the_received_entries(received: Received) -> None:
    from ui.dialogs.verify_case import checked

    with Case.open(received.path) as case:
        report = verify_case(case)
    assert report.ok, report.problems
    assert f"{received.entries} history entries received from other cases in bundles" in (
        checked(report)
    )


def test_a_title_cannot_rearrange_the_report_line(case: Case, case_path: Path) -> None:
    source, _ = case.sources.import_bytes(REPORT, SOURCE)
    case.sources.update(source.id, title="evil\u202etxt.exe\nsecond line")
    sha256 = source.sha256
    assert sha256 is not None
    case.close()
    _tamper(case_path, "UPDATE blob SET data = ? WHERE sha256 = ?", b"forged", sha256)
    with Case.open(case_path) as reopened:
        report = verify_case(reopened)
    (problem,) = report.problems
    assert "(evil\\u202etxt.exe\\nsecond line) was altered" in problem
    assert "\u202e" not in problem
    assert "\n" not in problem
    assert report.findings[0].title == "evil\u202etxt.exe\nsecond line"
