"""Host names follow IDNA 2008: a German sharp s or an umlaut keeps its own domain; mixed alphabets are refused."""

import pytest

from bot.domain.errors import HarborError
from bot.domain.urls import UrlError, normalise_url


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("https://straße.de/x", "xn--strae-oqa.de"),
        ("https://bücher.example/", "xn--bcher-kva.example"),
        ("https://BÜCHER.example/", "xn--bcher-kva.example"),
        ("https://пример.рф/", "xn--e1afmkfd.xn--p1ai"),
    ],
)
def test_idna_2008_hosts(text, host):
    assert f"//{host}" in normalise_url(text)


def test_sharp_s_is_not_folded_into_another_domain():
    assert normalise_url("https://straße.de/x") != normalise_url("https://strasse.de/x")


def test_mixed_script_host_is_refused_with_a_reason():
    with pytest.raises(UrlError, match="mixes alphabets") as info:
        normalise_url("https://p\u0430ypal.com/login")  # a Cyrillic 'а' among Latin letters
    assert isinstance(info.value, HarborError)


def test_case_and_trailing_slash_still_make_duplicates():
    assert normalise_url("HTTPS://Example.COM/") == normalise_url("https://example.com")
