"""Content sniffing: the bytes decide what a file is."""

from __future__ import annotations

import codecs

import pytest

from desk.ingest import SUPPORTED_SUFFIXES
from desk.ingest.sniff import sniff


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"GIF87a\x01\x00", "image/gif"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\r\n  junk from a mail client\r\n%PDF-1.4\n", "application/pdf"),
        (b"<!DOCTYPE html><html><body>x", "text/html"),
        (b"  \n<html lang='ar'>", "text/html"),
        (b"<!-- saved from url=(0041)https://example.org/ -->\n<html>", "text/html"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html>', "text/html"),
        (codecs.BOM_UTF8 + b"<!doctype HTML>", "text/html"),
        (codecs.BOM_UTF16_LE + "<html><body>".encode("utf-16-le"), "text/html"),
        (b"# Notes\n\nSome <b>bold</b> Markdown.", "text/plain"),
        (b"Plain words.", "text/plain"),
        ("نص عربي".encode(), "text/plain"),
    ],
)
def test_sniff(data: bytes, media_type: str) -> None:
    found = sniff(data)
    assert found is not None
    assert found.media_type == media_type


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02\x03binary", b"MZ\x90\x00\x03\x00\x00\x00", b"\x1b\x02\x03\x04" * 10]
)
def test_binary_is_nothing_we_read(data: bytes) -> None:
    assert sniff(data) is None


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {
        ".txt", ".md", ".html", ".htm", ".pdf", ".jpg", ".jpeg",
        ".png", ".webp", ".tif", ".tiff", ".gif",
    }  # fmt: skip
