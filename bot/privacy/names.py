"""NAME detection: person names from name lists, capitalisation and cue words.

A word is taken for a name when one of these holds:

* a title or a relation precedes it ("Ms. Okafor", "my client Dana", "her son tyler");
* it is a known given or family name that is not also an ordinary English word, in any case;
* it is capitalised mid-sentence and appears in no word list at all (names from any locale);
* it is a name that is also a word (Grace, Will, Hope) and the context says person: a surname
  follows, a speech or action verb follows ("Grace said"), "'s" follows, or a name precedes ("Ana
  and Grace").

A name grows over following surnames, particles ("de la", "van") and initials.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.privacy.tokens import Token
from bot.privacy.vocab import (
    FUNCTION_WORDS,
    MONTHS,
    NAME_INTRO,
    PERSON_VERBS,
    RECOVERY_TERMS,
    RELATIONS,
    SPEECH_VERBS,
    TITLES,
    US_STATES,
)
from bot.privacy.wordlists import WordLists

_STRONG_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "mister", "sgt", "det", "prof", "rev"})
# Drug slang that is also a given name: a drug unless a title or relation says person ("my friend Tina").
_DRUG_NAMES = frozenset({"molly", "tina", "charlie", "roxy"})
# Words before a mid-sentence capitalised given name that say it is a person ("talked with Sue").
_PERSON_BEFORE = frozenset(
    {
        "with",
        "to",
        "for",
        "told",
        "asked",
        "called",
        "saw",
        "met",
        "thank",
        "thanks",
        "tell",
        "ask",
        "call",
        "text",
        "texted",
        "hug",
        "hugged",
        "visit",
        "visited",
        "and",
        "about",
        "from",
        "like",
        "sponsor",
        "sponsee",
        # carrying, fetching or finding someone: "driving Ed to court", "picked up Al", "found Pat"
        "drove",
        "driving",
        "drive",
        "picked",
        "pick",
        "take",
        "took",
        "taking",
        "bring",
        "brought",
        "bringing",
        "dropping",
        "get",
        "give",
        "gave",
        "giving",
        "getting",
        "walking",
        "help",
        "helped",
        "helping",
        "found",
        "see",
        "seeing",
        "meet",
        "meeting",
    }
)
# Verbs before "by" that make what follows an author, not a private person ("as described by Prochaska").
_AUTHOR_VERBS = frozenset(
    {
        "described",
        "written",
        "developed",
        "proposed",
        "coined",
        "authored",
        "created",
        "founded",
        "edited",
        "published",
        "popularized",
        "popularised",
        "introduced",
        "defined",
        "outlined",
        "posted",
        "reported",
    }
)
_CITE_YEAR = re.compile(r"(?:'s)?,?\s*\(?(?:19|20)\d\d[a-z]?\b")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_PARTICLES = frozenset(
    {
        "de",
        "del",
        "della",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "da",
        "das",
        "dos",
        "di",
        "du",
        "bin",
        "ibn",
        "al",
        "el",
        "ben",
        "mac",
        "st",
        "ter",
        "y",
        "ó",
        "o",
        "ní",
        "nic",
        "mc",
        "ua",
        "bint",
        "abu",
        "ap",
        "zu",
        "af",
        "ten",
    }
)
_NOT_NAMES = (
    FUNCTION_WORDS
    | RECOVERY_TERMS
    | frozenset(MONTHS)
    | US_STATES
    | frozenset(
        {
            "i",
            "im",
            "ive",
            "id",
            "ill",
            "ok",
            "okay",
            "lol",
            "omg",
            "idk",
            "tbh",
            "btw",
            "fyi",
            "thx",
            "ty",
            "pls",
            "yes",
            "yeah",
            "yep",
            "no",
            "nope",
            "hi",
            "hey",
            "hello",
            "thanks",
            "thank",
            "sorry",
            "please",
            "update",
            "client",
            "today",
            "tomorrow",
            "yesterday",
            "tonight",
            "still",
            "also",
            "just",
            "not",
            "now",
            "then",
            "dob",
            "mrn",
            "ssn",
            "dl",
            "od",
            "od'd",
            "ods",
            "odd",
            "er",
            "icu",
            "asap",
            "aka",
            "tho",
            "rn",
            "bc",
            "w",
            "mon",
            "tue",
            "tues",
            "wed",
            "thu",
            "thur",
            "thurs",
            "fri",
            "sat",
            "sun",
            # chat shorthand: "til his bed opens", "call u tmrw", "pt", "hx", "f/u"
            "til",
            "till",
            "tmrw",
            "tmr",
            "tomm",
            "u",
            "ur",
            "plz",
            "thru",
            "ppl",
            "pt",
            "pts",
            "hx",
            "fu",
            "dx",
            "tx",
            "rx",
            "sx",
            "wk",
            "wks",
            "yo",
            "ya",
            "yall",
            "ima",
            "gonna",
            "wanna",
            "gotta",
            "lmk",
            "smh",
            "imo",
            "imho",
            "ngl",
            "iirc",
            "fwiw",
            "irl",
            "afaik",
            "jk",
            "nvm",
            "tldr",
            "admin",
            "admins",
            "mod",
            "mods",
        }
    )
)
# A list item's marker: "1. ", "2) ", "- ", "* ", "• ".
_LIST_MARK = re.compile(r"\s*(?:\d{1,2}[.)]|[-*•·])\s+")
#: Letters that look like initials but are not anyone's: "U.S.", "D.O.B.", "A.A.", "P.M.".
NOT_INITIALS = frozenset(
    """
    us uk dc am pm na aa ca ma sa oa ga po dob md do rn np pa ba bs ms er id od ua ny nj la iv aka rip tv va ok
    bc et ged uds dui dwi pd ems cps cys ssi ssdi lpn lcsw cadc crs cprs mat iop php hiv std ptsd adhd ocd
    nyc phd msw bsw usa gps aca cdc pcp ceo cpr arc dhs nka nkda ama sob loc bp hr gi uti cbc ekg ct mri tbi cva
    mi chf dm htn cp etoh mh bh sw fyi asap ooo eod eta tbd dm pm'd dmv ssn dob atm
    """.split()
)


# Endings of English derived words (abstract nouns, agent nouns, adjectives, adverbs): a capitalised word
# with one of them that is in no name list is a heading or a sentence start ("Countertransference isn't",
# "Supervisee asked"), not a person.
_DERIVED = re.compile(
    r"[a-z]{3,}(?:ence|ences|ance|ances|tion|tions|sion|sions|ment|ments|ness|ity|ities|ism|isms|ology|ships?|"
    r"hood|ize|ized|izing|ise|ised|ising|ative|ical|ically|fully|less|ously|ous|able|ible|ee|ees|ist|ists)"
)
# An acronym in the plural: "CEs", "CEUs", "PDFs", "MOUs".
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
# Words before a word-name that make it the word: "the mark", "her faith", "no will".
_DETERMINERS = frozenset(
    "the a an this that these those my your his her our their its no any some every each what which whose".split()
)
# Acts of a person that no word-name ("will", "mark", "grace") takes as a word.
_ACTS = frozenset("missed relapsed overdosed graduated showed skipped slept texted picked od'd".split())
_KIN = RELATIONS | {"kids", "grandkids", "parents", "family", "case", "ride", "court", "intake", "bed"}
_ADVERBS = frozenset("more less most back again away out up down over off home here there too very so".split())
_IRISH = re.compile(r"[od]'[a-z]{3,}")
_ARTICLES = frozenset("the a an my your his her our their".split())
_FAMILY = frozenset(
    """
    mom mother mama dad father papa son daughter kids kid baby sister brother cousin aunt uncle grandma grandpa
    grandmother grandfather husband wife boyfriend girlfriend fiance partner family po caseworker lawyer
    """.split()
)
_WHERE = frozenset("at back out still staying sober clean using missing gone home doing in".split())
_FEELS = frozenset("feels thinks knows wants".split())
# Chat thanks that can never be the person after "my buddy": "my buddy ty" is Ty.
_THANKS = frozenset({"ty"})

_SCHOOLS = frozenset({"state", "university", "college", "univ", "tech"})

# "Keisha Washington": a state may be a surname, nothing else in _NOT_NAMES may ("Maria June 3rd").
_NOT_NAMES_BUT_STATES = _NOT_NAMES - US_STATES


def _clean(low: str) -> str:
    return low.replace("'", "")


class NameFinder:
    """Finds person names in tokenised text; holds only immutable lists, so it is re-entrant."""

    def __init__(self, lists: WordLists) -> None:
        self._given = lists.given
        self._family = lists.family
        self._common = lists.common
        self._proper = lists.proper
        self._namewords = lists.namewords
        self._weak_given = lists.weak_given
        self._cities = lists.cities

    def _is_given(self, low: str) -> bool:
        return low in self._given or _clean(low) in self._given

    def _is_given_or_weak(self, low: str) -> bool:
        return self._is_given(low) or low in self._weak_given

    def _is_family(self, low: str) -> bool:
        if low in self._family or _clean(low) in self._family:
            return True
        # "Okonkwo-Adeyemi", "Abdul-Rahman": a double name is a name when one half is.
        return "-" in low and any(p in self._family or p in self._given for p in low.split("-") if len(p) > 2)

    def _is_diminutive(self, low: str) -> bool:
        """A pet form of a given name: "Mikey", "Paulie", "Bobby", "Jimmie"."""
        if len(low) < 4:
            return False
        stems: tuple[str, ...]
        if low.endswith("ie"):
            stems = (low[:-2], low[:-1])
        elif low.endswith("y"):
            stems = (low[:-1], low[:-2]) if low.endswith("ey") else (low[:-1],)
        else:
            return False
        for stem in stems:
            if len(stem) >= 3 and (self._is_given(stem) or (stem[-1] == stem[-2] and self._is_given(stem[:-1]))):
                return True
        return False

    def _plain_pet_form(self, tok: Token, low: str) -> bool:
        """A pet form that is also a word ("Mikey") counts mid-sentence only, and only as name + "y"."""
        return not tok.starts_sentence and low.endswith(("ey", "ie")) and len(low) >= 5 and self._is_given(low[:-1])

    def _is_common(self, low: str) -> bool:
        return low in self._common or low in _NOT_NAMES or _clean(low) in self._common

    def _known(self, low: str) -> bool:
        """In some list: an ordinary word, a name, a place or a non-person proper noun."""
        return (
            self._is_common(low)
            or low in self._proper
            or low in self._cities
            or self._is_given(low)
            or self._is_family(low)
        )

    def _cue(self, tokens: list[Token], i: int) -> str:
        """Return "title", "naming", "relation" or "" for what precedes token ``i``."""
        if i == 0:
            return ""
        prev = tokens[i - 1]
        if prev.possessive:
            return ""  # "my client's dob": what follows belongs to the client
        gap = tokens[i].gap.strip().strip("*_~|`")  # Discord markdown: "my client **Dana**"
        if gap not in ("", ".", ",", ":", "-", "("):
            return ""
        if prev.low in _STRONG_TITLES and gap in ("", "."):
            return "title"
        if gap == "." and prev.low not in _STRONG_TITLES:
            return ""
        if prev.low in TITLES and prev.title and gap == "":
            return "title"
        if prev.low in TITLES and gap == "" and self._is_family(tokens[i].low) and not self._is_common(tokens[i].low):
            return "title"  # "judge alvarez", "detective ruiz"
        if prev.low in NAME_INTRO and prev.low != "called":
            return "naming"
        if i >= 2 and prev.low in ("is", "by", "was") and tokens[i - 2].low in ("name", "goes", "named"):
            if tokens[i - 2].low == "goes" and tokens[i].lower and self._is_common(tokens[i].low):
                return ""  # "the week goes by slowly": an ordinary word, not a name
            return "naming"
        if prev.low in RELATIONS or prev.low in NAME_INTRO:
            return "relation"
        if prev.low == "name" and gap == ":":
            return "relation"
        return ""

    def _is_name(self, tokens: list[Token], i: int, known: Collection[str]) -> bool:
        tok = tokens[i]
        low = tok.low
        if tok.upper and not tok.title:
            # A client's initials after a cue: "pt KM", "client RS missed f/u".
            return (
                len(low) <= 3
                and not _ACRONYM_PLURAL.fullmatch(tok.raw)
                and low not in _NOT_NAMES
                and low not in NOT_INITIALS
                and "-" not in low
                and self._cue(tokens, i) in ("relation", "naming")
            )
        if len(low) < 2:
            # An initial after a cue: "my client J.D.", or alone after a title: "Ms. T"
            if not tok.title:
                return False
            cue = self._cue(tokens, i)
            if i + 1 < len(tokens) and tokens[i + 1].gap == ".":
                return cue in ("relation", "naming", "title")
            return (
                cue == "title"
                and tokens[i - 1].low in _STRONG_TITLES
                and (i + 1 >= len(tokens) or not tokens[i + 1].gap.startswith(("-", "'")))
            )
        if low in known:
            return tok.title or not self._is_common(low)
        if low in US_STATES and tok.possessive and (i + 1 >= len(tokens) or tokens[i + 1].low not in _FAMILY):
            return False  # "Georgia's peer certification": the state's, not a person's
        if "-" in low and all(self._is_common(part) for part in low.split("-") if part):
            return False  # "Well-being", "Up-to-Date", "Self-care", "Check-in": a compound of words
        tail = tok.raw.rsplit("-", 1)[-1] if "-" in tok.raw else ""
        if tail and tail.islower() and len(tail) >= 3 and self._is_common(tail):
            return False  # "Buddhist-inspired", "Faith-based", "Peer-led": a compound adjective
        if _ACRONYM_PLURAL.fullmatch(tok.raw):
            return False  # "CEs", "CEUs": acronyms in the plural
        if not self._known(low) and self._word_made_of_words(tok):
            return False  # "trainings", "CrossFit": an ordinary word's plural, a brand made of two words
        cue = self._cue(tokens, i)
        if (
            cue not in ("title", "naming", "relation")
            and not self._is_given(low)
            and not self._is_family(low)
            and _DERIVED.fullmatch(low)
        ):
            return False  # "Supervisee", "Countertransference": a derived English word in no name list
        two_letter = cue == "relation" and tok.lower and len(low) == 2 and low not in FUNCTION_WORDS
        if two_letter and self._is_given(low) and (low not in _NOT_NAMES or low in _THANKS):
            return True  # "my buddy ty", "sponsee jo": a two-letter name right after the relation
        if low in _DRUG_NAMES and cue not in ("title", "relation", "naming"):
            return False  # "molly", "tina", "charlie": drug slang
        if low in _STRONG_TITLES or low in TITLES:
            return False
        if i + 1 < len(tokens) and tokens[i + 1].title and tokens[i + 1].low in _SCHOOLS and tokens[i + 1].gap == " ":
            return False  # "Penn State", "Temple University", "Jefferson College": a school
        if cue == "naming":
            return low not in _NOT_NAMES
        common = self._is_common(low)
        if cue == "title":
            if low in _NOT_NAMES:
                return False  # "Recovery Coach Admin", "Peer Mentor Team"
            strong = tokens[i - 1].low in _STRONG_TITLES
            if not strong and common and not (self._is_given(low) or self._is_family(low)):
                return False  # "Recovery Coach Academy": a title word inside a programme's name
            return tok.title or not common or (strong and low not in _NOT_NAMES)
        if cue == "relation":
            if tok.title:
                return low not in FUNCTION_WORDS and (not common or self._is_given(low))
            if not common and low not in self._proper and len(low) >= 3:
                return True
            return (
                len(low) >= 3
                and tokens[i - 1].low in RELATIONS
                and low not in _ADVERBS
                and (self._is_given(low) or self._is_family(low))
                and low not in _NOT_NAMES
                and low not in PERSON_VERBS
                and low not in SPEECH_VERBS
                and not low.endswith(("ly", "ed", "ing"))
            )  # "our guy manny", "my client rose": a name that is also a word, right after the relation
        if tok.title and not tok.starts_sentence and low in self._namewords:
            return True
        if (
            tok.title
            and low not in self._proper
            and low not in _NOT_NAMES
            and self._is_diminutive(low)
            and (not common or self._plain_pet_form(tok, low))
        ):
            return True
        if common and tok.lower and self._lower_word_name(tokens, i):
            return True
        if (
            i > 0
            and tokens[i - 1].low == "the"
            and i + 1 < len(tokens)
            and tokens[i + 1].title
            and not tokens[i + 1].gap.strip()
            and cue == ""
        ):
            return False  # "the Columbus Recovery Collective": a capitalised modifier inside a proper name
        if tok.title and _IRISH.fullmatch(low) and self._is_family(low):
            return True  # "O'Brien", "D'Angelo": an Irish or Italian surname, never an English word
        if common or low in self._proper:
            if tok.title and low in self._namewords and self._verb_follows(tokens, i, False):
                return True  # "Ray got kicked out": a name-first word at a sentence start, acting
            if tok.title and len(low) <= 3 and self._is_given(low) and self._verb_follows(tokens, i, False):
                return True  # "Al picked up", "Ed called": a short given name that is also an abbreviation
            if tok.title and len(low) <= 3 and self._is_given(low) and self._is_where(tokens, i):
                return True  # "Al is at Brookside", "Ed was back in jail": a short name, then where they are
            if tok.title and tok.starts_sentence and self._is_given(low) and self._pronoun_refers(tokens, i):
                return True  # "Crystal is back at the shelter, she looked exhausted"
            if tok.title and tok.starts_sentence and self._is_given_or_weak(low) and self._acts(tokens, i):
                return True  # "Major missed court", "Journey is back in detox": a word-name doing or being
            if tok.title and self._is_given_or_weak(low) and self._initial_follows(tokens, i):
                return True  # "Mike R. relapsed", "Grace M got her kids back": a name and a surname's initial
            if tok.title and self._is_given(low) and self._list_head(tokens, i):
                return True  # "2. Mike - court Tuesday", "- Pat: no contact": a note about someone, per line
            return tok.title and (self._is_given(low) or low in self._weak_given) and self._person_context(tokens, i)
        if self._is_given(low):
            return tok.title or len(low) >= 3
        if tok.title and self._is_family(low):
            return True
        if tok.title and not tok.starts_sentence and len(low) >= 3 and not self._known(low):
            return True
        if tok.title and tok.possessive and len(low) >= 3 and not self._known(low):
            return i + 1 < len(tokens) and tokens[i + 1].low in _FAMILY  # "Priyanka's mom is worried"
        return tok.title and len(low) >= 3 and not self._known(low) and self._verb_follows(tokens, i, True)

    def _lower_word_name(self, tokens: list[Token], i: int) -> bool:
        """A lower-case given name that is also a word, acting or owning: "mark texted", "mark's sister"."""
        tok = tokens[i]
        low = tok.low
        if len(low) < 3 or low in _NOT_NAMES or not self._is_given(low) or i + 1 >= len(tokens):
            return False
        if i > 0 and (tokens[i - 1].low in _DETERMINERS or tokens[i - 1].possessive):
            return False  # "the mark said", "her faith feels"
        nxt = tokens[i + 1]
        if nxt.gap.strip():
            return False
        return nxt.low in SPEECH_VERBS or nxt.low in _ACTS or (tok.possessive and nxt.low in _KIN)

    def _word_made_of_words(self, tok: Token) -> bool:
        """A plural of an ordinary word in lower case ("trainings"), or two in CamelCase ("CrossFit").

        Capitalised unknown words stay names: "Hardcastle" or "Akins" may be anyone's.
        """
        common = self._common
        low = tok.low
        if tok.lower:
            return low.endswith("s") and (low[:-1] in common or (low.endswith("es") and low[:-2] in common))
        inner = [k for k in range(2, len(tok.raw) - 1) if tok.raw[k].isupper()]
        return len(inner) == 1 and low[: inner[0]] in common and low[inner[0] :] in common

    @staticmethod
    def _acts(tokens: list[Token], i: int) -> bool:
        """A person's act or state right after the word: "missed", "relapsed", "is back", "is doing"."""
        if i + 1 >= len(tokens) or tokens[i + 1].gap.strip():
            return False
        nxt = tokens[i + 1].low
        if nxt in _ACTS or (nxt in SPEECH_VERBS and nxt not in _FEELS):
            return True  # not "Hope feels far away", "Faith wants patience": an abstract noun can feel
        return (
            nxt in ("is", "was")
            and i + 2 < len(tokens)
            and not tokens[i + 2].gap.strip()
            and tokens[i + 2].low in ("back", "staying", "sober", "clean", "using", "missing", "doing", "at")
        )

    @staticmethod
    def _is_where(tokens: list[Token], i: int) -> bool:
        """After "is" or "was", a word of place or state: "Al is at Brookside", "Bo was back using"."""
        if i + 2 >= len(tokens) or tokens[i + 1].gap.strip() or tokens[i + 2].gap.strip():
            return False
        return tokens[i + 1].low in ("is", "was", "s") and tokens[i + 2].low in _WHERE

    @staticmethod
    def _pronoun_refers(tokens: list[Token], i: int) -> bool:
        """A sentence-start word-name that acts ("is", "missed") and, later, "she" or "he" referring back."""
        if i + 1 >= len(tokens) or tokens[i + 1].gap.strip():
            return False
        nxt = tokens[i + 1].low
        if nxt not in ("is", "was", "has", "had") and nxt not in SPEECH_VERBS and nxt not in _ACTS:
            return False  # "Bill came due and he panicked": a bill, not Bill
        for k in range(i + 2, min(len(tokens), i + 16)):
            if tokens[k].low in ("she", "he", "shes", "hes", "she's", "he's", "her", "his", "him"):
                return True
        return False

    @staticmethod
    def _initial_follows(tokens: list[Token], i: int) -> bool:
        """One capital letter follows ("Mike R.", "Mike R relapsed"); not "I", "A", "O" or chat's "U"."""
        if i + 1 >= len(tokens):
            return False
        nxt = tokens[i + 1]
        if nxt.gap != " " or len(nxt.raw) != 1 or not nxt.raw.isupper() or nxt.raw in ("I", "A", "O", "U"):
            return False
        if i + 2 >= len(tokens):
            return True
        after = tokens[i + 2]
        return after.gap.startswith(".") or after.lower or after.gap.strip()[:1] in ("-", "–", ":", ",")

    @staticmethod
    def _list_head(tokens: list[Token], i: int) -> bool:
        """The first word of a list item, then a dash or colon: "2. Mike - court", "- Pat: no contact"."""
        line = tokens[i].gap.rsplit("\n", 1)[-1]
        if not (i == 0 or "\n" in tokens[i].gap) or not _LIST_MARK.fullmatch(line):
            return False
        return i + 1 < len(tokens) and tokens[i + 1].gap.strip()[:1] in ("-", "–", ":")

    def _verb_follows(self, tokens: list[Token], i: int, be: bool) -> bool:
        if i + 1 >= len(tokens) or tokens[i + 1].gap.strip():
            return False
        nxt = tokens[i + 1].low
        return nxt in PERSON_VERBS or (be and nxt in ("is", "was", "has", "had"))

    def _heading_word_follows(self, tokens: list[Token], i: int) -> bool:
        """A capitalised ordinary word follows, as in a title-case heading ("Principles for Peer Workers")."""
        if i + 1 >= len(tokens):
            return False
        nxt = tokens[i + 1]
        return nxt.title and not nxt.gap.strip() and self._is_common(nxt.low) and not self._is_family(nxt.low)

    def _person_context(self, tokens: list[Token], i: int) -> bool:
        """Context that makes a capitalised word-name (Grace, Will) a person."""
        tok = tokens[i]
        if tok.possessive or (
            i + 1 < len(tokens)
            and not tokens[i + 1].gap.strip()
            and tokens[i + 1].low in SPEECH_VERBS
            and not (tok.starts_sentence and tokens[i + 1].low in _FEELS)
        ):
            return True
        before = tokens[i - 1].low if i >= 1 else ""
        check_on = before == "on" and i >= 2 and tokens[i - 2].low in ("check", "checked", "checking", "call")
        if (
            (before in _PERSON_BEFORE or check_on)
            and not tok.starts_sentence
            and not tok.gap.strip()
            and tok.low not in _WEEKDAYS
            and not self._heading_word_follows(tokens, i)
        ):
            return True  # "talked with Sue", "check on Pat"
        if i + 2 < len(tokens) and tokens[i + 1].low == "from" and tokens[i + 2].low in ("the", "my", "our", "group"):
            return True  # "Jan from the morning meeting"
        if i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if nxt.title and not nxt.gap.strip() and self._is_family(nxt.low) and not self._is_common(nxt.low):
                return True
        return False

    def find(
        self, tokens: list[Token], allow: Collection[str], known: Collection[str], text: str = ""
    ) -> list[tuple[int, int]]:
        """Return the (start, end) of every name, adjacent name words merged."""
        n = len(tokens)
        is_name = [False] * n
        for i in range(n):
            if tokens[i].low not in allow and self._is_name(tokens, i, known):
                is_name[i] = True
        # A word-name next to a name, or coordinated with one ("Ana and Grace"), is a name too.
        for i in range(n):
            if is_name[i] or tokens[i].low in allow or tokens[i].low in _NOT_NAMES:
                continue
            if not tokens[i].title:
                if self._lower_given_before_surname(tokens, i, is_name):
                    is_name[i] = True  # "jack kennedy": a given name that is also a word, before a surname
                continue
            low = tokens[i].low
            unknown = not self._known(low) and len(low) >= 3
            if not (self._is_given(low) or self._is_family(low) or unknown or low in self._weak_given):
                continue
            before = i >= 1 and is_name[i - 1] and not tokens[i].gap.strip() and not unknown
            after = (
                i + 1 < n
                and is_name[i + 1]
                and not tokens[i + 1].gap.strip()
                and (
                    self._is_given(low)
                    or low in self._weak_given
                    or unknown
                    or (self._is_family(low) and not self._is_common(low))
                )
            )  # "Zhang Wei": a family name may come first
            coord = i >= 2 and is_name[i - 2] and tokens[i - 1].low in ("and", "or") and self._is_given(low)
            if before or after or coord:
                is_name[i] = True
        self._drop_authors(tokens, is_name, text)
        self._drop_heading_words(tokens, is_name)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < n:
            if not is_name[i]:
                i += 1
                continue
            start, end = tokens[i].start, tokens[i].end
            j = i + 1
            while j < n:
                ext = self._extends(tokens, j, allow)
                if ext == 0 and not (is_name[j] and not tokens[j].gap.strip() and not tokens[j - 1].possessive):
                    break
                ext = max(ext, 1)
                end = tokens[j + ext - 1].end
                j += ext
                if tokens[j - 1].possessive:
                    break
            spans.append((start, end))
            i = j
        return spans

    def _drop_heading_words(self, tokens: list[Token], is_name: list[bool]) -> None:
        """Unmark ordinary words in a Title Case line ("From Addiction to Advocacy: One Peer's Journey")."""
        n = len(tokens)
        first = 0
        while first < n:
            last = first + 1
            while last < n and "\n" not in tokens[last].gap:
                last += 1
            line = range(first, last)
            content = [k for k in line if len(tokens[k].low) >= 4 and tokens[k].low not in FUNCTION_WORDS]
            inner_stop = any(tokens[k].gap.strip()[-1:] in (".", "?", "!") for k in line if k > first)
            if len(content) >= 3 and not inner_stop and sum(tokens[k].title for k in content) >= 0.8 * len(content):
                for k in line:
                    if is_name[k] and self._is_common(tokens[k].low) and not self._is_given(tokens[k].low):
                        is_name[k] = False
            first = last

    def _lower_given_before_surname(self, tokens: list[Token], i: int, is_name: list[bool]) -> bool:
        tok = tokens[i]
        if not tok.lower or i + 1 >= len(tokens) or not is_name[i + 1] or tokens[i + 1].gap.strip():
            return False
        low = tok.low
        return (
            tokens[i + 1].lower
            and len(low) >= 3
            and self._is_given(low)
            and low not in FUNCTION_WORDS
            and low not in PERSON_VERBS
            and low not in SPEECH_VERBS
            and (i == 0 or tokens[i - 1].low not in _ARTICLES)
        )

    def _drop_authors(self, tokens: list[Token], is_name: list[bool], text: str) -> None:
        """Unmark public authors: citations "(Miller & Rollnick, 2013)", "X et al.", "described by X and Y"."""
        n = len(tokens)
        i = 0
        while i < n:
            if not is_name[i]:
                i += 1
                continue
            j = i
            # a run of names joined by "and", "&", "," (citation lists)
            while j + 1 < n and (is_name[j + 1] or (tokens[j + 1].title and not self._is_common(tokens[j + 1].low))):
                j += 1
            while j + 2 < n and tokens[j + 1].low == "and" and tokens[j + 2].title:
                j += 2
            after = tokens[j + 1] if j + 1 < n else None
            cite = _CITE_YEAR.match(text, tokens[j].end)
            window = text[max(0, tokens[i].start - 60) : tokens[i].start]
            in_parens = window.rfind("(") > window.rfind(")")
            year_after = cite is not None and ("(" in cite.group() or in_parens)
            if self._cue(tokens, i) in ("relation", "title", "naming"):
                i = j + 1
                continue  # "my client Dana (2019 intake)": a person, whatever follows
            et_al = after is not None and after.low == "et"
            before_by = (i >= 2 and tokens[i - 1].low == "by" and tokens[i - 2].low in _AUTHOR_VERBS) or (
                i >= 2 and tokens[i - 1].low == "to" and tokens[i - 2].low == "according"
            )
            byline = i >= 1 and tokens[i - 1].low == "by" and (i == 1 or "\n" in tokens[i - 1].gap)
            if year_after or et_al or before_by or byline:
                for k in range(i, j + 1):
                    is_name[k] = False
            i = j + 1

    def _extends(self, tokens: list[Token], j: int, allow: Collection[str]) -> int:
        """How many tokens from ``j`` continue the name before it (0: none)."""
        tok = tokens[j]
        prev = tokens[j - 1]
        if prev.possessive or tok.low in allow:
            return 0
        gap = tok.gap
        initial_gap = len(prev.raw) == 1 and prev.title and gap.strip() == "."
        if gap.strip() and not initial_gap:
            return 0
        if "\n" in gap:
            return 0
        if tok.title and len(tok.raw) == 1:
            return 1  # an initial: "Maria G."
        if tok.low in _PARTICLES and j + 1 < len(tokens) and not tokens[j + 1].gap.strip():
            nxt = tokens[j + 1]
            if nxt.title or (nxt.lower and prev.lower and not self._is_common(nxt.low) and len(nxt.low) >= 3):
                return 2
        if (
            self._is_family(tok.low)
            and tok.low not in _NOT_NAMES_BUT_STATES
            and (
                (tok.title and prev.title)
                or (tok.lower and prev.lower and not self._is_common(tok.low))
                or (tok.lower and prev.lower and tok.low in US_STATES and len(tok.low) > 2)
            )
        ):
            return 1  # "Keisha Washington", "maria young", "keisha washington"
        if (
            tok.lower
            and prev.lower
            and self._is_family(tok.low)
            and self._is_given(prev.low)
            and tok.low not in _NOT_NAMES
            and tok.low not in PERSON_VERBS
            and tok.low not in SPEECH_VERBS
            and len(tok.low) >= 3
            and (j + 1 >= len(tokens) or tokens[j + 1].gap.strip() or tokens[j + 1].low not in _ARTICLES)
        ):
            return 1  # "rachel king at court", "carl burns?": a surname that is also a word, after a given name
        if tok.low in _NOT_NAMES:
            return 0
        if tok.title:
            if self._is_family(tok.low) or self._is_given(tok.low):
                return 1
            return 1 if not self._known(tok.low) and len(tok.low) >= 2 else 0
        if tok.lower and not prev.title and not self._is_common(tok.low):
            known = self._is_family(tok.low) or self._is_given(tok.low)
            return 1 if known or (not self._known(tok.low) and len(tok.low) >= 3) else 0
        return 0
