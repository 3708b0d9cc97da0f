"""Discord AutoMod as the first line in case channels: Harbor's keyword rules, pure (no `discord`).

Each rule blocks messages matching high-precision identifier patterns (phone numbers, emails, SSNs,
IP addresses, record numbers, dates of birth) with a custom message and no alert action: an alert
would copy the blocked words into a channel. The patterns are written for Discord's regex engine (the
Rust `regex` crate: no look-around, no back-references) and spell letters as `[Aa]` classes, so they
match whatever case Discord applies. `rust_problems` is the subset check the unit tests run on each.

Limits (Discord's): 6 keyword rules per server, 10 patterns of at most 260 characters per rule, a
custom block message of at most 150 characters, 50 exempt channels per rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_KEYWORD_RULES = 6
MAX_PATTERNS = 10
MAX_PATTERN_CHARS = 260
MAX_EXEMPT_CHANNELS = 50
MAX_BLOCK_MESSAGE = 150
RULE_PREFIX = "Harbor · "
BLOCK_MESSAGE = (
    "Harbor blocked this: it looks like an identifier (phone, email, SSN or record number). "
    "Describe the person without it."
)

# Letters a record-number prefix is followed by: "MRN: 12-3456", "case no. AB123456", "member ID #88412".
_NUMBER = r"[ :#.-]{0,3}[A-Za-z]{0,3}-?\d[A-Za-z0-9-]{3,}"
_NO = r"(?:[Nn][Oo]\.?|[Nn]umber|[Nn]um|#|[Ii][Dd])"
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One Harbor keyword rule: its name, what it covers (for people) and its regex patterns."""

    name: str
    covers: str
    patterns: tuple[str, ...]


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        f"{RULE_PREFIX}phone numbers",
        "phone numbers",
        (
            r"\b[2-9]\d{2}[-. ][2-9]\d{2}[-. ]\d{4}\b",  # 215-555-0134, 215.555.0134
            r"\([2-9]\d{2}\) ?[2-9]\d{2}[-. ]?\d{4}\b",  # (215) 555-0134
            r"\+1[-. ]?\(?[2-9]\d{2}\)?[-. ]?[2-9]\d{2}[-. ]?\d{4}\b",  # +1 215 555 0134
            r"\b[2-9]\d{2}[2-9]\d{6}\b",  # 2155550134
            r"\+[2-9]\d{0,2}[-. ]\d{2,4}[-. ]\d{3,4}[-. ]\d{3,4}\b",  # +44 20 7946 0958
            r"\b(?:[Pp]hone|[Cc]ell|[Tt]el|[Mm]obile|[Tt]ext (?:her|him|them) at)[ :#.]{0,3}\d{3}[-. ]?\d{4}\b",
        ),
    ),
    RuleSpec(
        f"{RULE_PREFIX}emails, SSNs, IPs",
        "email addresses, social security numbers and IP addresses",
        (
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
            r"\b\d{3}-\d{2}-\d{4}\b",  # 123-45-6789
            r"\b\d{3} \d{2} \d{4}\b",  # 123 45 6789
            r"\b(?:[Ss][Ss][Nn]|[Ss]ocial [Ss]ecurity(?: [Nn]umber| [Nn]o\.?| #)?)[ :#.]{0,3}\d{9}\b",
            r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b",
        ),
    ),
    RuleSpec(
        f"{RULE_PREFIX}record numbers",
        "medical record, case, member, policy and account numbers and dates of birth",
        (
            rf"\b(?:[Mm][Rr][Nn]|[Mm]edical [Rr]ecord(?: {_NO})?){_NUMBER}",
            rf"\b(?:[Cc]ase|[Cc]hart|[Dd]ocket|[Ff]ile|[Cc]laim) ?{_NO}{_NUMBER}",
            rf"\b(?:[Mm]edicaid|[Mm]edicare|[Mm]ember|[Pp]olicy|[Pp]atient|[Cc]lient|[Ii]nmate|[Bb]ooking)"
            rf" ?{_NO}{_NUMBER}",
            rf"\b(?:[Aa]ccount|[Aa]cct\.?|[Pp]lan|[Ss]ubscriber) ?{_NO}{_NUMBER}",
            rf"\b(?:[Dd][Oo][Bb]|[Dd]\.[Oo]\.[Bb]\.|[Dd]ate of [Bb]irth|[Bb]orn on)[ :]{{0,3}}{_DATE}\b",
            r"\b(?:[Dd]river'?s? [Ll]icen[cs]e|[Dd][Ll])(?: ?(?:[Nn][Oo]\.?|#|[Nn]umber))?"
            r"[ :#]{0,3}[A-Za-z]?\d{5,}\b",
        ),
    ),
)


_UNSUPPORTED = (
    (re.compile(r"\(\?<?[=!]"), "look-around"),
    (re.compile(r"\\[1-9]"), "a back-reference"),
    (re.compile(r"\\k<|\(\?P="), "a named back-reference"),
    (re.compile(r"\(\?>"), "an atomic group"),
    (re.compile(r"[*+?}][+]"), "a possessive quantifier"),
    (re.compile(r"\(\?\("), "a conditional"),
    (re.compile(r"\\[ZGXRK]"), "an escape Rust's regex does not know"),
)


def rust_problems(pattern: str) -> list[str]:
    """What keeps `pattern` from working in Discord's (Rust) regex engine; empty when it is fine.

    Checks length, that Python compiles it (the syntax both share), and the constructs Rust's `regex`
    crate refuses: look-around, back-references, atomic groups, possessive quantifiers, conditionals.
    """
    problems: list[str] = []
    if not pattern:
        problems.append("empty")
    if len(pattern) > MAX_PATTERN_CHARS:
        problems.append(f"{len(pattern)} characters (at most {MAX_PATTERN_CHARS})")
    try:
        re.compile(pattern)
    except re.error as exc:
        problems.append(f"does not compile ({exc.msg})")
    unescaped = re.sub(r"\\\\", "", pattern)  # an escaped backslash is not the start of an escape
    problems.extend(f"uses {what}" for check, what in _UNSUPPORTED if check.search(unescaped))
    return problems


def blocked_by(text: str, rules: Sequence[RuleSpec] = RULES) -> list[str]:
    """The names of the rules whose patterns match `text` (Python `re` standing in for Discord's engine)."""
    return [rule.name for rule in rules if any(re.search(p, text) for p in rule.patterns)]


@dataclass(frozen=True, slots=True)
class Channel:
    """What exemption planning needs of a server channel."""

    id: int
    is_category: bool
    category_id: int | None


def exemptions(channels: Sequence[Channel], case_channels: set[int]) -> tuple[list[int], int]:
    """Channels to exempt (every one but the case channels) within Discord's 50, and how many did not fit.

    Individual channels when they fit; otherwise whole categories that hold no case channel stand in for
    their channels (AutoMod exempts a category's channels with it). What still does not fit stays
    covered by the rules — Harbor says so rather than dropping the case channels' protection.
    """
    plain = [c for c in channels if not c.is_category and c.id not in case_channels]
    if len(plain) <= MAX_EXEMPT_CHANNELS:
        return [c.id for c in plain], 0
    case_categories = {c.category_id for c in channels if c.id in case_channels}
    categories = [c.id for c in channels if c.is_category and c.id not in case_categories]
    exempt_categories = set(categories)
    loose = [c.id for c in plain if c.category_id not in exempt_categories]
    wanted = [*categories, *loose]
    return wanted[:MAX_EXEMPT_CHANNELS], max(0, len(wanted) - MAX_EXEMPT_CHANNELS)
