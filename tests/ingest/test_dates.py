"""Dates found in text and in page metadata."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desk.ingest.dates import find_date, parse_iso


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 June 2019 – Tensions", (_day(2019, 6, 8), "day")),
        ("June 8, 2019: clashes", (_day(2019, 6, 8), "day")),
        ("10 June 2019", (_day(2019, 6, 10), "day")),
        ("Sept. 3rd, 2019", (_day(2019, 9, 3), "day")),
        ("posted 2019-06-08", (_day(2019, 6, 8), "day")),
        ("Monthly digest, June 2019", (_day(2019, 6, 1), "month")),
        ("8 حزيران 2019", (_day(2019, 6, 8), "day")),
        ("٨ يونيو ٢٠١٩", (_day(2019, 6, 8), "day")),
        ("الأربعاء، 28 آب/اغسطس 2013", (_day(2013, 8, 28), "day")),
        ("1 تشرين الأول 2019", (_day(2019, 10, 1), "day")),
        ("۱۲ ژوئن ۲۰۱۹", (_day(2019, 6, 12), "day")),
        ("كانون الثاني 2020", (_day(2020, 1, 1), "month")),
    ],
)
def test_find_date(text: str, expected: tuple[datetime, str]) -> None:
    assert find_date(text) == expected


def test_first_date_near_the_top_wins() -> None:
    assert find_date("Filed 9 June 2019.\nThe attack of 2019-06-07 ...") == (
        _day(2019, 6, 9),
        "day",
    )


@pytest.mark.parametrize(
    "text",
    [
        "no date here",
        "31 February 2019",
        "8 June 1066",
        "the book 2019",
        "كتاب 2019",
        "room 12 2019",
    ],
)
def test_no_plausible_date(text: str) -> None:
    assert find_date(text) is None


def test_date_far_down_is_not_a_publication_date() -> None:
    assert find_date("x" * 5000 + " 8 June 2019") is None


def test_parse_iso_with_offset_is_exact() -> None:
    assert parse_iso("2019-06-08T21:15:00+03:00") == (
        datetime(2019, 6, 8, 18, 15, tzinfo=UTC),
        "datetime",
    )
    assert parse_iso("2019-06-08T21:15:00Z") == (
        datetime(2019, 6, 8, 21, 15, tzinfo=UTC),
        "datetime",
    )


def test_parse_iso_without_offset_is_a_day() -> None:
    assert parse_iso("2019-06-08T21:15:00") == (_day(2019, 6, 8), "day")
    assert parse_iso("2019-06-08") == (_day(2019, 6, 8), "day")


@pytest.mark.parametrize("value", ["", "yesterday", "2019-13-01", "0001-01-01"])
def test_parse_iso_rejects_junk(value: str) -> None:
    assert parse_iso(value) is None
