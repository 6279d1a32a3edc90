"""Claims, conflicts and resolutions: what sources say about incidents, and where
they cannot all be right."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.batches import batches
from db.models import (
    ActorAlias,
    Claim,
    ConflictResolution,
    Incident,
    IncidentSource,
    Outlet,
    PlaceAlias,
    Source,
)
from db.vocab import ACTOR_ROLES, CONFIDENCE_LEVELS
from desk import history
from desk.claims import values as v
from desk.claims.engine import (
    ClaimFact,
    Finding,
    conflict_id,
    corroboration,
    find_conflicts,
    group_claims,
)
from desk.claims.suggest import Suggestion, suggest_claims
from desk.errors import BadInputError, NotFoundError
from desk.services.incidents import attach_in

if TYPE_CHECKING:
    from desk.case import Case


@dataclass(frozen=True)
class ClaimView:
    id: uuid.UUID
    incident_id: uuid.UUID
    source_id: uuid.UUID
    source_title: str
    outlet: str | None
    outlet_reliability: str | None
    field: str
    question: str | None
    role: str | None
    value_text: str
    value: dict[str, Any]
    quote: str | None
    quote_start: int | None
    quote_end: int | None
    credibility: int | None
    repeats_source_id: uuid.UUID | None
    note: str | None
    created_by: str
    created_at: datetime
    corroboration: int = 1

    @property
    def key(self) -> str:
        return _key(self.field, self.question, self.role)

    @property
    def independent(self) -> bool:
        return self.repeats_source_id is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "incident": str(self.incident_id),
            "source": str(self.source_id),
            "source_title": self.source_title,
            "outlet": self.outlet,
            "outlet_reliability": self.outlet_reliability,
            "field": self.field,
            "question": self.question,
            "role": self.role,
            "value": self.value_text,
            "typed_value": self.value,
            "quote": self.quote,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "credibility": self.credibility,
            "repeats_source": str(self.repeats_source_id) if self.repeats_source_id else None,
            "independent": self.independent,
            "corroborating_outlets": self.corroboration,
            "note": self.note,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class ResolutionView:
    accepted_value: str | None
    best: int | None
    low: int | None
    high: int | None
    rationale: str
    confidence: str
    decided_by: str
    decided_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted_value": self.accepted_value,
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "rationale": self.rationale,
            "confidence": self.confidence,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(),
        }


@dataclass(frozen=True)
class SavedResolution:
    """A resolution exactly as stored, so an undo can put it back."""

    accepted_value: dict[str, Any] | None
    best: int | None
    low: int | None
    high: int | None
    rationale: str
    confidence: str
    decided_by: str
    decided_at: datetime
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class ConflictView:
    id: uuid.UUID
    incident_id: uuid.UUID
    incident_title: str
    field: str
    key: str
    status: str  # "open", "resolved" or "reopened"
    explanation: str
    claims: tuple[ClaimView, ...]
    resolution: ResolutionView | None

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"

    @property
    def label(self) -> str:
        name = v.FIELD_LABELS.get(self.field, self.field)
        return f"{name}: {self.key}" if self.key else name

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "incident": str(self.incident_id),
            "incident_title": self.incident_title,
            "field": self.field,
            "key": self.key or None,
            "status": self.status,
            "explanation": self.explanation,
            "claims": [c.to_json() for c in self.claims],
            "resolution": self.resolution.to_json() if self.resolution else None,
        }


@dataclass(frozen=True)
class MatrixCell:
    claims: tuple[ClaimView, ...]
    state: str  # "agree", "conflict", "alone" or "not stated"


@dataclass(frozen=True)
class Matrix:
    """Fields down, sources across, like an Analysis of Competing Hypotheses matrix."""

    rows: tuple[tuple[str, str], ...]  # (field, key)
    sources: tuple[tuple[uuid.UUID, str, str | None, str | None], ...]  # id, title, outlet, grade
    cells: dict[tuple[int, int], MatrixCell]

    def cell(self, row: int, column: int) -> MatrixCell:
        return self.cells.get((row, column), MatrixCell((), "not stated"))


def _key(field: str, question: str | None, role: str | None) -> str:
    if field == "statement" and question:
        return question.strip()
    if field == "actor" and role:
        return role
    return ""


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


class ClaimService:
    def __init__(self, case: Case) -> None:
        self._case = case

    # -- recording -----------------------------------------------------------

    def add(
        self,
        incident_id: uuid.UUID,
        source_id: uuid.UUID,
        field: str,
        value: str,
        *,
        quote: str | None = None,
        quote_start: int | None = None,
        credibility: int | None = None,
        question: str | None = None,
        role: str | None = None,
        repeats_source_id: uuid.UUID | None = None,
        note: str | None = None,
        claim_id: uuid.UUID | None = None,
    ) -> ClaimView:
        """Record what a source says; the source is attached to the incident if it is not."""
        question, role = _clean(question), _clean(role)
        typed = self._validate(field, value, question, role, credibility)
        with self._case.write() as session:
            incident = session.get(Incident, incident_id)
            if incident is None:
                raise NotFoundError(f"There is no incident {incident_id} in this case.")
            source = session.get(Source, source_id)
            if source is None:
                raise NotFoundError(f"There is no source {source_id} in this case.")
            if repeats_source_id is not None:
                if repeats_source_id == source_id:
                    raise BadInputError("A claim cannot repeat its own source.")
                if session.get(Source, repeats_source_id) is None:
                    raise NotFoundError(f"There is no source {repeats_source_id} in this case.")
            start, end = _place_quote(session, source, quote, quote_start)
            attach_in(session, self._case.analyst, incident_id, [source_id])
            claim = Claim(
                id=claim_id or uuid.uuid4(),
                incident_id=incident_id,
                source_id=source_id,
                field=field,
                question=question,
                role=role,
                value=v.to_json(typed),
                value_text=typed.text(),
                quote=_clean(quote),
                quote_start=start,
                quote_end=end,
                credibility=credibility,
                repeats_source_id=repeats_source_id,
                note=_clean(note),
                created_by=self._case.analyst,
            )
            session.add(claim)
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="create",
                entity_type="claim",
                entity_id=claim.id,
                summary=f"Claim: {source.title} says {v.FIELD_LABELS[field].lower()} "
                f"{typed.text()} about '{incident.title}'",
                after=_claim_snapshot(claim),
            )
            self._reevaluate(session, incident_id)
            return self._views(session, [claim])[0]

    def update(self, claim_id: uuid.UUID, **changes: Any) -> ClaimView:
        """Change a claim's value, quote, credibility, question, role, repeats or note."""
        allowed = {"value", "quote", "credibility", "question", "role", "repeats_source_id", "note"}
        if unknown := set(changes) - allowed:
            raise BadInputError(f"Unknown claim field(s): {', '.join(sorted(unknown))}.")
        with self._case.write() as session:
            claim = self._load(session, claim_id)
            before = _claim_snapshot(claim)
            question = _clean(changes.get("question", claim.question))
            role = _clean(changes.get("role", claim.role))
            credibility = changes.get("credibility", claim.credibility)
            text = changes.get("value", claim.value_text)
            typed = self._validate(claim.field, text, question, role, credibility)
            if "quote" in changes:
                source = session.get(Source, claim.source_id)
                assert source is not None
                claim.quote = _clean(changes["quote"])
                claim.quote_start, claim.quote_end = _place_quote(
                    session, source, claim.quote, None
                )
            claim.question, claim.role, claim.credibility = question, role, credibility
            claim.value, claim.value_text = v.to_json(typed), typed.text()
            if "repeats_source_id" in changes:
                claim.repeats_source_id = changes["repeats_source_id"]
            if "note" in changes:
                claim.note = _clean(changes["note"])
            after = _claim_snapshot(claim)
            changed = {k for k in after if after[k] != before[k]}
            if changed:
                claim.revision += 1
                session.flush()
                history.record(
                    session,
                    actor=self._case.analyst,
                    action="update",
                    entity_type="claim",
                    entity_id=claim.id,
                    summary=f"Claim edited ({', '.join(sorted(changed))})",
                    before={k: before[k] for k in changed},
                    after={k: after[k] for k in changed},
                )
                self._reevaluate(session, claim.incident_id)
            return self._views(session, [claim])[0]

    def delete(self, claim_id: uuid.UUID) -> ClaimView:
        """Remove a claim (a resolution never does this); returns it for an undo."""
        with self._case.write() as session:
            claim = self._load(session, claim_id)
            view = self._views(session, [claim])[0]
            session.delete(claim)
            history.record(
                session,
                actor=self._case.analyst,
                action="delete",
                entity_type="claim",
                entity_id=claim_id,
                summary=f"Claim deleted: {view.source_title}, {view.field} {view.value_text}",
                before=_claim_snapshot(claim),
            )
            session.flush()
            self._reevaluate(session, view.incident_id)
            return view

    def restore(self, view: ClaimView) -> ClaimView:
        """Record a deleted claim again under its old id."""
        return self.add(
            view.incident_id,
            view.source_id,
            view.field,
            view.value_text,
            quote=view.quote,
            quote_start=view.quote_start,
            credibility=view.credibility,
            question=view.question,
            role=view.role,
            repeats_source_id=view.repeats_source_id,
            note=view.note,
            claim_id=view.id,
        )

    def _validate(
        self,
        field: str,
        value: str,
        question: str | None,
        role: str | None,
        credibility: int | None,
    ) -> v.Value:
        if field not in v.FIELDS:
            raise BadInputError(
                f"'{field}' is not a claim field; use one of: {', '.join(v.FIELDS)}."
            )
        if credibility is not None and credibility not in range(1, 7):
            raise BadInputError(f"Credibility {credibility} is not on the scale 1 to 6.")
        if field == "actor" and role is not None and role not in ACTOR_ROLES:
            raise BadInputError(
                f"'{role}' is not an actor role; use one of: {', '.join(ACTOR_ROLES)}."
            )
        return v.parse_value(field, value, question)

    @staticmethod
    def _load(session: Session, claim_id: uuid.UUID) -> Claim:
        claim = session.get(Claim, claim_id)
        if claim is None:
            raise NotFoundError(f"There is no claim {claim_id} in this case.")
        return claim

    # -- reading -------------------------------------------------------------

    def list(self, incident_id: uuid.UUID | None = None) -> builtins.list[ClaimView]:
        query = select(Claim).order_by(Claim.incident_id, Claim.field, Claim.created_at, Claim.id)
        if incident_id is not None:
            query = query.where(Claim.incident_id == incident_id)
        with self._case.read() as session:
            return self._views(session, session.scalars(query).all())

    def questions(self, incident_id: uuid.UUID) -> builtins.list[str]:
        """The yes/no questions the incident's statements already name, so a new claim
        can spell its question the same way."""
        query = (
            select(Claim.question)
            .where(
                Claim.incident_id == incident_id,
                Claim.field == "statement",
                Claim.question.is_not(None),
            )
            .distinct()
        )
        with self._case.read() as session:
            found = [q for q in session.scalars(query) if q]
        return sorted(found, key=str.casefold)

    def conflicts(
        self,
        incident_id: uuid.UUID | None = None,
        field: str | None = None,
        status: str | None = None,
    ) -> builtins.list[ConflictView]:
        """Conflicts of one incident or of the whole case; ``status`` "open" includes
        re-opened ones."""
        with self._case.read() as session:
            incident_ids = self._candidates(session, incident_id)
            found: builtins.list[ConflictView] = []
            for batch in batches(incident_ids, _CONFLICT_CHUNK):
                found.extend(self._conflicts_of_many(session, batch))
        if field:
            found = [c for c in found if c.field == field]
        if status == "open":
            found = [c for c in found if c.is_open]
        elif status:
            found = [c for c in found if c.status == status]
        return found

    def conflict(self, conflict_id: uuid.UUID) -> ConflictView:
        for found in self.conflicts():
            if found.id == conflict_id:
                return found
        raise NotFoundError(f"There is no conflict {conflict_id} in this case.")

    def matrix(self, incident_id: uuid.UUID) -> Matrix:
        with self._case.read() as session:
            claims = self._views(
                session,
                session.scalars(select(Claim).where(Claim.incident_id == incident_id)).all(),
            )
            sources = session.execute(
                select(Source.id, Source.title, Outlet.name, Outlet.reliability)
                .join(IncidentSource, IncidentSource.source_id == Source.id)
                .outerjoin(Outlet, Outlet.id == Source.outlet_id)
                .where(IncidentSource.incident_id == incident_id)
                .order_by(Source.published_at.is_(None), Source.published_at, Source.title)
            ).all()
            conflicting = {
                claim.id for c in self._conflicts_of(session, incident_id) for claim in c.claims
            }
        rows = tuple(
            sorted(
                {(c.field, c.key) for c in claims},
                key=lambda r: (v.FIELDS.index(r[0]), r[1].casefold()),
            )
        )
        columns = {row[0]: n for n, row in enumerate(sources)}
        cells: dict[tuple[int, int], MatrixCell] = {}
        for r, (field, key) in enumerate(rows):
            group = [c for c in claims if (c.field, c.key) == (field, key)]
            for c in group:
                column = columns.get(c.source_id)
                if column is None:
                    continue
                previous = cells.get((r, column))
                held = (*(previous.claims if previous else ()), c)
                if any(h.id in conflicting for h in held):
                    state = "conflict"
                elif len(group) > 1:
                    state = "agree"
                else:
                    state = "alone"
                cells[(r, column)] = MatrixCell(held, state)
        return Matrix(rows, tuple((s[0], s[1], s[2], s[3]) for s in sources), cells)

    def suggestions(
        self, source_id: uuid.UUID, incident_id: uuid.UUID | None = None
    ) -> builtins.list[Suggestion]:
        """Claims the source's text seems to make, minus those already recorded from it."""
        with self._case.read() as session:
            source = session.get(Source, source_id)
            if source is None:
                raise NotFoundError(f"There is no source {source_id} in this case.")
            text = session.scalar(select(Source.text).where(Source.id == source_id)) or ""
            recorded = {
                (c.field, c.quote_start)
                for c in session.scalars(select(Claim).where(Claim.source_id == source_id))
                if incident_id is None or c.incident_id == incident_id
            }
            published = source.published_at.date() if source.published_at else None
        return [s for s in suggest_claims(text, published) if (s.field, s.start) not in recorded]

    # -- resolving -----------------------------------------------------------

    def resolve(
        self,
        conflict_id: uuid.UUID,
        *,
        rationale: str,
        confidence: str,
        value: str | None = None,
        best: int | None = None,
        low: int | None = None,
        high: int | None = None,
    ) -> ConflictView:
        """Record the analyst's assessment; the claims stay as they are."""
        if not rationale.strip():
            raise BadInputError("A resolution needs its rationale.")
        if confidence not in CONFIDENCE_LEVELS:
            raise BadInputError(
                f"'{confidence}' is not a confidence; use one of: {', '.join(CONFIDENCE_LEVELS)}."
            )
        conflict = self.conflict(conflict_id)
        question = conflict.key if conflict.field == "statement" else None
        accepted = (
            v.parse_value(conflict.field, value, question) if value and value.strip() else None
        )
        if isinstance(accepted, v.Count):
            best = best if best is not None else accepted.best()
            low = low if low is not None else accepted.low
            high = (
                high
                if high is not None
                else (None if accepted.high == v.INFINITY else int(accepted.high))
            )
        if low is not None and high is not None and low > high:
            raise BadInputError("The low estimate is above the high one.")
        if best is not None and (
            (low is not None and best < low) or (high is not None and best > high)
        ):
            raise BadInputError("The best estimate lies outside the low-high range.")
        with self._case.write() as session:
            row = self._resolution_row(session, conflict)
            before = _resolution_snapshot(row) if row else None
            if row is None:
                row = ConflictResolution(
                    incident_id=conflict.incident_id, field=conflict.field, question=conflict.key
                )
                session.add(row)
            else:
                row.revision += 1
            row.accepted_value = v.to_json(accepted) if accepted else None
            row.best, row.low, row.high = best, low, high
            row.rationale = rationale.strip()
            row.confidence = confidence
            row.decided_by = self._case.analyst
            row.decided_at = utcnow()
            row.claim_ids = [str(c.id) for c in conflict.claims]
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="resolve",
                entity_type="incident",
                entity_id=conflict.incident_id,
                summary=f"Conflict resolved ({conflict.label}): "
                f"{accepted.text() if accepted else 'no value accepted'}, {confidence} confidence",
                before=before,
                after=_resolution_snapshot(row),
            )
            self._reevaluate(session, conflict.incident_id)
        return self.conflict(conflict_id)

    def saved_resolution(self, conflict_id: uuid.UUID) -> SavedResolution | None:
        """The conflict's resolution as stored, or None when it has none."""
        conflict = self.conflict(conflict_id)
        with self._case.read() as session:
            row = self._resolution_row(session, conflict)
            return _saved(row) if row else None

    def unresolve(
        self, conflict_id: uuid.UUID, previous: SavedResolution | None = None
    ) -> ConflictView | None:
        """Take back the conflict's resolution: put ``previous`` back, or with None
        leave the conflict without one (open again). Recorded in history. Returns the
        conflict, or None when its claims now agree and nothing is left to show."""
        conflict = self.conflict(conflict_id)
        with self._case.write() as session:
            row = self._resolution_row(session, conflict)
            before = _resolution_snapshot(row) if row else None
            if previous is None:
                if row is not None:
                    session.delete(row)
                after = None
            else:
                if row is None:
                    row = ConflictResolution(
                        incident_id=conflict.incident_id,
                        field=conflict.field,
                        question=conflict.key,
                    )
                    session.add(row)
                else:
                    row.revision += 1
                row.accepted_value = previous.accepted_value
                row.best, row.low, row.high = previous.best, previous.low, previous.high
                row.rationale = previous.rationale
                row.confidence = previous.confidence
                row.decided_by = previous.decided_by
                row.decided_at = previous.decided_at
                row.claim_ids = list(previous.claim_ids)
                after = _resolution_snapshot(row)
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="unresolve",
                entity_type="incident",
                entity_id=conflict.incident_id,
                summary=f"Resolution taken back ({conflict.label})"
                + (": the earlier one restored" if previous else ""),
                before=before,
                after=after,
            )
            self._reevaluate(session, conflict.incident_id)
        try:
            return self.conflict(conflict_id)
        except NotFoundError:
            return None

    @staticmethod
    def _resolution_row(session: Session, conflict: ConflictView) -> ConflictResolution | None:
        return session.scalar(
            select(ConflictResolution).where(
                ConflictResolution.incident_id == conflict.incident_id,
                ConflictResolution.field == conflict.field,
                ConflictResolution.question == conflict.key,
            )
        )

    # -- the engine on the case -----------------------------------------------

    def _candidates(
        self, session: Session, incident_id: uuid.UUID | None
    ) -> builtins.list[uuid.UUID]:
        if incident_id is not None:
            return [incident_id]
        # Only incidents that have a conflict now or had one resolved need evaluating.
        query = (
            select(Incident.id)
            .where(
                or_(
                    Incident.open_conflicts > 0,
                    Incident.id.in_(select(ConflictResolution.incident_id)),
                )
            )
            .order_by(Incident.start_date, Incident.title)
        )
        return list(session.scalars(query))

    def _conflicts_of(
        self, session: Session, incident_id: uuid.UUID
    ) -> builtins.list[ConflictView]:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise NotFoundError(f"There is no incident {incident_id} in this case.")
        return self._conflicts_of_many(session, [incident_id])

    def _conflicts_of_many(
        self, session: Session, incident_ids: Sequence[uuid.UUID]
    ) -> builtins.list[ConflictView]:
        """The conflicts of these incidents, in their order: one query per kind of row
        for all of them (the board reads every conflict of a large case)."""
        titles = dict(
            session.execute(
                select(Incident.id, Incident.title).where(Incident.id.in_(incident_ids))
            ).all()
        )
        claims = session.scalars(select(Claim).where(Claim.incident_id.in_(incident_ids))).all()
        context = _ClaimContext.read(session, claims)
        by_incident: dict[uuid.UUID, builtins.list[Claim]] = {i: [] for i in incident_ids}
        for claim in claims:
            by_incident[claim.incident_id].append(claim)
        resolutions: dict[uuid.UUID, builtins.list[ConflictResolution]] = {
            i: [] for i in incident_ids
        }
        for row in session.scalars(
            select(ConflictResolution).where(ConflictResolution.incident_id.in_(incident_ids))
        ):
            resolutions[row.incident_id].append(row)
        found: builtins.list[ConflictView] = []
        for incident_id in incident_ids:
            if incident_id in titles:
                found.extend(
                    _incident_conflicts(
                        incident_id,
                        titles[incident_id],
                        by_incident[incident_id],
                        context,
                        resolutions[incident_id],
                    )
                )
        return found

    def names_changed(self, session: Session, field: str, norms: set[str]) -> None:
        """A place's or actor's aliases changed: evaluate again the incidents whose
        ``field`` claims use one of those spellings (inside the caller's transaction)."""
        for incident_id in incidents_naming(session, field, norms):
            self._reevaluate(session, incident_id)

    def _reevaluate(self, session: Session, incident_id: uuid.UUID) -> None:
        """Incremental: after a change only the incident it touched is evaluated again."""
        incident = session.get(Incident, incident_id)
        if incident is None:
            return
        incident.open_conflicts = sum(c.is_open for c in self._conflicts_of(session, incident_id))

    def _views(self, session: Session, claims: Sequence[Claim]) -> builtins.list[ClaimView]:
        """Views of claims of one incident (corroboration is counted among them)."""
        if not claims:
            return []
        return _claim_views(claims, _ClaimContext.read(session, claims))


