"""One test per class of error seen on real writing; sentences written for these tests."""

import pytest


def kinds(scanner, text):
    return [(f.kind, f.text) for f in scanner.scan(text).findings]


@pytest.mark.parametrize(
    "text",
    [
        "You can't ignore it forever.",
        "For instance, the morning group runs long.",
        "She installed the tracker app on her phone.",
        "An ignition interlock is part of the plea.",
        "Snapping at staff is a sign he is tired.",
    ],
)
def test_cue_inside_a_longer_word_is_not_a_handle(scanner, text):
    assert kinds(scanner, text) == []


def test_cue_then_ordinary_word_is_not_a_name(scanner):
    assert kinds(scanner, "The afternoon goes by slowly on weekends.") == []


@pytest.mark.parametrize(
    "text", ["Well-being check for Friday", "Self-care ideas:", "Check-in thread", "Up-to-Date links"]
)
def test_hyphenated_common_compounds_are_not_names(scanner, text):
    assert kinds(scanner, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Taking another entry-level behavioral health job was the right move.",
        "I passed the Certified Behavioral Health Peer Support Specialist exam!",
    ],
)
def test_facility_phrase_does_not_swallow_words_or_credentials(scanner, text):
    assert kinds(scanner, text) == []


def test_facility_with_a_name_is_still_found(scanner):
    assert ("FACILITY", "Sunrise Behavioral Health") in kinds(scanner, "He went to Sunrise Behavioral Health.")


@pytest.mark.parametrize(
    "text",
    [
        "Read section 42.3.12.1 before the audit.",
        "See 2.4.1.3 in the manual.",
        "Scored 4/9 criteria at the assessment.",
        "The form said 123-00-4567 as an example.",
        "Sample number 666-12-3456 in the training slides.",
        "Never issued: 912-34-5678.",
        "Placeholder 219-09-0000 on the template.",
    ],
)
def test_numbers_that_are_not_identifiers(scanner, text):
    assert kinds(scanner, text) == []


def test_real_numbers_are_still_found(scanner):
    assert [k for k, _ in kinds(scanner, "Her SSN 412-67-9032, laptop 10.0.0.5")] == ["SSN", "IP"]


@pytest.mark.parametrize(
    "text", ["Charlie was all over the clubs back then.", "Molly at festivals is common.", "tina is cheap here"]
)
def test_drug_slang_given_names_are_not_names(scanner, text):
    assert kinds(scanner, text) == []


def test_drug_slang_name_with_relation_is_a_person(scanner):
    assert ("NAME", "Tina") in kinds(scanner, "my friend Tina called")


@pytest.mark.parametrize("text", ["They moved from New Jersey last year.", "We drove to St. Louis."])
def test_states_and_saints_are_not_people(scanner, text):
    assert all(k != "NAME" for k, _ in kinds(scanner, text))


@pytest.mark.parametrize(
    "text",
    [
        "Change talk matters (Miller & Rollnick, 2013).",
        "Miller and Rollnick (2013) describe it well.",
        "As described by Prochaska and DiClemente, change is cyclical.",
        "Smith et al. found similar retention.",
    ],
)
def test_cited_authors_are_not_flagged(scanner, text):
    assert kinds(scanner, text) == []


def test_a_person_with_a_year_after_is_still_a_name(scanner):
    assert ("NAME", "Dana") in kinds(scanner, "my client Dana, 2019 was rough")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Had coffee with Sue after the meeting.", ("NAME", "Sue")),
        ("Jan from the Tuesday group called.", ("NAME", "Jan")),
        ("Can you check on Pat tonight?", ("NAME", "Pat")),
        ("my client Mike missed intake", ("NAME", "Mike")),
        ("Detective Ruiz left a card.", ("NAME", "Ruiz")),
        ("judge alvarez set the date", ("NAME", "alvarez")),
        ("grandma is 103 years old", ("AGE", "103 years old")),
        ("admitted Jun. 3 and left", ("DATE", "Jun. 3")),
        ("since Tuesday the 12th", ("DATE", "Tuesday the 12th")),
        ("find her on TikTok as sober_sam_9", ("HANDLE", "sober_sam_9")),
        ("venmo is jo-ann-77 thanks", ("HANDLE", "jo-ann-77")),
    ],
)
def test_misses_now_found(scanner, text, found):
    assert found in kinds(scanner, text)


def test_reasons_say_why(scanner):
    findings = scanner.scan("my client Mike called from 614-555-2871").findings
    reasons = {f.kind: f.reason for f in findings}
    assert reasons["PHONE"] == "looks like a phone number"
    assert reasons["NAME"] == "a name: 'Mike' after 'my client'"


def test_allow_and_names_still_work(scanner):
    assert scanner.scan("my client Mike called", allow=["mike"]).clean
    assert ("NAME", "zephyrine") in kinds_with_names(scanner, "talked to zephyrine today", ["Zephyrine"])


def kinds_with_names(scanner, text, names):
    return [(f.kind, f.text) for f in scanner.scan(text, names=names).findings]


@pytest.mark.parametrize("text", ["Boundaries for Peer Workers: a primer", "Notes for Sponsor Meetings"])
def test_title_case_headings_are_not_names(scanner, text):
    assert kinds(scanner, text) == []
