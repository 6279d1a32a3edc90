"""The benchmark runs end to end on a tiny case, so its code cannot rot.

No timing is asserted (machines differ; CI is no place for performance verdicts):
only that every figure of the issue's table was measured or explicitly skipped with
a reason, and that the table and the JSON came out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

FIGURES = (
    "start to first painted rows",
    "start: peak RSS",
    "list: largest model call while scrolling",
    "list: sort",
    "list: last page after a sort",
    "list: filter as one types",
    "search: common term",
    "search: rare term",
    "search: phrase",
    "search: Arabic term",
    "photos",
    "saved HTML articles",
    "conflicts after one new claim",
    "bundle export + import",
    "brief:",
    "evidence-desk incidents --json",
)
# Rows that may be skipped with a note: the feature may not exist yet, or the
# baseline's tool may be missing on the machine.
MAY_SKIP = ("bundle export + import", "brief:")


def test_quick_benchmark_measures_every_figure(tmp_path: Path) -> None:
    results = tmp_path / "results"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--quick",
            "--work",
            str(tmp_path / "work"),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=170,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    written = list(results.glob("*-quick.json"))
    assert len(written) == 1
    report = json.loads(written[0].read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert report["case"]["counts"]["incident"] == 300

    rows = report["rows"]
    for figure in FIGURES:
        found = [r for r in rows if figure in r["figure"]]
        assert found, f"no row for {figure!r}"
        for row in found:
            assert row["figure"] in done.stdout
            assert "failed:" not in row["note"], row["note"]
            if row["value"] is None:
                assert any(f in figure for f in MAY_SKIP), f"{figure}: {row['note']}"
                assert row["note"].startswith("skipped:"), row["note"]
            else:
                assert row["unit"]
                assert row["target"]
                assert row["met"] in (True, False, None)
