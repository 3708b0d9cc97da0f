"""Moderation domain rules: durations, reasons, identifier kinds."""

from datetime import timedelta

import pytest

from bot.domain.moderation import ModerationError, check_identifier_kinds, clean_reason, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10m", timedelta(minutes=10)),
        ("2h", timedelta(hours=2)),
        ("7d", timedelta(days=7)),
        ("28d", timedelta(days=28)),
        ("1h 30m", timedelta(minutes=90)),
        ("90 minutes", timedelta(minutes=90)),
        ("1w", timedelta(days=7)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["0", "-1h", "29d", "soon", "", "0m", "10", "1h-", "4w1d", "٣h", None])
def test_bad_durations(text):
    with pytest.raises(ModerationError):
        parse_duration(text)


def test_reasons_and_kinds():
    assert clean_reason("  too   short?  ") == "too short?"
    for bad in ("", "  ", "ok", None):
        with pytest.raises(ModerationError):
            clean_reason(bad)
    assert check_identifier_kinds(["PHONE", "NAME", "PHONE"]) == ("PHONE", "NAME")
    with pytest.raises(ValueError):
        check_identifier_kinds(["555-1234"])