def incidents_naming(session: Session, field: str, norms: Iterable[str]) -> set[uuid.UUID]:
    """The incidents with a ``field`` claim ("place", "actor") that uses one of these
    spellings: their conflicts change when the spellings come to name one thing."""
    wanted = set(norms)
    if not wanted:
        return set()
    # One pass over the field's claims: a spelling is inside a JSON value, which no
    # index reaches, so an IN list per chunk of spellings would be a pass per chunk.
    rows = session.execute(
        select(Claim.incident_id, Claim.value["norm"].as_string()).where(Claim.field == field)
    )
    return {incident_id for incident_id, norm in rows if norm in wanted}


# How many incidents ``ClaimService.conflicts`` evaluates with one set of queries.
_CONFLICT_CHUNK = 500


@dataclass(frozen=True)
class _ClaimContext:
    """What the engine and the views need about a set of claims, read in one go:
    their sources (title, outlet, grade), their facts, and the names they use."""

    sources: dict[uuid.UUID, Any]
    facts: dict[uuid.UUID, ClaimFact]
    resolve: v.Resolver

    @classmethod
    def read(cls, session: Session, claims: Sequence[Claim]) -> _ClaimContext:
        source_ids = {c.source_id for c in claims}
        sources = {
            row[0]: row
            for row in session.execute(
                select(Source.id, Source.title, Outlet.name, Outlet.reliability)
                .outerjoin(Outlet, Outlet.id == Source.outlet_id)
                .where(Source.id.in_(source_ids))
            )
        }
        facts = {f.id: f for f in _facts(session, claims)}
        return cls(sources, facts, _resolver(session, claims))


