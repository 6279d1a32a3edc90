"""File importers: bytes and a file name in, an ``Extracted`` out. No Qt, no database.

``extract`` is a pure function of its arguments, so it can run in a process pool.
Files are read by what their bytes are, not by what their names say; a name that lies
about the content is refused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from desk.errors import IngestError
from desk.ingest.model import Extracted, ImageInfo
from desk.ingest.sniff import HTML, SUPPORTED_SUFFIXES, FileType, claimed_type, sniff

__all__ = ["SUPPORTED_SUFFIXES", "Extracted", "ImageInfo", "extract", "identify"]


def _unsupported(filename: str) -> IngestError:
    suffix = PurePath(filename).suffix
    what = f"files ending in {suffix} are" if suffix else "files without an extension are"
    return IngestError(
        filename, f"{what} not supported; Evidence Desk reads {', '.join(SUPPORTED_SUFFIXES)}"
    )


def _reconcile(claimed: FileType, found: FileType | None, filename: str) -> FileType:
    """The type to read the file as, or an error when its name lies about it."""
    if found is None:
        if claimed.family in ("text", "html"):
            return claimed  # the text decoder explains why it cannot read it
        reason = f"the name says {claimed.name} but the content is not in any supported format"
        raise IngestError(filename, reason)
    if found.family == claimed.family:
        # .md stays Markdown; a .png that is really a JPEG is read as a JPEG.
        return claimed if found.family == "text" else found
    if claimed.family in ("text", "html") and found.family in ("text", "html"):
        return HTML  # an HTML page saved under .txt, or a text saved under .html
    raise IngestError(
        filename, f"the name says {claimed.name} but the content is {found.described}"
    )


def _mismatch_warning(claimed: FileType, used: FileType) -> tuple[str, ...]:
    if used == claimed:
        return ()
    return (f"the name says {claimed.name} but the content is {used.described}; read as such",)


def identify(head: bytes, filename: str) -> tuple[FileType, tuple[str, ...]]:
    """What to read a file as, from its name and first bytes, and a warning when its
    name says otherwise; raise ``IngestError`` if it cannot be imported."""
    claimed = claimed_type(filename)
    if claimed is None:
        raise _unsupported(filename)
    used = _reconcile(claimed, sniff(head), filename)
    return used, _mismatch_warning(claimed, used)


def extract(data: bytes, filename: str) -> Extracted:
    """Read one file's text and metadata; raise ``IngestError`` if it cannot be imported."""
    if not data:
        raise IngestError(filename, "the file is empty")
    used, notes = identify(data, filename)
    # Each reader (Pillow, pypdf, trafilatura, charset_normalizer) loads with the first
    # file that needs it, not with every program that can import (the desk starts faster).
    if used.family == "image":
        from desk.ingest.image import read_image

        extracted = read_image(data, filename, used.media_type)
    elif used.family == "pdf":
        from desk.ingest.pdf import read_pdf

        extracted = read_pdf(data, filename)
    elif used.family == "html":
        from desk.ingest.html import read_html

        extracted = read_html(data, filename)
    else:
        from desk.ingest.text import read_text

        extracted = read_text(data, filename, used.media_type)
    return replace(extracted, warnings=notes + extracted.warnings) if notes else extracted
