"""Reading bundles: every check happens here, before anything is written.

A bundle is hostile until proven otherwise. ``open_bundle`` refuses the whole file on
any doubt: its zip structure is scanned first (names, symlinks, encryption, sizes,
expansion ratios, duplicates), the manifest is parsed strictly and checked against
the schema, the signature is checked, then records and history are streamed with a
byte counter and hashed, every record line checked, and every reference resolved.
Members are never extracted: they are read as streams, and every read checks size and
SHA-256 against the manifest. Reading them again for the merge repeats the same
checks (the file may have changed since).

Originals are checked by size when the bundle is opened and by SHA-256 when they are
read: the merge hashes each one as it writes it into the case (and refuses the whole
bundle, inside its transaction, if one was altered), so a 1 GB bundle is hashed once
for the merge instead of once more when opened. ``verify_originals`` hashes them
without a merge (``bundle-verify``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import struct
import threading
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from desk import __version__, history
from desk.bundles import records, schema, signing
from desk.bundles.digest import BackgroundDigest
from desk.bundles.records import Malformed
from desk.bundles.schema import LIMITS, Limits
from desk.errors import BadInputError, DeskError

CHUNK = 1 << 20
# The whole file is hashed in larger pieces: each piece waits for the GIL twice, and
# the checks hold it.
_FILE_CHUNK = 16 << 20
Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

# The fields desk.history hashes, in the form it hashes them.
HISTORY_CONTENT = (
    "at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "summary",
    "before",
    "after",
)
_DRIVE = re.compile(r"^[A-Za-z]:")
_MEMBER = re.compile(schema.MEMBER_PATTERN)
# Errors the zip and zlib modules raise on damaged or hostile archives.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
    UnicodeDecodeError,
)


class BundleCancelled(DeskError):
    """The analyst cancelled; nothing was written."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    app_version: str
    created_at: datetime
    created_by: str
    case_id: uuid.UUID
    case_title: str
    scope: str
    history_head: str | None
    counts: dict[str, int]
    members: dict[str, Member]

    def to_json(self) -> dict[str, Any]:
        return {
            "app_version": self.app_version,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "case": {"id": str(self.case_id), "title": self.case_title},
            "scope": self.scope,
            "history_head": self.history_head,
            "counts": self.counts,
            "members": len(self.members),
        }


@dataclass(frozen=True)
class BundleRecord:
    """One checked line of records.jsonl."""

    type: str
    id: str
    revision: int
    base: dict[str, Any] | None
    data: dict[str, Any]
    line: int

    @property
    def kind(self) -> records.RecordType:
        return records.BY_NAME[self.type]


class _Refuse(Exception):
    """A reason to refuse the bundle; open_bundle adds the file name."""


# -- strict JSON -------------------------------------------------------------------


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refuse(f"the key '{key[:40]}' appears twice in one object")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Refuse(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refuse(f"the number {text[:40]} is too large")
    return value


def _may_nest_deeper(raw: bytes, limit: int) -> bool:
    """False when ``raw`` cannot nest more than ``limit`` levels: it does not open that
    many objects and lists (brackets inside strings only overcount). Most lines of a
    bundle open a few; counting is far cheaper than walking them."""
    return raw.count(b"{") + raw.count(b"[") > limit


def _depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests (iterative: no recursion on hostile input)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(raw: bytes, what: str, limits: Limits = LIMITS) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN or Infinity, bounded nesting."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refuse(f"{what} is not UTF-8 text") from exc
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_no_constant, parse_float=_finite
        )
    except RecursionError as exc:
        raise _Refuse(f"{what} is nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise _Refuse(f"{what} is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    except ValueError as exc:  # integers too long to convert
        raise _Refuse(f"{what} is not acceptable JSON ({str(exc)[:80]})") from exc
    if (
        _may_nest_deeper(raw, limits.max_depth)
        and _depth(value, limits.max_depth) > limits.max_depth
    ):
        raise _Refuse(f"{what} is nested too deeply (more than {limits.max_depth} levels)")
    return value


# -- the zip structure ---------------------------------------------------------------


def _check_directory(fh: IO[bytes], size: int, limits: Limits) -> None:
    """Read the end-of-central-directory record ourselves, so that a hostile entry
    count or directory size is refused before zipfile loads the directory."""
    tail_size = min(size, 22 + 65_535)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _Refuse("it is not a zip archive, or it is truncated")
    entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        locator = tail[at - 20 : at] if at >= 20 else b""
        if locator[:4] != b"PK\x06\x07":
            raise _Refuse("its zip64 directory is damaged")
        (offset,) = struct.unpack("<Q", locator[8:16])
        if offset + 56 > size:
            raise _Refuse("its zip64 directory is damaged")
        fh.seek(offset)
        record = fh.read(56)
        if record[:4] != b"PK\x06\x06":
            raise _Refuse("its zip64 directory is damaged")
        entries, directory_size = struct.unpack("<QQ", record[32:48])
    if entries > limits.max_members:
        raise _Refuse(f"it holds {entries:,} members; the limit is {limits.max_members:,}")
    if directory_size > limits.max_members * 1024:
        raise _Refuse("its zip directory is implausibly large")


def _name_problem(raw_name: str) -> str | None:
    """Why a member name cannot be one of ours (before any other check)."""
    shown = raw_name.encode("unicode_escape").decode("ascii")[:120]
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in raw_name):
        return f"the member name '{shown}' contains control characters"
    if "\\" in raw_name:
        return f"the member name '{shown}' contains a backslash"
    if raw_name.startswith("/"):
        return f"the member name '{shown}' is an absolute path"
    if _DRIVE.match(raw_name):
        return f"the member name '{shown}' starts with a drive letter"
    if ".." in raw_name.split("/"):
        return f"the member name '{shown}' climbs out of its folder ('..')"
    return None


