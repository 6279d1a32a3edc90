"""A demo case with claims, a resolution and a graphic image, and briefs read back.

Building the case and its brief takes a few seconds, so they are made once per module
(``tmp_path_factory``); tests that change a case make their own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk.case import Case
from desk.demo import build_demo_case, demo_manifest
from exporters.brief import BriefOptions, BriefResult, build_brief

ANALYST = "Test Analyst"
ISSUED = datetime(2024, 3, 20, 9, 30, tzinfo=UTC)
HANDLING = "RESTRICTED - FOR PARTNER DISTRIBUTION"
RATIONALE = "Hospital records give at least six; the outlets' 5 and 7 bracket it."


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils and qpdf (.ci/run does)")
    return path


def pdftotext(pdf: Path, *extra: str) -> str:
    require_tool("pdftotext")
    return subprocess.run(
        ["pdftotext", *extra, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def logical(text: str) -> str:
    """Extracted text with Arabic presentation forms turned back into letters."""
    return unicodedata.normalize("NFKC", text)


def squeezed(text: str) -> str:
    """Without any white space: long strings wrap over lines in the PDF."""
    return re.sub(r"\s+", "", text)


def demo_ids(case: Case) -> dict[str, uuid.UUID]:
    """The demo incidents by their manifest key."""
    by_title = {row.title: row.id for row in case.incidents.rows()}
    return {item["key"]: by_title[item["title"]] for item in demo_manifest()["incidents"]}


def record_demo_claims(case: Case) -> None:
    """The demo's fatalities conflict resolved and its photo marked graphic (the demo
    case itself records the manifest's claims)."""
    ids = demo_ids(case)
    files = {s.original_filename: s.id for s in case.sources.list()}
    fatalities = next(c for c in case.claims.conflicts(ids["market"]) if c.field == "fatalities")
    case.claims.resolve(
        fatalities.id, value="5-7", best=6, rationale=RATIONALE, confidence="moderate"
    )
    case.sources.set_graphic(files["sarmin-market-2024-03-06.jpg"], True)


@dataclass(frozen=True)
class Built:
    case_path: Path
    pdf: Path
    result: BriefResult
    text: str  # pdftotext output


@pytest.fixture(scope="module")
def demo_case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_demo_case(tmp_path_factory.mktemp("demo") / "demo.evcase")
    with Case.open(path, analyst=ANALYST) as case:
        record_demo_claims(case)
    return path


def demo_options(**changes: object) -> BriefOptions:
    base: dict[str, object] = {
        "handling": HANDLING,
        "author": "A. Analyst",
        "issued": ISSUED,
        "include_notes": True,
        "graphic": "blur",
        "invariant": True,
    }
    base.update(changes)
    return BriefOptions(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def demo_brief(demo_case_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    pdf = tmp_path_factory.mktemp("brief") / "demo-brief.pdf"
    with Case.open(demo_case_path, analyst=ANALYST) as case:
        result = build_brief(case, pdf, demo_options())
    return Built(demo_case_path, pdf, result, pdftotext(pdf))


def image_xobjects(pdf: Path) -> list[dict[str, object]]:
    """Every image the PDF holds (de-duplicated by object), with its size."""
    reader = PdfReader(pdf)
    found: dict[int, dict[str, object]] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found[ref.idnum] = {"width": obj["/Width"], "height": obj["/Height"]}
    return list(found.values())


def link_targets(pdf: Path) -> list[str]:
    """What every link annotation does, as text (internal go-tos and anything else)."""
    reader = PdfReader(pdf)
    targets = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link":
                targets.append(repr({k: annot[k] for k in annot if k in ("/A", "/Dest")}))
    return targets
