"""The whole-case listing read as plain rows (``incidents --json``) says exactly what
each incident's view says, in the list's order, under every filter the CLI takes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from desk.case import Case
from desk.cli import main
from desk.services.incidents import IncidentFields, IncidentFilter
from desk.services.listing import incident_dicts, incident_rows

ARABIC_SUMMARY = 'قصف مدفعي على الحي الشرقي، "مصادر محلية"\nسطر ثان'


def _fill(case: Case) -> None:
    """Incidents with every part: places with spellings in two scripts (and none),
    dates of every precision (and none), ends, actors, tags, sources in dated,
    undated and tied order, links both ways, a claim, quotes and newlines."""
    case.gazetteer.define_place(
        "Albukamal", aliases=["Abu Kamal", "البوكمال"], admin1="Deir ez-Zor", country="Syria"
    )
    case.gazetteer.define_place("Hajin", aliases=["هجين"], country="Syria")
    made = [
        case.incidents.create(fields)
        for fields in [
            IncidentFields(
                title="Shelling of the market",
                summary=ARABIC_SUMMARY,
                start=date(2019, 6, 7),
                place="البوكمال",
                latitude=34.45,
                longitude=40.92,
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                status="confirmed",
                tags=("shelling", "night", "Zeta"),
                actors=(("NDF", "actor2"), ("Islamic State", "actor1"), ("Civilians", "actor2")),
            ),
            IncidentFields(
                title="قصف السوق",
                start=date(2019, 6, 3),
                start_precision="week",
                end=date(2019, 6, 17),
                end_precision="week",
                place="Hajin",
                status="under review",
                tags=("shelling",),
            ),
            IncidentFields(
                title='Clash "at night"',
                summary="back\\slash and tab\there",
                start=date(2019, 6, 1),
                start_precision="month",
                end=date(2019, 7, 1),
                end_precision="month",
                place="Abu Kamal",
                event_type="Battles",
                sub_event_type="Armed clash",
                actors=(("SDF", "actor1"),),
            ),
            IncidentFields(title="A year", start=date(2018, 1, 1), start_precision="year"),
            IncidentFields(title="Undated, no place", summary="shelling reported"),
            IncidentFields(title="Undated in Hajin", place="Hajin", status="confirmed"),
            IncidentFields(title="Same day", start=date(2019, 6, 7), latitude=0.0, longitude=-0.5),
        ]
    ]
    sources = [
        case.sources.import_bytes(f"report {n}\n".encode(), f"report-{n}.txt")[0].id
        for n in range(5)
    ]
    # Two sources share an undated title (a tie), two are dated, one is not attached.
    case.sources.update(sources[0], title="Same title")
    case.sources.update(sources[1], title="Same title")
    case.sources.update(
        sources[2], published_at=datetime(2019, 6, 8, tzinfo=UTC), published_precision="day"
    )
    case.sources.update(
        sources[3], published_at=datetime(2019, 6, 7, 12, 30, tzinfo=UTC), published_precision="day"
    )
    case.incidents.attach(made[0].id, sources[:4])
    case.incidents.attach(made[1].id, [sources[1]])
    case.incidents.attach(made[5].id, [sources[3], sources[0]])
    case.incidents.link(made[0].id, made[1].id, "related")
    case.incidents.link(made[2].id, made[0].id, "duplicate of")
    case.incidents.link(made[0].id, made[3].id, "part of")
    case.claims.add(made[0].id, sources[2], "fatalities", "3")


def _through_views(case: Case, where: IncidentFilter) -> list[dict[str, Any]]:
    """What the listing said before it read plain rows: each incident's view."""
    rows = case.incidents.rows(where, limit=1000)
    counts = {row.id: row.source_count for row in rows}
    views = case.incidents.views([row.id for row in rows])
    return [{**view.to_json(), "source_count": counts[view.id]} for view in views]


@pytest.mark.parametrize(
    "where",
    [
        IncidentFilter(),
        IncidentFilter(text="shelling"),
        IncidentFilter(text="قصف"),
        IncidentFilter(status="confirmed"),
        IncidentFilter(place="albu"),
        IncidentFilter(place="هجين", status="confirmed"),
        IncidentFilter(text="no such words"),
    ],
)
def test_plain_rows_say_what_the_views_say(case: Case, where: IncidentFilter) -> None:
    _fill(case)
    assert list(incident_dicts(case, where)) == _through_views(case, where)


def test_every_part_is_listed(case: Case) -> None:
    _fill(case)
    listed = {item["title"]: item for item in incident_dicts(case)}
    market = listed["Shelling of the market"]
    assert market["place_aliases"] == ["Abu Kamal", "Albukamal", "البوكمال"]
    assert market["tags"] == ["Zeta", "night", "shelling"]
    assert [a["name"] for a in market["actors"]] == ["Islamic State", "Civilians", "NDF"]
    assert len(market["sources"]) == market["source_count"] == 4
    assert [link["kind"] for link in market["links"]] == ["related", "part of"]
    assert market["linked_from"][0]["title"] == 'Clash "at night"'
    assert listed["قصف السوق"]["start"] == "2019-W23"
    assert listed["قصف السوق"]["end"] == "2019-W25"
    assert listed['Clash "at night"']["start"] == "2019-06"
    assert listed["A year"]["start"] == "2018"
    assert listed["Undated, no place"]["start"] is None
    # Undated incidents come last (by id), as in the list sorted by date.
    assert {item["title"] for item in list(listed.values())[-2:]} == {
        "Undated, no place",
        "Undated in Hajin",
    }


def test_the_cli_writes_the_json_it_wrote_before(
    case_path: Path, case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(case)
    expected = _through_views(case, IncidentFilter())
    assert main(["incidents", str(case_path), "--json"]) == 0
    out = capsys.readouterr().out
    # The same bytes as json.dump with indent 2, Arabic unescaped.
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert "البوكمال" in out


def test_an_empty_listing_is_an_empty_list(
    case_path: Path, case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["incidents", str(case_path), "--json"]) == 0
    assert capsys.readouterr().out == "[]\n"


@pytest.mark.parametrize(
    "where", [IncidentFilter(), IncidentFilter(text="shelling"), IncidentFilter(place="hajin")]
)
def test_the_text_listing_streams_the_rows_of_the_list(case: Case, where: IncidentFilter) -> None:
    _fill(case)
    assert list(incident_rows(case, where)) == case.incidents.rows(where, limit=1000)


def test_the_cli_text_listing_has_one_line_per_incident_in_date_order(
    case_path: Path, case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(case)
    assert main(["incidents", str(case_path), "--status", "confirmed"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[1].strip() for line in lines] == ["2019-06-07", "?"]
    assert "Shelling of the market  [Albukamal; 4 sources]" in lines[0]
    assert lines[1].endswith("Undated in Hajin  [Hajin; 2 sources]")
