"""Hostile bundles: each is refused whole with a sentence naming the file and the reason;
the case stays byte for byte as it was and nothing is written anywhere else."""

from __future__ import annotations

import hashlib
import json
import stat
import struct
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.bundles import merge
from desk.bundles.reader import open_bundle
from desk.bundles.schema import Limits
from desk.case import Case
from desk.errors import BadInputError
from tests.bundles.conftest import (
    all_rows,
    manifest_of,
    members_of,
    records_of,
    with_manifest,
    with_records,
    write_zip,
)


def _listing(*folders: Path) -> list[tuple[str, int]]:
    return sorted(
        (str(p), p.stat().st_size if p.is_file() else -1)
        for folder in folders
        if folder.exists()
        for p in folder.rglob("*")
    )


@pytest.fixture
def refused(tmp_path: Path, home: Path) -> Callable[..., BadInputError]:
    """Import ``bundle`` into a fresh case; assert the refusal and that nothing moved."""
    victim = tmp_path / "victim.evcase"
    Case.create(victim, "Victim", analyst="Vera").close()

    def check(bundle: Path, reason: str, limits: Limits | None = None) -> BadInputError:
        case_bytes = hashlib.sha256(victim.read_bytes()).hexdigest()
        listing = _listing(tmp_path, home)
        with Case.open(victim) as case:
            rows = all_rows(case)
            with pytest.raises(BadInputError, match=reason) as caught:
                _import(case, bundle, limits)
            assert all_rows(case) == rows
        assert str(bundle) in str(caught.value)
        assert hashlib.sha256(victim.read_bytes()).hexdigest() == case_bytes
        assert _listing(tmp_path, home) == listing
        return caught.value

    return check


def _import(case: Case, bundle: Path, limits: Limits | None) -> None:
    merge.apply(case, open_bundle(bundle, limits) if limits else open_bundle(bundle))


def _zip(target: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return target


def _plus(
    members: dict[str, bytes], name: str, data: bytes
) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = list(members.items())
    entries.append((name, data))
    return entries


def _blob_name(members: dict[str, bytes]) -> str:
    return next(n for n in members if n.startswith("blobs/"))


# -- names and the zip's structure ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", r"climbs out of its folder \('\.\.'\)"),
        ("blobs/../../evil", r"climbs out"),
        ("/tmp/evil.txt", "is an absolute path"),
        ("C:/Windows/evil.txt", "starts with a drive letter"),
        ("C:evil.txt", "starts with a drive letter"),
        ("..\\evil.txt", "contains a backslash"),
        ("records\x01.jsonl", "contains control characters"),
        ("notes.txt", "is not part of the bundle format"),
    ],
)
def test_hostile_member_names_are_refused(
    small_bundle: Path,
    tmp_path: Path,
    refused: Callable[..., BadInputError],
    name: str,
    reason: str,
) -> None:
    bundle = _zip(tmp_path / "names.evbundle", _plus(members_of(small_bundle), name, b"x"))
    refused(bundle, reason)


def test_a_nul_in_a_member_name_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    # zipfile cuts names at NUL when it writes them: put the byte in afterwards
    bundle = _zip(tmp_path / "nul.evbundle", _plus(members_of(small_bundle), "evilXtxt", b"x"))
    bundle.write_bytes(bundle.read_bytes().replace(b"evilXtxt", b"evil\x00txt"))
    refused(bundle, "contains control characters")


def test_a_symlink_member_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    link = zipfile.ZipInfo("records.jsonl")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        (
            link if name == "records.jsonl" else name,
            b"/etc/passwd" if name == "records.jsonl" else data,
        )
        for name, data in members.items()
    ]
    refused(_zip(tmp_path / "link.evbundle", entries), "is a symbolic link")


def _central_entry(data: bytes | bytearray, name: bytes) -> int:
    """Where the central directory entry of member ``name`` starts."""
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    return entry


def test_an_encrypted_member_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    bundle = write_zip(tmp_path / "secret.evbundle", members_of(small_bundle))
    data = bytearray(bundle.read_bytes())
    # zipfile writes no encrypted members: set the flag in both headers by hand
    entry = _central_entry(data, b"history.jsonl")
    (local,) = struct.unpack_from("<I", data, entry + 42)
    data[entry + 8] |= 0x1
    data[local + 6] |= 0x1
    bundle.write_bytes(bytes(data))
    refused(bundle, "the member 'history.jsonl' is encrypted")


def test_duplicate_member_names_are_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    with pytest.warns(UserWarning, match="Duplicate name"):
        bundle = _zip(tmp_path / "dup.evbundle", _plus(members, "records.jsonl", b"{}\n"))
    refused(bundle, "appears twice")


def test_member_names_that_differ_only_in_case_are_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    bundle = _zip(
        tmp_path / "case.evbundle", _plus(members_of(small_bundle), "RECORDS.JSONL", b"{}\n")
    )
    refused(bundle, r"'RECORDS.JSONL' appears twice \(as 'records.jsonl'\)")


