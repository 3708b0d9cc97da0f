"""Pure library rules: URL normalisation, tags, drafts, CSV, and FTS query escaping (hypothesis)."""

import sqlite3
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.resources import (
    CSV_MAX_ROWS,
    ResourceInputError,
    export_csv,
    parse_csv,
    parse_tags,
    validate,
)
from bot.domain.search import compact, fts_query, title_query, words
from bot.domain.urls import UrlError, normalise_url


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("HTTPS://Example.ORG:443/Guide/", "https://example.org/Guide"),
        ("http://example.org", "http://example.org/"),
        ("http://example.org:80/a/b/", "http://example.org/a/b"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        (
            "https://example.org/a?utm_source=x&b=2&UTM_Medium=y&a=1&fbclid=z&gclid=q&mc_eid=e",
            "https://example.org/a?a=1&b=2",
        ),
        ("https://example.org/a?utm_source=x", "https://example.org/a"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        ("https://example.org/a%2fb", "https://example.org/a%2Fb"),
        ("  https://example.org/x  ", "https://example.org/x"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("http://192.168.0.1/x", "http://192.168.0.1/x"),
        ("http://[2001:db8::1]:8080/", "http://[2001:db8::1]:8080/"),
        ("https://example.org.", "https://example.org/"),
    ],
)
def test_normalise(given_url, expected):
    assert normalise_url(given_url) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "ftp://example.org/",
        "not a url",
        "example.org",
        "https://",
        "http:///path",
        "https://localhost/",
        "https://-bad-.org/",
        "https://user:pw@example.org/",
        "https://example.org:99999/",
        "https://exa mple.org/",
        "http://[::zz]/",
        "",
        "https://example.org/" + "a" * 600,
        "https://example.org/\x00",
    ],
)
def test_refused(bad):
    with pytest.raises(UrlError):
        normalise_url(bad)


@given(st.text(max_size=80))
def test_any_text_is_normalised_or_refused_cleanly(text):
    try:
        result = normalise_url(text)
    except UrlError:
        return
    assert result.startswith(("http://", "https://"))
    assert normalise_url(result) == result


hosts = st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z][a-z0-9]{0,8}){0,2}\.(org|com|net|info)", fullmatch=True)
segments = st.lists(st.from_regex(r"[A-Za-z0-9._~-]{1,8}", fullmatch=True), max_size=4)
params = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "q", "utm_source", "utm_x", "fbclid", "gclid", "mc_eid"]),
        st.from_regex(r"[a-z0-9]{0,5}", fullmatch=True),
    ),
    max_size=5,
)


@settings(max_examples=200)
@given(
    st.sampled_from(["http", "https", "HTTP", "HttpS"]),
    hosts,
    st.booleans(),
    segments,
    st.booleans(),
    params,
    st.text(alphabet="abc-", max_size=5),
)
def test_generated_urls_normalise_idempotently(scheme, host, default_port, path, slash, query, fragment):
    port = {"http": ":80", "https": ":443"}[scheme.lower()] if default_port else ""
    url = f"{scheme}://{host.upper()}{port}/{'/'.join(path)}{'/' if slash else ''}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query)
    if fragment:
        url += "#" + fragment
    result = normalise_url(url)
    assert result == normalise_url(result)
    assert result.startswith(scheme.lower() + "://" + host + "/")
    assert "utm_" not in result and "fbclid" not in result and "gclid" not in result and "#" not in result
    assert ":80/" not in result and ":443/" not in result
    path_part = urlsplit(result).path
    assert path_part == "/" or not path_part.endswith("/")


def test_tags():
    assert parse_tags(" Harm Reduction, #naloxone, naloxone,,  ") == ("harm-reduction", "naloxone")
    assert parse_tags("recuperación") == ("recuperación",)
    for bad in ("", " , ,", "a,b,c,d,e,f,g,h,i,j,k", "x" * 31, "bad!tag", "-lead"):
        with pytest.raises(ResourceInputError):
            parse_tags(bad)


def test_validate_limits_and_cleaning():
    draft = validate("  A   title\x07 ", "https://Example.org/x/", "desc\n", "t")
    assert (draft.title, draft.url, draft.description, draft.tags) == (
        "A title",
        "https://example.org/x",
        "desc",
        ("t",),
    )
    assert validate("t" * 256, "https://e.org", "d" * 1000, "x").title == "t" * 256
    for args in (
        ("t" * 257, "https://e.org", "", "x"),
        ("", "https://e.org", "", "x"),
        ("t", "https://e.org", "d" * 1001, "x"),
        ("t", "javascript:x", "", "x"),
    ):
        with pytest.raises(ResourceInputError):
            validate(*args)


