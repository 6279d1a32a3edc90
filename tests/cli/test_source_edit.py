"""`evidence-desk source-edit`, run as the installed program: a text file or PDF gets
its outlet (and with it the outlet's grade), corrections are kept in history, bad input
exits 2 with one sentence and changes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

SAMPLES = SHARED / "samples"
REPORT = "weekly-monitoring-report-2019-w23.pdf"
MONITOR = "Eastern Syria Monitor"


def desk(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVIDENCE_DESK_HOME": str(home), "EVIDENCE_DESK_ANALYST": "Rana"}
    return subprocess.run(
        [sys.executable, "-m", "desk", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def desk_json(home: Path, *args: str | Path) -> Any:
    done = desk(home, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A case with the monitor's article (its outlet graded B) and the weekly PDF report
    (no outlet), built once: imports are slow. The case file and the report's id."""
    folder = tmp_path_factory.mktemp("source-edit")
    home, path = folder / "home", folder / "albukamal.evcase"
    assert desk(home, "new", path).returncode == 0
    files = [SAMPLES / "eastern-syria-monitor-2019-06-09.html", SAMPLES / REPORT]
    imported = desk_json(home, "import", path, *files)
    report = next(i["source"] for i in imported if i["file"].endswith(REPORT))
    assert report["outlet"] is None
    graded = desk(home, "outlet-grade", path, MONITOR, "--reliability", "B", "--reason", "Local")
    assert graded.returncode == 0, graded.stderr
    return path, report["id"]


@pytest.fixture
def case(built: tuple[Path, str], tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the built case for one test: the case, a data folder and the report's id."""
    original, report = built
    path = tmp_path / original.name
    shutil.copyfile(original, path)
    return path, tmp_path / "home", report


def test_a_pdf_gets_its_outlet_and_grade(case: tuple[Path, Path, str]) -> None:
    path, home, report = case

    edited = desk_json(home, "source-edit", path, report, "--outlet", f"  {MONITOR} ")

    assert (edited["id"], edited["outlet"], edited["outlet_reliability"]) == (report, MONITOR, "B")
    listed = {s["id"]: s for s in desk_json(home, "sources", path)}
    assert listed[report]["outlet"] == MONITOR
    history = desk_json(home, "history", path, report)
    assert history[-1]["actor"] == "Rana"
    assert history[-1]["summary"].startswith("Source edited (outlet)")

    text = desk(home, "source-edit", path, report, "--outlet", "")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(report)
    assert MONITOR not in text.stdout
    assert {s["id"]: s for s in desk_json(home, "sources", path)}[report]["outlet"] is None


def test_title_author_and_date_are_corrected(case: tuple[Path, Path, str]) -> None:
    path, home, report = case

    edited = desk_json(
        home,
        "source-edit",
        path,
        report,
        "--title",
        "Weekly monitoring report, week 23",
        "--author",
        "Monitoring desk",
        "--published",
        "2019-06",
    )

    assert edited["title"] == "Weekly monitoring report, week 23"
    assert edited["author"] == "Monitoring desk"
    assert edited["published"] == "2019-06"
    summary = desk_json(home, "history", path, report)[-1]["summary"]
    assert summary.startswith("Source edited (title, author, published_at, published_precision)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Nothing to change in source"),
        (("--published", "2019-W23"), "'2019-W23' is a week"),
        (("--published", "June 2019"), "'June 2019' is not a date"),
        (("--title", " "), "A source needs a title."),
    ],
)
def test_bad_input_exits_2_with_one_sentence_and_changes_nothing(
    case: tuple[Path, Path, str], args: tuple[str, ...], message: str
) -> None:
    path, home, report = case
    before = desk_json(home, "sources", path)

    done = desk(home, "source-edit", path, report, *args)

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"evidence-desk: {message}")
    assert done.stderr.count("\n") == 1
    assert desk_json(home, "history", path, report)[-1]["action"] == "import"
    assert desk_json(home, "sources", path) == before


def test_an_unknown_source_is_named(case: tuple[Path, Path, str]) -> None:
    path, home, _ = case
    missing = "00000000-0000-4000-8000-000000000000"

    unknown = desk(home, "source-edit", path, missing, "--outlet", MONITOR)
    malformed = desk(home, "source-edit", path, "not-an-id", "--outlet", MONITOR)

    assert unknown.returncode == malformed.returncode == 2
    assert unknown.stderr == f"evidence-desk: There is no source {missing} in this case.\n"
    assert malformed.stderr == "evidence-desk: 'not-an-id' is not a valid source id.\n"