def test_a_zip_bomb_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    zeros = bytes(8 << 20)
    name = "blobs/" + hashlib.sha256(zeros).hexdigest()
    members = with_manifest({**members_of(small_bundle), name: zeros})
    refused(write_zip(tmp_path / "bomb.evbundle", members), "would expand more than 200 times")


@pytest.mark.parametrize("name", ["records.jsonl", "history.jsonl"])
def test_a_member_declaring_a_huge_size_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError], name: str
) -> None:
    """Originals may be larger (a case chunks them); JSON Lines members may not."""
    bundle = write_zip(tmp_path / "huge.evbundle", members_of(small_bundle))
    data = bytearray(bundle.read_bytes())
    # the uncompressed size in the member's central directory entry
    struct.pack_into("<I", data, _central_entry(data, name.encode()) + 24, 3_000_000_000)
    bundle.write_bytes(bytes(data))
    refused(bundle, f"{name}' is 3,000,000,000 bytes; the limit is 1,000,000,000")


def test_an_original_over_the_originals_limit_is_refused(
    small_bundle: Path, refused: Callable[..., BadInputError]
) -> None:
    name = _blob_name(members_of(small_bundle))
    refused(
        small_bundle,
        f"the member '{name}' is [0-9,]+ bytes; the limit is 100\\.",
        Limits(max_original_bytes=100),
    )


def test_a_total_size_over_the_limit_is_refused(
    small_bundle: Path, refused: Callable[..., BadInputError]
) -> None:
    refused(small_bundle, "add up to more than 1,000 bytes", Limits(max_total_bytes=1000))


def test_too_many_members_are_refused(
    small_bundle: Path, refused: Callable[..., BadInputError]
) -> None:
    refused(small_bundle, "the limit is 2", Limits(max_members=2))


