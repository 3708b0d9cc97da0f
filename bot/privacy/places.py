"""GEO (cities, counties) and FACILITY (named treatment centres, hospitals, jails, shelters).

State names are state level and allowed by Safe Harbor; they are never reported.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.privacy.tokens import Token
from bot.privacy.vocab import (
    CITY_NICKNAMES,
    FUNCTION_WORDS,
    LOCATIVE,
    LOWER_STATE_ABBREVS,
    MONTHS,
    PERSON_VERBS,
    RECOVERY_TERMS,
    RELATIONS,
    US_STATES,
    US_STATES_MULTI,
)
from bot.privacy.wordlists import WordLists

Span = tuple[str, int, int]

# The last word(s) of a facility's name. Generic heads ("house", "center") need a capitalised name.
_HEADS = re.compile(
    r"\b(?:(?:recovery|treatment|medical|health|wellness|counseling|counselling|crisis|detox|rehab|"
    r"rehabilitation|detention|correctional|community|behavioral\s+health|mental\s+health|addiction|"
    r"youth|care|women's|men's|family)\s+(?:center|centre|centers|facility|institution|services|unit|"
    r"campus|complex)|behavioral\s+health|sober\s+living|recovery\s+(?:house|residence|home|village)|"
    r"halfway\s+house|rehab|detox|hospital|clinic|jail|prison|penitentiary|shelter|infirmary|"
    r"house|home|lodge|manor|ranch|mission|institute|pavilion|healthcare|health|medical|center|centre|"
    r"village|place|commons|residence|er|emergency\s+room|psych\s+ward|urgent\s+care|memorial|general|"
    r"psychiatric|regional)\b",
    re.IGNORECASE,
)
_GENERIC_HEADS = frozenset(
    {
        "house",
        "home",
        "lodge",
        "manor",
        "ranch",
        "mission",
        "institute",
        "pavilion",
        "healthcare",
        "health",
        "medical",
        "center",
        "centre",
        "village",
        "place",
        "commons",
        "residence",
        "er",
        "emergency room",
        "psych ward",
        "urgent care",
        "memorial",
        "general",
        "psychiatric",
        "regional",
    }
)
# "Attorney General", "Surgeon General": not hospitals.
_NOT_FACILITY_NAMES = frozenset(
    {
        "attorney",
        "surgeon",
        "inspector",
        "postmaster",
        "brigadier",
        "major",
        "lieutenant",
        "secretary",
        "consul",
        "solicitor",
        "labor",
        "lincoln",
        "holocaust",
        "war",
    }
)
_LOWER_OK_HEADS = frozenset({"rehab", "detox", "hospital", "clinic", "jail", "prison", "shelter"})
# Words that describe a facility without naming it: "the county jail", "inpatient rehab".
_GENERIC_MODS = frozenset(
    """
    county city state federal local regional inpatient outpatient residential psych psychiatric mental
    methadone suboxone bupe detox rehab recovery treatment sober halfway women's womens men's mens family
    youth teen adult juvenile homeless emergency overnight dv domestic violence crisis new old same other
    big small nearest closest main general community public private christian faith-based faith based
    veterans va medical behavioral health drug alcohol addiction short long term short-term long-term
    bupe vivitrol narcan mat moud iop php aa na sober free walk-in urgent low-barrier harm reduction
    respite transitional hospital clinic center centre house shelter jail prison that this his her their
    my our your its a an the one another first second last next day night walk-in 24-hour
    """.split()
)
_KNOWN_FACILITIES = re.compile(
    r"\b(?:st\.?|saint)\s+[A-Za-z]+['’]s\b|\b(?:hazelden(?:\s+betty\s+ford)?|betty\s+ford|caron|rikers(?:\s+island)?|"
    r"riker's|gaudenzia|eagleville|kirkbride|salvation\s+army|phoenix\s+house|"
    r"sheppard\s+pratt|bellevue|cook\s+county\s+jail|twin\s+towers|san\s+quentin|sing\s+sing|"
    r"(?-i:SCI)[\s-][A-Za-z]+(?:[\s-][A-Z][a-z]+)?|curran[\s-]fromhold)\b",
    re.IGNORECASE,
)
# Hospital systems and treatment providers peers name by brand (Pennsylvania first, then US-wide). The
# match grows over the campus or programme that follows: "UPMC Mercy", "AHN Forbes", "Gaudenzia Erie".
_SYSTEMS = re.compile(
    r"\b(?:upmc|allegheny\s+health\s+network|allegheny\s+general|geisinger|wellspan|excela(?:\s+health)?|"
    r"conemaugh|lvhn|lehigh\s+valley\s+(?:health\s+network|hospital)|tower\s+health|main\s+line\s+health|"
    r"crozer(?:[\s-]chester)?|penn\s+medicine|penn\s+state\s+health|hershey\s+medical|jefferson\s+health|"
    r"temple\s+(?:health|university\s+hospital)|christianacare|christiana\s+care|nemours|virtua|"
    r"hackensack\s+meridian|northwell|nyu\s+langone|mount\s+sinai|mt\.?\s+sinai|johns\s+hopkins|"
    r"cleveland\s+clinic|mayo\s+clinic|kaiser(?:\s+permanente)?|heritage\s+valley|wvu\s+medicine|"
    r"guthrie|lankenau|presby|magee(?:[\s-]womens)?|pyramid\s+healthcare|white\s+deer\s+run|"
    r"gateway\s+rehab|mirmont|livengrin|sunrise\s+house|seabrook|clearbrook|maryhaven|brightview|"
    r"light\s+of\s+life|penn\s+foundation|self\s+help\s+movement|greenbriar|cove\s+forge|conewago|"
    r"ashley\s+addiction|recovery\s+centers\s+of\s+america|bowling\s+green\s+brandywine|"
    r"(?-i:AHN|AGH|WPH|CHOP|HUP|TJUH|LVHN|UPMC|RCA))\b",
    re.IGNORECASE,
)
# First words of the alternatives above (a brand cannot match unless one of them is a word of the text).
_KNOWN_FIRST = frozenset(
    """
    st saint hazelden betty caron rikers riker gaudenzia eagleville kirkbride salvation phoenix sheppard
    bellevue cook twin san sing sci curran
    """.split()
)
_SYSTEMS_FIRST = frozenset(
    """
    upmc allegheny geisinger wellspan excela conemaugh lvhn lehigh tower main crozer penn hershey jefferson
    temple christianacare christiana nemours virtua hackensack northwell nyu mount mt johns cleveland mayo
    kaiser heritage wvu guthrie lankenau presby magee pyramid white gateway mirmont livengrin sunrise seabrook
    clearbrook maryhaven brightview light self greenbriar cove conewago ashley recovery bowling ahn agh wph
    chop hup tjuh rca
    """.split()
)
# Brands that are also names or words ("Temple", "Jefferson", "Penn"): a facility only after a cue
# ("at Temple", "from Jefferson") or before a capitalised campus ("Penn Presbyterian", "Jefferson Abington").
_SYSTEMS_CUED = re.compile(r"\b(?-i:Temple|Jefferson|Penn|Einstein|Cooper|Pyramid|Mercy|Geisinger|Excela)\b")
_SYSTEM_CUES = frozenset({"at", "to", "from", "into", "outta", "admitted", "transferred", "discharged", "in"})
_SCHOOL_WORDS = frozenset({"state", "university", "college", "law", "students", "football", "game", "grad", "alum"})
_WHEN = frozenset(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NOT_CAMPUS = RECOVERY_TERMS - {"detox", "rehab"}
# Lower-case words that end a brand's campus: "upmc mercy again", "gaudenzia til friday".
_CAMPUS_STOP = frozenset(
    """
    again today tonight tomorrow tmrw yesterday now til till until since for and or but then when where who
    this that last next week weekend month year morning night am pm asap rn lol
    """.split()
) | frozenset(MONTHS)
_PLACE_CUES = (LOCATIVE - {"of"}) | {"at", "moved", "lives", "living", "staying", "back", "visiting", "left"}
_NEAR_CUES = frozenset({"in", "near", "outside", "around", "from", "across", "through"})
# "outside of X", "north of X": "of" is a place cue only after these.
_OF_PLACE = frozenset(
    {"outside", "north", "south", "east", "west", "city", "town", "county", "area", "suburbs", "part", "side"}
)
# Capitalised words that are also US town names but, after "in", mean something else ("in Hope", "in May").
_NOT_PLACES = (
    frozenset(
        """
    hope grace faith will joy love mercy patience trust charity serenity unity peace power god christ heaven
    recovery sobriety service progress time order treatment crisis court jail custody person general
    """.split()
    )
    | frozenset(MONTHS)
    | frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
)
_FACILITY_CUES = frozenset(
    {
        "at",
        "to",
        "from",
        "in",
        "into",
        "of",
        "left",
        "entered",
        "leaving",
        "outta",
        "out",
        "admitted",
        "discharged",
        "transferred",
        "by",
        "near",
        "with",
    }
)
_TOWN_PREFIXES = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "new",
        "lake",
        "port",
        "fort",
        "mount",
        "mt",
        "upper",
        "lower",
        "little",
        "big",
        "glen",
        "point",
        "saint",
        "st",
    }
)
_TOWN_SUFFIX = re.compile(
    r"[a-z]{3,}(?:town|ton|ville|burg|burgh|borough|boro|bury|port|mouth|stad|furt|chester|haven|side|shire|"
    r"land|view|berg|field|wood|dale|mont|ford|ham|ley|by|fort|shire|ington|ston)"
)
# Lower-case words that end a facility's name when walking back from its head ("needs detox").
_NOT_FACILITY_WORDS = PERSON_VERBS | frozenset(
    """
    need needs want wants like likes hate hates try tried trying back then after before still again maybe now
    go going gone get getting into onto outta straight finally just also even only really never ever
    """.split()
)
# Words after a facility head that make it a job, credential or field, not a place:
# "Certified Behavioral Health Peer Support Specialist", "a behavioral health job".
_ROLE_AFTER = frozenset(
    """
    peer peers specialist specialists counselor counselors counsellor technician tech techs worker workers job jobs
    position positions role roles career careers certification certificate credential exam degree field staff
    professional professionals workforce coach coaches navigator navigators
    """.split()
)
# Lower-case words that cannot be part of a facility's name ("another", "any", "entry-level").
_NOT_NAME_START = frozenset(
    """
    another any every each some this that these those other own certified licensed
    """.split()
)
_MOVE_VERBS = frozenset(
    {
        "moved",
        "moving",
        "move",
        "moves",
        "back",
        "relocated",
        "relocating",
        "went",
        "going",
        "drove",
        "driving",
        "transferred",
        "headed",
        "heading",
        "flew",
        "bus",
        "train",
        "trip",
        "way",
        "home",
        "out",
    }
)
# ", Albuquerque zip 67425", "lancaster 48742": a word before a ZIP code is a place.
_ZIP_AFTER = re.compile(r",?\s*(?:zip(?:\s*code)?:?\s*)?\d{5}(?:-\d{4})?\b", re.IGNORECASE)
# Names of whole networks or models, not of one facility: "the Oxford House model".
_NETWORKS = frozenset({"oxford house", "oxford houses", "recovery house", "sober house", "halfway house"})
_COUNTY_WORDS = frozenset({"county", "parish", "borough", "township", "twp"})


# Nouns after a town that say it is a place, not a person: "the Erie office", "Reading area".
_PLACE_NOUNS = frozenset({"office", "area", "branch", "location", "site", "region", "campus", "chapter", "suburbs"})
# A region named by a capitalised word and "Valley": "the Mon Valley", "Wyoming Valley".
_VALLEY = re.compile(r"\b(?:[A-Z][a-z]+[ -]){1,2}Valley\b")


class PlaceFinder:
    """Finds GEO and FACILITY spans; holds only immutable lists, so it is re-entrant."""

    def __init__(self, lists: WordLists) -> None:
        self._cities = lists.cities
        self._counties = lists.counties
        self._common = lists.common
        self._given = lists.given
        self._family = lists.family
        self._max_words = min(lists.city_max_words, 4)
        self._first_words = frozenset(c.split()[0] for c in self._cities | CITY_NICKNAMES)

    def find(self, text: str, tokens: list[Token], allow: Collection[str]) -> list[Span]:
        """Return GEO and FACILITY spans in ``text``."""
        spans: list[Span] = []
        spans.extend(self._facilities(text, tokens, allow))
        spans.extend(self._counties_in(tokens, allow))
        spans.extend(self._cities_in(text, tokens, allow))
        if "Valley" in text:
            for m in _VALLEY.finditer(text):
                words = m.group().split()
                while words and (words[0].lower() in FUNCTION_WORDS or words[0].lower() in _GENERIC_MODS):
                    words.pop(0)
                if len(words) > 1 and m.group().lower() not in allow:
                    spans.append(("GEO", m.end() - len(" ".join(words)), m.end()))
        return spans

    def _facilities(self, text: str, tokens: list[Token], allow: Collection[str]) -> list[Span]:
        spans: list[Span] = []
        if not tokens:
            return spans
        starts = {t.start: i for i, t in enumerate(tokens)}
        ends = {t.end: i for i, t in enumerate(tokens)}
        lows = {t.low for t in tokens}
        # The long brand alternations run only when one of their first words is in the text.
        if not lows.isdisjoint(_KNOWN_FIRST):
            for m in _KNOWN_FACILITIES.finditer(text):
                if m.group().lower() not in allow:
                    spans.append(("FACILITY", m.start(), self._campus(tokens, ends.get(m.end()), m.end())))
        if not lows.isdisjoint(_SYSTEMS_FIRST):
            for m in _SYSTEMS.finditer(text):
                if m.group().lower() not in allow:
                    spans.append(("FACILITY", m.start(), self._campus(tokens, ends.get(m.end()), m.end())))
        for m in _SYSTEMS_CUED.finditer(text):
            i = starts.get(m.start())
            if i is None or m.group().lower() in allow:
                continue
            if i + 1 < len(tokens) and tokens[i + 1].low in _SCHOOL_WORDS:
                continue  # "the Penn State game", "Temple University" (the school, not the hospital)
            end = self._campus(tokens, i, m.end(), lower=False)
            campus = " ".join(text[m.start() : end].lower().split())
            if end > m.end() and (campus in self._cities or campus.split()[-1] in _COUNTY_WORDS):
                continue  # "Penn Hills", "Jefferson Hills": towns
            cued = i > 0 and not tokens[i].gap.strip() and tokens[i - 1].low in _SYSTEM_CUES
            if end > m.end() or (cued and not tokens[i].possessive):
                spans.append(("FACILITY", m.start(), end))
        for m in _HEADS.finditer(text):
            first = starts.get(m.start())
            if first is None:
                continue
            head = " ".join(m.group().lower().split())
            head_tok = tokens[first]
            generic = head in _GENERIC_HEADS
            name_start = self._facility_name(tokens, first, generic)
            if head in ("general", "memorial") and first > 0 and tokens[first - 1].low in _NOT_FACILITY_NAMES:
                continue
            end = m.end()
            # "House of Hope", "Hospital of the University of Pennsylvania"
            k = first + len(m.group().split())
            limit = min(len(tokens), k + 7)  # a name of at most six more words keeps long input linear
            while head_tok.title and k + 1 < limit and tokens[k].low == "of" and tokens[k + 1].title:
                k += 1
                while k < limit and (tokens[k].title or tokens[k].low in ("the", "of")):
                    end = tokens[k].end
                    k += 1
            if k < len(tokens) and tokens[k].low in _ROLE_AFTER and not tokens[k].gap.strip():
                continue  # a job or credential named after the field
            if name_start is None:
                if end == m.end():
                    continue
                name_start = first
            start_tok = tokens[name_start]
            if start_tok.lower:
                before = tokens[name_start - 1].low if name_start > 0 else ""
                if before not in _FACILITY_CUES and (generic or not start_tok.starts_sentence):
                    continue
            elif generic and not (head_tok.title or head_tok.upper):
                continue
            phrase = text[start_tok.start : end]
            if phrase.lower() not in allow and " ".join(phrase.lower().split()) not in _NETWORKS:
                spans.append(("FACILITY", start_tok.start, end))
        return spans

    def _campus(self, tokens: list[Token], i: int | None, end: int, lower: bool = True) -> int:
        """End of a brand's name grown over the campus or programme after it ("UPMC Mercy", "ARC")."""
        if i is None:
            return end
        brand_lower = tokens[i].lower
        for k in range(i + 1, min(len(tokens), i + 4)):
            tok = tokens[k]
            if tok.gap != " " or tokens[k - 1].possessive or tok.low in FUNCTION_WORDS or tok.low in _CAMPUS_STOP:
                break
            if tok.title or tok.upper:
                state = tok.low in US_STATES and (
                    tok.upper or k + 1 >= len(tokens) or not tokens[k + 1].title or tokens[k + 1].gap != " "
                )  # "UPMC PA" stops; "Geisinger Wyoming Valley" goes on
                stop = tok.low in _WHEN or state or tok.low in _FACILITY_CUES
            else:
                # lower case: a facility head ("shelter"), or one campus word after a lower-case brand
                stop = (not (lower and brand_lower and k == i + 1) and not _HEADS.fullmatch(tok.raw)) or (
                    tok.low in PERSON_VERBS or tok.low in _NOT_FACILITY_WORDS or tok.low in _NOT_CAMPUS
                )
            if stop:
                break
            end = tok.end
        return end

    @staticmethod
    def _facility_name(tokens: list[Token], first: int, generic: bool) -> int | None:
        """Index of the first word of the name before a facility head at ``first``, if it has one."""
        lower_head = tokens[first].lower
        name_start = None
        has_name = False
        j = first - 1
        while j >= 0 and first - j <= 4:
            tok = tokens[j]
            if tokens[j + 1].gap.strip() not in ("", "&", "."):
                break
            low = tok.low
            if tok.title or tok.upper:
                if (low in FUNCTION_WORDS and low not in ("of", "the", "and")) or low in RELATIONS:
                    break
            elif (
                not lower_head
                or low in FUNCTION_WORDS
                or low in RELATIONS
                or low in _FACILITY_CUES
                or low in _NOT_FACILITY_WORDS
                or low in _NOT_NAME_START
                or "-" in low
                or (tok.possessive and generic)
                or first - j > 3
            ):
                break
            if low not in _GENERIC_MODS and low not in FUNCTION_WORDS:
                has_name = True
            name_start = j
            if tok.starts_sentence:
                break
            j -= 1
        if name_start is None or not has_name:
            return None
        while name_start < first and tokens[name_start].low in ("the", "of", "and"):
            name_start += 1
        return name_start

    def _counties_in(self, tokens: list[Token], allow: Collection[str]) -> list[Span]:
        spans: list[Span] = []
        for i, tok in enumerate(tokens):
            if tok.low not in _COUNTY_WORDS or i == 0:
                continue
            best = None
            for n in (3, 2, 1):
                if i - n < 0:
                    continue
                words = tokens[i - n : i]
                if any(w.gap.strip() for w in words[1:]) or tok.gap.strip():
                    continue
                phrase = " ".join(w.low for w in words).replace("-", " ")
                if phrase in allow or words[0].low in FUNCTION_WORDS or words[0].low in _GENERIC_MODS:
                    continue
                if phrase in self._counties or (all(w.title for w in words) and n == 1):
                    best = words[0].start
                    break
            if best is not None:
                spans.append(("GEO", best, tok.end))
        return spans

    def _cities_in(self, text: str, tokens: list[Token], allow: Collection[str]) -> list[Span]:
        spans: list[Span] = []
        n_tok = len(tokens)
        i = 0
        while i < n_tok:
            found = 0
            first = tokens[i].low if tokens[i].low in self._first_words else tokens[i].low.replace("-", " ")
            span = min(self._max_words, n_tok - i) if first.split()[0] in self._first_words else 0
            for n in range(span, 0, -1):
                words = tokens[i : i + n]
                if any(w.gap.strip() not in ("", ".") for w in words[1:]):
                    continue
                phrase = " ".join(w.low for w in words).replace("-", " ")
                if phrase not in self._cities and phrase not in CITY_NICKNAMES:
                    continue
                if phrase in allow or phrase in US_STATES or phrase in US_STATES_MULTI:
                    continue
                if self._is_city(tokens, i, n, phrase) or (
                    _ZIP_AFTER.match(text, words[-1].end) and not self._is_common_phrase(words)
                ):
                    spans.append(("GEO", words[0].start, words[-1].end))
                    found = n
                    break
            if not found:
                found = self._town(text, tokens, i, allow)
                if found:
                    spans.append(("GEO", tokens[i].start, tokens[i + found - 1].end))
            i += found or 1
        return spans

    def _is_common_phrase(self, words: list[Token]) -> bool:
        return len(words) == 1 and (words[0].low in self._common or words[0].low in FUNCTION_WORDS)

    def _town(self, text: str, tokens: list[Token], i: int, allow: Collection[str]) -> int:
        """Towns missing from the list: "Wilsonburgh", "North Jessicaport", "in East Tamara"."""
        tok = tokens[i]
        if tok.low in allow or (tok.low in self._common and tok.low not in _TOWN_PREFIXES):
            return 0  # checked first: most words end here, before the cue is looked up
        prev = tokens[i - 1].low if i > 0 and not tok.gap.strip() else ""
        cue = prev in _PLACE_CUES or (i + 1 < len(tokens) and _ZIP_AFTER.match(text, tokens[i + 1].end) is not None)
        if tok.low in _TOWN_PREFIXES and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if f"{tok.low} {nxt.low}" in US_STATES_MULTI:
                return 0
            if nxt.gap.strip() or nxt.low in FUNCTION_WORDS or (nxt.low in self._common and not nxt.title):
                return 0
            if (tok.title and nxt.title and (cue or _TOWN_SUFFIX.fullmatch(nxt.low))) or (
                cue and nxt.lower and tok.lower
            ):
                return 2
            return 0
        if _TOWN_SUFFIX.fullmatch(tok.low) and tok.low not in self._given and tok.low not in self._family:
            return 1 if (tok.title or cue) else 0
        return 0

    def _is_city(self, tokens: list[Token], i: int, n: int, phrase: str) -> bool:
        words = tokens[i : i + n]
        cap = all(w.title or w.low in ("of", "the", "de", "la", "du") for w in words)
        prev = tokens[i - 1].low if i > 0 and not words[0].gap.strip() else ""
        if prev == "of" and i >= 2 and tokens[i - 2].low in _OF_PLACE:
            prev = "near"
        if prev == "to" and i >= 2 and tokens[i - 2].low in _MOVE_VERBS:
            prev = "near"  # "moved back to Orlando" is a place, "talked to Orlando" a person
        cue = prev in _PLACE_CUES
        near_cue = prev in _NEAR_CUES
        nxt = i + n
        state = tokens[nxt] if nxt < len(tokens) else None
        state_after = (
            state is not None
            and state.gap.strip() in (",", "")
            and state.low in US_STATES
            and (state.upper or state.title or state.low in LOWER_STATE_ABBREVS or len(state.low) > 2)
            and f"{phrase} {state.low}" not in US_STATES_MULTI
        )
        if state is not None and f"{phrase} {state.low}" in US_STATES_MULTI:
            return False  # "West" of "West Virginia"
        common = all(w.low in self._common or w.low in FUNCTION_WORDS for w in words)
        if phrase in CITY_NICKNAMES:
            return cap or cue or n > 1
        if any(w.low in RECOVERY_TERMS for w in words) and n == 1:
            return False
        if state_after:
            return not common or (cap and state is not None and state.gap.strip() == ",")
        if common:
            if n > 1:
                return (cap and (cue or not words[0].starts_sentence)) or near_cue
            return cap and near_cue and not words[0].starts_sentence and phrase not in _NOT_PLACES
        person = n == 1 and (phrase in self._given)
        if cap:
            if person:
                # "the Erie office", "Reading area": a place noun after it says place
                return near_cue or (state is not None and state.low in _PLACE_NOUNS and not state.gap.strip())
            return cue or n > 1 or phrase not in self._family
        if n > 1:
            return True
        if person:
            return near_cue
        return cue
