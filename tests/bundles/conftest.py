"""Cases for the bundle tests: the Al Bukamal incident built through the services from
the shared samples (once per session, copied for each test), and helpers to take
bundles apart and put them back together."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import (
    Acquisition,
    Actor,
    ActorAlias,
    Blob,
    Claim,
    ConflictResolution,
    Incident,
    IncidentActor,
    IncidentLink,
    IncidentSource,
    Note,
    Outlet,
    Place,
    PlaceAlias,
    Source,
    Tag,
    incident_tag,
)
from desk.case import Case
from desk.services.incidents import IncidentFields
from tests.claims.test_albukamal import ARABIC, BLOG, CLAIMS, ESM, NOTE, REPORT
from tests.conftest import SHARED

SAMPLES = SHARED / "samples"
IMAGE = "albukamal-square-2019-06-08.jpg"
TITLE = "Clashes in Albukamal"

DOMAIN_TABLES: tuple[Any, ...] = (
    Outlet,
    Place,
    PlaceAlias,
    Actor,
    ActorAlias,
    Source,
    Acquisition,
    Blob,
    Incident,
    IncidentActor,
    IncidentSource,
    IncidentLink,
    Tag,
    Claim,
    ConflictResolution,
    Note,
)


def row_counts(case: Case) -> dict[str, int]:
    """Rows of every domain table, and of incident_tag."""
    with case.read() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in DOMAIN_TABLES
        }
        counts["incident_tag"] = session.scalar(select(func.count()).select_from(incident_tag)) or 0
    return counts


def all_rows(case: Case) -> dict[str, int]:
    """Rows of every table of the case, bundle bookkeeping and history included."""
    with case.read() as session:
        names = [
            row[0]
            for row in session.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_%'"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: session.connection().exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()
            or 0
            for name in names
        }


def build_albukamal(path: Path, analyst: str) -> uuid.UUID:
    """The Al Bukamal incident with its sources, claims and a note, as test_albukamal does."""
    with Case.create(path, "Al Bukamal, June 2019", analyst=analyst) as case:
        case.gazetteer.define_place("Albukamal", ["Al Bukamal", "Abu Kamal", "البوكمال"])
        case.gazetteer.define_place("Feehe", ["al-Fayha", "حي الفيحاء", "Fayha"])
        incident = case.incidents.create(
            IncidentFields(
                title=TITLE,
                summary="Armed clashes after a flag was pulled down.",
                start=date(2019, 6, 7),
                place="Abu Kamal",
                tags=("flag incident",),
                actors=(("National Defence Forces", "actor2"),),
            )
        )
        names = [BLOG, ESM, ARABIC, NOTE, REPORT, IMAGE]
        outcomes = case.sources.import_files([SAMPLES / n for n in names], incident.id)
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        sources = {o.path.name: o.source.id for o in outcomes if o.source}
        for source, field, value, quote, question in CLAIMS[:12]:
            case.claims.add(
                incident.id, sources[source], field, value, quote=quote, question=question
            )
        fatalities = next(c for c in case.claims.conflicts(incident.id) if c.field == "fatalities")
        case.claims.resolve(
            fatalities.id, value="3-5", rationale="Between the outlets.", confidence="moderate"
        )
        case.notes.add("Ask the field team about the flag.", incident_id=incident.id)
        return incident.id


@pytest.fixture
def home(_user_home: Path) -> Path:
    """The per-user data folder of this test (keys, backups)."""
    return _user_home


@pytest.fixture(scope="session")
def albukamal_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uuid.UUID]:
    folder = tmp_path_factory.mktemp("albukamal")
    path = folder / "a.evcase"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        incident_id = build_albukamal(path, "Anna")
    return path, incident_id


@pytest.fixture
def case_a(albukamal_file: tuple[Path, uuid.UUID], tmp_path: Path) -> Iterator[Case]:
    """Analyst A's case: a private copy of the Al Bukamal case."""
    copy = tmp_path / "a.evcase"
    shutil.copyfile(albukamal_file[0], copy)
    with Case.open(copy, analyst="Anna") as case:
        yield case


@pytest.fixture
def incident_id(albukamal_file: tuple[Path, uuid.UUID]) -> uuid.UUID:
    return albukamal_file[1]


@pytest.fixture
def case_b(tmp_path: Path) -> Iterator[Case]:
    """Analyst B's case, empty."""
    with Case.create(tmp_path / "b.evcase", "Bob's case", analyst="Bob") as case:
        yield case


@pytest.fixture(scope="session")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid bundle of one incident, one text source and one claim (for hostile tests)."""
    from desk.bundles.writer import export_bundle

    folder = tmp_path_factory.mktemp("small")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        with Case.create(folder / "small.evcase", "Small", analyst="Anna") as case:
            incident = case.incidents.create(IncidentFields(title="Shelling", place="Hajin"))
            source, _ = case.sources.import_file(SAMPLES / NOTE, incident.id)
            case.claims.add(incident.id, source.id, "fatalities", "2")
            export_bundle(case, folder / "small.evbundle")
    return folder / "small.evbundle"


# -- taking bundles apart -----------------------------------------------------------


def members_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def manifest_of(members: dict[str, bytes]) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(members["manifest.json"])
    return value


def with_manifest(
    members: dict[str, bytes], change: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, bytes]:
    """The members with a manifest that lists them truly (then ``change``d)."""
    manifest = manifest_of(members)
    manifest["members"] = [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(members.items())
        if name not in ("manifest.json", "manifest.sig")
    ]
    if change is not None:
        change(manifest)
    result = {k: v for k, v in members.items() if k != "manifest.sig"}
    result["manifest.json"] = json.dumps(manifest, indent=2).encode("utf-8")
    return result


def write_zip(
    target: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(target, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def records_of(members: dict[str, bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in members["records.jsonl"].splitlines()]


def with_records(members: dict[str, bytes], lines: list[dict[str, Any]]) -> dict[str, bytes]:
    changed = dict(members)
    changed["records.jsonl"] = b"".join(
        json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n" for line in lines
    )
    return changed
