"""Dates with a precision: a day, an ISO week, a month or a year.

A partial date is stored as its first day plus the precision, so "June 2019" is
(2019-06-01, "month") and sorts with the days of that month.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from desk.errors import BadInputError

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_partial_date(text: str) -> tuple[date, str]:
    """Parse ``2019-06-07``, ``2019-W23``, ``2019-06`` or ``2019``."""
    value = text.strip()
    try:
        if m := _DAY.match(value):
            return date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := _WEEK.match(value):
            return date.fromisocalendar(int(m[1]), int(m[2]), 1), "week"
        if m := _MONTH.match(value):
            return date(int(m[1]), int(m[2]), 1), "month"
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), "year"
    except ValueError as exc:
        raise BadInputError(f"'{text}' is not a valid date ({exc}).") from exc
    raise BadInputError(f"'{text}' is not a date: write 2019-06-07, 2019-W23, 2019-06 or 2019.")


def format_partial_date(value: date | None, precision: str | None) -> str:
    """The inverse of ``parse_partial_date``; empty for no date."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if precision == "week":
        year, week, _ = value.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return value.isoformat()


def last_day(value: date, precision: str) -> date:
    """The last day a partial date covers."""
    if precision == "year":
        return date(value.year, 12, 31)
    if precision == "month":
        following = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - timedelta(days=1)
    if precision == "week":
        return value + timedelta(days=6)
    return value
