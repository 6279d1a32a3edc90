"""Acceptance: two analysts pass a case back and forth; nothing is lost, duplicated or
silently overwritten, and verify passes on both sides."""

from __future__ import annotations

import copy
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import (
    BundleImport,
    BundleRecord,
    ForeignHistory,
    Incident,
    MergeReview,
    Place,
    PlaceAlias,
    Source,
    SyncBase,
)
from desk.bundles import merge, review
from desk.bundles.merge import MergePlan
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError, DeskError
from desk.names import normalize_name
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.bundles.conftest import (
    BLOG,
    ESM,
    TITLE,
    all_rows,
    members_of,
    records_of,
    row_counts,
    with_manifest,
    with_records,
    write_zip,
)


def exchange(sender: Case, receiver: Case, path: Path, **kw: object) -> MergePlan:
    export_bundle(sender, path, **kw)  # type: ignore[arg-type]
    return merge.apply(receiver, open_bundle(path))


def source_named(case: Case, filename: str) -> uuid.UUID:
    return next(s.id for s in case.sources.list(limit=100) if s.original_filename == filename)


def test_a_round_trip_holds_both_analysts_work_once(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    first = exchange(case_a, case_b, tmp_path / "a-to-b.evbundle")
    assert first.applied
    assert first.backup is not None
    assert first.backup.is_file()
    assert first.counts["incident"].added == 1
    assert first.counts["source"].added == 6
    assert row_counts(case_b) == row_counts(case_a)
    assert case_b.incidents.rows()[0].open_conflicts == case_a.incidents.rows()[0].open_conflicts

    # B adds a claim and a note, then sends the case back
    blog = source_named(case_b, BLOG)
    claim = case_b.claims.add(incident_id, blog, "injured", "4", quote="wounded")
    note = case_b.notes.add("Bob: the hospital count says four wounded.", incident_id=incident_id)
    back = exchange(case_b, case_a, tmp_path / "b-to-a.evbundle")
    assert back.counts["claim"].added == 1
    assert back.counts["note"].added == 1
    assert back.counts["incident"].added == 0
    assert back.reviews == 0

    # A holds both analysts' work, nothing twice
    assert claim.id in {c.id for c in case_a.claims.list(incident_id)}
    assert note.id in {n.id for n in case_a.notes.list(incident_id=incident_id)}
    assert row_counts(case_a) == row_counts(case_b)
    assert row_counts(case_a)["incident"] == 1
    assert row_counts(case_a)["source"] == 6
    assert row_counts(case_a)["blob"] == 6
    for case in (case_a, case_b):
        report = verify_case(case)
        assert report.ok, report.problems

    # the claim's history came with it, and provenance names the bundle
    with case_a.read() as session:
        kept = session.scalars(
            select(ForeignHistory).where(ForeignHistory.record_id == claim.id)
        ).all()
        assert [e.actor for e in kept] == ["Bob"]
    origins = review.provenance(case_a, claim.id)
    assert [(p.outcome, p.from_case) for p in origins] == [("added", "Bob's case")]
    summaries = [h.summary for h in case_a.notes.history(note.id)]
    assert any("imported from bundle" in s for s in summaries)


def test_importing_the_same_bundle_twice_changes_nothing(
    case_a: Case, case_b: Case, tmp_path: Path
) -> None:
    path = tmp_path / "a.evbundle"
    export_bundle(case_a, path)
    bundle = open_bundle(path)
    merge.apply(case_b, bundle)
    before = all_rows(case_b)
    again = merge.apply(case_b, bundle)
    assert not again.changed
    assert not again.applied
    assert again.backup is None
    assert all_rows(case_b) == before
    # and a bundle of A's own records brings A nothing
    assert not merge.apply(case_a, bundle).changed


def test_preview_counts_what_apply_does_and_changes_nothing(
    case_a: Case, case_b: Case, tmp_path: Path
) -> None:
    path = tmp_path / "a.evbundle"
    export_bundle(case_a, path)
    bundle = open_bundle(path)
    before = all_rows(case_b)
    planned = merge.preview(case_b, bundle)
    assert all_rows(case_b) == before
    assert not planned.applied
    applied = merge.apply(case_b, bundle)
    assert planned.to_json()["counts"] == applied.to_json()["counts"]
    assert merge.preview(case_b, bundle).total("unchanged") == applied.total("added")


def test_an_incident_edited_on_both_sides_keeps_both_versions(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    exchange(case_a, case_b, tmp_path / "1.evbundle")
    # the same field differently, and different fields on each side
    case_a.incidents.update(
        incident_id, title="Clashes in Albukamal (A's reading)", status="confirmed"
    )
    case_b.incidents.update(
        incident_id, title="Clashes in Albukamal (B's reading)", summary="Bob's summary."
    )
    plan = exchange(case_b, case_a, tmp_path / "2.evbundle")
    assert plan.counts["incident"].review == 1
    assert plan.reviews == 1

    view = case_a.incidents.get(incident_id)
    assert view.title == "Clashes in Albukamal (A's reading)"  # not overwritten
    assert view.fields.summary == "Bob's summary."  # only B changed it: taken
    assert view.fields.status == "confirmed"  # only A changed it: kept
    waiting = review.list_reviews(case_a)
    assert [(r.field, r.local_value, r.incoming_value) for r in waiting] == [
        (
            "title",
            {"title": "Clashes in Albukamal (A's reading)"},
            {"title": "Clashes in Albukamal (B's reading)"},
        )
    ]
    assert waiting[0].record_label == "incident 'Clashes in Albukamal (A's reading)'"
    assert verify_case(case_a).ok

    # importing it again adds no second review
    exchange(case_b, case_a, tmp_path / "2.evbundle")
    assert len(review.list_reviews(case_a)) == 1

    decided = review.decide(case_a, waiting[0].id, "incoming")
    assert decided.status == "took-incoming"
    assert case_a.incidents.get(incident_id).title == "Clashes in Albukamal (B's reading)"
    assert review.list_reviews(case_a) == []
    last = case_a.incidents.history(incident_id)[-1]
    assert last.action == "review"
    assert last.before == {"title": {"title": "Clashes in Albukamal (A's reading)"}}
    with pytest.raises(BadInputError, match="decided already"):
        review.decide(case_a, waiting[0].id, "local")


def test_keeping_the_local_value_is_recorded(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    exchange(case_a, case_b, tmp_path / "1.evbundle")
    case_a.incidents.update(incident_id, status="confirmed")
    case_b.incidents.update(incident_id, status="disputed")
    exchange(case_b, case_a, tmp_path / "2.evbundle")
    (waiting,) = review.list_reviews(case_a)
    review.decide(case_a, waiting.id, "local")
    assert case_a.incidents.get(incident_id).fields.status == "confirmed"
    assert case_a.incidents.history(incident_id)[-1].summary.endswith("'s")
    assert review.count_open(case_a) == 0


def test_changes_travel_back_and_forth_without_reviews(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    """A's second bundle carries the version B last sent as its base: B's own later
    edits are not taken for conflicts, and A's new edits apply cleanly."""
    exchange(case_a, case_b, tmp_path / "1.evbundle")
    case_b.incidents.update(incident_id, summary="B's summary.")
    exchange(case_b, case_a, tmp_path / "2.evbundle")
    case_a.incidents.update(incident_id, status="confirmed")
    plan = exchange(case_a, case_b, tmp_path / "3.evbundle")
    assert plan.reviews == 0
    assert plan.counts["incident"].updated == 1
    view = case_b.incidents.get(incident_id)
    assert (view.fields.summary, view.fields.status) == ("B's summary.", "confirmed")
    assert verify_case(case_b).ok


def test_sets_merge_as_unions(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    exchange(case_a, case_b, tmp_path / "1.evbundle")
    case_a.incidents.update(incident_id, tags=["flag incident", "from A"])
    case_b.incidents.update(incident_id, tags=["flag incident", "from B"])
    plan = exchange(case_b, case_a, tmp_path / "2.evbundle")
    assert plan.reviews == 0
    assert set(case_a.incidents.get(incident_id).fields.tags) == {
        "flag incident",
        "from A",
        "from B",
    }


def test_independent_cases_map_shared_things_by_name(
    case_a: Case, tmp_path: Path, samples: Path
) -> None:
    """B imported the same file and graded the same outlet on its own: one source and
    one outlet after the merge, differing fields left to review."""
    with Case.create(tmp_path / "c.evcase", "Independent", analyst="Cleo") as case_c:
        case_c.gazetteer.define_place("Abu Kamal", ["البوكمال", "Bukamal"])
        incident = case_c.incidents.create(IncidentFields(title="Other", place="Abu Kamal"))
        case_c.sources.import_file(samples / BLOG, incident.id)
        outlets_before = row_counts(case_c)["outlet"]
        plan = exchange(case_a, case_c, tmp_path / "a.evbundle")
        counts = row_counts(case_c)
        assert counts["source"] == 6
        assert counts["blob"] == 6
        assert counts["place"] == 2  # Albukamal found by its spellings
        assert counts["outlet"] == outlets_before + plan.counts["outlet"].added
        assert plan.counts["source"].added == 5
        assert plan.counts["place"].added == 1
        blog = source_named(case_c, BLOG)
        acquisitions = case_c.sources.get(blog).acquisitions
        assert {a.acquired_by for a in acquisitions} == {"Anna", "Cleo"}
        assert verify_case(case_c).ok


def _place(number: int, name: str, *spellings: str) -> Place:
    place = Place(id=uuid.UUID(int=number), name=name)
    place.aliases.extend(PlaceAlias(alias=a, norm=normalize_name(a)) for a in (name, *spellings))
    return place


def test_places_are_found_by_spellings_they_got_earlier_in_the_same_import(
    case_b: Case, tmp_path: Path
) -> None:
    """Spellings shared by two places of the sender (merges can make such pairs) lead
    both to one place here, also when the shared spelling came with the first of them,
    as a new place or as an alias added to a place here."""
    albukamal = case_b.gazetteer.define_place("Albukamal")
    with Case.create(tmp_path / "s.evcase", "Sender", analyst="Sam") as sender:
        with sender.write() as session:
            # In this order in the bundle (by id): each second place of a pair shares a
            # spelling with the first one only.
            session.add_all(
                [
                    _place(1, "Hajin", "هجين"),
                    _place(2, "Hajin camp", "Hajin"),
                    _place(3, "Albukamal", "Bukamal"),
                    _place(4, "Bukamal town", "Bukamal"),
                ]
            )
        plan = exchange(sender, case_b, tmp_path / "places.evbundle")

    with case_b.read() as session:
        spellings: dict[uuid.UUID, set[str]] = {}
        for owner, alias in session.execute(select(PlaceAlias.place_id, PlaceAlias.alias)):
            spellings.setdefault(owner, set()).add(alias)
    hajin = uuid.UUID(int=1)
    assert spellings == {
        albukamal: {"Albukamal", "Bukamal", "Bukamal town"},
        hajin: {"Hajin", "هجين", "Hajin camp"},
    }
    assert plan.counts["place"].added == 1
    assert verify_case(case_b).ok


def test_two_sources_with_one_original_in_a_bundle_become_one_here(
    case_a: Case, case_b: Case, tmp_path: Path
) -> None:
    """A bundle may hold two sources of one original (two cases' imports of the same
    photo, passed on): the second merges into the first, added moments before in the
    same import, and its newer title is taken."""
    sent = export_bundle(case_a, tmp_path / "a.evbundle")
    members = members_of(sent.path)
    lines = records_of(members)
    photo = next(line for line in lines if line["type"] == "source" and line["data"]["blob"])
    twin = copy.deepcopy(photo)
    twin["id"] = str(uuid.UUID(int=uuid.UUID(photo["id"]).int + 1))
    twin["base"] = None
    twin["data"]["title"] = "Albukamal square, retitled by a colleague"
    lines.insert(lines.index(photo) + 1, twin)

    def count_twin(manifest: dict[str, Any]) -> None:
        manifest["counts"]["source"] += 1

    bundle = write_zip(
        tmp_path / "twins.evbundle", with_manifest(with_records(members, lines), count_twin)
    )
    previewed = merge.preview(case_b, open_bundle(bundle))
    plan = merge.apply(case_b, open_bundle(bundle))

    assert previewed.counts == plan.counts
    assert (plan.counts["source"].added, plan.counts["source"].updated) == (
        sent.counts["source"],
        1,
    )
    with case_b.read() as session:
        titles = session.scalars(
            select(Source.title).where(Source.blob_sha256 == photo["data"]["blob"])
        ).all()
    assert titles == ["Albukamal square, retitled by a colleague"]
    assert verify_case(case_b).ok


def test_a_selection_carries_its_incident_and_what_it_needs(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    other = case_a.incidents.create(IncidentFields(title="Unrelated", start=date(2020, 1, 1)))
    case_a.incidents.link(incident_id, other.id, "related")
    summary = export_bundle(case_a, tmp_path / "one.evbundle", incident_ids=[incident_id])
    assert summary.counts["incident"] == 1
    plan = merge.apply(case_b, open_bundle(summary.path))
    assert plan.counts["source"].added == 6
    with case_b.read() as session:
        assert session.scalars(select(Incident.title)).all() == [TITLE]
    assert case_b.incidents.get(incident_id).links == ()  # the other end stayed home
    assert len(case_b.claims.list(incident_id)) == len(case_a.claims.list(incident_id))
    assert verify_case(case_b).ok


def test_links_between_incidents_travel(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    other = case_a.incidents.create(IncidentFields(title="Aftermath", start=date(2019, 6, 9)))
    case_a.incidents.link(other.id, incident_id, "part of")
    exchange(case_a, case_b, tmp_path / "a.evbundle")
    assert case_b.incidents.get(other.id).links[0][:2] == ("part of", incident_id)


def test_a_cancelled_import_leaves_the_case_as_it_was(
    case_a: Case, case_b: Case, tmp_path: Path
) -> None:
    from desk.bundles.reader import BundleCancelled

    path = tmp_path / "a.evbundle"
    export_bundle(case_a, path)
    bundle = open_bundle(path)
    before = all_rows(case_b)
    seen: list[int] = []

    def cancel_midway() -> bool:
        seen.append(1)
        return len(seen) > 10

    with pytest.raises(BundleCancelled):
        merge.apply(case_b, bundle, cancelled=cancel_midway)
    assert all_rows(case_b) == before
    with case_b.read() as session:
        assert session.scalars(select(BundleImport)).all() == []


def test_a_cancelled_export_leaves_no_file(case_a: Case, tmp_path: Path) -> None:
    from desk.bundles.reader import BundleCancelled

    target = tmp_path / "out" / "a.evbundle"
    target.parent.mkdir()
    with pytest.raises(BundleCancelled):
        export_bundle(case_a, target, cancelled=lambda: True)
    assert list(target.parent.iterdir()) == []


def test_records_remember_their_bundle(case_a: Case, case_b: Case, tmp_path: Path) -> None:
    plan = exchange(case_a, case_b, tmp_path / "a.evbundle")
    with case_b.read() as session:
        imported = session.get(BundleImport, plan.import_id)
        assert imported is not None
        assert imported.bundle_sha256 == plan.bundle_sha256
        assert imported.source_case_title == "Al Bukamal, June 2019"
        assert imported.signature == "unsigned"
        recorded = session.scalars(select(BundleRecord.record_type)).all()
        assert recorded.count("source") == 6
        assert session.scalars(select(MergeReview)).all() == []
    bundle_entries = [
        h for h in case_b.incidents.history(plan.import_id) if h.action == "import-bundle"
    ]
    assert len(bundle_entries) == 1
    assert "Al Bukamal, June 2019" in bundle_entries[0].summary


def test_the_sender_remembers_what_it_last_sent(
    case_a: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    """Each export keeps the version it sent as the base of the next merge: an edited
    record's base moves to the new bundle, an unchanged one keeps the bundle it was
    first sent in."""

    def base(record_id: uuid.UUID) -> SyncBase:
        with case_a.read() as session:
            found = session.get(SyncBase, ("incident", record_id))
            assert found is not None
            return found

    other = case_a.incidents.create(IncidentFields(title="Shelling near Hajin"))
    first = export_bundle(case_a, tmp_path / "1.evbundle", [incident_id, other.id])
    assert base(incident_id).bundle_sha256 == first.sha256
    assert base(incident_id).snapshot["title"] == TITLE

    case_a.incidents.update(incident_id, title="Clashes in Albukamal, revised")
    second = export_bundle(case_a, tmp_path / "2.evbundle", [incident_id, other.id])
    edited, unchanged = base(incident_id), base(other.id)
    assert (edited.bundle_sha256, edited.snapshot["title"]) == (
        second.sha256,
        "Clashes in Albukamal, revised",
    )
    assert edited.revision == case_a.incidents.get(incident_id).revision
    assert (unchanged.bundle_sha256, unchanged.snapshot["title"]) == (
        first.sha256,
        "Shelling near Hajin",
    )


def test_the_colleagues_claims_reopen_conflicts_here(
    case_a: Case, case_b: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    exchange(case_a, case_b, tmp_path / "1.evbundle")
    before = case_a.incidents.rows()[0].open_conflicts
    # outside the accepted 3-5: the resolved fatalities conflict opens again
    case_b.claims.add(incident_id, source_named(case_b, ESM), "fatalities", "9")
    exchange(case_b, case_a, tmp_path / "2.evbundle")
    assert case_a.incidents.rows()[0].open_conflicts == before + 1
    assert case_a.incidents.rows()[0].open_conflicts == case_b.incidents.rows()[0].open_conflicts


def test_received_history_cannot_be_changed_or_deleted(
    case_a: Case, case_b: Case, tmp_path: Path
) -> None:
    import sqlite3

    exchange(case_a, case_b, tmp_path / "a.evbundle")
    with sqlite3.connect(case_b.path) as raw:
        for statement in (
            "UPDATE foreign_history SET actor = 'Mallory'",
            "DELETE FROM foreign_history",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="received history is append-only"):
                raw.execute(statement)
    raw.close()
    assert verify_case(case_b).ok


def test_a_record_the_format_cannot_carry_stops_the_export(case_a: Case, tmp_path: Path) -> None:
    with case_a.write() as session:
        session.connection().exec_driver_sql("UPDATE outlet SET url = '" + "u" * 3000 + "'")
    target = tmp_path / "out.evbundle"
    with pytest.raises(DeskError, match="cannot be put in a bundle: data/url"):
        export_bundle(case_a, target)
    assert sorted(p.name for p in tmp_path.iterdir() if "evbundle" in p.name) == []


@pytest.mark.parametrize("place_here", [False, True], ids=["new place", "alias added"])
def test_spellings_a_colleague_joins_close_the_conflicts_they_made_here(
    case_b: Case, tmp_path: Path, samples: Path, place_here: bool
) -> None:
    """Two sources here name the place differently and disagree; a bundle says the two
    spellings are one place (as a new place, or as an alias of the place here): the
    incident's count of open conflicts drops as the conflict itself does."""
    if place_here:
        case_b.gazetteer.define_place("Hajin")
    incident = case_b.incidents.create(IncidentFields(title="Shelling near Hajin"))
    blog = case_b.sources.import_file(samples / BLOG, incident.id)[0].id
    esm = case_b.sources.import_file(samples / ESM, incident.id)[0].id
    case_b.claims.add(incident.id, blog, "place", "Hajin")
    case_b.claims.add(incident.id, esm, "place", "هجين")
    assert case_b.incidents.row(incident.id).open_conflicts == 1

    with Case.create(tmp_path / "s.evcase", "Sender", analyst="Sam") as sender:
        sender.gazetteer.define_place("Hajin", ["هجين"])
        sender.incidents.create(IncidentFields(title="Hajin market", place="Hajin"))
        exchange(sender, case_b, tmp_path / "spellings.evbundle")

    assert case_b.claims.conflicts(incident.id, status="open") == []
    assert case_b.incidents.row(incident.id).open_conflicts == 0
