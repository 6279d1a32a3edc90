"""Benchmark: a brief of 200 incidents with 100 images (~1 MB JPEGs), not a test.

    .venv/bin/python benchmarks/brief.py            # the full run (a few minutes)
    .venv/bin/python benchmarks/brief.py --quick    # 20 incidents, 5 images

Builds a synthetic case through the services, then exports the brief in a child
process, so that its peak memory (VmHWM, see peak.py) is the export's alone, and prints the
time, the pages, the peak RSS and the file size.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from peak import peak_rss_kib  # noqa: E402

from desk.case import Case  # noqa: E402
from desk.services.incidents import IncidentFields  # noqa: E402

OUTLETS = [("Northwest Syria Observer", "C"), ("Idlib Civilian Protection Monitor", "B")]
PLACES = [("Sarmin", 35.903, 36.7225), ("al-Nayrab", 35.8612, 36.759), ("سراقب", 35.86, 36.8)]


def noisy_jpeg(rng: random.Random, width: int = 1400, height: int = 1000) -> bytes:
    """A JPEG of about 1 MB: noise does not compress."""
    from PIL import Image

    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def build_case(path: Path, incidents: int, images: int) -> None:
    rng = random.Random(5)
    with Case.create(path, "Benchmark case", analyst="Benchmark") as case:
        for name, grade in OUTLETS:
            case.outlets.grade(name, grade, "Benchmark grade.")
        for n in range(incidents):
            place, lat, lon = PLACES[n % len(PLACES)]
            incident = case.incidents.create(
                IncidentFields(
                    title=f"Shelling of the market in {place}, report {n + 1}",
                    summary="Artillery fire hit the market in the morning. " * 4,
                    start=date(2024, 1, 1) + timedelta(days=n % 180),
                    place=place,
                    latitude=lat + rng.uniform(-0.05, 0.05),
                    longitude=lon + rng.uniform(-0.05, 0.05),
                    status="under review",
                )
            )
            first, _ = case.sources.import_bytes(
                f"Report {n}: five people were killed in {place}.\n".encode(), f"r{n}-a.txt"
            )
            second, _ = case.sources.import_bytes(
                f"Update {n}: seven people were killed in {place}.\n".encode(), f"r{n}-b.txt"
            )
            case.sources.update(first.id, outlet=OUTLETS[0][0])
            case.sources.update(second.id, outlet=OUTLETS[1][0])
            case.claims.add(incident.id, first.id, "fatalities", "5", credibility=3)
            case.claims.add(incident.id, second.id, "fatalities", "7", credibility=2)
            if n < images:
                photo, _ = case.sources.import_bytes(
                    noisy_jpeg(rng), f"photo-{n}.jpg", incident_id=incident.id
                )
                if n % 10 == 0:
                    case.sources.set_graphic(photo.id, True)
            case.notes.add(f"Note on report {n + 1}.", incident_id=incident.id)


def export(case_path: Path, out: Path) -> None:
    """The child process: export and print the measurements."""
    from exporters.brief import BriefOptions, build_brief

    started = time.perf_counter()
    with Case.open(case_path, analyst="Benchmark") as case:
        result = build_brief(
            case,
            out,
            BriefOptions(
                handling="BENCHMARK",
                graphic="blur",
                include_notes=True,
                issued=datetime(2024, 7, 1, tzinfo=UTC),
            ),
        )
    elapsed = time.perf_counter() - started
    peak_mib = peak_rss_kib() / 1024
    print(f"incidents   {result.incidents}")
    print(f"images      {result.images}")
    print(f"pages       {result.pages}")
    print(f"time        {elapsed:.1f} s")
    print(f"peak RSS    {peak_mib:.0f} MiB (export process)")
    print(f"file size   {out.stat().st_size / 1_000_000:.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 incidents, 5 images")
    parser.add_argument("--folder", type=Path, help="keep the case and the PDF here")
    parser.add_argument(
        "--export", nargs=2, type=Path, metavar=("CASE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.export:
        export(*args.export)
        return 0
    incidents, images = (20, 5) if args.quick else (200, 100)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="brief-benchmark-"))
    folder.mkdir(parents=True, exist_ok=True)
    case_path = folder / f"benchmark-{incidents}.evcase"
    if not case_path.exists():
        started = time.perf_counter()
        build_case(case_path, incidents, images)
        print(f"case built in {time.perf_counter() - started:.1f} s: {case_path}")
    out = folder / f"benchmark-{incidents}.pdf"
    child = [sys.executable, __file__, "--export", str(case_path), str(out)]
    return subprocess.run(child, check=False, env={**os.environ, "PYTHONHASHSEED": "0"}).returncode


if __name__ == "__main__":
    raise SystemExit(main())
