"""The bundle format: its name and version, the limits a reader enforces, and the JSON
Schema of the manifest, the signature, record lines and history lines.

The schema is built from the record specs in ``records.py``; docs/bundle.schema.json
is this schema written out (a test keeps the two equal).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from desk.bundles.records import (
    DATE_PATTERN,
    INT_MAX,
    SHA256_PATTERN,
    TEXT_MAX,
    TYPES,
    Column,
    RecordType,
    datetime_schema,
    nullable_schema,
    text_schema,
    uuid_schema,
)

FORMAT_NAME = "evidence-desk-bundle"
FORMAT_VERSION = 1
SUFFIX = ".evbundle"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORDS = "records.jsonl"
HISTORY = "history.jsonl"
BLOB_PREFIX = "blobs/"
MEMBER_PATTERN = "^(records\\.jsonl|history\\.jsonl|blobs/[0-9a-f]{64})$"
SIGNATURE_ALGORITHM = "ed25519"
# The published schema is draft 2020-12; the keywords it uses mean the same in draft 7,
# the newest draft fastjsonschema compiles completely.
_COMPILED_DRAFT = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True)
class Limits:
    """What a reader accepts; a bundle over any limit is refused whole."""

    max_members: int = 250_000
    max_member_bytes: int = 1_000_000_000  # records and history (JSON Lines)
    max_original_bytes: int = 32_000_000_000  # as the total: a case chunks large originals
    max_total_bytes: int = 32_000_000_000
    # Deflate reaches about 1000:1 on zeros; text and JSON stay far below 100:1.
    max_ratio: int = 200
    ratio_applies_above: int = 1 << 20
    max_manifest_bytes: int = 64 << 20
    max_signature_bytes: int = 4096
    max_line_bytes: int = 128 << 20
    max_depth: int = 32


LIMITS = Limits()


UUID = uuid_schema()
SHA256 = {"type": "string", "pattern": SHA256_PATTERN}
DATETIME = datetime_schema()
DATE = {"type": "string", "pattern": DATE_PATTERN}


def _column(column: Column, in_base: bool) -> dict[str, Any]:
    kind = column.kind
    schema: dict[str, Any]
    if column.enum is not None:
        schema = {"enum": list(column.enum)}
    elif in_base and column.heavy:
        schema = text_schema(column.max_length or TEXT_MAX)
    elif kind == "text":
        schema = text_schema(column.max_length or TEXT_MAX, column.min_length)
    elif kind in ("int", "float"):
        schema = {
            "type": "integer" if kind == "int" else "number",
            "minimum": column.minimum if column.minimum is not None else -INT_MAX,
            "maximum": column.maximum if column.maximum is not None else INT_MAX,
        }
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "date":
        schema = dict(DATE)
    elif kind == "datetime":
        schema = dict(DATETIME)
    elif kind == "json":
        schema = {"type": "object"}
    elif kind == "bytes":
        schema = {"type": "string", "maxLength": column.max_length or TEXT_MAX}
    elif kind == "ref":
        schema = dict(UUID)
    elif kind == "blob":
        schema = dict(SHA256)
    elif kind == "value":
        schema = {"$ref": "#/$defs/claim_value"}
    else:
        assert kind == "ids", kind
        schema = {"type": "array", "items": UUID, "maxItems": 100_000}
    return nullable_schema(schema) if column.nullable else schema


def _data(kind: RecordType, in_base: bool) -> dict[str, Any]:
    properties = {c.key: _column(c, in_base) for c in kind.columns}
    if not in_base:
        for field in kind.sets:
            properties[field.key] = {
                "type": "array",
                "items": field.item_schema,
                "maxItems": 100_000,
            }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _value_form(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"type": {"const": name}, **properties},
        "required": ["type", *properties],
        "additionalProperties": False,
    }


def _claim_value() -> dict[str, Any]:
    count = {"type": "integer", "minimum": 0, "maximum": INT_MAX}
    date = DATE
    return {
        "description": "A typed claim value (desk.claims.values.to_json).",
        "oneOf": [
            _value_form(
                "count",
                {
                    "form": {"enum": ["exact", "range", "at_least", "at_most", "about"]},
                    "low": count,
                    "high": nullable_schema(count),
                    "stated": nullable_schema(count),
                },
            ),
            _value_form(
                "date",
                {
                    "first": date,
                    "last": date,
                    "precision": text_schema(10),
                    "written": text_schema(200),
                },
            ),
            _value_form("answer", {"yes": {"type": "boolean"}}),
            _value_form("name", {"name": text_schema(1000), "norm": text_schema(1000)}),
            _value_form(
                "weapons",
                {
                    "written": text_schema(TEXT_MAX),
                    "kinds": {"type": "array", "items": text_schema(100), "maxItems": 100},
                },
            ),
            _value_form("text", {"written": text_schema(TEXT_MAX)}),
        ],
    }


def _record() -> dict[str, Any]:
    names = [t.name for t in TYPES]
    return {
        "description": "One line of records.jsonl.",
        "type": "object",
        "properties": {
            "type": {"enum": names},
            "id": UUID,
            "revision": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
            "base": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "data": {"type": "object"},
        },
        "required": ["type", "id", "revision", "base", "data"],
        "additionalProperties": False,
        "allOf": [
            {
                "if": {"properties": {"type": {"const": t.name}}},
                "then": {
                    "properties": {
                        "data": {"$ref": f"#/$defs/data.{t.name}"},
                        "base": {"anyOf": [{"$ref": f"#/$defs/base.{t.name}"}, {"type": "null"}]},
                    }
                },
            }
            for t in TYPES
        ],
    }


def _manifest() -> dict[str, Any]:
    return {
        "description": "manifest.json: what the bundle is and every member it holds.",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT_NAME},
            "format_version": {"const": FORMAT_VERSION},
            "app_version": text_schema(40, 1),
            "created_at": DATETIME,
            "created_by": text_schema(200),
            "case": {
                "type": "object",
                "properties": {"id": UUID, "title": text_schema(500)},
                "required": ["id", "title"],
                "additionalProperties": False,
            },
            "scope": {"enum": ["case", "incidents"]},
            "history_head": nullable_schema(SHA256),
            "counts": {
                "type": "object",
                "properties": {
                    t.name: {"type": "integer", "minimum": 0, "maximum": INT_MAX} for t in TYPES
                },
                "required": [t.name for t in TYPES],
                "additionalProperties": False,
            },
            "members": {
                "type": "array",
                "maxItems": LIMITS.max_members,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "pattern": MEMBER_PATTERN},
                        "size": {"type": "integer", "minimum": 0, "maximum": INT_MAX},
                        "sha256": SHA256,
                    },
                    "required": ["name", "size", "sha256"],
                    "additionalProperties": False,
                },
            },
        },
        "required": [
            "format",
            "format_version",
            "app_version",
            "created_at",
            "created_by",
            "case",
            "scope",
            "history_head",
            "counts",
            "members",
        ],
        "additionalProperties": False,
    }


def _signature() -> dict[str, Any]:
    return {
        "description": "manifest.sig: an Ed25519 signature over the bytes of manifest.json.",
        "type": "object",
        "properties": {
            "algorithm": {"const": SIGNATURE_ALGORITHM},
            "key_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "public_key": {"type": "string", "pattern": "^[A-Za-z0-9+/]{43}=$"},
            "signature": {"type": "string", "pattern": "^[A-Za-z0-9+/]{86}==$"},
        },
        "required": ["algorithm", "key_id", "public_key", "signature"],
        "additionalProperties": False,
    }


def _history_entry() -> dict[str, Any]:
    return {
        "description": "One line of history.jsonl: a history entry of the case that made "
        "the bundle; hash = SHA-256(prev_hash + canonical JSON of the content).",
        "type": "object",
        "properties": {
            "seq": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
            "at": DATETIME,
            "actor": text_schema(200),
            "action": text_schema(40),
            "entity_type": text_schema(40),
            "entity_id": nullable_schema(UUID),
            "summary": text_schema(TEXT_MAX),
            "before": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "after": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "prev_hash": SHA256,
            "hash": SHA256,
        },
        "required": [
            "seq",
            "at",
            "actor",
            "action",
            "entity_type",
            "entity_id",
            "summary",
            "before",
            "after",
            "prev_hash",
            "hash",
        ],
        "additionalProperties": False,
    }


@functools.cache
def bundle_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {
        "manifest": _manifest(),
        "signature": _signature(),
        "record": _record(),
        "history_entry": _history_entry(),
        "claim_value": _claim_value(),
    }
    for kind in TYPES:
        defs[f"data.{kind.name}"] = _data(kind, in_base=False)
        defs[f"base.{kind.name}"] = _data(kind, in_base=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Evidence Desk bundle, format version {FORMAT_VERSION}",
        "description": "See docs/bundle-format.md. Validate manifest.json against "
        "#/$defs/manifest, manifest.sig against #/$defs/signature, each line of "
        "records.jsonl against #/$defs/record and each line of history.jsonl against "
        "#/$defs/history_entry.",
        "$defs": defs,
    }


def schema_text() -> str:
    """The schema as docs/bundle.schema.json holds it."""
    return json.dumps(bundle_schema(), indent=2, ensure_ascii=False) + "\n"


@functools.cache
def validator(definition: str) -> Draft202012Validator:
    """A compiled validator for one of the schema's definitions."""
    root = bundle_schema()
    return Draft202012Validator({"$ref": f"#/$defs/{definition}", "$defs": root["$defs"]})


