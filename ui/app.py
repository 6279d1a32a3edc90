"""Start the desk: the QApplication, the case, the main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desk.case import Case
from desk.demo import build_demo_case
from desk.errors import DeskError
from ui.main_window import MainWindow

APP_NAME = "Evidence Desk"


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
    return app


def run(case_path: Path | None, analyst: str | None = None) -> int:
    """Open ``case_path`` (the demo case when None) in a window; the exit status.

    A case that cannot be opened is explained in a dialog and gives exit status 2.
    """
    app = application()
    try:
        case = Case.open(case_path or build_demo_case(), analyst)
    except DeskError as exc:
        QMessageBox.critical(None, f"{APP_NAME}: cannot open the case", str(exc))
        return exc.exit_code
    with case:
        window = MainWindow(case)
        window.show()
        return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ui.app [CASE] [--analyst NAME]``: the same as ``evidence-desk gui``."""
    parser = argparse.ArgumentParser(prog="evidence-desk-gui", description=run.__doc__)
    parser.add_argument("case", nargs="?", type=Path, help="the case file (.evcase)")
    parser.add_argument("--analyst", help="your name for the case history")
    args = parser.parse_args(argv)
    return run(args.case, args.analyst)


if __name__ == "__main__":
    sys.exit(main())
