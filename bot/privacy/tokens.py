"""Word tokens with the facts the name and place detectors need."""

from __future__ import annotations

import re
from typing import NamedTuple

# Letters, inner apostrophes and hyphens; possessive repeats keep it linear.
WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+(?:-[^\W\d_]++)*+")
_SENTENCE_END = frozenset('.!?\n:;"“”(*•>|[')


class Token(NamedTuple):
    """One word of the scanned text.

    Attributes:
        start: index of the first character.
        end: index one past the last character, possessive "'s" excluded.
        raw: the characters of the word (possessive excluded).
        low: ``raw`` in lower case, typographic apostrophes made plain.
        title: starts with a capital and is not an all-capitals acronym.
        upper: all capitals, two letters or more.
        lower: starts with a lower-case letter.
        starts_sentence: first word of the text, a line or a sentence.
        possessive: was followed by "'s".
        gap: the characters between the previous word and this one.
    """

    start: int
    end: int
    raw: str
    low: str
    title: bool
    upper: bool
    lower: bool
    starts_sentence: bool
    possessive: bool
    gap: str


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` objects (linear time)."""
    tokens: list[Token] = []
    prev_end = 0
    shouting = text == text.upper()  # no lower-case letter anywhere (one pass in C)
    for m in WORD.finditer(text):
        raw = m.group()
        start = m.start()
        end = m.end()
        possessive = False
        if len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS":
            raw = raw[:-2]
            end -= 2
            possessive = True
        gap = text[prev_end:start]
        stripped = gap.strip()
        if tokens:
            starts = bool(stripped) and stripped[-1] in _SENTENCE_END and not _is_abbrev(tokens[-1], stripped)
        else:
            starts = True
        first = raw[0]
        head = raw.split("-", 1)[0]
        upper = len(head) > 1 and (head.isupper() or (len(head) > 2 and head[-1] == "s" and head[:-1].isupper()))
        title = first.isupper() and (not upper or shouting)
        tokens.append(
            Token(
                start, end, raw, raw.lower().replace("’", "'"), title, upper, first.islower(), starts, possessive, gap
            )
        )
        prev_end = m.end()
    return tokens


_ABBREVS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "mx",
        "jr",
        "sr",
        "mt",
        "ft",
        "ave",
        "no",
        "vs",
        "prof",
        "sgt",
        "det",
        "rev",
        "lt",
        "capt",
        "gov",
        "sen",
        "rep",
        "apt",
    }
)


def _is_abbrev(prev: Token, gap: str) -> bool:
    """A full stop after "Dr", "St" or an initial does not end the sentence."""
    return gap == "." and (prev.low in _ABBREVS or len(prev.raw) == 1)
