"""Right-to-left text: shaped, in visual order, numbers in order, lines in logical order."""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import unescape

import pytest
from reportlab.lib.styles import ParagraphStyle

from exporters.brief.fonts import ARABIC, SANS, register_fonts
from exporters.brief.text import clean, fitted, inline, is_rtl, visual_lines


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


STYLE = ParagraphStyle("t", fontName=SANS, fontSize=9, leading=12)


def shown(markup: str) -> str:
    """The characters a line draws, left to right (tags removed, forms unshaped)."""
    return unescape(re.sub(r"<[^>]+>", "", markup))


def read_rtl(markup: str) -> str:
    """A right-to-left line read right to left, letters back from presentation forms."""
    return unicodedata.normalize("NFKC", shown(markup)[::-1])


def test_arabic_is_shaped_into_joined_forms_and_reversed() -> None:
    markup = inline("البوكمال", SANS)
    assert f'<font name="{ARABIC}">' in markup
    joined = [c for c in shown(markup) if "\ufb50" <= c <= "\ufeff"]  # presentation forms
    assert len(joined) >= 5
    assert read_rtl(markup) == "البوكمال"


def test_numbers_keep_their_order_in_a_right_to_left_line() -> None:
    markup = inline("قتل 12 مدنياً عام 2019", SANS)
    drawn = shown(markup)
    assert "12" in drawn
    assert "2019" in drawn
    assert drawn.index("2019") < drawn.index("12")  # the later number is further left
    assert read_rtl(markup).startswith("قتل 21")  # read right to left: digits left to right


def test_a_name_inside_an_english_sentence_keeps_the_sentence_in_order() -> None:
    markup = inline("Strike near البوكمال on 2019-06-08: 12 killed", SANS)
    drawn = shown(markup).replace("\u00a0", " ")
    assert drawn.startswith("Strike near ")
    assert drawn.endswith(" on 2019-06-08: 12 killed")
    name = drawn[len("Strike near ") : -len(" on 2019-06-08: 12 killed")]
    assert unicodedata.normalize("NFKC", name[::-1]) == "البوكمال"


def test_brackets_around_right_to_left_text_are_mirrored() -> None:
    drawn = shown(inline("قتل في (سرمين) اليوم", SANS))
    # read right to left the bracket opens first: on the page it is drawn as ")" ... "("
    # reversed, which after mirroring reads "(" then ")" from left to right
    assert drawn.index("(") < drawn.index(")")


def test_right_to_left_paragraphs_break_lines_in_reading_order() -> None:
    words = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن"]
    text = " ".join(words)
    assert is_rtl(text)
    lines = visual_lines(text, 90, STYLE)
    assert len(lines) > 1
    read = [read_rtl(line).split(" ") for line in lines]
    assert [w for line in read for w in line] == words  # line 1 holds the first words


def test_a_word_too_long_for_the_line_is_cut() -> None:
    text = "كلمة " + "ب" * 200
    lines = visual_lines(text, 120, STYLE)
    assert len(lines) > 2


def test_fitted_cuts_long_text_with_an_ellipsis() -> None:
    short = fitted("RESTRICTED", STYLE, 200)
    assert short == "RESTRICTED"
    long = fitted("RESTRICTED - FOR PARTNER DISTRIBUTION " * 10, STYLE, 200)
    assert long.endswith("…")
    assert len(long) < 80


def test_cleaning_removes_controls_and_bidi_overrides() -> None:
    assert clean("a\x00b\u202ec\u2066d\r\ne\u2028f\tg") == "abcd\ne\nf g"
