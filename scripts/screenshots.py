"""Screenshots of the desk on the demo case, for the README and for reviewing changes.

    python scripts/screenshots.py [OUT_DIR]        (default: docs/screenshots)

The desk's panes on the demo case, and a page of its brief (drawn with poppler's
pdftoppm).
Runs on the display Qt finds (Xvfb for the README: ``xvfb-run -s "-screen 0
1440x900x24" python scripts/screenshots.py``), off-screen when there is none. The demo
case is built in a temporary data folder, so the user's own data and settings are
left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from desk.case import Case
from desk.demo import build_demo_case
from desk.services.sources import SourceView
from exporters.brief import BriefOptions, build_brief
from ui.app import application
from ui.main_window import MainWindow

SOURCE_SHOTS: dict[str, Callable[[SourceView], bool]] = {
    "main-window.png": lambda s: s.language == "en" and s.kind == "article",
    "arabic-article.png": lambda s: s.language == "ar",
    "image-viewer.png": lambda s: s.kind == "image" and s.gps_lat is not None,
}
SEARCH = ("search-results.png", "Sarmin")


def _settle(app: QApplication) -> None:
    """Let layouts, deferred loads and the window manager finish."""
    loop = QEventLoop()
    QTimer.singleShot(1500, loop.quit)
    loop.exec()


def _shoot(window: MainWindow, app: QApplication, path: Path) -> None:
    _settle(app)
    window.grab().save(str(path))
    print(path)


def _raise(pane: QWidget) -> None:
    dock = pane.parent()
    assert isinstance(dock, QDockWidget)
    dock.raise_()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the app starts
    with tempfile.TemporaryDirectory() as home:
        os.environ["EVIDENCE_DESK_HOME"] = home
        app = application()
        with Case.open(build_demo_case(), analyst="Rana Haddad") as case:
            window = MainWindow(case, analyst="Rana Haddad")
            window.resize(1440, 900)
            window.show()
            _settle(app)
            for name, wanted in SOURCE_SHOTS.items():
                model = window.sources.model
                rows = [r for r in range(model.rowCount()) if wanted(model.source_at(r))]
                if not rows:
                    print(f"skipped {name}: no such source in the first incident")
                    continue
                window.sources.select_row(rows[0])
                _shoot(window, app, out / name)
            name, words = SEARCH
            window.view.search.search(words)
            _raise(window.view.search)
            _shoot(window, app, out / name)
            _raise(window.view.conflicts)
            _shoot(window, app, out / "conflict-board.png")
            window.close()
            _brief_page(case, out / "brief-page.png")
    return 0


def _brief_page(case: Case, target: Path) -> None:
    """The first incident's page of the demo brief, as pdftoppm draws it."""
    options = BriefOptions(
        handling="RESTRICTED - FOR PARTNER DISTRIBUTION", include_notes=True, graphic="blur"
    )
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "demo-brief.pdf"
        build_brief(case, pdf, options)
        stem = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", "4", "-l", "4", "-singlefile", pdf, stem],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), target)
    print(target)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