def test_parse_csv_rows_duplicates_and_refusals():
    data = (
        "\ufefftitle,URL,description,tags,extra\n"
        "One,https://e.org/1,,a,ignored\n"
        "\n"
        "Dup,https://E.org/1/?utm_source=x,,a,\n"
        "Bad,ftp://e.org,,a,\n"
        "Short,https://e.org/2\n"
        "'=Formula,https://e.org/3,,a,\n"
    ).encode()
    parsed = parse_csv(data)
    assert [r.row for r in parsed.valid] == [2, 7]
    assert parsed.duplicates_in_file == {4: 2}
    assert [(r.row, "ftp" in (r.error or "")) for r in parsed.refused] == [(5, True), (6, False)]
    assert parsed.valid[1].draft.title == "=Formula"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"title,url\nx,y\n", "must name the columns"),
        (b"", "must name the columns"),
        (b"\xff\xfe\xfa", "not UTF-8"),
        (b"title,url,description,tags\n\x00", "NUL"),
        (b"title,url,description,tags\n" + b"a" * (1024 * 1024), "1 MB"),
        (("title,url,description,tags\n" + "t,https://e.org/x,,a\n" * (CSV_MAX_ROWS + 1)).encode(), "5,000 rows"),
    ],
)
def test_parse_csv_refuses_whole_files(data, says):
    with pytest.raises(ResourceInputError, match=says):
        parse_csv(data)


def test_export_round_trips_through_import():
    when = datetime(2026, 1, 2, tzinfo=UTC)
    body = export_csv(
        [
            (1, "=SUM(A1)", "https://e.org/a", 'two\nlines, "quoted"', ("a", "b"), when),
            (2, "Plain", "https://e.org/b", "", ("c",), None),
        ]
    )
    parsed = parse_csv(body)
    assert [(r.draft.title, r.draft.description, r.draft.tags) for r in parsed.valid] == [
        ("=SUM(A1)", 'two\nlines, "quoted"', ("a", "b")),
        ("Plain", "", ("c",)),
    ]
    assert b"'=SUM(A1)" in body


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, description, tags,"
        " tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    conn.execute("INSERT INTO t VALUES ('Naloxone guide', 'how to respond', 'harm-reduction')")
    yield conn
    conn.close()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "-",
        ":",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        "^",
        "a:b",
        "NEAR(a b)",
        '"unbalanced',
        "x*y",
        "{title}: x",
        "title:naloxone",
        "-x",
        "a AND",
        "😀",
        "\x00",
        "ǅ",
        "١٢٣",
    ],
)
def test_fts_syntax_is_treated_as_words(fts, query):
    match = fts_query(query)
    if match is not None:
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (title_query(query),)).fetchone()


@settings(max_examples=400)
@given(st.text(max_size=60))
def test_any_string_gives_a_query_that_never_errors(fts, text):
    match = fts_query(text)
    assert (match is None) == (not words(text))
    if match is not None:
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (title_query(text),)).fetchone()


def test_prefix_and_words():
    assert fts_query("Nalox guide!") == '"Nalox" "guide"*'  # the last word is a prefix (search as you type)
    assert fts_query("nalox* guide") == '"nalox"* "guide"*'  # a trailing * asks for a prefix anywhere
    assert fts_query("naloxone", prefix=False) == '"naloxone"'
    assert fts_query("a a a") == '"a"'  # one letter is never a prefix
    assert fts_query("the naloxone guide") == '"naloxone" "guide"*'  # function words narrow nothing
    assert fts_query("the") == '"the"*'
    assert fts_query("  --- ") is None
    assert words("harm-reduction 2.0") == ["harm", "reduction", "2", "0"]


@settings(max_examples=300)
@given(st.text(max_size=120), st.integers(min_value=1, max_value=100))
def test_compact_fits_and_keeps_the_search_when_it_fits(text, room):
    small = compact(text, room)
    assert len(small) <= room and ":" not in small
    if len(" ".join(words(text))) + text.count("*") <= room:
        assert fts_query(small) == fts_query(text)
