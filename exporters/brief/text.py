"""Untrusted text on its way into ReportLab: cleaned, escaped, shaped and put in order.

Every string that comes from a case (titles, names, quotes, notes, outlet names) or
from the analyst (title, author, handling line) goes through this module before a
Paragraph sees it. ReportLab's Paragraph parses its text as markup: unescaped, ``<img
src=...>`` reads a file, ``<a href=...>`` makes a live link and ``x<y`` loses text
(SAFETY.md). So text is escaped first and our own tags are added around the escaped
text only.

Right-to-left text (Arabic, Persian, Hebrew) on our left-to-right pages:

- line breaks are chosen in logical order (the order the text is read in), because
  the bidirectional algorithm reorders each *line*, not the paragraph;
- each line is put in visual order with python-bidi (numbers keep their order);
- each run of Arabic letters is shaped with ReportLab's HarfBuzz support
  (``shapeStr``): joined letter forms, turned back into visual order by HarfBuzz.
  python-bidi has already reversed the run, so it is reversed back to logical order
  for HarfBuzz first. The shaped forms map to Unicode presentation forms, which text
  extraction reads back (NFKC gives the letters again);
- brackets inside a reversed run are mirrored (python-bidi does not do that step).

Pure left-to-right text takes ReportLab's own line breaking.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from xml.sax.saxutils import escape

from bidi import get_base_level, get_display  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Flowable, Paragraph

from exporters.brief.fonts import arabic_for

# Letters of the scripts written right to left, and the Arabic presentation forms.
_RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
# Joiners belong to the run they sit in, so HarfBuzz sees them.
_RTL_RUN_CHARS = _RTL_LETTERS + "\u200c\u200d"
_RTL = re.compile(f"[{_RTL_LETTERS}]")
_RUNS = re.compile(f"([{_RTL_RUN_CHARS}]+)")
# Control characters break the markup parser or the PDF; explicit bidi embeddings,
# overrides and isolates would let a source reorder what the brief shows.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029]")
# The spaces ReportLab breaks lines at (it keeps no-break spaces).
_SPACES = re.compile("[ \t\u1680\u2000-\u200b\u202f\u205f\u3000]+")
_MIRRORED = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "«": "»", "»": "«"}
_OPENING = frozenset("([{«")
# An RTL piece inside our own markup shorter than this is never broken across lines,
# so its words cannot end up in the wrong order.
_KEEP_TOGETHER = 48
# Our line breaking leaves this much of the width unused, against rounding.
_WIDTH_MARGIN = 0.99


def clean(text: str) -> str:
    """The text without control characters, with ``\\n`` as its only line break."""
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """Cleaned, with every run of white space (line breaks too) as one space."""
    return _SPACES.sub(" ", clean(text).replace("\n", " ")).strip(" ")


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def is_rtl(text: str) -> bool:
    """Whether a paragraph of ``text`` reads right to left (its first strong letter)."""
    return has_rtl(text) and get_base_level(text) == 1


def escaped(text: str) -> str:
    """Left-to-right text as Paragraph markup: escaped, line breaks kept."""
    return "<br/>".join(escape(_SPACES.sub(" ", line)) for line in clean(text).split("\n"))


def inline(text: str, font_name: str) -> str:
    """A piece of untrusted text to put inside our own markup, on one line's worth.

    ``font_name`` is the face of the markup around it (bold, italic ...), so Arabic
    runs get the matching Arabic face.
    """
    text = one_line(text)
    if not has_rtl(text):
        return escape(text)
    return _visual_markup(
        text, is_rtl(text), arabic_for(font_name), keep_together=len(text) <= _KEEP_TOGETHER
    )


def fitted(text: str, style: ParagraphStyle, width: float) -> str:
    """Markup for ``text`` on one line of ``width``, cut short with "…" if it is longer
    (page headers and footers have room for one line)."""
    text = one_line(text)
    if _fits(inline(text, style.fontName), style, width):
        return inline(text, style.fontName)
    low, high = 0, len(text)
    while low < high:  # the longest start of the text that fits with its ellipsis
        middle = (low + high + 1) // 2
        if _fits(inline(text[:middle].rstrip() + "…", style.fontName), style, width):
            low = middle
        else:
            high = middle - 1
    return inline(text[:low].rstrip() + "…", style.fontName)


def _fits(markup: str, style: ParagraphStyle, width: float) -> bool:
    paragraph = Paragraph(markup, style)
    paragraph.wrap(width, 10_000)
    return len(paragraph.blPara.lines) <= 1


def para(text: str, style: ParagraphStyle) -> Flowable:
    """A paragraph of untrusted text in ``style``."""
    if has_rtl(text):
        return BidiParagraph(text, style)
    return Paragraph(escaped(text), style)


class BidiParagraph(Flowable):  # type: ignore[misc]  # ReportLab has no type hints
    """A paragraph with right-to-left text: we break the lines, ReportLab sets them.

    Lines are chosen in logical order for the width the paragraph is given, each is
    put in visual order and shaped, and a Paragraph of those lines does the rest
    (splitting across pages, drawing). A paragraph that starts with a right-to-left
    letter is aligned right.
    """

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = clean(text).strip()
        self.style = style
        self._rtl = is_rtl(self.text)
        self._para: Paragraph | None = None
        self._para_width = -1.0

    def _paragraph(self, width: float) -> Paragraph:
        if self._para is None or self._para_width != width:
            style = self.style
            if self._rtl and style.alignment != TA_CENTER:
                style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
            usable = width - style.leftIndent - style.rightIndent
            self._para = Paragraph("<br/>".join(visual_lines(self.text, usable, style)), style)
            self._para_width = width
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self._paragraph(availWidth).wrap(availWidth, availHeight)
        self.width, self.height = width, height
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = self._paragraph(availWidth).split(availWidth, availHeight)
        return parts

    def draw(self) -> None:
        assert self._para is not None, "wrap() comes before draw()"
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def getPlainText(self) -> str:
        return self.text


def visual_lines(text: str, width: float, style: ParagraphStyle) -> list[str]:
    """``text`` broken into lines no wider than ``width`` in ``style``'s font, each
    as markup in visual order (for a paragraph that reads right to left when its
    first strong letter does)."""
    arabic = arabic_for(style.fontName)
    lines = _break_lines(
        clean(text).strip(), width * _WIDTH_MARGIN, style.fontName, arabic, style.fontSize
    )
    rtl = is_rtl(text)
    return [_visual_markup(line, rtl, arabic) for line in lines]


@functools.lru_cache(maxsize=8192)
def _shaped(run: str, font_name: str) -> str:
    """A run of Arabic letters in logical order, shaped, in visual order.

    The result is plain characters (presentation forms, or private-use characters
    ReportLab registers for glyphs that have none), so it can go into markup.
    """
    return str(shapeStr(run, font_name, 10))


def _runs(text: str) -> Iterator[tuple[str, bool]]:
    """``text`` cut into runs of right-to-left letters (True) and the rest (False)."""
    for number, piece in enumerate(_RUNS.split(text)):
        if piece:
            yield piece, number % 2 == 1


def _width(word: str, latin: str, arabic: str, size: float) -> float:
    return sum(
        float(stringWidth(_shaped(run, arabic), arabic, size))
        if rtl
        else float(stringWidth(run, latin, size))
        for run, rtl in _runs(word)
    )


def _break_lines(text: str, width: float, latin: str, arabic: str, size: float) -> list[str]:
    """Greedy line breaking in logical order; a word wider than a line is cut."""
    space = stringWidth(" ", latin, size)
    lines: list[str] = []
    for hard_line in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in (w for w in _SPACES.split(hard_line) if w):
            for piece in _cut(word, width, latin, arabic, size):
                needed = _width(piece, latin, arabic, size)
                if current and used + space + needed > width:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                used += needed + (space if current else 0.0)
                current.append(piece)
        lines.append(" ".join(current))
    return lines


def _cut(word: str, width: float, latin: str, arabic: str, size: float) -> list[str]:
    """The word, or the pieces of a word too wide for a line."""
    if _width(word, latin, arabic, size) <= width:
        return [word]
    pieces: list[str] = []
    start = 0
    for end in range(1, len(word) + 1):
        if end - start > 1 and _width(word[start:end], latin, arabic, size) > width:
            pieces.append(word[start : end - 1])
            start = end - 1
    pieces.append(word[start:])
    return pieces


def _visual_markup(line: str, rtl: bool, arabic: str, keep_together: bool = False) -> str:
    """One line in visual order as markup: Arabic runs shaped and in the Arabic face.

    ``keep_together`` makes its spaces no-break spaces, so the line is never broken.
    """
    visual = _mirror_reversed_brackets(get_display(line, base_dir="R" if rtl else "L"))
    if keep_together:
        visual = visual.replace(" ", "\u00a0")
    parts = []
    for run, is_rtl_run in _runs(visual):
        if is_rtl_run:
            # python-bidi reversed the run; HarfBuzz wants it in logical order.
            parts.append(f'<font name="{arabic}">{escape(_shaped(run[::-1], arabic))}</font>')
        else:
            parts.append(escape(run))
    return "".join(parts)


def _mirror_reversed_brackets(visual: str) -> str:
    """Mirror bracket pairs that the reordering reversed around right-to-left text.

    In visual order a pair inside a right-to-left run reads ``)...(``; its glyphs must
    be mirrored to read ``(...)`` on the page.
    """
    chars = list(visual)
    normal: list[int] = []  # opening brackets waiting for their closing one
    reversed_: list[int] = []  # closing brackets seen before any opening one
    for index, char in enumerate(chars):
        if char not in _MIRRORED:
            continue
        if char in _OPENING:
            if reversed_ and _MIRRORED[chars[reversed_[-1]]] == char:
                start = reversed_.pop()
                if has_rtl(visual[start:index]):
                    chars[start], chars[index] = _MIRRORED[chars[start]], _MIRRORED[char]
            else:
                normal.append(index)
        elif normal and _MIRRORED[chars[normal[-1]]] == char:
            normal.pop()
        else:
            reversed_.append(index)
    return "".join(chars)
