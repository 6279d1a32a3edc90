"""Bundles of thousands of records: the merge reads and writes them in batches, and
the result is what merging them one by one gives (same rows, history, search index,
conflict counts and three-way merge); the compiled validator agrees with jsonschema."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from sqlalchemy import func, select

from db.models import HistoryEntry, Incident, MergeReview, Tag, incident_tag
from desk.bulk import BulkWriter
from desk.bundles import merge, records, schema
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.bundles.conftest import SAMPLES, members_of, records_of, row_counts
from tests.claims.test_albukamal import BLOG, NOTE

# More than two of the merge's batches (500 records) of incidents and of claims.
INCIDENTS = 1_200


@pytest.fixture(scope="module")
def many_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case of 1,200 incidents with tags, places, attached sources, claims and notes."""
    folder = tmp_path_factory.mktemp("many")
    path = folder / "many.evcase"
    with (
        pytest.MonkeyPatch.context() as mp,
        Case.create(path, "Eastern Syria, many days", analyst="Anna") as case,
    ):
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        sources = [case.sources.import_file(SAMPLES / name)[0].id for name in (NOTE, BLOG)]
        with BulkWriter(case) as bulk:
            for n in range(INCIDENTS):
                incident = bulk.incident(
                    IncidentFields(
                        title=f"Shelling of block {n}",
                        place=("Hajin", "Albukamal", "Mayadin")[n % 3],
                        tags=(f"wave {n % 4}",) if n % 5 else (),
                    )
                )
                bulk.attach(incident, sources[n % 2])
                bulk.claim(incident, sources[n % 2], "fatalities", str(n % 7 + 1))
                bulk.claim(incident, sources[(n + 1) % 2], "fatalities", str(n % 3 + 1))
                if n % 4 == 0:
                    bulk.note(f"Ask about block {n}.", incident_id=incident)
    return path


@pytest.fixture
def many(many_file: Path, tmp_path: Path) -> Iterator[Case]:
    copy = tmp_path / "many.evcase"
    shutil.copyfile(many_file, copy)
    with Case.open(copy, analyst="Anna") as case:
        yield case


def _incidents(case: Case) -> dict[uuid.UUID, tuple[str, str, int, int]]:
    with case.read() as session:
        rows = session.execute(
            select(
                Incident.id,
                Incident.title,
                Incident.summary,
                Incident.open_conflicts,
                Incident.source_count,
            )
        )
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def _tags(case: Case) -> set[tuple[uuid.UUID, str]]:
    with case.read() as session:
        rows = session.execute(
            select(incident_tag.c.incident_id, Tag.name).join(Tag, Tag.id == incident_tag.c.tag_id)
        )
        return {(r[0], r[1]) for r in rows}


def _history(case: Case, action: str) -> int:
    with case.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(HistoryEntry).where(HistoryEntry.action == action)
            )
            or 0
        )


def test_thousands_of_records_arrive_whole(many: Case, case_b: Case, tmp_path: Path) -> None:
    bundle = tmp_path / "many.evbundle"
    export_bundle(many, bundle)
    created = _history(case_b, "create")
    plan = merge.apply(case_b, open_bundle(bundle))

    assert plan.counts["incident"].added == INCIDENTS
    assert plan.counts["claim"].added == 2 * INCIDENTS
    assert row_counts(case_b) == row_counts(many)
    # titles, open conflicts and kept source counts as in the sender's case
    assert _incidents(case_b) == _incidents(many)
    assert _tags(case_b) == _tags(many)
    # one history entry per record, chained; the search index holds every incident
    added = sum(c.added for c in plan.counts.values())
    assert _history(case_b, "create") == created + added
    assert verify_case(case_b).ok
    hits = case_b.search("block 1199")
    assert [h.title for h in hits if h.kind == "incident"] == ["Shelling of block 1199"]


