"""Whatever follows a real header, extract() imports the file or refuses it cleanly; a
damaged real file imported into a case becomes a source or a refusal naming the file,
and a refusal leaves no rows behind."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import LargeBinary, cast, select

from db.models import Blob
from desk.case import Case
from desk.errors import IngestError
from desk.ingest import Extracted, extract
from desk.services.incidents import IncidentFields
from desk.verify import verify_case

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


# -- mutated real files through the case service ---------------------------------------

_SHARED = Path(__file__).resolve().parents[3] / "shared"
ORIGINALS = sorted(
    p
    for folder in (_SHARED / "samples", _SHARED / "real")
    for p in folder.iterdir()
    if p.suffix != ".md" and not p.name.endswith(".expected.txt")
)
# Tables an import writes to; a refused file must leave every count as it was.
_COUNTED = ("source", "acquisition", "blob", "outlet", "history", "search_doc", "incident_source")


@dataclass(frozen=True)
class Flip:
    at: int  # position, taken modulo the length
    mask: int  # 1-255, XORed into the byte


@dataclass(frozen=True)
class Cut:
    at: int  # keep this many bytes (modulo the length + 1)


@dataclass(frozen=True)
class Insert:
    at: int
    data: bytes


Mutation = Flip | Cut | Insert

_MUTATIONS = st.one_of(
    st.builds(Flip, st.integers(0, 1 << 20), st.integers(1, 255)),
    st.builds(Cut, st.integers(0, 1 << 20)),
    st.builds(Insert, st.integers(0, 1 << 20), st.binary(min_size=1, max_size=64)),
)


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    out = bytearray(data)
    for mutation in mutations:
        if isinstance(mutation, Flip) and out:
            out[mutation.at % len(out)] ^= mutation.mask
        elif isinstance(mutation, Cut):
            del out[mutation.at % (len(out) + 1) :]
        elif isinstance(mutation, Insert):
            at = mutation.at % (len(out) + 1)
            out[at:at] = mutation.data
    return bytes(out)


def _counts(case: Case) -> dict[str, int]:
    with case.read() as session:
        conn = session.connection()
        return {
            t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() or 0 for t in _COUNTED
        }


@pytest.fixture
def fuzz_case(tmp_path: Path) -> Iterator[tuple[Case, uuid.UUID]]:
    """One case for all examples of a test: each import is checked against the counts
    just before it."""
    with Case.create(tmp_path / "fuzz.evcase", "Fuzz", analyst="Fuzzer") as case:
        incident = case.incidents.create(IncidentFields(title="Mutated files"))
        yield case, incident.id


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    original=st.sampled_from(ORIGINALS),
    mutations=st.lists(_MUTATIONS, min_size=1, max_size=4),
    attach=st.booleans(),
)
def test_mutated_real_files_become_a_source_or_a_named_error(
    fuzz_case: tuple[Case, uuid.UUID],
    tmp_path: Path,
    original: Path,
    mutations: list[Mutation],
    attach: bool,
) -> None:
    case, incident_id = fuzz_case
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    target = folder / f"mutated-{original.name}"
    target.write_bytes(mutate(original.read_bytes(), mutations))
    before = _counts(case)

    (outcome,) = case.sources.import_files([target], incident_id if attach else None)

    after = _counts(case)
    assert outcome.path == target
    event("refused" if outcome.source is None else f"imported as {outcome.source.kind}")
    if outcome.source is None:
        assert outcome.error is not None
        assert outcome.error.startswith(f"{target.name}: "), outcome.error
        assert after == before, "a refused file left rows behind"
    else:
        assert outcome.error is None
        new = int(outcome.created)
        assert outcome.source.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
        assert after["source"] == before["source"] + new
        assert after["blob"] == before["blob"] + new
        assert after["acquisition"] == before["acquisition"] + 1
        assert after["history"] >= before["history"] + 1
        with case.read() as session:
            stored = session.scalar(
                select(cast(Blob.data, LargeBinary)).where(Blob.sha256 == outcome.source.sha256)
            )
        assert stored == target.read_bytes()
    report = verify_case(case)
    assert report.ok, report.problems
    assert report.sources == after["source"]
    assert report.blobs_checked == after["blob"]
