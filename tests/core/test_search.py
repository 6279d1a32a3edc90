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
