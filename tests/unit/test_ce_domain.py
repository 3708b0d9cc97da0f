"""CE rules: hours in quarter steps, category minimums, cycles, pro-rata pace and the reminder plan."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import ce

PA_CRS = ce.Requirement(120, {"ethics": 24, "confidentiality": 12}, 24, 90)


@pytest.mark.parametrize(("hours", "quarters"), [(0.25, 1), (1, 4), (1.5, 6), (2.75, 11), (40, 160), (39.75, 159)])
def test_quarters(hours, quarters):
    assert ce.to_quarters(hours) == quarters


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0, "more than 0"),
        (-1, "more than 0"),
        (40.25, "more than 40"),
        (100, "more than 40"),
        (1.1, "quarter-hour"),
        (0.3, "quarter-hour"),
        (float("nan"), "number"),
        (float("inf"), "number"),
    ],
)
def test_bad_hours(hours, words):
    with pytest.raises(ce.CeError, match=words) as info:
        ce.to_quarters(hours)
    assert "e.g." in str(info.value)


@given(st.integers(1, 160))
def test_quarter_round_trip(quarters):
    assert ce.to_quarters(float(ce.hours_text(quarters))) == quarters


def test_parse_categories():
    assert ce.parse_categories("ethics=6, confidentiality=3") == {"ethics": 24, "confidentiality": 12}
    assert ce.parse_categories("Peer Specific = 24; Ethics: 3") == {"peer-specific": 96, "ethics": 12}
    assert ce.parse_categories("") == {}
    assert ce.parse_categories(" , ") == {}
    assert ce.categories_text({"ethics": 24, "hiv": 2}) == "ethics=6, hiv=0.5"


@pytest.mark.parametrize(
    "text",
    [
        "ethics",
        "ethics=",
        "ethics=six",
        "ethics=6, ethics=3",
        "=6",
        "general=3",
        "ethics=0",
        "ethics=-2",
        "éthique=3",
        "a" * 50 + "=2",
        "ethics=1.1",
    ],
)
def test_bad_categories(text):
    with pytest.raises(ce.CeError) as info:
        ce.parse_categories(text)
    assert "e.g." in str(info.value)


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9-]{0,20}[a-z]", fullmatch=True).filter(lambda s: "--" not in s and s != "general"),
        st.integers(1, 400),
        max_size=5,
    )
)
def test_categories_round_trip(cats):
    assert ce.parse_categories(ce.categories_text(cats)) == cats


def test_requirement_validation():
    with pytest.raises(ce.CeError, match="more than"):
        ce.Requirement(8, {"ethics": 24}).validate()
    with pytest.raises(ce.CeError, match="1–120"):
        ce.Requirement(8, {}, 0).validate()
    with pytest.raises(ce.CeError, match="0–730"):
        ce.Requirement(8, {}, 12, 800).validate()
    assert PA_CRS.validate() is PA_CRS


def test_cycle_bounds():
    assert ce.cycle_start(date(2027, 12, 31), 12) == date(2027, 1, 1)
    assert ce.cycle_start(date(2027, 6, 30), 24) == date(2025, 7, 1)
    assert ce.in_cycle(date(2025, 7, 1), date(2027, 6, 30), 24)
    assert ce.in_cycle(date(2027, 6, 30), date(2027, 6, 30), 24)
    assert not ce.in_cycle(date(2025, 6, 30), date(2027, 6, 30), 24)
    assert not ce.in_cycle(date(2027, 7, 1), date(2027, 6, 30), 24)


def test_progress_counts_only_the_cycle_and_categories():
    entries = [
        ce.Entry(date(2025, 6, 30), 40, "ethics"),  # before the cycle
        ce.Entry(date(2025, 7, 1), 8, "ethics"),
        ce.Entry(date(2026, 1, 1), 12, "confidentiality"),
        ce.Entry(date(2026, 2, 1), 40, "general"),
    ]
    p = ce.progress(date(2027, 6, 30), PA_CRS, entries, date(2026, 7, 1))
    assert p.earned == 60 and p.by_category == {"ethics": 8, "confidentiality": 12, "general": 40}
    assert p.missing() == {"ethics": 16, "total": 60}
    assert not p.met
    assert ce.describe_missing(p.missing()) == ["4 h ethics", "15 h in total (any category counts)"]


def test_total_missing_is_at_least_the_category_gaps():
    p = ce.progress(date(2027, 6, 30), PA_CRS, [ce.Entry(date(2026, 1, 1), 119, "general")], date(2026, 7, 1))
    assert p.missing() == {"ethics": 24, "confidentiality": 12, "total": 36}


def test_met_and_on_track():
    entries = [
        ce.Entry(date(2026, 1, 1), 24, "ethics"),
        ce.Entry(date(2026, 1, 2), 12, "confidentiality"),
        ce.Entry(date(2026, 1, 3), 84, "general"),
    ]
    p = ce.progress(date(2027, 6, 30), PA_CRS, entries, date(2026, 1, 5))
    assert p.met and p.on_track and p.missing() == {} and p.behind() == {}


def test_pro_rata_pace():
    expires = date(2027, 6, 30)
    start = date(2025, 7, 1)
    assert ce.elapsed_fraction(start, expires, date(2025, 6, 1)) == 0
    assert ce.elapsed_fraction(start, expires, date(2028, 1, 1)) == 1
    halfway = date(2026, 6, 30)
    p = ce.progress(expires, PA_CRS, [ce.Entry(date(2026, 1, 1), 60, "general")], halfway)
    assert 59 <= p.expected <= 61
    behind = p.behind()
    assert set(behind) == {"ethics", "confidentiality"} | ({"total"} if p.expected > 60 else set())
    assert not p.on_track
    fresh = ce.progress(expires, PA_CRS, [], date(2025, 7, 2))
    assert fresh.on_track and fresh.expected == 0


def test_window_and_expiry():
    p = ce.progress(date(2027, 6, 30), PA_CRS, [], date(2027, 4, 1))
    assert p.window_open and p.window_opens == date(2027, 4, 1) and p.days_left == 90
    assert not ce.progress(date(2027, 6, 30), PA_CRS, [], date(2027, 3, 31)).window_open
    gone = ce.progress(date(2027, 6, 30), PA_CRS, [], date(2027, 7, 1))
    assert gone.expired and not gone.window_open and gone.days_left == -1


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 1, 1)),
            st.integers(1, 160),
            st.sampled_from(["ethics", "confidentiality", "general"]),
        ),
        max_size=40,
    )
)
def test_progress_sums_match_a_naive_count(rows):
    entries = [ce.Entry(*row) for row in rows]
    p = ce.progress(date(2027, 6, 30), PA_CRS, entries, date(2026, 6, 1))
    inside = [e for e in entries if date(2025, 7, 1) <= e.day <= date(2027, 6, 30)]
    assert p.earned == sum(e.quarters for e in inside)
    assert sum(p.by_category.values()) == p.earned
    assert p.met == (
        p.earned >= 120 and p.by_category.get("ethics", 0) >= 24 and p.by_category.get("confidentiality", 0) >= 12
    )


def test_reminder_plan_local_nine_and_future_only():
    now = datetime(2027, 4, 1, 15, 0, tzinfo=UTC)
    plan = ce.reminder_plan(date(2027, 6, 30), [90, 60, 30, 7, 30], "America/Chicago", now)
    assert list(plan) == [60, 30, 7]  # 90 days before (Apr 1, 09:00 CDT) has passed
    assert plan[60].date() == date(2027, 5, 1) and plan[60].hour == 9
    assert plan[60].astimezone(UTC).hour == 14
    assert ce.reminder_due(date(2027, 12, 31), 7, "Asia/Tokyo").astimezone(UTC) == datetime(
        2027, 12, 24, 0, 0, tzinfo=UTC
    )


def test_local_today():
    assert ce.local_today(datetime(2026, 5, 2, 3, 0, tzinfo=UTC), "America/Los_Angeles") == date(2026, 5, 1)
