"""Measure the desk's heavy paths beside this machine's best for the same work.

    python benchmarks/run.py [--quick] [--case CASE] [--work DIR] [--only NAME ...]

Prints one table (figure, measured, baseline measured in the same run on the same
data, ratio, target, met) and writes it as JSON to benchmarks/results/<timestamp>.json.
``--quick`` generates a tiny case and small folders and computes every figure in well
under a minute (CI runs it so this code cannot rot; it asserts no timings). Without
``--case`` the full run uses build/bench/case-100k.evcase (``make bench-case``).

Figures that mutate the case (a new claim) undo their change; the case's history keeps
a record of it, as it keeps every change.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import inspect
import json
import multiprocessing
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import baselines  # noqa: E402
import make_case  # noqa: E402
import material  # noqa: E402
import peak  # noqa: E402

RESULTS = HERE / "results"
DEFAULT_CASE = REPO / "build" / "bench" / "case-100k.evcase"
DEFAULT_WORK = REPO / "build" / "bench" / "work"
GUI = HERE / "gui_start.py"
ANALYST = "Benchmark"


@dataclass
class Row:
    """One line of the table. ``better`` says which way the ratio is read:
    "lower" (time: measured / baseline) or "higher" (throughput: measured / baseline)."""

    figure: str
    value: float | None
    unit: str
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    better: str = "lower"
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


@dataclass
class Settings:
    quick: bool
    case: Path
    work: Path
    photos: int
    pdfs: int
    html_pages: int
    bundle_bytes: int
    brief_incidents: int
    brief_images: int
    repeats: int
    cli_timeout: float
    scroll_budget: float


def settings_for(quick: bool, case: Path, work: Path) -> Settings:
    if quick:
        return Settings(quick, case, work, 10, 3, 12, 8 * 2**20, 20, 5, 1, 120, 60)
    return Settings(quick, case, work, 1000, 200, 1000, 2**30, 200, 100, 3, 300, 120)


# -- helpers -------------------------------------------------------------------------------


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def median_time(call: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def open_case(path: Path) -> Any:
    from desk.case import Case

    return Case.open(path, ANALYST)


def folder_bytes(files: list[Path]) -> int:
    return sum(p.stat().st_size for p in files)


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``function(*args)`` in a fresh process; its result and its peak RSS (MiB)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        result: dict[str, Any] = pool.apply(_child_call, (function, args))
    return result


def _child_call(function: Callable[..., dict[str, Any]], args: tuple[Any, ...]) -> dict[str, Any]:
    result = function(*args)
    result["peak_rss_mib"] = peak.peak_rss_kib() / 1024
    return result


# -- 1. start ------------------------------------------------------------------------------


def gui_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    home = settings.work / "gui-home"
    env.update(
        QT_QPA_PLATFORM="offscreen",
        EVIDENCE_DESK_ANALYST=ANALYST,
        EVIDENCE_DESK_HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return env


@dataclass(frozen=True)
class Start:
    painted: float  # seconds from process start to the first rows painted
    ready: float | None  # to the open case's own list painted (the desk only)
    rss_mib: float


def start_once(args: list[str], env: dict[str, str]) -> Start:
    started = time.time_ns()
    done = subprocess.run(
        [sys.executable, str(GUI), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"gui_start {args[0]} failed: {done.stderr[-2000:]}")
    report = json.loads(lines[-1])
    ready = report.get("ready_ns")
    return Start(
        (report["painted_ns"] - started) / 1e9,
        None if ready is None else (ready - started) / 1e9,
        report["rss_kib"] / 1024,
    )


def figure_start(settings: Settings) -> list[Row]:
    env = gui_env(settings)
    runs = settings.repeats
    app_args = ["app", str(settings.case)]
    if not settings.quick:  # warm the page cache and Python's bytecode cache
        start_once(app_args, env)
        start_once(["bare"], env)
    app = [start_once(app_args, env) for _ in range(runs)]
    bare = [start_once(["bare"], env) for _ in range(runs)]
    seconds = statistics.median(a.painted for a in app)
    ready = statistics.median(a.ready or 0.0 for a in app)
    bare_seconds = statistics.median(b.painted for b in bare)
    rss = max(a.rss_mib for a in app)
    bare_rss = max(b.rss_mib for b in bare)
    ratio = seconds / bare_seconds
    return [
        Row(
            "start to first painted rows",
            ms(seconds),
            "ms",
            ms(bare_seconds),
            "<= 3x",
            ratio <= 3,
            "baseline: bare PySide6 QTableView with 100 rows",
            details={
                "runs": [ms(a.painted) for a in app],
                "bare_runs": [ms(b.painted) for b in bare],
            },
        ),
        Row(
            "start until the whole desk is ready",
            ms(ready),
            "ms",
            ms(bare_seconds),
            note="information: case open, panes built, its own list painted",
            details={"runs": [ms(a.ready or 0.0) for a in app]},
        ),
        Row(
            "start: peak RSS",
            round(rss, 1),
            "MiB",
            round(bare_rss, 1),
            "<= 150 MiB",
            rss <= 150,
            "baseline: the bare QTableView program",
        ),
    ]


# -- 2. the incident list ------------------------------------------------------------------


def figure_list(settings: Settings) -> list[Row]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from desk.memory import freeze_long_lived
    from desk.services.incidents import IncidentFilter
    from ui.models.incidents import COLUMNS, IncidentTableModel

    app = QApplication.instance() or QApplication([sys.argv[0]])
    case = open_case(settings.case)
    calls: dict[str, list[float]] = {"data": [], "fetchMore": [], "sort": [], "set_filter": []}

    class Timed(IncidentTableModel):  # type: ignore[misc]
        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            start = time.perf_counter()
            value = super().data(index, role)
            calls["data"].append(time.perf_counter() - start)
            return value

        def fetchMore(self, parent: Any) -> None:
            start = time.perf_counter()
            super().fetchMore(parent)
            calls["fetchMore"].append(time.perf_counter() - start)

    try:
        start = time.perf_counter()
        model = Timed(case)
        opened = time.perf_counter() - start
        # What the main window does once a case is shown (ui/main_window.py).
        freeze_long_lived()
        table = QTableView()
        table.setModel(model)
        table.resize(1200, 800)
        table.show()
        app.processEvents()
        # Scroll from top to bottom: the view asks for the next page at the end.
        frames = []
        scroll_start = time.perf_counter()
        bar = table.verticalScrollBar()
        stopped = False
        while True:
            frame = time.perf_counter()
            bar.setValue(bar.maximum())
            app.processEvents()
            table.viewport().repaint()
            frames.append(time.perf_counter() - frame)
            if not model.canFetchMore(table.rootIndex()) and bar.value() == bar.maximum():
                break
            if time.perf_counter() - scroll_start > settings.scroll_budget:
                stopped = True  # the rest is measured below as the deepest page
                break
        scrolled = time.perf_counter() - scroll_start
        loaded = model.rowCount()
        biggest_data = max(calls["data"] or [0.0])
        biggest_fetch = max(calls["fetchMore"] or [0.0])

        # Baseline: the same pages straight from SQLite with the incident indexes.
        conn = baselines.connect_ro(settings.case)
        total = model.total
        offsets = sorted({0, max(0, total // 2 - 100), max(0, total - 200)})
        page_base = max(
            baselines.timed_query(conn, baselines.PAGE_SQL["date"], (200, off)) for off in offsets
        )

        # Sorting: through the model where the list offers the column, else the service.
        sort_times: dict[str, float] = {}
        deepest: dict[str, float] = {}
        base_sorts: dict[str, float] = {}
        notes = []
        for key, descending, base_key in (
            ("date", False, "date"),
            ("date", True, "date desc"),
            ("place", False, "place"),
            ("conflicts", True, "conflicts desc"),
            ("sources", True, None),
            ("title", False, None),
        ):
            label = f"{key} {'desc' if descending else 'asc'}"
            column = next((i for i, (k, _) in enumerate(COLUMNS) if k == key), None)
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            start = time.perf_counter()
            if column is not None:
                model.sort(column, order)
            else:
                case.incidents.count()
                case.incidents.rows(sort=key, descending=descending)
                notes.append(f"the list has no {key} column: timed through the service")
            sort_times[label] = time.perf_counter() - start
            # The list reaches its last page as it reaches every page: after its last
            # row (keyset paging, ui/models/incidents.py), not by an offset.
            before_last = case.incidents.rows(
                sort=key, descending=descending, offset=max(0, total - 201), limit=1
            )
            start = time.perf_counter()
            case.incidents.rows(sort=key, descending=descending, limit=200, after=before_last[0].id)
            deepest[label] = time.perf_counter() - start
            if base_key:
                base_sorts[label] = baselines.timed_query(
                    conn, baselines.PAGE_SQL[base_key], (200, 0)
                )
        model.sort(0, Qt.SortOrder.AscendingOrder)

        # Filtering as one types (each keystroke after the pause queries again).
        filter_times: dict[str, float] = {}
        base_filter = 0.0
        typed = [
            ("text", "Shelling"),
            ("text", "killed"),
            ("place", "Abu Kamal"),
            ("place", "البوكمال"),
        ]
        for kind, word in typed:
            for end in range(1, len(word) + 1):
                prefix = word[:end]
                where = (
                    IncidentFilter(text=prefix) if kind == "text" else IncidentFilter(place=prefix)
                )
                start = time.perf_counter()
                model.set_filter(where)
                filter_times[f"{kind}:{prefix}"] = time.perf_counter() - start
                if kind == "text":
                    pattern = f"%{prefix}%"
                    base_filter = max(
                        base_filter,
                        baselines.timed_query(conn, baselines.FILTER_SQL, (pattern, pattern)),
                    )
        for label, where in (
            ("tag", IncidentFilter(tag="shelling")),
            ("status", IncidentFilter(status="disputed")),
            ("type", IncidentFilter(event_type="Battles")),
        ):
            start = time.perf_counter()
            model.set_filter(where)
            filter_times[label] = time.perf_counter() - start
        model.set_filter(IncidentFilter())
        conn.close()
        table.close()
    finally:
        case.close()

    worst_filter = max(filter_times, key=lambda k: filter_times[k])
    worst_sort = max(sort_times, key=lambda k: sort_times[k])
    worst_deep = max(deepest, key=lambda k: deepest[k])
    biggest_call = max(biggest_data, biggest_fetch)
    return [
        Row(
            "list: largest model call while scrolling",
            ms(biggest_call),
            "ms",
            ms(page_base),
            "no call > 16 ms",
            biggest_call <= 0.016,
            f"{loaded:,} of {total:,} rows scrolled in {scrolled:.1f} s"
            + (" (stopped: time budget)" if stopped else "")
            + f"; largest data() "
            f"{ms(biggest_data)} ms, fetchMore() {ms(biggest_fetch)} ms; baseline: one "
            "indexed page query",
            details={
                "model_open_ms": ms(opened),
                "data_calls": len(calls["data"]),
                "data_p99_ms": ms(_percentile(calls["data"], 0.99)),
                "fetch_calls": len(calls["fetchMore"]),
                "fetch_mean_ms": ms(statistics.fmean(calls["fetchMore"] or [0.0])),
                "largest_frame_ms": ms(max(frames)),
            },
        ),
        Row(
            "list: sort (date, place, conflicts, sources, title)",
            ms(sort_times[worst_sort]),
            "ms",
            ms(max(base_sorts.values() or [0.0])),
            "<= 200 ms",
            sort_times[worst_sort] <= 0.2,
            f"slowest: {worst_sort}" + ("; " + "; ".join(notes) if notes else ""),
            details={k: ms(v) for k, v in sort_times.items()}
            | {f"baseline {k}": ms(v) for k, v in base_sorts.items()},
        ),
        Row(
            "list: last page after a sort (fetchMore)",
            ms(deepest[worst_deep]),
            "ms",
            ms(page_base),
            "no call > 16 ms",
            deepest[worst_deep] <= 0.016,
            f"slowest: {worst_deep}",
            details={k: ms(v) for k, v in deepest.items()},
        ),
        Row(
            "list: filter as one types",
            ms(filter_times[worst_filter]),
            "ms",
            ms(base_filter),
            "<= 200 ms",
            filter_times[worst_filter] <= 0.2,
            f"slowest: {worst_filter}; baseline: the LIKE page query alone",
            details={k: ms(v) for k, v in filter_times.items()},
        ),
    ]


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# -- 3. search -----------------------------------------------------------------------------


def rare_term(conn: sqlite3.Connection) -> str:
    """A word that a handful of records contain (from the index's own vocabulary)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, search_fts, 'row')"
    )
    row = conn.execute(
        "SELECT term FROM temp.vocab WHERE doc BETWEEN 2 AND 6 AND length(term) > 7"
        " AND term GLOB '[a-z]*' ORDER BY doc, term LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else "zanzibarite"


def figure_search(settings: Settings) -> list[Row]:
    case = open_case(settings.case)
    conn = baselines.connect_ro(settings.case)
    rows = []
    try:
        terms = [
            ("common term", "killed"),
            ("rare term", rare_term(conn)),
            ("phrase", '"heavy shelling"'),
            ("Arabic term", "قصف"),
        ]
        for label, query in terms:
            case.search(query)  # warm
            baselines.fts_search(conn, query)
            repeats = 3 if settings.quick else 7
            desk_time = median_time(lambda q=query: case.search(q), repeats)
            base_time = median_time(lambda q=query: baselines.fts_search(conn, q), repeats)
            hits = len(case.search(query))
            ratio = desk_time / base_time if base_time else 0.0
            rows.append(
                Row(
                    f"search: {label}",
                    ms(desk_time),
                    "ms",
                    ms(base_time),
                    "<= 3x",
                    ratio <= 3,
                    f"{query} ({hits} hits shown); baseline: the FTS5 query with snippet()"
                    " through sqlite3",
                )
            )
    finally:
        conn.close()
        case.close()
    return rows


# -- 4. and 5. imports ---------------------------------------------------------------------


def scratch_case(settings: Settings, name: str) -> Any:
    from desk.case import Case

    path = settings.work / f"{name}.evcase"
    for leftover in settings.work.glob(f"{name}.evcase*"):
        leftover.unlink()
    return Case.create(path, f"Benchmark scratch: {name}", ANALYST)


def timed_import(settings: Settings, name: str, folder: Path) -> tuple[float, int, Path]:
    """Seconds to import ``folder`` into a new case in a desk process of its own, the
    files refused, and the case (``import_child.py``: a pool started from this script
    would make each worker import the whole benchmark first)."""
    case = scratch_case(settings, name)
    case.close()
    env = dict(
        os.environ, EVIDENCE_DESK_ANALYST=ANALYST, EVIDENCE_DESK_HOME=str(settings.work / "home")
    )
    child = Path(__file__).with_name("import_child.py")
    done = subprocess.run(
        [sys.executable, str(child), str(case.path), str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), int(result["failed"]), case.path


def stored_texts(case_path: Path) -> dict[str, str | None]:
    """Each imported file's name and extracted text."""
    from sqlalchemy import select

    from db.models import Source

    case = open_case(case_path)
    try:
        with case.read() as session:
            found = session.execute(select(Source.original_filename, Source.text)).all()
    finally:
        case.close()
    return {str(name): text for name, text in found}


def figure_import_files(settings: Settings) -> list[Row]:
    folder = settings.work / "photos-pdfs"
    files = material.photos_and_pdfs(folder, settings.photos, settings.pdfs)
    size = folder_bytes(files)
    seconds, failed, _ = timed_import(settings, "import-files", folder)
    target = settings.work / "copy-target"
    shutil.rmtree(target, ignore_errors=True)
    base_seconds = baselines.hash_and_copy(files, target)
    shutil.rmtree(target, ignore_errors=True)
    rate = size / 2**20 / seconds
    base_rate = size / 2**20 / base_seconds
    return [
        Row(
            f"import {settings.photos} photos + {settings.pdfs} PDFs",
            round(rate, 1),
            "MB/s",
            round(base_rate, 1),
            ">= 50% of baseline",
            rate >= 0.5 * base_rate,
            f"{size / 2**20:,.0f} MiB in {seconds:.1f} s ({failed} failed); "
            "baseline: sha256sum + cp of the same files",
            better="higher",
            details={"seconds": round(seconds, 2), "baseline_seconds": round(base_seconds, 2)},
        )
    ]


def figure_import_html(settings: Settings) -> list[Row]:
    folder = settings.work / "html"
    files = material.html_articles(folder, settings.html_pages)
    seconds, _, case_path = timed_import(settings, "import-html", folder)
    stored = stored_texts(case_path)
    start = time.perf_counter()
    plain = baselines.trafilatura_loop(files)
    base_seconds = time.perf_counter() - start
    differ = sorted(name for name, text in plain.items() if stored.get(name) != text)
    speedup = base_seconds / seconds
    return [
        Row(
            f"import {settings.html_pages} saved HTML articles",
            round(seconds, 2),
            "s",
            round(base_seconds, 2),
            ">= 1.5x faster, same text",
            speedup >= 1.5 and not differ,
            f"{speedup:.2f}x the plain trafilatura loop; texts that differ: {len(differ)}"
            + (f" (first: {differ[0]})" if differ else ""),
            details={"speedup": round(speedup, 3), "differ": differ[:20]},
        )
    ]


# -- 6. conflicts --------------------------------------------------------------------------


def figure_conflicts(settings: Settings) -> list[Row]:
    from sqlalchemy import func, select

    from db.models import Claim, Incident
    from desk.bulk import recount_conflicts

    case = open_case(settings.case)
    try:
        with case.read() as session:
            incident_id, source_id, claims = session.execute(
                select(Claim.incident_id, func.min(Claim.source_id), func.count())
                .group_by(Claim.incident_id)
                .order_by(func.count().desc(), Claim.incident_id)
                .limit(1)
            ).one()
            total_claims = session.scalar(select(func.count(Claim.id))) or 0
            incident_ids = list(session.scalars(select(Incident.id)))
        times = []
        for attempt in range(max(3, settings.repeats * 2)):
            start = time.perf_counter()
            view = case.claims.add(incident_id, source_id, "fatalities", str(10_000 + attempt))
            times.append(time.perf_counter() - start)
            case.claims.delete(view.id)
        incremental = statistics.median(times)
        start = time.perf_counter()
        with case.read() as session:
            open_total = recount_conflicts(case, session, incident_ids, store=False)
        everything = time.perf_counter() - start
    finally:
        case.close()
    return [
        Row(
            "conflicts after one new claim",
            ms(incremental),
            "ms",
            ms(everything),
            "< 50 ms",
            incremental < 0.05,
            f"case.claims.add on an incident with {claims} claims, {total_claims:,} claims in "
            f"the case; baseline: re-evaluating all {len(incident_ids):,} incidents "
            f"({open_total:,} open conflicts)",
            details={"runs_ms": [ms(t) for t in times]},
        )
    ]


# -- 7. bundles ----------------------------------------------------------------------------


def bundle_api() -> tuple[Any, Any, Any, str]:
    """The bundle writer, reader and merge modules, or why they cannot be used yet."""
    try:
        from desk.bundles import merge, reader, writer
    except ImportError as exc:
        return None, None, None, f"desk.bundles is not complete yet ({exc})"
    return writer, reader, merge, ""


def _call_matching(function: Callable[..., Any], **offered: Any) -> Any:
    """Call ``function`` with the offered arguments its signature names."""
    parameters = inspect.signature(function).parameters
    kwargs = {k: v for k, v in offered.items() if k in parameters}
    missing = [
        name
        for name, p in parameters.items()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        and name not in kwargs
    ]
    if missing:
        raise TypeError(
            f"{function.__qualname__}{inspect.signature(function)}: cannot supply {missing}"
        )
    return function(**kwargs)


def _bundle_child(
    case_path: str, bundle_path: str, incident_ids: list[str], scratch: str
) -> dict[str, Any]:
    """Export the incidents to a bundle, then open (validate) and merge it into a new case."""
    from desk.case import Case

    writer, reader, merge, why = bundle_api()
    if writer is None:
        return {"error": why}
    case = Case.open(Path(case_path), ANALYST)
    try:
        start = time.perf_counter()
        summary = writer.export_bundle(
            case, Path(bundle_path), [uuid.UUID(i) for i in incident_ids]
        )
        exported = time.perf_counter() - start
    finally:
        case.close()
    other = Case.create(Path(scratch), "Benchmark bundle target", ANALYST)
    try:
        start = time.perf_counter()
        bundle = reader.open_bundle(Path(bundle_path))
        opened = time.perf_counter() - start
        merge.apply(other, bundle)
        imported = time.perf_counter() - start
    finally:
        other.close()
    return {
        "export_s": exported,
        "open_s": opened,
        "import_s": imported,
        "bundle_bytes": int(getattr(summary, "size", 0) or Path(bundle_path).stat().st_size),
    }


def bundle_selection(settings: Settings) -> tuple[list[str], int]:
    """Incidents whose originals add up to about ``bundle_bytes`` (photos first)."""
    conn = baselines.connect_ro(settings.case)
    try:
        rows = conn.execute(
            "SELECT s.incident_id, sum(b.size) FROM incident_source s"
            " JOIN source src ON src.id = s.source_id JOIN blob b ON b.sha256 = src.blob_sha256"
            " GROUP BY s.incident_id ORDER BY sum(b.size) DESC, s.incident_id"
        ).fetchall()
    finally:
        conn.close()
    chosen, total = [], 0
    for incident_id, size in rows:
        if total >= settings.bundle_bytes:
            break
        chosen.append(
            str(uuid.UUID(hex=str(incident_id)))
            if len(str(incident_id)) == 32
            else str(incident_id)
        )
        total += int(size)
    return chosen, total


def figure_bundle(settings: Settings) -> list[Row]:
    writer, _, _, why = bundle_api()
    label = "bundle export + import"
    if writer is None:
        return [Row(label, None, "s", None, "<= 2x; peak RSS < 300 MiB", None, f"skipped: {why}")]
    ids, size = bundle_selection(settings)
    bundle = settings.work / "bench.evbundle"
    scratch = settings.work / "bundle-target.evcase"
    for leftover in [bundle, *settings.work.glob("bundle-target.evcase*")]:
        leftover.unlink(missing_ok=True)
    # Extracted first: the originals are then as warm in the page cache for the desk
    # as the extracted files are for the baselines.
    blobs = _extract_blobs(settings, ids)
    try:
        result = in_child(_bundle_child, str(settings.case), str(bundle), ids, str(scratch))
    except Exception as exc:  # the bundle API is young: report, do not stop the run
        result = {"error": f"{type(exc).__name__}: {exc}"}
    if "error" in result:
        shutil.rmtree(settings.work / "bundle-blobs", ignore_errors=True)
        return [Row(label, None, "s", None, "<= 2x", None, f"skipped: {result['error']}")]
    base = baselines.zip_and_hash(blobs, settings.work / "baseline.zip")
    (settings.work / "baseline.zip").unlink(missing_ok=True)
    floor = baselines.sqlite_store(blobs, settings.work / "baseline.sqlite")
    for leftover in settings.work.glob("baseline.sqlite*"):
        leftover.unlink()
    trip_floor = baselines.round_trip_floor(blobs, settings.work)
    shutil.rmtree(settings.work / "bundle-blobs", ignore_errors=True)
    export_s, import_s = result["export_s"], result["import_s"]
    seconds = export_s + import_s
    rss = result["peak_rss_mib"]
    megabytes = f"{result['bundle_bytes'] / 2**20:,.0f} MiB bundle"
    return [
        Row(
            label,
            round(seconds, 2),
            "s",
            round(base, 2),
            "<= 2x; peak RSS < 300 MiB",
            seconds <= 2 * base and rss < 300,
            f"{megabytes} ({size / 2**20:,.0f} MiB of originals, {len(ids)} incidents); "
            f"export {export_s:.1f} s, import {import_s:.1f} s; peak RSS {rss:.0f} MiB; "
            "baseline: zip (stored) + sha256sum of the same bytes; the bytes alone, "
            f"zipped and synced, then hashed and stored in SQLite and committed, take "
            f"{trip_floor:.1f} s ({trip_floor / base:.2f}x)",
            details={**result, "round_trip_floor_s": round(trip_floor, 2)},
        ),
        Row(
            "bundle export alone",
            round(export_s, 2),
            "s",
            round(base, 2),
            "<= 2x",
            export_s <= 2 * base,
            "read from the case, checked, zipped, hashed, synced; baseline: zip + sha256sum",
        ),
        Row(
            "bundle import alone",
            round(import_s, 2),
            "s",
            round(base, 2),
            "<= 2x",
            import_s <= 2 * base,
            f"checked, hashed, stored in a new case in one transaction; the bytes alone "
            f"stored in a new SQLite file take {floor:.1f} s",
            details={"sqlite_store_s": round(floor, 2)},
        ),
    ]


def _extract_blobs(settings: Settings, incident_ids: list[str]) -> list[Path]:
    folder = settings.work / "bundle-blobs"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    conn = baselines.connect_ro(settings.case)
    files = []
    try:
        for incident_id in incident_ids:
            for sha256, data in conn.execute(
                "SELECT b.sha256, b.data FROM incident_source s JOIN source src"
                " ON src.id = s.source_id JOIN blob b ON b.sha256 = src.blob_sha256"
                " WHERE s.incident_id = ?",
                (uuid.UUID(incident_id).hex,),
            ):
                path = folder / sha256
                if not path.exists():
                    path.write_bytes(data)
                    files.append(path)
    finally:
        conn.close()
    return files


# -- 8. brief ------------------------------------------------------------------------------


def brief_selection(settings: Settings) -> list[str]:
    """Incidents with ``brief_images`` photos among them, then others, ``brief_incidents`` in all."""
    conn = baselines.connect_ro(settings.case)
    try:
        with_photos = conn.execute(
            "SELECT s.incident_id, count(*) FROM incident_source s JOIN source src"
            " ON src.id = s.source_id WHERE src.kind = 'image'"
            " GROUP BY s.incident_id ORDER BY s.incident_id"
        ).fetchall()
        chosen: list[str] = []
        photos = 0
        for incident_id, count in with_photos:
            if photos >= settings.brief_images:
                break
            chosen.append(str(incident_id))
            photos += int(count)
        others = conn.execute(
            "SELECT DISTINCT s.incident_id FROM incident_source s JOIN source src"
            " ON src.id = s.source_id WHERE src.kind = 'article'"
            " ORDER BY s.incident_id LIMIT ?",
            (settings.brief_incidents * 2,),
        ).fetchall()
    finally:
        conn.close()
    for (incident_id,) in others:
        if len(chosen) >= settings.brief_incidents:
            break
        if str(incident_id) not in chosen:
            chosen.append(str(incident_id))
    return [str(uuid.UUID(hex=i)) for i in chosen]


def _brief_child(case_path: str, incident_ids: list[str], out: str) -> dict[str, Any]:
    from desk.case import Case
    from exporters.brief import BriefOptions, build_brief

    with Case.open(Path(case_path), ANALYST) as case:
        start = time.perf_counter()
        result = build_brief(
            case,
            Path(out),
            BriefOptions(
                incident_ids=tuple(uuid.UUID(i) for i in incident_ids),
                handling="BENCHMARK",
                graphic="blur",
                include_notes=True,
                issued=datetime(2024, 7, 1, tzinfo=UTC),
            ),
        )
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "pages": getattr(result, "pages", None),
        "images": getattr(result, "images", None),
        "incidents": getattr(result, "incidents", None),
    }


def figure_brief(settings: Settings) -> list[Row]:
    label = f"brief: {settings.brief_incidents} incidents, {settings.brief_images} images"
    target = "absolute; peak RSS < 500 MiB; file <= 20 MB"
    if importlib.util.find_spec("exporters.brief") is None:
        return [Row(label, None, "s", None, target, None, "skipped: no exporters.brief yet")]
    out = settings.work / "brief.pdf"
    out.unlink(missing_ok=True)
    try:
        result = in_child(_brief_child, str(settings.case), brief_selection(settings), str(out))
    except Exception as exc:  # the exporter is young: report, do not stop the run
        return [Row(label, None, "s", None, target, None, f"skipped: {type(exc).__name__}: {exc}")]
    size = out.stat().st_size / 1e6 if out.is_file() else None
    rss = result["peak_rss_mib"]
    return [
        Row(
            label,
            round(float(result["seconds"]), 2),
            "s",
            None,
            target,
            rss < 500 and size is not None and size <= 20,
            f"{result['pages']} pages, {result['images']} images, {result['incidents']} "
            f"incidents; file {'?' if size is None else f'{size:.1f} MB'}; peak RSS "
            f"{rss:.0f} MiB (export in its own process)",
            details=result,
        )
    ]


# -- 9. the CLI ----------------------------------------------------------------------------


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("evidence-desk")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "desk"]


