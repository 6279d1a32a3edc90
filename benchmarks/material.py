"""Folders of files to import for the benchmarks: photos, PDFs and saved HTML articles.

Made deterministically from the same word lists and picture maker as the generated
case (with another seed, so none of these bytes are already in the case), and kept in
a work folder between runs: making 1,000 photos takes longer than importing them.
"""

from __future__ import annotations

import html
import io
import random
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

import corpus
import make_case
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

PHOTO_SEED = 7_001
DONE = ".complete"


def photos_and_pdfs(folder: Path, photos: int, pdfs: int, jobs: int = 2) -> list[Path]:
    """``photos`` JPEGs of about 1 MB and ``pdfs`` report PDFs in ``folder``."""
    marker = folder / DONE
    if marker.is_file() and marker.read_text() == f"{photos} {pdfs}":
        return sorted(p for p in folder.iterdir() if p.suffix in (".jpg", ".pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    spots = [(35.0 + n % 50 / 100, 40.0 + n % 70 / 100, date(2019, 1, 1)) for n in range(photos)]
    jobs_list = make_case.image_jobs(photos, max(1, min(300, photos // 6)), PHOTO_SEED, spots)
    if jobs > 1 and photos >= 8:
        with get_context("spawn").Pool(jobs) as pool:
            made = pool.imap(_photo_bytes, jobs_list, chunksize=4)
            for number, data in enumerate(made):
                (folder / f"photo-{number:05d}.jpg").write_bytes(data)
    else:
        for number, job in enumerate(jobs_list):
            (folder / f"photo-{number:05d}.jpg").write_bytes(_photo_bytes(job))
    rng = random.Random(PHOTO_SEED)
    picture = _photo_bytes(jobs_list[0]) if jobs_list else None
    for number in range(pdfs):
        (folder / f"report-{number:04d}.pdf").write_bytes(_pdf(rng, number, picture))
    marker.write_text(f"{photos} {pdfs}")
    return sorted(p for p in folder.iterdir() if p.suffix in (".jpg", ".pdf"))


def _photo_bytes(job: make_case.ImageJob) -> bytes:
    data, _ = make_case.make_image(job)
    return data


def _pdf(rng: random.Random, number: int, picture: bytes | None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"Monitoring report {number}")
    canvas.setAuthor("Benchmark field office")
    _width, height = A4
    for page in range(rng.randrange(3, 9)):
        text = canvas.beginText(50, height - 60)
        text.setFont("Helvetica", 10)
        if page == 0:
            text.setFont("Helvetica-Bold", 14)
            text.textLine(f"Monitoring report {number}: incidents in the eastern governorates")
            text.setFont("Helvetica", 10)
        for _ in range(55):
            text.textLine(corpus.filler(rng, "en", rng.choice(corpus.KNOWN_PLACES)[0])[:110])
        canvas.drawText(text)
        if page == 0 and picture is not None:
            canvas.drawImage(ImageReader(io.BytesIO(picture)), 50, 60, width=240, height=180)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def html_articles(folder: Path, count: int) -> list[Path]:
    """``count`` saved web pages: an article with the page furniture around it."""
    marker = folder / DONE
    if marker.is_file() and marker.read_text() == str(count):
        return sorted(folder.glob("*.html"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    rng = random.Random(f"html-{count}")
    for number in range(count):
        (folder / f"article-{number:05d}.html").write_text(_page(rng, number), encoding="utf-8")
    marker.write_text(str(count))
    return sorted(folder.glob("*.html"))


def _page(rng: random.Random, number: int) -> str:
    language = str(make_case.weighted(rng, make_case.LANGUAGES))
    place_name, spellings, arabic, _, _ = rng.choice(corpus.KNOWN_PLACES)
    where = arabic if language != "en" else rng.choice((place_name, *spellings))
    outlet = f"{rng.choice(corpus.ROOTS)[0]} {rng.choice(corpus.OUTLET_WORDS)}"
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
    title = corpus.headline(language, rng.choice(corpus.HEADLINE_WORDS[language]), where)
    paragraphs = []
    words = 0
    target = rng.randrange(300, 801)
    while words < target:
        sentences = [corpus.filler(rng, language, where) for _ in range(rng.randrange(2, 6))]
        paragraph = " ".join(sentences)
        words += paragraph.count(" ") + 1
        paragraphs.append(f"<p>{html.escape(paragraph)}</p>")
    direction = ' dir="rtl"' if language in ("ar", "fa") else ""
    related = "".join(
        f'<li><a href="/news/{rng.randrange(10**6)}">{html.escape(corpus.filler(rng, "en", where)[:60])}</a></li>'
        for _ in range(5)
    )
    comments = "".join(
        f'<div class="comment"><span class="user">reader{rng.randrange(999)}</span>'
        f"<p>{html.escape(corpus.filler(rng, language, where))}</p></div>"
        for _ in range(rng.randrange(0, 4))
    )
    return f"""<!DOCTYPE html>
<html lang="{language}"{direction}>
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(outlet)}</title>
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{day.isoformat()}T09:30:00+00:00">
<meta name="author" content="Staff reporter {number % 40}">
<link rel="canonical" href="https://{outlet.lower().replace(" ", "-")}.example/news/{number}">
<style>body {{ font-family: sans-serif; }} .ad {{ display: block; }}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag() {{}}</script>
</head>
<body>
<header><div class="logo">{html.escape(outlet)}</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/region">Region</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="ad">Advertisement</div>
<main>
<article>
<h1>{html.escape(title)}</h1>
<p class="byline">Staff reporter {number % 40} · {day.isoformat()}</p>
{"".join(paragraphs)}
</article>
<aside><h3>Related</h3><ul>{related}</ul></aside>
</main>
<section class="comments"><h3>Comments</h3>{comments}</section>
<footer><p>© {day.year} {html.escape(outlet)}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer>
</body>
</html>
"""
