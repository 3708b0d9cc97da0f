"""Harbor's AutoMod patterns: within Discord's limits, Rust-compatible, and high precision on samples.

Python's `re` stands in for Discord's Rust engine: `rust_problems` refuses the constructs Rust lacks, so
what passes here compiles there with the same meaning for these patterns.
"""

import re

import pytest

from bot.domain.automod import (
    BLOCK_MESSAGE,
    MAX_BLOCK_MESSAGE,
    MAX_EXEMPT_CHANNELS,
    MAX_KEYWORD_RULES,
    MAX_PATTERN_CHARS,
    MAX_PATTERNS,
    RULE_PREFIX,
    RULES,
    Channel,
    blocked_by,
    exemptions,
    rust_problems,
)

ALL_PATTERNS = [p for rule in RULES for p in rule.patterns]


def test_rules_fit_discords_limits():
    assert 0 < len(RULES) <= MAX_KEYWORD_RULES
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.name.startswith(RULE_PREFIX) and len(r.name) <= 100 for r in RULES)
    assert all(0 < len(r.patterns) <= MAX_PATTERNS for r in RULES)
    assert len(BLOCK_MESSAGE) <= MAX_BLOCK_MESSAGE


@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_every_pattern_is_rust_compatible(pattern):
    assert len(pattern) <= MAX_PATTERN_CHARS
    assert rust_problems(pattern) == []


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (r"\d{3}(?=-)", "look-around"),
        (r"(?<!\d)\d{9}", "look-around"),
        (r"(\d)\1", "back-reference"),
        (r"(?P<a>x)(?P=a)", "named back-reference"),
        (r"(?>ab)c", "atomic group"),
        (r"\d++", "possessive"),
        (r"abc\Z", "escape"),
        (r"[unclosed", "does not compile"),
        ("x" * 261, "characters"),
    ],
)
def test_the_subset_check_refuses_what_rust_cannot_run(pattern, problem):
    assert any(problem in p for p in rust_problems(pattern)), rust_problems(pattern)


def test_an_escaped_backslash_before_a_digit_is_not_a_back_reference():
    assert rust_problems(r"C:\\1") == []


@pytest.mark.parametrize(
    "text",
    [
        "call her at 215-555-0134 tonight",
        "her cell is (412) 555 0199",
        "reach him on +1 267 555 0100",
        "number 2155550134",
        "his UK mobile +44 20 7946 0958",
        "phone: 555-0134",
        "email dana.ruiz@example.com please",
        "SSN 123-45-6789",
        "ssn: 123456789",
        "social security number 123 45 6789",
        "logged in from 192.168.10.24",
        "MRN: 00482913",
        "mrn 12-88412",
        "medical record number A1234567",
        "case no. AB-20231187",
        "Case # 2023CV0042",
        "Medicaid ID 123456789A",
        "member id: XJ88412907",
        "policy number 77120044",
        "DOB 03/14/1988",
        "date of birth: 3-14-88",
        "acct# 00918273",
        "driver's license no. D1234567",
    ],
)
def test_identifiers_are_blocked(text):
    assert blocked_by(text), text


@pytest.mark.parametrize(
    "text",
    [
        "She is on day 90 and doing the 4th step.",
        "Suboxone 8mg twice a day, group at 3pm",
        "We meet at 6:30 on Tuesdays; 12 people came.",
        "He relapsed in 2023 after 18 months clean.",
        "Step 3 and step 11 feel hard for her right now.",
        "The case is hard; she is 34 and has two kids.",
        "I have a case to discuss about boundaries.",
        "Member of AA for 10 years, NA for 2.",
        "Our policy is to call back within 24 hours.",
        "Version 1.2.3 of the worksheet, page 45.",
        "Score went from 12 to 18 on the PHQ-9.",
        "Open 9-5, Monday to Friday.",
        "Account for the 30/60/90 day plan.",
        "He got 100% on the test and 3/4 of the homework.",
        "The plan is 2 meetings a week for 90 days.",
        "Ratio 1:4, dose 0.5 mg, 1,250 dollars in fines.",
    ],
)
def test_ordinary_recovery_talk_is_not_blocked(text):
    assert blocked_by(text) == [], text


def test_patterns_are_case_insensitive_by_spelling_both_cases():
    assert blocked_by("mrn 00482913") and blocked_by("MRN 00482913") and blocked_by("Mrn 00482913")
    assert not any(re.search(r"\(\?i\)", p) for p in ALL_PATTERNS)  # no inline flags Discord might reject


def test_exemptions_cover_every_channel_but_the_cases_channel():
    channels = [Channel(i, False, None) for i in range(1, 11)]
    exempt, missing = exemptions(channels, {5})
    assert exempt == [1, 2, 3, 4, 6, 7, 8, 9, 10] and missing == 0


def test_too_many_channels_collapse_into_categories():
    categories = [Channel(1000 + c, True, None) for c in range(6)]
    channels = [Channel(c * 100 + i, False, 1000 + c) for c in range(6) for i in range(1, 16)]
    cases = channels[3]  # in category 1000
    exempt, missing = exemptions([*categories, *channels], {cases.id})
    assert cases.id not in exempt and 1000 not in exempt
    assert {1001, 1002, 1003, 1004, 1005} <= set(exempt)
    assert set(exempt) - {1001, 1002, 1003, 1004, 1005} == {c.id for c in channels[:15]} - {cases.id}
    assert len(exempt) <= MAX_EXEMPT_CHANNELS and missing == 0


def test_what_does_not_fit_is_counted():
    channels = [Channel(i, False, None) for i in range(1, 62)]  # 61 loose channels, no categories
    exempt, missing = exemptions(channels, {1})
    assert len(exempt) == MAX_EXEMPT_CHANNELS and missing == 10
