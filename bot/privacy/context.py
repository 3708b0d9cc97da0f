"""Context that tells a public mention from an identifier of someone a member serves.

Each rule is about a class of text, not a sentence: an organisation's own contact line (role mailbox,
"call the front desk at"), a staff list or a title in apposition ("Ken Fowler, Recovery Coach"), a
public author named for their work ("Gabor Mate's book", "As Brene Brown says"), a chain business
("lunch at Wendy's"), and a bare day of the month with no person in sight ("closed on the 4th").
All patterns are anchored and bounded, so each check is linear in a short window.
"""

from __future__ import annotations

import re

# Mailboxes of an organisation, not of a person: info@, intake@, frontdesk@ …
_ROLE_MAILBOX = re.compile(
    r"(?:info|contact|contactus|office|admin|intake|hello|help|support|frontdesk|front\.desk|referrals?|"
    r"volunteers?|events?|team|staff|programs?|training|ce|hr|jobs|careers|billing|reception|general)@",
    re.IGNORECASE,
)

# "call the front desk at", "reach the center at", "call us at", "our office: " just before a number.
_ORG_CONTACT_BEFORE = re.compile(
    r"(?:\b(?:call|reach|text|contact|phone|dial)\s+(?:us|the\s+(?:front\s+desk|office|center|centre|clinic|"
    r"main\s+line|hotline|helpline|warm\s*line|crisis\s+line|program|agency|team))|"
    r"\b(?:our|the)\s+(?:office|front\s+desk|main\s+line|hotline|helpline|warm\s*line)(?:\s+(?:is|number))?)"
    r"\s*(?:at|on|:)?\s*$",
    re.IGNORECASE,
)

_ROLE = (
    r"(?i:specialists?|coach(?:es)?|directors?|managers?|chair(?:person)?|coordinators?|supervisors?|"
    r"president|founder|ceo|administrators?|facilitators?|navigators?|liaisons?|trainers?|staff)"
)
_ROLE_WORD = re.compile(_ROLE)
# "Ken Fowler, Recovery Coach" / "Liz, our Certified Recovery Coach": a title in apposition after the name.
_ROLE_AFTER = re.compile(rf",\s+(?:[Oo]ur\s+|[Tt]he\s+)?(?:[A-Z][\w-]*\s+){{0,4}}{_ROLE}\b")
# "Our board chair, Dr. Ellen Marsh", "meet our newest Peer Recovery Specialists, Tanya Brooks and …",
# "Our team: Maria Alvarado, …" (the name list may run on after the first one).
_ROLE_BEFORE = re.compile(
    rf"\b(?:our|meet)\s+(?:[\w-]+\s+){{0,4}}?(?:{_ROLE}|team|board|crew)\s*[,:]\s*(?:(?:dr|mr|ms|mrs)\.?\s+)?"
    r"(?-i:(?:[A-Z][\w'-]*(?:\s*[,&]\s*|\s+and\s+|\s+)){0,8})$",
    re.IGNORECASE,
)

# A name read for its work: "Mate's book", "Brown's work on shame", "William White wrote about".
_WORK_AFTER = re.compile(
    r"(?:'s|’s)\s+(?:\w+\s+)?(?:book|books|work|talk|talks|ted\s+talk|research|model|theory|podcast|article|"
    r"paper|framework|writing|idea|ideas|stages|approach|quote)\b|"
    r"\s+(?:wrote|writes|has\s+written)\s+(?:about|that|on)\b|\s+(?:coined|argues|argued)\b|"
    r"\s+on\s+(?:trauma|shame|addiction|recovery|vulnerability|attachment|grief|boundaries)\b",
)
_WORK_CUES = frozenset({"as", "like", "reading", "rereading"})
_SAYS_AFTER = re.compile(r"\s+(?:says|said|puts\s+it|writes|wrote)\b")

# Chains named in passing where people meet; a person's home would be "at Mike's place".
_BUSINESSES = frozenset(
    {
        "wendy", "denny", "mcdonald", "applebee", "arby", "dunkin", "starbucks", "walmart", "kroger", "walgreens",
        "cvs", "sheetz", "wawa", "target", "costco", "chili", "friendly", "hardee", "culver", "kohl", "lowe",
        "macy", "dillard", "popeyes", "sonic", "subway", "chipotle", "panera", "ihop", "aldi", "meijer", "safeway",
    }
)  # fmt: skip

