"""The rules for when two claim values can both be true."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.claims.values import (
    Answer,
    Count,
    DateValue,
    Name,
    agree,
    from_json,
    parse_value,
    to_json,
)
from desk.errors import BadInputError


def count(text: str) -> Count:
    value = parse_value("fatalities", text)
    assert isinstance(value, Count)
    return value


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("3", "5", False),
        ("3", "3", True),
        (">=3", "5", True),
        (">=3", "2", False),
        ("<=3", "2", True),
        ("<=3", "4", False),
        ("3-5", "4", True),
        ("3-5", "6", False),
        ("3-5", "5-7", True),
        ("~5", "6", True),
        ("~5", "7", False),
        ("~50", "58", True),
        ("٤", "4", True),
    ],
)
def test_count_agreement(a: str, b: str, expected: bool) -> None:
    assert agree(count(a), count(b)) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2019-06-07", "2019-06-08", False),
        ("2019-06-07", "2019-06", True),
        ("2019-06-07", "2019", True),
        ("2019-06", "2019-07", False),
        ("2019-06-07..2019-06-08", "2019-06-08", True),
        ("2019-W23", "2019-06-08", True),
        ("2019-W23", "2019-06-10", False),
    ],
)
def test_date_agreement(a: str, b: str, expected: bool) -> None:
    assert agree(parse_value("date", a), parse_value("date", b)) is expected


def test_places_agree_through_aliases() -> None:
    aliases = {"feehe": "place-1", "al fayha": "place-1", "حي الفيحاء": "place-1"}
    feehe, fayha = parse_value("place", "Feehe"), parse_value("place", "al-Fayha")
    hizam = parse_value("place", "al-Hizam")
    assert agree(feehe, fayha, lambda n: aliases.get(n, n))
    assert not agree(feehe, fayha)  # without the gazetteer they are two names
    assert not agree(feehe, hizam, lambda n: aliases.get(n, n))


def test_answers_and_weapons() -> None:
    yes, no = (
        parse_value("statement", "yes", "Russian MP intervened?"),
        parse_value("statement", "no", "Russian MP intervened?"),
    )
    assert not agree(yes, no)
    artillery = parse_value("weapons", "122 mm artillery rounds")
    shells = parse_value("weapons", "artillery shells")
    rockets = parse_value("weapons", "multiple rocket launchers")
    assert agree(artillery, shells)
    assert not agree(shells, rockets)
    assert agree(parse_value("weapons", "something unusual"), rockets)
    assert not agree(parse_value("weapons", "heavy weaponry"), parse_value("weapons", "no"))


@pytest.mark.parametrize(
    ("field", "text"),
    [("fatalities", "three"), ("fatalities", "5-3"), ("date", "7 June"), ("statement", "maybe")],
)
def test_values_that_make_no_sense_are_refused(field: str, text: str) -> None:
    with pytest.raises(BadInputError):
        parse_value(field, text, question="Did it happen?")


counts = st.one_of(
    st.integers(0, 500).map(str),
    st.integers(0, 500).map(lambda n: f">={n}"),
    st.integers(0, 500).map(lambda n: f"<={n}"),
    st.integers(0, 500).map(lambda n: f"~{n}"),
    st.tuples(st.integers(0, 250), st.integers(0, 250)).map(lambda t: f"{min(t)}-{max(t)}"),
)
dates = st.tuples(
    st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.sampled_from(["day", "month", "year"])
).map(
    lambda t: (
        t[0].isoformat()
        if t[1] == "day"
        else t[0].strftime("%Y-%m")
        if t[1] == "month"
        else str(t[0].year)
    )
)


@given(counts, counts)
def test_count_agreement_is_symmetric(a: str, b: str) -> None:
    assert agree(count(a), count(b)) == agree(count(b), count(a))


@given(dates, dates)
def test_date_agreement_is_symmetric(a: str, b: str) -> None:
    first, second = parse_value("date", a), parse_value("date", b)
    assert agree(first, second) == agree(second, first)


@given(st.one_of(counts.map(lambda t: ("fatalities", t)), dates.map(lambda t: ("date", t))))
def test_a_value_never_conflicts_with_itself(item: tuple[str, str]) -> None:
    field, text = item
    value = parse_value(field, text)
    assert agree(value, value)
    assert agree(value, from_json(to_json(value)))


@given(st.integers(0, 1000), st.integers(0, 1000))
def test_at_least_n_agrees_with_every_count_from_n(n: int, m: int) -> None:
    assert agree(count(f">={n}"), count(str(m))) is (m >= n)


def test_json_round_trip_keeps_the_type() -> None:
    for value in (
        count("~5"),
        parse_value("date", "2019-06"),
        Answer(True),
        Name("Feehe", "feehe"),
    ):
        assert from_json(to_json(value)) == value
    assert isinstance(parse_value("date", "2019-06"), DateValue)