def _claim_views(claims: Sequence[Claim], context: _ClaimContext) -> builtins.list[ClaimView]:
    """Views of claims of one incident, from a context that holds at least theirs."""
    facts = [context.facts[c.id] for c in claims]
    groups = group_claims(facts)
    views = []
    for c, fact in zip(claims, facts, strict=True):
        _, title, outlet, grade = context.sources[c.source_id]
        group = groups[(fact.field, fact.key.casefold())]
        views.append(
            ClaimView(
                id=c.id,
                incident_id=c.incident_id,
                source_id=c.source_id,
                source_title=title,
                outlet=outlet,
                outlet_reliability=grade,
                field=c.field,
                question=c.question,
                role=c.role,
                value_text=c.value_text,
                value=c.value,
                quote=c.quote,
                quote_start=c.quote_start,
                quote_end=c.quote_end,
                credibility=c.credibility,
                repeats_source_id=c.repeats_source_id,
                note=c.note,
                created_by=c.created_by,
                created_at=c.created_at,
                corroboration=corroboration(fact, group, context.resolve),
            )
        )
    return views


def _incident_conflicts(
    incident_id: uuid.UUID,
    incident_title: str,
    claims: Sequence[Claim],
    context: _ClaimContext,
    resolution_rows: Sequence[ConflictResolution],
) -> builtins.list[ConflictView]:
    """One incident's conflicts: what the engine finds in its claims, and what was
    resolved (a resolution whose claims now agree is still listed)."""
    views = {c.id: c for c in _claim_views(claims, context)}
    facts = [context.facts[c.id] for c in claims]
    resolve = context.resolve
    findings = {f.id: f for f in find_conflicts(facts, resolve)}
    resolutions = {conflict_id(incident_id, r.field, r.question or ""): r for r in resolution_rows}
    result = []
    for cid in sorted(set(findings) | set(resolutions), key=str):
        finding = findings.get(cid)
        resolution = resolutions.get(cid)
        if finding is None and resolution is None:
            continue
        if finding is None:
            assert resolution is not None
            group = [
                f
                for f in facts
                if (f.field, f.key.casefold())
                == (resolution.field, (resolution.question or "").casefold())
            ]
            explanation = "The claims now agree."
            members = tuple(views[f.id] for f in group)
            field, key = resolution.field, resolution.question or ""
        else:
            explanation = finding.explanation
            members = tuple(views[f.id] for f in finding.claims)
            field, key = finding.field, finding.key
        status = _status(finding, resolution, facts, resolve)
        result.append(
            ConflictView(
                id=cid,
                incident_id=incident_id,
                incident_title=incident_title,
                field=field,
                key=key,
                status=status,
                explanation=explanation,
                claims=members,
                resolution=_resolution_view(resolution) if resolution else None,
            )
        )
    return result


