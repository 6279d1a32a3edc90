"""The analyst's preferences, kept with QSettings (per user, per machine)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10
SETTINGS_FILE = "settings.ini"


def _default_settings() -> QSettings:
    """The platform's place for settings, or a file in ``$EVIDENCE_DESK_HOME``.

    EVIDENCE_DESK_HOME moves all per-user data (see desk.paths), settings too: every
    test gets its own (tests/conftest.py sets it) and a trial run leaves the real
    user's settings alone.
    """
    home = os.environ.get("EVIDENCE_DESK_HOME")
    if home:
        return QSettings(str(Path(home) / SETTINGS_FILE), QSettings.Format.IniFormat)
    return QSettings()


class Settings:
    """Typed access to the keys the desk uses."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or _default_settings()

    def file_name(self) -> Path:
        """Where the settings are kept (a registry path on Windows)."""
        return Path(self._s.fileName())

    @property
    def analyst(self) -> str:
        return str(self._s.value("analyst/name", "") or "")

    @analyst.setter
    def analyst(self, name: str) -> None:
        self._s.setValue("analyst/name", name.strip())

    @property
    def blur_all_images(self) -> bool:
        """Protects analysts who review violent material every day."""
        return self._s.value("images/blur_all", False, type=bool) is True

    @blur_all_images.setter
    def blur_all_images(self, value: bool) -> None:
        self._s.setValue("images/blur_all", bool(value))

    @property
    def recent_cases(self) -> list[Path]:
        value = self._s.value("cases/recent", [])
        # QSettings returns a lone string for a one-item list on some back ends.
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(str(item)) for item in items if item]

    def add_recent_case(self, path: Path) -> None:
        resolved = path.resolve()
        recent = [p for p in self.recent_cases if p != resolved]
        self._set_recent([resolved, *recent][:MAX_RECENT])

    def remove_recent_case(self, path: Path) -> None:
        self._set_recent([p for p in self.recent_cases if p != path])

    def clear_recent_cases(self) -> None:
        self._set_recent([])

    def _set_recent(self, paths: list[Path]) -> None:
        self._s.setValue("cases/recent", [str(p) for p in paths])

    @property
    def brief_handling(self) -> str:
        """The handling line of the last brief exported."""
        return str(self._s.value("brief/handling", "") or "")

    @brief_handling.setter
    def brief_handling(self, line: str) -> None:
        self._s.setValue("brief/handling", line.strip())

    @property
    def brief_author(self) -> str:
        """The author of the last brief when it was not the analyst; blank for the analyst."""
        return str(self._s.value("brief/author", "") or "")

    @brief_author.setter
    def brief_author(self, name: str) -> None:
        self._s.setValue("brief/author", name.strip())

    @property
    def brief_page_size(self) -> str:
        return str(self._s.value("brief/page_size", "A4") or "A4")

    @brief_page_size.setter
    def brief_page_size(self, size: str) -> None:
        self._s.setValue("brief/page_size", size)

    def brief_section(self, name: str, default: bool) -> bool:
        """Whether the last brief had the section ``name`` (map, timeline, notes ...)."""
        return self._s.value(f"brief/section_{name}", default, type=bool) is True

    def set_brief_section(self, name: str, included: bool) -> None:
        self._s.setValue(f"brief/section_{name}", bool(included))

    def window_state(self, key: str) -> QByteArray | None:
        value = self._s.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self._s.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self._s.sync()
