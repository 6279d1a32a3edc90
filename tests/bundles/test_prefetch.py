"""Originals read ahead of the merge: whole, in order, checked, and stopped on demand."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from desk.bundles.prefetch import Prefetch
from desk.bundles.reader import ValidatedBundle, open_bundle
from desk.bundles.schema import BLOB_PREFIX
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError
from tests.bundles.conftest import members_of, write_zip


@pytest.fixture
def bundle(case_a: Case, tmp_path: Path) -> ValidatedBundle:
    export_bundle(case_a, tmp_path / "a.evbundle")
    return open_bundle(tmp_path / "a.evbundle")


def _originals(bundle: ValidatedBundle) -> list[tuple[str, int]]:
    return sorted(
        (name.removeprefix(BLOB_PREFIX), member.size)
        for name, member in bundle.manifest.members.items()
        if name.startswith(BLOB_PREFIX)
    )


def test_originals_come_whole_and_in_order_even_one_at_a_time(bundle: ValidatedBundle) -> None:
    wanted = _originals(bundle)
    assert len(wanted) >= 3
    with bundle.open() as reader:
        prefetch = Prefetch(reader, wanted, budget=1)  # never more than one held
        try:
            for sha256, size in wanted:
                got = prefetch.take(sha256)
                assert got is not None
                assert len(got) == size
                assert hashlib.sha256(got).hexdigest() == sha256
        finally:
            prefetch.close()


def test_one_passed_over_is_dropped_and_one_not_read_ahead_is_left_to_the_caller(
    bundle: ValidatedBundle,
) -> None:
    first, second, third, *_ = _originals(bundle)
    with bundle.open() as reader:
        prefetch = Prefetch(reader, [first, second])
        try:
            assert prefetch.take(second[0]) is not None
            assert prefetch.take(first[0]) is None  # dropped when the second was taken
            assert prefetch.take(third[0]) is None  # never asked for
        finally:
            prefetch.close()


def test_an_altered_original_is_refused_when_taken(bundle: ValidatedBundle, tmp_path: Path) -> None:
    (sha256, _), *_ = _originals(bundle)
    members = members_of(bundle.path)
    name = BLOB_PREFIX + sha256
    altered = bytearray(members[name])
    altered[len(altered) // 2] ^= 0x01
    members[name] = bytes(altered)  # same size: opening the bundle does not notice
    forged = open_bundle(write_zip(tmp_path / "forged.evbundle", members))
    with forged.open() as reader:
        prefetch = Prefetch(reader, _originals(forged))
        try:
            with pytest.raises(BadInputError, match="does not match the manifest"):
                prefetch.take(sha256)
        finally:
            prefetch.close()


def test_closing_stops_the_reading_of_what_was_never_taken(bundle: ValidatedBundle) -> None:
    with bundle.open() as reader:
        prefetch = Prefetch(reader, _originals(bundle), budget=1)  # waits for room
        closing = threading.Thread(target=prefetch.close, daemon=True)
        closing.start()
        closing.join(10)
        assert not closing.is_alive()