def _status(
    finding: Finding | None,
    resolution: ConflictResolution | None,
    facts: Iterable[ClaimFact],
    resolve: v.Resolver,
) -> str:
    if resolution is None:
        return "open"
    weighed = set(resolution.claim_ids or [])
    group = [
        f
        for f in facts
        if (f.field, f.key.casefold()) == (resolution.field, (resolution.question or "").casefold())
    ]
    newcomers = [f for f in group if str(f.id) not in weighed]
    if resolution.accepted_value is not None:
        accepted = v.from_json(resolution.accepted_value)
        if any(not v.agree(f.value, accepted, resolve) for f in newcomers):
            return "reopened"
        return "resolved"
    if finding is not None and any(
        not v.agree(n.value, other.value, resolve) for n in newcomers for other in group
    ):
        return "reopened"
    return "resolved"


def _facts(session: Session, claims: Sequence[Claim]) -> builtins.list[ClaimFact]:
    source_ids = {c.source_id for c in claims} | {
        c.repeats_source_id for c in claims if c.repeats_source_id
    }
    rows = session.execute(
        select(Source.id, Source.outlet_id, Source.title, Outlet.name)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .where(Source.id.in_(source_ids))
    ).all()
    outlet_of = {sid: str(oid or sid) for sid, oid, _, _ in rows}
    label_of = {sid: name or title for sid, _, title, name in rows}
    return [
        ClaimFact(
            id=c.id,
            incident_id=c.incident_id,
            source_id=c.source_id,
            field=c.field,
            key=_key(c.field, c.question, c.role),
            value=v.from_json(c.value),
            outlet=outlet_of.get(c.source_id, str(c.source_id)),
            repeats_outlet=outlet_of.get(c.repeats_source_id) if c.repeats_source_id else None,
            label=label_of.get(c.source_id, "?"),
        )
        for c in claims
    ]


