"""Public mentions are not held; the same shapes tied to a private person still are (sentences written here)."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Our crew: Ana Pereira, Housing Navigator; Jo Baxter, Peer Facilitator.",
        "Sam, our Lead Recovery Coach, will run the Thursday circle.",
        "Please welcome our new program coordinator, Dr. Hal Grady, to the team.",
        "Call the office at 412-555-0177 to book a room for the meeting.",
        "Send flyers to events@northsidepeers.org by the end of the week.",
        "The drop-in center is closed on the 19th for inventory.",
        "Johann Hari's book on connection sparked a long talk in group.",
        "Like Brene Brown puts it, connection is why we are here.",
        "Dr Bob's farewell talk is in the pamphlet rack.",
        "We met at Denny's after the speaker meeting.",
        "Journaling helped me more than I expected this month.",
        "I went back to Narcotics Anonymous after a year away.",
        "She went back to Al-Anon once the holidays were over.",
    ],
)
def test_public_mentions_not_held(scanner, text):
    assert scanner.scan(text).clean, scanner.scan(text).findings


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("My client Omar said to call him at 412-555-0177 after six.", "PHONE", "412-555-0177"),
        ("Her email is odette.r@gmail.com, she's fine with us writing.", "EMAIL", "odette.r@gmail.com"),
        ("She relapsed on the 19th after the custody hearing.", "DATE", "19th"),
        ("Sponsee Marisol went back to Willowbrook last night.", "FACILITY", "Willowbrook"),
        ("Dr. Okonjo switched him to the monthly shot.", "NAME", "Okonjo"),
    ],
)
def test_private_mentions_still_held(scanner, text, kind, value):
    found = [(f.kind, f.text) for f in scanner.scan(text).findings]
    assert (kind, value) in found, found


def test_a_home_named_after_a_person_is_still_held(scanner):
    result = scanner.scan("I'm staying at Mike's place until Friday.")
    assert any(f.start <= 15 < f.end for f in result.findings), result.findings
