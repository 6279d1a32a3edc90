"""Offline suggestions of claims from a source's text: killed, wounded and dates.

Rules, not a model: numbers in digits (Latin, Arabic-Indic or Persian) or as words
(English and Arabic) next to words for killing or wounding, and dates. Each
suggestion carries its quote and place in the text; nothing is recorded until the
analyst accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from desk.ingest.dates import Dated, find_dates

ENGLISH_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12,
    "dozens": 24, "a hundred": 100,
}  # fmt: skip
# Arabic number words as they appear after مقتل / إصابة (masculine and feminine forms).
ARABIC_NUMBERS = {
    "واحد": 1, "شخص واحد": 1, "اثنين": 2, "اثنان": 2, "شخصين": 2, "ثلاثة": 3, "ثلاث": 3,
    "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7,
    "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
    "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50,
}  # fmt: skip

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _words(names: dict[str, int]) -> str:
    return "|".join(
        re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True)
    )


# Within one line: a number and the word for killing are never a line apart.
_S = r"[^\S\n]+"
_EN_NUM = rf"(?P<n>[0-9]+|{_words(ENGLISH_NUMBERS)})"
_AR_NUM = rf"(?P<n>[0-9]+|{_words(ARABIC_NUMBERS)})"
_EN_BOUND = r"(?:(?P<bound>at\s+least|more\s+than|over|up\s+to|at\s+most|about|around|nearly|some)[^\S\n]+)?"
_AR_BOUND = r"(?:(?P<bound>أكثر\s+من|ما\s+لا\s+يقل\s+عن|نحو|حوالي)[^\S\n]+)?"
# Up to three words between the number and the verb ("people", "of them", "others"),
# but never "and"/"or", which join two numbers.
_EN_FILLER = r"(?:(?!and\b|or\b|to\b)[\w'’-]+[^\S\n]+){0,3}?"
_EN_RANGE = rf"(?:between{_S})?(?P<lo>[0-9]+|{_words(ENGLISH_NUMBERS)}){_S}(?:and|to|or){_S}(?P<hi>[0-9]+|{_words(ENGLISH_NUMBERS)})"

_KILLED_EN = r"(?:killed|dead|died|slain|lost\s+their\s+lives)"
_WOUNDED_EN = r"(?:wounded|injured|hurt)"
_KILLED_AR = r"(?:مقتل|قتل|مصرع|استشهاد|مقتلهم)"
_WOUNDED_AR = r"(?:إصابة|اصابة|أصيب|جرح|جرحى)"

_PASSIVE = rf"(?:(?:were|was|have{_S}been|had{_S}been|are){_S})?"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fatalities", re.compile(rf"\b{_EN_RANGE}{_S}{_EN_FILLER}{_PASSIVE}{_KILLED_EN}\b", re.I)),
    ("fatalities", re.compile(rf"\b{_EN_BOUND}{_EN_NUM}{_S}{_EN_FILLER}{_PASSIVE}{_KILLED_EN}\b", re.I)),
    ("fatalities", re.compile(rf"\b(?:killing|killed|kills){_S}{_EN_BOUND}{_EN_NUM}\b", re.I)),
    ("fatalities", re.compile(rf"\bdeath{_S}toll{_S}(?:\w+{_S}){{0,3}}?{_EN_BOUND}{_EN_NUM}\b", re.I)),
    ("injured", re.compile(rf"\b{_EN_RANGE}{_S}{_EN_FILLER}{_PASSIVE}{_WOUNDED_EN}\b", re.I)),
    ("injured", re.compile(rf"\b{_EN_BOUND}{_EN_NUM}{_S}{_EN_FILLER}{_PASSIVE}{_WOUNDED_EN}\b", re.I)),
    ("injured", re.compile(rf"\b(?:wounding|injuring){_S}{_EN_BOUND}{_EN_NUM}\b", re.I)),
    ("fatalities", re.compile(rf"[وبل]?{_KILLED_AR}{_S}{_AR_BOUND}{_AR_NUM}(?!\w)")),
    ("injured", re.compile(rf"[وبل]?{_WOUNDED_AR}{_S}{_AR_BOUND}{_AR_NUM}(?!\w)")),
)  # fmt: skip

_AT_LEAST = {"at least", "ما لا يقل عن"}
_MORE_THAN = {"more than", "over", "أكثر من"}
_AT_MOST = {"up to", "at most"}
_ABOUT = {"about", "around", "nearly", "some", "نحو", "حوالي"}


@dataclass(frozen=True)
class Suggestion:
    """A claim the text seems to make, for the analyst to accept, edit or reject."""

    field: str
    value: str
    quote: str
    start: int
    end: int


def _number(word: str) -> int | None:
    folded = re.sub(r"\s+", " ", word.translate(_DIGITS).strip())
    if folded.isdigit():
        return int(folded)
    return ENGLISH_NUMBERS.get(folded.casefold()) or ARABIC_NUMBERS.get(folded)


def _value(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("lo"):
        low, high = _number(groups["lo"]), _number(groups["hi"])
        if low is None or high is None or high <= low or _looks_like_year(high):
            return None
        return f"{low}-{high}"
    n = _number(groups["n"])
    if n is None or (_looks_like_year(n) and not groups.get("bound")):
        return None
    return _count_text(n, groups.get("bound"))


def _looks_like_year(n: int) -> bool:
    return 1900 <= n <= 2100


def _count_text(n: int, bound: str | None) -> str:
    bound = re.sub(r"\s+", " ", bound.casefold()) if bound else None
    if bound in _AT_LEAST:
        return f">={n}"
    if bound in _MORE_THAN:
        return f">={n + 1}"
    if bound in _AT_MOST:
        return f"<={n}"
    if bound in _ABOUT:
        return f"~{n}"
    return str(n)


def _counts(text: str) -> list[Suggestion]:
    found: dict[tuple[str, int, int], Suggestion] = {}
    folded = text.translate(_DIGITS)  # same length: offsets stay valid
    # Any year will do: only where dates stand matters, so that the day of
    # "on 30 December two were killed" is not read as thirty dead.
    dates = [(start, end) for _, start, end in _apart(find_dates(text, default_year=2000))]
    for field, pattern in _RULES:
        at = 0
        while (match := pattern.search(folded, at)) is not None:
            value = _value(match)
            if value is None or _in_a_date(match, dates):
                at = match.start() + 1  # a later number may still start a count here
                continue
            at = max(match.end(), match.start() + 1)
            start, end = match.span()
            found.setdefault(
                (field, start, end), Suggestion(field, value, text[start:end], start, end)
            )
    return _without_overlaps(sorted(found.values(), key=lambda s: (s.start, -s.end)))


def _in_a_date(match: re.Match[str], dates: list[tuple[int, int]]) -> bool:
    """Whether the number a count was read from is part of a date."""
    spans = [match.span(g) for g in ("n", "lo", "hi") if match.groupdict().get(g)]
    return any(first <= start and end <= last for start, end in spans for first, last in dates)


def _without_overlaps(suggestions: list[Suggestion]) -> list[Suggestion]:
    """One suggestion per field and stretch of text: the longest, earliest match."""
    kept: list[Suggestion] = []
    for suggestion in suggestions:
        if any(
            k.field == suggestion.field and k.start < suggestion.end and suggestion.start < k.end
            for k in kept
        ):
            continue
        kept.append(suggestion)
    return kept


# A day written without its year ("30 December") is the latest such day no later than
# this long after publication: a report of 2 January 2020 means 30 December 2019.
_AHEAD_OF_PUBLICATION = timedelta(days=31)


def _dates(text: str, reference: date | None) -> list[Suggestion]:
    found = find_dates(text) if reference is None else _dates_near(text, reference)
    suggestions = []
    for (when, precision), start, end in _apart(found):
        value = when.date().isoformat() if precision == "day" else when.strftime("%Y-%m")
        suggestions.append(Suggestion("date", value, text[start:end], start, end))
    return suggestions


def _apart(found: list[tuple[Dated, int, int]]) -> list[tuple[Dated, int, int]]:
    """One date per stretch of text, the earliest: "3 March 12 were wounded" holds
    3 March, not also 12 March."""
    kept: list[tuple[Dated, int, int]] = []
    for item in sorted(found, key=lambda i: (i[1], -i[2])):
        if not kept or item[1] >= kept[-1][2]:
            kept.append(item)
    return kept


def _dates_near(text: str, reference: date) -> list[tuple[Dated, int, int]]:
    """Dates in ``text``, those without a year put in the year of ``reference`` or,
    when that would be well after it, in the year before."""
    with_year = {(start, end) for _, start, end in find_dates(text)}
    latest = reference + _AHEAD_OF_PUBLICATION
    this_year = {item[1]: item for item in find_dates(text, default_year=reference.year)}
    year_before = {item[1]: item for item in find_dates(text, default_year=reference.year - 1)}
    chosen = []
    for start in sorted(this_year.keys() | year_before.keys()):
        item = this_year.get(start)
        if item is None:  # 29 February, in a year before a leap year
            item = year_before[start]
        else:
            (when, _), _, end = item
            if (start, end) not in with_year and when.date() > latest:
                item = year_before.get(start, item)
        chosen.append(item)
    return chosen


def suggest_claims(text: str, published: date | None = None) -> list[Suggestion]:
    """Suggested claims in the order they appear; ``published`` dates "7 June"."""
    suggestions = _counts(text) + _dates(text, published)
    return sorted(suggestions, key=lambda s: (s.start, s.field))
