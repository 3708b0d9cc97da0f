"""Regular-expression detectors: contact details, numbers, dates, ages, addresses.

Every pattern is linear on hostile input: a pattern that starts with a repeated class is anchored
by a negative look-behind on that class (so a run is tried from its first character only), and
repetitions are possessive or bounded, so nothing backtracks through a run twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.privacy.vocab import MONTHS

Span = tuple[str, int, int]

_I = re.IGNORECASE

EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]++@(?:[A-Za-z0-9-]++\.(?=[A-Za-z0-9]))++[A-Za-z]{2,24}(?![\w-])",
)
URL = re.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>\"'`]++", _I)
_TLDS = "com|org|net|gov|edu|io|co|us|me|info|ly|gl|app|link|page|biz|tv|health|care|life|site|online"
# Any other "name.tld/path" (linktr.ee/x, bit.ly/x): a path makes it a link whatever the TLD.
PATH_DOMAIN = re.compile(r"(?<![\w@.-])(?:[a-z0-9][a-z0-9-]{0,62}+\.(?=[a-z0-9]))++[a-z]{2,6}/[^\s<>\"'`]++", _I)
EMAIL_SPOKEN = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,40}+\s?(?:(?:\[at\]|\(at\)|\sat\s)\s?[a-z0-9-]{1,40}+\s?(?:\[dot\]|\(dot\)|\sdot\s)"
    r"|(?:\[at\]|\(at\))\s?[a-z0-9-]{1,40}+\.)\s?(?:com|org|net|edu|gov|us)\b",
    _I,
)
BARE_DOMAIN = re.compile(
    rf"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{{0,62}}+)\.(?=[a-z0-9]))++(?:{_TLDS})(?![\w-])(?:/[^\s<>\"'`]*+)?", _I
)
# Public health and mutual-aid sites peers share as resources; never about one person.
PUBLIC_DOMAINS = frozenset(
    {
        "samhsa.gov",
        "988lifeline.org",
        "findtreatment.gov",
        "aa.org",
        "na.org",
        "smartrecovery.org",
        "nih.gov",
        "nida.nih.gov",
        "cdc.gov",
        "hhs.gov",
        "naadac.org",
        "recoveryanswers.org",
        "al-anon.org",
        "nar-anon.org",
        "celebraterecovery.com",
        "recoverydharma.org",
        "lifering.org",
        "harmreduction.org",
    }
)

IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![\w:])")

PHONE = re.compile(
    r"(?<![\w+-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])"
    r"(?:\s*(?:x|ext\.?)\s*\d{1,5}\b)?",
    _I,
)
PHONE7 = re.compile(r"(?<![\w.-])\d{3}-\d{4}(?![\w-])")
_TOLL_FREE = frozenset({"800", "888", "877", "866", "855", "844", "833"})

SSN = re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])")
SSN_CUE = re.compile(
    r"\b(?:ssn|ss#|social(?:\s+security)?(?:\s+(?:number|no\.?|num|#))?)\s*(?:#|is|:|ending(?:\s+in)?|"
    r"ends?\s+(?:in|with)|"
    r"last\s+(?:4|four)(?:\s+(?:is|are|:))?)?\s*[:#]?\s*(\d{3}[- ]?\d{2}[- ]?\d{4}|\d{4})(?!\d)",
    _I,
)

_ID_CUE_WORDS = (
    r"mrn|mr#|medical\s+record|record|chart|case|account|acct|member|medicaid|medicare|policy|plan|"
    r"group|insurance|inmate|booking|docket|claim|license|licence|permit|patient|client|participant|"
    r"ticket|file|dl|id|ein|pid|sid|doc|bop|warrant|citation|referral|auth|authorization|voucher|"
    r"confirmation|tracking|badge|reference|ref|serial|subscriber|beneficiary|cin|prior\s+auth|"
    r"(?:ma|mco|pa\s+access)(?=\s*(?:#|number|no\b|id\b))"
)
ID_CUE = re.compile(
    rf"\b(?:{_ID_CUE_WORDS})(?:\s+(?:id|number|no\.?|num|#))?\s*(?:#|is|:|=|-)?\s*(?:ending\s+(?:in\s+)?)?"
    r"((?=[A-Za-z0-9-]{0,24}\d)[A-Za-z0-9](?:[A-Za-z0-9-]{3,23}+)(?<!-))(?![\w-])",
    _I,
)
# A licence plate after its cue, with a space inside: "plate GHT 4492", "tags 7XK-219".
PLATE = re.compile(r"\b(?:plates?|tags?)\s*(?:#|number|no\.?|is|:)?\s*([A-Z0-9]{2,4}[\s-][A-Z0-9]{2,4})(?![\w-])")
ALNUM = re.compile(r"(?<![\w@$-])(?=[A-Za-z0-9-]{6})[A-Za-z0-9]++(?:-[A-Za-z0-9]++)*+(?![\w@-])")
_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|s|mg|mcg|ug|ml|cc|g|kg|gr|oz|lb|lbs|mm|cm|km|mi|ft|in|am|pm|a|p|h|hr|hrs|"
    r"min|mins|sec|secs|yo|y|yr|yrs|mo|mos|wk|wks|d|day|days|k|x|m|f|gb|mb|hz|v|steps?|meetings?|weeks?|"
    r"months?|years?|hours?|minutes?|pills?|tabs?|bags?|bundles?|caps?|strips?|subs?|times?|people|bucks|"
    r"dollars|grams?|ish|th|ers?)?|"
    r"(?:x|v|k|b|h|ps|mp|covid|g|iv|k|level|grade|room|unit|step|day)\d+",
    _I,
)

_MON = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|jun(?:e|\.)?|jul(?:y|\.)?|aug(?:ust|\.)?|"
    r"sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
DATE_NUM = re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/]|-\d|\.\d)")
DATE_ISO = re.compile(r"(?<![\w/-])\d{4}([/-])\d{1,2}\1\d{1,2}(?![\w/-])")
DATE_MONTH_DAY = re.compile(
    rf"\b(?:(?:{_MON})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?:\d{{4}}|'\d{{2}}))?"
    rf"|(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MON})(?:,?\s+\d{{4}})?"
    rf"|(?:{_MON}),?\s+(?:of\s+)?\d{{4}}"
    rf"|\d{{1,2}}-(?:{_MON})-(?:\d{{4}}|\d{{2}}))(?![\w/])",
    _I,
)
DATE_ORDINAL = re.compile(
    r"\b(?:on|by|since|until|till|til|before|after|from|through|thru|around|due|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+the\s+((?:[12]?\d|3[01])(?:st|nd|rd|th))\b"
    r"(?!\s+(?:step|floor|grade|time|day|week|month|year|round|try|attempt|shift|session|place|of\s+(?:us|them)))",
    _I,
)
_DATE_CUE_BEFORE = re.compile(
    r"\b(?:on|by|since|dob|d\.o\.b\.?|born|until|till|from|date|due|before|after"
    r"|court|hearing|appt|appointment|discharged?|admitted|released?|mon|tues?|wed|thu"
    r"|thurs|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\W{0,3}$",
    _I,
)
_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
)
_SCORE_NEXT = re.compile(
    r"\s*(?:criteria|symptoms?|items?|questions?|points?|correct|right|on\s+the\s+(?:scale|phq|gad|audit|quiz))\b", _I
)
# What a fraction is a share of: "1/2 a strip", "3/4 of a dose", "1/4 a mile".
_FRACTION_OF = re.compile(
    r"\s+(?:of\s+)?(?:a|an|the|his|her|their|my)\s+(?:strip|film|tab|tablet|pill|dose|cup|bottle|bag|gram|pack|"
    r"bundle|day|week|month|year|hour|mile|point|shot|bump|line|bar)s?\b",
    _I,
)
_RATING_BEFORE = re.compile(
    r"\b(?:(?:rated?|rating|scored?|score)\s+(?:[\w-]+\s+){0,3}|(?:gave|give|giving)\s+(?:it|him|her|them|this|a)\s+)$",
    _I,
)
_DOSE_NEXT = re.compile(r"\s*(?:mg|strips?|films?|tabs?|tablets?|pills?|subs?|doses?|suboxone|zubsolv)\b", _I)

_AGE_NUM = r"(9\d|1[01]\d)"
AGE_UNIT = re.compile(rf"(?<![\w.$-]){_AGE_NUM}\s?-?\s?(?:years?|yrs?|y\.?\s?o\.?|y/o)(?:[\s-]*old)?(?![\w/])", _I)
_NOT_AGE_NEXT = (
    r"(?!\s*(?:%|percent|min|minutes|mg|days?|pounds|lbs|dollars|bucks|cents|hours|people|times|miles|"
    r"steps|weeks|months|meetings|degrees|calls|seconds|out\s+of|/))"
)
AGE_CUE = re.compile(rf"\b(?:age|aged|turned|turning|turns)[\s:]+{_AGE_NUM}(?![\w.:/%,-]\d|\w){_NOT_AGE_NEXT}", _I)
AGE_BE = re.compile(
    rf"\b(?:is|she's|he's|they're|shes|hes|theyre|who's|whos|was|now|she\s+is|he\s+is|be)\s+{_AGE_NUM}(?![.:/%,-]\d|\w)"
    r"(?!\s*(?:%|percent|min|minutes|mg|days?|pounds|lbs|dollars|bucks|cents|hours|people|times|miles|"
    r"steps|weeks|months|meetings|degrees|calls|seconds|out\s+of|/))",
    _I,
)
AGE_PAREN = re.compile(rf"\({_AGE_NUM}(?:\s*[mfMF])?\)")
AGE_DECADE = re.compile(r"\b(?:in\s+(?:his|her|their|my)\s+(?:early\s+|mid\s+|late\s+)?)((?:9\d|1[01]\d)s)\b", _I)
AGE_NINETIES = re.compile(r"\bin\s+(?:his|her|their|my)\s+(?:early\s+|mid\s+|late\s+)?(nineties)\b", _I)
AGE_WORDS = re.compile(
    r"\b(?:ninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|a\s+hundred(?:\s+and\s+\w+)?)"
    r"(?:[\s-]years?[\s-]old|-year-old)",
    _I,
)
# "turned ninety-one", "she's a hundred and two": a spelled-out age after a verb of age.
AGE_WORDS_CUED = re.compile(
    r"\b(?:turned|turning|turns|aged?|is|she's|he's|shes|hes)\s+"
    r"((?:ninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|(?:a|one)\s+hundred(?:\s+and\s+\w+)?))\b"
    r"(?!\s+(?:percent|dollars|bucks|days|people|times|miles|pounds|minutes))",
    _I,
)
# "at 102 she still drives": an age before the person it belongs to.
AGE_AT = re.compile(rf"\bat\s+{_AGE_NUM}(?=,?\s+(?:she|he|they|her|his)\b|\s*[?!]|[.,;]\s|[.]?$)", _I)
AGE_COMMA = re.compile(rf"(?<=[A-Za-z]), {_AGE_NUM}(?=,|\s+(?:and|who|has|is|was|with|y))")

_SUFFIX = (
    r"st|street|ave|avenue|av|rd|road|blvd|boulevard|ln|lane|dr|drive|ct|court|pl|place|ter|terrace|"
    r"pkwy|parkway|hwy|highway|cir|circle|trl|trail|way|pike|sq|square|row|aly|alley|plz|plaza"
)
# Less common USPS suffixes ("Views", "Crossing") count only after a capitalised street name.
# The other USPS street suffixes ("Views", "Crossing"): capitalised, or after a 3+ digit house number.
_SUFFIX_MORE = (
    r"expressway|extensions|throughway|trafficway|crossroad|extension|junctions|mountains|stravenue|underpass|"
    r"causeway|crescent|crossing|junction|motorway|mountain|overpass|parkways|turnpike|villages|centers|circles|"
    r"corners|estates|freeway|gardens|gateway|harbors|heights|islands|landing|meadows|mission|orchard|passage|"
    r"prairie|springs|squares|station|streets|valleys|viaduct|village|branch|bridge|brooks|bypass|canyon|center|"
    r"cliffs|common|corner|course|courts|divide|drives|estate|fields|forest|forges|garden|greens|groves|harbor|"
    r"hollow|island|knolls|lights|manors|meadow|plains|points|radial|rapids|ridges|shoals|shores|skyway|spring|"
    r"stream|summit|tunnel|unions|valley|brook|burgs|cliff|coves|creek|crest|curve|falls|ferry|field|flats|"
    r"fords|forge|forks|glens|green|grove|haven|hills|inlet|knoll|lakes|light|locks|lodge|manor|mills|mount|"
    r"parks|pines|plain|point|ports|ranch|rapid|ridge|river|roads|route|shoal|shore|spurs|trace|track|union|"
    r"views|ville|vista|walks|wells|burg|camp|cape|club|cove|dale|fall|flat|ford|fork|fort|glen|hill|isle|keys|"
    r"lake|land|loaf|lock|loop|mall|mews|mill|neck|oval|park|pass|path|pine|port|ramp|rest|spur|view|walk|wall|"
    r"ways|well|dam|key|rue|run|via"
)
_UNITS = r"(?:,?\s*(?:apt|apartment|unit|suite|ste|rm|room|fl|floor|#)\.?\s*#?[A-Za-z0-9-]{1,6})?"
ADDRESS_NUM = re.compile(
    rf"(?<![\w/.$-])\d{{1,6}}[A-Za-z]?\s+(?=\S{{0,8}}[A-Za-z])(?:(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?\s+)?"
    rf"(?P<words>(?:[A-Za-z0-9][\w'.-]{{0,30}}+\s+){{1,3}}?)(?:(?P<core>{_SUFFIX})|(?P<more>{_SUFFIX_MORE}))\b"
    rf"(?(core)\.?){_UNITS}",
    _I,
)
ADDRESS_ON = re.compile(
    rf"\b(?:off\s+of|lives\s+on|lives\s+off|over\s+on|corner\s+of|on|off|at|near|by|down|up)\s+"
    rf"((?:(?:n|s|e|w|north|south|east|west)\.?\s+)?(?:[A-Za-z0-9][\w'.-]{{0,30}}+\s+){{1,3}}?"
    rf"(?:{_SUFFIX})\b\.?)",
    _I,
)
BLOCK = re.compile(rf"\b\d{{2,5}}\s+block\s+of\s+(?:[nsew]\.?\s+)?[A-Za-z0-9]{{1,20}}+\b(?:\s+(?:{_SUFFIX})\b\.?)?", _I)
# A numbered road: "the motel on Route 22", "lives off rt 8", "Rte. 30", "State Route 981".
ROUTE = re.compile(
    r"\b(?:(?:state|us|pa|county)\s+)?(?:route|rte|rt)\.?\s?-?\d{1,4}[A-Za-z]?(?![\w/:.-]|\.\d)(?!\s+bus)", _I
)
# A street corner: "on 5th and Main", "at Broad & 3rd" (one side an ordinal street, the other a name).
CORNER = re.compile(
    r"\b(?:on|at|of|near|by|off)\s+((?:\d{1,3}(?:st|nd|rd|th)|[A-Z][a-z]{2,})\s+(?:and|&)\s+(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][a-z]{2,}))\b"
)
# A number, a capitalised name and a unit with no street suffix: "2210 Oakwood Apt 2".
ADDRESS_UNIT = re.compile(
    r"(?<![\w/.$-])\d{1,6}\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?i:apt|apartment|unit|suite|ste)\.?\s*#?[A-Za-z0-9-]{1,5}\b"
)
# A home's unit with no street number: "from apartment 4B on Greenwood", "apt 12", "Apt. C3"; not a count
# ("an apartment 2 weeks ago") or "apt to".
APARTMENT = re.compile(
    r"\b(?:apartment|apt)\.?\s*#?(?:\d{1,4}[A-Za-z]?|[A-Za-z]\d{1,4})\b"
    r"(?!\s*(?:weeks?|days?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|times?|blocks?|miles?|people|of|or|to|x)\b)"
    r"(?:\s+(?:on|off)\s+(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))?",
    _I,
)
PO_BOX = re.compile(r"\bp\.?\s?o\.?\s+box\s+\d{1,6}\b", _I)
ZIP = re.compile(r"(?<![\w$.,-])\d{5}(?:-\d{4})?(?![\w%-]|[.,]\d)")
_ZIP_CUE = re.compile(r"\b([A-Za-z]+)\.?[\s:#,]{1,3}$")

HANDLE_AT = re.compile(r"(?<![\w@.<!&])@([A-Za-z_][A-Za-z0-9_.]{1,29}+)(?![\w@])")
HANDLE_CUE = re.compile(
    r"\b(?:ig|insta|instagram|snap|snapchat|tiktok|twitter|fb|facebook|threads|handle|username|"
    r"user\s+name|venmo|cash\s*app|telegram|kik|discord)\b(?:\s+(?:handle|name|is|account|as))?\s*(?:is|:|-|=)?\s*"
    r"([@$]?[A-Za-z0-9_][A-Za-z0-9_.]{1,28}+(?:-[A-Za-z0-9_.]{1,28}+)*+)(?![\w@])",
    _I,
)
REDDIT = re.compile(r"(?<![\w/])u/[A-Za-z0-9_-]{3,20}+(?![\w/-])")
CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z][A-Za-z0-9_]{2,19}+)(?!\w)")


# Discord's own group mentions, not anyone's handle.
_DISCORD_MENTIONS = frozenset({"everyone", "here", "mods", "moderators", "admin", "admins", "staff", "all"})


_SECTION_BEFORE = re.compile(
    r"(?:§|\b(?:section|sec|part|chapter|ch|rule|regulation|reg|standard|criterion|item|appendix|table|figure|"
    r"version|ver|v|cfr|usc|code|policy|step|module|unit|lesson))\.?\s*(?:\d+\s*)?$",
    _I,
)
_IP_CUE = re.compile(r"\b(?:ip|ips|address|addr|server|router|vpn|host|logged|login|wifi|network)\b[^.\n]{0,16}$", _I)


def _ssn_issuable(value: str) -> bool:
    """False for numbers the SSA never issues: area 000, 666 or 900-999, group 00, serial 0000."""
    digits = "".join(c for c in value if c.isdigit())
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _iter(pattern: re.Pattern[str], kind: str, text: str, group: int = 0) -> Iterator[Span]:
    for m in pattern.finditer(text):
        yield kind, m.start(group), m.end(group)


def contacts(text: str) -> Iterator[Span]:
    """EMAIL, URL, IP, PHONE, SSN and HANDLE spans."""
    if "@" in text:
        yield from _iter(EMAIL, "EMAIL", text)
        for m in HANDLE_AT.finditer(text):
            if m.group(1).lower() not in _DISCORD_MENTIONS:
                yield "HANDLE", m.start(), m.end()
    if " at " in text or "[at]" in text or "(at)" in text:
        for m in EMAIL_SPOKEN.finditer(text):
            if "@" not in m.group():
                yield "EMAIL", m.start(), m.end()
    for pattern in (URL, BARE_DOMAIN, PATH_DOMAIN):
        for m in pattern.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)]}'\"":
                end -= 1
            host = text[m.start() : end].lower().split("//")[-1].split("/")[0].removeprefix("www.")
            if host not in PUBLIC_DOMAINS:
                yield "URL", m.start(), end
    if "." in text:
        for m in IPV4.finditer(text):
            parts = [int(p) for p in m.group().split(".")]
            if not all(p <= 255 for p in parts):
                continue
            if _SECTION_BEFORE.search(text, max(0, m.start() - 24), m.start()):
                continue  # "section 42.3.12.1", "§ 2.31.4.1": a numbered rule, not an address
            if (
                all(p < 100 for p in parts)
                and parts[0] != 10
                and not _IP_CUE.search(text, max(0, m.start() - 24), m.start())
            ):
                continue  # "see 4.2.3.1": small outline numbers without an IP cue
            yield "IP", m.start(), m.end()
    if "::" in text or text.count(":") >= 4:
        for m in IPV6.finditer(text):
            if "::" in m.group() or any(c.isalpha() for c in m.group()):
                yield "IP", m.start(), m.end()
    for m in PHONE.finditer(text):
        digits = [c for c in m.group() if c.isdigit()]
        area = "".join(digits[1:4] if len(digits) >= 11 and digits[0] == "1" else digits[:3])
        if area not in _TOLL_FREE and area[0] not in "01":
            yield "PHONE", m.start(), m.end()
    yield from _iter(PHONE7, "PHONE", text)
    for m in SSN.finditer(text):
        if _ssn_issuable(m.group()):
            yield "SSN", m.start(), m.end()
    yield from _iter(SSN_CUE, "SSN", text, 1)
    if "$" in text:
        yield from _iter(CASHTAG, "HANDLE", text)
    if "u/" in text:
        yield from _iter(REDDIT, "HANDLE", text)


def handle_candidates(text: str) -> Iterator[tuple[int, int, bool]]:
    """Values after "ig:", "snap", "venmo"…, with whether they look like a handle on their own.

    A value without digits, ``_``, ``.``, ``@`` or a colon before it may be an ordinary word ("on
    insta all day"); the caller keeps it only when it is not a common word.
    """
    for m in HANDLE_CUE.finditer(text):
        value = m.group(1)
        between = text[m.start() : m.start(1)]
        strong = any(c.isdigit() or c in "_.@$" for c in value) or ":" in between or "@" in between
        yield m.start(1), m.end(1), strong


def identifiers(text: str) -> Iterator[Span]:
    """ID spans: cued record numbers, letter-and-digit codes of 6+ characters, 7+ digit numbers."""
    yield from _iter(ID_CUE, "ID", text, 1)
    for m in PLATE.finditer(text):
        if any(c.isdigit() for c in m.group(1)):
            yield "ID", m.start(1), m.end(1)
    for m in ALNUM.finditer(text):
        token = m.group()
        compact = token.replace("-", "")
        if len(compact) < 6 or not any(c.isdigit() for c in compact):
            continue
        has_alpha = any(c.isalpha() for c in compact)
        if not has_alpha and (len(compact) < 7 or "-" in token):
            continue  # short numbers; hyphenated digits are phones, dates or SSNs, matched elsewhere
        parts = token.split("-")
        if has_alpha and all(_UNIT.fullmatch(part) for part in parts):
            continue
        if len(parts) > 1 and all(p.isalpha() or (p.isdigit() and len(p) <= 3) for p in parts):
            continue  # "Delta-8", "COVID-19", "K-2"
        yield "ID", m.start(), m.end()


def cued_ids(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of record numbers that follow an ID cue word ("MRN", "acct #", "MA #")."""
    for m in ID_CUE.finditer(text):
        yield m.start(1), m.end(1)


def _valid_md(a: int, b: int) -> bool:
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


# A year of birth or death: "born in 1931", "passed away in 2019", "DOB 1948".
DATE_YEAR_CUED = re.compile(
    r"\b(?:born|b\.|dob|d\.o\.b\.?|died|passed\s+away|deceased)\s*:?\s+(?:in\s+)?((?:19|20)\d\d)(?![\w/.-]\d|\w)",
    _I,
)
# "Monday, May 4", "Tue. Jan 9": the weekday before a month and day belongs to the date.
_WEEKDAY_BEFORE = re.compile(
    r"\b(?:[Mm]on|[Tt]ue|[Tt]ues|[Ww]ed|[Tt]hu|[Tt]hur|[Tt]hurs|[Ff]ri|[Ss]at|[Ss]un|"
    r"(?:[Mm]on|[Tt]ues|[Ww]ednes|[Tt]hurs|[Ff]ri|[Ss]atur|[Ss]un)day)\.?,?\s+$"
)


def dates(text: str) -> Iterator[Span]:
    """DATE spans: numeric dates, month-and-day, month-and-year, "on the 14th"."""
    for m in DATE_NUM.finditer(text):
        a, sep, b, year = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        if not _valid_md(a, b):
            continue
        if year is None:
            cued = _DATE_CUE_BEFORE.search(text, max(0, m.start() - 16), m.start()) is not None
            if not (1 <= a <= 12 and 1 <= b <= 31) or (sep != "/" and not (sep == "-" and cued)):
                continue  # "7-22" is a date only after a date cue ("court date: 7-22")
            if not cued and ((b in (2, 3, 4, 8) and a < b) or b == 10):
                continue  # a fraction ("1/2 a strip") or a rating ("7/10")
            if b in (2, 3, 4, 8) and a < b and _FRACTION_OF.match(text, m.end()):
                continue  # a share of something even after a date cue: "went up from 1/2 a strip"
            if not cued and _SCORE_NEXT.match(text, m.end()):
                continue  # a score: "4/9 criteria", "7/10 items"
            if _RATING_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue  # a rating: "rated it 4/5", "scored her 3/5"
            if _DOSE_NEXT.match(text, m.end()):
                continue  # a buprenorphine/naloxone strength: "8/2 strips"
            if not cued and text[m.start() - 1 : m.start()] in ("x", "$"):
                continue
        yield "DATE", m.start(), m.end()
    yield from _iter(DATE_ISO, "DATE", text)
    yield from _iter(DATE_YEAR_CUED, "DATE", text, 1)
    for m in DATE_MONTH_DAY.finditer(text):
        day = m.group(1) or m.group(2)
        if day is not None and not 1 <= int(day) <= 31:
            continue
        if m.group().lower().startswith("may") and text[m.start()] == "m" and day is None:
            continue
        weekday = _WEEKDAY_BEFORE.search(text, max(0, m.start() - 12), m.start())
        yield "DATE", (weekday.start() if weekday else m.start()), m.end()
    for m in DATE_ORDINAL.finditer(text):
        # "Tuesday the 12th": the weekday belongs to the date; "on the 12th": only the day does.
        whole = m.group().split(None, 1)[0].rstrip(".,").lower() in _WEEKDAYS
        yield "DATE", (m.start() if whole else m.start(1)), m.end(1)


def ages(text: str) -> Iterator[Span]:
    """AGE spans: ages over 89 ("92 years old", "age 94", "(91)", "in her 90s")."""
    yield from _iter(AGE_UNIT, "AGE", text)
    yield from _iter(AGE_WORDS, "AGE", text)
    for pattern in (AGE_CUE, AGE_BE, AGE_PAREN, AGE_DECADE, AGE_COMMA, AGE_NINETIES, AGE_WORDS_CUED, AGE_AT):
        yield from _iter(pattern, "AGE", text, 1)


# A number after these counts something ("step 9 amends way harder", "day 12 park visit"): not a house number.
_COUNTERS = frozenset(
    {
        "step",
        "steps",
        "day",
        "days",
        "tradition",
        "traditions",
        "chapter",
        "page",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "hour",
        "hours",
        "session",
        "module",
        "level",
    }
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W*$")


def _counted(text: str, start: int) -> bool:
    before = _WORD_BEFORE.search(text[max(0, start - 20) : start])
    return bool(before and before.group(1).lower() in _COUNTERS)


def addresses(text: str) -> Iterator[Span]:
    """ADDRESS spans (numbered streets, "lives on Maple St", PO boxes) and GEO spans for ZIP codes."""
    pos = 0
    while (m := ADDRESS_NUM.search(text, pos)) is not None:
        pos = m.end()
        if _counted(text, m.start()):
            pos = m.start() + 1  # "step 4 of 12 Main Street": the street may start inside this match
            continue
        words = m.group("words").split()
        if any(w.lower().rstrip(".,") in _NOT_STREET for w in words):
            continue
        more = m.group("more")
        capitalised = more and more[0].isupper() and all(w[0].isupper() or w[0].isdigit() for w in words)
        if more and not capitalised and (len(m.group().split()[0]) < 3 or len(words) > 2):
            continue
        yield "ADDRESS", m.start(), m.end()
    for m in ADDRESS_ON.finditer(text):
        start = m.start(1)
        first = m.group(1).split()[0]
        if any(w.lower() in _NOT_INSIDE_STREET for w in m.group(1).split()[1:-1]):
            continue  # "at McDonald's by the highway": a place beside a road, not a street name
        if first.lower() == "of" and len(m.group(1).split()) > 2:  # "lives off of Frankford Ave"
            start = text.index(m.group(1).split()[1], start + 2)
            first = m.group(1).split()[1]
        if first.lower().rstrip(".") not in _NOT_STREET:
            yield "ADDRESS", start, m.end(1)
    for m in CORNER.finditer(text):
        if any(c.isdigit() for c in m.group(1)):
            yield "ADDRESS", m.start(1), m.end(1)
    yield from _iter(ADDRESS_UNIT, "ADDRESS", text)
    yield from _iter(APARTMENT, "ADDRESS", text)
    yield from _iter(PO_BOX, "ADDRESS", text)
    yield from _iter(ROUTE, "ADDRESS", text)
    yield from _iter(BLOCK, "ADDRESS", text)
    for m in ZIP.finditer(text):
        if "-" in m.group():
            yield "GEO", m.start(), m.end()
            continue
        cue = _ZIP_CUE.search(text, max(0, m.start() - 16), m.start())
        if cue is not None and cue.group(1).lower() in _NOT_ZIP_BEFORE:
            continue
        if _NOT_ZIP_AFTER.match(text, m.end()):
            continue
        yield "GEO", m.start(), m.end()


# A bare five-digit number is taken for a ZIP code unless its neighbours say it counts something.
_NOT_ZIP_BEFORE = frozenset(
    {
        "day",
        "days",
        "step",
        "room",
        "unit",
        "no",
        "number",
        "record",
        "mrn",
        "id",
        "account",
        "case",
        "file",
        "over",
        "about",
        "almost",
        "nearly",
        "paid",
        "owes",
        "owe",
        "spent",
        "pay",
        "earned",
        "made",
        "raised",
        "usd",
        "x",
        "level",
        "page",
        "version",
        "cpt",
        "code",
        "icd",
        "billing",
        "pin",
        "password",
        "ext",
        "extension",
        "route",
        "rt",
    }
)
_NOT_ZIP_AFTER = re.compile(
    r"\s*(?:dollars|bucks|usd|steps|mg|mcg|people|days|miles|calories|views|members|followers|times|hours|"
    r"minutes|lbs|pounds|k\b|%|per\b|a\s+(?:year|month|week)|in\s+(?:debt|fines|back))",
    re.IGNORECASE,
)
_NOT_INSIDE_STREET = frozenset({"by", "the", "to", "from", "with", "near", "a", "an", "off", "on", "at"})
_NOT_STREET = frozenset(
    {
        "she",
        "he",
        "they",
        "we",
        "you",
        "it",
        "from",
        "to",
        "with",
        "the",
        "a",
        "an",
        "my",
        "his",
        "her",
        "their",
        "our",
        "your",
        "its",
        "this",
        "that",
        "same",
        "one",
        "other",
        "whole",
        "long",
        "way",
        "right",
        "left",
        "next",
        "first",
        "last",
        "more",
        "few",
        "big",
        "different",
        "separate",
        "upcoming",
        "missed",
        "new",
        "old",
        "two",
        "three",
        "both",
        "minute",
        "minutes",
        "mile",
        "miles",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "step",
        "steps",
        "people",
        "mg",
        "times",
        "year",
        "years",
        "month",
        "months",
        "dollar",
        "dollars",
        "bucks",
        "percent",
        "foot",
        "feet",
        "meter",
        "some",
        "any",
        "each",
        "every",
        "no",
        "in",
        "and",
        "or",
        "of",
        "him",
        "them",
    }
)

__all__ = ["MONTHS", "Span", "addresses", "ages", "contacts", "cued_ids", "dates", "handle_candidates", "identifiers"]
