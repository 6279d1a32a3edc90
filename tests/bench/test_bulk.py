"""The bulk writer keeps the services' promises: history chain, hashes, index, conflicts."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import Blob, HistoryEntry, Incident, Source
from desk.bulk import BulkWriter, recount_conflicts
from desk.case import Case
from desk.errors import BadInputError, NotFoundError
from desk.ingest.model import Extracted
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import make_case


def _article(title: str, text: str, outlet: str | None = None) -> Extracted:
    return Extracted(kind="article", media_type="text/plain", title=title, text=text, outlet=outlet)


def test_bulk_records_verify_and_search(case: Case) -> None:
    with BulkWriter(case, batch_rows=5) as writer:
        writer.place("Al Bukamal", ["Albukamal", "Abu Kamal", "البوكمال"], country="Syria")
        writer.actor("Syrian Arab Army", ["SAA"])
        writer.outlet("Enab Baladi", reliability="B", reason="Usually right.")
        first = writer.incident(
            IncidentFields(
                title="Shelling in Abu Kamal",
                summary="Reports mention quillometers.",
                start=date(2019, 6, 7),
                place="Abu Kamal",
                tags=("shelling",),
                actors=(("SAA", "actor1"),),
            )
        )
        second = writer.incident(IncidentFields(title="Clash near Hajin", place="Hajin"))
        text = "Three people were killed in Albukamal. Vexillarchs were seen."
        source, created = writer.source(
            text.encode(), "a.txt", _article("Report A", text, "Enab Baladi"), incident_ids=[first]
        )
        other, _ = writer.source(b"five were killed", "b.txt", _article("Report B", "five killed"))
        again, created_again = writer.source(text.encode(), "copy.txt", _article("Copy", text))
        writer.claim(first, source, "fatalities", "3", quote="Three people were killed")
        writer.claim(first, other, "fatalities", "5")
        writer.claim(first, other, "place", "البوكمال")
        writer.claim(first, source, "place", "Albukamal")
        writer.claim(second, other, "fatalities", ">=2")
        writer.note("Check against the hospital list.", incident_id=first)
    assert created
    assert not created_again
    assert again == source
    assert writer.counts.transactions > 1

    report = verify_case(case)
    assert report.ok, report.problems
    assert {h.title for h in case.search("quillometers")} == {"Shelling in Abu Kamal"}
    assert {h.title for h in case.search("Vexillarchs")} == {"Report A"}
    assert {h.kind for h in case.search("hospital")} == {"note"}

    rows = {r.title: r for r in case.incidents.rows()}
    # 3 vs 5 disagree; the two spellings of the place name one place.
    assert rows["Shelling in Abu Kamal"].open_conflicts == 1
    assert rows["Shelling in Abu Kamal"].source_count == 2
    assert rows["Clash near Hajin"].open_conflicts == 0
    assert len(case.claims.conflicts()) == 1
    assert case.outlets.list()[0].reliability == "B"

    with case.read() as session:
        summaries = list(session.scalars(select(HistoryEntry.summary).order_by(HistoryEntry.seq)))
        blob = session.get(Blob, hashlib.sha256(text.encode()).hexdigest())
        assert blob is not None
        assert blob.data == text.encode()
    assert "Incident created: Shelling in Abu Kamal" in summaries
    assert "Same bytes imported again from copy.txt: Report A" in summaries
    assert any(s.startswith("Claim: Report B says fatalities 5") for s in summaries)

    # The services go on from where the bulk writer stopped: one chain.
    case.claims.add(second, source, "fatalities", "1")
    assert case.incidents.row(second).open_conflicts == 1
    assert verify_case(case).ok


def test_bulk_refuses_what_the_services_refuse(case: Case) -> None:
    with BulkWriter(case) as writer:
        incident = writer.incident(IncidentFields(title="An incident"))
        source, _ = writer.source(b"some text", "a.txt", _article("A", "some text"))
        with pytest.raises(BadInputError):
            writer.claim(incident, source, "fatalities", "many")
        with pytest.raises(BadInputError):
            writer.claim(incident, source, "fatalities", "3", quote="not in the text")
        with pytest.raises(NotFoundError):
            writer.claim(incident, make_case.id_factory(9)(), "fatalities", "3")
        with pytest.raises(BadInputError):
            writer.incident(IncidentFields(title=""))
    assert verify_case(case).ok


def test_recount_matches_the_claims_service(case: Case) -> None:
    with BulkWriter(case) as writer:
        incident = writer.incident(IncidentFields(title="Disputed"))
        one, _ = writer.source(b"one", "1.txt", _article("One", "one"))
        two, _ = writer.source(b"two", "2.txt", _article("Two", "two"))
        writer.claim(incident, one, "fatalities", "3")
        writer.claim(incident, two, "fatalities", "9")
        writer.claim(incident, one, "date", "2019-06-07")
        writer.claim(incident, two, "date", "2019-06")
    conflict = case.claims.conflicts()[0]
    case.claims.resolve(conflict.id, rationale="Hospital list.", confidence="high", value="3")
    with case.read() as session:
        ids = list(session.scalars(select(Incident.id)))
        assert recount_conflicts(case, session, ids, store=False) == 0
    with case.write() as session:
        assert recount_conflicts(case, session, ids) == 0
    assert case.incidents.row(incident).open_conflicts == 0


def _content(path: Path) -> list[tuple[object, ...]]:
    """Everything in a case except the times of writing."""
    conn = sqlite3.connect(path)
    try:
        queries = (
            "SELECT id, title, summary, start_date, place_id, status, open_conflicts"
            " FROM incident ORDER BY id",
            "SELECT id, title, text, blob_sha256, outlet_id, language FROM source ORDER BY id",
            "SELECT id, incident_id, source_id, field, value_text, quote_start FROM claim"
            " ORDER BY id",
            "SELECT id, body FROM note ORDER BY id",
            "SELECT sha256, size FROM blob ORDER BY sha256",
            "SELECT name, reliability FROM outlet ORDER BY name",
            "SELECT alias, norm FROM place_alias ORDER BY norm, alias",
            "SELECT seq, action, entity_type, entity_id, summary FROM history"
            " WHERE entity_type <> 'case' ORDER BY seq",
        )
        return [tuple(conn.execute(q).fetchall()) for q in queries]
    finally:
        conn.close()


def test_generated_case_is_reproducible_and_sound(tmp_path: Path) -> None:
    scale = make_case.Scale.of(60, images=2)
    first, second = tmp_path / "a.evcase", tmp_path / "b.evcase"
    made = make_case.build(first, scale, seed=5, jobs=1, log=lambda _: None)
    make_case.build(second, scale, seed=5, jobs=1, log=lambda _: None)
    assert _content(first) == _content(second)
    assert made.incidents == 60
    assert made.images == 2
    assert made.claims > 60

    with Case.open(first, "Test Analyst") as case:
        report = verify_case(case)
        assert report.ok, report.problems
        with case.read() as session:
            languages = set(session.scalars(select(Source.language).distinct()))
            images = session.scalar(select(func.count()).where(Source.kind == "image"))
        assert {"en", "ar"} <= languages
        assert images == 2
        assert case.search("killed")
        assert sum(r.open_conflicts for r in case.incidents.rows(limit=100)) > 0
