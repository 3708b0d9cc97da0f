"""Load the scanner's word lists from package data (gzip text, one lower-case entry per line)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _load(name: str) -> frozenset[str]:
    blob = resources.files("bot.privacy").joinpath(f"data/{name}.txt.gz").read_bytes()
    return frozenset(gzip.decompress(blob).decode("utf-8").split("\n")) - {""}


def _norm_place(name: str) -> str:
    return " ".join(name.replace(".", " ").replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class WordLists:
    """The immutable word lists one :class:`~bot.privacy.Scanner` shares between all its calls.

    Attributes:
        given: given names (US Census 1990 and Faker's locale lists).
        family: family names (US Census 1990 top 40,000 and Faker's locale lists).
        common: ordinary English words, names that are mostly names removed.
        proper: proper nouns that are not person names (brands, holidays, countries).
        namewords: frequent given names that are also words; names when capitalised mid-sentence.
        weak_given: given names from Faker's lists that are also English words; names beside a surname.
        cities: US places (GeoNames, population ≥ 1,000), normalised to spaced lower case.
        counties: US county names without the word "County".
        city_max_words: the longest city name, in words.
    """

    given: frozenset[str]
    family: frozenset[str]
    common: frozenset[str]
    proper: frozenset[str]
    namewords: frozenset[str]
    weak_given: frozenset[str]
    cities: frozenset[str]
    counties: frozenset[str]
    city_max_words: int

    @classmethod
    def load(cls) -> WordLists:
        """The lists from the package data, read once per process (they are immutable, so one copy is shared)."""
        return _shared()


@cache
def _shared() -> WordLists:
    """Read every list from the package data; takes about 100 ms, so it is done once."""
    cities = frozenset(_norm_place(c) for c in _load("cities"))
    return WordLists(
        given=_load("given"),
        family=_load("family"),
        common=_load("common"),
        proper=_load("proper"),
        namewords=_load("namewords"),
        weak_given=_load("weakgiven"),
        cities=cities,
        counties=frozenset(_norm_place(c) for c in _load("counties")),
        city_max_words=max(len(c.split()) for c in cities),
    )
