"""Case bundles through the installed command: export, verify, preview, import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from desk.case import Case
from desk.services.incidents import IncidentFields


def desk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desk", *map(str, args)], capture_output=True, text=True
    )


def desk_json(*args: object) -> Any:
    done = desk(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_bundle_travels_from_one_case_to_another(tmp_path: Path, samples: Path) -> None:
    sent = tmp_path / "anna.evcase"
    with Case.create(sent, "Anna's case", analyst="Anna") as case:
        incident = case.incidents.create(
            IncidentFields(title="Clashes in Albukamal", place="Albukamal")
        )
        outcomes = case.sources.import_files(
            [samples / "field-note-2019-06-10.txt", samples / "albukamal-square-2019-06-08.jpg"],
            incident.id,
        )
        source_ids = {str(o.source.id) for o in outcomes if o.source is not None}
        case.notes.add("Ask the field team about the flag.", incident_id=incident.id)
    received = tmp_path / "bob.evcase"
    Case.create(received, "Bob's case", analyst="Bob").close()
    bundle = tmp_path / "anna.evbundle"

    exported = desk("bundle-export", sent, "-o", bundle)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(str(bundle))
    assert "unsigned" in exported.stdout
    assert bundle.is_file()

    checked = desk("bundle-verify", bundle)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("valid:")
    assert "from case 'Anna's case'" in checked.stdout

    preview = desk_json("bundle-import", received, bundle, "--dry-run")
    assert preview["plan"]["applied"] is False
    assert preview["plan"]["counts"]["incident"]["added"] == 1
    assert preview["plan"]["counts"]["source"]["added"] == 2
    assert desk_json("incidents", received) == []
    assert desk_json("backups", received) == []

    imported = desk("bundle-import", received, bundle)
    assert imported.returncode == 0, imported.stderr
    assert "Imported: " in imported.stdout
    assert "backup of the case before the import: " in imported.stdout

    (incident_json,) = desk_json("incidents", received)
    assert incident_json["id"] == str(incident.id)
    assert incident_json["title"] == "Clashes in Albukamal"
    assert {s["id"] for s in desk_json("sources", received)} == source_ids
    verified = desk("verify", received)
    assert verified.returncode == 0
    assert verified.stdout.startswith("ok: ")
    assert "2 originals match their SHA-256" in verified.stdout
    assert "entries received in bundles intact" in verified.stdout  # custody continues
    (backup,) = desk_json("backups", received)
    assert backup["reason"] == "before-bundle-import"
    with Case.open(Path(backup["path"])) as before:
        assert before.incidents.rows() == []

    again = desk("bundle-import", received, bundle)
    assert again.returncode == 0
    assert "Nothing to import" in again.stdout


def test_a_damaged_bundle_is_refused_by_name(tmp_path: Path) -> None:
    case = tmp_path / "c.evcase"
    Case.create(case, "C").close()
    bundle = tmp_path / "broken.evbundle"
    bundle.write_bytes(b"PK\x03\x04 not really a zip")

    checked = desk("bundle-verify", bundle)
    assert checked.returncode == 1
    assert checked.stdout.startswith(f"invalid: {bundle}")

    refused = desk("bundle-import", case, bundle)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"evidence-desk: {bundle}")
    assert refused.stderr.count("\n") == 1
    assert desk_json("incidents", case) == []