def _scan(zf: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """Check every member's header; returns the members by name."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise _Refuse(f"it holds {len(infos):,} members; the limit is {limits.max_members:,}")
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        raw_name = info.orig_filename
        if problem := _name_problem(raw_name):
            raise _Refuse(problem)
        name = info.filename
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _Refuse(f"the member '{name}' is a symbolic link")
        if info.flag_bits & 0x1:
            raise _Refuse(f"the member '{name}' is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refuse(f"the member '{name}' uses an unsupported compression method")
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in seen:
            raise _Refuse(f"the member name '{name}' appears twice (as '{seen[folded]}')")
        seen[folded] = name
        if name not in (schema.MANIFEST, schema.SIGNATURE) and not _MEMBER.match(name):
            raise _Refuse(f"the member '{name[:120]}' is not part of the bundle format")
        cap = (
            limits.max_manifest_bytes
            if name == schema.MANIFEST
            else limits.max_original_bytes
            if name.startswith(schema.BLOB_PREFIX)
            else limits.max_member_bytes
        )
        if info.file_size > cap:
            raise _Refuse(f"the member '{name}' is {info.file_size:,} bytes; the limit is {cap:,}")
        if info.file_size > limits.ratio_applies_above and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            raise _Refuse(
                f"the member '{name}' would expand more than {limits.max_ratio} times (a zip bomb)"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _Refuse(
                f"its members add up to more than {limits.max_total_bytes:,} bytes "
                "uncompressed (a zip bomb)"
            )
    return {info.filename: info for info in infos}


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    try:
        with zf.open(info) as stream:
            data = stream.read(cap + 1)
    except _ZIP_ERRORS as exc:
        raise _Refuse(f"the member '{info.filename}' cannot be read ({exc})") from exc
    if len(data) > cap:
        raise _Refuse(f"the member '{info.filename}' is larger than {cap:,} bytes")
    return data


def _manifest(raw: bytes, limits: Limits) -> Manifest:
    value = parse_json(raw, "manifest.json", limits)
    if not isinstance(value, dict):
        raise _Refuse("manifest.json is not a JSON object")
    if value.get("format") != schema.FORMAT_NAME:
        raise _Refuse("manifest.json does not name the Evidence Desk bundle format")
    version = value.get("format_version")
    if (
        isinstance(version, int)
        and not isinstance(version, bool)
        and version > schema.FORMAT_VERSION
    ):
        raise _Refuse(
            f"it uses bundle format version {version}; this Evidence Desk "
            f"({__version__}) reads format version {schema.FORMAT_VERSION} only. "
            f"Update Evidence Desk to a version that reads bundle format {version}"
        )
    if problem := schema.first_problem("manifest", value):
        raise _Refuse(f"manifest.json is not valid: {problem}")
    members: dict[str, Member] = {}
    for entry in value["members"]:
        if entry["name"] in members:
            raise _Refuse(f"manifest.json lists '{entry['name']}' twice")
        if entry["name"].startswith(schema.BLOB_PREFIX) and (
            entry["name"].removeprefix(schema.BLOB_PREFIX) != entry["sha256"]
        ):
            raise _Refuse(f"manifest.json gives '{entry['name']}' another file's SHA-256")
        members[entry["name"]] = Member(entry["name"], entry["size"], entry["sha256"])
    for required in (schema.RECORDS, schema.HISTORY):
        if required not in members:
            raise _Refuse(f"manifest.json does not list {required}")
    try:
        created_at = records.parse_datetime(value["created_at"])
    except Malformed as exc:
        raise _Refuse(f"manifest.json: created_at: {exc}") from exc
    return Manifest(
        app_version=value["app_version"],
        created_at=created_at,
        created_by=value["created_by"],
        case_id=uuid.UUID(value["case"]["id"]),
        case_title=value["case"]["title"],
        scope=value["scope"],
        history_head=value["history_head"],
        counts=dict(value["counts"]),
        members=members,
    )


def _match_members(infos: dict[str, zipfile.ZipInfo], manifest: Manifest) -> None:
    for name, info in infos.items():
        if name in (schema.MANIFEST, schema.SIGNATURE):
            continue
        member = manifest.members.get(name)
        if member is None:
            raise _Refuse(f"it holds '{name}', which the manifest does not list")
        if info.file_size != member.size:
            raise _Refuse(
                f"the size of '{name}' ({info.file_size:,} bytes) differs from the "
                f"manifest's ({member.size:,} bytes)"
            )
    for name in manifest.members:
        if name not in infos:
            raise _Refuse(f"the manifest lists '{name}', which the bundle does not hold")


# -- reading members ---------------------------------------------------------------


class BundleReader:
    """An open, structurally checked bundle; every read checks sizes and hashes."""

    def __init__(self, bundle: ValidatedBundle, zf: zipfile.ZipFile) -> None:
        self._bundle = bundle
        self._zf = zf

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes; refuses as soon as they exceed the manifest's size, and
        at the end unless size and SHA-256 match it."""
        member = self._bundle.manifest.members[name]
        # Hashed on another core while the caller parses or stores the chunk.
        digest = BackgroundDigest()
        try:
            with self._zf.open(name) as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    if digest.size > member.size:
                        raise self._bundle.refused(
                            f"'{name}' holds more bytes than the manifest says"
                        )
                    yield chunk
            sha256 = digest.hexdigest()
        except _ZIP_ERRORS as exc:
            raise self._bundle.refused(f"'{name}' cannot be read ({exc})") from exc
        finally:
            digest.close()
        if digest.size != member.size:
            raise self._bundle.refused(
                f"'{name}' holds {digest.size:,} bytes; the manifest says {member.size:,}"
            )
        if sha256 != member.sha256:
            raise self._bundle.refused(
                f"the SHA-256 of '{name}' does not match the manifest: the member was altered"
            )

    def _lines(self, name: str) -> Iterator[tuple[int, Any]]:
        """(line number, parsed JSON) for every line of a JSON Lines member."""
        limit = self._bundle.limits.max_line_bytes
        pending = bytearray()
        number = 0
        for chunk in self.chunks(name):
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                pending += chunk[start:end]
                number += 1
                if len(pending) > limit:
                    raise self._bundle.refused(f"{name} line {number} is over {limit:,} bytes")
                yield number, self._parse_line(name, number, bytes(pending))
                pending.clear()
                start = end + 1
            pending += chunk[start:]
            if len(pending) > limit:
                raise self._bundle.refused(f"{name} line {number + 1} is over {limit:,} bytes")
        if pending:
            number += 1
            yield number, self._parse_line(name, number, bytes(pending))

    def _parse_line(self, name: str, number: int, raw: bytes) -> Any:
        if not raw.strip():
            raise self._bundle.refused(f"{name} line {number} is empty")
        try:
            return parse_json(raw, f"{name} line {number}", self._bundle.limits)
        except _Refuse as exc:
            raise self._bundle.refused(str(exc)) from exc

    def records(self, check: bool = True) -> Iterator[BundleRecord]:
        """Every record line, checked against the schema and for meaning.

        ``check=False`` is for a second pass over a bundle ``open_bundle`` checked: the
        file is as it was then (``ValidatedBundle.open``), and the member's SHA-256 is
        compared with the manifest at its end, so a pass that completes read the very
        bytes checked (one that does not raises, and its transaction is rolled back)."""
        for number, value in self._lines(schema.RECORDS):
            where = f"records.jsonl line {number}"
            if check and (problem := schema.first_problem("record", value)):
                raise self._bundle.refused(f"{where} is not a valid record: {problem}")
            record = BundleRecord(
                type=value["type"],
                id=value["id"],
                revision=value["revision"],
                base=value["base"],
                data=value["data"],
                line=number,
            )
            if not check:
                yield record
                continue
            try:
                records.validate(record.kind, record.data)
                if record.base is not None:
                    records.validate(record.kind, record.base, base=True)
            except Malformed as exc:
                raise self._bundle.refused(f"{where} ({record.type}): {exc}") from exc
            yield record

    def history(self, check: bool = True) -> Iterator[dict[str, Any]]:
        """Every history line, its own hash checked (``check``: as for ``records``)."""
        for number, value in self._lines(schema.HISTORY):
            if not check:
                yield value
                continue
            where = f"history.jsonl line {number}"
            if problem := schema.first_problem("history_entry", value):
                raise self._bundle.refused(f"{where} is not a valid history entry: {problem}")
            content = {k: value[k] for k in HISTORY_CONTENT}
            if history.entry_hash(value["prev_hash"], content) != value["hash"]:
                raise self._bundle.refused(
                    f"{where}: the entry's hash does not match its content (it was altered)"
                )
            yield value

    def blob(self, sha256: str) -> Iterator[bytes]:
        return self.chunks(schema.BLOB_PREFIX + sha256)


# -- the validated bundle ---------------------------------------------------------------


@dataclass(frozen=True)
class ValidatedBundle:
    """A bundle that passed every check: its manifest, signature and identity."""

    path: Path
    sha256: str
    size: int
    manifest: Manifest
    signature: signing.SignatureInfo
    # The file as it was checked (device, inode, size, modification time).
    identity: tuple[int, int, int, int]
    limits: Limits = field(default=LIMITS)

    @property
    def short_id(self) -> str:
        return self.sha256[:12]

    def refused(self, reason: str) -> BadInputError:
        return BadInputError(f"{self.path}: the bundle was refused: {reason}.")

    @contextmanager
    def open(self) -> Iterator[BundleReader]:
        """Open the file again (structure and manifest re-checked: it may have changed)."""
        try:
            fh = self.path.open("rb")
        except OSError as exc:
            raise self.refused(f"the file cannot be read ({exc.strerror})") from exc
        with fh:
            if _identity(os.fstat(fh.fileno())) != self.identity:
                raise self.refused("the file changed after it was checked; open it again")
            try:
                zf, infos = _open_zip(fh, self.limits)
                raw = _read_small(zf, infos[schema.MANIFEST], self.limits.max_manifest_bytes)
                if _manifest(raw, self.limits) != self.manifest:
                    raise _Refuse("the file changed while it was being read")
                _match_members(infos, self.manifest)
            except _Refuse as exc:
                raise self.refused(str(exc)) from exc
            with zf:
                yield BundleReader(self, zf)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "size": self.size,
            "manifest": self.manifest.to_json(),
            "signature": self.signature.to_json(),
        }


