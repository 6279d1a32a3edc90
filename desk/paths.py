"""Per-user folders (platformdirs); ``EVIDENCE_DESK_HOME`` moves them all, e.g. for tests."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "evidence-desk"


def data_dir() -> Path:
    override = os.environ.get("EVIDENCE_DESK_HOME")
    base = Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)
    base.mkdir(parents=True, exist_ok=True)
    return base


def cache_dir() -> Path:
    """Files the desk can make again from what it ships (unpacked models)."""
    override = os.environ.get("EVIDENCE_DESK_HOME")
    base = (
        Path(override) / "cache"
        if override
        else platformdirs.user_cache_path(APP_NAME, appauthor=False)
    )
    base.mkdir(parents=True, exist_ok=True)
    return base


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_case_path() -> Path:
    return data_dir() / "demo.evcase"
