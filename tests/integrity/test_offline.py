"""Offline by construction: every workflow runs with socket creation made to fail.

Each workflow (import of each sample kind, search, claims, brief, bundle round trip,
GUI start) runs in this process under ``refused_network``: creating any socket raises,
and a name lookup or connection attempt is recorded and fails the test. The guard is
itself tested: a socket attempt inside it raises.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from desk.cli import main
from tests.conftest import SHARED

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLES = SHARED / "samples"
REAL = SHARED / "real"
ESM = "eastern-syria-monitor-2019-06-09.html"
ARABIC_NEWS = "deir-ezzor-news-ar-2019-06-08.html"
# The kinds of file the samples hold, by suffix: each must be imported offline.
SAMPLE_KINDS = {".txt", ".html", ".jpg", ".png", ".pdf"}
LOOKUPS = ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "socketpair")


# Sockets a library makes without any traffic: urllib3 (imported by trafilatura through
# courlan, for the HTML importer) binds one to ::1 at import to learn whether the
# machine has IPv6. It is refused like any other, but not counted as a network attempt.
KNOWN_PROBES = {("urllib3", "connection.py", "_has_ipv6")}
# Local sockets that reach no network: the fork server that starts extraction workers
# talks to the desk over a Unix socket. These are made for real.
LOCAL_IPC = {("multiprocessing", "forkserver.py")}


@contextmanager
def refused_network() -> Iterator[list[str]]:
    """Creating a socket fails as in a sandbox with no network; a socket creation (other
    than a known probe), a name lookup or a connection attempt is recorded (and fails
    too). Yields the record."""
    lookups: list[str] = []

    class RefusedSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            caller = sys._getframe(1).f_code
            where = Path(caller.co_filename)
            if (where.parent.name, where.name) in LOCAL_IPC and args[:1] == (socket.AF_UNIX,):
                super().__init__(*args, **kwargs)
                return
            if (where.parent.parent.name, where.name, caller.co_name) not in KNOWN_PROBES:
                lookups.append(f"socket{args!r} from {caller.co_filename}:{caller.co_name}")
            raise OSError("socket creation is disabled in this test")

    def recorded(name: str) -> Any:
        def refuse(*args: object, **kwargs: object) -> None:
            lookups.append(f"{name}{args!r}")
            raise OSError(f"{name} is disabled in this test")

        return refuse

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "socket", RefusedSocket)
        for name in LOOKUPS:
            mp.setattr(socket, name, recorded(name))
        yield lookups


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    with refused_network() as lookups:
        yield lookups
        assert lookups == [], "the application tried to reach the network"


def _run(capsys: pytest.CaptureFixture[str], *args: object, code: int = 0) -> str:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert status == code, err
    return out


def test_the_guard_really_blocks() -> None:
    with refused_network() as lookups:
        with pytest.raises(OSError, match="disabled"):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(OSError, match="disabled"):
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with pytest.raises(OSError, match="disabled"):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        with pytest.raises(OSError, match="disabled"):
            socket.getaddrinfo("example.org", 443)
        with pytest.raises(urllib.error.URLError, match="disabled"):
            urllib.request.urlopen("http://192.0.2.1/", timeout=1)
        assert len(lookups) >= 5
    # and the real socket is back afterwards
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as real:
        assert real.fileno() >= 0


@dataclass(frozen=True)
class OfflineCase:
    path: Path
    incident: str  # its id
    esm: str  # the monitor article's source id
    sources: int


@pytest.fixture(scope="module")
def offline_case(tmp_path_factory: pytest.TempPathFactory) -> OfflineCase:
    """A case made offline: an incident with every sample attached. Each test works on
    its own copy."""
    folder = tmp_path_factory.mktemp("offline")
    case = folder / "offline.evcase"
    with pytest.MonkeyPatch.context() as mp, refused_network() as lookups:
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        mp.setenv("EVIDENCE_DESK_ANALYST", "Offline Analyst")
        _quiet_main("new", case)
        incident = _quiet_main(
            "incident-add",
            case,
            "--title",
            "Clashes",
            "--place",
            "Albukamal",
            "--date",
            "2019-06-07",
        ).strip()
        files = sorted(p for p in SAMPLES.iterdir() if p.suffix != ".md")
        assert {p.suffix for p in files} == SAMPLE_KINDS
        imported = json.loads(_quiet_main("import", case, *files, "--incident", incident, "--json"))
        assert lookups == []
    assert all(item["ok"] for item in imported), imported
    esm = next(i["source"]["id"] for i in imported if i["file"].endswith(ESM))
    return OfflineCase(case, incident, esm, len(imported))


def _quiet_main(*args: object) -> str:
    """``main`` outside a test's capsys (for the module fixture): its standard output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([str(a) for a in args]) == 0
    return out.getvalue()


