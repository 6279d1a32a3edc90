"""Generate the binary files of the Evidence Desk demo case.

The demo case (``resources/demo/``) is fictional material written for this project: a
shelling of the vegetable market in Sarmin (Idlib governorate, Syria) reported differently
by several sources. The HTML pages, text files, ``demo.json`` and ``README.md`` are written
by hand; this script draws the files that cannot be: a two-page PDF report (ReportLab), a
JPEG photo with EXIF (Pillow) and a PNG sketch map with no metadata (Pillow).

The output is deterministic: running the script twice gives the same bytes.

Usage::

    python scripts/make_demo_material.py            # write the files
    python scripts/make_demo_material.py --check    # also check demo.json against the files
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from PIL import (
    ExifTags,
    Image,
    ImageDraw,
    ImageFilter,
    ImageFont,
    ImageOps,
    TiffImagePlugin,
)
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "resources" / "demo"

FICTION_LINE = "Fictional material for the Evidence Desk demo."

PDF_NAME = "icpm-weekly-report-2024-w10.pdf"
JPEG_NAME = "sarmin-market-2024-03-06.jpg"
PNG_NAME = "sarmin-sketch-map.png"

# Where and when the (fictional) photo was taken: the market in Sarmin, 6 March 2024.
PHOTO_LAT = 35.9036
PHOTO_LON = 36.7221
PHOTO_TIME = "2024:03:06 10:52:31"

RGB = tuple[int, int, int]
Point = tuple[float, float]


# --------------------------------------------------------------------------------------
# PDF: the monitoring group's weekly report
# --------------------------------------------------------------------------------------

PDF_TITLE = "Weekly Incident Report 10/2024 (4-10 March 2024)"
PDF_AUTHOR = "Idlib Civilian Protection Monitor"
PDF_DATE = "D:20240311093000+03'00'"

INK = HexColor("#1d2a33")
ACCENT = HexColor("#1f5f6b")
MUTED = HexColor("#5b6770")
PALE = HexColor("#e8eff0")

PAGE_W, PAGE_H = A4
MARGIN = 56.0
TEXT_W = PAGE_W - 2 * MARGIN

PAGE1_SUMMARY = (
    "During the reporting week the Monitor documented 9 incidents affecting civilians in "
    "Idlib governorate, in which 7 civilians were killed and 19 injured. Shelling remained "
    "the main cause of harm, followed by small explosive drones used against farmers and "
    "vehicles near the front line. The deadliest incident was the shelling of the vegetable "
    "market in Sermin."
)

PAGE1_INCIDENT = [
    "On the evening of 5 March 2024, artillery fire struck the vegetable market in Sermin, "
    "7 km east of Idlib city, while residents were gathering for the evening bread "
    "distribution at the stall by the market's northern entrance.",
    "The Monitor recorded at least six people killed, including two children and one woman, "
    "and 14 injured, three of them seriously. The figures are based on the records of two "
    "hospitals and the Monitor's field team; names of the dead are held on file.",
    "Initial media reports placed the attack in neighbouring al-Nairab. The Monitor's field "
    "team visited the site on 6 March and confirmed the location as Sermin (also spelled "
    "Sarmin or Sarmeen).",
]

PAGE1_FINDINGS = [
    "Munitions: three to four 122 mm artillery rounds; fragments recovered at the site.",
    "Source of fire: government forces positioned near Saraqib, based on crater orientation.",
    "Second strike on rescuers: the Monitor found no evidence of a second strike.",
    "Turkish response: reports that Turkish forces returned fire could not be confirmed.",
]

PAGE2_ROWS = [
    ("4 Mar", "Ariha (southern outskirts)", "Shelling", "none", "Olive groves and a well damaged"),
    ("4 Mar", "Kansafra (Jabal al-Zawiya)", "Shelling", "1 killed", "Shepherd killed in field"),
    ("5 Mar", "Sermin", "Shelling", "6 killed, 14 inj.", "Vegetable market; see section 2"),
    ("6 Mar", "Maarrat Misrin", "Drone strike", "1 injured", "Motorcycle on the Idlib road"),
    ("7 Mar", "Afes", "Shelling", "none", "One house damaged"),
    ("8 Mar", "al-Nairab (Neirab)", "Drone strike", "1 injured", "Farmer on a tractor, FPV drone"),
    ("9 Mar", "Taftanaz", "Shelling", "2 injured", "Two brothers near a poultry farm"),
    ("9 Mar", "Binnish", "Shelling", "1 injured", "Shell fragments hit a shop"),
    ("10 Mar", "Sermin", "Shelling", "none", "Yard of Al-Ghad primary school hit"),
]

PAGE2_METHOD = (
    "The Monitor documents incidents through a network of field researchers, hospital "
    "records and interviews with survivors and witnesses. Each incident is confirmed by at "
    "least two independent sources before it is included in this report. Casualty figures "
    "are minimums and may be revised as information arrives; attribution is given only "
    "where the direction of fire or the type of munition could be established."
)

PAGE2_CORRECTIONS = (
    "Report 09/2024 gave the number injured in the 27 February shelling of Binnish as 4. "
    "The correct figure is 3."
)


def _wrap(text: str, font: str, size: float, width: float = TEXT_W) -> list[str]:
    lines: list[str] = simpleSplit(text, font, size, width)
    return lines


def _paragraph(c: Canvas, text: str, y: float, size: float = 10.0, leading: float = 14.0) -> float:
    c.setFont("Helvetica", size)
    c.setFillColor(INK)
    for line in _wrap(text, "Helvetica", size):
        c.drawString(MARGIN, y, line)
        y -= leading
    return y - 6


def _heading(c: Canvas, text: str, y: float) -> float:
    c.setFont("Helvetica-Bold", 12)
    c.setFillColor(ACCENT)
    c.drawString(MARGIN, y, text)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.6)
    c.line(MARGIN, y - 4, PAGE_W - MARGIN, y - 4)
    return y - 22


def _page_header(c: Canvas) -> None:
    c.setFillColor(ACCENT)
    c.rect(0, PAGE_H - 74, PAGE_W, 74, stroke=0, fill=1)
    c.setFillColor(Color(1, 1, 1))
    c.setFont("Helvetica-Bold", 16)
    c.drawString(MARGIN, PAGE_H - 38, "IDLIB CIVILIAN PROTECTION MONITOR")
    c.setFont("Helvetica", 9.5)
    c.drawString(
        MARGIN,
        PAGE_H - 56,
        "Weekly Incident Report No. 10/2024  |  Reporting period: 4-10 March 2024  |  "
        "Issued 11 March 2024",
    )


def _page_footer(c: Canvas, page: int) -> None:
    c.setStrokeColor(MUTED)
    c.setLineWidth(0.4)
    c.line(MARGIN, 52, PAGE_W - MARGIN, 52)
    c.setFillColor(MUTED)
    c.setFont("Helvetica", 8)
    c.drawString(MARGIN, 40, "ICPM Weekly Incident Report 10/2024 - public version")
    c.drawRightString(PAGE_W - MARGIN, 40, f"Page {page} of 2")
    c.setFont("Helvetica-Oblique", 8)
    c.drawString(MARGIN, 28, FICTION_LINE)


def _page_one(c: Canvas) -> None:
    _page_header(c)
    y = PAGE_H - 108
    y = _heading(c, "1. Summary of the week", y)
    y = _paragraph(c, PAGE1_SUMMARY, y)

    # Key figures box.
    box_h = 58.0
    y -= 4
    c.setFillColor(PALE)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.8)
    c.rect(MARGIN, y - box_h, TEXT_W, box_h, stroke=1, fill=1)
    figures = [("Incidents", "9"), ("Civilians killed", "7"), ("Civilians injured", "19")]
    col = TEXT_W / len(figures)
    for i, (label, value) in enumerate(figures):
        x = MARGIN + i * col + col / 2
        c.setFillColor(ACCENT)
        c.setFont("Helvetica-Bold", 20)
        c.drawCentredString(x, y - 28, value)
        c.setFillColor(MUTED)
        c.setFont("Helvetica", 8.5)
        c.drawCentredString(x, y - 44, label)
    y -= box_h + 28

    y = _heading(c, "2. Shelling of the Sermin vegetable market, 5 March 2024", y)
    for text in PAGE1_INCIDENT:
        y = _paragraph(c, text, y)

    c.setFont("Helvetica-Bold", 10)
    c.setFillColor(INK)
    c.drawString(MARGIN, y, "Findings of the field team")
    y -= 16
    c.setFont("Helvetica", 10)
    for item in PAGE1_FINDINGS:
        c.setFillColor(ACCENT)
        c.circle(MARGIN + 4, y + 3.2, 1.8, stroke=0, fill=1)
        c.setFillColor(INK)
        for line in _wrap(item, "Helvetica", 10, TEXT_W - 14):
            c.drawString(MARGIN + 14, y, line)
            y -= 14
        y -= 3
    y -= 10
    c.setFont("Helvetica-Oblique", 9)
    c.setFillColor(MUTED)
    note = (
        "Local media gave other figures for this incident (between 5 and 7 killed and "
        "up to 20 or more injured). The Monitor publishes only the figures it has verified."
    )
    for line in _wrap(note, "Helvetica-Oblique", 9):
        c.drawString(MARGIN, y, line)
        y -= 12


def _page_two(c: Canvas) -> None:
    _page_header(c)
    y = PAGE_H - 108
    y = _heading(c, "3. Other incidents documented this week", y)

    cols = [0.0, 46.0, 176.0, 250.0, 330.0]
    headers = ["Date", "Location", "Type", "Casualties", "Notes"]
    c.setFillColor(ACCENT)
    c.rect(MARGIN, y - 6, TEXT_W, 18, stroke=0, fill=1)
    c.setFillColor(Color(1, 1, 1))
    c.setFont("Helvetica-Bold", 9)
    for x, h in zip(cols, headers, strict=True):
        c.drawString(MARGIN + 4 + x, y, h)
    y -= 20
    c.setFont("Helvetica", 8.8)
    for i, row in enumerate(PAGE2_ROWS):
        if i % 2 == 1:
            c.setFillColor(PALE)
            c.rect(MARGIN, y - 5, TEXT_W, 16, stroke=0, fill=1)
        c.setFillColor(INK)
        for x, cell in zip(cols, row, strict=True):
            c.drawString(MARGIN + 4 + x, y, cell)
        y -= 16
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.6)
    c.line(MARGIN, y + 8, PAGE_W - MARGIN, y + 8)
    y -= 18

    y = _heading(c, "4. Trends", y)
    y = _paragraph(
        c,
        "Drone strikes on farmers and vehicles in the Sermin - al-Nairab - Taftanaz area "
        "continued for the fourth consecutive week, as farmers began preparing fields close "
        "to the front line. Two of this week's incidents hit civilian facilities (a market "
        "and a school) in Sermin, a town that hosts several thousand displaced people.",
        y,
    )
    y = _heading(c, "5. Methodology", y)
    y = _paragraph(c, PAGE2_METHOD, y)
    y = _heading(c, "6. Corrections", y)
    y = _paragraph(c, PAGE2_CORRECTIONS, y)
    y -= 8
    c.setFont("Helvetica-Oblique", 9)
    c.setFillColor(MUTED)
    c.drawString(MARGIN, y, "Contact: reports@icpm.example  |  Next report: 18 March 2024")


def make_pdf(path: Path) -> None:
    """Write the two-page weekly report with fixed metadata and invariant bytes."""
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(PDF_TITLE)
    c.setAuthor(PDF_AUTHOR)
    c.setSubject("Civilian harm in Idlib governorate, 4-10 March 2024. " + FICTION_LINE)
    c.setKeywords("Idlib, Sermin, shelling, civilian harm, weekly report")
    c.setCreator("ICPM reporting unit")
    c.setDateFormatter(lambda *_: PDF_DATE)
    _page_one(c)
    _page_footer(c, 1)
    c.showPage()
    _page_two(c)
    _page_footer(c, 2)
    c.showPage()
    c.save()


# --------------------------------------------------------------------------------------
# JPEG: a photo of the market after the shelling
# --------------------------------------------------------------------------------------

W, H = 1200, 800
HORIZON = 470


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _jitter(rng: random.Random, color: RGB, amount: int) -> RGB:
    return (
        max(0, min(255, color[0] + rng.randint(-amount, amount))),
        max(0, min(255, color[1] + rng.randint(-amount, amount))),
        max(0, min(255, color[2] + rng.randint(-amount, amount))),
    )


def _vertical_gradient(
    draw: ImageDraw.ImageDraw, box: Sequence[int], top: RGB, bottom: RGB
) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / max(1, y1 - y0 - 1)))


def _blob(rng: random.Random, cx: float, cy: float, r: float, n: int = 7) -> list[Point]:
    """An irregular polygon around (cx, cy): a chunk of concrete or a stone."""
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n + rng.uniform(-0.3, 0.3)
        rr = r * rng.uniform(0.55, 1.0)
        pts.append((cx + rr * math.cos(a), cy + rr * 0.7 * math.sin(a)))
    return pts


def _draw_sky(img: Image.Image) -> None:
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 0, W, HORIZON + 10), (150, 164, 178), (214, 206, 190))
    # The back street behind the stalls, in shade.
    _vertical_gradient(draw, (0, HORIZON, W, 615), (128, 120, 108), (104, 98, 90))


def _draw_smoke(img: Image.Image, rng: random.Random) -> None:
    """A plume rising from the market and drifting west."""
    smoke = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    sd = ImageDraw.Draw(smoke)
    x, y = 610.0, 560.0
    for i in range(40):
        r = 22 + i * 5.5
        shade = 55 + int(i * 1.5)
        alpha = max(80, 225 - i * 4)
        ox = rng.uniform(-18, 18)
        sd.ellipse(
            [x + ox - r, y - r * 0.75, x + ox + r, y + r * 0.75],
            fill=(shade, shade - 4, shade - 8, alpha),
        )
        x -= 3 + rng.uniform(0, 6)
        y -= 11 + rng.uniform(0, 3)
    smoke = smoke.filter(ImageFilter.GaussianBlur(16))
    img.alpha_composite(smoke)


def _draw_far_skyline(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x = 180
    while x < 1020:
        w = rng.randint(40, 90)
        h = rng.randint(30, 85)
        col = _jitter(rng, (178, 174, 166), 6)
        draw.rectangle([x, HORIZON - h, x + w, HORIZON + 5], fill=col)
        for wy in range(HORIZON - h + 8, HORIZON - 4, 13):
            for wx in range(x + 6, x + w - 6, 12):
                draw.rectangle([wx, wy, wx + 4, wy + 5], fill=(150, 146, 140))
        x += w + rng.randint(-8, 6)
    # Minaret with a balcony and a crescent-less cap.
    mx = 430
    draw.rectangle([mx, HORIZON - 175, mx + 16, HORIZON], fill=(168, 164, 156))
    draw.rectangle([mx - 7, HORIZON - 140, mx + 23, HORIZON - 132], fill=(158, 154, 146))
    draw.polygon(
        [(mx - 2, HORIZON - 175), (mx + 8, HORIZON - 205), (mx + 18, HORIZON - 175)],
        fill=(160, 156, 148),
    )
    # Water tower.
    draw.rectangle([930, HORIZON - 120, 980, HORIZON - 90], fill=(160, 158, 152))
    draw.line([(938, HORIZON - 90), (930, HORIZON)], fill=(150, 148, 142), width=4)
    draw.line([(972, HORIZON - 90), (980, HORIZON)], fill=(150, 148, 142), width=4)


def _draw_near_buildings(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    # Left: a three-storey concrete block with a shell-damaged corner.
    left = [
        (0, 150),
        (150, 150),
        (175, 185),
        (205, 178),
        (238, 230),
        (262, 236),
        (262, 640),
        (0, 640),
    ]
    draw.polygon(left, fill=(176, 163, 143))
    draw.polygon([(0, 640), (262, 640), (262, 636), (0, 612)], fill=(150, 139, 122))
    for row, wy in enumerate(range(200, 520, 100)):
        for wx in range(22, 240, 72):
            if row == 0 and wx > 150:
                continue
            draw.rectangle([wx, wy, wx + 40, wy + 52], fill=(58, 54, 50))
            draw.rectangle([wx - 4, wy + 52, wx + 44, wy + 57], fill=(196, 184, 164))
    # Shop shutter at street level, half open and bent.
    draw.rectangle([20, 540, 240, 640], fill=(92, 96, 100))
    for sy in range(544, 600, 6):
        draw.line([(20, sy), (240, sy + (4 if sy > 580 else 0))], fill=(120, 124, 128), width=2)
    draw.rectangle([20, 600, 240, 640], fill=(35, 33, 31))
    # Exposed reinforcing bars at the broken corner.
    for i in range(6):
        bx = 160 + i * 14
        draw.line(
            [(bx, 190 + i * 8), (bx + rng.randint(-6, 8), 160 + i * 8)], fill=(70, 60, 52), width=2
        )

    # Right: a taller building with balconies and hanging laundry.
    draw.rectangle([930, 110, 1200, 650], fill=(198, 190, 174))
    draw.rectangle([930, 110, 945, 650], fill=(170, 162, 148))
    for wy in range(150, 520, 92):
        draw.rectangle([965, wy + 50, 1200, wy + 56], fill=(150, 144, 132))
        for wx in range(975, 1190, 70):
            draw.rectangle([wx, wy, wx + 38, wy + 48], fill=(64, 62, 60))
            draw.rectangle([wx + 2, wy + 2, wx + 36, wy + 10], fill=(110, 120, 128))
        for lx in range(970, 1190, 22):
            draw.line([(lx, wy + 56), (lx, wy + 74)], fill=(120, 114, 104), width=2)
    for i, col in enumerate([(176, 60, 52), (70, 98, 150), (230, 226, 214), (92, 132, 88)]):
        lx = 990 + i * 34
        draw.rectangle([lx, 330, lx + 22, 356], fill=col)
    draw.line([(975, 330), (1150, 330)], fill=(80, 78, 74), width=1)
    # Shop fronts with signs (blank boards) at street level.
    draw.rectangle([945, 540, 1200, 650], fill=(60, 58, 56))
    draw.rectangle([950, 520, 1070, 540], fill=(40, 96, 84))
    draw.rectangle([1080, 520, 1195, 540], fill=(150, 52, 44))


def _draw_stalls(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    tarps: list[RGB] = [
        (66, 104, 146),
        (86, 126, 86),
        (188, 118, 58),
        (150, 60, 56),
        (60, 120, 130),
    ]
    x = 275
    i = 0
    while x < 905:
        w = rng.randint(95, 125)
        top = 455 + rng.randint(-8, 8)
        base = 612
        col = tarps[i % len(tarps)]
        draw.rectangle([x - 4, top + 30, x + w + 4, base], fill=(84, 78, 70))
        # Posts.
        for px in (x + 6, x + w - 6):
            draw.line([(px, top + 10), (px, base)], fill=(74, 62, 48), width=4)
        # Awning: a trapezoid, some torn.
        poly = [(x - 8, top + 30), (x + w + 8, top + 30), (x + w - 4, top), (x + 4, top)]
        draw.polygon(poly, fill=col)
        if i % 2 == 0:
            for sx in range(x, x + w, 22):
                draw.polygon(
                    [(sx, top + 30), (sx + 10, top + 30), (sx + 12, top), (sx + 4, top)],
                    fill=_mix(col, (235, 230, 220), 0.55),
                )
        if i in (2, 3):  # torn by blast
            draw.polygon(
                [(x + w * 0.3, top + 30), (x + w * 0.55, top + 8), (x + w * 0.75, top + 30)],
                fill=(205, 196, 178),
            )
            draw.line(
                [(x + w * 0.55, top + 8), (x + w * 0.62, top + 64)],
                fill=_mix(col, (0, 0, 0), 0.3),
                width=3,
            )
        # Table with crates of produce.
        draw.rectangle([x, 560, x + w, 568], fill=(110, 86, 60))
        for cx in range(x + 4, x + w - 24, 30):
            tilt = rng.randint(-3, 3) if i in (2, 3) else 0
            draw.polygon(
                [(cx, 530 + tilt), (cx + 26, 530 - tilt), (cx + 26, 560), (cx, 560)],
                fill=(142, 108, 70),
            )
            produce: RGB = rng.choice(
                [(190, 52, 40), (220, 140, 40), (110, 150, 60), (200, 180, 60)]
            )
            for _ in range(6):
                px = cx + rng.randint(3, 22)
                py = 526 + rng.randint(-2, 4)
                draw.ellipse([px - 4, py - 4, px + 4, py + 4], fill=_jitter(rng, produce, 15))
        x += w + rng.randint(8, 20)
        i += 1


def _draw_ground_and_rubble(img: Image.Image, rng: random.Random) -> None:
    draw = ImageDraw.Draw(img)
    _vertical_gradient(draw, (0, 612, W, H), (150, 142, 130), (104, 98, 92))
    # Curb lines in perspective.
    draw.line([(262, 640), (40, H)], fill=(170, 162, 150), width=6)
    draw.line([(930, 650), (1160, H)], fill=(170, 162, 150), width=6)
    # Crater and scorch mark.
    scorch = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    sd = ImageDraw.Draw(scorch)
    sd.ellipse([430, 645, 820, 760], fill=(40, 36, 32, 150))
    scorch = scorch.filter(ImageFilter.GaussianBlur(18))
    img.alpha_composite(scorch)
    draw = ImageDraw.Draw(img)
    draw.ellipse([540, 680, 700, 728], fill=(52, 46, 40))
    draw.ellipse([556, 688, 684, 720], fill=(34, 30, 27))
    # Rubble: concrete chunks, thicker near the crater.
    for _ in range(420):
        if rng.random() < 0.6:
            cx = rng.gauss(620, 190)
            cy = rng.gauss(700, 45)
        else:
            cx = rng.uniform(0, W)
            cy = rng.uniform(625, H)
        if not (620 <= cy <= H + 20):
            continue
        r = rng.uniform(3, 10) * (0.6 + (cy - 600) / 250)
        base: RGB = rng.choice([(168, 160, 146), (140, 132, 120), (186, 176, 160), (110, 104, 96)])
        col = _jitter(rng, base, 10)
        pts = _blob(rng, cx, cy, r)
        draw.polygon([(px, py + r * 0.35) for px, py in pts], fill=_mix(col, (30, 28, 26), 0.6))
        draw.polygon(pts, fill=col)
    # Scattered produce, glass and a bent sheet of corrugated metal.
    for _ in range(60):
        cx, cy = rng.uniform(300, 950), rng.uniform(630, 790)
        fruit: RGB = rng.choice([(186, 50, 40), (214, 136, 42), (104, 146, 58)])
        draw.ellipse([cx - 4, cy - 3, cx + 4, cy + 3], fill=fruit)
    sheet = [(770, 742), (905, 712), (930, 738), (860, 760), (800, 772)]
    draw.polygon(sheet, fill=(126, 132, 136))
    for k in range(5):
        draw.line(
            [(780 + k * 26, 744 - k * 6), (800 + k * 26, 770 - k * 4)], fill=(98, 104, 108), width=3
        )
    # An overturned wooden cart.
    draw.polygon([(250, 700), (360, 676), (372, 714), (262, 738)], fill=(120, 88, 56))
    draw.ellipse([236, 716, 282, 762], outline=(50, 44, 38), width=6)


def _draw_wires(draw: ImageDraw.ImageDraw) -> None:
    draw.line([(318, 170), (318, 470)], fill=(70, 64, 58), width=7)
    draw.line([(296, 182), (340, 182)], fill=(70, 64, 58), width=4)
    for k, (y0, y1) in enumerate([(182, 140), (188, 152), (196, 166)]):
        pts = []
        for i in range(41):
            t = i / 40
            x = 318 + (930 - 318) * t
            pts.append((x, y0 + (y1 - y0) * t + 40 * math.sin(math.pi * t) + k * 3))
        draw.line(pts, fill=(46, 44, 42), width=2)
    sag = [(0, 120 + 30 * math.sin(math.pi * i / 20)) for i in range(21)]
    draw.line([(318 * i / 20, y + 60) for i, (_, y) in enumerate(sag)], fill=(46, 44, 42), width=2)


def _photo_finish(img: Image.Image, rng: random.Random) -> Image.Image:
    """Haze, lens softness, grain and vignette so the drawing reads as a phone photo."""
    haze = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    hd = ImageDraw.Draw(haze)
    hd.ellipse([200, 520, 1100, 820], fill=(214, 204, 186, 70))
    img.alpha_composite(haze.filter(ImageFilter.GaussianBlur(40)))
    rgb = img.convert("RGB").filter(ImageFilter.GaussianBlur(0.9))
    noise = Image.frombytes("L", (W, H), rng.randbytes(W * H))
    rgb = Image.blend(rgb, Image.merge("RGB", (noise, noise, noise)), 0.05)
    vignette = Image.radial_gradient("L").resize((W, H)).point(lambda v: min(255, int(v * 0.55)))
    dark = Image.new("RGB", (W, H), (20, 18, 16))
    return Image.composite(dark, rgb, vignette.filter(ImageFilter.GaussianBlur(30)))


def draw_scene() -> Image.Image:
    """Draw the upright (landscape) view of the market after the shelling."""
    rng = random.Random(20240306)  # noqa: S311 - a fixed seed for a drawing, not for security
    img = Image.new("RGBA", (W, H), (0, 0, 0, 255))
    _draw_sky(img)
    _draw_far_skyline(ImageDraw.Draw(img), rng)
    _draw_smoke(img, rng)
    draw = ImageDraw.Draw(img)
    _draw_stalls(draw, rng)
    _draw_near_buildings(draw, rng)
    _draw_wires(draw)
    _draw_ground_and_rubble(img, rng)
    return _photo_finish(img, rng)


def _dms(value: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    """Degrees, minutes and seconds (to 1/100 s) as EXIF rationals."""
    degrees = int(value)
    minutes_f = (value - degrees) * 60
    minutes = int(minutes_f)
    centi_seconds = round((minutes_f - minutes) * 60 * 100)
    return (
        TiffImagePlugin.IFDRational(degrees, 1),
        TiffImagePlugin.IFDRational(minutes, 1),
        TiffImagePlugin.IFDRational(centi_seconds, 100),
    )


def make_jpeg(path: Path) -> None:
    """Save the photo stored sideways (portrait) with EXIF Orientation 6, time and GPS."""
    upright = draw_scene()
    # Orientation 6 means "rotate 90 degrees clockwise to display"; store it turned back.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "samsung"
    exif[ExifTags.Base.Model] = "SM-A525F"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.DateTime] = PHOTO_TIME
    exif[ExifTags.Base.ImageDescription] = FICTION_LINE
    exif[ExifTags.Base.XResolution] = TiffImagePlugin.IFDRational(72, 1)
    exif[ExifTags.Base.YResolution] = TiffImagePlugin.IFDRational(72, 1)
    exif[ExifTags.Base.ResolutionUnit] = 2
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = PHOTO_TIME
    sub[ExifTags.Base.DateTimeDigitized] = PHOTO_TIME
    sub[ExifTags.Base.OffsetTimeOriginal] = "+03:00"
    sub[ExifTags.Base.ExifVersion] = b"0232"
    sub[ExifTags.Base.ExifImageWidth] = stored.width
    sub[ExifTags.Base.ExifImageHeight] = stored.height
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSVersionID] = b"\x02\x02\x00\x00"
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _dms(PHOTO_LAT)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = _dms(PHOTO_LON)
    gps[ExifTags.GPS.GPSDateStamp] = "2024:03:06"
    gps[ExifTags.GPS.GPSTimeStamp] = (
        TiffImagePlugin.IFDRational(7, 1),
        TiffImagePlugin.IFDRational(52, 1),
        TiffImagePlugin.IFDRational(31, 1),
    )
    stored.save(path, "JPEG", quality=85, exif=exif.tobytes())


# --------------------------------------------------------------------------------------
# PNG: a sketch map drawn by the contact, with no metadata at all
# --------------------------------------------------------------------------------------

PEN: RGB = (32, 44, 120)
RED_PEN: RGB = (178, 34, 34)


def _wobbly(
    draw: ImageDraw.ImageDraw, rng: random.Random, pts: Iterable[Point], fill: RGB, width: int = 3
) -> None:
    """A pen line: each segment split into short steps with a little hand tremor."""
    pts = list(pts)
    out: list[Point] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        steps = max(2, int(math.hypot(x1 - x0, y1 - y0) / 14))
        for i in range(steps):
            t = i / steps
            out.append(
                (
                    x0 + (x1 - x0) * t + rng.uniform(-1.2, 1.2),
                    y0 + (y1 - y0) * t + rng.uniform(-1.2, 1.2),
                )
            )
    out.append(pts[-1])
    draw.line(out, fill=fill, width=width, joint="curve")


def _label(
    draw: ImageDraw.ImageDraw, xy: Point, text: str, size: int = 20, fill: RGB = PEN
) -> None:
    draw.text(xy, text, fill=fill, font=ImageFont.load_default(size=size))


def make_png(path: Path) -> None:
    """A hand-drawn-looking map of the market, saved without any metadata chunk."""
    rng = random.Random(8032024)  # noqa: S311 - a fixed seed for a drawing, not for security
    sw, sh = 900, 640
    img = Image.new("RGB", (sw, sh), (247, 244, 234))
    draw = ImageDraw.Draw(img)
    for gx in range(0, sw, 24):
        draw.line([(gx, 0), (gx, sh)], fill=(220, 228, 238))
    for gy in range(0, sh, 24):
        draw.line([(0, gy), (sw, gy)], fill=(220, 228, 238))
    draw.line([(70, 0), (70, sh)], fill=(232, 170, 170), width=2)

    # Main street (west-east) and the Saraqib road going south-east.
    _wobbly(draw, rng, [(90, 250), (560, 244), (860, 236)], PEN)
    _wobbly(draw, rng, [(90, 310), (520, 304), (600, 306)], PEN)
    _wobbly(draw, rng, [(600, 306), (760, 470), (860, 590)], PEN)
    _wobbly(draw, rng, [(660, 300), (860, 520)], PEN)
    # North-south lane and the school to the south.
    _wobbly(draw, rng, [(300, 30), (304, 250)], PEN)
    _wobbly(draw, rng, [(350, 30), (352, 250)], PEN)
    _wobbly(draw, rng, [(300, 310), (296, 600)], PEN)
    _wobbly(draw, rng, [(350, 310), (352, 600)], PEN)
    # Market block with rows of stalls.
    _wobbly(draw, rng, [(380, 90), (640, 86), (646, 228), (384, 232), (380, 90)], PEN)
    for row_y in (120, 160, 200):
        for sx in range(400, 620, 44):
            _wobbly(
                draw,
                rng,
                [
                    (sx, row_y),
                    (sx + 30, row_y),
                    (sx + 30, row_y + 18),
                    (sx, row_y + 18),
                    (sx, row_y),
                ],
                PEN,
                2,
            )
    # Bread stall at the northern entrance, mosque to the west, school to the south.
    _wobbly(draw, rng, [(470, 50), (540, 50), (540, 84), (470, 84), (470, 50)], PEN)
    _wobbly(draw, rng, [(150, 120), (240, 120), (240, 210), (150, 210), (150, 120)], PEN)
    draw.arc([170, 86, 220, 136], 180, 360, fill=PEN, width=3)
    _wobbly(draw, rng, [(380, 420), (520, 420), (520, 520), (380, 520), (380, 420)], PEN)

    # Impact marks (two, as the contact heard two explosions).
    for cx, cy in [(505, 70), (560, 170)]:
        _wobbly(draw, rng, [(cx - 16, cy - 16), (cx + 16, cy + 16)], RED_PEN, 4)
        _wobbly(draw, rng, [(cx - 16, cy + 16), (cx + 16, cy - 16)], RED_PEN, 4)
    draw.ellipse([480, 40, 590, 200], outline=RED_PEN, width=2)

    _label(draw, (420, 262), "souq al-hal (veg market)")
    _label(draw, (548, 40), "bread", 18)
    _label(draw, (142, 218), "mosque", 18)
    _label(draw, (390, 528), "school", 18)
    _label(draw, (96, 262), "to Idlib", 18)
    _label(draw, (700, 540), "to Saraqib", 18)
    _label(draw, (662, 150), "X = hits", 18, RED_PEN)
    # North arrow.
    _wobbly(draw, rng, [(820, 130), (820, 50)], PEN)
    _wobbly(draw, rng, [(806, 68), (820, 50), (834, 68)], PEN)
    _label(draw, (812, 136), "N", 22)
    _label(draw, (96, 606), FICTION_LINE, 14, (120, 120, 120))
    img.save(path, "PNG", optimize=False)


# --------------------------------------------------------------------------------------
# Checks of demo.json against the files
# --------------------------------------------------------------------------------------


class _Paragraphs(HTMLParser):
    """Collect the text of each <p>, <h1>, <li> element, skipping scripts and styles."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "li", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in self.BLOCKS:
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1
        elif tag in self.BLOCKS and self._current is not None:
            self.blocks.append("".join(self._current).strip())
            self._current = None

    def handle_data(self, data: str) -> None:
        if not self._skip and self._current is not None:
            self._current.append(data)


