"""Context that tells a public mention from an identifier of someone a member serves.

Each rule is about a class of text, not a sentence: an organisation's own contact line (role mailbox,
"call the front desk at"), a staff list or a title in apposition ("Ken Fowler, Recovery Coach"), a
public author named for their work ("Gabor Mate's book", "As Brene Brown says"), a chain business
("lunch at Wendy's"), and a bare day of the month with no person in sight ("closed on the 4th").
All patterns are anchored and bounded, so each check is linear in a short window.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from bot.privacy.vocab import PUBLIC_FIGURES

# Mailboxes of an organisation, not of a person: info@, intake@, frontdesk@ …
_ROLE_MAILBOX = re.compile(
    r"(?:info|contact|contactus|office|admin|intake|hello|help|support|frontdesk|front\.desk|referrals?|"
    r"volunteers?|events?|team|staff|programs?|training|trainings|ce|ceu|hr|jobs|careers|billing|reception|general|"
    r"certification|credentialing|membership|members|questions|ask|inquiries|enquiries|donate|donations|giving|"
    r"newsletter|media|press|communications|comms|outreach|scheduling|appointments|registration|register|"
    r"webmaster|noreply|no-reply|mail|hotline|helpline|warmline|peers|recovery|clinic|services|resources)@",
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

# A relation word just before a name: the person is someone a member serves or knows.
_RELATION_BEFORE = re.compile(
    r"\b(?:client|pt|patient|sponsee|mentee|participant|resident|son|daughter|mom|dad|brother|sister|cousin|"
    r"wife|husband|boyfriend|girlfriend|friend|buddy|roommate|neighbou?r)\s+$",
    re.IGNORECASE,
)
# Holidays named after a person or ending in a word that is also a name.
_HOLIDAY_NAMES = frozenset({"valentine", "patrick", "st. patrick", "columbus", "martin luther king", "king"})
_HOLIDAY_AFTER = re.compile(r"(?:'s|’s)?\s+Day\b")
_HOLIDAY_WORD = re.compile(r"Day|Eve")
_HOLIDAY_BEFORE = re.compile(r"(?:\b(?:Christmas|Year's|Year’s|Years)|'s|’s)\s+$")
_REGIONS = frozenset(
    {
        "new england", "midwest", "the midwest", "pacific northwest", "appalachia", "mid atlantic", "mid-atlantic",
        "great lakes", "deep south", "west coast", "east coast", "rust belt", "southwest", "northeast", "southeast",
    }
)  # fmt: skip
# Chapter and verse after a name: "Matthew 11:28", "John 3:16".
_VERSE_AFTER = re.compile(r"\s+\d{1,3}:\d{1,3}\b")
# A line that gives the organisation's own contact details.
_ORG_LINE = re.compile(
    r"\s*(?:contact\s+us|visit\s+us|find\s+us|call\s+us|reach\s+us|our\s+(?:address|office|location))\b", re.I
)

_ROLE = (
    r"(?i:specialists?|coach(?:es)?|directors?|managers?|chair(?:person)?|coordinators?|supervisors?|"
    r"president|founder|ceo|administrators?|facilitators?|navigators?|liaisons?|trainers?|staff|treasurer|"
    r"secretary|mentors?|leads?|advocates?|workers?|presenters?|speakers?|organi[sz]ers?|editors?|hosts?)"
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
_WORK_CUES = frozenset({"as", "like", "reading", "rereading", "read", "reread"})
# Before a name: "a quote from Maya Angelou", "credited to Granfield and Cloud", "a book by Anne Fletcher".
_WORK_BEFORE = re.compile(
    r"(?:\b(?:quotes?|quoted|quoting)\b(?:\s+[\w-]+){0,4}?\s+(?:from|by)|\bcredited\s+to|\battributed\s+to|"
    r"\b(?:books?|talks?|work|writings?|papers?|articles?|podcasts?|essays?|memoirs?|lectures?|research)\s+(?:by|from|of))"
    r"\s+$",
    re.IGNORECASE,
)
# A list under a heading of staff or presenters: "Staff: Program Director Lena Ortiz; …", "Board members: …".
_LIST_HEADING = re.compile(
    r"\s*(?:(?:our|your|meet\s+(?:our|the|your))\s+)?(?:staff|team|board(?:\s+members)?|facilitators?|presenters?|"
    r"speakers?|trainers?|faculty|leadership|panel(?:ists)?|contacts?|contact\s+us|hosts?|instructors?|"
    r"officers|committee|directors)\s*:",
    re.IGNORECASE,
)
# A professional credential after a name: "Ana Reyes (CPRS)", "Tom Becker, LCDC".
_CREDENTIAL_AFTER = re.compile(
    r"(?:\s*\(|,\s*)(?-i:CPRS|CRSS|CRS|CRPS|PRS|CPRC|CARC|CRC|CPRP|LCDC|LADC|CADC|CAADC|CAC|CASAC|LCSW|LMSW|LISW|"
    r"LPC|LPCC|LMFT|LMHC|MSW|PhD|PsyD|MD|RN|LPN|NCC|CCS|CCDP|ICPS|CPSS|PSS|NCPRSS)\b"
)
_SAYS_AFTER = re.compile(r"\s+(?:says|said|puts\s+it|writes|wrote)\b")

# Chains named in passing where people meet; a person's home would be "at Mike's place".
_BUSINESSES = frozenset(
    {
        "wendy", "denny", "mcdonald", "applebee", "arby", "dunkin", "starbucks", "walmart", "kroger", "walgreens",
        "cvs", "sheetz", "wawa", "target", "costco", "chili", "friendly", "hardee", "culver", "kohl", "lowe",
        "macy", "dillard", "popeyes", "sonic", "subway", "chipotle", "panera", "ihop", "aldi", "meijer", "safeway",
        "zaxby", "raising cane", "domino", "papa john", "jimmy john", "carl", "bojangle", "trader joe", "sam",
        "publix", "wegmans", "speedway", "marathon", "hobby lobby", "dillon", "fry", "hy-vee", "casey", "kwik trip",
    }
)  # fmt: skip
# Chains whose names read as a person or a town: "coffee at Tim Hortons", "a Dairy Queen run".
_BUSINESS_NAMES = frozenset(
    {
        "tim hortons", "dairy queen", "taco bell", "burger king", "waffle house", "cracker barrel", "home depot",
        "dollar general", "family dollar", "dollar tree", "rite aid", "giant eagle", "circle k", "little caesars",
        "olive garden", "red lobster", "pizza hut", "five guys", "panda express", "krispy kreme", "jack in the box",
        "bob evans", "white castle", "long john silver", "steak n shake", "chick-fil-a", "tractor supply",
        "best buy", "planet fitness", "food lion", "stop & shop", "piggly wiggly", "harris teeter", "big lots",
        "whataburger", "panera bread", "golden corral", "ruby tuesday", "ollie", "marshalls",
    }
)  # fmt: skip

# A person tied to a bare day of the month ("he was discharged on the 9th").
_PERSON_CUE = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|client|pt|patient|sponsee|son|daughter|mom|dad|"
    r"discharg\w*|admit\w*|intake|releas\w*|court|hearing|birthday|born|died|overdos\w*|relaps\w*|arrest\w*|"
    r"sentenc\w*|appointment|appt|dob|funeral|back\s+(?:to|at|in)|sober|clean|quit|started|used|using)\b",
    re.IGNORECASE,
)
# Third persons: a town named in a sentence that has none of them and is about an event is public.
_THIRD_PERSON = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|client|pt|patient|sponsee|son|daughter|mom|dad|mother|father|"
    r"brother|sister|cousin|aunt|uncle|wife|husband|boyfriend|girlfriend|friend|buddy|family|grandma|grandpa|kid|"
    r"kids|po|resident|member|participant|guy|girl|man|woman)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(?:conference|conferences|convention|summit|expo|symposium|rally|festival|retreat|workshop|webinar|"
    r"gala|fundraiser|headquarters|keynote)\b",
    re.IGNORECASE,
)
# What a sentence about public life talks about: figures, news, bodies and gatherings, not one person's life.
# A town or a month-and-day in such a sentence with no third person in it is public ("the Philadelphia
# overdose numbers came out", "Recovery Month events kick off September 1").
_PUBLIC_TOPIC = re.compile(
    r"\b(?:events?|walks?|vigils?|ceremony|numbers|data|statistics|stats|rates?|report|study|survey|news|"
    r"coalition|council|mayor|commissioners|legislature|task\s+force|chapter|area|region|metro|"
    r"kicks?\s+off|registration|deadline|calendars?)(?![\w-])",  # not "walk-ins"
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH_WORD = re.compile(r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b")
_SENTENCE_END = re.compile(r"[.!?\n]")
# A full stop, "!", "?" or a line break that ends a sentence; not the one of "Ms.", "Dr.", "J." or "2.5".
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])(?<!\d)[.!?\n]")


def is_public(text: str, kind: str, start: int, end: int) -> bool:
    """Whether the candidate ``text[start:end]`` of ``kind`` is a public mention, not an identifier."""
    if kind == "EMAIL":
        return _ROLE_MAILBOX.match(text, start) is not None
    if kind in ("PHONE", "ADDRESS", "EMAIL", "URL") and _ORG_LINE.match(text, text.rfind("\n", 0, start) + 1):
        return True  # "Contact us: Harbor Peer Center, 211 Main St, 555-0133": the organisation's own line
    if kind == "PHONE":
        return _ORG_CONTACT_BEFORE.search(text[max(0, start - 40) : start]) is not None
    if kind == "DATE":
        lo, hi = _sentence(text, start, end)
        if _bare_ordinal(text, start, end):
            return not _PERSON_CUE.search(text, lo, hi)
        return _public_day(text, start, end, lo, hi)
    if kind == "NAME":
        return _public_name(text, start, end)
    if kind in ("GEO", "FACILITY") and _business(text, start, end):
        return True
    if kind == "GEO" and " ".join(text[start:end].lower().split()) in _REGIONS:
        return True  # "New England", "the Midwest": a region of several states
    if kind == "GEO":
        lo, hi = _sentence(text, start, end)
        return _about_public_life(text, lo, hi)
    return False


def _about_public_life(text: str, lo: int, hi: int) -> bool:
    """The sentence ``text[lo:hi]`` is about an event, figures, news or a public body, and names no third person."""
    topic = _EVENT.search(text, lo, hi) or _PUBLIC_TOPIC.search(text, lo, hi)
    return topic is not None and _THIRD_PERSON.search(text, lo, hi) is None


def _public_day(text: str, start: int, end: int, lo: int, hi: int) -> bool:
    """A month and day with no year ("September 14") in a sentence about public life and nobody's."""
    if not _MONTH_WORD.fullmatch(text, start, end) or _YEAR.search(text, lo, hi):
        return False
    return _PERSON_CUE.search(text, lo, hi) is None and _about_public_life(text, lo, hi)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around ``text[start:end]`` (at most 160 characters either side)."""
    lo = max(0, start - 160)
    window = text[lo:start]
    cut = -1
    for brk in _SENTENCE_BREAK.finditer(window):
        cut = brk.end()
    if cut != -1:
        lo += cut
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 160))
    return lo, (stop.start() if stop else min(len(text), end + 160))


def _business(text: str, start: int, end: int) -> bool:
    word = " ".join(text[start:end].lower().split())
    if word in _BUSINESS_NAMES or word.rstrip("s") in _BUSINESS_NAMES:
        return True
    return word in _BUSINESSES and text[end : end + 2] in ("'s", "’s")


def _bare_ordinal(text: str, start: int, end: int) -> bool:
    value = text[start:end].lower()
    return value[:-2].isdigit() and value[-2:] in ("st", "nd", "rd", "th") and text[max(0, start - 4) : start] == "the "


def _public_name(text: str, start: int, end: int) -> bool:
    if _ROLE_WORD.fullmatch(text[start:end].split()[-1]):
        return True  # "Peer Facilitator": a job title, not a surname
    if _RELATION_BEFORE.search(text, max(0, start - 24), start):
        return False  # "my client Lucia, LCSW intern": a relation says private, whatever follows
    if _business(text, start, end) or _public_figure(text[start:end]) or _VERSE_AFTER.match(text, end):
        return True  # a chain, a cited author, a book of scripture ("Matthew 11:28")
    holiday_name = text[start:end].lower() in _HOLIDAY_NAMES and _HOLIDAY_AFTER.match(text, end)
    if holiday_name or (
        _HOLIDAY_WORD.fullmatch(text[start:end]) and _HOLIDAY_BEFORE.search(text, max(0, start - 16), start)
    ):
        return True  # "Valentine's Day", "Christmas Eve", "Father's Day": a holiday
    before = text[max(0, start - 120) : start]
    if _ROLE_AFTER.match(text, end) or _WORK_AFTER.match(text, end) or _CREDENTIAL_AFTER.match(text, end):
        return True
    if _WORK_BEFORE.search(before[-60:]):
        return True
    line = text.rfind("\n", 0, start) + 1
    heading = _LIST_HEADING.match(text, line)
    if heading is not None and heading.end() <= start:
        return True  # a staff, board or presenter list under its heading
    low = before.lower()
    if ("our " in low or "meet " in low) and _ROLE_BEFORE.search(before):
        return True
    last = low.rsplit(None, 1)[-1] if low.strip() else ""
    if last in _WORK_CUES and (" " in text[start:end] or _SAYS_AFTER.match(text, end)):
        return True  # "As Brene Brown says", "rereading Gabor Mate": a public figure; "as Mike" stays a name
    word = text[start:end].lower()
    return word in ("starbucks", "walmart", "dunkin")


def _public_figure(name: str) -> bool:
    """A widely cited author or public figure of the field, named in full ("Johann Hari", "Brené Brown")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = " ".join(plain.replace("'s", "").replace("’s", "").split())
    return plain in PUBLIC_FIGURES or plain.split()[-1] in PUBLIC_FIGURES