def figure_cli(settings: Settings) -> list[Row]:
    out = settings.work / "incidents.json"
    env = dict(
        os.environ, EVIDENCE_DESK_ANALYST=ANALYST, EVIDENCE_DESK_HOME=str(settings.work / "home")
    )
    start = time.perf_counter()
    note = ""
    try:
        with out.open("wb") as sink:
            subprocess.run(
                [*cli_command(), "incidents", str(settings.case), "--json"],
                stdout=sink,
                env=env,
                check=True,
                timeout=settings.cli_timeout,
            )
        seconds: float | None = time.perf_counter() - start
        listed = len(json.loads(out.read_text(encoding="utf-8")))
        note = f"{listed:,} incidents listed"
    except subprocess.TimeoutExpired:
        seconds = None
        note = f"did not finish within {settings.cli_timeout:.0f} s"
    base_out = settings.work / "incidents-sqlite.json"
    base = baselines.sqlite_json(settings.case, base_out)
    if base is None:
        note += "; baseline skipped: no sqlite3 shell on this machine"
    else:
        base_rows = len(json.loads(base_out.read_text(encoding="utf-8") or "[]"))
        note += f"; baseline: sqlite3 -json of the same {base_rows:,} rows"
    ratio = seconds / base if seconds is not None and base else None
    return [
        Row(
            "evidence-desk incidents --json",
            None if seconds is None else round(seconds, 2),
            "s",
            None if base is None else round(base, 3),
            "<= 3x",
            None if base is None else (ratio is not None and ratio <= 3),
            note,
        )
    ]


