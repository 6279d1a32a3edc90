"""The demo brief read back: content, fonts, structure, metadata and images."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from desk.case import Case
from exporters.brief import build_brief
from tests.exporters.conftest import (
    ANALYST,
    HANDLING,
    RATIONALE,
    Built,
    demo_ids,
    demo_options,
    image_xobjects,
    logical,
    pdftotext,
    require_tool,
    squeezed,
)


def test_every_incident_title_and_section_is_in_the_text(demo_brief: Built) -> None:
    text = demo_brief.text
    for title in (
        "Shelling of the vegetable market in Sarmin",
        "Drone strike on a farmer's tractor near al-Nayrab",
        "Shelling damages Al-Ghad primary school in Sarmin",
    ):
        assert title in text
    for heading in (
        "Contents",
        "Summary",
        "Map",
        "Timeline",
        "Assessed facts",
        "Disputed facts",
        "Sources",
        "Images",
        "Analyst's notes",
        "Appendix A: Sources cited",
        "Appendix B: Method",
    ):
        assert heading in text
    assert "Completely reliable" in text
    assert "Truth cannot be judged" in text


def test_the_cover_names_the_case_period_author_and_date(demo_brief: Built) -> None:
    first_page = pdftotext(demo_brief.pdf, "-f", "1", "-l", "1")
    assert "Brief: Demo case: shelling in Sarmin, Idlib (March 2024)" in first_page
    assert "2024-03-06 to 2024-03-10" in first_page
    assert "A. Analyst" in first_page
    assert "2024-03-20" in first_page


def test_disputed_values_their_outlets_grades_and_resolution_are_shown(
    demo_brief: Built,
) -> None:
    text = logical(demo_brief.text)
    assert "Fatalities (resolved)" in text
    assert "Date (open)" in text
    for value in ("2024-03-05", "2024-03-06", "at least 21", "at least 6"):
        assert value in text
    assert squeezed("Idlib Civilian Protection Monitor (B)") in squeezed(text)
    assert squeezed("Northwest Syria Observer (C)") in squeezed(text)
    assert "الشمال اليوم" in text  # the Arabic outlet, read back in logical order
    assert "4 doubtful" in text
    assert "moderate confidence" in text
    assert squeezed(RATIONALE) in squeezed(text)
    assert "6 (best estimate, range 5-7)" in text


def test_every_cited_source_has_its_full_sha256_in_the_appendix(demo_brief: Built) -> None:
    appendix = demo_brief.text[demo_brief.text.index("Appendix A: Sources cited\n") :]
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        sources = case.sources.list()
    assert len(sources) == demo_brief.result.sources == 8
    for source in sources:
        assert source.sha256 is not None
        assert source.sha256 in appendix


def test_arabic_names_and_quotes_read_back_in_logical_order(demo_brief: Built) -> None:
    text = logical(demo_brief.text)
    assert "سرمين" in text  # an alias of the place
    assert "قتل خمسة مدنيين" in text  # a quote with its joined letters
    assert "وأصيب أكثر من عشرين آخرين" in text
    # shaped: the PDF holds joined (presentation) forms, not isolated letters
    assert any("\ufe70" <= ch <= "\ufeff" for ch in demo_brief.text)


def test_qpdf_finds_no_error(demo_brief: Built) -> None:
    require_tool("qpdf")
    checked = subprocess.run(
        ["qpdf", "--check", str(demo_brief.pdf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors" in checked.stdout


def test_every_font_is_embedded(demo_brief: Built) -> None:
    require_tool("pdffonts")
    listing = subprocess.run(
        ["pdffonts", str(demo_brief.pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    names = []
    for row in rows:
        name, *_, emb, _sub, _uni, _obj, _gen = row.split()
        names.append(name)
        assert emb == "yes", row
    assert any("NotoSans-Regular" in n for n in names)
    assert any("NotoSansArabic" in n for n in names)
    assert not any("Helvetica" in n or "Times" in n for n in names)


def test_pages_footer_and_outline(demo_brief: Built) -> None:
    reader = PdfReader(demo_brief.pdf)
    pages = len(reader.pages)
    assert pages == demo_brief.result.pages
    assert 6 <= pages <= 20
    assert f"Page 1 of {pages}" in demo_brief.text
    assert f"Page {pages} of {pages}" in demo_brief.text
    assert demo_brief.text.count(HANDLING) >= pages  # every page header, and the cover

    def titles(entries: list[object]) -> list[str]:
        found: list[str] = []
        for entry in entries:
            if isinstance(entry, list):
                found += titles(entry)
            else:
                found.append(entry.title)  # type: ignore[attr-defined]
        return found

    outline = titles(reader.outline)
    for title in (
        "Summary",
        "Map",
        "Timeline",
        "Incidents",
        "1. Shelling of the vegetable market in Sarmin",
        "Disputed facts",
        "Appendix A: Sources cited",
        "Appendix B: Method",
    ):
        assert title in outline
    assert outline.count("Sources") == 3  # one per incident
    contents = pdftotext(demo_brief.pdf, "-f", "2", "-l", "2")
    assert "3. Shelling damages Al-Ghad primary school in Sarmin" in contents
    assert "Appendix B: Method" in contents


def test_metadata(demo_brief: Built) -> None:
    info = PdfReader(demo_brief.pdf).metadata
    assert info is not None
    assert info.title == "Brief: Demo case: shelling in Sarmin, Idlib (March 2024)"
    assert info.author == "A. Analyst"
    assert info.subject is not None
    assert "3 incidents" in info.subject
    assert info["/CreationDate"].startswith("D:20240320093000")


def test_images_downscaled_graphic_blurred(demo_brief: Built) -> None:
    images = image_xobjects(demo_brief.pdf)
    assert len(images) == 2 == demo_brief.result.images  # the photo (blurred) and the sketch
    for image in images:
        assert max(int(image["width"]), int(image["height"])) <= 700  # type: ignore[call-overload]
    assert "graphic: blurred for this brief" in demo_brief.text
    assert "taken 2024-03-06 07:52 UTC" in demo_brief.text
    assert "GPS 35.90360, 36.72210" in demo_brief.text


def test_graphic_images_can_be_left_out(demo_brief: Built, tmp_path: Path) -> None:
    pdf = tmp_path / "omit.pdf"
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        result = build_brief(case, pdf, demo_options(graphic="omit"))
    assert result.images == 1
    assert len(image_xobjects(pdf)) == 1
    assert "1 graphic image left out of this brief" in pdftotext(pdf)


def test_sections_and_figures_can_be_left_out(demo_brief: Built, tmp_path: Path) -> None:
    pdf = tmp_path / "lean.pdf"
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        market = demo_ids(case)["market"]
        result = build_brief(
            case,
            pdf,
            demo_options(
                incident_ids=(market,),
                include_map=False,
                include_timeline=False,
                include_images=False,
                include_notes=False,
            ),
        )
    text = pdftotext(pdf)
    assert result.incidents == 1
    assert "Drone strike" not in text
    for absent in ("Map\n", "Timeline\n", "Images\n", "Analyst's notes", "Fatalities range"):
        assert absent not in text
    assert image_xobjects(pdf) == []


def test_the_same_case_and_options_give_the_same_brief(demo_brief: Built, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        build_brief(case, again, demo_options())
    assert pdftotext(again) == demo_brief.text
    assert again.read_bytes() == demo_brief.pdf.read_bytes()  # invariant mode