@pytest.fixture
def case_copy(offline_case: OfflineCase, tmp_path: Path) -> OfflineCase:
    copy = tmp_path / "copy.evcase"
    shutil.copyfile(offline_case.path, copy)
    return OfflineCase(copy, offline_case.incident, offline_case.esm, offline_case.sources)


def test_importing_every_kind_of_file_stays_offline(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "imports.evcase"
    _run(capsys, "new", case)
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix != ".md")
    imported = json.loads(_run(capsys, "import", case, *samples, "--json"))
    assert {Path(i["file"]).suffix for i in imported if i["ok"]} == SAMPLE_KINDS
    # real-world files too (some are refused: a decompression bomb, a truncated JPEG)
    real = sorted(p for p in REAL.iterdir() if p.suffix not in (".md", ".txt"))
    status = main(["import", str(case), *map(str, real), "--json"])
    outcomes = json.loads(capsys.readouterr().out)
    assert status in (0, 2)
    assert len(outcomes) == len(real)
    assert all(o["ok"] or Path(o["file"]).name in o["error"] for o in outcomes)
    assert {".gif", ".html", ".jpg", ".pdf", ".png"} == {p.suffix for p in real}
    _run(capsys, "sources", case, "--json")
    _run(capsys, "verify", case)


def test_search_and_claims_stay_offline(
    no_network: list[str], case_copy: OfflineCase, capsys: pytest.CaptureFixture[str]
) -> None:
    case, incident, esm = case_copy.path, case_copy.incident, case_copy.esm
    hits = json.loads(_run(capsys, "search", case, "Albukamal", "--json"))
    assert hits
    _run(capsys, "suggest", case, esm)
    sources = json.loads(_run(capsys, "sources", case, "--json"))
    other = next(s["id"] for s in sources if s["original_filename"] == ARABIC_NEWS)
    for source, value in ((esm, "5"), (other, "9")):
        _run(
            capsys, "claim-add", case, "--incident", incident, "--source", source,
            "--field", "fatalities", "--value", value,
        )  # fmt: skip
    conflicts = json.loads(_run(capsys, "conflicts", case, "--json"))
    fatalities = next(c for c in conflicts if c["field"] == "fatalities")
    _run(
        capsys, "resolve", case, fatalities["id"], "--value", "5-9",
        "--rationale", "Both outlets are close to the events.", "--confidence", "low",
    )  # fmt: skip
    _run(capsys, "claims", case, "--incident", incident)
    _run(capsys, "note", case, "Ask the field team.", "--incident", incident)
    _run(capsys, "history", case, incident)
    _run(capsys, "verify", case)


def test_a_brief_is_made_offline(
    no_network: list[str],
    case_copy: OfflineCase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case, incident = case_copy.path, case_copy.incident
    pdf = tmp_path / "brief.pdf"
    _run(capsys, "brief", case, "-o", pdf, "--incident", incident, "--handling", "RESTRICTED")
    assert len(PdfReader(pdf).pages) >= 1


def test_a_bundle_round_trip_is_made_offline(
    no_network: list[str],
    case_copy: OfflineCase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = case_copy.path
    bundle = tmp_path / "out.evbundle"
    _run(capsys, "keys", "--generate")
    _run(capsys, "bundle-export", case, "-o", bundle, "--sign")
    _run(capsys, "bundle-verify", bundle)
    second = tmp_path / "second.evcase"
    _run(capsys, "new", second)
    plan = json.loads(_run(capsys, "bundle-import", second, bundle, "--json"))["plan"]
    assert plan["applied"]
    assert plan["counts"]["source"]["added"] == case_copy.sources
    _run(capsys, "verify", second)
    # and back: nothing new, still offline
    back = tmp_path / "back.evbundle"
    _run(capsys, "bundle-export", second, "-o", back)
    _run(capsys, "bundle-import", case, back)
    _run(capsys, "verify", case)


def test_the_demo_case_is_built_offline(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "demo", tmp_path / "demo.evcase")
    _run(capsys, "verify", tmp_path / "demo.evcase")


@pytest.fixture
def restored_application_font(qapp: QApplication) -> Iterator[None]:
    """``run`` sets the application's font; later tests get the one they had."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)
    QFontDatabase.removeAllApplicationFonts()


@pytest.mark.usefixtures("restored_application_font")
def test_the_desk_starts_offline_on_the_demo_case(
    qapp: QApplication, no_network: list[str], tmp_path: Path
) -> None:
    from ui import app
    from ui.main_window import MainWindow

    shown: list[str] = []

    def close_when_shown() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and widget.case:
                QApplication.processEvents()
                shown.append(widget.windowTitle())
                widget.close()

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(close_when_shown)
    poll.start()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(QApplication.quit)
    deadline.start(20_000)
    try:
        assert app.run(None, analyst="Offline Analyst") == 0
    finally:
        poll.stop()
        deadline.stop()
    assert (tmp_path / "home" / "demo.evcase").is_file()  # EVIDENCE_DESK_HOME (conftest)
    assert len(shown) == 1
    assert shown[0].endswith("— demo.evcase")
