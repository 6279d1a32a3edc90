"""Listing a case's backups and restoring one from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from desk import backups
from desk.case import Case
from desk.cli import main
from desk.services.incidents import IncidentFields


def desk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desk", *map(str, args)], capture_output=True, text=True
    )


def titles(path: Path) -> set[str]:
    with Case.open(path) as case:
        return {row.title for row in case.incidents.rows()}


def test_list_then_restore_a_backup_keeping_the_present_one(case_path: Path) -> None:
    with Case.create(case_path, "Al Bukamal") as case:
        case.incidents.create(IncidentFields(title="Kept"))
    made = desk("backup", case_path)
    assert made.returncode == 0, made.stderr
    saved = Path(made.stdout.strip())
    assert saved.is_file()
    with Case.open(case_path) as case:
        case.incidents.create(IncidentFields(title="Added after the backup"))

    listed = desk("backups", case_path, "--json")
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    assert entry["path"] == str(saved)
    assert entry["reason"] == "manual"
    assert entry["size"] == saved.stat().st_size
    assert datetime.fromisoformat(entry["created_at"]).tzinfo is not None
    text = desk("backups", case_path)
    assert text.returncode == 0
    assert "manual" in text.stdout
    assert str(saved) in text.stdout

    restored = desk("restore", case_path, saved)
    assert restored.returncode == 0, restored.stderr
    assert titles(case_path) == {"Kept"}
    assert desk("verify", case_path).returncode == 0

    now = json.loads(desk("backups", case_path, "--json").stdout)
    assert [b["reason"] for b in now] == ["before-restore", "manual"]
    assert now[0]["path"] in restored.stdout
    assert titles(Path(now[0]["path"])) == {"Kept", "Added after the backup"}

    # the restore itself can be undone
    assert desk("restore", case_path, now[0]["path"]).returncode == 0
    assert titles(case_path) == {"Kept", "Added after the backup"}


def test_a_case_without_backups_says_so(case_path: Path) -> None:
    Case.create(case_path, "New").close()
    listed = desk("backups", case_path)
    assert listed.returncode == 0
    assert listed.stdout.startswith(f"no backups of {case_path}")
    assert json.loads(desk("backups", case_path, "--json").stdout) == []


@pytest.mark.parametrize(
    ("args", "named", "reason"),
    [
        (["backups", "{missing}"], "{missing}", "no such case file"),
        (["restore", "{missing}", "{backup}"], "{missing}", "no such case file"),
        (["restore", "{case}", "{missing}"], "{missing}", "no such backup file"),
        (["restore", "{case}", "{other}"], "{other}", "belongs to another case"),
        (["restore", "{case}", "{text}"], "{text}", "not a readable case file"),
    ],
)
def test_bad_input_exits_2_naming_the_file_and_changes_nothing(
    case_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    named: str,
    reason: str,
) -> None:
    with Case.create(case_path, "Mine") as case:
        case.incidents.create(IncidentFields(title="Mine"))
    with Case.create(tmp_path / "other.evcase", "Other") as other:
        other.incidents.create(IncidentFields(title="Theirs"))
    files = {
        "case": case_path,
        "missing": tmp_path / "missing.evcase",
        "backup": backups.snapshot(case_path, "manual"),
        "other": backups.snapshot(tmp_path / "other.evcase", "manual"),
        "text": tmp_path / "notes.txt",
    }
    files["text"].write_text("not a case\n")
    before = case_path.read_bytes()

    code = main([a.format(**files) for a in args])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"evidence-desk: {named.format(**files)}: ")
    assert reason in err
    assert err.count("\n") == 1
    assert case_path.read_bytes() == before
    assert [b.reason for b in backups.list_backups(case_path)] == ["manual"]


def test_a_case_open_elsewhere_is_not_replaced(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Case.create(case_path, "Open") as case:
        case.incidents.create(IncidentFields(title="Before"))
        saved = backups.snapshot(case_path, "manual")
        case.incidents.create(IncidentFields(title="While open"))

        code = main(["restore", str(case_path), str(saved)])

        assert code == 2
        assert "the case is open" in capsys.readouterr().err
        assert {row.title for row in case.incidents.rows()} == {"Before", "While open"}
    assert [b.reason for b in backups.list_backups(case_path)] == ["manual"]
