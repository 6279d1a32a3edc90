"""Suggested date claims: English and Arabic month names, Arabic-Indic digits, days
without a year dated from the publication, and the quote's place in the text."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from desk.case import Case
from desk.claims.suggest import Suggestion, suggest_claims
from desk.services.incidents import IncidentFields


def dates(text: str, published: date | None = None) -> list[tuple[str, str]]:
    """(value, quote) of every date suggestion, after checking where each quote stands."""
    found = suggest_claims(text, published)
    assert_quotes_in_place(text, found)
    return [(s.value, s.quote) for s in found if s.field == "date"]


def assert_quotes_in_place(text: str, found: list[Suggestion]) -> None:
    for suggestion in found:
        assert text[suggestion.start : suggestion.end] == suggestion.quote, suggestion
    assert [s.start for s in found] == sorted(s.start for s in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shells fell on 7 June 2019 at dawn.", [("2019-06-07", "7 June 2019")]),
        ("Shells fell on June 7, 2019 at dawn.", [("2019-06-07", "June 7, 2019")]),
        ("on the 7th of June 2019", [("2019-06-07", "7th of June 2019")]),
        ("Report dated 2019-06-07.", [("2019-06-07", "2019-06-07")]),
        ("Clashes recurred in June 2019.", [("2019-06", "June 2019")]),
        ("Clashes on 31 June 2019.", []),  # no such day, and not "June 2019" either
        # Levantine and Egyptian month names, Arabic-Indic and Persian digits
        ("اشتباكات في 7 حزيران 2019 في البوكمال", [("2019-06-07", "7 حزيران 2019")]),
        ("اشتباكات في ٧ حزيران ٢٠١٩ في البوكمال", [("2019-06-07", "٧ حزيران ٢٠١٩")]),
        ("يوم الجمعة ٧ يونيو ٢٠١٩", [("2019-06-07", "٧ يونيو ٢٠١٩")]),
        ("الجمعة ٧ حزيران/يونيو ٢٠١٩", [("2019-06-07", "٧ حزيران/يونيو ٢٠١٩")]),
        ("خلال شهر حزيران ٢٠١٩", [("2019-06", "حزيران ٢٠١٩")]),
        ("في ٢٨ تشرين الأول ٢٠١٩", [("2019-10-28", "٢٨ تشرين الأول ٢٠١٩")]),
        ("۷ ژوئن ۲۰۱۹", [("2019-06-07", "۷ ژوئن ۲۰۱۹")]),
    ],
)
def test_dates_with_their_year(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text) == expected
    # a written year wins over the publication's
    assert dates(text, date(2024, 3, 10)) == expected


def test_a_day_without_a_year_is_dated_from_the_publication() -> None:
    text = "Shelling began on the morning of Wednesday 6 March and lasted two hours."
    assert dates(text) == []  # no year to assume: nothing is guessed
    assert dates(text, date(2024, 3, 8)) == [("2024-03-06", "6 March")]
    assert dates("في صباح ٨ حزيران", date(2019, 6, 9)) == [("2019-06-08", "٨ حزيران")]
    assert dates("Fighting on June 8th.", date(2019, 6, 9)) == [("2019-06-08", "June 8th")]


def test_a_day_without_a_year_is_never_a_year_after_the_publication() -> None:
    # a report of 2 January 2020 about "30 December" means the December before
    assert dates("Clashes on 30 December.", date(2020, 1, 2)) == [("2019-12-30", "30 December")]
    assert dates("اشتباكات في ٣٠ كانون الأول", date(2020, 1, 2)) == [
        ("2019-12-30", "٣٠ كانون الأول")
    ]
    # a day shortly after publication stays in its year (an announced date)
    assert dates("Talks resume on 15 January.", date(2020, 1, 2)) == [("2020-01-15", "15 January")]
    # a day a little after publication can be a time zone away: same year
    assert dates("Clashes on 8 June.", date(2019, 6, 7)) == [("2019-06-08", "8 June")]


def test_several_dates_in_order_each_with_its_place() -> None:
    text = (
        "Published 10 June 2019. Fighting on Friday 7 June left five people killed; "
        "a first clash was reported in May 2019 and a second on 2019-06-08."
    )
    found = suggest_claims(text, date(2019, 6, 10))
    assert_quotes_in_place(text, found)
    assert [(s.field, s.value, s.quote) for s in found] == [
        ("date", "2019-06-10", "10 June 2019"),
        ("date", "2019-06-07", "7 June"),
        ("fatalities", "5", "five people killed"),
        ("date", "2019-05", "May 2019"),
        ("date", "2019-06-08", "2019-06-08"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 30 December two people were killed.", ("fatalities", "2", "two people were killed")),
        ("On 7 June five people were killed.", ("fatalities", "5", "five people were killed")),
        ("On 7 June 2019 five people were killed.", ("fatalities", "5", "five people were killed")),
        # and "3 March 12" is 3 March followed by a number, not also 12 March
        ("On 3 March 12 people were wounded.", ("injured", "12", "12 people were wounded")),
    ],
)
def test_the_day_of_a_date_is_not_read_as_a_count(
    text: str, expected: tuple[str, str, str]
) -> None:
    found = suggest_claims(text, date(2020, 1, 2))
    assert_quotes_in_place(text, found)
    counts = [(s.field, s.value, s.quote) for s in found if s.field != "date"]
    assert counts == [expected]
    # the date is suggested once, and no quote shares a word with another
    assert len([s for s in found if s.field == "date"]) == 1
    assert all(a.end <= b.start for a, b in pairwise(found))


def test_suggestions_from_an_imported_source_carry_their_place(case: Case, samples: Path) -> None:
    incident = case.incidents.create(IncidentFields(title="Clashes in Albukamal"))
    source, _ = case.sources.import_file(
        samples / "eastern-syria-monitor-2019-06-09.html", incident.id
    )
    text = case.sources.text(source.id)
    found = case.claims.suggestions(source.id)
    assert_quotes_in_place(text, found)
    # "the evening of Friday 7 June", dated from the page's publication in June 2019
    day = next(s for s in found if s.field == "date")
    assert (day.value, day.quote) == ("2019-06-07", "7 June")
    assert text[day.start - len("Friday ") : day.start] == "Friday "

    # accepted, the date is recorded with its quote at that place and not suggested again
    claim = case.claims.add(
        incident.id, source.id, "date", day.value, quote=day.quote, quote_start=day.start
    )
    assert (claim.quote_start, claim.quote_end) == (day.start, day.end)
    assert day not in case.claims.suggestions(source.id)
