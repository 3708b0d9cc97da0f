"""The :class:`Scanner`: runs every detector, resolves overlaps and redacts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.privacy import context, patterns
from bot.privacy.model import Finding, ScanResult
from bot.privacy.names import NOT_INITIALS, NameFinder
from bot.privacy.places import PlaceFinder
from bot.privacy.tokens import WORD, tokenize
from bot.privacy.vocab import RELATIONS, TITLES, US_STATES
from bot.privacy.wordlists import WordLists

#: Only this many leading characters are scanned (Discord's longest message or modal field).
MAX_CHARS = 4000

# When two findings overlap, the kind earlier here wins; among equals, the longer one.
_PRIORITY = {
    kind: i
    for i, kind in enumerate(
        ("EMAIL", "URL", "SSN", "PHONE", "IP", "ADDRESS", "DATE", "AGE", "HANDLE", "FACILITY", "ID", "GEO", "NAME")
    )
}


# Discord's own markup (mentions, channels, custom emoji, timestamps) carries ids of Discord objects,
# not of the people members serve.
_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?\d{1,20}|#\d{1,20}|a?:\w{1,32}:\d{1,20}|t:-?\d{1,13}(?::[tTdDfFR])?)>")


# Dotted initials: "transport for J.R. tmrw", "T.J. is out". Letters that are not a person's are skipped.
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,2}[A-Z]\.(?![\w]|\s?[A-Z]\.)")


# Verbs of contact before a word that is both a given name and a town make it the person.
_PERSON_VERB_BEFORE = re.compile(
    r"\b(?:heard|hear|hearing|reach(?:ed|ing)?\s+out|talk(?:ed|ing)?|spoke|speak(?:ing)?|check(?:ed|ing)?\s+(?:in|on)|"
    r"text(?:ed|ing)?|call(?:ed|ing)?|e-?mail(?:ed)?|messag(?:ed|ing)|worried|ask(?:ed)?|sat|met|meet|visit(?:ed)?|"
    r"pray(?:ing)?|news|update|letter|word)\s+(?:back\s+)?(?:from|to|with|about|on|for)\s+$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# "Big Mike", "Lil Rico", "Little Joe": a nickname word is part of the name after it.
_NICKNAME_BEFORE = re.compile(r"\b(?:Big|Lil'?|Little|Lil’|Young|Old)\s$")
# A place's own name before "Behavioral" or "Recovery": "Kettering Behavioral", "Lakeside Recovery".
# A hyphenated head counts as one word: "Tri-County Behavioral", "Mid-Valley Recovery".
_HEAD_WORD = r"(?:[A-Z][a-z]+-[A-Z][a-z]+|[A-Z][a-z]{2,})"
_NAMED_HEAD = re.compile(rf"\b({_HEAD_WORD}(?:\s+{_HEAD_WORD})?)\s+(?:Behavioral|Behavioural|Recovery)\b")
_FACILITY_CUE_BEFORE = re.compile(r"\b(?:to|at|from|into|in)\s$")
_CAPITAL_NEXT = re.compile(r"\s+[A-Z]")
# A lower-case town after a verb of living or moving: "moved to mentor", "staying in orange", "he's in
# independence now". Only towns from the list, and only after these strong verbs.
_AFTER_TOWN = "now|with|for|since|until|til|till|after|to|and|but|near|again|last|this|today|tonight|at"
_LOWER_TOWN = re.compile(
    rf"\b(?:moved\s+(?:back\s+)?to|lives\s+in|living\s+in|staying\s+in|relocated\s+to|grew\s+up\s+in|"
    rf"found\s+(?:him|her|them)\s+in|"
    rf"(?:he|she|they)(?:'s|’s|\s+is|\s+are|'re)\s+(?:still\s+)?in)\s+([a-z]+(?:\s(?!(?:{_AFTER_TOWN})\b)[a-z]+)?)"
    rf"(?=\s+(?:{_AFTER_TOWN})\b|\s*[,.;:!?)]|\s*$)"
)
_NOT_TOWNS = frozenset(
    """
    hope grace faith joy love mercy patience trust charity serenity unity peace power recovery sobriety service
    treatment crisis court jail custody town bed denial fear pain trouble shock tears time order school
    """.split()
)


class Scanner:
    """Finds identifiers of the people members serve (HIPAA Safe Harbor kinds) in chat text.

    Build one per process: the first constructor loads the word lists (about 100 ms; later ones share
    them); :meth:`scan` keeps no state between calls, so one instance may be shared by any number of
    threads or tasks. Only the
    first :data:`MAX_CHARS` characters are scanned; ``ScanResult.truncated`` says when there were more,
    and callers should refuse such text rather than post its unscanned tail.
    """

    def __init__(self, lists: WordLists | None = None) -> None:
        self._lists = lists or WordLists.load()
        self._names = NameFinder(self._lists)
        self._places = PlaceFinder(self._lists)

    def scan(self, text: str, allow: Iterable[str] = (), *, names: Iterable[str] = ()) -> ScanResult:
        """Scan ``text`` and return its findings and a redacted copy.

        Args:
            text: the message or field to check.
            allow: words a server declared harmless (case-insensitive); a finding made only of
                such words is dropped.
            names: extra person names known to be names here (e.g. member display names): found in
                any case, or only when capitalised if they are also ordinary words.

        Returns:
            The ordered, non-overlapping findings and ``text`` with each replaced by ``[KIND]``.
        """
        if isinstance(allow, str):
            allow = (allow,)  # a lone word, not its letters
        if isinstance(names, str):
            names = (names,)
        truncated = len(text) > MAX_CHARS
        scanned = text[:MAX_CHARS] if truncated else text
        allowed = frozenset(w.strip().lower() for w in allow if w and w.strip())
        known = frozenset(w.lower() for n in names for w in WORD.findall(n) if len(w) >= 2) - allowed
        candidates = self._candidates(scanned, allowed, known)
        findings = _resolve(scanned, candidates, allowed)
        return ScanResult(findings, _redact(text, findings), truncated)

    def _candidates(self, text: str, allowed: frozenset[str], known: frozenset[str]) -> list[tuple[str, int, int]]:
        out: list[tuple[str, int, int]] = []
        # Record numbers and dates all carry a digit; most chat lines have none, so skip those patterns.
        has_digit = _DIGIT.search(text) is not None
        ids = list(patterns.identifiers(text)) if has_digit else []
        cued = (
            {(start, end) for kind, start, end in ids if kind == "ID"} & set(patterns.cued_ids(text)) if ids else set()
        )
        # A number after "MA #", "acct" or "MRN" is that record, even when it is shaped like a phone number.
        out.extend(c for c in patterns.contacts(text) if c[0] != "PHONE" or (c[1], c[2]) not in cued)
        out.extend(ids)
        if has_digit:
            out.extend(patterns.dates(text))
        out.extend(patterns.ages(text))
        out.extend(patterns.addresses(text))
        common = self._lists.common
        for start, end, strong in patterns.handle_candidates(text):
            value = text[start:end].lower().lstrip("@$")
            if strong or (value not in common and len(value) >= 3):
                out.append(("HANDLE", start, end))
        tokens = tokenize(text)
        for kind, start, end in self._places.find(text, tokens, allowed):
            if kind == "GEO" and self._person_not_town(text, start, end):
                kind = "NAME"  # "heard from Russell", "reach out to Logan": a person, though also a town
            out.append((kind, start, end))
        out.extend(context.uncued_places(text, self._lists.cities))
        if "." in text:
            for m in _INITIALS.finditer(text):
                if "".join(c for c in m.group() if c.isalpha()).lower() not in NOT_INITIALS:
                    out.append(("NAME", m.start(), m.end()))
        for start, end in self._names.find(tokens, allowed, known, text):
            if self._gerund(text[start:end]):
                continue  # "Journaling prompts …": a capitalised activity, not a person
            if (
                end < len(text)
                and text[end] == "."
                and end - start >= 1
                and text[end - 1].isupper()
                and (end - 2 < start or not text[end - 2].isalpha())
            ):
                end += 1  # the full stop of a final initial: "Maria G."
            nick = _NICKNAME_BEFORE.search(text, max(0, start - 8), start)
            if nick is not None:
                start = nick.start()  # "Big Mike", "Lil Rico": the nickname is one name
            out.append(("NAME", start, end))
        for m in _NAMED_HEAD.finditer(text):
            first = m.group(1).split()[0].lower()
            if first in context.PROGRAMME_WORDS:
                continue  # "SMART Recovery", "Celebrate Recovery": mutual-aid programmes
            if _CAPITAL_NEXT.match(text, m.end()) or first in US_STATES:
                continue  # "Texas Recovery Oriented Systems", "Chicago Recovery Alliance": an organisation
            after_cue = _FACILITY_CUE_BEFORE.search(text, max(0, m.start() - 6), m.start()) is not None
            all_common = all(part in self._lists.common for part in first.split("-"))  # "Self-Care", "Peer-Led"
            if not all_common or after_cue:
                out.append(("FACILITY", m.start(), m.end()))  # "Kettering Behavioral", "to Summit Behavioral"
        for m in _LOWER_TOWN.finditer(text):
            place = m.group(1)
            if place in self._lists.cities and place not in _NOT_TOWNS:
                out.append(("GEO", m.start(1), m.end(1)))  # "she moved to mentor", "he's in independence now"
        return out

    def _person_not_town(self, text: str, start: int, end: int) -> bool:
        word = text[start:end].lower()
        if " " in word or (word not in self._lists.given and word.lower() not in self._lists.given):
            return False
        return _PERSON_VERB_BEFORE.search(text, max(0, start - 40), start) is not None

    def _gerund(self, word: str) -> bool:
        low = word.lower()
        if len(low) < 7 or not low.endswith("ing") or not word.isalpha():
            return False
        stem = low[:-3]
        common = self._lists.common
        return stem in common or stem + "e" in common or (stem[-1:] == stem[-2:-1] and stem[:-1] in common)


def _resolve(text: str, candidates: list[tuple[str, int, int]], allowed: frozenset[str]) -> list[Finding]:
    """Keep the best non-overlapping candidates, in text order."""
    taken = bytearray(len(text) + 1)
    if "<" in text:
        for m in _DISCORD_MARKUP.finditer(text):
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(set(candidates), key=lambda c: (_PRIORITY[c[0]], c[1] - c[2], c[1])):
        if end <= start or taken.find(1, start, end) != -1:
            continue
        if _is_allowed(text[start:end], allowed) or (kind == "NAME" and _is_dr_bob(text, start, end)):
            continue
        if context.is_public(text, kind, start, end):
            taken[start:end] = b"\x01" * (end - start)  # a public mention: no weaker reading of it either
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((kind, start, end))
    kept.sort(key=lambda c: c[1])
    return [Finding(kind, start, end, text[start:end], _reason(text, kind, start, end)) for kind, start, end in kept]


_REASONS = {
    "PHONE": "looks like a phone number",
    "EMAIL": "looks like an email address",
    "URL": "a link that may lead to someone",
    "IP": "looks like an IP address",
    "SSN": "looks like a Social Security number",
    "DATE": "a date that may be tied to someone",
    "AGE": "an age over 89",
    "ID": "looks like a record, case or account number",
    "ADDRESS": "looks like a street address",
    "GEO": "names a town, county or ZIP code",
    "FACILITY": "names a treatment centre, hospital, jail or shelter",
    "HANDLE": "looks like a social media handle",
}


def _reason(text: str, kind: str, start: int, end: int) -> str:
    """A short, actionable reason for one finding."""
    if kind != "NAME":
        return _REASONS.get(kind, "may identify someone")
    words = WORD.findall(text[max(0, start - 40) : start])[-2:]
    name = text[start:end]
    if words and (words[-1].lower() in RELATIONS or words[-1].lower() in TITLES):
        return f"a name: '{name}' after '{' '.join(words)}'"
    return f"looks like a person's name: '{name}'"


# Recovery history every member quotes: AA's founders are not anyone's client.
_ALWAYS_ALLOWED = frozenset({"bill w.", "bill w", "bill wilson", "dr. bob", "bob s."})


def _is_dr_bob(text: str, start: int, end: int) -> bool:
    return text[start:end].lower() == "bob" and _DR_BEFORE.search(text, max(0, start - 5), start) is not None


_DR_BEFORE = re.compile(r"\b[Dd]r\.?\s$")


def _is_allowed(fragment: str, allowed: frozenset[str]) -> bool:
    low = fragment.lower()
    if low in _ALWAYS_ALLOWED:
        return True
    if low in allowed:
        return True
    words = WORD.findall(low)
    return bool(words) and all(w in allowed for w in words) and not any(c.isdigit() for c in low)


def _redact(text: str, findings: list[Finding]) -> str:
    parts: list[str] = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(f"[{f.kind}]")
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