# Leaving or returning to a place named without a cue word: "went back to Brightwater", "left Cedar Ridge".
_STAY_VERB = re.compile(
    r"\b(?:back\s+(?:at|to|in)|went\s+back\s+to|(?:he|she|they)\s+left|got\s+out\s+of|discharged\s+from|"
    r"admitted\s+(?:to|into)|checked\s+(?:in)?to|released\s+from|transferred\s+to|up\s+from|"
    r"(?i:is|was|he's|she's|he\s+is|she\s+is|they're|still|now)\s+at|(?:a\s+)?bed\s+(?:at|in)|kicked\s+out\s+of|"
    r"moved\s+(?:him|her|them)\s+to|graduated\s+from|(?:detox|rehab|treatment|inpatient|residential)\s+at)\s+"
    r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b"
)
_NOT_PLACE = frozenset(
    {
        "step", "god", "work", "school", "church", "group", "meetings", "the", "my", "his", "her", "their",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "day", "square", "zero", "basics", "bed", "jail", "rehab", "detox", "treatment", "using",
        "home", "court", "noon", "night", "dinner", "lunch", "breakfast", "least", "risk", "peace", "high",
        "drug", "this", "that", "it", "christmas", "thanksgiving", "easter",
    }
)  # fmt: skip


_TO_TOWN = re.compile(r"^(?:moved\s+\w+\s+to|(?:a\s+)?bed\s+in)\b", re.I)
_PROGRAMME_WORDS = frozenset({"anonymous", "recovery", "refuge", "smart", "alateen", "nar", "celebrate"})
#: Names of mutual-aid programmes before "Recovery" ("SMART Recovery", "Celebrate Recovery").
PROGRAMME_WORDS = _PROGRAMME_WORDS | {"peer", "voices", "dharma", "faces", "refuge", "lifering", "secular"}

