from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.recurrence import Recurrence, RecurrenceError, parse_time, parse_weekday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9)),
        ("9:00", time(9)),
        ("9am", time(9)),
        ("9 AM", time(9)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("9:30pm", time(21, 30)),
        ("21:15", time(21, 15)),
        ("0:05", time(0, 5)),
        ("7 p.m.", time(19)),
    ],
)
def test_parse_time_accepts_common_forms(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "9:60", "noonish", "", "9:5", "٩:٠٠", "24:00", "0am"])
def test_parse_time_refuses_nonsense_with_an_example(text):
    with pytest.raises(RecurrenceError, match=r"09:00|9am"):
        parse_time(text)


def test_weekday():
    assert parse_weekday("Tue") == 1
    assert parse_weekday("sunday") == 6
    with pytest.raises(RecurrenceError):
        parse_weekday("funday")


def test_daily_keeps_local_time_across_dst():
    rule = Recurrence("daily", "09:00", "America/New_York")
    before = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)  # Sat, EST (UTC-5)
    first = rule.next_after(before)
    second = rule.next_after(first)
    third = rule.next_after(second)
    assert first == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # Sun 8 March: DST began, EDT (UTC-4)
    assert second == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    assert third.hour == 13


def test_time_inside_dst_gap_fires_after_the_gap():
    rule = Recurrence("daily", "02:30", "America/New_York")
    fired = rule.next_after(datetime(2026, 3, 8, 5, 0, tzinfo=UTC))  # 00:00 EST on the change day
    assert fired == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT


def test_weekdays_skip_weekend():
    rule = Recurrence("weekdays", "08:00", "UTC")
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    assert rule.next_after(friday) == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def test_every_two_weeks_from_anchor():
    rule = Recurrence("every_weeks", "10:00", "UTC", weekday=0, interval=2, anchor="2026-03-02")
    a = rule.next_after(datetime(2026, 3, 1, tzinfo=UTC))
    b = rule.next_after(a)
    assert (a.day, b.day) == (2, 16)


def test_monthly_clamps_to_month_end():
    rule = Recurrence("monthly", "09:00", "UTC", day=31)
    assert rule.next_after(datetime(2026, 2, 1, tzinfo=UTC)).day == 28


def test_weekly_needs_weekday():
    with pytest.raises(RecurrenceError):
        Recurrence("weekly", "09:00")


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["daily", "weekdays", "weekly", "monthly"]),
    st.sampled_from(["UTC", "America/Chicago", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"]),
)
def test_next_is_strictly_after_and_round_trips(moment, kind, tz):
    rule = Recurrence(kind, "09:30", tz, weekday=2 if kind == "weekly" else None, day=15 if kind == "monthly" else None)
    assert Recurrence.from_json(rule.to_json()) == rule
    following = rule.next_after(moment)
    assert following > moment
    assert (following - moment).days <= 32