@functools.cache
def compiled(definition: str) -> Callable[[Any], Any]:
    """The definition as generated Python code: about 15 times faster than jsonschema
    on a valid record (it checks the same keywords; patterns end at ``\\Z``, stricter)."""
    defs = _nulls_as_types(bundle_schema()["$defs"])
    return fastjsonschema.compile(
        {"$schema": _COMPILED_DRAFT, "$ref": f"#/$defs/{definition}", "$defs": defs},
        use_default=False,
    )


def _nulls_as_types(node: Any) -> Any:
    """``node`` with each ``anyOf: [X, {"type": "null"}]`` folded into X when X names one
    type (``type: [X's, "null"]``) or is an enum (null added to it). The same values
    pass, but fastjsonschema checks an ``anyOf`` by raising and catching an exception
    for every null, a million of them in a large bundle. Only for the compiled validator:
    the published schema, and jsonschema's messages, keep the ``anyOf``."""
    if isinstance(node, list):
        return [_nulls_as_types(item) for item in node]
    if not isinstance(node, dict):
        return node
    folded = {key: _nulls_as_types(value) for key, value in node.items()}
    match folded.get("anyOf"):
        case [dict() as first, {"type": "null"}] if len(folded) == 1:
            if isinstance(first.get("type"), str):
                return {**first, "type": [first["type"], "null"]}
            if set(first) == {"enum"}:
                return {"enum": [*first["enum"], None]}
    return folded


def first_problem(definition: str, instance: Any) -> str | None:
    """The most telling schema violation of ``instance``, in a short sentence, or None.

    The compiled validator decides; only a failing instance goes through jsonschema,
    whose errors say better where and why."""
    try:
        compiled(definition)(instance)
    except fastjsonschema.JsonSchemaValueException as exc:
        where = (exc.name or "").removeprefix("data").lstrip(".").replace(".", "/")
        return _explained(definition, instance) or _shortened(
            where or "the top level", exc.message, exc.value
        )
    return None


def _explained(definition: str, instance: Any) -> str | None:
    best = None
    for error in validator(definition).iter_errors(instance):
        if best is None or len(error.absolute_path) > len(best.absolute_path):
            best = error
    if best is None:
        return None
    where = "/".join(str(p) for p in best.absolute_path) or "the top level"
    return _shortened(where, best.message, best.instance)


def _shortened(where: str, message: str, value: Any) -> str:
    # Messages quote the offending value, which may be megabytes long.
    quoted = repr(value)
    if len(quoted) > 60:
        message = message.replace(quoted, quoted[:50] + "…")
    if len(message) > 300:
        message = message[:299] + "…"
    return f"{where}: {message}"
