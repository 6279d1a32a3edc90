"""Building briefs: empty things, long tables, upright images, cancel, progress, the CLI."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from desk.case import Case
from desk.cli import main
from desk.errors import BadInputError
from desk.services.incidents import IncidentFields
from exporters.brief import BriefOptions, build_brief
from tests.exporters.conftest import (
    ANALYST,
    ISSUED,
    Built,
    demo_ids,
    image_xobjects,
    logical,
    pdftotext,
    squeezed,
)


def _outline(pdf: Path) -> list[str]:
    def walk(entries: list[object]) -> list[str]:
        found: list[str] = []
        for entry in entries:
            found += walk(entry) if isinstance(entry, list) else [entry.title]  # type: ignore[attr-defined]
        return found

    return walk(PdfReader(pdf).outline)


def test_an_empty_case_makes_no_empty_headings(case: Case, tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    result = build_brief(case, pdf, BriefOptions(issued=ISSUED))
    assert result.incidents == 0
    assert result.pages >= 3
    outline = _outline(pdf)
    assert outline[0] == "Appendix B: Method"
    for absent in ("Summary", "Incidents", "Map", "Timeline", "Appendix A: Sources cited"):
        assert absent not in outline
    text = pdftotext(pdf)
    assert "Appendix A" not in text
    assert "no dated incidents" in text


def test_an_incident_without_sources_or_claims_has_only_its_record(
    case: Case, tmp_path: Path
) -> None:
    case.incidents.create(IncidentFields(title="Unsourced report", start=date(2024, 1, 2)))
    pdf = tmp_path / "bare.pdf"
    build_brief(case, pdf, BriefOptions(issued=ISSUED, include_notes=True))
    outline = _outline(pdf)
    assert "1. Unsourced report" in outline
    for absent in (
        "Assessed facts",
        "Disputed facts",
        "Other statements",
        "Sources",
        "Images",
        "Analyst's notes",
        "Map",
        "Appendix A: Sources cited",
    ):
        assert absent not in outline
    assert "none attached" in pdftotext(pdf)


def test_long_tables_repeat_their_header_and_long_words_wrap(case: Case, tmp_path: Path) -> None:
    long_word = "Qaryat" * 60
    for day in range(70):
        case.incidents.create(
            IncidentFields(
                title=f"Shelling {day} near {long_word}" if day == 5 else f"Shelling {day}",
                start=date(2024, 1, 1) + timedelta(days=day),
                latitude=35.0 + day / 100,
                longitude=36.0 + day / 50,
            )
        )
    pdf = tmp_path / "long.pdf"
    result = build_brief(case, pdf, BriefOptions(issued=ISSUED))
    pages = [pdftotext(pdf, "-f", str(n), "-l", str(n)) for n in range(1, result.pages + 1)]
    with_header = [p for p in pages if "Fatalities(assessed)" in squeezed(p)]
    assert len(with_header) >= 2  # the summary table runs over pages, header repeated
    text = pdftotext(pdf)
    assert long_word in squeezed(text)
    assert all(long_word not in line for line in text.splitlines())  # cut, not overflowing
    assert "Number of incidents by date of start." in text  # 70 incidents: a histogram


def test_event_types_in_the_summary_break_between_words(demo_brief: Built) -> None:
    words = {word for line in demo_brief.text.splitlines() for word in line.split()}
    assert {"artillery", "missile"} <= words
    assert not {"artiller", "artill", "missil"} & words  # no word cut in two


def _rotated_jpeg() -> bytes:
    """400 x 200 pixels stored, EXIF orientation 6: upright it is 200 wide, 400 high."""
    image = Image.new("RGB", (400, 200), (200, 60, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_images_are_set_upright(case: Case, tmp_path: Path) -> None:
    incident = case.incidents.create(IncidentFields(title="Photo", start=date(2024, 1, 2)))
    case.sources.import_bytes(_rotated_jpeg(), "rotated.jpg", incident_id=incident.id)
    pdf = tmp_path / "upright.pdf"
    build_brief(case, pdf, BriefOptions(issued=ISSUED))
    [image] = image_xobjects(pdf)
    assert int(image["width"]) < int(image["height"])  # type: ignore[call-overload]


def _counting(limit: int) -> tuple[list[int], object]:
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > limit

    return calls, cancelled


@pytest.mark.parametrize("limit", [0, 3], ids=["while reading", "while laying out"])
def test_cancelling_leaves_no_file(demo_brief: Built, tmp_path: Path, limit: int) -> None:
    target = tmp_path / "cancelled.pdf"
    calls, cancelled = _counting(limit)
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        result = build_brief(case, target, BriefOptions(issued=ISSUED), cancelled=cancelled)  # type: ignore[arg-type]
    assert result.cancelled
    assert result.path is None
    assert len(calls) == limit + 1
    assert list(tmp_path.iterdir()) == []


def test_progress_counts_up_to_its_total(demo_brief: Built, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        build_brief(
            case,
            tmp_path / "p.pdf",
            BriefOptions(issued=ISSUED),
            progress=lambda d, t, label: seen.append((d, t, label)),
        )
    done = [d for d, _, _ in seen]
    assert done == sorted(done)
    total = seen[-1][1]
    assert all(t == total for _, t, _ in seen)
    assert done[-1] == total
    assert any(label.startswith("Reading Shelling of the vegetable") for _, _, label in seen)
    assert any(label == "Laying out pages" for _, _, label in seen)


def test_the_brief_never_replaces_the_case(case: Case, tmp_path: Path) -> None:
    # Not compared byte for byte: the case's checkpoint thread may be writing to it.
    before = (case.path.stat().st_ino, case.incidents.count())
    with pytest.raises(BadInputError, match="case file itself"):
        build_brief(case, case.path, BriefOptions(issued=ISSUED))
    assert case.path.read_bytes().startswith(b"SQLite format 3\x00")
    assert (case.path.stat().st_ino, case.incidents.count()) == before
    with pytest.raises(BadInputError, match="does not exist"):
        build_brief(case, tmp_path / "missing" / "b.pdf", BriefOptions(issued=ISSUED))


def test_cli_writes_the_brief_and_prints_its_path(
    demo_brief: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        market = demo_ids(case)["market"]
    out = tmp_path / "cli.pdf"
    code = main(
        [
            "brief",
            str(demo_brief.case_path),
            "-o",
            str(out),
            "--incident",
            str(market),
            "--handling",
            "PARTNERS ONLY",
            "--title",
            "Sarmin market",
            "--author",
            "Desk Officer",
            "--no-map",
            "--no-timeline",
            "--graphic",
            "blur",
            "--notes",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = pdftotext(out)
    assert "PARTNERS ONLY" in text
    assert "Sarmin market" in text
    assert "Desk Officer" in text
    assert "Drone strike" not in text
    assert "Fatalities range from 5" in text  # a note
    assert "graphic: blurred for this brief" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "missing.evcase", "-o", "x.pdf"], "no such case file"),
        (["brief", "{case}", "-o", "x.pdf", "--incident", "12"], "not a valid incident id"),
    ],
)
def test_cli_errors_are_one_sentence_and_exit_2(
    demo_brief: Built,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    argv = [a.replace("{case}", str(demo_brief.case_path)) for a in args]
    argv[argv.index("x.pdf")] = str(tmp_path / "x.pdf")
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert re.fullmatch(r"evidence-desk: [^\n]+", err)
    assert message in err
    assert not (tmp_path / "x.pdf").exists()


def _demo_notes(case_path: Path) -> dict[str, list[uuid.UUID]]:
    """The demo's note ids by incident key, oldest first."""
    with Case.open(case_path, analyst=ANALYST) as case:
        return {
            key: [note.id for note in case.notes.list(incident_id=incident)]
            for key, incident in demo_ids(case).items()
        }


