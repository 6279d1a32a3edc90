"""Assessed facts: a resolution's accepted value, or the value every claim agrees on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desk.case import Case
from desk.claims.assessment import assess
from desk.services.incidents import IncidentFields
from tests.exporters.conftest import ANALYST, Built, demo_ids


def test_demo_market_facts(demo_brief: Built) -> None:
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        market = demo_ids(case)["market"]
        facts = {
            f.label: f for f in assess(case.claims.list(market), case.claims.conflicts(market))
        }
    # fatalities: resolved with an accepted value; place: two spellings of Sarmin agree
    assert set(facts) == {"Fatalities", "Place"}
    fatalities = facts["Fatalities"]
    assert fatalities.basis == "resolution"
    assert fatalities.confidence == "moderate"
    assert fatalities.value == "6 (best estimate, range 5-7)"
    assert len(fatalities.claims) == 3
    place = facts["Place"]
    assert place.basis == "agreement"
    assert place.confidence is None
    assert place.value in {"Sarmeen", "Sermin"}
    assert place.independent_outlets == 2


def test_agreeing_claims_give_the_most_specific_value(case: Case, samples: Path) -> None:
    incident = case.incidents.create(IncidentFields(title="Clash", start=date(2019, 6, 8)))
    outcomes = case.sources.import_files(
        [
            samples / "al-bukamal-irancommentary-2019-06-08.txt",
            samples / "eastern-syria-monitor-2019-06-09.html",
        ],
        incident.id,
    )
    blog, monitor = (o.source.id for o in outcomes if o.source)
    case.claims.add(incident.id, blog, "fatalities", ">=3")
    case.claims.add(incident.id, monitor, "fatalities", "4")
    case.claims.add(incident.id, blog, "date", "2019-06")
    case.claims.add(incident.id, monitor, "date", "2019-06-08")
    case.claims.add(incident.id, monitor, "statement", "The market was closed.")
    facts = {
        f.field: f
        for f in assess(case.claims.list(incident.id), case.claims.conflicts(incident.id))
    }
    assert facts["fatalities"].value == "4"
    assert facts["date"].value == "2019-06-08"
    assert "statement" not in facts  # free text is not a fact with one value
    assert facts["fatalities"].independent_outlets == 2


def test_open_conflicts_give_no_fact(case: Case, samples: Path) -> None:
    incident = case.incidents.create(IncidentFields(title="Clash", start=date(2019, 6, 8)))
    outcomes = case.sources.import_files(
        [
            samples / "al-bukamal-irancommentary-2019-06-08.txt",
            samples / "eastern-syria-monitor-2019-06-09.html",
        ],
        incident.id,
    )
    blog, monitor = (o.source.id for o in outcomes if o.source)
    case.claims.add(incident.id, blog, "fatalities", "3")
    case.claims.add(incident.id, monitor, "fatalities", "5")
    claims, conflicts = case.claims.list(incident.id), case.claims.conflicts(incident.id)
    assert assess(claims, conflicts) == []
    case.claims.resolve(conflicts[0].id, rationale="Cannot tell.", confidence="low")
    # resolved without an accepted value: still no fact
    assert assess(case.claims.list(incident.id), case.claims.conflicts(incident.id)) == []
