"""The demo case that `make run` opens."""

from __future__ import annotations

from pathlib import Path

from desk.case import Case
from desk.demo import build_demo_case, demo_manifest
from desk.verify import verify_case


def test_the_demo_case_is_built_in_the_data_folder_once(tmp_path: Path) -> None:
    path = build_demo_case()
    assert path == tmp_path / "home" / "demo.evcase"
    stamp = path.stat().st_mtime_ns
    assert build_demo_case() == path
    assert path.stat().st_mtime_ns == stamp
    # No leftovers of the writing; a cache folder may hold the unpacked language model.
    assert [p.name for p in path.parent.iterdir() if p.name != "cache"] == ["demo.evcase"]

    manifest = demo_manifest()
    with Case.open(path) as case:
        rows = case.incidents.rows()
        assert len(rows) == len(manifest["incidents"]) >= 2
        market = case.incidents.get(rows[0].id)
        sources = case.sources.list(market.id)
        kinds = {s.kind for s in sources}
        assert {"article", "document", "image"} <= kinds
        assert {"ar", "en"} <= {s.language for s in sources}
        assert any(s.gps_lat is not None for s in sources)
        assert any(s.media_type == "text/html" for s in sources)
        assert all(s.outlet for s in sources)
        assert case.outlets.list()[0].reliability is not None
        assert case.notes.list(incident_id=market.id)
        assert verify_case(case).ok


def test_a_source_can_be_corrected_and_history_keeps_the_old_value(
    case: Case, samples: Path
) -> None:
    source, _ = case.sources.import_file(samples / "field-note-2019-06-10.txt")
    edited = case.sources.update(source.id, outlet="Contact AB-1", title="Field note 10 June")
    assert (edited.outlet, edited.title) == ("Contact AB-1", "Field note 10 June")
    last = case.sources.history(source.id)[-1]
    assert last.before == {"outlet": None, "title": source.title}
    assert last.after == {"outlet": "Contact AB-1", "title": "Field note 10 June"}
