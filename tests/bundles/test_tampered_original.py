"""An original changed inside an exported bundle (one byte, the manifest left as it
was) is refused with the case unchanged, whichever way the bundle comes in.

Opening a bundle checks its originals' sizes only; the merge hashes each original as
it stores it (and those it does not need to store). These tests pin that the one
SHA-256 pass left still stands between a tampered original and the case. A byte is
changed in place in the exported file, either alone (zip's CRC-32 then disagrees too)
or with the CRC-32 in the zip directory fixed up, as a careful forger would, so that
only the SHA-256 can tell.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import struct
import subprocess
import sys
import uuid
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import text

from db.blobs import read_blob
from desk.bundles import merge
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError, DeskError
from desk.services.incidents import IncidentFields
from tests.bundles.conftest import IMAGE, SAMPLES, all_rows


def _stored_original(bundle: Path) -> zipfile.ZipInfo:
    """The JPEG's member: stored, so its bytes sit as they are in the file."""
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        jpeg = next(
            info
            for info in zf.infolist()
            if info.filename.startswith("blobs/") and info.compress_type == zipfile.ZIP_STORED
        )
    assert any(m["name"] == jpeg.filename for m in manifest["members"])
    return jpeg


def _tamper(bundle: Path, fix_crc: bool) -> str:
    """Flip one byte of the stored original in place; its name."""
    info = _stored_original(bundle)
    data = bytearray(bundle.read_bytes())
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.file_size // 2] ^= 0x01
    if fix_crc:
        crc = zlib.crc32(data[start : start + info.file_size])
        entry = data.index(b"PK\x01\x02")
        name = info.filename.encode()
        while data[entry + 46 : entry + 46 + len(name)] != name:
            entry = data.index(b"PK\x01\x02", entry + 4)
        struct.pack_into("<I", data, entry + 16, crc)
    bundle.write_bytes(bytes(data))
    with zipfile.ZipFile(bundle) as zf:  # still a well-formed zip with the same listing
        assert zf.getinfo(info.filename).file_size == info.file_size
    return info.filename


@pytest.fixture
def exported(case_a: Case, incident_id: uuid.UUID, tmp_path: Path) -> Path:
    bundle = tmp_path / "anna.evbundle"
    export_bundle(case_a, bundle, [incident_id])
    return bundle


def _fingerprint(case_path: Path) -> str:
    """Every table's every row: not the file's bytes, which the case's checkpoint
    thread may rewrite (the same rows) at any moment."""
    conn = sqlite3.connect(case_path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def _backups(home: Path) -> list[Path]:
    folder = home / "backups"
    return sorted(folder.rglob("*")) if folder.exists() else []


def _reason(name: str, fix_crc: bool) -> str:
    if fix_crc:
        return f"the SHA-256 of '{name}' does not match the manifest: the member was altered"
    return f"'{name}' cannot be read \\(Bad CRC-32"


@pytest.mark.parametrize("fix_crc", [False, True], ids=["byte", "byte-and-crc"])
def test_open_and_merge_refuse_a_tampered_original(
    exported: Path, case_b: Case, home: Path, fix_crc: bool
) -> None:
    name = _tamper(exported, fix_crc)
    rows = all_rows(case_b)
    before = _fingerprint(case_b.path)
    with pytest.raises(BadInputError, match=_reason(name, fix_crc)) as caught:
        merge.apply(case_b, open_bundle(exported))
    assert str(exported) in str(caught.value)
    assert all_rows(case_b) == rows
    assert _fingerprint(case_b.path) == before
    assert _backups(home) == []


def test_a_tampered_original_the_case_already_holds_is_refused_too(
    exported: Path, case_b: Case, tmp_path: Path
) -> None:
    """The merge stores nothing of an original it has, but still hashes it: a bundle
    with an altered member is not imported, even partly."""
    merge.apply(case_b, open_bundle(exported))
    tampered = tmp_path / "again.evbundle"
    tampered.write_bytes(exported.read_bytes())
    name = _tamper(tampered, fix_crc=True)
    rows = all_rows(case_b)
    with pytest.raises(BadInputError, match=_reason(name, fix_crc=True)):
        merge.apply(case_b, open_bundle(tampered))
    assert all_rows(case_b) == rows


def test_a_bundle_changed_between_opening_and_merging_is_refused(
    exported: Path, case_b: Case, home: Path
) -> None:
    """The import dialog opens the bundle, shows a review, and merges later. A file
    changed since is refused as such; one changed with its times put back, by the
    SHA-256 of what changed."""
    bundle = open_bundle(exported)
    assert merge.preview(case_b, bundle).changed
    checked = exported.stat()
    name = _tamper(exported, fix_crc=True)
    rows = all_rows(case_b)
    with pytest.raises(BadInputError, match="the file changed after it was checked"):
        merge.apply(case_b, bundle)
    os.utime(exported, ns=(checked.st_atime_ns, checked.st_mtime_ns))
    with pytest.raises(BadInputError, match=_reason(name, fix_crc=True)):
        merge.apply(case_b, bundle)
    assert all_rows(case_b) == rows
    assert _backups(home) == []


def _desk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desk", *map(str, args)], capture_output=True, text=True
    )