class _FileDigest(threading.Thread):
    """The SHA-256 of the whole file (the bundle's identity), read and hashed on a
    worker while the records are checked on the calling thread."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="bundle-file-sha256", daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.done = 0
        self.sha256 = ""
        self.error: OSError | None = None

    def run(self) -> None:
        digest = hashlib.sha256()
        try:
            with self.path.open("rb") as fh:
                while not self.stop.is_set() and (chunk := fh.read(_FILE_CHUNK)):
                    digest.update(chunk)
                    self.done += len(chunk)
        except OSError as exc:
            self.error = exc
            return
        self.sha256 = digest.hexdigest()

    def result(self, step: Callable[[str], None]) -> tuple[str, int]:
        """(SHA-256, size) once read, calling ``step`` (cancel, progress) meanwhile."""
        while self.is_alive():
            step("checksum")
            self.join(0.1)
        if self.error is not None:
            raise self.error
        return self.sha256, self.done


def _open_zip(fh: IO[bytes], limits: Limits) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The zip with its structure checked, and its members by name."""
    try:
        size = fh.seek(0, 2)
        _check_directory(fh, size, limits)
        fh.seek(0)
        zf = zipfile.ZipFile(fh)
    except _ZIP_ERRORS as exc:
        raise _Refuse(f"it is not a readable zip archive ({exc})") from exc
    try:
        infos = _scan(zf, limits)
        if schema.MANIFEST not in infos:
            raise _Refuse("it has no manifest.json")
    except BaseException:
        zf.close()
        raise
    return zf, infos


