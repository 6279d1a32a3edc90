"""What `evidence-desk incidents CASE --json` costs, and whether it still says what the
incidents' views say.

    python benchmarks/cli_listing.py CASE [--views]

Times the CLI's listing (``desk.services.listing.incident_dicts``: plain rows, a
chunk of incidents at a time, written as it is read) into CASE-listing-rows.json, and
prints the seconds and the incidents listed. With ``--views`` it also lists the
incidents the earlier way (``IncidentService.views`` and ``to_json``), times
that, and says whether the two outputs are byte for byte the same
(docs/performance.md, gap 8).
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from desk.case import Case  # noqa: E402
from desk.cli import _print_incidents_json  # noqa: E402
from desk.services.listing import incident_dicts  # noqa: E402


def listing(case_path: Path, out: Path) -> tuple[float, int]:
    """Seconds to write every incident as the CLI's JSON, and how many were listed."""
    listed = 0

    def counted(items: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal listed
        for item in items:
            listed += 1
            yield item

    start = time.perf_counter()
    with Case.open(case_path) as case, out.open("w", encoding="utf-8") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            _print_incidents_json(counted(incident_dicts(case)))
        finally:
            sys.stdout = saved
    return time.perf_counter() - start, listed


def through_views(case_path: Path) -> tuple[float, str]:
    """Seconds and text of the same listing through ``views()`` (the earlier path)."""
    start = time.perf_counter()
    with Case.open(case_path) as case:
        rows = case.incidents.rows(limit=max(case.incidents.count(), 1))
        counts = {row.id: row.source_count for row in rows}
        text = io.StringIO()
        text.write("[")
        for number, view in enumerate(case.incidents.views([r.id for r in rows])):
            item = {**view.to_json(), "source_count": counts[view.id]}
            dumped = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            text.write(("\n  " if number == 0 else ",\n  ") + dumped)
        text.write("\n]\n" if rows else "]\n")
    return time.perf_counter() - start, text.getvalue()


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2 or (len(argv) == 2 and argv[1] != "--views"):
        print(__doc__, file=sys.stderr)
        return 2
    case_path = Path(argv[0])
    out = case_path.with_name(case_path.stem + "-listing-rows.json")
    seconds, listed = listing(case_path, out)
    print(f"{listed:,} incidents listed in {seconds:.2f} s from plain rows ({out})")
    if len(argv) == 2:
        view_seconds, text = through_views(case_path)
        same = text == out.read_text(encoding="utf-8")
        print(f"through views(): {view_seconds:.2f} s; same bytes: {'yes' if same else 'NO'}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
