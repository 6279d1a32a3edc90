"""Incidents: fields, validation, places by alias, links, listing, history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desk.case import Case
from desk.errors import BadInputError, NotFoundError
from desk.services.incidents import IncidentFields, IncidentFilter, problems


def _clash(**overrides: object) -> IncidentFields:
    values: dict[str, object] = {
        "title": "Clashes in Albukamal",
        "summary": "IRGC-linked militia against NDF after a flag incident.",
        "start": date(2019, 6, 7),
        "place": "Albukamal",
        "latitude": 34.4536,
        "longitude": 40.9367,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "status": "under review",
        "tags": ("flag", "IRGC"),
        "actors": (("Kata'ib Hezbollah", "actor1"), ("National Defence Forces", "actor2")),
    }
    values.update(overrides)
    return IncidentFields(**values)  # type: ignore[arg-type]


def test_an_incident_keeps_every_field(case: Case) -> None:
    made = case.incidents.create(_clash(end=date(2019, 6, 8)))
    got = case.incidents.get(made.id).fields
    assert got.title == "Clashes in Albukamal"
    assert (got.start, got.end, got.end_precision) == (date(2019, 6, 7), date(2019, 6, 8), "day")
    assert (got.latitude, got.longitude) == (34.4536, 40.9367)
    assert (got.event_type, got.sub_event_type) == ("Battles", "Armed clash")
    assert got.tags == ("IRGC", "flag")
    assert set(got.actors) == {
        ("Kata'ib Hezbollah", "actor1"),
        ("National Defence Forces", "actor2"),
    }


def test_a_place_is_found_by_any_spelling(case: Case) -> None:
    case.gazetteer.define_place("Al Bukamal", ["Albukamal", "Abu Kamal", "البوكمال"])
    first = case.incidents.create(_clash(place="Abu Kamal"))
    second = case.incidents.create(_clash(title="Later clash", place="البوكمال"))
    assert case.incidents.get(first.id).place_id == case.incidents.get(second.id).place_id
    assert case.incidents.get(first.id).fields.place == "Al Bukamal"
    found = case.incidents.rows(IncidentFilter(place="albukamal"))
    assert {r.id for r in found} == {first.id, second.id}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"end": date(2019, 6, 1)}, "end is before its start"),
        ({"latitude": 91.0}, "Latitude 91.0 is out of range"),
        ({"longitude": None}, "both latitude and longitude"),
        ({"status": "maybe"}, "not a status"),
        ({"event_type": "Skirmish", "sub_event_type": None}, "not an ACLED event type"),
        ({"sub_event_type": "Grenade"}, "not a sub-event type of 'Battles'"),
        ({"actors": (("X", "hero"),)}, "not an actor role"),
    ],
)
def test_invalid_fields_are_refused_with_the_reason(
    case: Case, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(BadInputError, match=message):
        case.incidents.create(_clash(**overrides))
    assert case.incidents.count() == 0


def test_a_month_long_end_may_contain_the_start(case: Case) -> None:
    made = case.incidents.create(
        _clash(start=date(2019, 6, 7), end=date(2019, 6, 1), end_precision="month")
    )
    assert case.incidents.get(made.id).fields.end_precision == "month"


def test_edits_change_only_named_fields_and_are_in_history(case: Case) -> None:
    made = case.incidents.create(_clash())
    edited = case.incidents.update(made.id, status="disputed", tags=["flag"])
    assert edited.fields.status == "disputed"
    assert edited.fields.tags == ("flag",)
    assert edited.fields.title == "Clashes in Albukamal"
    assert edited.revision == 2
    entries = case.incidents.history(made.id)
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before == {"status": "under review", "tags": ["IRGC", "flag"]}
    assert entries[1].after == {"status": "disputed", "tags": ["flag"]}
    assert entries[1].actor == "Test Analyst"


def test_an_edit_that_changes_nothing_writes_no_history(case: Case) -> None:
    made = case.incidents.create(_clash())
    case.incidents.update(made.id, title="Clashes in Albukamal")
    assert len(case.incidents.history(made.id)) == 1


def test_links_and_deletion(case: Case) -> None:
    first = case.incidents.create(_clash())
    second = case.incidents.create(_clash(title="Flag incident in the square"))
    case.incidents.link(second.id, first.id, "part of")
    case.incidents.link(second.id, first.id, "part of")  # twice is once
    assert case.incidents.get(second.id).links == (("part of", first.id, "Clashes in Albukamal"),)
    with pytest.raises(BadInputError):
        case.incidents.link(first.id, first.id)
    case.incidents.delete(first.id)
    assert case.incidents.get(second.id).links == ()
    with pytest.raises(NotFoundError):
        case.incidents.get(first.id)
    assert [e.action for e in case.incidents.history(first.id)] == ["create", "delete"]


def test_list_filters_and_sorts_in_sql(case: Case) -> None:
    case.incidents.create(_clash(title="B clash", start=date(2019, 6, 9), status="confirmed"))
    case.incidents.create(_clash(title="A clash", start=date(2019, 6, 7), tags=("night",)))
    case.incidents.create(
        _clash(title="C protest", start=None, event_type=None, sub_event_type=None)
    )
    assert [r.title for r in case.incidents.rows(sort="date")] == [
        "A clash",
        "B clash",
        "C protest",
    ]
    assert next(r.title for r in case.incidents.rows(sort="title", descending=True)) == "C protest"
    assert [r.title for r in case.incidents.rows(IncidentFilter(status="confirmed"))] == ["B clash"]
    assert [r.title for r in case.incidents.rows(IncidentFilter(tag="night"))] == ["A clash"]
    assert [r.title for r in case.incidents.rows(IncidentFilter(text="protest"))] == ["C protest"]
    assert case.incidents.count(IncidentFilter(date_from=date(2019, 6, 8))) == 1
    assert [r.title for r in case.incidents.rows(sort="date", offset=1, limit=1)] == ["B clash"]
    assert case.incidents.rows(IncidentFilter(text="100%_")) == []


def test_a_deleted_incident_can_be_restored_with_what_it_had(case: Case, samples: Path) -> None:
    first = case.incidents.create(_clash())
    other = case.incidents.create(_clash(title="Flag incident"))
    source, _ = case.sources.import_file(samples / "field-note-2019-06-10.txt", first.id)
    case.incidents.link(other.id, first.id, "part of")
    note = case.notes.add("Contact is reliable on numbers", incident_id=first.id)

    deleted = case.incidents.delete(first.id)
    assert case.notes.list(incident_id=first.id) == []
    restored = case.incidents.restore(deleted)

    assert restored.id == first.id
    assert restored.fields == case.incidents.get(first.id).fields
    assert restored.fields.title == "Clashes in Albukamal"
    assert restored.source_ids == (source.id,)
    assert case.incidents.get(other.id).links == (("part of", first.id, "Clashes in Albukamal"),)
    assert [n.id for n in case.notes.list(incident_id=first.id)] == [note.id]
    assert [e.action for e in case.incidents.history(first.id)][-2:] == ["delete", "restore"]


def test_the_notes_editor_keeps_one_note_per_target(case: Case) -> None:
    made = case.incidents.create(_clash())
    assert case.notes.save("", incident_id=made.id) is None
    first = case.notes.save("Draft", incident_id=made.id)
    second = case.notes.save("Draft, checked", incident_id=made.id)
    assert first is not None
    assert second is not None
    assert first.id == second.id
    assert [n.body for n in case.notes.list(incident_id=made.id)] == ["Draft, checked"]
    assert case.incidents.tags() == ["IRGC", "flag"]


def test_problems_name_the_field_they_belong_to() -> None:
    found = problems(
        _clash(title=" ", end=date(2019, 6, 1), latitude=95.0, sub_event_type="Grenade")
    )
    assert found == {
        "title": "An incident needs a title.",
        "end": "The incident's end is before its start.",
        "latitude": "Latitude 95.0 is out of range (-90 to 90).",
        "sub_event_type": "'Grenade' is not a sub-event type of 'Battles'.",
    }
    assert problems(_clash()) == {}
    assert problems(_clash(longitude=None)) == {
        "longitude": "Give both latitude and longitude, or neither."
    }


def test_another_spelling_of_the_same_place_or_actor_is_no_change(case: Case) -> None:
    case.gazetteer.define_place("Albukamal", ["Abu Kamal", "البوكمال"])
    case.gazetteer.define_actor("Kata'ib Hezbollah", ["KH"])
    made = case.incidents.create(_clash())

    same = case.incidents.update(
        made.id,
        place="البوكمال",
        actors=[("National Defence Forces", "actor2"), ("KH", "actor1")],
    )

    assert same.revision == 1
    assert same.fields.place == "Albukamal"
    assert len(case.incidents.history(made.id)) == 1
    moved = case.incidents.update(made.id, place="Hajin")
    assert moved.revision == 2
    assert case.incidents.history(made.id)[-1].after == {"place": "Hajin"}


def test_one_row_of_the_list_and_links_seen_from_both_ends(case: Case) -> None:
    first = case.incidents.create(_clash())
    second = case.incidents.create(_clash(title="Flag incident in the square"))
    case.incidents.link(second.id, first.id, "part of")

    row = case.incidents.row(first.id)
    assert (row.title, row.place, row.source_count) == ("Clashes in Albukamal", "Albukamal", 0)
    assert case.incidents.get(first.id).linked_from == (
        ("part of", second.id, "Flag incident in the square"),
    )
    assert case.incidents.get(second.id).linked_from == ()
    case.incidents.delete(first.id)
    with pytest.raises(NotFoundError):
        case.incidents.row(first.id)
