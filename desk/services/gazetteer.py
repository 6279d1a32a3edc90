"""Places and actors: found by any of their spellings, created when new."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Actor, ActorAlias, Place, PlaceAlias
from desk import history
from desk.errors import BadInputError
from desk.names import normalize_name

if TYPE_CHECKING:
    from desk.case import Case


def find_place(session: Session, name: str) -> Place | None:
    return session.scalar(
        select(Place).join(PlaceAlias).where(PlaceAlias.norm == normalize_name(name)).limit(1)
    )


def place_named(session: Session, name: str) -> Place:
    """The place known by ``name`` in any spelling, or a new one."""
    place = find_place(session, name)
    if place is None:
        place = Place(name=name.strip())
        place.aliases.append(PlaceAlias(alias=name.strip(), norm=normalize_name(name)))
        session.add(place)
        session.flush()
    return place


def add_place_alias(place: Place, alias: str, language: str | None = None) -> None:
    norm = normalize_name(alias)
    if all(existing.norm != norm for existing in place.aliases):
        place.aliases.append(PlaceAlias(alias=alias.strip(), norm=norm, language=language))


def actor_named(session: Session, name: str) -> Actor:
    """The actor known by ``name`` in any spelling, or a new one."""
    actor = session.scalar(
        select(Actor).join(ActorAlias).where(ActorAlias.norm == normalize_name(name)).limit(1)
    )
    if actor is None:
        actor = Actor(name=name.strip())
        actor.aliases.append(ActorAlias(alias=name.strip(), norm=normalize_name(name)))
        session.add(actor)
        session.flush()
    return actor


def add_actor_alias(actor: Actor, alias: str, language: str | None = None) -> None:
    norm = normalize_name(alias)
    if all(existing.norm != norm for existing in actor.aliases):
        actor.aliases.append(ActorAlias(alias=alias.strip(), norm=norm, language=language))


def known_place_names(session: Session) -> list[str]:
    """Every spelling of every place, for completion."""
    return sorted(set(session.scalars(select(PlaceAlias.alias))))


def known_actor_names(session: Session) -> list[str]:
    return sorted(set(session.scalars(select(ActorAlias.alias))))


class GazetteerService:
    """Places and actors with their spellings, for editors and completion."""

    def __init__(self, case: Case) -> None:
        self._case = case

    def define_place(
        self,
        name: str,
        aliases: Sequence[str] = (),
        admin1: str | None = None,
        country: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> uuid.UUID:
        """Create or complete a place; every alias then finds it."""
        with self._case.write() as session:
            place = place_named(session, name)
            for alias in aliases:
                other = find_place(session, alias)
                if other is not None and other.id != place.id:
                    raise BadInputError(f"'{alias}' already names another place, {other.name}.")
                add_place_alias(place, alias, _script_language(alias))
            place.admin1 = admin1 or place.admin1
            place.country = country or place.country
            if latitude is not None and longitude is not None:
                place.latitude, place.longitude = latitude, longitude
            session.flush()
            # Claims naming it by a new alias may now agree: conflict counts follow.
            self._case.claims.names_changed(session, "place", {a.norm for a in place.aliases})
            history.record(
                session,
                actor=self._case.analyst,
                action="define",
                entity_type="place",
                entity_id=place.id,
                summary=f"Place {place.name} known as {', '.join(a.alias for a in place.aliases)}",
                after={"name": place.name, "aliases": [a.alias for a in place.aliases]},
            )
            return place.id

    def define_actor(self, name: str, aliases: Sequence[str] = ()) -> uuid.UUID:
        with self._case.write() as session:
            actor = actor_named(session, name)
            for alias in aliases:
                add_actor_alias(actor, alias, _script_language(alias))
            session.flush()
            self._case.claims.names_changed(session, "actor", {a.norm for a in actor.aliases})
            history.record(
                session,
                actor=self._case.analyst,
                action="define",
                entity_type="actor",
                entity_id=actor.id,
                summary=f"Actor {actor.name} known as {', '.join(a.alias for a in actor.aliases)}",
                after={"name": actor.name, "aliases": [a.alias for a in actor.aliases]},
            )
            return actor.id

    def place_names(self) -> list[str]:
        with self._case.read() as session:
            return known_place_names(session)

    def actor_names(self) -> list[str]:
        with self._case.read() as session:
            return known_actor_names(session)


def _script_language(text: str) -> str | None:
    """Arabic script marks an alias as Arabic; Latin spellings carry no language."""
    return "ar" if any("\u0600" <= ch <= "\u06ff" for ch in text) else None
