"""The conflict engine: which claims about one incident cannot all be true.

Plain, deterministic functions over claims already read from the case. Claims are
grouped by field and key (the question of a yes/no statement, the role of an actor);
a group whose values do not all agree is a conflict, explained in one sentence.
Corroboration counts the independent outlets that agree with a claim: a claim that
repeats another source counts as that source's outlet, and an outlet counts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from desk.claims.values import (
    FIELD_LABELS,
    Count,
    FreeText,
    Value,
    agree,
    corroborates,
    describe,
)

CONFLICT_NAMESPACE = uuid.UUID("6c7b1f0e-4c43-4d0e-9a55-0e0f4f1d2a11")


@dataclass(frozen=True)
class ClaimFact:
    """What the engine needs to know about one claim."""

    id: uuid.UUID
    incident_id: uuid.UUID
    source_id: uuid.UUID
    field: str
    key: str  # question for statements, role for actors, "" otherwise
    value: Value
    outlet: str  # outlet id, or the source id when the source has no outlet
    repeats_outlet: str | None  # the outlet of the source this claim repeats
    label: str  # who says it, for explanations (outlet name or source title)

    @property
    def independent_outlet(self) -> str:
        return self.repeats_outlet or self.outlet


@dataclass(frozen=True)
class Finding:
    """A group of claims that cannot all be true."""

    id: uuid.UUID
    incident_id: uuid.UUID
    field: str
    key: str
    claims: tuple[ClaimFact, ...]
    explanation: str


def conflict_id(incident_id: uuid.UUID, field: str, key: str) -> uuid.UUID:
    """Stable across runs and cases, so a resolution finds its conflict again."""
    return uuid.uuid5(CONFLICT_NAMESPACE, f"{incident_id}:{field}:{key.casefold()}")


Resolver = Callable[[str], str]


def group_claims(claims: Iterable[ClaimFact]) -> dict[tuple[str, str], list[ClaimFact]]:
    groups: dict[tuple[str, str], list[ClaimFact]] = {}
    for claim in claims:
        groups.setdefault((claim.field, claim.key.casefold()), []).append(claim)
    return groups


def all_agree(claims: Sequence[ClaimFact], resolve: Resolver | None = None) -> bool:
    return all(
        agree(a.value, b.value, resolve) for i, a in enumerate(claims) for b in claims[i + 1 :]
    )


def find_conflicts(claims: Iterable[ClaimFact], resolve: Resolver | None = None) -> list[Finding]:
    """Every group of one incident's claims that cannot all be true, in a stable order."""
    findings = []
    for (field, key), group in sorted(group_claims(claims).items()):
        if field == "actor" and not key:
            continue  # without a role, naming one actor denies no other: many take part
        comparable = [c for c in group if not isinstance(c.value, FreeText)]
        if len(comparable) < 2 or all_agree(comparable, resolve):
            continue
        ordered = tuple(sorted(comparable, key=_order))
        incident_id = ordered[0].incident_id
        findings.append(
            Finding(
                id=conflict_id(incident_id, field, key),
                incident_id=incident_id,
                field=field,
                key=ordered[0].key,
                claims=ordered,
                explanation=explain(field, ordered[0].key, ordered, resolve),
            )
        )
    return findings


def corroboration(
    claim: ClaimFact, group: Sequence[ClaimFact], resolve: Resolver | None = None
) -> int:
    """How many independent outlets (this claim's included) state a value that agrees;
    a free statement is corroborated only by the same words."""
    return len(
        {
            other.independent_outlet
            for other in group
            if corroborates(claim.value, other.value, resolve)
        }
    )


def _order(claim: ClaimFact) -> tuple[float, float, str, str]:
    """Counts from low to high, other values alphabetically; then by who says it."""
    value = claim.value
    if isinstance(value, Count):
        return (value.low, value.high, "", claim.label)
    return (0, 0, value.text().casefold(), claim.label)


def explain(
    field: str, key: str, claims: Sequence[ClaimFact], resolve: Resolver | None = None
) -> str:
    """One sentence: what each outlet says, which disagree, and what agrees with what."""
    label = FIELD_LABELS.get(field, field)
    if key:
        label = f"{label} ({key})"
    stated = _join([f"{describe(c.value)} ({c.label})" for c in claims])
    first, second = next(
        (a, b)
        for i, a in enumerate(claims)
        for b in claims[i + 1 :]
        if not agree(a.value, b.value, resolve)
    )
    sentence = (
        f"{label}: {stated} cannot all be true; "
        f"{describe(first.value)} and {describe(second.value)} disagree"
    )
    bridges = [
        (c, [o for o in claims if o is not c and agree(c.value, o.value, resolve)])
        for c in claims
        if isinstance(c.value, Count) and c.value.form != "exact"
    ]
    notes = [
        f"{describe(c.value)} agrees with {_join(_distinct(describe(o.value) for o in agreeing))}"
        for c, agreeing in bridges
        if agreeing
    ]
    return sentence + (f" ({'; '.join(notes)})" if notes else "") + "."


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"
