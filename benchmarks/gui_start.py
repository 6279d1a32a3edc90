"""Start a window and report when its table first shows rows (for ``run.py``).

    python benchmarks/gui_start.py app CASE     the real desk on CASE
    python benchmarks/gui_start.py bare         a bare QTableView with 100 rows

Prints one JSON line once the table's viewport has been painted with rows:
``{"painted_ns": <time.time_ns()>, "rss_kib": <peak RSS>}`` (the desk adds
``"ready_ns"``: its open case's incident list painted too), then quits. The parent takes
its own ``time.time_ns()`` just before starting this process, so the difference is
"process start to first painted rows", imports included.

The hook only watches paint events; the desk is started the way ``ui.app.run`` starts
it (application, fonts, first lines, main window opening the case), without the crash
reporter and without asking for the analyst (``EVIDENCE_DESK_ANALYST`` is set by the
caller).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from peak import peak_rss_kib
from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView, QWidget

TIMEOUT_MS = 120_000


class FirstRows(QObject):
    """Calls ``then`` once a table's viewport has painted while its model has rows."""

    def __init__(self, table: QTableView, then: Callable[[], None]) -> None:
        super().__init__(table)
        self._table = table
        self._then = then
        self._done = False
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._done or event.type() != QEvent.Type.Paint:
            return False
        model = self._table.model()
        if model is not None and model.rowCount():
            self._done = True
            # Once this paint has finished, from the event loop.
            QTimer.singleShot(0, self._then)
        return False


def report(**times_ns: int) -> None:
    print(
        json.dumps({**times_ns, "rss_kib": peak_rss_kib(), "phases_ns": PHASES}),
        flush=True,
    )
    QApplication.quit()


def _incident_table(window: QWidget) -> QTableView:
    from ui.models.incidents import IncidentTableModel

    for table in window.findChildren(QTableView):
        model: QAbstractItemModel | None = table.model()
        while model is not None and not isinstance(model, IncidentTableModel):
            model = getattr(model, "sourceModel", lambda: None)()
        if model is not None:
            return table
    raise SystemExit("the main window has no incident table")


PHASES: dict[str, int] = {}


def _phase(name: str) -> None:
    PHASES[name] = time.time_ns()


def run_app(case_path: str) -> int:
    """As ``ui.app.run`` starts the desk: the first lines, then the case behind them.

    Reports when the first lines are painted and when the incident list of the open
    case has painted its rows (the whole desk ready).
    """
    from desk.first_page import read_first_page
    from ui.app import application, load_fonts
    from ui.main_window import MainWindow
    from ui.models.incident_lines import PAGE_SIZE

    _phase("imported ui")
    app = application()
    load_fonts(app)
    _phase("QApplication and fonts")
    path = Path(case_path)
    first = read_first_page(path, PAGE_SIZE)
    if first is None:
        raise SystemExit(f"{case_path}: the first lines cannot be read")
    window = MainWindow(analyst=os.environ["EVIDENCE_DESK_ANALYST"], opening=(path, first))
    _phase("window built")
    times: dict[str, int] = {}

    def first_lines() -> None:
        times["painted_ns"] = time.time_ns()

    def case_opened() -> None:
        _phase("case open")
        FirstRows(_incident_table(window), lambda: report(**times, ready_ns=time.time_ns()))

    lines = window.findChild(QTableView, "first-lines")
    FirstRows(lines, first_lines)
    window.case_changed.connect(case_opened)
    window.show()
    QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(3))
    status = app.exec()
    window.close()
    return int(status)


def run_bare() -> int:
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    model = QStandardItemModel(100, 7)
    for row in range(100):
        for column in range(7):
            model.setItem(row, column, QStandardItem(f"row {row} column {column}"))
    table = QTableView()
    table.setModel(model)
    FirstRows(table, lambda: report(painted_ns=time.time_ns()))
    table.resize(1200, 800)
    table.show()
    QTimer.singleShot(TIMEOUT_MS, lambda: QApplication.exit(3))
    return int(app.exec())


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "app":
        return run_app(argv[1])
    if argv[:1] == ["bare"]:
        return run_bare()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
