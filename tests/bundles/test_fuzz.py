"""Random damage to a valid bundle, pushed through the whole import (reader and merge):
either the bundle is refused with the documented sentence ("<file>: the bundle was
refused: <reason>.") and the case stays byte for byte as it was, or it is applied in
full and verify passes.

Two kinds of damage: bytes of the file (mostly caught by the zip and the hashes), and
changes to the records and history inside a bundle whose manifest lists them truly (so
they reach the merge): values replaced, keys dropped, lines dropped or repeated, ids
swapped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desk.bundles import merge, records
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.bundles.conftest import (
    all_rows,
    members_of,
    records_of,
    with_manifest,
    with_records,
    write_zip,
)

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RECEIVERS = ("empty", "holds-an-older-version")


@pytest.fixture(scope="module")
def receivers(small_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Closed case files to import into: an empty case, and one that imported the
    bundle before and has changed since (so the merge compares three ways)."""
    folder = tmp_path_factory.mktemp("receivers")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVIDENCE_DESK_HOME", str(folder / "home"))
        Case.create(folder / "empty.evcase", "Empty", analyst="Bob").close()
        with Case.create(folder / "older.evcase", "Older", analyst="Bob") as case:
            merge.apply(case, open_bundle(small_bundle))
            (incident,) = case.incidents.rows()
            case.incidents.update(incident.id, title="Shelling of Hajin", summary="Bob's words.")
            case.notes.add("Bob was here.", incident_id=incident.id)
    return {"empty": folder / "empty.evcase", "holds-an-older-version": folder / "older.evcase"}


def _table_counts(case: Case) -> dict[str, int]:
    rows = all_rows(case)
    return {kind.name: rows[kind.model.__tablename__] for kind in records.TYPES}


def _import_and_check(receiver: Path, bundle: Path, tmp_path: Path) -> str:
    """Import ``bundle`` into a copy of ``receiver``; check the all-or-nothing promise.
    Returns what happened, for the statistics."""
    victim = tmp_path / "victim.evcase"
    shutil.copyfile(receiver, victim)
    before_bytes = hashlib.sha256(victim.read_bytes()).hexdigest()
    with Case.open(victim, analyst="Vera") as case:
        rows = all_rows(case)
        tables = _table_counts(case)
        try:
            plan = merge.apply(case, open_bundle(bundle))
        except BadInputError as exc:
            refusal = str(exc)
            assert refusal.startswith(f"{bundle}: the bundle was refused: "), refusal
            assert refusal.endswith("."), refusal
            assert all_rows(case) == rows
        else:
            refusal = ""
            report = verify_case(case)
            assert report.ok, report.problems
            if plan.applied:
                added = {name: c.added for name, c in plan.counts.items()}
                grown = {k: n - tables[k] for k, n in _table_counts(case).items()}
                assert grown == added
                assert all_rows(case)["bundle_import"] == rows["bundle_import"] + 1
            else:
                assert not plan.changed
    if refusal:
        assert hashlib.sha256(victim.read_bytes()).hexdigest() == before_bytes
        return "refused: " + refusal.split("refused: ", 1)[1][:40]
    return "applied" if plan.applied else "nothing new"


@FUZZ
@given(
    receiver=st.sampled_from(RECEIVERS),
    changes=st.lists(st.tuples(st.integers(0), st.integers(0, 255)), min_size=1, max_size=8),
    keep=st.just(1.0) | st.floats(0.5, 1.0),
)
def test_damaged_bytes_are_refused_or_merged_in_full(
    small_bundle: Path,
    receivers: dict[str, Path],
    tmp_path: Path,
    receiver: str,
    changes: list[tuple[int, int]],
    keep: float,
) -> None:
    mutated = bytearray(small_bundle.read_bytes())
    for position, value in changes:
        mutated[position % len(mutated)] = value
    target = tmp_path / "mutated.evbundle"
    target.write_bytes(bytes(mutated[: max(1, int(len(mutated) * keep))]))
    event(_import_and_check(receivers[receiver], target, tmp_path))


# -- changes inside a bundle that lists them truly ----------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "2019-06-07", "day", "count", "actor1", "A", "article", "\x00"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@dataclass(frozen=True)
class SetData:
    line: int
    key: int
    value: Any  # a JSON value, or "@id:N": the id of line N


@dataclass(frozen=True)
class EditData:
    """A value replaced by one of the same JSON type (more of these reach the merge)."""

    line: int
    key: int
    text: str
    number: int


@dataclass(frozen=True)
class DropData:
    line: int
    key: int


@dataclass(frozen=True)
class SetTop:
    line: int
    field: str
    value: Any


@dataclass(frozen=True)
class DropLine:
    line: int


@dataclass(frozen=True)
class RepeatLine:
    line: int


@dataclass(frozen=True)
class ChangeHistory:
    line: int
    field: str
    value: Any
    rehash: bool  # recompute the entry's hash, as a forger would


Change = SetData | EditData | DropData | SetTop | DropLine | RepeatLine | ChangeHistory