# The same verbs of staying or leaving before a lower-case name, only the strongest ones: "got a bed at
# cornerstone", "kicked out of oxford house", "is at riverside again".
_STAY_VERB_LOWER = re.compile(
    r"\b(?:bed\s+(?:at|in)|kicked\s+out\s+of|discharged\s+from|admitted\s+(?:to|into)|checked\s+into|"
    r"released\s+from|went\s+back\s+to|(?:is|was|'s|back|still)\s+at|got\s+out\s+of)\s+"
    r"([a-z][a-z'-]{3,}(?:\s+(?:house|home|manor|lodge|ranch|place|commons|village|center|centre|hall|methodist|"
    r"baptist|presbyterian|memorial|general|regional|behavioral|recovery|medical))?)"
    r"(?=\s+(?:again|for|after|since|until|til|till|last|tonight|yesterday|today|now|finally)\b|\s*[,.;:!?)]|\s*$)"
)
# What may follow those verbs in lower case without being a name: places of every day, states, activities.
_LOWER_NOT_PLACE = frozenset(
    """
    work school church group meeting meetings home court jail prison rehab detox treatment hospital bed town
    class practice there here basics square zero normal sleep using drinking sobriety recovery noon night
    dinner lunch breakfast least risk peace ease fault first last once work, shelter clinic facility program
    programme office moms dads mine yours hers ours theirs college campus university camp county state city
    inpatient outpatient residential halfway sober living place house home, the-house his her their them him
    """.split()
)


