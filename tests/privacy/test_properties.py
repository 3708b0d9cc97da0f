"""Properties that hold for any text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.privacy import KINDS, MAX_CHARS

ALPHABET = st.sampled_from([*list("aAzZ019 -./@:#$,()'’\nMs.DrStAveOn"), "é", "ß", "İ", "😀", "\u200b"])
chat = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=ALPHABET, max_size=300),
    st.lists(
        st.sampled_from(
            [
                "Maria",
                "my client",
                "Dr.",
                "on",
                "3/14",
                "215-555-0134",
                "Elm St",
                "@x_1",
                "Gateway",
                "Rehab",
                "County",
                "age",
                "95",
                "MRN",
                "AB12345",
                "in",
                "Scranton",
                "ig:",
                "x@y.com",
                "of",
                "the",
                "Hope",
                "'s",
                ",",
                ".",
                "\n",
                "19104",
                "St.",
                "Mary's",
            ]
        ),
        max_size=40,
    ).map(" ".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=chat)
def test_findings_are_well_formed(scanner, text):
    result = scanner.scan(text)
    limit = min(len(text), MAX_CHARS)
    previous_end = 0
    for f in result.findings:
        assert f.kind in KINDS
        assert 0 <= previous_end <= f.start < f.end <= limit
        assert text[f.start : f.end] == f.text
        previous_end = f.end
    assert result.clean == (not result.findings)
    # The redacted text is the original with each finding replaced by its marker.
    rebuilt, pos = [], 0
    for f in result.findings:
        rebuilt += [text[pos : f.start], f"[{f.kind}]"]
        pos = f.end
    assert result.redacted == "".join(rebuilt) + text[pos:]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=chat, allow=st.lists(st.text(max_size=10), max_size=3), names=st.lists(st.text(max_size=12), max_size=3))
def test_allow_and_names_never_raise(scanner, text, allow, names):
    result = scanner.scan(text, allow=allow, names=names)
    assert all(text[f.start : f.end] == f.text for f in result.findings)