def test_cli_note_includes_only_the_notes_named(
    demo_brief: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = _demo_notes(demo_brief.case_path)
    out = tmp_path / "one-note.pdf"
    # No --notes: naming a note implies it.
    argv = ["brief", str(demo_brief.case_path), "-o", str(out), "--note", str(notes["market"][0])]
    assert main([*argv, "--note", str(notes["drone"][0])]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = squeezed(pdftotext(out))
    assert squeezed("Fatalities range from 5") in text  # the market's first note
    assert squeezed("One news source so far") in text  # the drone strike's
    assert squeezed("Contact SRM-2 reports a Russian jet") not in text  # the market's third
    assert squeezed("do not attribute without a second source") not in text  # the school's


def test_cli_a_note_off_the_chosen_incidents_is_refused(
    demo_brief: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = _demo_notes(demo_brief.case_path)
    with Case.open(demo_brief.case_path, analyst=ANALYST) as case:
        market = demo_ids(case)["market"]
    out = tmp_path / "refused.pdf"
    school_note = notes["school"][0]
    argv = ["brief", str(demo_brief.case_path), "-o", str(out), "--incident", str(market)]
    code = main([*argv, "--note", str(notes["market"][0]), "--note", str(school_note)])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"evidence-desk: Note {school_note} is not a note on any of the brief's incidents.\n"
    )
    assert list(tmp_path.iterdir()) == []  # not even a partial file
    assert main([*argv, "--note", "12"]) == 2
    assert capsys.readouterr().err == "evidence-desk: '12' is not a valid note id.\n"


def _rtl_reading_order(line: str) -> str:
    """A right-to-left line from pdftotext in reading order.

    poppler writes such a line as its runs from left to right, each right-to-left run
    (between U+202B and U+202C) in logical order: reversing the runs gives the order
    in which the line is read.
    """
    runs = [r for r in re.split("([\u202b][^\u202c]*[\u202c])", line) if r]
    return "".join(r.strip("\u202b\u202c") for r in reversed(runs))


def test_arabic_text_reads_back_in_logical_order_with_numbers_in_place(
    case: Case, tmp_path: Path
) -> None:
    title = "اشتباكات في البوكمال يوم 8 حزيران 2019"
    sentence = "قتل 3 أشخاص وأصيب 9 آخرون في حي الفيحاء"
    case.incidents.create(
        IncidentFields(title=title, summary=sentence, start=date(2019, 6, 8), place="البوكمال")
    )
    pdf = tmp_path / "arabic.pdf"
    build_brief(case, pdf, BriefOptions(issued=ISSUED))
    lines = logical(pdftotext(pdf)).splitlines()
    assert "\u202bالبوكمال\u202c" in lines  # the place, alone in its table cell
    read = [squeezed(_rtl_reading_order(line)) for line in lines if "\u202b" in line]
    assert squeezed(sentence) in read  # words and numbers in reading order
    assert f"1. {title}" in _outline(pdf)  # bookmarks keep the logical order
