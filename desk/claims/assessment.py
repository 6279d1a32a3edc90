"""Assessed facts: what a brief may state as known about an incident.

For each field (and key: the question of a yes/no statement, the role of an actor):
the analyst's accepted value when a conflict about it is resolved, otherwise the value
all claims agree on when they do not conflict. A re-opened or open conflict, or a
resolution that accepted no value, gives no assessed fact: the field is disputed.
Free-text statements are not facts with one value and are left out.

Plain functions over claims and conflicts already read from the case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from desk.claims import values as v

if TYPE_CHECKING:
    from desk.services.claims import ClaimView, ConflictView, ResolutionView


@dataclass(frozen=True)
class AssessedFact:
    field: str
    key: str
    value: str  # as a reader reads it ("at least 3", "2019-06-08", "al-Hizam")
    basis: Literal["resolution", "agreement"]
    claims: tuple[ClaimView, ...]  # the claims about this field
    independent_outlets: int  # outlets (a repeated source counts once) behind the claims
    resolution: ResolutionView | None = None  # with the confidence, for a resolution

    @property
    def label(self) -> str:
        name = v.FIELD_LABELS.get(self.field, self.field)
        return f"{name}: {self.key}" if self.key else name

    @property
    def confidence(self) -> str | None:
        """The analyst's confidence (low, moderate, high); None for an agreement."""
        return self.resolution.confidence if self.resolution else None


def _group_key(field: str, key: str) -> tuple[str, str]:
    return field, key.casefold()


def assess(claims: Sequence[ClaimView], conflicts: Sequence[ConflictView]) -> list[AssessedFact]:
    """The assessed facts of one incident, in field order."""
    groups: dict[tuple[str, str], list[ClaimView]] = {}
    for claim in claims:
        groups.setdefault(_group_key(claim.field, claim.key), []).append(claim)
    disputes = {_group_key(c.field, c.key): c for c in conflicts}
    facts = []
    for group_key, group in groups.items():
        typed = [(c, v.from_json(c.value)) for c in group]
        comparable = [(c, value) for c, value in typed if not isinstance(value, v.FreeText)]
        if not comparable:
            continue
        outlets = len({_outlet_of(c) for c, _ in comparable})
        field, key = comparable[0][0].field, comparable[0][0].key
        conflict = disputes.get(group_key)
        if conflict is not None:
            resolution = conflict.resolution
            if conflict.is_open or resolution is None or resolution.accepted_value is None:
                continue
            facts.append(
                AssessedFact(
                    field,
                    key,
                    _accepted_text(field, resolution),
                    "resolution",
                    tuple(group),
                    outlets,
                    resolution,
                )
            )
            continue
        values = [value for _, value in comparable]
        # Actors named without a role are all taken part: each is stated, none chosen.
        stated = (
            "; ".join(dict.fromkeys(v.describe(value) for value in values))
            if field == "actor" and not key
            else v.describe(_most_specific(values))
        )
        facts.append(
            AssessedFact(
                field,
                key,
                stated,
                "agreement",
                tuple(group),
                outlets,
            )
        )
    return sorted(facts, key=lambda f: (_field_order(f.field), f.key.casefold()))


def _field_order(field: str) -> int:
    return v.FIELDS.index(field) if field in v.FIELDS else len(v.FIELDS)


def _outlet_of(claim: ClaimView) -> str:
    """Claims that repeat another source are not independent of it."""
    return str(claim.repeats_source_id or claim.outlet or claim.source_id)


def _accepted_text(field: str, resolution: ResolutionView) -> str:
    accepted = resolution.accepted_value or ""
    if field in v.COUNT_FIELDS and resolution.best is not None:
        bounds = ""
        if resolution.low is not None and resolution.high is not None:
            bounds = f", range {resolution.low}-{resolution.high}"
        elif resolution.low is not None:
            bounds = f", at least {resolution.low}"
        return f"{resolution.best} (best estimate{bounds})"
    return accepted


def _most_specific(values: Sequence[v.Value]) -> v.Value:
    """Of agreeing values, the one that says most: the narrowest count or date span,
    the spelling most claims use; ties go to the first claim."""
    first = values[0]
    if all(isinstance(x, v.Count) for x in values):
        counts = [x for x in values if isinstance(x, v.Count)]
        return min(counts, key=lambda c: c.high - c.low)
    if all(isinstance(x, v.DateValue) for x in values):
        dates = [x for x in values if isinstance(x, v.DateValue)]
        return min(dates, key=lambda d: d.last - d.first)
    spelled = Counter(x.text() for x in values)
    best = max(spelled.values())
    return next(x for x in values if spelled[x.text()] == best) if best > 1 else first
