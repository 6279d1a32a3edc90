"""Paragraph and table styles of the brief: one sans family, a few sizes, quiet colours."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from exporters.brief.fonts import SANS, SANS_BOLD, SANS_ITALIC

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6776")
RULE = colors.HexColor("#b8c2cc")
HEADER_FILL = colors.HexColor("#e8edf2")
STRIPE_FILL = colors.HexColor("#f6f8fa")
HANDLING = colors.HexColor("#9b1c1c")
OPEN = colors.HexColor("#b45309")
RESOLVED = colors.HexColor("#166534")

MARGIN = 18 * mm
CELL_PADDING = 3
# Tables set their cells' font even when the cells are paragraphs: never Helvetica,
# which is not embedded.
_FONT = ("FONT", (0, 0), (-1, -1), SANS, 8)


def _style(name: str, **attributes: object) -> ParagraphStyle:
    base: dict[str, object] = {
        "fontName": SANS,
        "bulletFontName": SANS,
        "fontSize": 9,
        "leading": 12,
        "textColor": INK,
        "splitLongWords": 1,
    }
    base.update(attributes)
    return ParagraphStyle(name, **base)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    small_keep: ParagraphStyle
    muted: ParagraphStyle
    quote: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_mono: ParagraphStyle
    caption: ParagraphStyle
    h1: ParagraphStyle
    incident: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cover_title: ParagraphStyle
    cover_line: ParagraphStyle
    cover_handling: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle
    footer_right: ParagraphStyle
    toc_title: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]


def make_styles() -> Styles:
    return Styles(
        body=_style("body", spaceAfter=4),
        small=_style("small", fontSize=8, leading=10.5),
        small_keep=_style("small_keep", fontSize=8, leading=10.5, spaceAfter=3, keepWithNext=1),
        muted=_style("muted", fontSize=8, leading=10.5, textColor=MUTED),
        quote=_style("quote", fontName=SANS_ITALIC, fontSize=8, leading=10.5, textColor=MUTED),
        cell=_style("cell", fontSize=8, leading=10),
        cell_bold=_style("cell_bold", fontName=SANS_BOLD, fontSize=8, leading=10),
        cell_head=_style("cell_head", fontName=SANS_BOLD, fontSize=7.5, leading=9.5),
        cell_mono=_style("cell_mono", fontSize=7.5, leading=9.5),
        caption=_style("caption", fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=8),
        h1=_style(
            "h1",
            fontName=SANS_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=4,
            spaceAfter=10,
            keepWithNext=1,
        ),
        incident=_style(
            "incident",
            fontName=SANS_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        h2=_style(
            "h2",
            fontName=SANS_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=9,
            spaceAfter=4,
            keepWithNext=1,
        ),
        h3=_style(
            "h3",
            fontName=SANS_BOLD,
            fontSize=9,
            leading=12,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        ),
        cover_title=_style("cover_title", fontName=SANS_BOLD, fontSize=24, leading=30),
        cover_line=_style("cover_line", fontSize=11, leading=16),
        cover_handling=_style(
            "cover_handling",
            fontName=SANS_BOLD,
            fontSize=12,
            leading=16,
            textColor=HANDLING,
            alignment=TA_CENTER,
        ),
        header=_style(
            "header",
            fontName=SANS_BOLD,
            fontSize=8,
            leading=10,
            textColor=HANDLING,
            alignment=TA_CENTER,
        ),
        footer=_style("footer", fontSize=7.5, leading=9.5, textColor=MUTED),
        footer_right=_style(
            "footer_right", fontSize=7.5, leading=9.5, textColor=MUTED, alignment=TA_RIGHT
        ),
        toc_title=_style("toc_title", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=8),
        toc_levels=(
            _style("toc0", fontName=SANS_BOLD, fontSize=9.5, leading=13, spaceBefore=4),
            _style("toc1", fontSize=8.5, leading=11, leftIndent=14),
        ),
    )


def table_style(header_rows: int = 1, stripes: bool = True) -> TableStyle:
    """Ruled table with a shaded header that repeats on each page."""
    commands: list[tuple[object, ...]] = [
        _FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, MUTED),
        ]
    if stripes:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, STRIPE_FILL]))
    return TableStyle(commands)


def field_table_style() -> TableStyle:
    """Two columns, label and value, without a header."""
    return TableStyle(
        [
            _FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
    )


def toc_table_style() -> TableStyle:
    return TableStyle(
        [
            _FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )


def image_table_style() -> TableStyle:
    """An image and its caption in one cell, flush with the text."""
    return TableStyle(
        [
            _FONT,
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]
    )
