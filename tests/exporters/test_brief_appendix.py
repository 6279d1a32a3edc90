"""The demo brief's appendix and image captions, read back: for every cited source the
reader finds its outlet and grade, where it came from, when it was published and
acquired, and its full SHA-256; every image caption gives taken-at, GPS and the
SHA-256 prefix of the file it shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

import pytest

from desk.case import Case
from desk.services.sources import SourceView
from tests.exporters.conftest import ANALYST, Built, logical, pdftotext, squeezed

# The Admiralty scale as the method note explains it.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LABELS = ("Outlet", "URL", "Original file", "Published", "Acquired", "Kind", "SHA-256", "Cited in")
ROW = re.compile(rf"^({'|'.join(LABELS)})\s{{2,}}(\S.*)$")


def plain(text: str) -> str:
    """Logical letters, no direction marks, no white space: comparable across wraps."""
    return squeezed(BIDI_CONTROLS.sub("", logical(text)))


@dataclass(frozen=True)
class Entry:
    number: int  # S1, S2, ...: how the brief refers to the source
    title: str
    rows: dict[str, list[str]]  # label -> its values, in order (wrapped lines joined)

    def one(self, label: str) -> str:
        values = self.rows.get(label, [])
        assert len(values) == 1, (self.title, label, values)
        return values[0]


def appendix_entries(layout: str) -> dict[int, Entry]:
    """Appendix A's entries by source number (S1, S2, ...), from ``pdftotext -layout``."""
    start = layout.index("\nAppendix A: Sources cited\n")
    end = layout.index("\nOutlets and their grades\n", start)
    entries: dict[int, Entry] = {}
    entry: Entry | None = None
    label: str | None = None
    for line in layout[start:end].splitlines():
        if heading := re.match(r"^S(\d+) · (.*)$", line):
            entry = Entry(int(heading[1]), heading[2].strip(), {})
            entries[int(heading[1])] = entry
            label = None
        elif entry is not None and (row := ROW.match(line)):
            label = row[1]
            entry.rows.setdefault(label, []).append(row[2].strip())
        elif entry is not None and label is not None and line.startswith(" ") and line.strip():
            entry.rows[label][-1] += " " + line.strip()  # a value wrapped onto another line
        else:
            label = None  # a blank line, or a page's footer and header
    return entries


@pytest.fixture(scope="module")
def layout(demo_brief: Built) -> str:
    return pdftotext(demo_brief.pdf, "-layout")


@pytest.fixture(scope="module")
def cited(demo_brief: Built) -> list[SourceView]:
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        sources = case.sources.list()
    assert len(sources) == demo_brief.result.sources == 8
    return sources


@pytest.fixture(scope="module")
def entries(layout: str, cited: list[SourceView]) -> dict[str, Entry]:
    """Source id -> its appendix entry, found by the full SHA-256 it shows."""
    by_number = appendix_entries(layout)
    assert sorted(by_number) == list(range(1, len(cited) + 1))
    by_hash = {plain(e.one("SHA-256")): e for e in by_number.values()}
    assert len(by_hash) == len(cited)
    return {str(s.id): by_hash[str(s.sha256)] for s in cited}


def expected_published(source: SourceView) -> str:
    if source.published_at is None:
        return "not stated"
    if source.published_precision == "datetime":
        return f"{source.published_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if source.published_precision == "day":
        return source.published_at.date().isoformat()
    return source.published_text


def test_each_entry_shows_outlet_origin_publication_acquisition_and_hash(
    cited: list[SourceView], entries: dict[str, Entry]
) -> None:
    for source in cited:
        entry = entries[str(source.id)]
        assert plain(entry.title) == plain(source.title)

        # the outlet with its grade spelled out (an Arabic name runs right to left)
        assert source.outlet is not None
        assert source.outlet_reliability is not None
        grade = f"{source.outlet_reliability} {RELIABILITY[source.outlet_reliability]}"
        outlet = entry.one("Outlet")
        if source.outlet.isascii():
            assert outlet == f"{source.outlet} ({grade})"
        else:
            assert plain(source.outlet) in plain(outlet)
            assert outlet.endswith(f"{grade})")

        # where it came from: the URL when there is one, and the original file
        assert source.url or source.original_filename
        assert entry.rows.get("URL") == ([source.url] if source.url else None)
        if source.original_filename:
            assert entry.one("Original file") == source.original_filename

        assert entry.one("Published") == expected_published(source)

        # acquired: when, by whom and from which file, once per minute
        assert source.acquisitions
        acquired = {
            f"{a.acquired_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC by {a.acquired_by} "
            f"from {a.original_filename}"
            for a in source.acquisitions
        }
        assert sorted(entry.rows["Acquired"]) == sorted(acquired)

        assert source.sha256 is not None
        assert re.fullmatch("[0-9a-f]{64}", source.sha256)
        assert entry.one("SHA-256") == source.sha256


def test_a_source_imported_for_three_incidents_has_one_entry(
    cited: list[SourceView], entries: dict[str, Entry]
) -> None:
    report = next(s for s in cited if s.original_filename == "icpm-weekly-report-2024-w10.pdf")
    assert len(report.acquisitions) == 3  # the demo imports it for each incident
    entry = entries[str(report.id)]
    assert entry.one("Outlet") == "Idlib Civilian Protection Monitor (B usually reliable)"
    assert entry.one("Published") == "2024-03-10"
    assert entry.one("Kind") == "document, application/pdf, en"
    assert entry.one("Cited in") == "incident 1, 2, 3"


def images_section(text: str) -> str:
    start = text.index("\nImages\n")
    return text[start : text.index("Appendix A: Sources cited\n", start)]


def test_image_captions_give_taken_at_gps_and_the_hash_prefix(
    demo_brief: Built, cited: list[SourceView], entries: dict[str, Entry]
) -> None:
    section = plain(images_section(demo_brief.text))
    images = [s for s in cited if s.kind == "image"]
    assert len(images) == 2
    for image in images:
        assert image.sha256 is not None
        facts = [f"S{entries[str(image.id)].number} {image.title}"]
        if image.taken_at is not None:
            facts.append(f"taken {image.taken_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC")
        else:
            facts.append("no time of taking in the file")
        if image.gps_lat is not None and image.gps_lon is not None:
            facts.append(f"GPS {image.gps_lat:.5f}, {image.gps_lon:.5f}")
        else:
            facts.append("no GPS in the file")
        facts.append(f"SHA-256 {image.sha256[:16]}…")
        assert plain(" · ".join(facts)) in section, facts
        # the caption shows a prefix; the full hash is in the appendix
        assert image.sha256 not in section

    photo = next(s for s in images if s.original_filename == "sarmin-market-2024-03-06.jpg")
    number = entries[str(photo.id)].number
    # EXIF says 10:52 at +03:00: the caption gives the instant in UTC
    assert (
        plain(
            f"S{number} sarmin-market-2024-03-06 · taken 2024-03-06 07:52 UTC · "
            "GPS 35.90360, 36.72210 · SHA-256 827911eb826ee276…"
        )
        in section
    )