def _resolver(session: Session, claims: Sequence[Claim]) -> v.Resolver:
    """Folded names to the id of the thing they name: a place claim's spelling among
    the places' aliases, an actor claim's among the actors' (a name may be both), and
    the spellings that resolutions of those incidents accepted, which no claim may use.
    """
    wanted: dict[str, set[str]] = {"place": set(), "actor": set()}
    for claim in claims:
        if claim.field in wanted and claim.value.get("type") == "name":
            wanted[claim.field].add(claim.value["norm"])
    incidents = {claim.incident_id for claim in claims}
    if incidents:
        accepted = session.execute(
            select(ConflictResolution.field, ConflictResolution.accepted_value).where(
                ConflictResolution.incident_id.in_(incidents),
                ConflictResolution.field.in_(wanted),
            )
        )
        for field, value in accepted:
            if value and value.get("type") == "name":
                wanted[field].add(value["norm"])
    aliases = {
        "place": (PlaceAlias.norm, PlaceAlias.place_id),
        "actor": (ActorAlias.norm, ActorAlias.actor_id),
    }
    known: dict[str, str] = {}
    for field, norms in wanted.items():
        norm_column, owner_column = aliases[field]
        if norms:
            rows = session.execute(select(norm_column, owner_column).where(norm_column.in_(norms)))
            for norm, owner_id in rows:
                known.setdefault(norm, str(owner_id))
    return lambda norm: known.get(norm, norm)


