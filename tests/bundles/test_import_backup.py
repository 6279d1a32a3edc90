"""A bundle import keeps the case as it was among the case's backups before it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk import backups
from desk.bundles import merge
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import DeskError
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.bundles.conftest import TITLE, all_rows


def test_the_case_before_the_import_is_among_its_backups(
    case_a: Case, case_b: Case, tmp_path: Path
) -> None:
    case_b.incidents.create(IncidentFields(title="Bob's own incident"))
    export_bundle(case_a, tmp_path / "a.evbundle")

    plan = merge.apply(case_b, open_bundle(tmp_path / "a.evbundle"))

    (backup,) = backups.list_backups(case_b.path)
    assert backup.path == plan.backup
    assert backup.reason == "before-bundle-import"
    with Case.open(backup.path) as before:
        assert [r.title for r in before.incidents.rows()] == ["Bob's own incident"]
        assert before.sources.count() == 0
    assert {r.title for r in case_b.incidents.rows()} == {"Bob's own incident", TITLE}


def test_no_backup_no_import(case_a: Case, case_b: Case, tmp_path: Path, home: Path) -> None:
    export_bundle(case_a, tmp_path / "a.evbundle")
    bundle = open_bundle(tmp_path / "a.evbundle")
    home.mkdir(exist_ok=True)
    (home / "backups").write_text("a file where the backups folder should be\n")
    before = all_rows(case_b)

    with pytest.raises(DeskError, match="nothing was imported") as refused:
        merge.apply(case_b, bundle)

    assert str(refused.value).startswith(f"{case_b.path}: the backup before the import")
    assert str(home / "backups") in str(refused.value)
    assert all_rows(case_b) == before
    assert verify_case(case_b).ok
