"""Nothing in a source, a note or a name can change the brief's structure (SAFETY.md).

Markup, an image tag, a file link and the CVE-2023-33733 payload go through every
field the brief prints; the PDF must show them literally and hold no image or link
they could have made.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from desk.case import Case
from desk.services.incidents import IncidentFields
from exporters.brief import BriefOptions, build_brief
from exporters.brief.text import escaped, one_line
from tests.exporters.conftest import (
    ISSUED,
    image_xobjects,
    link_targets,
    logical,
    pdftotext,
    squeezed,
)

_PAGE = re.compile(r"Page \d+ of \d+")


def _cve_2023_33733(marker: Path) -> str:
    return (
        "<para><font color=\"[ [ getattr(pow,Word('__globals__'))['os'].system('touch "
        f"{marker}') for Word in [orgTypeFun('Word', (str,), {{ 'mutated': 1, 'startswith': "
        "lambda self, x: False, '__eq__': lambda self,x: self.mutate() and self.mutated < 0 "
        "and str(self) == x, 'mutate': lambda self: {setattr(self, 'mutated', self.mutated - "
        "1)}, '__hash__': lambda self: hash(str(self)) })] ] for orgTypeFun in "
        "[type(type(1))] ] and 'red'\">exploit</font></para>"
    )


def _payloads(marker: Path) -> str:
    return " ".join(
        [
            '<font color="red">red</font>',
            '<img src="/etc/passwd"/>',
            "<para>",
            "&amp;",
            "<b>unbalanced",
            '<a href="file:///etc/passwd">passwd</a>',
            "x<y and y>z",
            _cve_2023_33733(marker),
        ]
    )


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 120, 150)).save(out, "JPEG")
    return out.getvalue()


def test_markup_in_every_field_is_shown_literally_and_does_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "exploited"
    payload = _payloads(marker)

    def said(field: str) -> str:
        return f"{field}: {payload}"

    case_path = tmp_path / "injection.evcase"
    Case.create(case_path, said("case title"), analyst="setup").close()
    with Case.open(case_path, analyst=said("analyst")) as case:
        incident = case.incidents.create(
            IncidentFields(
                title=said("incident title"),
                summary=said("summary"),
                start=date(2024, 3, 6),
                place=said("place"),
                latitude=35.9,
                longitude=36.7,
                tags=(said("tag"),),
                actors=((said("actor"), "actor1"),),
            )
        )
        first, _ = case.sources.import_bytes(_jpeg(40), "first.jpg", incident_id=incident.id)
        second, _ = case.sources.import_bytes(_jpeg(200), "second.jpg", incident_id=incident.id)
        case.sources.update(
            first.id, title=said("source title"), outlet=said("outlet"), url=said("url")
        )
        case.sources.update(second.id, outlet="Plain Outlet")
        case.outlets.grade(said("outlet"), "C", said("grade reason"))
        case.claims.add(incident.id, first.id, "fatalities", "3", quote=said("quote"))
        case.claims.add(incident.id, second.id, "fatalities", "5", quote="five")
        case.claims.add(incident.id, first.id, "statement", said("statement"))
        conflict = case.claims.conflicts(incident.id)[0]
        case.claims.resolve(conflict.id, value="3-5", rationale=said("rationale"), confidence="low")
        case.notes.add(said("note"), incident_id=incident.id)
        pdf = tmp_path / "injection.pdf"
        build_brief(
            case,
            pdf,
            BriefOptions(
                title=said("brief title"),
                author=said("author"),
                handling=said("handling"),
                include_notes=True,
                issued=ISSUED,
            ),
        )

    assert not marker.exists()
    # -raw: the default mode joins a line ending in "-" to the next, dropping the "-".
    # Headers and footers (cut short with "…") interrupt text that runs over a page.
    lines = pdftotext(pdf, "-raw").splitlines()
    body = [line for line in lines if not (line.endswith("…") or _PAGE.fullmatch(line))]
    text = squeezed(logical("\n".join(body)))
    for field in (
        "case title",
        "analyst",
        "incident title",
        "summary",
        "place",
        "tag",
        "actor",
        "source title",
        "outlet",
        "url",
        "grade reason",
        "quote",
        "statement",
        "rationale",
        "note",
        "brief title",
        "author",
        "handling",
    ):
        assert squeezed(said(field)) in text, field
    # the two images we placed, nothing read from disk
    assert len(image_xobjects(pdf)) == 2
    for target in link_targets(pdf):
        assert "/GoTo" in target or "/Dest" in target, target
        assert "file:" not in target
        assert "/URI" not in target
        assert "/Launch" not in target


def test_reportlab_trusts_no_host_and_no_scheme() -> None:
    assert rl_config.trustedHosts == []
    assert rl_config.trustedSchemes == []


_STYLE = ParagraphStyle("plain")
# Text as Paragraph keeps it: no control characters, words one space apart.
_WORD = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="\u200b"
    ),
    min_size=1,
)


@given(st.lists(_WORD, min_size=1, max_size=8).map(" ".join))
def test_escaped_text_is_read_back_literally(text: str) -> None:
    assert Paragraph(escape(text), _STYLE).getPlainText() == text


@given(st.text().filter(lambda t: not any(c in t for c in "\n\r\u2028\u2029")))
def test_any_one_line_text_survives_the_brief_pipeline(text: str) -> None:
    assert Paragraph(escaped(text), _STYLE).getPlainText() == one_line(text)