def _place_quote(
    session: Session, source: Source, quote: str | None, start: int | None
) -> tuple[int | None, int | None]:
    """Where the quote stands in the source's text; a quote that is not there is refused."""
    quote = _clean(quote)
    if quote is None:
        return None, None
    text = session.scalar(select(Source.text).where(Source.id == source.id))
    if not text:
        return None, None  # images and failed extractions: the quote is the analyst's reading
    if start is not None and text[start : start + len(quote)] == quote:
        return start, start + len(quote)
    found = text.find(quote)
    if found < 0:
        raise BadInputError(f"The quote is not in the text of '{source.title}': {quote[:80]!r}.")
    return found, found + len(quote)


def _claim_snapshot(claim: Claim) -> dict[str, Any]:
    return {
        "incident": str(claim.incident_id),
        "source": str(claim.source_id),
        "field": claim.field,
        "question": claim.question,
        "role": claim.role,
        "value": claim.value_text,
        "quote": claim.quote,
        "credibility": claim.credibility,
        "repeats_source": str(claim.repeats_source_id) if claim.repeats_source_id else None,
        "note": claim.note,
    }


def _resolution_snapshot(row: ConflictResolution) -> dict[str, Any]:
    return {
        "field": row.field,
        "key": row.question,
        "accepted_value": row.accepted_value,
        "best": row.best,
        "low": row.low,
        "high": row.high,
        "rationale": row.rationale,
        "confidence": row.confidence,
        "claims": row.claim_ids,
    }


def _resolution_view(row: ConflictResolution) -> ResolutionView:
    accepted = v.from_json(row.accepted_value).text() if row.accepted_value else None
    return ResolutionView(
        accepted_value=accepted,
        best=row.best,
        low=row.low,
        high=row.high,
        rationale=row.rationale,
        confidence=row.confidence,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def _saved(row: ConflictResolution) -> SavedResolution:
    return SavedResolution(
        accepted_value=row.accepted_value,
        best=row.best,
        low=row.low,
        high=row.high,
        rationale=row.rationale,
        confidence=row.confidence,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        claim_ids=tuple(row.claim_ids or ()),
    )