# A person tied to a bare day of the month ("he was discharged on the 9th").
_PERSON_CUE = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|client|pt|patient|sponsee|son|daughter|mom|dad|"
    r"discharg\w*|admit\w*|intake|releas\w*|court|hearing|birthday|born|died|overdos\w*|relaps\w*|arrest\w*|"
    r"sentenc\w*|appointment|appt|dob|funeral|i|i'm|i've|me|my|back|sober|clean|quit|started|used|using)\b",
    re.IGNORECASE,
)


def is_public(text: str, kind: str, start: int, end: int) -> bool:
    """Whether the candidate ``text[start:end]`` of ``kind`` is a public mention, not an identifier."""
    if kind == "EMAIL":
        return _ROLE_MAILBOX.match(text, start) is not None
    if kind == "PHONE":
        return _ORG_CONTACT_BEFORE.search(text[max(0, start - 40) : start]) is not None
    if kind == "DATE":
        return _bare_ordinal(text, start, end) and not _PERSON_CUE.search(text[max(0, start - 120) : end + 80])
    if kind == "NAME":
        return _public_name(text, start, end)
    return False


def _bare_ordinal(text: str, start: int, end: int) -> bool:
    value = text[start:end].lower()
    return value[:-2].isdigit() and value[-2:] in ("st", "nd", "rd", "th") and text[max(0, start - 4) : start] == "the "


def _public_name(text: str, start: int, end: int) -> bool:
    if _ROLE_WORD.fullmatch(text[start:end].split()[-1]):
        return True  # "Peer Facilitator": a job title, not a surname
    before = text[max(0, start - 120) : start]
    if _ROLE_AFTER.match(text, end) or _WORK_AFTER.match(text, end):
        return True
    low = before.lower()
    if ("our " in low or "meet " in low) and _ROLE_BEFORE.search(before):
        return True
    last = low.rsplit(None, 1)[-1] if low.strip() else ""
    if last in _WORK_CUES and (" " in text[start:end] or _SAYS_AFTER.match(text, end)):
        return True  # "As Brene Brown says", "rereading Gabor Mate": a public figure; "as Mike" stays a name
    word = text[start:end].lower()
    return (word in _BUSINESSES and text[end : end + 2] in ("'s", "’s")) or word in ("starbucks", "walmart", "dunkin")


# Leaving or returning to a place named without a cue word: "went back to Brightwater", "left Cedar Ridge".
_STAY_VERB = re.compile(
    r"\b(?:back\s+(?:at|to|in)|went\s+back\s+to|(?:he|she|they)\s+left|got\s+out\s+of|discharged\s+from|"
    r"admitted\s+(?:to|into)|checked\s+(?:in)?to|released\s+from|transferred\s+to|up\s+from)\s+"
    r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b"
)
_NOT_PLACE = frozenset(
    {
        "step", "god", "work", "school", "church", "group", "meetings", "the", "my", "his", "her", "their",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "day", "square", "zero", "basics", "bed", "jail", "rehab", "detox", "treatment", "using",
    }
)  # fmt: skip


_PROGRAMME_WORDS = frozenset({"anonymous", "recovery", "refuge", "smart", "alateen", "nar", "celebrate"})


def uncued_places(text: str) -> list[tuple[str, int, int]]:
    """FACILITY spans for a capitalised place after a verb of staying, leaving or returning."""
    out: list[tuple[str, int, int]] = []
    for m in _STAY_VERB.finditer(text):
        words = m.group(1).split()
        low = [w.lower() for w in words]
        if low[0] in _NOT_PLACE or _PROGRAMME_WORDS.intersection(low) or _BUSINESSES.intersection(low):
            continue  # a day, a mutual-aid programme ("Narcotics Anonymous", "Celebrate Recovery") or a shop
        if text[m.end(1) : m.end(1) + 1] in ("-", "'", "’"):
            continue  # "Al-Anon", "Denny's": a compound or possessive this rule cannot read
        if low[-1] in ("meeting", "meetings", "group", "groups"):
            continue
        out.append(("FACILITY", m.start(1), m.end(1)))
    return out
