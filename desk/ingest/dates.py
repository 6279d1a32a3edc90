"""Publication dates found in text or in page metadata, as UTC-aware datetimes.

A date without a time is stored at midnight UTC with precision "day" (or "month"):
the precision, not the time of day, says how much is known.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from desk.ingest.model import DatePrecision

Dated = tuple[datetime, DatePrecision]

# Only the top of a text is searched: a date further down is usually about an event.
_HEAD_CHARS = 2000
_MIN_YEAR, _MAX_YEAR = 1900, 2100

_ENGLISH_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

# Levantine and Egyptian/Gulf Arabic names, and Persian names of Gregorian months.
# Written unfolded; _fold() turns them into the spelling the patterns match.
_ARABIC_SCRIPT_MONTHS = {
    1: ("كانون الثاني", "يناير", "ژانویه"),
    2: ("شباط", "فبراير", "فوریه"),
    3: ("آذار", "مارس"),
    4: ("نيسان", "أبريل", "إبريل", "آوریل"),
    5: ("أيار", "مايو", "مه"),
    6: ("حزيران", "يونيو", "يونيه", "ژوئن"),
    7: ("تموز", "يوليو", "يوليه", "ژوئیه", "جولای"),
    8: ("آب", "أغسطس", "اوت", "آگوست"),
    9: ("أيلول", "سبتمبر", "سپتامبر"),
    10: ("تشرين الأول", "أكتوبر", "اکتبر"),
    11: ("تشرين الثاني", "نوفمبر", "نوامبر"),
    12: ("كانون الأول", "ديسمبر", "دسامبر"),
}

# Arabic-Indic and Persian digits to ASCII; alef and Persian yeh/kaf variants to one form.
_FOLD = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹أإآٱیک",
    "01234567890123456789اااايك",
)


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _alternation(names: list[str]) -> str:
    # Longest first, so "تشرين الأول" is not cut short and "sept" beats "sep".
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in ordered)


_AR_MONTH_NUMBER = {
    re.sub(r"\s+", " ", _fold(name)): month
    for month, names in _ARABIC_SCRIPT_MONTHS.items()
    for name in names
}
_EN = _alternation(list(_ENGLISH_MONTHS))
_AR = _alternation(list(_AR_MONTH_NUMBER))
_DAY = r"(?<![0-9])(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[0-9]{4})(?![0-9])"
_ISO = r"(?<![0-9])(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})(?![0-9])"

_PATTERNS: tuple[tuple[re.Pattern[str], DatePrecision], ...] = (
    (re.compile(_ISO), "day"),
    (re.compile(rf"{_DAY}(?:\s+of)?\s+(?P<month>{_EN})\b\.?,?\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"\b(?P<month>{_EN})\b\.?\s+{_DAY},?\s+{_YEAR}", re.I), "day"),
    (re.compile(rf"\b(?P<month>{_EN})\b\.?,?\s+{_YEAR}", re.I), "month"),
    # "28 آب/اغسطس 2013": Levantine and Egyptian names are often given together.
    (re.compile(rf"{_DAY}\s+(?P<month>{_AR})(?:\s*/\s*(?:{_AR}))?\s*،?\s+{_YEAR}"), "day"),
    (re.compile(rf"(?<!\w)(?P<month>{_AR})(?:\s*/\s*(?:{_AR}))?\s+{_YEAR}"), "month"),
)  # fmt: skip


def _month_number(name: str) -> int:
    key = re.sub(r"\s+", " ", name.lower().rstrip("."))
    return _ENGLISH_MONTHS.get(key) or _AR_MONTH_NUMBER.get(key) or int(key)


# Day and month with no year ("Friday 7 June"): only with a year to assume.
_NO_YEAR: tuple[tuple[re.Pattern[str], DatePrecision], ...] = (
    (re.compile(rf"{_DAY}(?:\s+of)?\s+(?P<month>{_EN})\b(?!\.?,?\s+[0-9]{{4}})", re.I), "day"),
    (re.compile(rf"\b(?P<month>{_EN})\b\.?\s+{_DAY}(?!,?\s+[0-9]{{4}})(?![0-9])", re.I), "day"),
    (re.compile(rf"{_DAY}\s+(?P<month>{_AR})(?!\s*،?\s*[0-9]{{4}})"), "day"),
)  # fmt: skip


def _to_date(
    match: re.Match[str], precision: DatePrecision, year: int | None = None
) -> Dated | None:
    year = int(match["year"]) if "year" in match.groupdict() else year
    if year is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    day = int(match["day"]) if precision == "day" else 1
    try:
        return datetime(year, _month_number(match["month"]), day, tzinfo=UTC), precision
    except ValueError:  # 31 June, month 13 and the like
        return None


def find_dates(text: str, default_year: int | None = None) -> list[tuple[Dated, int, int]]:
    """Every plausible date in ``text`` with its start and end offsets, in order.

    With ``default_year``, days written without a year ("Friday 7 June") count too.
    Offsets index ``text`` itself: folding digits keeps every character in place.
    """
    folded = _fold(text)
    patterns = _PATTERNS + (_NO_YEAR if default_year else ())
    candidates = [
        (match, precision) for pattern, precision in patterns for match in pattern.finditer(folded)
    ]
    # Earliest first and, at one position, longest first.
    candidates.sort(key=lambda candidate: (candidate[0].start(), -len(candidate[0][0])))
    found: list[tuple[Dated, int, int]] = []
    covered_until = -1
    for match, precision in candidates:
        if match.end() <= covered_until:
            continue  # "June 2019" inside an impossible "31 June 2019" is no date either
        covered_until = match.end()
        dated = _to_date(match, precision, default_year)
        if dated is not None:
            found.append((dated, match.start(), match.end()))
    return found


def find_date(text: str) -> Dated | None:
    """The first plausible date near the top of ``text``, or None."""
    found = find_dates(text[:_HEAD_CHARS])
    return found[0][0] if found else None


def parse_iso(value: str) -> Dated | None:
    """An ISO 8601 date or date-time from page metadata.

    With a UTC offset the instant is known ("datetime"); without one only the day is.
    """
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    if parsed.tzinfo is None:
        return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC), "day"
    return parsed.astimezone(UTC), "datetime"


def from_pdf(value: datetime) -> Dated:
    """A PDF date: exact when it carries a zone, otherwise only its day is trusted."""
    if value.tzinfo is None:
        return datetime(value.year, value.month, value.day, tzinfo=UTC), "day"
    return value.astimezone(UTC), "datetime"
