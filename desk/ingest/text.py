"""Plain-text and Markdown files: decoding, title, date and language."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import PurePath
from typing import NamedTuple

from desk.errors import IngestError
from desk.ingest.dates import find_date
from desk.ingest.language import detect_language
from desk.ingest.model import Extracted

_TITLE_MAX = 200
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A guess is accepted only when charset-normalizer sees almost no "chaos" in it.
_MAX_CHAOS = 0.1
# Legacy encodings worth guessing; exotic ones (EBCDIC, BOM-less UTF-16) guess wrong.
_GUESSABLE = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "koi8_r", "koi8_u", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr",
)  # fmt: skip
# Real text has almost no control characters besides tab, newline, CR and form feed.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_CONTROL_SAMPLE = 65536
# The same test on raw bytes: only ASCII controls, as bytes 0x80-0x9F occur in UTF-8.
_CONTROL_BYTES = bytes(b for b in range(32) if chr(b) not in _ALLOWED_CONTROLS) + b"\x7f"
_UNDECODABLE = "the text cannot be decoded (it is binary data or an unknown encoding)"


class Decoded(NamedTuple):
    text: str
    warning: str | None = None


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of ``data``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _control_share(text: str) -> float:
    controls = sum(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text)
    return controls / max(len(text), 1)


def looks_like_text(head: bytes) -> bool:
    """Cheap test on the first bytes of a file: could it be text at all?"""
    if bom_encoding(head):
        return True
    if b"\x00" in head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls <= _MAX_CONTROL_SHARE * max(len(head), 1)


def _guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # loads with the first file to guess

    matches = [m for m in from_bytes(data, cp_isolation=list(_GUESSABLE)) if m.chaos <= _MAX_CHAOS]
    if not matches:
        return None
    # Short Western text is often ranked under a Baltic or Central European code page;
    # when Windows-1252 reads it cleanly too, it is by far the likelier.
    chosen = next((m for m in matches if m.encoding == "cp1252"), matches[0])
    return Decoded(str(chosen), f"the text encoding was guessed as {chosen.encoding}")


def _decode(data: bytes) -> Decoded | None:
    encoding = bom_encoding(data)
    if encoding:
        try:
            return Decoded(data.decode(encoding))
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _guess(data)


def decode_text(data: bytes, filename: str) -> Decoded:
    """Decode bytes as text: a BOM, then UTF-8, then a confident legacy guess."""
    decoded = _decode(data)
    if decoded is None or _control_share(decoded.text[:_CONTROL_SAMPLE]) > _MAX_CONTROL_SHARE:
        raise IngestError(filename, _UNDECODABLE)
    return Decoded(normalise_newlines(decoded.text), decoded.warning)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_line(text: str) -> str | None:
    """The first non-empty line, trimmed and capped, as a title."""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            return line if len(line) <= _TITLE_MAX else line[: _TITLE_MAX - 1] + "…"
    return None


def file_stem(filename: str) -> str:
    return PurePath(filename).stem or filename


def _markdown_title(text: str) -> str | None:
    line = first_line(text)
    if line is None:
        return None
    return re.sub(r"^#+\s*", "", line) or None


def read_text(data: bytes, filename: str, media_type: str) -> Extracted:
    """A .txt or .md file: an article whose title is its first line."""
    decoded = decode_text(data, filename)
    text = decoded.text
    if not text.strip():
        raise IngestError(filename, "the file contains only blank space")
    title = _markdown_title(text) if media_type == "text/markdown" else first_line(text)
    dated = find_date(text)
    return Extracted(
        kind="article",
        media_type=media_type,
        title=title or file_stem(filename),
        text=text,
        published=dated[0] if dated else None,
        published_precision=dated[1] if dated else None,
        language=detect_language(text),
        warnings=(decoded.warning,) if decoded.warning else (),
    )
