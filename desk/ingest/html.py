"""Saved web pages: the article's text and metadata, read with trafilatura.

Only bytes are ever handed over, parsed into a tree here: trafilatura never sees a URL,
so it never fetches anything.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import trafilatura
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from desk.errors import IngestError
from desk.ingest.dates import Dated, parse_iso
from desk.ingest.language import detect_language
from desk.ingest.model import Extracted
from desk.ingest.text import Decoded, bom_encoding, decode_text, file_stem

MAX_HTML_BYTES = 50 * 1024 * 1024
_CHARSET_WINDOW = 4096
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
# Most specific first; the first one holding a parseable date wins.
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "pubdate",
    "publishdate",
    "date",
)
_LANG_TAG = re.compile(r"([A-Za-z]{2})(?:[-_].*)?")
# What trafilatura and lxml raise on pages they cannot handle; trafilatura catches
# most of these itself and returns None.
_EXTRACTION_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


def _declared_encoding(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_CHARSET_WINDOW])
    if not match:
        return None
    try:
        name = codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean windows-1252, and
    # a UTF-16 label that could be read as ASCII is wrong, so it means UTF-8.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def decode_html(data: bytes, filename: str) -> Decoded:
    """Decode a page honouring its BOM, then its meta charset, then a guess."""
    declared = _declared_encoding(data)
    if bom_encoding(data) or declared is None:
        return decode_text(data, filename)
    try:
        return Decoded(data.decode(declared))
    except UnicodeDecodeError:
        warning = f"some characters are not valid {declared}, as the page declares"
        return Decoded(data.decode(declared, errors="replace"), warning)


def _meta_published(tree: Any) -> Dated | None:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key in _PUBLISHED_KEYS and content:
            found.setdefault(key, content)
    for key in _PUBLISHED_KEYS:
        dated = parse_iso(found[key]) if key in found else None
        if dated:
            return dated
    return None


def _html_lang(tree: Any) -> str | None:
    match = _LANG_TAG.fullmatch((tree.getroottree().getroot().get("lang") or "").strip())
    return match[1].lower() if match else None


def _body_text(document: Document) -> str | None:
    # Top-level blocks one by one, so paragraphs are separated by blank lines.
    blocks = (xmltotxt(block, include_formatting=False).strip() for block in document.body)
    text = "\n\n".join(block for block in blocks if block)
    return text or None


def _run_trafilatura(tree: Any) -> Document | None:
    result = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        # The extensive search guesses from any number on the page ("© 2013" became
        # 1 January 2013); without it only dates the page states are used.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    return result if isinstance(result, Document) else None


def _page_title(tree: Any) -> str | None:
    return " ".join((tree.findtext(".//title") or "").split()) or None


def _failed(filename: str, reason: str, warnings: tuple[str, ...], tree: Any = None) -> Extracted:
    return Extracted(
        kind="article",
        media_type="text/html",
        title=(_page_title(tree) if tree is not None else None) or file_stem(filename),
        warnings=(*warnings, f"text extraction failed: {reason}"),
    )


def read_html(data: bytes, filename: str) -> Extracted:
    """A saved web page: an article. A page with no readable text is still kept."""
    if len(data) > MAX_HTML_BYTES:
        limit = MAX_HTML_BYTES // 2**20
        raise IngestError(filename, f"the page is larger than {limit} MB, too large to read")
    decoded = decode_html(data, filename)
    warnings = (decoded.warning,) if decoded.warning else ()
    try:
        tree = trafilatura.load_html(decoded.text)
        document = _run_trafilatura(tree) if tree is not None else None
    except _EXTRACTION_ERRORS as error:
        return _failed(filename, f"{type(error).__name__}: {error}", warnings)
    if tree is None:
        return _failed(filename, "the file is not a complete HTML page", warnings)
    text = _body_text(document) if document is not None else None
    if document is None or text is None:
        return _failed(filename, "no article text was found in the page", warnings, tree)
    return _extracted(document, text, tree, filename, warnings)


def _extracted(
    document: Document, text: str, tree: Any, filename: str, warnings: tuple[str, ...]
) -> Extracted:
    published = _meta_published(tree) or (parse_iso(document.date) if document.date else None)
    metadata = {
        key: value
        for key, value in (("hostname", document.hostname), ("description", document.description))
        if value
    }
    return Extracted(
        kind="article",
        media_type="text/html",
        title=document.title or file_stem(filename),
        text=text,
        author=document.author or None,
        outlet=document.sitename or None,
        url=document.url or None,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        language=_html_lang(tree) or detect_language(text),
        metadata=metadata,
        warnings=warnings,
    )
