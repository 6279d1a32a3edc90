"""Import a folder into a case and print how long the import took (for ``run.py``).

    python benchmarks/import_child.py CASE FOLDER

The desk is loaded and its extraction workers warmed first, as in a running desk (which
warms them once a case is showing), and only ``import_files`` is timed (the baselines
time the work, not starting Python). Nothing is imported at the top: each
extraction worker ("spawn") imports the parent's main script first, and the desk's own
script (``desk/launch.py``) is as light as this one.
"""

from __future__ import annotations

import sys


def main(case_path: str, folder: str) -> None:
    import json
    import time
    from pathlib import Path

    from desk.case import Case
    from desk.services.importing import warm_up

    case = Case.open(case_path)
    warm_up()
    try:
        start = time.perf_counter()
        outcomes = case.sources.import_files([Path(folder)])
        seconds = time.perf_counter() - start
    finally:
        case.close()
    print(json.dumps({"seconds": seconds, "failed": sum(not o.ok for o in outcomes)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
