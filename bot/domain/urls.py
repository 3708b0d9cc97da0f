"""Validate and normalise the web addresses of library resources (pure; no network).

Normalising makes two links to the same page compare equal, so a duplicate is caught:
the scheme and host are lower-cased (an international host becomes punycode), a default port
(80 for http, 443 for https) is dropped, an empty path becomes ``/`` and a trailing slash after a
path is removed, tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_eid`` …) are removed,
the remaining query parameters are sorted by name (order rarely means anything, and sorting catches
more duplicates), percent-escapes are upper-cased, and the fragment is dropped.
Only ``http`` and ``https`` are accepted; credentials in a link are refused.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

import idna

from bot.domain.errors import HarborError

URL_MAX = 512
ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_eid",
        "mc_cid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "vero_id",
        "vero_conv",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_cid",
        "ef_id",
        "_ga",
        "_gl",
    }
)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"\\^`{|}]")


class UrlError(HarborError, ValueError):
    """The text is not an acceptable web address; the message says why and gives an example."""


def _fail(reason: str) -> UrlError:
    return UrlError(f"{reason} — give a full web address such as https://example.org/guide")


def _scripts(label: str) -> set[str]:
    """The alphabets a label's letters come from ("LATIN", "CYRILLIC", …), by Unicode character name."""
    return {unicodedata.name(ch, "?").split()[0] for ch in label if ch.isalpha()}


def _idna(host: str) -> str:
    """IDNA 2008 (with UTS #46 mapping): `straße.de` stays itself, not the IDNA 2003 `strasse.de`."""
    for label in host.split("."):
        if not label.isascii() and len(_scripts(label)) > 1:
            raise _fail("the address mixes alphabets in one part of its host name, a common way to imitate a site")
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise _fail("the address has a host name that cannot be written in ASCII") from None


def _host(raw: str) -> str:
    host = raw.lower().rstrip(".")
    if host.startswith("["):
        try:
            return "[" + ipaddress.IPv6Address(host[1:-1]).compressed + "]"
        except ValueError:
            raise _fail("the address has a malformed IPv6 host") from None
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        pass
    else:
        return host
    if not host.isascii():
        host = _idna(host)
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise _fail("the address has no valid host name")
    if not _TLD.match(labels[-1]):
        raise _fail("the address has no valid top-level domain")
    return host


def _query(raw: str) -> str:
    kept = []
    for part in raw.split("&"):
        if not part:
            continue
        name = unquote(part.split("=", 1)[0]).lower()
        if name.startswith("utm_") or name in TRACKING_PARAMS:
            continue
        kept.append(part)
    kept.sort(key=lambda p: p.split("=", 1)[0])
    return "&".join(kept)


def normalise_url(text: str) -> str:
    """The canonical form of a http(s) address, or `UrlError` saying what is wrong."""
    value = (text or "").strip()
    if not value:
        raise _fail("the address is empty")
    if len(value) > URL_MAX:
        raise _fail(f"the address is longer than {URL_MAX} characters")
    if _FORBIDDEN.search(value):
        raise _fail("the address contains spaces or characters that are not allowed in a link")
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in ALLOWED_SCHEMES:
        if scheme and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
            raise _fail(f"only http and https links are accepted, not {scheme}:")
        raise _fail("that is not a web address")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise _fail("the address has an invalid host or port") from None
    if not value[len(scheme) + 1 :].startswith("//") or not parts.hostname:
        raise _fail("the address has no host")
    if parts.username is not None or parts.password is not None:
        raise _fail("links with a user name or password are not accepted")
    host = _host(parts.hostname if not parts.netloc.split("@")[-1].startswith("[") else "[" + parts.hostname + "]")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _ESCAPE.sub(lambda m: m.group(0).upper(), parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = _ESCAPE.sub(lambda m: m.group(0).upper(), _query(parts.query))
    return urlunsplit((scheme, netloc, path, query, ""))