def uncued_places(text: str, towns: Collection[str] = ()) -> list[tuple[str, int, int]]:
    """FACILITY spans for a place after a verb of staying, leaving or returning.

    Known ``towns`` after "moved him to" or "a bed in" are left to the GEO finder ("moved him to Chillicothe").
    """
    out: list[tuple[str, int, int]] = []
    for m in _STAY_VERB.finditer(text):
        words = m.group(1).split()
        low = [w.lower() for w in words]
        if (" ".join(low) in towns or low[-1] in ("county", "parish")) and _TO_TOWN.search(m.group()):
            out.append(("GEO", m.start(1), m.end(1)))  # "moved him to Chillicothe", "a bed in Franklin County"
            continue
        if low[0] in _NOT_PLACE or _PROGRAMME_WORDS.intersection(low) or _BUSINESSES.intersection(low):
            continue  # a day, a mutual-aid programme ("Narcotics Anonymous", "Celebrate Recovery") or a shop
        if text[m.end(1) : m.end(1) + 1] in ("-", "'", "’"):
            continue  # "Al-Anon", "Denny's": a compound or possessive this rule cannot read
        if low[-1] in ("meeting", "meetings", "group", "groups"):
            continue
        out.append(("FACILITY", m.start(1), m.end(1)))
    for m in _STAY_VERB_LOWER.finditer(text):
        words = m.group(1).split()
        if words[0] in _LOWER_NOT_PLACE or words[0] in _NOT_PLACE or words[0].endswith("ing"):
            continue
        if text[m.end(1) : m.end(1) + 1] in ("-", "'", "’") or words[0].rstrip("'s") in _BUSINESSES:
            continue
        out.append(("FACILITY", m.start(1), m.end(1)))
    return out