FIGURES: dict[str, Callable[[Settings], list[Row]]] = {
    "start": figure_start,
    "list": figure_list,
    "search": figure_search,
    "import-files": figure_import_files,
    "import-html": figure_import_html,
    "conflicts": figure_conflicts,
    "bundle": figure_bundle,
    "brief": figure_brief,
    "cli": figure_cli,
}


# -- the table -----------------------------------------------------------------------------


def format_ratio(row: Row) -> str:
    ratio = row.ratio
    if ratio is None:
        return "-"
    if row.better == "higher":
        return f"{ratio * 100:.0f}%"
    return f"{ratio:.2f}x"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:,.3g} {unit}" if abs(value) < 100 else f"{value:,.0f} {unit}"


def table(rows: list[Row]) -> str:
    header = ("figure", "measured", "baseline", "ratio", "target", "met")
    lines = [
        (
            r.figure,
            format_value(r.value, r.unit),
            format_value(r.baseline, r.unit),
            format_ratio(r),
            r.target,
            {True: "yes", False: "NO", None: "-"}[r.met],
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=False)]
    out = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    out += [
        "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    notes = [f"- {r.figure}: {r.note}" for r in rows if r.note]
    return "\n".join([*out, "", *notes])


def case_facts(path: Path) -> dict[str, Any]:
    conn = baselines.connect_ro(path)
    try:
        counts = {
            table_name: conn.execute(f"SELECT count(*) FROM {table_name}").fetchone()[0]
            for table_name in ("incident", "source", "claim", "outlet", "place", "note", "history")
        }
        counts["open_conflicts"] = conn.execute(
            "SELECT sum(open_conflicts) FROM incident"
        ).fetchone()[0]
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    return {"path": str(path), "bytes": size, "counts": counts}


@contextlib.contextmanager
def quick_case(work: Path) -> Iterator[Path]:
    path = work / "quick.evcase"
    for leftover in work.glob("quick.evcase*"):
        leftover.unlink()
    make_case.build(path, make_case.Scale.of(300, images=12), seed=1, log=lambda _: None)
    yield path


def run(settings: Settings, only: list[str]) -> list[Row]:
    rows: list[Row] = []
    for name, figure in FIGURES.items():
        if only and name not in only:
            continue
        start = time.perf_counter()
        print(f"measuring {name}…", file=sys.stderr, flush=True)
        try:
            found = figure(settings)
        except Exception as exc:
            traceback.print_exc()
            found = [Row(name, None, "", None, "", False, f"failed: {type(exc).__name__}: {exc}")]
        for row in found:
            row.details.setdefault("figure_seconds", round(time.perf_counter() - start, 2))
        rows.extend(found)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny case, every figure, < 1 min")
    parser.add_argument("--case", type=Path, help=f"the case to measure (default {DEFAULT_CASE})")
    parser.add_argument("--work", type=Path, help="folder for generated files and scratch cases")
    parser.add_argument("--only", nargs="*", choices=sorted(FIGURES), default=[])
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        if args.work:
            work = args.work
        elif args.quick:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        else:
            work = DEFAULT_WORK
        work.mkdir(parents=True, exist_ok=True)
        # Backups, settings and the analyst's keys of every desk run here go to the work
        # folder, never to the user's own.
        os.environ["EVIDENCE_DESK_HOME"] = str(work / "home")
        os.environ.setdefault("EVIDENCE_DESK_ANALYST", ANALYST)
        if args.case:
            case = args.case
        elif args.quick:
            case = stack.enter_context(quick_case(work))
        else:
            case = DEFAULT_CASE
        if not case.is_file():
            print(f"{case}: no such case; make one with `make bench-case`.", file=sys.stderr)
            return 2
        settings = settings_for(args.quick, case, work)
        rows = run(settings, args.only)
        facts = case_facts(case)

    print(table(rows))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "system": platform.platform(),
        },
        "case": facts,
        "rows": [r.to_json() for r in rows],
    }
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = args.results / f"{stamp}{'-quick' if args.quick else ''}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{len(rows)} figures in {report['seconds']} s; written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
