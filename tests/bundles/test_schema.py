"""The published schema is the one the reader enforces; the migration keeps the
search triggers; bundles written by the desk validate against the published schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from desk.bundles.schema import schema_text
from desk.case import Case
from tests.bundles.conftest import members_of, records_of
from tests.conftest import REPO

DOC = REPO / "docs" / "bundle.schema.json"


def test_the_published_schema_is_the_enforced_one() -> None:
    assert DOC.read_text(encoding="utf-8") == schema_text(), (
        "docs/bundle.schema.json is stale: write desk.bundles.schema.schema_text() to it"
    )
    Draft202012Validator.check_schema(json.loads(schema_text()))


def test_a_written_bundle_validates_against_the_published_schema(small_bundle: Path) -> None:
    schema = json.loads(DOC.read_text(encoding="utf-8"))

    def valid(definition: str, instance: object) -> bool:
        wrapper = {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
        return bool(Draft202012Validator(wrapper).is_valid(instance))

    members = members_of(small_bundle)
    assert valid("manifest", json.loads(members["manifest.json"]))
    lines = records_of(members)
    assert {line["type"] for line in lines} >= {"incident", "source", "claim", "place"}
    assert all(valid("record", line) for line in lines)
    history = [json.loads(line) for line in members["history.jsonl"].splitlines()]
    assert history
    assert all(valid("history_entry", entry) for entry in history)


def test_the_bundle_tables_leave_the_search_triggers_in_place(case: Case) -> None:
    with sqlite3.connect(case.path) as conn:
        triggers = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    conn.close()
    assert {"incident_search_insert", "note_search_update", "history_no_delete"} <= triggers
    assert {
        "sync_base",
        "bundle_import",
        "bundle_record",
        "foreign_history",
        "merge_review",
    } <= tables
