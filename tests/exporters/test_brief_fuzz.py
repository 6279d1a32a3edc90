"""A whole brief from a case whose every printed field is random Unicode: bidi controls
(U+202E and friends), NULs, line breaks, markup-like text. The build either succeeds
and the PDF opens with pypdf, or a field is refused with a documented error
(``BadInputError``) when it is set; nothing else.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from desk.case import Case
from desk.errors import BadInputError
from desk.services.incidents import IncidentFields
from exporters.brief import BriefOptions, build_brief
from tests.exporters.conftest import ISSUED, image_xobjects, link_targets

SPECIALS = (
    "\u202e",  # right-to-left override
    "\u202d",  # left-to-right override
    "\u202a",
    "\u202b",
    "\u202c",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\x00",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u0301",
    "\ufffd",
    "\U0001f600",
    "مرحبا بالعالم",
    "שלום",
    "<b>",
    "</b>",
    "<para>",
    "</para>",
    "<br/>",
    '<img src="/etc/passwd"/>',
    '<a href="file:///etc/passwd">x</a>',
    "<font color=\"[[getattr(pow, 'x')]]\">",
    "&amp;",
    "&#0;",
    "&nbsp;",
    "&bogus;",
    "]]>",
    "<![CDATA[",
    "x<y and y>z",
    "%s %(x)s {0}",
    "\\",
)
TEXT = st.lists(
    st.one_of(st.text(max_size=12), st.sampled_from(SPECIALS)), min_size=0, max_size=10
).map("".join)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (90, 120, 150)).save(out, "JPEG")
    return out.getvalue()


@dataclass(frozen=True)
class Built:
    case: Case
    incident: uuid.UUID
    sources: tuple[uuid.UUID, ...]
    note: uuid.UUID


@pytest.fixture
def fuzz_case(tmp_path: Path) -> Iterator[Built]:
    """One case for every example: each example rewrites its fields."""
    with Case.create(tmp_path / "fuzz.evcase", "Fuzzed brief", analyst="Fuzzer") as case:
        incident = case.incidents.create(
            IncidentFields(
                title="Shelling",
                summary="Two killed.",
                start=date(2024, 3, 6),
                place="Sarmin",
                latitude=35.9,
                longitude=36.7,
            )
        )
        text, _ = case.sources.import_bytes(
            b"Two people were killed in the shelling.\n", "report.txt", incident_id=incident.id
        )
        image, _ = case.sources.import_bytes(_jpeg(), "photo.jpg", incident_id=incident.id)
        case.claims.add(incident.id, text.id, "fatalities", "2", quote="Two people")
        case.claims.add(incident.id, image.id, "fatalities", "3")
        note = case.notes.add("first note", incident_id=incident.id)
        yield Built(case, incident.id, (text.id, image.id), note.id)


def _set(what: str, change: Callable[[], object]) -> None:
    """Make one change; a refusal must be the documented error."""
    refusal = None
    try:
        change()
    except BadInputError as exc:
        refusal = str(exc)
    if refusal is not None:
        assert refusal.strip(), f"{what}: a refusal without a reason"
        event(f"{what} refused")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=TEXT,
    summary=TEXT,
    place=TEXT,
    note=TEXT,
    source_titles=st.tuples(TEXT, TEXT),
    brief_title=TEXT,
)
def test_a_brief_of_random_unicode_builds_and_opens(
    fuzz_case: Built,
    tmp_path: Path,
    title: str,
    summary: str,
    place: str,
    note: str,
    source_titles: tuple[str, str],
    brief_title: str,
) -> None:
    case = fuzz_case.case
    incident = fuzz_case.incident
    _set("title", lambda: case.incidents.update(incident, title=title))
    _set("summary", lambda: case.incidents.update(incident, summary=summary))
    _set("place", lambda: case.incidents.update(incident, place=place))
    _set("note", lambda: case.notes.update(fuzz_case.note, note))
    for source, source_title in zip(fuzz_case.sources, source_titles, strict=True):
        _set("source title", partial(case.sources.update, source, title=source_title))
    pdf = tmp_path / "brief.pdf"
    result = build_brief(
        case,
        pdf,
        BriefOptions(
            title=brief_title,
            author=note,
            handling=summary,
            include_notes=True,
            graphic="blur",
            issued=ISSUED,
        ),
    )
    assert result.path == pdf
    assert result.incidents == 1
    assert result.sources == 2
    reader = PdfReader(pdf)
    assert len(reader.pages) == result.pages >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Page 1 of" in text
    # markup in the fields made no link and read no image: only the photo is embedded
    for target in link_targets(pdf):
        assert "/GoTo" in target or "/Dest" in target, target
    assert len(image_xobjects(pdf)) == 1
    assert not list(tmp_path.glob("*.tmp*")), "a temporary file was left"