def test_a_truncated_archive_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    data = small_bundle.read_bytes()
    half = tmp_path / "half.evbundle"
    half.write_bytes(data[: len(data) // 2])
    refused(half, "not a zip archive, or it is truncated")
    tail_cut = tmp_path / "cut.evbundle"
    tail_cut.write_bytes(data[:-10])
    refused(tail_cut, "not a zip archive, or it is truncated")


def test_a_file_that_is_not_a_zip_is_refused(
    tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    fake = tmp_path / "fake.evbundle"
    fake.write_text("Dear colleague, here is the case.\n")
    refused(fake, "not a zip archive")


def test_a_missing_bundle_file_is_refused(
    tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    refused(tmp_path / "absent.evbundle", "no such bundle file")


# -- members against the manifest ----------------------------------------------------------


def test_a_member_whose_hash_does_not_match_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    name = _blob_name(members)
    data = bytearray(members[name])
    data[10] ^= 0xFF
    members[name] = bytes(data)  # same size, manifest left as it was
    refused(
        write_zip(tmp_path / "altered.evbundle", members),
        f"the SHA-256 of '{name}' does not match the manifest: the member was altered",
    )


def test_a_member_whose_size_does_not_match_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    members["history.jsonl"] += b"\n"
    refused(
        write_zip(tmp_path / "longer.evbundle", members),
        r"the size of 'history.jsonl' \(\d[\d,]* bytes\) differs from the manifest's",
    )


def test_a_member_the_manifest_does_not_list_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    members["blobs/" + "0" * 64] = b"stowaway"
    refused(write_zip(tmp_path / "extra.evbundle", members), "which the manifest does not list")


def test_a_listed_member_that_is_missing_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    del members[_blob_name(members)]
    refused(write_zip(tmp_path / "less.evbundle", members), "which the bundle does not hold")


# -- the manifest ------------------------------------------------------------------------


def _with_raw_manifest(small_bundle: Path, tmp_path: Path, raw: bytes) -> Path:
    members = members_of(small_bundle)
    members["manifest.json"] = raw
    return write_zip(tmp_path / "manifest.evbundle", members)


def test_a_manifest_that_is_not_json_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    bundle = _with_raw_manifest(small_bundle, tmp_path, b"{'format': evidence-desk-bundle")
    refused(bundle, "manifest.json is not valid JSON")


@pytest.mark.parametrize("depth", [40, 200_000])
def test_a_deeply_nested_manifest_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError], depth: int
) -> None:
    bundle = _with_raw_manifest(small_bundle, tmp_path, b"[" * depth + b"]" * depth)
    refused(bundle, "manifest.json is nested too deeply")


def test_a_manifest_with_huge_strings_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    def huge(manifest: dict[str, object]) -> None:
        manifest["case"] = {"id": str(uuid.uuid4()), "title": "A" * 3_000_000}

    members = with_manifest(members_of(small_bundle), huge)
    bundle = write_zip(tmp_path / "huge.evbundle", members, zipfile.ZIP_STORED)
    refused(bundle, "case/title: 'AAAA.*is too long")


def test_a_manifest_with_duplicate_keys_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    raw = members_of(small_bundle)["manifest.json"].replace(
        b'"created_by":', b'"created_by": "Mallory", "created_by":', 1
    )
    bundle = _with_raw_manifest(small_bundle, tmp_path, raw)
    refused(bundle, "the key 'created_by' appears twice in one object")


def test_a_manifest_with_nan_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    raw = members_of(small_bundle)["manifest.json"].replace(
        b'"format_version": 1', b'"format_version": NaN'
    )
    refused(_with_raw_manifest(small_bundle, tmp_path, raw), "NaN is not a JSON number")


def test_a_format_version_from_the_future_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    def future(manifest: dict[str, object]) -> None:
        manifest["format_version"] = 2
        manifest["new_section"] = {"something": "we cannot know"}

    members = with_manifest(members_of(small_bundle), future)
    refused(
        write_zip(tmp_path / "future.evbundle", members),
        "it uses bundle format version 2; this Evidence Desk .* reads format version 1 only. "
        "Update Evidence Desk to a version that reads bundle format 2",
    )


def test_a_manifest_of_another_format_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = with_manifest(members_of(small_bundle), lambda m: m.update(format="other"))
    refused(write_zip(tmp_path / "other.evbundle", members), "does not name the Evidence Desk")


def test_counts_that_do_not_match_the_records_are_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = with_manifest(members_of(small_bundle), lambda m: m["counts"].update(claim=5))
    refused(write_zip(tmp_path / "counts.evbundle", members), "record counts .* do not match")


# -- records and history -------------------------------------------------------------------


def test_a_record_naming_a_missing_record_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    lines = records_of(members)
    stranger = str(uuid.uuid4())
    for line in lines:
        if line["type"] == "claim":
            line["data"]["source"] = stranger
    members = with_manifest(with_records(members, lines))
    refused(
        write_zip(tmp_path / "dangling.evbundle", members),
        f"the claim's source names source {stranger}, which the bundle does not hold",
    )


def test_a_record_needing_a_missing_original_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    name = _blob_name(members)
    del members[name]
    members = with_manifest(members)
    refused(
        write_zip(tmp_path / "no-original.evbundle", members),
        "the source needs the original .*, which the bundle does not hold",
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(start_date="2019-02-31"), "'2019-02-31' is not a date"),
        (lambda d: d.update(status="burnt"), "data/status: 'burnt' is not one of"),
        (lambda d: d.update(title=""), "data/title: '' should be non-empty"),
        (lambda d: d.update(smuggled="x"), "Additional properties are not allowed"),
        (lambda d: d.update(latitude=12.5), "latitude and longitude must be given together"),
    ],
)
def test_records_with_bad_values_are_refused(
    small_bundle: Path,
    tmp_path: Path,
    refused: Callable[..., BadInputError],
    change: Callable[[dict[str, object]], None],
    reason: str,
) -> None:
    members = members_of(small_bundle)
    lines = records_of(members)
    for line in lines:
        if line["type"] == "incident":
            change(line["data"])
    refused(
        write_zip(tmp_path / "bad.evbundle", with_manifest(with_records(members, lines))), reason
    )


def test_a_record_appearing_twice_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    lines = records_of(members)
    lines.append(next(line for line in lines if line["type"] == "incident"))
    members = with_manifest(with_records(members, lines), lambda m: m["counts"].update(incident=2))
    refused(write_zip(tmp_path / "twice.evbundle", members), "appears twice")


def test_an_altered_history_entry_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    entries = [json.loads(line) for line in members["history.jsonl"].splitlines()]
    entries[0]["actor"] = "Someone else"
    members["history.jsonl"] = b"".join(json.dumps(e).encode() + b"\n" for e in entries)
    refused(
        write_zip(tmp_path / "history.evbundle", with_manifest(members)),
        "history.jsonl line 1: the entry's hash does not match its content",
    )


def test_a_record_line_too_long_is_refused(
    small_bundle: Path, tmp_path: Path, refused: Callable[..., BadInputError]
) -> None:
    members = members_of(small_bundle)
    members["records.jsonl"] = b"[" + b" " * 5000 + b"]\n"
    refused(
        write_zip(tmp_path / "long.evbundle", with_manifest(members)),
        "records.jsonl line 1 is over 4,096 bytes",
        Limits(max_line_bytes=4096),
    )


def test_the_manifest_is_read_before_the_records(small_bundle: Path) -> None:
    """Sanity for the helpers: the unaltered small bundle opens and counts right."""
    bundle = open_bundle(small_bundle)
    assert bundle.manifest.counts["claim"] == 1
    assert manifest_of(members_of(small_bundle))["format_version"] == 1
