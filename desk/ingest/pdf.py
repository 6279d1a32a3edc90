"""PDF documents: text page by page and the document information, with pypdf.

A PDF is first read strictly. If pypdf objects to its structure, it is read again
leniently and imported with a warning; one that cannot be read even then is refused.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import replace

from pypdf import DocumentInformation, PasswordType, PdfReader
from pypdf.errors import DependencyError, DeprecationError, PyPdfError

from desk.errors import IngestError
from desk.ingest.dates import Dated, find_date, from_pdf
from desk.ingest.language import detect_language
from desk.ingest.model import Extracted
from desk.ingest.text import file_stem, first_line, normalise_newlines

# What pypdf raises, and what malformed files make it raise besides its own errors.
_MALFORMED = (
    PyPdfError,
    DependencyError,
    DeprecationError,  # pypdf 7 raises it for some misspelt filter names
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    RecursionError,
    OverflowError,
    ZeroDivisionError,
    NotImplementedError,
    EOFError,
    struct.error,
    zlib.error,
)
# Typographic ligatures (ﬁ, ﬂ, ...) that PDFs keep and searches miss.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


def _open(data: bytes, filename: str, *, strict: bool) -> PdfReader:
    reader = PdfReader(io.BytesIO(data), strict=strict)
    if reader.is_encrypted:
        try:
            unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except DependencyError as error:
            reason = f"the PDF is encrypted in a way we cannot open ({error})"
            raise IngestError(filename, reason) from error
        if not unlocked:
            raise IngestError(filename, "the PDF is protected by a password")
    return reader


# A line at least this share of the page's longest line was wrapped, not ended.
_WRAPPED = 0.75
_ENDINGS = (".", "!", "?", ":", "؟", "。")


def _reflow(page_text: str) -> str:
    """Join lines the PDF wrapped at the margin, so paragraphs read as paragraphs.

    Short lines (headings, list items, a paragraph's last line) and lines that end a
    sentence keep their break, unless the next line carries on in lower case.
    """
    lines = [line.rstrip() for line in page_text.split("\n")]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    previous = ""
    for line in lines:
        wrapped = len(previous) >= _WRAPPED * longest and not previous.endswith(_ENDINGS)
        if out and previous.strip() and line.strip() and (wrapped or line.lstrip()[:1].islower()):
            out[-1] = f"{out[-1]} {line.lstrip()}"
        else:
            out.append(line)
        previous = line
    return "\n".join(out)


def _clean(page_text: str) -> str:
    text = normalise_newlines(page_text).replace("\f", "\n").translate(_LIGATURES)
    return _reflow(text).strip()


def _pages(reader: PdfReader) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text of each page, and a warning for each page that could not be read."""
    pages: list[str] = []
    warnings: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(_clean(page.extract_text()))
        except _MALFORMED as error:
            pages.append("")
            warnings.append(f"the text of page {number} could not be read ({error})")
    return tuple(pages), tuple(warnings)


def _info_text(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def _producers(info: DocumentInformation | None) -> dict[str, str]:
    """The software that made the PDF: often telling about where it came from."""
    found = {
        "pdf_creator": _info_text(info.creator if info else None),
        "pdf_producer": _info_text(info.producer if info else None),
    }
    return {key: value for key, value in found.items() if value}


def _created(info: DocumentInformation | None) -> tuple[Dated | None, tuple[str, ...]]:
    try:
        created = info.creation_date if info else None
    except ValueError:  # pypdf refuses creation dates it cannot parse
        return None, ("the PDF's creation date is unreadable and was ignored",)
    return (from_pdf(created) if created else None), ()


def _read(data: bytes, filename: str, *, strict: bool) -> Extracted:
    reader = _open(data, filename, strict=strict)
    pages, warnings = _pages(reader)
    if strict and warnings:
        # A strict reader that stumbles over a page reads it leniently too.
        raise PyPdfError(warnings[0])
    text = "\n\n".join(page for page in pages if page) or None
    if text is None:
        warnings += ("the PDF has no text layer (it may be scanned images)",)
    info = reader.metadata
    # A date printed on the first page is the report's own; the creation date is
    # often when a copy was made or converted, so it only fills in.
    stated = find_date(pages[0]) if pages and pages[0] else None
    created, date_warnings = _created(info)
    published = stated or created
    return Extracted(
        kind="document",
        media_type="application/pdf",
        title=_info_text(info.title if info else None)
        or (first_line(text) if text else None)
        or file_stem(filename),
        text=text,
        pages=pages,
        author=_info_text(info.author if info else None),
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        language=detect_language(text) if text else None,
        metadata=_producers(info),
        warnings=warnings + date_warnings,
    )


def read_pdf(data: bytes, filename: str) -> Extracted:
    """A PDF document; refused only when encrypted or beyond reading."""
    try:
        return _read(data, filename, strict=True)
    except _MALFORMED as strict_error:
        try:
            extracted = _read(data, filename, strict=False)
        except _MALFORMED as error:
            raise IngestError(filename, f"the PDF cannot be read ({error})") from error
        warning = f"the PDF's structure is damaged; imported what could be read ({strict_error})"
        return replace(extracted, warnings=(warning, *extracted.warnings))
