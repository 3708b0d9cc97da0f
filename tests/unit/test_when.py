"""Natural-language date-times in the member's zone, DST edges included."""

from datetime import UTC, datetime

import pytest

from bot.domain.errors import HarborError
from bot.domain.when import WhenError, parse_in_zone, parse_local, to_utc

NOW_LOCAL = datetime(2027, 3, 5, 10, 0)  # a Friday
NY = "America/New_York"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next tue 6pm", datetime(2027, 3, 9, 18, 0)),
        ("tomorrow 18:30", datetime(2027, 3, 6, 18, 30)),
        ("2027-03-09 6pm", datetime(2027, 3, 9, 18, 0)),
        ("in 2 hours", datetime(2027, 3, 5, 12, 0)),
        ("friday 7pm", datetime(2027, 3, 5, 19, 0)),
        ("friday 9am", datetime(2027, 3, 12, 9, 0)),
        ("next friday 6pm", datetime(2027, 3, 12, 18, 0)),
        ("  tomorrow   at  6pm ", datetime(2027, 3, 6, 18, 0)),
    ],
)
def test_phrases(text, expected):
    assert parse_local(text, NOW_LOCAL) == expected


@pytest.mark.parametrize("text", ["", "   ", "soon", "asdf qwerty", "x" * 500])
def test_unreadable_is_a_harbor_error_with_an_example(text):
    with pytest.raises(WhenError, match="next tue 6pm") as info:
        parse_local(text, NOW_LOCAL)
    assert isinstance(info.value, HarborError)


def test_spring_forward_gap_is_refused():
    with pytest.raises(WhenError, match="skip"):
        to_utc(datetime(2027, 3, 14, 2, 30), NY)


def test_either_side_of_spring_forward():
    assert to_utc(datetime(2027, 3, 14, 1, 30), NY) == datetime(2027, 3, 14, 6, 30, tzinfo=UTC)
    assert to_utc(datetime(2027, 3, 14, 3, 30), NY) == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)


def test_fall_back_overlap_takes_the_first():
    assert to_utc(datetime(2027, 11, 7, 1, 30), NY) == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


def test_parse_in_zone_uses_the_members_zone():
    now = datetime(2027, 3, 5, 15, 0, tzinfo=UTC)  # 10:00 in New York, 16:00 in Berlin
    assert parse_in_zone("tomorrow 18:30", now, NY) == datetime(2027, 3, 6, 23, 30, tzinfo=UTC)
    assert parse_in_zone("tomorrow 18:30", now, "Europe/Berlin") == datetime(2027, 3, 6, 17, 30, tzinfo=UTC)
    assert parse_in_zone("in 2 hours", now, "Asia/Tokyo") == datetime(2027, 3, 5, 17, 0, tzinfo=UTC)