def test_thousands_of_records_on_both_sides_merge_three_ways(
    many: Case, case_b: Case, tmp_path: Path
) -> None:
    export_bundle(many, tmp_path / "first.evbundle")
    merge.apply(case_b, open_bundle(tmp_path / "first.evbundle"))
    ids = sorted(_incidents(many))
    only_theirs, both, only_ours = ids[10], ids[700], ids[1100]
    many.incidents.update(only_theirs, summary="Anna: the shelling began at dawn.")
    many.incidents.update(both, title="Anna's title")
    case_b.incidents.update(both, title="Bob's title")
    case_b.incidents.update(only_ours, title="Bob's own wording")

    export_bundle(many, tmp_path / "second.evbundle")
    plan = merge.apply(case_b, open_bundle(tmp_path / "second.evbundle"))

    mine = _incidents(case_b)
    assert mine[only_theirs][1] == "Anna: the shelling began at dawn."
    assert mine[both][0] == "Bob's title"
    assert mine[only_ours][0] == "Bob's own wording"
    counts = plan.counts["incident"]
    assert (counts.added, counts.updated, counts.review) == (0, 1, 1)
    assert counts.unchanged == INCIDENTS - 2
    assert plan.counts["claim"].unchanged == 2 * INCIDENTS
    with case_b.read() as session:
        waiting = session.scalars(select(MergeReview).where(MergeReview.status == "open")).all()
    assert [(r.record_id, r.incoming_value) for r in waiting] == [(both, {"title": "Anna's title"})]
    assert _history(case_b, "merge") == 2
    assert verify_case(case_b).ok
    # the same bundle again brings nothing
    again = merge.apply(case_b, open_bundle(tmp_path / "second.evbundle"))
    assert not again.changed


def test_every_record_of_a_written_bundle_is_valid(
    case_a: Case, tmp_path: Path, incident_id: uuid.UUID
) -> None:
    """The writer checks lines with the compiled validator only; jsonschema agrees on
    every record type the desk writes."""
    case_a.incidents.link(incident_id, case_a.incidents.create(IncidentFields(title="x")).id)
    export_bundle(case_a, tmp_path / "a.evbundle")
    lines = records_of(members_of(tmp_path / "a.evbundle"))
    published = schema.bundle_schema()
    record = Draft202012Validator({"$ref": "#/$defs/record", "$defs": published["$defs"]})
    assert {line["type"] for line in lines} == {kind.name for kind in records.TYPES}
    assert [line["id"] for line in lines if not record.is_valid(line)] == []


def _mutations(line: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The line spoiled in the ways a hostile bundle would, one at a time."""
    values: tuple[Any, ...] = (None, 7, True, 1.5, "", "x" * 2_000, [], {}, "2019-02-31", "zz")
    for key in line["data"]:
        for value in values:
            yield {**line, "data": {**line["data"], key: value}}
        yield {**line, "data": {k: v for k, v in line["data"].items() if k != key}}
    yield {**line, "data": {**line["data"], "extra": 1}}
    yield {**line, "id": line["id"].upper()}
    yield {**line, "id": line["id"] + "\n"}
    yield {**line, "revision": 0}
    yield {**line, "type": "person"}
    yield {**line, "base": []}


def test_the_compiled_validator_refuses_what_jsonschema_refuses(
    case_a: Case, tmp_path: Path
) -> None:
    export_bundle(case_a, tmp_path / "a.evbundle")
    lines = records_of(members_of(tmp_path / "a.evbundle"))
    published = schema.bundle_schema()
    record = Draft202012Validator({"$ref": "#/$defs/record", "$defs": published["$defs"]})
    checked = 0
    for line in {line["type"]: line for line in lines}.values():
        for spoiled in _mutations(json.loads(json.dumps(line))):
            problem = schema.first_problem("record", spoiled)
            if not record.is_valid(spoiled):
                assert problem is not None, spoiled
                checked += 1
    assert checked > 300
