"""CE dates: the forms members type (read by the shared date parser), CE's ranges, month arithmetic."""

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.ce_dates import DateError, add_months, check_future_date, check_past_date
from bot.domain.parse import ParseError, parse_date

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "text",
    [
        "2026-05-01",
        "2026/5/1",
        "5/1/2026",
        "05/01/2026",
        "5-1-2026",
        "5/1/26",
        "May 1 2026",
        "May 1, 2026",
        "may 1st, 2026",
        "1 May 2026",
        "1st May 2026",
        "  MAY   1 2026 ",
        "1 may, 2026",
    ],
)
def test_accepted_forms(text):
    assert parse_date(text, TODAY, prefer="past") == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sept 3 2025", date(2025, 9, 3)),
        ("Sep. 3, 2025", date(2025, 9, 3)),
        ("December 31 2027", date(2027, 12, 31)),
        ("today", TODAY),
        ("yesterday", TODAY - timedelta(days=1)),
        ("2/29/2024", date(2024, 2, 29)),
        ("12/31/99", date(1999, 12, 31)),
        ("1/1/30", date(2030, 1, 1)),
        ("5/1", date(2026, 5, 1)),  # no year: the last May 1 for a completed training…
        ("12/1", date(2025, 12, 1)),
        ("march 9", date(2026, 3, 9)),
        ("last tuesday", date(2026, 11, 17)),  # relative words, read from the member's today
        ("٥/١/٢٠٢٦", date(2026, 5, 1)),  # Arabic-Indic digits
    ],
)
def test_more_forms(text, expected):
    assert parse_date(text, TODAY, prefer="past") == expected


def test_expiry_without_a_year_is_the_next_one():
    assert parse_date("5/1", TODAY, prefer="future") == date(2027, 5, 1)
    assert parse_date("12/1", TODAY, prefer="future") == date(2026, 12, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "13/1/2026",
        "2/30/2026",
        "2026-13-01",
        "Mayo 1 2026",
        "1 2 3",
        "2026-05",
        "5/1/2026/7",
        "🦄",
        "x" * 500,
    ],
)
def test_refused_with_an_example(text):
    with pytest.raises(ParseError) as info:
        parse_date(text, TODAY, prefer="past")
    assert "e.g." in str(info.value) or "such as" in str(info.value)


def test_past_date_bounds():
    assert check_past_date(TODAY, TODAY) == TODAY
    with pytest.raises(DateError) as future:
        check_past_date(date(2026, 11, 23), TODAY)
    assert str(future.value) == "2026-11-23 is in the future; log training you have completed, e.g. 2026-11-22"
    with pytest.raises(DateError, match="before 1990"):
        check_past_date(date(1989, 12, 31), TODAY)
    assert check_past_date(date(1990, 1, 1), TODAY) == date(1990, 1, 1)


def test_future_date_bounds():
    assert check_future_date(TODAY, TODAY) == TODAY
    with pytest.raises(DateError) as past:
        check_future_date(date(2026, 11, 21), TODAY)
    assert str(past.value).endswith("is in the past; give the date your credential expires next, e.g. 2028-11-22")
    assert check_future_date(date(2036, 11, 22), TODAY) == date(2036, 11, 22)
    with pytest.raises(DateError, match="more than 10 years away"):
        check_future_date(date(2036, 11, 23), TODAY)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_iso_us_and_words_round_trip(day):
    assert parse_date(day.isoformat(), TODAY) == day
    assert parse_date(f"{day.month}/{day.day}/{day.year % 100:02d}", TODAY) == day.replace(
        year=day.year - 100 if day.year > TODAY.year + 50 else day.year
    )
    assert parse_date(f"{day.month}/{day.day}/{day.year}", TODAY) == day
    assert parse_date(f"{day:%B} {day.day}, {day.year}", TODAY) == day
    assert parse_date(f"{day.day} {day:%b} {day.year}", TODAY) == day


@given(st.text(max_size=40))
def test_never_crashes(text):
    with contextlib.suppress(ParseError):
        parse_date(text, TODAY, prefer="past")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-240, 240))
def test_add_months_stays_in_target_month(day, months):
    shifted = add_months(day, months)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == months
    assert shifted.day == day.day or (shifted.day < day.day and (shifted + timedelta(days=1)).day == 1)


def test_add_months_clamps():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