@pytest.mark.parametrize("fix_crc", [False, True], ids=["byte", "byte-and-crc"])
def test_the_command_refuses_a_tampered_original(
    exported: Path, tmp_path: Path, home: Path, fix_crc: bool
) -> None:
    name = _tamper(exported, fix_crc)
    received = tmp_path / "bob.evcase"
    Case.create(received, "Bob's case", analyst="Bob").close()
    before = _fingerprint(received)

    verified = _desk("bundle-verify", exported)
    assert verified.returncode == 1
    assert name in verified.stdout
    assert str(exported) in verified.stdout

    imported = _desk("bundle-import", received, exported)
    assert imported.returncode != 0
    assert name in imported.stderr
    assert str(exported) in imported.stderr
    assert _fingerprint(received) == before
    assert _backups(home) == []


def test_the_bundles_checksum_is_that_of_the_file_written(
    case_a: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    """Taken as the file is written (no second read): what any tool computes from it."""
    bundle = tmp_path / "anna.evbundle"
    summary = export_bundle(case_a, bundle, [incident_id])
    on_disk = hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert (summary.sha256, summary.size) == (on_disk, bundle.stat().st_size)
    assert open_bundle(bundle).sha256 == on_disk


@pytest.fixture
def large_bundle(tmp_path: Path) -> tuple[Path, bytes]:
    """A bundle whose photograph is 5 MiB: bundle and original are hashed on a worker
    thread past their first MiB, so this takes the threaded path of both."""
    photo = tmp_path / "square-large.jpg"
    photo.write_bytes((SAMPLES / IMAGE).read_bytes() + random.Random(7).randbytes(5 << 20))
    with Case.create(tmp_path / "large.evcase", "Large", analyst="Anna") as case:
        incident = case.incidents.create(IncidentFields(title="Shelling", place="Hajin"))
        case.sources.import_file(photo, incident.id)
        bundle = tmp_path / "large.evbundle"
        summary = export_bundle(case, bundle)
    assert summary.sha256 == hashlib.sha256(bundle.read_bytes()).hexdigest()
    return bundle, photo.read_bytes()


def test_a_large_original_travels_byte_for_byte(
    large_bundle: tuple[Path, bytes], case_b: Case
) -> None:
    bundle, original = large_bundle
    merge.apply(case_b, open_bundle(bundle))
    with case_b.read() as session:
        assert read_blob(session, hashlib.sha256(original).hexdigest()) == original


def test_a_large_tampered_original_is_refused(
    large_bundle: tuple[Path, bytes], case_b: Case
) -> None:
    bundle, _ = large_bundle
    name = _tamper(bundle, fix_crc=True)
    rows = all_rows(case_b)
    with pytest.raises(BadInputError, match=_reason(name, fix_crc=True)):
        merge.apply(case_b, open_bundle(bundle))
    assert all_rows(case_b) == rows


def test_an_original_altered_in_the_case_is_not_sent(
    case_a: Case, incident_id: uuid.UUID, tmp_path: Path
) -> None:
    """Originals are checked against their names as they are written into a bundle:
    one whose bytes changed in the case file (a bad disk, a hand edit) stops the export
    with the name of the original, and no file is left behind."""
    with case_a.write() as session:
        sha256 = session.scalars(text("SELECT min(sha256) FROM blob")).one()
        session.execute(  # the last byte flipped, the size kept
            text(
                "UPDATE blob SET data = substr(data, 1, length(data) - 1)"
                " || CASE WHEN substr(data, -1) = x'00' THEN x'01' ELSE x'00' END"
                " WHERE sha256 = :sha256"
            ),
            {"sha256": sha256},
        )
    with pytest.raises(DeskError, match=f"original {sha256[:12]}… was altered in this case"):
        export_bundle(case_a, tmp_path / "out.evbundle", [incident_id])
    assert list(tmp_path.glob("*.evbundle*")) == []
    assert list(tmp_path.glob(".out.evbundle*")) == []
