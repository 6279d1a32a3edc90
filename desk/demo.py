"""The demo case: fictional material from resources/demo built through the services."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from desk import paths
from desk.case import Case
from desk.dates import parse_partial_date
from desk.errors import CaseError
from desk.services.incidents import IncidentFields
from resources import resource


def demo_manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("demo", "demo.json").read_text(encoding="utf-8"))
    return data


def build_demo_case(path: Path | None = None, replace: bool = False) -> Path:
    """Build the demo case at ``path`` (default: the user's data folder) unless it exists.

    It is built under a temporary name and renamed into place, so an interrupted build
    never leaves a half-made demo case behind.
    """
    target = path or paths.demo_case_path()
    if target.exists() and not replace:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".demo-", dir=target.parent))
    try:
        partial = folder / target.name
        _populate(partial)
        os.replace(partial, target)
    finally:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
    return target


def _populate(path: Path) -> None:
    manifest = demo_manifest()
    analyst = manifest["case"].get("analyst", "Demo Analyst")
    with Case.create(path, manifest["case"]["title"], analyst=analyst) as case:
        for place in manifest.get("places", []):
            case.gazetteer.define_place(
                place["name"],
                place.get("aliases", []),
                admin1=place.get("admin1"),
                country=place.get("country"),
                latitude=place.get("lat"),
                longitude=place.get("lon"),
            )
        for actor in manifest.get("actors", []):
            case.gazetteer.define_actor(actor["name"], actor.get("aliases", []))
        incidents = {}
        for item in manifest["incidents"]:
            incident = case.incidents.create(_fields(item))
            incidents[item["key"]] = incident.id
            files = [Path(str(resource("demo", name))) for name in item.get("sources", [])]
            for outcome in case.sources.import_files(files, incident.id):
                if outcome.error:
                    raise CaseError(f"The demo material is broken: {outcome.error}")
            for note in item.get("notes", []):
                case.notes.add(note, incident_id=incident.id)
        by_file = {s.original_filename: s.id for s in case.sources.list()}
        for filename, outlet_name in manifest.get("source_outlets", {}).items():
            case.sources.update(by_file[filename], outlet=outlet_name)
        for outlet in manifest.get("outlets", []):
            case.outlets.grade(outlet["name"], outlet["reliability"], outlet["reason"])
        # What the sources claim, so the demo opens with its conflicts to resolve.
        for claim in manifest.get("claims", []):
            case.claims.add(
                incidents[claim["incident"]],
                by_file[claim["source"]],
                claim["field"],
                claim["value"],
                quote=claim.get("quote"),
                credibility=claim.get("credibility"),
                question=claim.get("question"),
                role=claim.get("role"),
            )
        if case_note := manifest["case"].get("note"):
            case.notes.add(case_note)


def _fields(item: dict[str, Any]) -> IncidentFields:
    start, start_precision = (
        parse_partial_date(item["start"]) if item.get("start") else (None, "day")
    )
    end, end_precision = parse_partial_date(item["end"]) if item.get("end") else (None, None)
    return IncidentFields(
        title=item["title"],
        summary=item.get("summary", ""),
        start=start,
        start_precision=item.get("start_precision") or start_precision,
        end=end,
        end_precision=item.get("end_precision") or end_precision,
        place=item.get("place"),
        latitude=item.get("lat"),
        longitude=item.get("lon"),
        event_type=item.get("event_type"),
        sub_event_type=item.get("sub_event_type"),
        status=item.get("status", "draft"),
        tags=tuple(item.get("tags", [])),
        actors=tuple((a["name"], a.get("role", "actor1")) for a in item.get("actors", [])),
    )
