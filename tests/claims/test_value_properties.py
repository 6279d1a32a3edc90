"""Properties of the agreement rules beyond counts and dates: names of places, actors
and event types (through a gazetteer of aliases), yes/no answers, weapons and free
text. Agreement is symmetric, a value never conflicts with itself (nor with its stored
form), and the same holds for corroboration."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desk.claims.values import (
    Answer,
    FreeText,
    Name,
    Value,
    Weapons,
    agree,
    corroborates,
    from_json,
    parse_value,
    to_json,
)
from desk.names import normalize_name

SETTINGS = settings(max_examples=150, deadline=None)

# -- names and a gazetteer --------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéüçâ" + "ابتثجحخدذرزسشصضطظعغفقكلمنهويءة"
SEPARATORS = " -'’_"
name_text = st.text(st.sampled_from(LETTERS + SEPARATORS), min_size=1, max_size=16).filter(
    lambda t: normalize_name(t) != ""
)
# Spellings that fold to the same name: case, separators, accents and Arabic vowel marks.
ACCENTS = {"e": "é", "a": "à", "u": "ü", "c": "ç", "o": "ö", "i": "ï"}
FATHA = "\u064e"


@st.composite
def respelled(draw: st.DrawFn, text: str) -> str:
    out = []
    for ch in text:
        if ch in SEPARATORS:
            out.append(draw(st.sampled_from(["-", " ", "  ", "_", "'", "’"])))
        elif ch.isascii() and ch.isalpha():
            ch = draw(st.sampled_from([ch, ch.upper(), ACCENTS.get(ch, ch)]))
            out.append(ch)
        elif "\u0621" <= ch <= "\u064a":
            out.append(ch + draw(st.sampled_from(["", FATHA])))
        else:
            out.append(ch)
    return draw(st.sampled_from(["", " "])) + "".join(out)


@st.composite
def gazetteers(draw: st.DrawFn) -> dict[str, str]:
    """Folded alias -> id of the thing it names; no alias names two things."""
    things = draw(st.lists(st.lists(name_text, min_size=1, max_size=4), min_size=1, max_size=4))
    table: dict[str, str] = {}
    for number, aliases in enumerate(things):
        for alias in aliases:
            norm = normalize_name(alias)
            assume(table.get(norm, str(number)) == str(number))
            table[norm] = str(number)
    return table


def resolver(table: dict[str, str]) -> Callable[[str], str]:
    return lambda norm: table.get(norm, norm)


NAME_FIELDS = st.sampled_from(["place", "actor", "event_type"])


@st.composite
def names_in(draw: st.DrawFn, table: dict[str, str]) -> str:
    """A spelling of a known alias, respelled, or a name the gazetteer does not know."""
    known = draw(st.sampled_from(sorted(table))) if table else None
    if known is not None and draw(st.booleans()):
        return draw(respelled(known))
    return draw(name_text)


@SETTINGS
@given(gazetteers(), NAME_FIELDS, st.data())
def test_names_agree_symmetrically_and_with_themselves(
    table: dict[str, str], field: str, data: st.DataObject
) -> None:
    resolve = resolver(table)
    a = parse_value(field, data.draw(names_in(table)))
    b = parse_value(field, data.draw(names_in(table)))
    assert agree(a, b, resolve) == agree(b, a, resolve)
    assert corroborates(a, b, resolve) == corroborates(b, a, resolve)
    for value in (a, b):
        assert agree(value, value, resolve)
        assert agree(value, from_json(to_json(value)), resolve)


@SETTINGS
@given(gazetteers(), NAME_FIELDS, st.data())
def test_spellings_of_one_thing_agree_and_of_two_things_conflict(
    table: dict[str, str], field: str, data: st.DataObject
) -> None:
    resolve = resolver(table)
    first, second = (
        data.draw(st.sampled_from(sorted(table))),
        data.draw(st.sampled_from(sorted(table))),
    )
    a = parse_value(field, data.draw(respelled(first)))
    b = parse_value(field, data.draw(respelled(second)))
    assert isinstance(a, Name)
    assert isinstance(b, Name)
    assert agree(a, b, resolve) is (table[first] == table[second])
    assert agree(b, a, resolve) is (table[first] == table[second])
    # without the gazetteer only one spelling, however written, is one name
    assert agree(a, b) is (normalize_name(first) == normalize_name(second))


# -- yes/no answers ----------------------------------------------------------------------

YES = ["yes", "Yes", "YES", "y", "true", "نعم", "بله"]
NO = ["no", "No", "NO", "n", "false", "لا", "نه"]
answer_text = st.sampled_from(YES + NO).flatmap(
    lambda word: st.sampled_from([word, f" {word} ", f"{word}\n"])
)
questions = st.sampled_from(["Russian MP intervened?", "Heavy weapons used?", "هل تدخلت الشرطة؟"])


@SETTINGS
@given(answer_text, answer_text, questions)
def test_answers_agree_when_equal_symmetrically_and_with_themselves(
    a_text: str, b_text: str, question: str
) -> None:
    a = parse_value("statement", a_text, question)
    b = parse_value("statement", b_text, question)
    assert isinstance(a, Answer)
    assert isinstance(b, Answer)
    expected = (a_text.strip() in YES) == (b_text.strip() in YES)
    assert agree(a, b) is expected
    assert agree(b, a) is expected
    assert corroborates(a, b) is expected
    assert agree(a, a)
    assert agree(a, from_json(to_json(a)))


# -- weapons -----------------------------------------------------------------------------

WEAPON_WORDS = [
    "122 mm artillery rounds",
    "artillery shells",
    "mortar",
    "multiple rocket launchers",
    "Grad rockets",
    "air strike",
    "warplanes",
    "a drone",
    "FPV drones",
    "medium machine guns",
    "small arms",
    "an RPG",
    "IED",
    "car bomb",
    "heavy weaponry",
    "أسلحة ثقيلة",
    "قذائف مدفعية",
    "طائرة مسيرة",
    "something unusual",
    "knives",
]
weapons_text = st.one_of(
    st.lists(st.sampled_from(WEAPON_WORDS), min_size=1, max_size=3).map(" and ".join),
    st.sampled_from(["yes", "no", "نعم", "لا"]),
    st.text(min_size=1, max_size=20).filter(lambda t: t.strip() != ""),
)


@SETTINGS
@given(weapons_text, weapons_text)
def test_weapons_agree_symmetrically_and_with_themselves(a_text: str, b_text: str) -> None:
    a, b = parse_value("weapons", a_text), parse_value("weapons", b_text)
    assert isinstance(a, Weapons | Answer)
    assert agree(a, b) == agree(b, a)
    assert corroborates(a, b) == corroborates(b, a)
    for value in (a, b):
        assert agree(value, value)
        assert corroborates(value, value)
        assert agree(value, from_json(to_json(value)))
    if corroborates(a, b):
        assert agree(a, b)  # what corroborates never conflicts


def test_weapons_examples_an_analyst_reads() -> None:
    def weapons(text: str) -> Value:
        return parse_value("weapons", text)

    assert agree(weapons("122 mm artillery rounds"), weapons("artillery shells"))
    assert not agree(weapons("artillery shells"), weapons("Grad rockets"))
    assert not agree(weapons("heavy weaponry"), weapons("no"))
    assert agree(weapons("medium machine guns"), weapons("no"))
    # words of no known kind neither conflict nor corroborate
    assert agree(weapons("knives"), weapons("Grad rockets"))
    assert not corroborates(weapons("knives"), weapons("Grad rockets"))
    assert corroborates(weapons("Knives"), weapons("knives"))


# -- free text ---------------------------------------------------------------------------

free_text = st.text(min_size=1, max_size=60).filter(lambda t: t.strip() != "")


@SETTINGS
@given(free_text, free_text)
def test_free_text_never_conflicts_and_only_the_same_words_corroborate(
    a_text: str, b_text: str
) -> None:
    a, b = parse_value("statement", a_text), parse_value("statement", b_text)
    assert isinstance(a, FreeText)
    assert isinstance(b, FreeText)
    assert agree(a, b)
    assert agree(b, a)
    assert agree(a, a)
    assert agree(a, from_json(to_json(a)))
    assert corroborates(a, b) == corroborates(b, a)
    assert corroborates(a, a)
    # the same words, spaced or stopped differently, corroborate
    assert corroborates(a, parse_value("statement", f"  {a_text.strip()}.  "))
