"""Backups: snapshots with a retention limit, and restoring one."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk import backups
from desk.case import Case
from desk.errors import CaseError
from desk.services.incidents import IncidentFields


def test_a_snapshot_is_a_checked_case_in_the_backups_folder(
    case: Case, case_path: Path, tmp_path: Path
) -> None:
    case.incidents.create(IncidentFields(title="Before the risky step"))
    made = backups.snapshot(case_path, "before-test")
    assert made.parent == tmp_path / "home" / "backups"
    with Case.open(made) as copy:
        assert [r.title for r in copy.incidents.rows()] == ["Before the risky step"]
    listed = backups.list_backups(case_path)
    assert [b.path for b in listed] == [made]
    assert listed[0].reason == "before-test"


def test_old_backups_beyond_the_limit_are_removed(
    case: Case, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "KEEP_PER_CASE", 3)
    made = [backups.snapshot(case_path, "step") for _ in range(5)]
    assert [b.path for b in backups.list_backups(case_path)] == made[:-4:-1]


def test_the_backup_made_before_an_upgrade_is_never_removed(
    case: Case, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "KEEP_PER_CASE", 2)
    upgrade = backups.snapshot(case_path, "before-upgrade")
    later = [backups.snapshot(case_path, "step") for _ in range(4)]
    assert [b.path for b in backups.list_backups(case_path)] == [*later[:-3:-1], upgrade]


def test_restore_brings_back_the_snapshot_and_keeps_the_present(
    case: Case, case_path: Path
) -> None:
    case.incidents.create(IncidentFields(title="Kept"))
    saved = backups.snapshot(case_path, "manual")
    case.incidents.create(IncidentFields(title="Added after the backup"))
    case.close()

    before_restore = backups.restore(case_path, saved)

    with Case.open(case_path) as restored:
        assert [r.title for r in restored.incidents.rows()] == ["Kept"]
    with Case.open(before_restore) as present:
        assert {r.title for r in present.incidents.rows()} == {"Kept", "Added after the backup"}


def test_a_backup_of_another_case_is_refused(case: Case, case_path: Path, tmp_path: Path) -> None:
    with Case.create(tmp_path / "other.evcase", "Other") as other:
        other_backup = backups.snapshot(other.path, "manual")
    case.close()
    with pytest.raises(CaseError, match="another case"):
        backups.restore(case_path, other_backup)


def test_restoring_the_oldest_backup_keeps_it(
    case: Case, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "KEEP_PER_CASE", 3)
    case.incidents.create(IncidentFields(title="The oldest state"))
    oldest = backups.snapshot(case_path, "manual")
    case.incidents.create(IncidentFields(title="Later"))
    for _ in range(2):
        backups.snapshot(case_path, "step")
    case.close()

    backups.restore(case_path, oldest)

    with Case.open(case_path) as restored:
        assert [r.title for r in restored.incidents.rows()] == ["The oldest state"]
    kept = backups.list_backups(case_path)
    assert oldest in [b.path for b in kept]
    assert kept[0].reason == "before-restore"


def test_a_half_written_copy_left_by_a_killed_desk_is_cleared_by_the_next_backup(
    case: Case, case_path: Path, tmp_path: Path
) -> None:
    import os
    import time

    folder = tmp_path / "home" / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "albukamal-0000aaaa-20260101T000000000000Z-step.evcase.part"
    stale.write_bytes(b"half a copy")
    hours_ago = time.time() - 2 * backups.STALE_PART_SECONDS
    os.utime(stale, (hours_ago, hours_ago))
    # Another desk's copy still being written is left alone.
    growing = folder / "other-0000bbbb-20261204T000000000000Z-step.evcase.part"
    growing.write_bytes(b"being written")

    backups.snapshot(case_path, "step")

    assert not stale.exists()
    assert growing.exists()