def source_text(path: Path) -> str:
    """The visible text of a demo source, one block per line."""
    if path.suffix == ".html":
        parser = _Paragraphs()
        parser.feed(path.read_text(encoding="utf-8"))
        return "\n".join(parser.blocks)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


@dataclass
class CheckResult:
    problems: list[str]

    def fail(self, message: str) -> None:
        self.problems.append(message)


ALLOWED_STATUS = {"draft", "under review", "confirmed", "disputed", "discarded"}
ALLOWED_FIELDS = {
    "fatalities",
    "injured",
    "date",
    "place",
    "actor",
    "event_type",
    "weapons",
    "statement",
}


def check(demo_dir: Path = DEMO_DIR) -> list[str]:
    """Problems found in demo.json and the generated files (an empty list when all is well)."""
    result = CheckResult([])
    spec = json.loads((demo_dir / "demo.json").read_text(encoding="utf-8"))
    places = {p["name"]: p for p in spec["places"]}
    actors = {a["name"] for a in spec["actors"]}
    names = {a.lower() for p in spec["places"] for a in [p["name"], *p["aliases"]]}
    names |= {a.lower() for x in spec["actors"] for a in [x["name"], *x["aliases"]]}
    incidents = {i["key"]: i for i in spec["incidents"]}
    for inc in spec["incidents"]:
        if inc["place"] not in places:
            result.fail(f"incident {inc['key']}: unknown place {inc['place']!r}")
        if inc["status"] not in ALLOWED_STATUS:
            result.fail(f"incident {inc['key']}: bad status {inc['status']!r}")
        for a in inc["actors"]:
            if a["name"] not in actors:
                result.fail(f"incident {inc['key']}: unknown actor {a['name']!r}")
        for name in inc["sources"]:
            if not (demo_dir / name).is_file():
                result.fail(f"incident {inc['key']}: missing source file {name}")
    texts: dict[str, str] = {}
    for claim in spec["claims"]:
        where = f"claim {claim['incident']}/{claim['source']}/{claim['field']}"
        if claim["incident"] not in incidents:
            result.fail(f"{where}: unknown incident")
        elif claim["source"] not in incidents[claim["incident"]]["sources"]:
            result.fail(f"{where}: source not listed on the incident")
        if claim["field"] not in ALLOWED_FIELDS:
            result.fail(f"{where}: unknown field")
        if claim["field"] == "statement" and not claim.get("question"):
            result.fail(f"{where}: statement without a question")
        if claim["field"] in {"place", "actor"} and claim["value"].lower() not in names:
            result.fail(f"{where}: {claim['value']!r} is not a known name or alias")
        if claim["source"] not in texts:
            texts[claim["source"]] = source_text(demo_dir / claim["source"])
        if claim["quote"] not in texts[claim["source"]]:
            result.fail(f"{where}: quote not found: {claim['quote']!r}")
    for name in sorted({s for i in spec["incidents"] for s in i["sources"]}):
        path = demo_dir / name
        readable = path.suffix in {".html", ".txt", ".pdf"} and path.is_file()
        if readable and FICTION_LINE not in source_text(path).replace("\n", " "):
            result.fail(f"{name}: no fiction notice")
    # The photo: GPS readable, upright view is landscape.
    with Image.open(demo_dir / JPEG_NAME) as im:
        gps = im.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        if not gps.get(ExifTags.GPS.GPSLatitude) or not gps.get(ExifTags.GPS.GPSLongitude):
            result.fail(f"{JPEG_NAME}: no GPS position")
        upright = ImageOps.exif_transpose(im)
        if upright.width <= upright.height:
            result.fail(f"{JPEG_NAME}: upright view is not landscape")
    with Image.open(demo_dir / PNG_NAME) as im:
        if im.info or len(im.getexif()):
            result.fail(f"{PNG_NAME}: has metadata {sorted(im.info)}")
    return result.problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help="output folder")
    parser.add_argument("--check", action="store_true", help="check demo.json after writing")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    make_pdf(out / PDF_NAME)
    make_jpeg(out / JPEG_NAME)
    make_png(out / PNG_NAME)
    print(f"wrote {PDF_NAME}, {JPEG_NAME}, {PNG_NAME} in {out}")
    if args.check:
        problems = check(out)
        for p in problems:
            print("PROBLEM:", p, file=sys.stderr)
        if problems:
            return 1
        print("demo.json checked: no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
