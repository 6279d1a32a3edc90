"""Typed claim values and the one question the conflict engine asks of two of them:
can both be true?

Every value is a small frozen dataclass with a JSON form (stored in ``claim.value``)
and a text form (what the analyst typed and reads). Agreement rules:

- counts are intervals: 3 is [3, 3], "3-5" [3, 5], ">=3" [3, inf), "<=3" [0, 3],
  "~5" about 5 (+-20%, at least +-1); two counts agree when their intervals overlap;
- dates are the days they cover: 2019-06-07 agrees with 2019-06 and with 2019;
- places and actors agree when they name the same thing (through aliases);
- yes/no answers agree when equal; weapons agree when they share a kind of weapon;
- free text never conflicts.

Agreeing is not corroborating: free text and weapons words that name no known kind
of weapon never conflict, but only the same words corroborate them (``corroborates``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from desk.dates import format_partial_date, last_day, parse_partial_date
from desk.errors import BadInputError
from desk.names import normalize_name

FIELDS = (
    "fatalities",
    "injured",
    "date",
    "place",
    "actor",
    "event_type",
    "weapons",
    "statement",
)
COUNT_FIELDS = ("fatalities", "injured")
FIELD_LABELS = {
    "fatalities": "Fatalities",
    "injured": "Injured",
    "date": "Date",
    "place": "Place",
    "actor": "Actor",
    "event_type": "Event type",
    "weapons": "Weapons",
    "statement": "Statement",
}

INFINITY = math.inf


@dataclass(frozen=True)
class Count:
    """A number of people: exact, a range, at least, at most or about."""

    low: int
    high: float  # INFINITY for "at least"
    form: Literal["exact", "range", "at_least", "at_most", "about"]
    stated: int | None = None  # the number an "about" or bound was written with

    def text(self) -> str:
        if self.form == "exact":
            return str(self.low)
        if self.form == "range":
            return f"{self.low}-{int(self.high)}"
        if self.form == "at_least":
            return f">={self.low}"
        if self.form == "at_most":
            return f"<={int(self.high)}"
        return f"~{self.stated}"

    def best(self) -> int:
        """A single figure for summaries: the stated number or the range's middle."""
        if self.stated is not None:
            return self.stated
        if self.high == INFINITY:
            return self.low
        return round((self.low + self.high) / 2)


@dataclass(frozen=True)
class DateValue:
    first: date
    last: date
    precision: str
    written: str

    def text(self) -> str:
        return self.written


@dataclass(frozen=True)
class Answer:
    """Yes or no to the question a statement names."""

    yes: bool

    def text(self) -> str:
        return "yes" if self.yes else "no"


@dataclass(frozen=True)
class Name:
    """A place, an actor or an event type; ``norm`` is its folded spelling."""

    name: str
    norm: str

    def text(self) -> str:
        return self.name


@dataclass(frozen=True)
class Weapons:
    """Weapons as written, with the kinds of weapon the words name."""

    written: str
    kinds: frozenset[str]

    def text(self) -> str:
        return self.written


@dataclass(frozen=True)
class FreeText:
    written: str

    def text(self) -> str:
        return self.written


Value = Count | DateValue | Answer | Name | Weapons | FreeText

