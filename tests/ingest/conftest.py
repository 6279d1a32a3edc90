"""Shared test material lives outside the repository, in /work/shared."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SHARED / "samples"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    return SHARED / "real"
