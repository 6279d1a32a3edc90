"""Claims, conflicts, resolutions and outlet grades from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desk.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: object) -> Any:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_claims_conflicts_and_resolution(
    tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "c.evcase"
    run(capsys, "new", case)
    _, incident, _ = run(capsys, "incident-add", case, "--title", "Clashes in Albukamal")
    incident = incident.strip()
    imported = run_json(
        capsys,
        "import",
        case,
        samples / "eastern-syria-monitor-2019-06-09.html",
        samples / "field-note-2019-06-10.txt",
        "--incident",
        incident,
    )
    esm, note = (item["source"]["id"] for item in imported)

    suggested = run_json(capsys, "suggest", case, esm)
    assert any(s["field"] == "fatalities" and s["value"] == "5" for s in suggested)

    claim = run_json(
        capsys,
        "claim-add", case, "--incident", incident, "--source", esm, "--field", "fatalities",
        "--value", "5", "--quote", "five people were killed", "--credibility", "3",
    )  # fmt: skip
    assert claim["quote_start"] is not None
    code, _, _ = run(
        capsys,
        "claim-add", case, "--incident", incident, "--source", note, "--field", "fatalities",
        "--value", "2", "--quote", "two people were killed",
    )  # fmt: skip
    assert code == 0

    conflicts = run_json(capsys, "conflicts", case)
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict["field"] == "fatalities"
    assert conflict["status"] == "open"
    assert sorted(c["value"] for c in conflict["claims"]) == ["2", "5"]
    assert "cannot all be true" in conflict["explanation"]

    resolved = run_json(
        capsys,
        "resolve", case, conflict["id"], "--value", "2-5", "--rationale", "Counts differ by source",
        "--confidence", "low",
    )  # fmt: skip
    assert resolved["status"] == "resolved"
    assert resolved["resolution"]["best"] in (3, 4)
    assert run_json(capsys, "conflicts", case, "--status", "open") == []

    code, out, _ = run(
        capsys, "outlet-grade", case, "Eastern Syria Monitor", "--reliability", "b", "--reason",
        "Good record on casualty figures",
    )  # fmt: skip
    assert (code, out.strip()) == (0, "Eastern Syria Monitor: B")
    claims = run_json(capsys, "claims", case, "--incident", incident)
    assert {c["outlet_reliability"] for c in claims if c["source"] == esm} == {"B"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--field", "fatalities", "--value", "many"], "not a count"),
        (["--field", "date", "--value", "last Friday"], "not a date"),
        (
            ["--field", "statement", "--value", "maybe", "--question", "Did MP intervene?"],
            "yes or no",
        ),
        (["--field", "fatalities", "--value", "5", "--quote", "fifty were killed"], "quote is not"),
    ],
)
def test_bad_claims_are_refused_with_exit_2(
    tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    case = tmp_path / "c.evcase"
    run(capsys, "new", case)
    _, incident, _ = run(capsys, "incident-add", case, "--title", "X")
    (item,) = run_json(capsys, "import", case, samples / "eastern-syria-monitor-2019-06-09.html")
    code, _, err = run(
        capsys,
        "claim-add",
        case,
        "--incident",
        incident.strip(),
        "--source",
        item["source"]["id"],
        *args,
    )
    assert code == 2
    assert message in err
    assert run_json(capsys, "claims", case) == []
