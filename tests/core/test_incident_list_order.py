"""The incident list's pages: every order pages without gaps, counts of sources kept."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, timedelta

import pytest

from desk.case import Case
from desk.services import incidents
from desk.services.incidents import IncidentFields, IncidentFilter, SortKey


def _make(case: Case) -> None:
    """Twelve incidents: places in two scripts and none, ties in every column."""
    places = ["Albukamal", "Hajin", "البوكمال", None]
    for number in range(12):
        case.incidents.create(
            IncidentFields(
                title=f"Incident {number % 5}",
                summary="shelling" if number % 3 == 0 else "a clash",
                start=date(2019, 6, 1) + timedelta(days=number % 4) if number % 6 else None,
                place=places[number % 4],
                event_type="Battles" if number % 2 else None,
                sub_event_type="Armed clash" if number % 2 else None,
                status=("draft", "confirmed")[number % 2],
                tags=("night",) if number % 4 == 1 else (),
            )
        )


def _sources(case: Case, count: int) -> list[object]:
    return [
        case.sources.import_bytes(f"report {n}\n".encode(), f"report-{n}.txt")[0].id
        for n in range(count)
    ]


def test_pages_of_every_order_join_up_to_the_whole_list(case: Case) -> None:
    _make(case)
    filters = [
        IncidentFilter(),
        IncidentFilter(place="albu"),
        IncidentFilter(status="confirmed"),
        IncidentFilter(tag="night"),
        IncidentFilter(text="shelling"),
    ]
    sorts: list[SortKey] = ["date", "title", "place", "type", "status", "sources", "conflicts"]
    for where in filters:
        total = case.incidents.count(where)
        for sort in sorts:
            for descending in (False, True):
                whole = case.incidents.rows(where, sort, descending, limit=100)
                paged = [
                    row
                    for offset in range(0, total, 5)
                    for row in case.incidents.rows(where, sort, descending, offset, limit=5)
                ]
                assert paged == whole, (where, sort, descending)
                assert len({row.id for row in whole}) == total
                assert _paged_after(case, where, sort, descending) == whole, (where, sort)


def _paged_after(
    case: Case, where: IncidentFilter, sort: SortKey, descending: bool
) -> list[incidents.IncidentRow]:
    """The whole list read as the list view scrolls: each page after the last row."""
    rows = case.incidents.rows(where, sort, descending, limit=5)
    while page := case.incidents.rows(where, sort, descending, limit=5, after=rows[-1].id):
        rows += page
    return rows


def test_a_page_after_a_deleted_incident_falls_back_on_its_offset(case: Case) -> None:
    _make(case)
    first = case.incidents.rows(sort="title", limit=5)
    case.incidents.delete(first[-1].id)
    after_gone = case.incidents.rows(sort="title", offset=4, limit=5, after=first[-1].id)
    assert after_gone == case.incidents.rows(sort="title", offset=4, limit=5)


def test_sorting_by_place_puts_incidents_without_one_last(case: Case) -> None:
    _make(case)
    for descending in (False, True):
        places = [r.place for r in case.incidents.rows(sort="place", descending=descending)]
        named = [p for p in places if p is not None]
        assert places[len(named) :] == [None] * 3
        assert named == sorted(named, reverse=descending)
    # A page that starts among the incidents without a place.
    assert [r.place for r in case.incidents.rows(sort="place", offset=10)] == [None, None]


def test_dates_sort_with_undated_incidents_last_both_ways(case: Case) -> None:
    _make(case)
    for descending in (False, True):
        starts = [r.start for r in case.incidents.rows(sort="date", descending=descending)]
        dated = [s for s in starts if s is not None]
        assert starts[len(dated) :] == [None, None]
        assert dated == sorted(dated, reverse=descending)


def test_the_source_count_follows_attachments_on_every_path(case: Case) -> None:
    first = case.incidents.create(IncidentFields(title="First"))
    second = case.incidents.create(IncidentFields(title="Second"))
    one, two, three = _sources(case, 3)
    case.incidents.attach(first.id, [one, two, three])
    case.incidents.attach(second.id, [one])
    case.incidents.attach(second.id, [one])  # already attached: no change
    assert [(r.title, r.source_count) for r in case.incidents.rows(sort="sources")] == [
        ("Second", 1),
        ("First", 3),
    ]
    case.incidents.detach(first.id, [two])
    assert case.incidents.row(first.id).source_count == 2
    deleted = case.incidents.delete(first.id)
    case.incidents.restore(deleted)
    assert case.incidents.row(first.id).source_count == 2
    assert [r.title for r in case.incidents.rows(sort="sources", descending=True)] == [
        "First",
        "Second",
    ]
    # The kept count is the count of attachments, for every incident.
    with sqlite3.connect(case.path) as raw:
        wrong = raw.execute(
            "SELECT count(*) FROM incident WHERE source_count <>"
            " (SELECT count(*) FROM incident_source s WHERE s.incident_id = incident.id)"
        ).fetchone()[0]
    raw.close()
    assert wrong == 0


def test_views_of_many_incidents_are_what_get_gives(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make(case)
    ids = [r.id for r in case.incidents.rows(sort="title", limit=100)]
    one, two = _sources(case, 2)
    case.incidents.attach(ids[0], [one, two])
    case.incidents.attach(ids[5], [two])
    case.incidents.link(ids[0], ids[1], "related")
    case.incidents.link(ids[2], ids[0], "part of")
    case.incidents.update(
        ids[0], actors=(("National Defence Forces", "actor1"), ("IRGC", "actor2"))
    )
    monkeypatch.setattr(incidents, "VIEW_CHUNK", 5)  # several chunks
    wanted = [*ids, uuid.uuid4()]  # an id the case does not have is left out
    assert case.incidents.views(wanted) == [case.incidents.get(i) for i in ids]
