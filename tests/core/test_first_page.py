"""The first lines of the list, read with sqlite3 before the desk has loaded its case layer."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from desk.case import Case
from desk.first_page import read_first_page
from tests.core.test_incident_list_order import _make, _sources


def test_the_first_page_is_the_lists_first_page(case: Case) -> None:
    _make(case)  # undated incidents, ties, places in two scripts and none
    first_incident = case.incidents.rows(limit=1)[0].id
    case.incidents.attach(first_incident, _sources(case, 2))  # type: ignore[arg-type]
    path = case.path

    for limit in (1, 5, 200):
        first = read_first_page(path, limit)
        assert first is not None
        assert first.rows == case.incidents.rows(limit=limit)
        assert first.total == 12
        assert first.title == case.info().title
    assert read_first_page(path, 200).rows[0].source_count == 2  # type: ignore[union-attr]


def test_the_first_page_reads_without_the_database_layer(case: Case) -> None:
    _make(case)
    code = (
        "import sys; from pathlib import Path; from desk.first_page import read_first_page; "
        f"page = read_first_page(Path({str(case.path)!r}), 3); "
        "print(len(page.rows), any(m.startswith('sqlalchemy') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3", "False"]


def test_what_is_not_a_readable_case_gives_none_and_is_left_alone(tmp_path: Path) -> None:
    missing = tmp_path / "gone.evcase"
    assert read_first_page(missing, 10) is None
    assert not missing.exists()  # read-only: nothing is created

    text = tmp_path / "notes.evcase"
    text.write_text("not a database", encoding="utf-8")
    assert read_first_page(text, 10) is None

    other = tmp_path / "other.evcase"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE incident (id TEXT)")  # an older or foreign schema
    stamp = other.stat().st_mtime_ns
    assert read_first_page(other, 10) is None
    assert other.stat().st_mtime_ns == stamp


def test_an_empty_case_has_an_empty_first_page(case: Case) -> None:
    first = read_first_page(case.path, 200)
    assert first is not None
    assert (first.total, first.rows) == (0, [])
