"""The brief's fonts: the Noto fonts shipped in resources/fonts, embedded as subsets.

Noto Sans has no Arabic letters and Noto Sans Arabic no Latin ones, so text is set in
runs: Latin (and digits, punctuation) in ``SANS*``, Arabic script in ``ARABIC*``.
The base-14 fonts are never used for content: they are not embedded.
"""

from __future__ import annotations

import functools
import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import resource

SANS = "DeskSans"
SANS_BOLD = "DeskSans-Bold"
SANS_ITALIC = "DeskSans-Italic"
SANS_BOLD_ITALIC = "DeskSans-BoldItalic"
ARABIC = "DeskArabic"
ARABIC_BOLD = "DeskArabic-Bold"

_FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
    SANS_BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
}


@functools.cache
def register_fonts() -> None:
    """Register the fonts with ReportLab once per process (read from package data, so
    a zipped install works too)."""
    for name, filename in _FILES.items():
        data = resource("fonts", filename).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    # <b> and <i> in our own markup pick the right face of each family.
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
    )
    pdfmetrics.registerFontFamily(
        ARABIC, normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC, boldItalic=ARABIC_BOLD
    )


def arabic_for(font_name: str) -> str:
    """The Arabic face that goes with a Latin one (Noto Sans Arabic has no italics)."""
    return ARABIC_BOLD if "Bold" in font_name else ARABIC