_LINE = st.integers(0, 1000)
_REFERENCE = st.integers(0, 1000).map(lambda n: f"@id:{n}")
CHANGES = st.one_of(
    st.builds(SetData, _LINE, st.integers(0, 1000), JSON_VALUES | _REFERENCE),
    st.builds(EditData, _LINE, st.integers(0, 1000), st.text(max_size=40), st.integers(-5, 10**6)),
    st.builds(EditData, _LINE, st.integers(0, 1000), st.text(max_size=40), st.integers(-5, 10**6)),
    st.builds(DropData, _LINE, st.integers(0, 1000)),
    st.builds(
        SetTop,
        _LINE,
        st.sampled_from(["id", "type", "revision", "base"]),
        JSON_VALUES | _REFERENCE | st.uuids().map(str),
    ),
    st.builds(DropLine, _LINE),
    st.builds(RepeatLine, _LINE),
    st.builds(
        ChangeHistory,
        _LINE,
        st.sampled_from(["summary", "actor", "entity_id", "seq", "at", "after"]),
        JSON_VALUES | st.uuids().map(str),
        st.booleans(),
    ),
)


def _resolve(value: Any, lines: list[dict[str, Any]]) -> Any:
    if isinstance(value, str) and value.startswith("@id:") and lines:
        return lines[int(value[4:]) % len(lines)].get("id")
    return value


def _apply_change(
    change: Change, lines: list[dict[str, Any]], history: list[dict[str, Any]]
) -> None:
    if isinstance(change, ChangeHistory):
        if not history:
            return
        entry = history[change.line % len(history)]
        entry[change.field] = change.value
        if change.rehash:
            from desk.bundles.reader import HISTORY_CONTENT
            from desk.history import entry_hash

            try:
                content = {k: entry[k] for k in HISTORY_CONTENT}
                entry["hash"] = entry_hash(str(entry["prev_hash"]), content)
            except (TypeError, ValueError):
                pass  # not JSON a hash can be taken of: left for the reader to refuse
        return
    if not lines:
        return
    index = change.line % len(lines)
    line = lines[index]
    if isinstance(change, SetData | EditData | DropData):
        data = line.get("data")
        if not isinstance(data, dict) or not data:
            return
        key = sorted(data)[change.key % len(data)]
        if isinstance(change, SetData):
            data[key] = _resolve(change.value, lines)
        elif isinstance(change, DropData):
            del data[key]
        elif isinstance(data[key], str):
            data[key] = change.text
        elif isinstance(data[key], int | float) and not isinstance(data[key], bool):
            data[key] = change.number
    elif isinstance(change, SetTop):
        line[change.field] = _resolve(change.value, lines)
    elif isinstance(change, DropLine):
        del lines[index]
    else:
        lines.insert(index, json.loads(json.dumps(line)))


def _true_counts(lines: list[dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    """A manifest change: the counts of the record lines as they now are."""

    def change(manifest: dict[str, Any]) -> None:
        counts = dict.fromkeys(manifest["counts"], 0)
        for line in lines:
            kind = line.get("type")
            if isinstance(kind, str) and kind in counts:
                counts[kind] += 1
        manifest["counts"] = counts

    return change


@FUZZ
@given(receiver=st.sampled_from(RECEIVERS), changes=st.lists(CHANGES, min_size=1, max_size=4))
def test_changed_records_are_refused_or_merged_in_full(
    small_bundle: Path,
    receivers: dict[str, Path],
    tmp_path: Path,
    receiver: str,
    changes: list[Change],
) -> None:
    members = members_of(small_bundle)
    lines = records_of(members)
    history = [json.loads(line) for line in members["history.jsonl"].splitlines()]
    for change in changes:
        _apply_change(change, lines, history)
    changed = with_records(members, lines)
    changed["history.jsonl"] = b"".join(
        json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n" for entry in history
    )
    target = write_zip(tmp_path / "changed.evbundle", with_manifest(changed, _true_counts(lines)))
    event(_import_and_check(receivers[receiver], target, tmp_path))


def test_a_bundle_of_new_ids_for_known_records_merges_by_what_it_holds(
    small_bundle: Path, receivers: dict[str, Path], tmp_path: Path
) -> None:
    """A fixed example of the generated kind: every record under a new id."""
    members = members_of(small_bundle)
    lines = records_of(members)
    text = json.dumps(lines)
    for line in lines:
        text = text.replace(line["id"], str(uuid.uuid4()))
    changed = with_records(members, json.loads(text))
    target = write_zip(tmp_path / "renamed.evbundle", with_manifest(changed))
    assert _import_and_check(receivers["holds-an-older-version"], target, tmp_path) == "applied"


def test_the_small_bundle_itself_merges(
    small_bundle: Path, receivers: dict[str, Path], tmp_path: Path
) -> None:
    assert _import_and_check(receivers["empty"], small_bundle, tmp_path) == "applied"
    again = tmp_path / "again.evbundle"
    sender = tmp_path / "sender.evcase"
    shutil.copyfile(receivers["holds-an-older-version"], sender)
    with Case.open(sender) as case:
        case.incidents.create(IncidentFields(title="Unrelated"))
        export_bundle(case, again)
    assert _import_and_check(receivers["empty"], again, tmp_path) == "applied"
