"""Start the desk: the QApplication, fonts, crash handler, analyst, case, main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog

from desk.errors import DeskError
from desk.first_page import read_first_page
from resources import resource
from ui.dialogs.analyst import AnalystDialog
from ui.dialogs.crash import CrashReporter
from ui.errors import show_error
from ui.main_window import MainWindow
from ui.models.incident_lines import PAGE_SIZE
from ui.settings import Settings
from ui.tooltips import PlainItemToolTips

APP_NAME = "Evidence Desk"
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSans-Italic.ttf",
    "NotoSans-BoldItalic.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
)
# Latin in Noto Sans; Arabic and Persian fall through to the Arabic families, so
# they render joined and right-to-left on machines without Arabic fonts.
UI_FAMILIES = ("Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic")


def _demo_case() -> Path:
    # The demo's builder pulls in the importers; a desk opened on a case never needs it.
    from desk.demo import build_demo_case

    return build_demo_case()


def application() -> QApplication:
    """The running QApplication, made and named on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else "evidence-desk"])
    app.setApplicationName("evidence-desk")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("Evidence Desk")
    app.setDesktopFileName("evidence-desk")
    tips = PlainItemToolTips(app)
    app.installEventFilter(tips)
    return app


def load_fonts(app: QApplication) -> None:
    """Register the shipped Noto fonts and make them the application's font."""
    loaded = set(QFontDatabase.families())
    if not loaded.issuperset(UI_FAMILIES):
        for name in FONT_FILES:
            data = resource("fonts", name).read_bytes()
            if QFontDatabase.addApplicationFontFromData(QByteArray(data)) < 0:
                raise RuntimeError(f"the shipped font {name} could not be loaded")
    font = QFont(app.font())
    font.setFamilies(list(UI_FAMILIES))
    app.setFont(font)


def analyst_name(given: str | None, settings: Settings) -> str:
    """``--analyst``, else $EVIDENCE_DESK_ANALYST, else the saved name; at the first
    start, ask (the login name offered) and save the answer."""
    name = given or os.environ.get("EVIDENCE_DESK_ANALYST") or settings.analyst
    if name:
        return name
    from desk.case import default_analyst

    dialog = AnalystDialog(default_analyst(), first_start=True)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        settings.analyst = dialog.name()
        return dialog.name()
    return default_analyst()  # asked again next time


def run(case_path: Path | None, analyst: str | None = None) -> int:
    """Open ``case_path`` (the demo case when None) in a window; the exit status.

    A case that cannot be opened is explained in a dialog and gives exit status 2.
    The window shows the case's first lines at once and opens the case behind them
    (``MainWindow(opening=...)``): a large case is on screen before the desk has
    loaded the rest of itself.
    """
    app = application()
    reporter = CrashReporter()
    reporter.install()
    try:
        load_fonts(app)
        name = analyst_name(analyst, Settings())
        path = case_path or _demo_case()
        first = read_first_page(path, PAGE_SIZE)
        if first is not None:
            window = MainWindow(analyst=name, opening=(path, first))
        else:  # not readable so: opening it the usual way says why, or migrates it
            from desk.case import Case

            try:
                case = Case.open(path, name)
            except DeskError as exc:
                show_error(None, exc, f"{APP_NAME}: cannot open the case")
                return exc.exit_code
            window = MainWindow(case, analyst=name)
        window.show()
        return app.exec()
    finally:
        reporter.uninstall()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ui.app [CASE] [--analyst NAME]``: the same as ``evidence-desk gui``."""
    parser = argparse.ArgumentParser(prog="evidence-desk-gui", description=run.__doc__)
    parser.add_argument("case", nargs="?", type=Path, help="the case file (.evcase)")
    parser.add_argument("--analyst", help="your name for the case history")
    args = parser.parse_args(argv)
    return run(args.case, args.analyst)


if __name__ == "__main__":
    sys.exit(main())
