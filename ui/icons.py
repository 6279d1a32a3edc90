"""The desk's icons: small SVGs shipped in resources/icons, one style on every platform."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from resources import resource

# The names of the files in resources/icons (without .svg).
ICON_NAMES = (
    "analyst",
    "brief",
    "bundle",
    "claim-new",
    "case-close",
    "case-copy",
    "case-new",
    "case-open",
    "find",
    "incident-new",
    "redo",
    "sources-add",
    "undo",
    "verify",
)


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` (one of ICON_NAMES); a KeyError names a missing one."""
    if name not in ICON_NAMES:
        raise KeyError(f"no icon called {name!r} in resources/icons")
    # The package is installed as files (pip install, editable or not), so the
    # resource is a real path that QIcon can read lazily.
    return QIcon(str(resource("icons", f"{name}.svg")))
