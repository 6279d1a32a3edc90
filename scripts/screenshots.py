"""Screenshots of the desk on the demo case, for the README and for reviewing changes.

    python scripts/screenshots.py [OUT_DIR]        (default: docs/screenshots)

Runs off-screen unless QT_QPA_PLATFORM says otherwise, and builds the demo case in a
temporary data folder, so the user's own data folder is left alone.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from desk.case import Case
from desk.demo import build_demo_case
from desk.services.sources import SourceView
from ui.app import application
from ui.main_window import MainWindow

SHOTS: dict[str, Callable[[SourceView], bool]] = {
    "desk-arabic-article.png": lambda s: s.language == "ar",
    "desk-photo.png": lambda s: s.kind == "image" and s.gps_lat is not None,
    "desk-report.png": lambda s: s.kind == "document",
}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the app starts
    app = application()
    with tempfile.TemporaryDirectory() as home:
        os.environ["EVIDENCE_DESK_HOME"] = home
        with Case.open(build_demo_case()) as case:
            window = MainWindow(case)
            window.resize(1440, 900)
            window.show()
            app.processEvents()
            for name, wanted in SHOTS.items():
                model = window.sources.model
                rows = [r for r in range(model.rowCount()) if wanted(model.source_at(r))]
                if not rows:
                    print(f"skipped {name}: no such source in the first incident")
                    continue
                window.sources.select_row(rows[0])
                app.processEvents()
                window.grab().save(str(out / name))
                print(out / name)
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
