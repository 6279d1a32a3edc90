"""Whatever follows a real header, extract() imports the file or refuses it cleanly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.errors import IngestError
from desk.ingest import Extracted, extract

HEADERS = [
    (b"\xff\xd8\xff", "x.jpg"),
    (b"\x89PNG\r\n\x1a\n", "x.png"),
    (b"GIF89a", "x.gif"),
    (b"%PDF-1.4", "x.pdf"),
    (b"<html>", "x.html"),
]


def _outcome(data: bytes, name: str) -> Extracted | IngestError:
    """The import's result or its refusal; any other exception fails the test."""
    try:
        return extract(data, name)
    except IngestError as error:
        return error


@settings(max_examples=60, deadline=None)
@given(header=st.sampled_from(HEADERS), tail=st.binary(max_size=2048))
def test_header_plus_random_bytes(header: tuple[bytes, str], tail: bytes) -> None:
    prefix, name = header
    outcome = _outcome(prefix + tail, name)
    if isinstance(outcome, IngestError):
        assert outcome.reason
        assert outcome.filename == name


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=500))
def test_any_text_as_txt(text: str) -> None:
    outcome = _outcome(text.encode(), "note.txt")
    if isinstance(outcome, Extracted):
        assert outcome.text is not None
        assert "\r" not in outcome.text