def _structure(path: Path, limits: Limits) -> tuple[Manifest, signing.SignatureInfo]:
    """The zip's structure, the manifest and the signature (no member read yet)."""
    with path.open("rb") as fh:
        zf, infos = _open_zip(fh, limits)
        with zf:
            raw = _read_small(zf, infos[schema.MANIFEST], limits.max_manifest_bytes)
            manifest = _manifest(raw, limits)
            _match_members(infos, manifest)
            if schema.SIGNATURE not in infos:
                return manifest, signing.SignatureInfo(signed=False)
            sig_raw = _read_small(zf, infos[schema.SIGNATURE], limits.max_signature_bytes)
    sig = parse_json(sig_raw, "manifest.sig", limits)
    if problem := schema.first_problem("signature", sig):
        raise _Refuse(f"manifest.sig is not valid: {problem}")
    try:
        return manifest, signing.check(raw, sig)
    except ValueError as exc:
        raise _Refuse(str(exc)) from exc


def open_bundle(
    path: Path | str,
    limits: Limits = LIMITS,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ValidatedBundle:
    """Check a bundle completely; a BadInputError names the file and the reason."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"{path}: no such bundle file.")
    try:
        identity = _identity(path.stat())
        manifest, signature = _structure(path, limits)
    except _Refuse as exc:
        raise BadInputError(f"{path}: the bundle was refused: {exc}.") from exc
    except OSError as exc:
        raise BadInputError(f"{path}: the bundle cannot be read ({exc.strerror}).") from exc
    # The checks read the file through a bundle; its identity is filled in once hashed.
    bundle = ValidatedBundle(path, "", 0, manifest, signature, identity, limits)
    file_digest = _FileDigest(path)
    file_digest.start()
    try:
        step = _stepper(3, progress, cancelled, "Checking the bundle")
        _check_contents(bundle, step)
        sha256, size = file_digest.result(step)
    except OSError as exc:
        raise BadInputError(f"{path}: the bundle cannot be read ({exc.strerror}).") from exc
    finally:
        file_digest.stop.set()
        file_digest.join()
    if progress is not None:
        progress(3, 3, "")
    return replace(bundle, sha256=sha256, size=size)


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _stepper(
    total: int, progress: Progress | None, cancelled: Cancelled | None, doing: str
) -> Callable[[str], None]:
    """A step of ``total``: checks for a cancel and reports progress (a label repeated
    while one step lasts does not count again)."""
    done = 0
    last = ""

    def step(label: str) -> None:
        nonlocal done, last
        if cancelled is not None and cancelled():
            raise BundleCancelled(f"{doing} was cancelled; nothing was imported.")
        if label != last:
            last = label
            if progress is not None:
                progress(min(done, total), total, label)
            done += 1

    return step


def verify_originals(
    bundle: ValidatedBundle, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> None:
    """Hash every original against the manifest without merging (``bundle-verify``);
    ``open_bundle`` checks only their sizes, the merge hashes them as it stores them."""
    names = sorted(n for n in bundle.manifest.members if n.startswith(schema.BLOB_PREFIX))
    step = _stepper(len(names), progress, cancelled, "Checking the originals")
    with bundle.open() as reader:
        for name in names:
            step(name)
            for _ in reader.chunks(name):
                step(name)
    if progress is not None:
        progress(len(names), len(names), "")


def _check_contents(bundle: ValidatedBundle, step: Callable[[str], None]) -> None:
    """Stream records and history once: their hashes, every line, every reference
    (originals are only listed: the merge hashes them as it stores them)."""
    manifest = bundle.manifest
    ids: dict[str, set[str]] = {kind.name: set() for kind in records.TYPES}
    needed: list[tuple[int, str, str, str, str]] = []  # line, type, where, ref type, id
    counts = dict.fromkeys(ids, 0)
    with bundle.open() as reader:
        step("records")
        for record in reader.records():
            if record.id in ids[record.type]:
                raise bundle.refused(
                    f"records.jsonl line {record.line}: {record.type} {record.id} appears twice"
                )
            ids[record.type].add(record.id)
            counts[record.type] += 1
            if record.line % 1000 == 0:
                step("records")  # a cancel is noticed within a large records.jsonl
            for where, ref_type, ref_id in records.references(record.kind, record.data):
                if ref_type == "incident" and ref_id == record.id:
                    raise bundle.refused(
                        f"records.jsonl line {record.line}: incident {record.id} links to itself"
                    )
                needed.append((record.line, record.type, where, ref_type, ref_id))
        if counts != manifest.counts:
            raise bundle.refused("the record counts in manifest.json do not match records.jsonl")
        for line, owner, where, ref_type, ref_id in needed:
            if ref_type == "blob":
                if schema.BLOB_PREFIX + ref_id not in manifest.members:
                    raise bundle.refused(
                        f"records.jsonl line {line}: the {owner} needs the original "
                        f"{ref_id[:12]}…, which the bundle does not hold"
                    )
            elif ref_id not in ids[ref_type]:
                raise bundle.refused(
                    f"records.jsonl line {line}: the {owner}'s {where} names {ref_type} "
                    f"{ref_id}, which the bundle does not hold"
                )
        step("history")
        for _ in reader.history():
            pass
