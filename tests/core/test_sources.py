"""Importing sources into a case: the samples, re-imports, bad files, originals."""

from __future__ import annotations

import hashlib
import sqlite3
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from desk.case import Case
from desk.errors import IngestError
from desk.services.incidents import IncidentFields
from desk.verify import verify_case

ESM = "eastern-syria-monitor-2019-06-09.html"
ARABIC = "deir-ezzor-news-ar-2019-06-08.html"
BLOG = "al-bukamal-irancommentary-2019-06-08.txt"
NOTE = "field-note-2019-06-10.txt"
PDF = "weekly-monitoring-report-2019-w23.pdf"
PHOTO = "albukamal-square-2019-06-08.jpg"
SKETCH = "map-sketch-no-metadata.png"


def _row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as raw:
        tables = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts_%'"
            )
        ]
        counts = {t: raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    raw.close()
    return counts


@pytest.fixture
def imported(case: Case, samples: Path) -> dict[str, object]:
    incident = case.incidents.create(IncidentFields(title="Clashes in Albukamal"))
    names = (ESM, ARABIC, BLOG, NOTE, PDF, PHOTO, SKETCH)
    outcomes = case.sources.import_files([samples / n for n in names], incident.id)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    by_name = {o.path.name: o.source for o in outcomes}
    return {"incident": incident.id, **by_name}


def test_every_sample_is_imported_with_its_metadata(
    case: Case, imported: dict[str, object]
) -> None:
    sources = {s.original_filename: s for s in case.sources.list()}
    assert set(sources) == {ESM, ARABIC, BLOG, NOTE, PDF, PHOTO, SKETCH}

    esm = sources[ESM]
    assert (esm.kind, esm.outlet, esm.language) == ("article", "Eastern Syria Monitor", "en")
    assert esm.title.startswith("Deadly clashes between pro-Iran militias and NDF in Albukamal")
    assert esm.published_text.startswith("2019-06-09")
    text = case.sources.text(esm.id)
    assert "five people were killed" in text
    for boilerplate in ("Advertisement", "Most read", "Fuel prices"):
        assert boilerplate not in text

    arabic = sources[ARABIC]
    assert (arabic.language, arabic.outlet) == ("ar", "أخبار دير الزور")
    assert "البوكمال" in case.sources.text(arabic.id)
    assert arabic.published_text.startswith("2019-06-08")

    blog = sources[BLOG]
    assert blog.title.startswith("MESOPOTAMIA NEWS INTEL")
    assert (blog.published_text, blog.language) == ("2019-06-08", "en")
    assert sources[NOTE].published_text == "2019-06-10"

    pdf = sources[PDF]
    assert (pdf.kind, pdf.page_count) == ("document", 2)
    assert case.sources.text(pdf.id).strip()

    photo = sources[PHOTO]
    assert photo.kind == "image"
    assert photo.gps_lat is not None
    assert photo.gps_lon is not None
    assert (round(photo.gps_lat, 4), round(photo.gps_lon, 4)) == (34.4536, 40.9367)
    assert photo.image_orientation == 6
    width, height = photo.upright_size or (0, 0)
    assert width > height  # shown upright: landscape
    assert photo.taken_at is not None
    assert photo.taken_at.isoformat().startswith("2019-06-08T18:42:10")

    sketch = sources[SKETCH]
    assert (sketch.gps_lat, sketch.taken_at) == (None, None)


def test_every_source_records_its_acquisition(case: Case, imported: dict[str, object]) -> None:
    for source in case.sources.list():
        assert source.acquisitions[0].original_filename == source.original_filename
        assert source.acquisitions[0].acquired_by == "Test Analyst"
        assert source.incident_ids == (imported["incident"],)


def test_reimporting_gives_the_same_sources_and_stores_blobs_once(
    case: Case, case_path: Path, samples: Path, imported: dict[str, object]
) -> None:
    before = _row_counts(case_path)
    again = case.sources.import_files([samples / ESM, samples / PHOTO])
    assert [o.created for o in again] == [False, False]
    assert [o.source.id for o in again if o.source] == [
        imported[ESM].id,  # type: ignore[attr-defined]
        imported[PHOTO].id,  # type: ignore[attr-defined]
    ]
    after = _row_counts(case_path)
    assert after["source"] == before["source"]
    assert after["blob"] == before["blob"]
    assert after["acquisition"] == before["acquisition"] + 2
    # the same bytes under another name are still the same source
    renamed = case_path.parent / "renamed-copy.html"
    renamed.write_bytes((samples / ESM).read_bytes())
    source, created = case.sources.import_file(renamed)
    assert not created
    assert source.id == imported[ESM].id
    assert [a.original_filename for a in source.acquisitions][-1] == "renamed-copy.html"


def test_originals_come_back_byte_for_byte(
    case: Case, samples: Path, tmp_path: Path, imported: dict[str, object]
) -> None:
    for name in (PHOTO, PDF, ARABIC):
        source = imported[name]
        data = case.sources.original(source.id)  # type: ignore[attr-defined]
        assert data == (samples / name).read_bytes()
        assert source.sha256 == hashlib.sha256(data).hexdigest()  # type: ignore[attr-defined]
    saved = case.sources.save_original(imported[PHOTO].id, tmp_path / "out.jpg")  # type: ignore[attr-defined]
    assert saved.read_bytes() == (samples / PHOTO).read_bytes()


def test_sources_are_searchable(case: Case, imported: dict[str, object]) -> None:
    hits = case.search("Kata'ib Hezbollah")
    assert hits[0].id == imported[ESM].id  # type: ignore[attr-defined]
    assert [h.id for h in case.search("الفيحاء")] == [imported[ARABIC].id]  # type: ignore[attr-defined]


def test_verify_detects_an_original_changed_behind_the_applications_back(
    case: Case, case_path: Path, imported: dict[str, object]
) -> None:
    assert verify_case(case).ok
    case.close()
    sha = imported[PHOTO].sha256  # type: ignore[attr-defined]
    with sqlite3.connect(case_path) as raw:
        raw.execute(
            "UPDATE blob SET data = substr(data, 1, 100) || x'00' || substr(data, 102) WHERE sha256 = ?",
            (sha,),
        )
    raw.close()
    with Case.open(case_path) as reopened:
        report = verify_case(reopened)
        assert not report.ok
        assert any(sha[:12] in p and "altered" in p for p in report.problems)
        with pytest.raises(Exception, match="no longer matches its SHA-256"):
            reopened.sources.original(imported[PHOTO].id)  # type: ignore[attr-defined]


BAD_FILES = {
    "unsupported.exe": b"MZ\x90\x00" + b"\x00" * 60,
    "empty.txt": b"",
    "truncated.jpg": b"",  # filled from the real truncated JPEG below
    "bomb.gif": b"",
    "lies.jpg": b"This is plain text pretending to be a photo.\n",
    "binary.txt": bytes(range(256)) * 8,
}


@pytest.fixture
def bad_files(tmp_path: Path, real_files: Path) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    content = dict(BAD_FILES)
    content["truncated.jpg"] = (real_files / "pillow-truncated_jpeg.jpg").read_bytes()
    content["bomb.gif"] = (real_files / "pillow-decompression_bomb.gif").read_bytes()
    paths = {}
    for name, data in content.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    unreadable = folder / "missing.txt"
    paths["missing.txt"] = unreadable
    return paths


def test_bad_files_are_refused_with_a_reason_and_change_nothing(
    case: Case, case_path: Path, bad_files: dict[str, Path], samples: Path
) -> None:
    before = _row_counts(case_path)
    outcomes = case.sources.import_files([*bad_files.values(), samples / NOTE])
    errors = {o.path.name: o.error for o in outcomes if o.error}
    assert set(errors) == set(bad_files)
    for name, message in errors.items():
        assert message is not None
        assert message.startswith(f"{name}: ")
    assert "decompression bomb" in (errors["bomb.gif"] or "")
    assert "does not exist" in (errors["missing.txt"] or "")
    after = _row_counts(case_path)
    assert after["source"] == before["source"] + 1  # the good file is kept
    assert after["blob"] == before["blob"] + 1
    assert verify_case(case).ok


def test_importing_one_bad_file_raises_the_ingest_error(
    case: Case, bad_files: dict[str, Path]
) -> None:
    with pytest.raises(IngestError, match=r"lies\.jpg"):
        case.sources.import_file(bad_files["lies.jpg"])


def test_images_are_shown_upright_and_downscaled(case: Case, imported: dict[str, object]) -> None:
    photo = imported[PHOTO]
    shown = Image.open(BytesIO(case.sources.display_image(photo.id, max_side=800)))  # type: ignore[attr-defined]
    assert shown.format == "JPEG"
    assert shown.width == 800
    assert shown.height < shown.width  # stored sideways, shown landscape
    thumb = Image.open(BytesIO(case.sources.thumbnail(photo.id) or b""))  # type: ignore[attr-defined]
    assert thumb.width > thumb.height
    assert max(thumb.size) <= 320


def test_a_blank_outlet_name_means_no_outlet(case: Case, imported: dict[str, object]) -> None:
    esm = next(s for s in case.sources.list() if s.outlet == "Eastern Syria Monitor")
    before = {o.name for o in case.outlets.list()}

    assert case.sources.update(esm.id, outlet="   ").outlet is None

    assert {o.name for o in case.outlets.list()} == before  # no nameless outlet
    assert case.sources.update(esm.id, outlet="  Eastern Syria Monitor ").outlet == (
        "Eastern Syria Monitor"
    )
