"""What `evidence-desk incidents CASE --json` costs when it reads its views in chunks.

    python benchmarks/cli_listing.py CASE

The CLI (desk/cli.py, ``cmd_incidents``) calls ``case.incidents.get(id)`` once per
incident: seven queries each, about 700,000 for a 100,000-incident case. This script
does the same listing through ``IncidentService.views`` (seven queries per 500
incidents) and prints the seconds it took and the rows it wrote, so the fix can be
measured before the CLI adopts it (docs/performance.md).
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from desk.case import Case  # noqa: E402


def listing(case_path: Path, out: Path) -> tuple[float, int]:
    """Seconds to list every incident as the CLI's JSON, and how many were listed."""
    start = time.perf_counter()
    with Case.open(case_path) as case:
        total = case.incidents.count()
        rows = case.incidents.rows(limit=max(total, 1))
        views = [view.to_json() for view in case.incidents.views([r.id for r in rows])]
    counts = {r.id: r for r in rows}
    for view in views:
        view["source_count"] = counts[uuid.UUID(view["id"])].source_count
    out.write_text(json.dumps(views, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return time.perf_counter() - start, len(views)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    case_path = Path(argv[0])
    seconds, listed = listing(case_path, case_path.with_name(case_path.stem + "-listing.json"))
    print(f"{listed:,} incidents listed in {seconds:.2f} s through IncidentService.views")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
