"""Figures on the hand-written probe set (``tests/data/scanner/probe.jsonl``).

The probe set was written by hand, not from the generator's templates: terse mobile chat, run-ons,
shorthand (pt, hx, f/u, w/), lower case, emoji, Pennsylvania hospital systems, treatment programmes,
county jails and SCIs, routes, initials, and about half clean hard negatives. Any person's name counts
as NAME, a colleague's included. The scanner's general rules were tuned while looking at it, so these
are in-sample figures: the floors guard against regressions and sit at the PRODUCT.md targets where
they are reached, a little under what was measured elsewhere. Still missed: lower-case towns that are
ordinary words ("near reading", "in butler"), two-letter names and initials without a cue ("call Ty
back", "court for JD"), a name that is also drug slang ("til crystal finishes rehab"), and a name known
only as a word at a sentence start ("Dre's IP address").
"""

import pytest

from bot.privacy.metrics import Scores

from .conftest import load_split, score_split

STRICT_KINDS = ["PHONE", "EMAIL", "URL", "IP", "SSN", "DATE", "AGE", "ID", "ADDRESS", "HANDLE"]


@pytest.fixture(scope="module")
def scores(scanner) -> Scores:
    return score_split(scanner, "probe")


def test_probe_shape():
    rows = load_split("probe")
    assert 140 <= len(rows) <= 200
    phi = sum(r["phi"] for r in rows)
    assert abs(phi - len(rows) / 2) <= len(rows) * 0.1
    assert sum(r["lower"] for r in rows) >= 0.15 * len(rows)
    for r in rows:
        assert r["phi"] == bool(r["spans"])
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["text"]


@pytest.mark.parametrize("kind", STRICT_KINDS)
def test_probe_recall_strict_kinds(scores, kind):
    # 100 % measured on every one (few gold spans of EMAIL, IP, SSN: weak evidence on their own).
    assert scores.recall(kind) >= 0.98, (kind, scores.recall(kind), scores.misses)


def test_probe_recall_facility(scores):
    assert scores.recall("FACILITY") >= 0.95, scores.misses  # measured 1.00; target 0.85


def test_probe_recall_geo(scores):
    assert scores.recall("GEO") >= 0.85, scores.misses  # measured 0.90 (19/21); target 0.85


def test_probe_name_recall(scores):
    assert scores.recall("NAME") >= 0.92, scores.misses  # measured 0.95
    assert scores.name_recall(lower=False) >= 0.90  # measured 0.94; target 0.90
    assert scores.name_recall(lower=True) >= 0.90  # measured 1.00; target 0.80


def test_probe_messages_held_and_redacted(scores):
    assert scores.held_rate >= 0.99  # measured 1.00
    assert scores.redacted_rate >= 0.90  # measured 0.93


def test_probe_clean_messages_rarely_held(scores):
    assert scores.false_hold_rate <= 0.03, scores.false_alarms  # measured 0.00; target 0.05


def test_probe_span_precision(scores):
    assert scores.span_precision >= 0.95, scores.false_alarms  # measured 1.00; target 0.90


# The general mechanisms added for the probe set, on sentences that are not in it.
MECHANISMS = [
    ("pt CJ back in at the ER", "NAME", "CJ"),  # initials after a cue
    ("client (KT) dropped out of IOP", "NAME", "KT"),
    ("transport for A.L. to detox", "NAME", "A.L."),  # dotted initials anywhere
    ("called Ms. K back", "NAME", "K"),  # a lone initial after a title
    ("we drove Stevie to intake", "NAME", "Stevie"),  # pet forms of given names
    ("Jonny got a bed", "NAME", "Jonny"),
    ("Ray got his 30 day chip", "NAME", "Ray"),  # a name-first word at a sentence start, acting
    ("back in at UPMC Shadyside, 2nd admit this wk", "FACILITY", "UPMC Shadyside"),  # brand + campus
    ("he's at Geisinger Wyoming Valley til monday", "FACILITY", "Geisinger Wyoming Valley"),
    ("got her into Gaudenzia House", "FACILITY", "Gaudenzia House"),
    ("at the Jefferson Torresdale ER all night", "FACILITY", "Jefferson Torresdale ER"),
    ("brought him to Temple last night", "FACILITY", "Temple"),  # a word-brand after a cue
    ("saw him at the Salvation Army Harbor Light", "FACILITY", "Salvation Army Harbor Light"),
    ("outta upmc presby again", "FACILITY", "upmc presby"),
    ("she stays off Rte 611 near the Wawa", "ADDRESS", "Rte 611"),  # numbered roads
    ("pt lives on State Route 981", "ADDRESS", "State Route 981"),
    ("plan # MA 1234567890", "ID", "1234567890"),
    ("her MA # is 8100234567", "ID", "8100234567"),  # a cued record number shaped like a phone
    ("intake is around the 21st", "DATE", "21st"),
    ("she moved up to the Wyoming Valley", "GEO", "Wyoming Valley"),  # "<Proper> Valley" regions
    ("she starts at the Erie office monday", "GEO", "Erie"),  # a town that is a given name, before "office"
]

NEAR_MISSES = [
    "going to the Penn State game sat",
    "she did her MSW at Temple University",
    "I.O.P. starts at 9 in the U.S. office",
    "pt NKA, AMA d/c last night",
    "Family Services called back Friday",
    "pt AA meeting tonight, client NA sponsor",
    "my body is a temple lol",
    "we moved to Penn Hills last year, love it",
    "route 1/2 of the dose at 9:30",
    "back around the 3rd time this year",
    "The Valley group meets Tues",
    "Anyone else find step 9 amends way harder than expected?",
    "day 12 park walk was great",
]


def test_a_counted_number_does_not_hide_the_street_after_it(scanner):
    found = [(f.kind, f.text) for f in scanner.scan("Step 4 of 12 Main Street").findings]
    assert found == [("ADDRESS", "12 Main Street")]


@pytest.mark.parametrize(("text", "kind", "fragment"), MECHANISMS)
def test_mechanism_found(scanner, text, kind, fragment):
    found = [(f.kind, f.text) for f in scanner.scan(text).findings]
    assert (kind, fragment) in found, found


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_mechanism_near_miss(scanner, text):
    kinds = {f.kind for f in scanner.scan(text).findings}
    assert not kinds & {"NAME", "FACILITY", "ADDRESS", "DATE"}, scanner.scan(text).findings
