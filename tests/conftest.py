"""Fixtures shared by every test: real case files in tmp_path, the shared samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.case import Case

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Per-user folders (backups, demo case) go to tmp_path, never the real home."""
    home = tmp_path / "home"
    monkeypatch.setenv("EVIDENCE_DESK_HOME", str(home))
    monkeypatch.setenv("EVIDENCE_DESK_ANALYST", "Test Analyst")
    return home


@pytest.fixture
def samples() -> Path:
    path = SHARED / "samples"
    assert path.is_dir(), f"the shared samples are missing at {path}"
    return path


@pytest.fixture
def real_files() -> Path:
    path = SHARED / "real"
    assert path.is_dir(), f"the shared real files are missing at {path}"
    return path


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    return tmp_path / "test.evcase"


@pytest.fixture
def case(case_path: Path) -> Iterator[Case]:
    with Case.create(case_path, "Test case") as opened:
        yield opened
