"""Moderation domain rules: durations, reasons, identifier kinds."""

from datetime import timedelta

import pytest

from bot.domain.moderation import (
    TIMEOUT_MAX,
    ModerationError,
    check_identifier_kinds,
    clean_reason,
    moderator_reason,
)
from bot.domain.parse import ParseError, parse_duration


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
        ("1d12h", timedelta(hours=36)),
        ("1m", timedelta(minutes=1)),
        ("2 hours", timedelta(hours=2)),
        ("4w", timedelta(days=28)),
    ],
)
def test_timeout_durations(text, expected):
    # `/mod timeout duration` is the shared Duration transformer with Discord's 28-day limit.
    assert parse_duration(text, maximum=TIMEOUT_MAX) == expected


@pytest.mark.parametrize(
    "text", ["0", "-1h", "29d", "soon", "", "0m", "10", "1h-", "4w1d", "٣h", None, "59s", "28d1m", "1.5h", "2h soon"]
)
def test_bad_timeout_durations(text):
    with pytest.raises(ParseError):
        parse_duration(text, maximum=TIMEOUT_MAX)


@pytest.mark.parametrize(
    ("text", "words"),
    [("29d", "at most 28 days"), ("30s", "at least 1 minute"), ("-1h", "not a duration"), ("1m30s", "whole minutes")],
)
def test_timeout_refusals_name_the_limit(text, words):
    with pytest.raises(ParseError, match=words):
        parse_duration(text, maximum=TIMEOUT_MAX)


def test_reasons_and_kinds():
    assert clean_reason("  too   short?  ") == "too short?"
    for bad in ("", "  ", "ok", None):
        with pytest.raises(ModerationError):
            clean_reason(bad)
    assert check_identifier_kinds(["PHONE", "NAME", "PHONE"]) == ("PHONE", "NAME")
    with pytest.raises(ValueError):
        check_identifier_kinds(["555-1234"])


@pytest.mark.parametrize("text", ["spam", "  rude  ", "no", "", None, "harassment"])
def test_moderator_reasons_refuse_empty_and_one_word(text):
    with pytest.raises(ModerationError):
        moderator_reason(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shared a phone number", "shared a phone number"),
        ("  off   topic ", "off topic"),
        ("個人情報を共有した", "個人情報を共有した"),  # a script without spaces counts by length
    ],
)
def test_moderator_reasons(text, expected):
    assert moderator_reason(text) == expected
