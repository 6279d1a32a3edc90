"""Files that cannot be imported are refused with one plain sentence."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from desk.errors import IngestError
from desk.ingest import SUPPORTED_SUFFIXES, extract


def _png(size: int = 10) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((size, size), 60).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _random_binary(size: int = 4096) -> bytes:
    generator = random.Random(1234)
    return bytes(generator.getrandbits(8) for _ in range(size))


def test_empty_file() -> None:
    with pytest.raises(IngestError, match="the file is empty") as caught:
        extract(b"", "notes.txt")
    assert caught.value.filename == "notes.txt"


@pytest.mark.parametrize("name", ["setup.exe", "report.docx", "README"])
def test_unsupported_type_lists_what_is_supported(name: str) -> None:
    with pytest.raises(IngestError, match="not supported") as caught:
        extract(b"MZ\x90\x00 some bytes", name)
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in caught.value.reason


def test_suffix_case_does_not_matter() -> None:
    assert extract(b"Just a note.", "NOTE.TXT").kind == "article"


def test_jpeg_name_with_text_content() -> None:
    with pytest.raises(IngestError) as caught:
        extract(b"This is not a photo at all.\n", "photo.jpg")
    assert caught.value.reason == "the name says JPEG image but the content is plain text"


def test_jpeg_name_with_arabic_text_content() -> None:
    with pytest.raises(IngestError) as caught:
        extract("اشتباكات في البوكمال".encode() * 50, "photo.jpg")
    assert caught.value.reason == "the name says JPEG image but the content is plain text"


def test_jpeg_name_with_pdf_content() -> None:
    with pytest.raises(IngestError, match="the name says JPEG image but the content is a PDF"):
        extract(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "photo.jpg")


def test_pdf_name_with_png_content() -> None:
    with pytest.raises(IngestError) as caught:
        extract(_png(), "report.pdf")
    assert caught.value.reason == "the name says PDF document but the content is a PNG image"


def test_image_name_with_unknown_binary() -> None:
    with pytest.raises(IngestError, match="not in any supported format"):
        extract(_random_binary(), "photo.png")


def test_image_of_another_format_is_read_as_what_it_is() -> None:
    picture = extract(_png(), "picture.jpg")
    assert picture.media_type == "image/png"
    assert picture.warnings == (
        "the name says JPEG image but the content is a PNG image; read as such",
    )


def test_random_binary_named_txt() -> None:
    with pytest.raises(IngestError, match="the text cannot be decoded"):
        extract(_random_binary(), "notes.txt")


def test_nul_heavy_text_named_txt() -> None:
    with pytest.raises(IngestError, match="the text cannot be decoded"):
        extract(b"h\x00e\x00l\x00l\x00o\x00 plain words " * 20, "notes.txt")


def test_blank_text_file() -> None:
    with pytest.raises(IngestError, match="only blank space"):
        extract(b" \n\t\r\n ", "blank.md")


def test_pdf_that_cannot_be_parsed() -> None:
    with pytest.raises(IngestError, match="the PDF cannot be read"):
        extract(b"%PDF-1.4\nthis is no PDF structure at all\n", "broken.pdf")


def test_truncated_png() -> None:
    whole = _png(64)
    with pytest.raises(IngestError, match="truncated or corrupt"):
        extract(whole[: len(whole) // 2], "cut.png")


def test_oversized_html_is_refused() -> None:
    page = b"<html><body><p>" + b"x" * (50 * 2**20) + b"</p></body></html>"
    with pytest.raises(IngestError, match="too large"):
        extract(page, "huge.html")
