"""The option parsers behind the transformers: durations, dates, zones, times of day and weekdays."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import HarborError
from bot.domain.parse import (
    MAX_DURATION,
    ParseError,
    describe,
    parse_date,
    parse_duration,
    resolve_zone,
    zone_names,
    zone_suggestions,
)
from bot.domain.recurrence import parse_time, parse_weekday

TODAY = date(2026, 12, 7)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("2h30m", timedelta(hours=2, minutes=30)),
        ("1 day 2 hours", timedelta(days=1, hours=2)),
        ("1 day and 2 hours", timedelta(days=1, hours=2)),
        ("3 mins", timedelta(minutes=3)),
        ("2w", timedelta(weeks=2)),
        (" 45M ", timedelta(minutes=45)),
    ],
)
def test_durations_people_type(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give a duration"),
        ("0m", "longer than zero"),
        ("0h0m", "longer than zero"),
        ("-5m", "negative"),
        ("9999999h", "too long"),
        ("400d", "too long"),
        ("5", "not a duration"),
        ("h", "not a duration"),
        ("1h1d", "not a duration"),  # larger units first, each once
        ("2h2h", "not a duration"),
        ("２h", "not a duration"),  # fullwidth digit: ASCII only
        ("2 fortnights", "not a duration"),
        ("1.5h", "not a duration"),
        ("30s", "too short: at least 1 minute"),  # seconds are read only to say this
        ("1m30s", "whole minutes"),
        ("-1h", "is not a duration: a duration can't be negative"),
    ],
)
def test_durations_refused_with_a_reason(text, message):
    with pytest.raises(ParseError, match=message):
        parse_duration(text)


def test_duration_bounds_are_the_callers():
    with pytest.raises(ParseError, match="too short: at least 10 minutes"):
        parse_duration("5m", minimum=timedelta(minutes=10))
    with pytest.raises(ParseError, match="at most 1 day"):
        parse_duration("25h", maximum=timedelta(days=1))
    assert describe(timedelta(days=1, hours=12, minutes=5)) == "1 day 12 hours 5 minutes"
    assert describe(timedelta(days=28)) == "28 days"  # limits read as people know them, not "4 weeks"


@given(w=st.integers(0, 52), d=st.integers(0, 6), h=st.integers(0, 23), m=st.integers(0, 59), spaced=st.booleans())
def test_any_written_duration_reads_back(w, d, h, m, spaced):
    parts = [f"{n}{unit}" for n, unit in ((w, "w"), (d, "d"), (h, "h"), (m, "m")) if n]
    text = (" " if spaced else "").join(parts)
    expected = timedelta(weeks=w, days=d, hours=h, minutes=m)
    if not parts:
        return
    if expected > MAX_DURATION:
        with pytest.raises(ParseError, match="too long"):
            parse_duration(text)
    else:
        assert parse_duration(text) == expected


@given(st.text(max_size=50))
def test_duration_parser_only_ever_refuses_with_a_message(text):
    try:
        span = parse_duration(text)
    except ParseError as exc:
        assert str(exc)
    else:
        assert timedelta(minutes=1) <= span <= MAX_DURATION


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("2027-03-09", "past", date(2027, 3, 9)),
        ("march 9", "past", date(2026, 3, 9)),
        ("march 9", "future", date(2027, 3, 9)),
        ("9 mar 2027", "past", date(2027, 3, 9)),
        ("3/9/2027", "past", date(2027, 3, 9)),  # US order
        ("tomorrow", "past", date(2026, 12, 8)),
        ("yesterday", "future", date(2026, 12, 6)),
        ("today", "past", TODAY),
    ],
)
def test_dates_people_type(text, prefer, expected):
    assert parse_date(text, TODAY, prefer=prefer) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give a date"),
        ("blah", "not a date"),
        ("2027-02-30", "not a real calendar date"),
        ("13/1/2026", "not a real calendar date"),  # US order, never silently swapped to 13 January
        ("2026-13-01", "not a real calendar date"),
        ("2026-05", "not a date"),
        ("1 2 3", "“1 2 3” is not a date"),
        ("...", "not a date"),
        ("1800-01-01", "out of range"),
        ("x" * 41, "too long"),
    ],
)
def test_dates_refused_with_a_reason(text, message):
    with pytest.raises(ParseError, match=message):
        parse_date(text, TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_any_iso_date_reads_back(day):
    assert parse_date(day.isoformat(), TODAY) == day


@given(st.text(max_size=40))
def test_date_parser_only_ever_refuses_with_a_message(text):
    try:
        day = parse_date(text, TODAY)
    except ParseError as exc:
        assert str(exc)
    else:
        assert 1900 <= day.year <= 2100


def test_zones_forgive_case_and_spaces_and_hint_close_names():
    assert resolve_zone("America/Chicago") == "America/Chicago"
    assert resolve_zone(" america/new york ") == "America/New_York"
    with pytest.raises(ParseError, match="Did you mean `Europe/Berlin`"):
        resolve_zone("Europe/Berlinn")
    with pytest.raises(ParseError, match="not a time zone I know") as refused:
        resolve_zone("**Mars/Olympus_Mons**")
    assert "*" not in str(refused.value).split("I know")[0]  # markdown from the member is not echoed
    assert "EST" not in zone_names() and "UTC" in zone_names()
    assert zone_suggestions("chica")[0] == "America/Chicago"
    assert zone_suggestions("")[0] == "America/New_York"
    assert len(zone_suggestions("a")) == 25


@given(st.sampled_from(zone_names()))
def test_every_offered_zone_resolves_to_itself_in_any_case(name):
    assert resolve_zone(name.upper()) == name


@given(st.text(max_size=64))
def test_zone_resolver_only_ever_refuses_with_a_message(text):
    try:
        assert resolve_zone(text) in zone_names()
    except ParseError as exc:
        assert str(exc)


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_times_of_day_in_24_and_12_hour_forms(hour, minute):
    assert parse_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)
    twelve = hour % 12 or 12
    assert parse_time(f"{twelve}:{minute:02d} {'pm' if hour >= 12 else 'am'}") == time(hour, minute)


@given(st.text(max_size=20))
def test_time_and_weekday_parsers_only_ever_refuse_with_a_message(text):
    for parse in (parse_time, parse_weekday):
        try:
            parse(text)
        except HarborError as exc:
            assert str(exc)


def test_weekdays_by_name_or_prefix():
    assert [parse_weekday(t) for t in ("mon", "Tuesday", "WED", "thurs", "fri", "sat", "sunday")] == list(range(7))
    with pytest.raises(HarborError, match="not a weekday"):
        parse_weekday("fr")
