"""Acceptance: the Al Bukamal incident from every sample file, its claims and conflicts."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from desk.case import Case
from desk.claims.suggest import suggest_claims
from desk.errors import BadInputError
from desk.services.claims import ConflictView
from desk.services.incidents import IncidentFields

BLOG = "al-bukamal-irancommentary-2019-06-08.txt"
ESM = "eastern-syria-monitor-2019-06-09.html"
ARABIC = "deir-ezzor-news-ar-2019-06-08.html"
NOTE = "field-note-2019-06-10.txt"
REPORT = "weekly-monitoring-report-2019-w23.pdf"
MP = "Russian military police intervened?"
HEAVY = "Heavy weapons used?"

# (source, field, value, quote, question)
CLAIMS = [
    (BLOG, "fatalities", "3", "three individuals were killed", None),
    (BLOG, "injured", ">=1", "a number of others were wounded", None),
    (BLOG, "date", "2019-06-08", "8 June 2019", None),
    (BLOG, "place", "Feehe", "Feehe district", None),
    (BLOG, "statement", "yes", "heavy weaponry was used", HEAVY),
    (BLOG, "statement", "no", "took no action to stop the clashes", MP),
    (ESM, "fatalities", "5", "five people were killed", None),
    (ESM, "injured", "9", "nine others wounded", None),
    (ESM, "date", "2019-06-07", "Friday 7 June", None),
    (ESM, "place", "al-Hizam", "al-Hizam neighbourhood", None),
    (ESM, "weapons", "medium machine guns and an RPG", "Medium machine guns", None),
    (ESM, "statement", "yes", "separated the two sides", MP),
    (ARABIC, "fatalities", "4", "بمقتل أربعة أشخاص", None),
    (ARABIC, "place", "حي الفيحاء", "حي الفيحاء", None),
    (ARABIC, "statement", "yes", "أسلحة ثقيلة", HEAVY),
    (ARABIC, "statement", "no", "ولم تتدخل الشرطة العسكرية الروسية", MP),
    (NOTE, "fatalities", "2", "two people were killed", None),
    (NOTE, "date", "2019-06-07..2019-06-08", "7-8 June", None),
    (NOTE, "place", "Hamdan road", "near the Hamdan road", None),
    (NOTE, "statement", "no", "no heavy weapons were used", HEAVY),
    (REPORT, "fatalities", ">=3", "At least three people were killed", None),
    (REPORT, "injured", "6", "six were injured", None),
    (REPORT, "date", "2019-06-08", "On 8 June 2019", None),
    (REPORT, "statement", "yes", "Heavy weapons were reportedly used", HEAVY),
]


@pytest.fixture
def albukamal(case: Case, samples: Path) -> tuple[Case, uuid.UUID, dict[str, uuid.UUID]]:
    case.gazetteer.define_place("Albukamal", ["Al Bukamal", "Abu Kamal", "البوكمال"])
    case.gazetteer.define_place("Feehe", ["al-Fayha", "حي الفيحاء", "Fayha"])
    incident = case.incidents.create(
        IncidentFields(title="Clashes in Albukamal", start=date(2019, 6, 7), place="Abu Kamal")
    )
    names = [BLOG, ESM, ARABIC, NOTE, REPORT, "albukamal-square-2019-06-08.jpg"]
    outcomes = case.sources.import_files([samples / n for n in names], incident.id)
    sources = {o.path.name: o.source.id for o in outcomes if o.source}
    for source, field, value, quote, question in CLAIMS:
        case.claims.add(incident.id, sources[source], field, value, quote=quote, question=question)
    return case, incident.id, sources


def _by_label(conflicts: list[ConflictView]) -> dict[str, ConflictView]:
    return {c.label: c for c in conflicts}


def test_the_engine_reports_the_conflicts_the_samples_hold(
    albukamal: tuple[Case, uuid.UUID, dict[str, uuid.UUID]],
) -> None:
    case, incident_id, _ = albukamal
    conflicts = _by_label(case.claims.conflicts(incident_id))
    assert set(conflicts) == {
        "Fatalities",
        "Injured",
        "Date",
        "Place",
        f"Statement: {HEAVY}",
        f"Statement: {MP}",
    }
    fatalities = conflicts["Fatalities"]
    assert [c.value_text for c in fatalities.claims] == ["2", "3", ">=3", "4", "5"]
    assert "at least 3 agrees with 3, 4 and 5" in fatalities.explanation
    assert fatalities.explanation.startswith("Fatalities: 2 (")

    place = conflicts["Place"]
    assert {c.value_text for c in place.claims} == {
        "Feehe",
        "al-Hizam",
        "حي الفيحاء",
        "Hamdan road",
    }
    assert "Feehe and حي الفيحاء disagree" not in place.explanation
    # Feehe and al-Fayha are one place: those two claims corroborate each other
    feehe = next(c for c in place.claims if c.value_text == "Feehe")
    assert feehe.corroboration == 2

    date_conflict = conflicts["Date"]
    assert "2019-06-07" in date_conflict.explanation
    assert "2019-06-08" in date_conflict.explanation

    assert all(c.status == "open" for c in conflicts.values())
    assert case.incidents.rows()[0].open_conflicts == 6


def test_agreeing_claims_make_no_conflict(
    albukamal: tuple[Case, uuid.UUID, dict[str, uuid.UUID]],
) -> None:
    case, incident_id, sources = albukamal
    # weapons: one text claim only; an image without a text takes a quote-less claim
    case.claims.add(incident_id, sources["albukamal-square-2019-06-08.jpg"], "date", "2019-06")
    labels = {c.label for c in case.claims.conflicts(incident_id)}
    assert "Weapons" not in labels
    date_conflict = next(c for c in case.claims.conflicts(incident_id) if c.field == "date")
    assert "2019-06" in [c.value_text for c in date_conflict.claims]


def test_resolving_keeps_the_claims_and_a_new_claim_reopens(
    albukamal: tuple[Case, uuid.UUID, dict[str, uuid.UUID]],
) -> None:
    case, incident_id, sources = albukamal
    fatalities = next(c for c in case.claims.conflicts(incident_id) if c.field == "fatalities")
    resolved = case.claims.resolve(
        fatalities.id,
        value="3-5",
        best=4,
        rationale="Hospital-based count lies between the outlets' figures.",
        confidence="moderate",
    )
    assert resolved.status == "resolved"
    assert resolved.resolution is not None
    assert (resolved.resolution.best, resolved.resolution.low, resolved.resolution.high) == (
        4,
        3,
        5,
    )
    assert len(resolved.claims) == 5  # nothing deleted
    assert case.incidents.rows()[0].open_conflicts == 5
    assert case.incidents.history(incident_id)[-1].action == "resolve"

    # a new claim inside the accepted range keeps it resolved; one outside re-opens it
    case.claims.add(incident_id, sources[REPORT], "fatalities", "4", quote="three people")
    assert case.claims.conflict(fatalities.id).status == "resolved"
    case.claims.add(incident_id, sources[NOTE], "fatalities", "9")
    assert case.claims.conflict(fatalities.id).status == "reopened"
    assert case.incidents.rows()[0].open_conflicts == 6


def test_a_repeating_source_does_not_corroborate(
    albukamal: tuple[Case, uuid.UUID, dict[str, uuid.UUID]],
) -> None:
    case, incident_id, sources = albukamal

    def esm_injured() -> int:
        return next(
            c.corroboration
            for c in case.claims.list(incident_id)
            if c.field == "injured" and c.source_id == sources[ESM]
        )

    before = esm_injured()  # ESM's 9, and the blog's "at least 1" that agrees
    repeat = case.claims.add(
        incident_id, sources[REPORT], "injured", "9", repeats_source_id=sources[ESM]
    )
    assert not repeat.independent
    assert esm_injured() == before  # the report repeats ESM: not another outlet
    case.claims.add(incident_id, sources[NOTE], "injured", "9")
    assert esm_injured() == before + 1  # an independent outlet agreeing does count


def test_the_matrix_shows_who_says_what(
    albukamal: tuple[Case, uuid.UUID, dict[str, uuid.UUID]],
) -> None:
    case, incident_id, sources = albukamal
    matrix = case.claims.matrix(incident_id)
    rows = list(matrix.rows)
    columns = [s[0] for s in matrix.sources]
    fatalities = rows.index(("fatalities", ""))
    assert matrix.cell(fatalities, columns.index(sources[ESM])).state == "conflict"
    weapons = rows.index(("weapons", ""))
    assert matrix.cell(weapons, columns.index(sources[ESM])).state == "alone"
    assert matrix.cell(weapons, columns.index(sources[NOTE])).state == "not stated"


def test_quotes_must_be_in_the_source(
    albukamal: tuple[Case, uuid.UUID, dict[str, uuid.UUID]],
) -> None:
    case, incident_id, sources = albukamal
    with pytest.raises(BadInputError, match="quote is not in the text"):
        case.claims.add(incident_id, sources[ESM], "fatalities", "12", quote="twelve were killed")
    claim = next(c for c in case.claims.list(incident_id) if c.quote == "five people were killed")
    text = case.sources.text(sources[ESM])
    assert claim.quote_start is not None
    assert text[claim.quote_start : claim.quote_end] == "five people were killed"


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        (BLOG, "fatalities", "3"),
        (ESM, "fatalities", "5"),
        (ESM, "injured", "9"),
        (ARABIC, "fatalities", "4"),
        (NOTE, "fatalities", "2"),
    ],
)
def test_suggestions_find_the_numbers_in_the_texts(
    case: Case, samples: Path, name: str, field: str, value: str
) -> None:
    source, _ = case.sources.import_file(samples / name)
    found = case.claims.suggestions(source.id)
    assert (field, value) in {(s.field, s.value) for s in found}
    text = case.sources.text(source.id)
    for suggestion in found:
        assert text[suggestion.start : suggestion.end] == suggestion.quote


def test_suggestions_read_arabic_number_words_and_digits() -> None:
    assert [(s.field, s.value) for s in suggest_claims("أفادت مصادر بمقتل أربعة أشخاص")] == [
        ("fatalities", "4")
    ]
    assert [(s.field, s.value) for s in suggest_claims("وأصيب أكثر من عشرين آخرين")] == [
        ("injured", ">=21")
    ]
    assert [(s.field, s.value) for s in suggest_claims("مقتل ٧ مدنيين")] == [("fatalities", "7")]
    assert [(s.field, s.value) for s in suggest_claims("between 5 and 7 killed")] == [
        ("fatalities", "5-7")
    ]


def test_accepted_suggestions_are_not_suggested_again(case: Case, samples: Path) -> None:
    incident = case.incidents.create(IncidentFields(title="Clashes"))
    source, _ = case.sources.import_file(samples / ESM, incident.id)
    first = next(s for s in case.claims.suggestions(source.id) if s.field == "fatalities")
    case.claims.add(
        incident.id, source.id, first.field, first.value, quote=first.quote, quote_start=first.start
    )
    assert first not in case.claims.suggestions(source.id)
