"""What a file really is, from its first bytes, and what its name claims it is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from desk.ingest.text import bom_encoding, looks_like_text

Family = Literal["text", "html", "pdf", "image"]


@dataclass(frozen=True)
class FileType:
    media_type: str
    family: Family
    name: str  # "JPEG image", as in "the name says JPEG image"
    described: str  # "a JPEG image", as in "but the content is a JPEG image"


PLAIN_TEXT = FileType("text/plain", "text", "plain text", "plain text")
MARKDOWN = FileType("text/markdown", "text", "Markdown text", "Markdown text")
HTML = FileType("text/html", "html", "HTML page", "an HTML page")
PDF = FileType("application/pdf", "pdf", "PDF document", "a PDF document")
JPEG = FileType("image/jpeg", "image", "JPEG image", "a JPEG image")
PNG = FileType("image/png", "image", "PNG image", "a PNG image")
GIF = FileType("image/gif", "image", "GIF image", "a GIF image")
WEBP = FileType("image/webp", "image", "WebP image", "a WebP image")
TIFF = FileType("image/tiff", "image", "TIFF image", "a TIFF image")

BY_SUFFIX: dict[str, FileType] = {
    ".txt": PLAIN_TEXT,
    ".md": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".gif": GIF,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(BY_SUFFIX)

_HEAD_BYTES = 8192
# Acrobat accepts a PDF header anywhere in the first KiB; pypdf does too.
_PDF_HEADER_WINDOW = 1024
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)


def claimed_type(filename: str) -> FileType | None:
    """The type the file name's extension promises, or None if unsupported."""
    return BY_SUFFIX.get(PurePath(filename).suffix.lower())


def _magic(head: bytes) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return PDF
    return None


def _is_html(head: bytes) -> bool:
    text = head.decode(bom_encoding(head) or "utf-8", errors="replace").lstrip("\ufeff")
    return _HTML_START.match(text) is not None


def sniff(data: bytes) -> FileType | None:
    """The real type of ``data`` from its content, or None if it is no type we read."""
    head = data[:_HEAD_BYTES]
    found = _magic(head)
    if found:
        return found
    if not looks_like_text(head):
        return None
    return HTML if _is_html(head) else PLAIN_TEXT
