"""Claims on actors (with roles, through aliases), event types and free statements.

The Al Bukamal reports name the sides differently: Kata'ib Hezbollah (ESM) against
"IRGC proxies" (the blog) and "militias of the Revolutionary Guard" (the Arabic page);
the National Defence Forces as "National Guard" and قوات الدفاع الوطني. Once the
analyst has recorded those spellings as aliases, one actor named three ways is one
value, and two different actors in one role are a conflict explained in one sentence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from desk.case import Case
from desk.errors import BadInputError
from desk.services.claims import ClaimView, ConflictView
from desk.services.incidents import IncidentFields

BLOG = "al-bukamal-irancommentary-2019-06-08.txt"
ESM = "eastern-syria-monitor-2019-06-09.html"
ARABIC = "deir-ezzor-news-ar-2019-06-08.html"
NOTE = "field-note-2019-06-10.txt"

KH = "Kata'ib Hezbollah"
IRGC_AR = "ميليشيات تابعة للحرس الثوري الإيراني"
NDF_AR = "قوات الدفاع الوطني"


@dataclass(frozen=True)
class Clash:
    case: Case
    incident: uuid.UUID
    sources: dict[str, uuid.UUID]

    def add(
        self,
        source: str,
        field: str,
        value: str,
        *,
        quote: str | None = None,
        role: str | None = None,
        question: str | None = None,
    ) -> ClaimView:
        return self.case.claims.add(
            self.incident,
            self.sources[source],
            field,
            value,
            quote=quote,
            role=role,
            question=question,
        )

    def conflicts(self) -> dict[str, ConflictView]:
        return {c.label: c for c in self.case.claims.conflicts(self.incident)}

    def claim(self, source: str, field: str, key: str = "") -> ClaimView:
        return next(
            c
            for c in self.case.claims.list(self.incident)
            if c.source_id == self.sources[source] and c.field == field and c.key == key
        )

    def outlet(self, source: str) -> str:
        """Who says it, as conflict explanations name them (the outlet found on import)."""
        found = next(s for s in self.case.sources.list() if s.id == self.sources[source])
        return found.outlet or found.title

    def open_conflicts(self) -> int:
        return next(r.open_conflicts for r in self.case.incidents.rows() if r.id == self.incident)


@pytest.fixture
def clash(case: Case, samples: Path) -> Clash:
    case.gazetteer.define_actor(KH, ["KH", "كتائب حزب الله"])
    case.gazetteer.define_actor("IRGC-linked militias", ["IRGC proxies", IRGC_AR])
    case.gazetteer.define_actor("National Defence Forces", ["NDF", "National Guard", NDF_AR])
    incident = case.incidents.create(
        IncidentFields(title="Clashes in Albukamal", start=date(2019, 6, 7))
    )
    outcomes = case.sources.import_files([samples / n for n in (BLOG, ESM, ARABIC, NOTE)])
    sources = {o.path.name: o.source.id for o in outcomes if o.source}
    return Clash(case, incident.id, sources)


def one_sentence(text: str) -> bool:
    return text.endswith(".") and ". " not in text and "\n" not in text


# -- actors -------------------------------------------------------------------------


def test_one_actor_named_through_three_aliases_is_no_conflict(clash: Clash) -> None:
    clash.add(
        ESM,
        "actor",
        "National Defence Forces",
        quote="National Defence Forces (NDF)",
        role="actor2",
    )
    clash.add(BLOG, "actor", "National Guard", quote="“National Guard”", role="actor2")
    clash.add(ARABIC, "actor", NDF_AR, quote=NDF_AR, role="actor2")

    assert "Actor: actor2" not in clash.conflicts()
    assert clash.open_conflicts() == 0
    # each of the three outlets corroborates the others, whatever its spelling
    for source in (ESM, BLOG, ARABIC):
        claim = clash.claim(source, "actor", "actor2")
        assert claim.role == "actor2"
        assert claim.corroboration == 3


def test_two_actors_in_one_role_conflict_and_the_sentence_names_them(clash: Clash) -> None:
    clash.add(ESM, "actor", KH, quote=KH, role="actor1")
    clash.add(BLOG, "actor", "IRGC proxies", quote="IRGC proxies", role="actor1")
    clash.add(ARABIC, "actor", IRGC_AR, quote=IRGC_AR, role="actor1")

    conflict = clash.conflicts()["Actor: actor1"]
    assert (conflict.field, conflict.key, conflict.status) == ("actor", "actor1", "open")
    assert [c.value_text for c in conflict.claims] == ["IRGC proxies", KH, IRGC_AR]
    esm, blog, arabic = clash.outlet(ESM), clash.outlet(BLOG), clash.outlet(ARABIC)
    assert conflict.explanation == (
        f"Actor (actor1): IRGC proxies ({blog}), {KH} ({esm}) and {IRGC_AR} ({arabic}) "
        f"cannot all be true; IRGC proxies and {KH} disagree."
    )
    assert one_sentence(conflict.explanation)
    # the blog and the Arabic page name one actor: they back each other, not ESM
    assert clash.claim(BLOG, "actor", "actor1").corroboration == 2
    assert clash.claim(ARABIC, "actor", "actor1").corroboration == 2
    assert clash.claim(ESM, "actor", "actor1").corroboration == 1
    assert clash.open_conflicts() == 1


def test_an_actor_in_different_roles_is_no_conflict(clash: Clash) -> None:
    clash.add(
        ESM,
        "actor",
        "National Defence Forces",
        quote="National Defence Forces (NDF)",
        role="actor2",
    )
    clash.add(NOTE, "actor", "NDF", quote="both NDF members", role="victim")
    clash.add(ESM, "actor", KH, quote=KH, role="actor1")

    assert clash.conflicts() == {}
    assert {c.key for c in clash.case.claims.list(clash.incident)} == {"actor1", "actor2", "victim"}


def test_an_alias_keeps_a_resolved_actor_conflict_resolved(clash: Clash) -> None:
    clash.add(ESM, "actor", KH, quote=KH, role="actor1")
    clash.add(BLOG, "actor", "IRGC proxies", quote="IRGC proxies", role="actor1")
    conflict = clash.conflicts()["Actor: actor1"]
    resolved = clash.case.claims.resolve(
        conflict.id,
        value=KH,
        rationale="Two residents name the brigade; the blog only says 'proxies'.",
        confidence="moderate",
    )
    assert resolved.status == "resolved"
    assert resolved.resolution is not None
    assert resolved.resolution.accepted_value == KH
    assert clash.open_conflicts() == 0

    # KH in Arabic script names the accepted actor: still resolved
    clash.add(ARABIC, "actor", "كتائب حزب الله", role="actor1")
    assert clash.case.claims.conflict(conflict.id).status == "resolved"
    # another actor in that role disagrees with the accepted value: re-opened
    clash.add(NOTE, "actor", "National Defence Forces", role="actor1")
    assert clash.case.claims.conflict(conflict.id).status == "reopened"
    assert clash.open_conflicts() == 1


def test_an_unknown_role_is_refused(clash: Clash) -> None:
    with pytest.raises(BadInputError, match="not an actor role"):
        clash.add(ESM, "actor", KH, role="commander")


def test_an_accepted_actor_spelled_by_an_alias_is_matched_too(clash: Clash) -> None:
    clash.add(ESM, "actor", KH, quote=KH, role="actor1")
    clash.add(BLOG, "actor", "IRGC proxies", quote="IRGC proxies", role="actor1")
    conflict = clash.conflicts()["Actor: actor1"]
    clash.case.claims.resolve(conflict.id, value="KH", rationale="ESM", confidence="low")
    clash.add(ARABIC, "actor", "كتائب حزب الله", role="actor1")
    assert clash.case.claims.conflict(conflict.id).status == "resolved"


def test_an_actor_alias_that_is_also_a_place_name_still_names_the_actor(
    clash: Clash,
) -> None:
    clash.case.gazetteer.define_place("Jerusalem", ["al-Quds", "القدس"])
    clash.case.gazetteer.define_actor("Liwa al-Quds", ["al-Quds", "Quds Brigade"])
    clash.add(ESM, "actor", "al-Quds", role="actor2")
    clash.add(NOTE, "actor", "Quds Brigade", role="actor2")
    assert "Actor: actor2" not in clash.conflicts()


def test_an_alias_defined_later_ends_the_conflict(clash: Clash) -> None:
    clash.add(ESM, "actor", "Eastern Syria NDF", role="target")
    clash.add(NOTE, "actor", "NDF", quote="both NDF members", role="target")
    assert "Actor: target" in clash.conflicts()
    clash.case.gazetteer.define_actor("National Defence Forces", ["Eastern Syria NDF"])
    assert "Actor: target" not in clash.conflicts()


def test_an_alias_defined_later_updates_the_incident_count(clash: Clash) -> None:
    clash.add(ESM, "actor", "Eastern Syria NDF", role="target")
    clash.add(NOTE, "actor", "NDF", quote="both NDF members", role="target")
    assert clash.open_conflicts() == 1
    clash.case.gazetteer.define_actor("National Defence Forces", ["Eastern Syria NDF"])
    assert clash.open_conflicts() == 0


def test_the_two_sides_named_without_a_role_do_not_conflict(clash: Clash) -> None:
    clash.add(ESM, "actor", KH, quote=KH)
    clash.add(ESM, "actor", "National Defence Forces", quote="National Defence Forces (NDF)")
    assert clash.conflicts() == {}


# -- event types --------------------------------------------------------------------


def test_event_types_agree_by_spelling_and_conflict_otherwise(clash: Clash) -> None:
    clash.add(ESM, "event_type", "Armed clash", quote="Fighting broke out")
    clash.add(NOTE, "event_type", "armed-clash", quote="an exchange of fire, not a battle")
    assert clash.conflicts() == {}  # case and hyphen are spelling, not meaning
    assert clash.claim(ESM, "event_type").corroboration == 2

    clash.add(ARABIC, "event_type", "Battles", quote="اشتباكات عنيفة")
    conflict = clash.conflicts()["Event type"]
    assert [c.value_text for c in conflict.claims] == ["Armed clash", "armed-clash", "Battles"]
    esm, note, arabic = clash.outlet(ESM), clash.outlet(NOTE), clash.outlet(ARABIC)
    assert conflict.explanation == (
        f"Event type: Armed clash ({esm}), armed-clash ({note}) and Battles ({arabic}) "
        "cannot all be true; Armed clash and Battles disagree."
    )
    assert one_sentence(conflict.explanation)
    assert clash.claim(ARABIC, "event_type").corroboration == 1


# -- statements ---------------------------------------------------------------------

FLAG = "Government flag removed?"


def test_yes_and_no_to_one_question_conflict_however_the_question_is_cased(
    clash: Clash,
) -> None:
    clash.add(ESM, "statement", "yes", quote="removed a government flag", question=FLAG)
    clash.add(
        NOTE, "statement", "no", quote="could not confirm the flag incident", question=FLAG.lower()
    )
    conflict = next(
        c for c in clash.case.claims.conflicts(clash.incident) if c.field == "statement"
    )
    assert conflict.key.casefold() == FLAG.casefold()
    assert [c.value_text for c in conflict.claims] == ["no", "yes"]
    esm, note = clash.outlet(ESM), clash.outlet(NOTE)
    assert conflict.explanation == (
        f"Statement ({conflict.key}): no ({note}) and yes ({esm}) cannot all be true; "
        "no and yes disagree."
    )
    assert one_sentence(conflict.explanation)
    # another question is another statement: no conflict with this one
    clash.add(BLOG, "statement", "no", question="Russian military police intervened?")
    assert len(clash.case.claims.conflicts(clash.incident)) == 1


def test_free_statements_never_conflict_and_only_the_same_words_corroborate(
    clash: Clash,
) -> None:
    removed = clash.add(
        ESM,
        "statement",
        "Militia members removed a government flag from a checkpoint.",
        quote="militia members removed a government flag from a checkpoint",
    )
    unconfirmed = clash.add(
        NOTE,
        "statement",
        "The flag incident could not be confirmed.",
        quote="Contact could not confirm the flag incident.",
    )
    # a free statement that reads "no" is text, not an answer to a question
    clash.add(BLOG, "statement", "no")
    clash.add(ARABIC, "statement", "yes", question=FLAG)

    assert clash.conflicts() == {}
    assert clash.open_conflicts() == 0
    assert removed.value == {"type": "text", "written": removed.value_text}
    assert unconfirmed.question is None
    # two different statements are no corroboration of each other
    assert clash.claim(ESM, "statement").corroboration == 1
    assert clash.claim(NOTE, "statement").corroboration == 1

    clash.add(BLOG, "statement", "militia members removed a government flag from a checkpoint")
    assert clash.claim(ESM, "statement").corroboration == 2
    assert clash.claim(NOTE, "statement").corroboration == 1
