"""Full-text search: ranked, highlighted, kept in step with edits, safe to type into."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.search import fts_query
from desk.case import Case
from desk.services.incidents import IncidentFields


def test_hits_are_ranked_and_highlighted(case: Case) -> None:
    case.incidents.create(IncidentFields(title="Market fire", summary="A fire in the market."))
    strong = case.incidents.create(
        IncidentFields(title="Clashes in Albukamal", summary="Clashes near the Albukamal square.")
    )
    weak = case.notes.add("Someone mentioned Albukamal once in a long note about other things.")
    hits = case.search("Albukamal")
    assert [h.id for h in hits] == [strong.id, weak.id]
    assert hits[0].kind == "incident"
    assert "[Albukamal]" in hits[0].snippet_marked()
    assert hits[1].title == "Note on the case"


def test_the_index_follows_edits_and_deletions(case: Case) -> None:
    made = case.incidents.create(IncidentFields(title="Strike on the bakery"))
    case.incidents.update(made.id, title="Strike on the mill")
    assert case.search("bakery") == []
    assert [h.id for h in case.search("mill")] == [made.id]
    case.incidents.delete(made.id)
    assert case.search("mill") == []


def test_arabic_text_is_searchable(case: Case) -> None:
    note = case.notes.add("اشتباكات في البوكمال بين الميليشيات والدفاع الوطني")
    hits = case.search("البوكمال")
    assert [h.id for h in hits] == [note.id]
    assert "[البوكمال]" in hits[0].snippet_marked()


def test_phrases_and_prefixes(case: Case) -> None:
    phrase = case.notes.add("the military police did not intervene")
    case.notes.add("police said the military was absent")
    assert [h.id for h in case.search('"military police"')] == [phrase.id]
    assert len(case.search("milit*")) == 2


@pytest.mark.parametrize("query", ['"', "AND", "NEAR(", "a OR", "*", "col:x", "^", "'; DROP"])
def test_operator_characters_never_break_search(case: Case, query: str) -> None:
    case.notes.add("AND OR NOT near col x")
    case.search(query)  # no exception is the behaviour


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_typed_text_is_a_valid_query(case: Case, typed: str) -> None:
    query = fts_query(typed)
    assert query.count('"') % 2 == 0
    case.search(typed)


def test_snippet_parts_tell_hits_from_the_rest(case: Case) -> None:
    case.notes.add("Shelling in <b>Sarmin</b> market; Sarmin again")
    (hit,) = case.search("Sarmin")
    parts = hit.snippet_parts()
    assert "".join(text for text, _ in parts) == hit.snippet_marked("", "")
    assert [text for text, is_hit in parts if is_hit] == ["Sarmin", "Sarmin"]
    assert any("<b>" in text and not is_hit for text, is_hit in parts)


def test_a_note_hit_names_the_incident_it_is_on(case: Case) -> None:
    incident = case.incidents.create(IncidentFields(title="Strike on the mill"))
    note = case.notes.add("Ask the miller about the crater", incident_id=incident.id)
    (hit,) = case.search("miller")
    assert (hit.id, hit.incident_id, hit.source_id) == (note.id, incident.id, None)
    assert hit.title == "Note on Strike on the mill"
