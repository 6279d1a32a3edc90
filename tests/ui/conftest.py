"""Real cases for the GUI tests, built through the services from the shared samples."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from db.models import Incident
from desk.case import Case
from desk.services.incidents import IncidentFields
from tests.claims.test_albukamal import CLAIMS
from tests.conftest import SHARED

SAMPLES = SHARED / "samples"
SAMPLE_FILES = (
    "al-bukamal-irancommentary-2019-06-08.txt",
    "albukamal-square-2019-06-08.jpg",
    "deir-ezzor-news-ar-2019-06-08.html",
    "eastern-syria-monitor-2019-06-09.html",
    "field-note-2019-06-10.txt",
    "map-sketch-no-metadata.png",
    "weekly-monitoring-report-2019-w23.pdf",
)
# Headless Qt's default screen is 800 x 800, smaller than the laptops the desk is
# laid out for; give it a common laptop's (read when the QApplication starts).
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    screen = Path(__file__).with_name("offscreen-screen.json")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"

INCIDENT_TITLE = "Clashes between IRGC proxies and the NDF in Albukamal"
BIG_CASE_INCIDENTS = 1000


@pytest.fixture
def desk_home(_user_home: Path) -> Path:
    """The desk's data folder for this test (tests/conftest.py points it at tmp_path)."""
    return _user_home


@pytest.fixture(scope="session")
def sample_case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One incident with the seven sample files attached (built once: imports are slow)."""
    missing = [name for name in SAMPLE_FILES if not (SAMPLES / name).is_file()]
    assert not missing, f"sample files missing from {SAMPLES}: {', '.join(missing)}"
    folder = tmp_path_factory.mktemp("sample-case")
    path = folder / "albukamal.evcase"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        with Case.create(path, "Al Bukamal, June 2019", analyst="Test Analyst") as case:
            case.gazetteer.define_place(
                "Albukamal",
                ["Al Bukamal", "Abu Kamal", "البوكمال"],
                admin1="Deir ez-Zor",
                country="Syria",
            )
            incident = case.incidents.create(
                IncidentFields(
                    title=INCIDENT_TITLE,
                    summary="Armed clashes after a flag was pulled down in the main square.",
                    start=date(2019, 6, 7),
                    place="Al Bukamal",
                    latitude=34.4536,
                    longitude=40.9367,
                    event_type="Battles",
                    sub_event_type="Armed clash",
                    status="under review",
                    tags=("flag incident",),
                    actors=(("Kata'ib Hezbollah", "actor1"), ("National Defence Forces", "actor2")),
                )
            )
            outcomes = case.sources.import_files(
                [SAMPLES / name for name in SAMPLE_FILES], incident.id
            )
            assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return path


@pytest.fixture
def sample_case(sample_case_file: Path) -> Iterator[Case]:
    with Case.open(sample_case_file) as case:
        yield case


@pytest.fixture(scope="session")
def big_case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 incidents whose title order is the reverse of their date order.

    Written in one transaction straight to the tables (no history): the tests read
    the list, and a thousand service calls would be slow.
    """
    path = tmp_path_factory.mktemp("big-case") / "big.evcase"
    first = date(2020, 1, 1)
    case = Case.create(path, "A thousand incidents", analyst="Test Analyst")
    with case, case.write() as session:
        session.add_all(
            Incident(
                title=f"Incident {BIG_CASE_INCIDENTS - 1 - n:04d}",
                summary="",
                start_date=first + timedelta(days=n),
                start_precision="day",
                status="draft",
                created_by="Test Analyst",
            )
            for n in range(BIG_CASE_INCIDENTS)
        )
    return path


@pytest.fixture
def big_case(big_case_file: Path) -> Iterator[Case]:
    with Case.open(big_case_file) as case:
        yield case


@pytest.fixture
def editable_big_case(big_case_file: Path, tmp_path: Path) -> Iterator[Case]:
    """A private copy of the thousand-incident case, for tests that change it."""
    copy = tmp_path / "editable-big.evcase"
    copy.write_bytes(big_case_file.read_bytes())
    with Case.open(copy, analyst="Test Analyst") as case:
        yield case


@pytest.fixture
def editable_case(sample_case_file: Path, tmp_path: Path) -> Iterator[Case]:
    """A private copy of the sample case, for tests that change it."""
    copy = tmp_path / "editable.evcase"
    copy.write_bytes(sample_case_file.read_bytes())
    with Case.open(copy, analyst="Test Analyst") as case:
        yield case


@pytest.fixture
def held() -> list[QWidget]:
    """Dialogs stay referenced after the test body: a parent widget collected while its
    Operation's deleteLater is pending crashes PySide (as it would in the desk)."""
    widgets: list[QWidget] = []
    return widgets


Albukamal = tuple[Case, uuid.UUID]


@pytest.fixture
def albukamal(editable_case: Case) -> Albukamal:
    """The sample incident with the claims its files make (tests/claims/test_albukamal)."""
    case = editable_case
    incident_id = next(r.id for r in case.incidents.rows() if r.title == INCIDENT_TITLE)
    sources = {s.original_filename: s.id for s in case.sources.list()}
    for source, field, value, quote, question in CLAIMS:
        case.claims.add(incident_id, sources[source], field, value, quote=quote, question=question)
    return case, incident_id