_COUNT = re.compile(
    r"^\s*(?:(?P<exact>\d+)|(?P<lo>\d+)\s*[-–]\s*(?P<hi>\d+)|>=\s*(?P<least>\d+)"
    r"|<=\s*(?P<most>\d+)|~\s*(?P<about>\d+))\s*$"
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_YES = {"yes", "y", "true", "نعم", "بله"}
_NO = {"no", "n", "false", "لا", "نه"}

# Words that name a kind of weapon, so "122 mm artillery rounds" agrees with
# "artillery shells" and not with "rocket launchers".
WEAPON_KINDS: dict[str, tuple[str, ...]] = {
    "artillery": ("artillery", "shell", "howitzer", "mortar", "122 mm", "122mm", "مدفع", "قذائف"),
    "rockets": ("rocket", "mlrs", "grad", "launcher", "missile", "صاروخ", "صواريخ", "راجمات"),
    "air": ("air strike", "airstrike", "jet", "aircraft", "warplane", "bomb", "طيران", "غارة"),
    "drone": ("drone", "uav", "fpv", "مسيرة", "مسيّرة", "طائرة مسيرة"),
    "small arms": ("machine gun", "rifle", "small arms", "gunfire", "رشاش", "بنادق"),
    "rpg": ("rpg", "rocket-propelled", "grenade launcher", "ار بي جي"),
    "explosive": ("ied", "explosive", "car bomb", "landmine", "عبوة", "لغم"),
    "heavy weapons": ("heavy weapon", "heavy weaponry", "أسلحة ثقيلة", "اسلحة ثقيلة"),
}


def parse_count(text: str) -> Count:
    match = _COUNT.match(text.translate(_DIGITS))
    if match is None:
        raise BadInputError(f"'{text}' is not a count: write 3, 3-5, >=3, <=3 or ~5.")
    if match["exact"]:
        n = int(match["exact"])
        return Count(n, n, "exact", n)
    if match["lo"]:
        low, high = int(match["lo"]), int(match["hi"])
        if high < low:
            raise BadInputError(f"'{text}': the range ends below its start.")
        return Count(low, high, "range")
    if match["least"]:
        n = int(match["least"])
        return Count(n, INFINITY, "at_least", n)
    if match["most"]:
        n = int(match["most"])
        return Count(0, n, "at_most", n)
    n = int(match["about"])
    margin = max(1, round(n * 0.2))
    return Count(max(0, n - margin), n + margin, "about", n)


def parse_date_value(text: str) -> DateValue:
    """A day, week, month or year, or a span written ``2019-06-07..2019-06-08``."""
    written = text.strip()
    start_text, _, end_text = written.partition("..")
    start, precision = parse_partial_date(start_text)
    first, last = start, last_day(start, precision)
    if end_text:
        end, end_precision = parse_partial_date(end_text)
        last = last_day(end, end_precision)
        if last < first:
            raise BadInputError(f"'{text}': the span ends before it starts.")
        precision = "span"
    return DateValue(first, last, precision, written)


def parse_answer(text: str) -> Answer:
    folded = text.strip().casefold()
    if folded in _YES:
        return Answer(True)
    if folded in _NO:
        return Answer(False)
    raise BadInputError(f"'{text}' is not an answer: write yes or no.")


def weapon_kinds(text: str) -> frozenset[str]:
    folded = text.casefold()
    return frozenset(
        kind for kind, words in WEAPON_KINDS.items() if any(w in folded for w in words)
    )


def parse_value(field: str, text: str, question: str | None = None) -> Value:
    """The typed value of what the analyst wrote for ``field``.

    A statement with a question is answered yes or no; without one it is free text.
    """
    if not text.strip():
        raise BadInputError("A claim needs a value.")
    if field in COUNT_FIELDS:
        return parse_count(text)
    if field == "date":
        return parse_date_value(text)
    if field == "statement":
        return parse_answer(text) if question and question.strip() else FreeText(text.strip())
    if field == "weapons":
        if text.strip().casefold() in _YES | _NO:
            return parse_answer(text)
        return Weapons(text.strip(), weapon_kinds(text))
    if field in ("place", "actor", "event_type"):
        return Name(text.strip(), normalize_name(text))
    raise BadInputError(f"'{field}' is not a claim field; use one of: {', '.join(FIELDS)}.")


def to_json(value: Value) -> dict[str, Any]:
    if isinstance(value, Count):
        high = None if value.high == INFINITY else int(value.high)
        return {
            "type": "count",
            "form": value.form,
            "low": value.low,
            "high": high,
            "stated": value.stated,
        }
    if isinstance(value, DateValue):
        return {
            "type": "date",
            "first": value.first.isoformat(),
            "last": value.last.isoformat(),
            "precision": value.precision,
            "written": value.written,
        }
    if isinstance(value, Answer):
        return {"type": "answer", "yes": value.yes}
    if isinstance(value, Name):
        return {"type": "name", "name": value.name, "norm": value.norm}
    if isinstance(value, Weapons):
        return {"type": "weapons", "written": value.written, "kinds": sorted(value.kinds)}
    return {"type": "text", "written": value.written}


def from_json(data: dict[str, Any]) -> Value:
    kind = data.get("type")
    if kind == "count":
        high = INFINITY if data["high"] is None else float(data["high"])
        return Count(int(data["low"]), high, data["form"], data.get("stated"))
    if kind == "date":
        return DateValue(
            date.fromisoformat(data["first"]),
            date.fromisoformat(data["last"]),
            data["precision"],
            data["written"],
        )
    if kind == "answer":
        return Answer(bool(data["yes"]))
    if kind == "name":
        return Name(data["name"], data["norm"])
    if kind == "weapons":
        return Weapons(data["written"], frozenset(data["kinds"]))
    return FreeText(str(data.get("written", "")))


Resolver = Callable[[str], str]


def agree(a: Value, b: Value, same_thing: Resolver | None = None) -> bool:
    """Whether two values of one field can both be true.

    ``same_thing`` maps a folded name to the id of the place or actor it names (an
    alias lookup), so that two spellings of one place agree.
    """
    if isinstance(a, Count) and isinstance(b, Count):
        return a.low <= b.high and b.low <= a.high
    if isinstance(a, DateValue) and isinstance(b, DateValue):
        return a.first <= b.last and b.first <= a.last
    if isinstance(a, Answer) and isinstance(b, Answer):
        return a.yes == b.yes
    if isinstance(a, Name) and isinstance(b, Name):
        resolve = same_thing or (lambda norm: norm)
        return resolve(a.norm) == resolve(b.norm)
    if isinstance(a, Weapons) and isinstance(b, Weapons):
        # Unknown words say nothing either way; only two known, disjoint kinds conflict.
        return not a.kinds or not b.kinds or bool(a.kinds & b.kinds)
    if isinstance(a, Answer) and isinstance(b, Weapons):
        return agree(b, a, same_thing)
    if isinstance(a, Weapons) and isinstance(b, Answer):
        # "heavy weapons: no" conflicts with a claim that names heavy weapons.
        return b.yes or "heavy weapons" not in a.kinds
    return True


def corroborates(a: Value, b: Value, same_thing: Resolver | None = None) -> bool:
    """Whether ``b`` says what ``a`` says, so that its outlet counts as corroboration.

    Values that merely cannot conflict say nothing about each other: two different free
    statements, or weapons words of no known kind and anything else.
    """
    if isinstance(a, FreeText) or isinstance(b, FreeText):
        return isinstance(a, FreeText) and isinstance(b, FreeText) and _same_words(a, b)
    vague_a = isinstance(a, Weapons) and not a.kinds
    vague_b = isinstance(b, Weapons) and not b.kinds
    if vague_a or vague_b:
        return isinstance(a, Weapons) and isinstance(b, Weapons) and _same_words(a, b)
    return agree(a, b, same_thing)


def _same_words(a: FreeText | Weapons, b: FreeText | Weapons) -> bool:
    def folded(value: FreeText | Weapons) -> str:
        return normalize_name(value.written).rstrip(".!?;:, ")

    return folded(a) == folded(b)


def describe(value: Value) -> str:
    """The value as a reader sees it in a sentence."""
    if isinstance(value, Count):
        if value.form == "at_least":
            return f"at least {value.low}"
        if value.form == "at_most":
            return f"at most {int(value.high)}"
        if value.form == "about":
            return f"about {value.stated}"
        return value.text()
    if isinstance(value, DateValue):
        if value.precision in ("day", "span", "week"):
            return value.written
        return format_partial_date(value.first, value.precision)
    return value.text()
