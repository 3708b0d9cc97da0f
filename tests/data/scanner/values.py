"""Identifier values and neutral fillers for the scanner corpus (dev-time; needs Faker).

Every generator takes a ``random.Random`` and returns either a plain string (a filler, not an
identifier) or a list of ``(text, kind | None)`` pieces, so titles and glue words stay outside gold spans.
"""

from __future__ import annotations

import random

from faker import Faker

LOCALES = [
    "en_US",
    "en_US",
    "en_US",
    "es_MX",
    "es_ES",
    "pt_BR",
    "fr_FR",
    "de_DE",
    "it_IT",
    "pl_PL",
    "en_IN",
    "en_NG",
    "en_KE",
    "en_PK",
    "yo_NG",
    "vi_VN",
    "tr_TR",
    "ga_IE",
    "nl_NL",
    "sv_SE",
    "en_GB",
    "ro_RO",
    "cs_CZ",
    "id_ID",
]
_FAKERS: dict[str, Faker] = {}


def faker(loc: str, seed: int) -> Faker:
    """One seeded Faker per locale (romanised locales only)."""
    if loc not in _FAKERS:
        fk = Faker(loc)
        fk.seed_instance(seed)
        _FAKERS[loc] = fk
    return _FAKERS[loc]


Piece = tuple[str, str | None]


def _person(rng: random.Random) -> tuple[str, str]:
    for _ in range(20):
        fk = faker(rng.choice(LOCALES), 7)
        first, last = fk.first_name(), fk.last_name()
        if (first.isascii() or rng.random() < 0.6) and len(first.lower()) == len(first) and " " not in first:
            return first, last
    return "Dana", "Ruiz"


def name_full(rng: random.Random) -> list[Piece]:
    first, last = _person(rng)
    return [(f"{first} {last}", "NAME")]


def name_first(rng: random.Random) -> list[Piece]:
    return [(_person(rng)[0], "NAME")]


def name_initial(rng: random.Random) -> list[Piece]:
    first, last = _person(rng)
    return [(f"{first} {last[0]}.", "NAME")]


def name_titled(rng: random.Random) -> list[Piece]:
    title = rng.choice(["Mr. ", "Ms. ", "Mrs. ", "Mr ", "Ms ", "Dr. "])
    return [(title, None), (_person(rng)[1], "NAME")]


def name_any(rng: random.Random) -> list[Piece]:
    return rng.choice([name_full, name_first, name_first, name_initial, name_titled])(rng)


def date(rng: random.Random) -> list[Piece]:
    m, d, y = rng.randint(1, 12), rng.randint(1, 28), rng.randint(1940, 2025)
    month = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][m - 1]
    sfx = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
    forms = [
        f"{m}/{d}",
        f"{m}/{d}/{y}",
        f"{m:02d}/{d:02d}/{y % 100:02d}",
        f"{month} {d}",
        f"{month} {d}{sfx}",
        f"{month[:3]} {d}",
        f"{month} {d}, {y}",
        f"{d} {month}",
        f"{y}-{m:02d}-{d:02d}",
        f"{m}-{d}-{y}",
        f"{month} {y}",
        f"{d}{sfx} of {month}",
    ]
    return [(rng.choice(forms), "DATE")]


def age(rng: random.Random) -> list[Piece]:
    a = rng.randint(90, 104)
    return rng.choice(
        [
            [(f"{a}", "AGE"), (" years old", None)],
            [(f"{a}-year-old", "AGE")],
            [(f"{a} years old", "AGE")],
            [("age ", None), (f"{a}", "AGE")],
            [(f"{a}", "AGE")],
            [(f"{a}yo", "AGE")],
        ]
    )


def phone(rng: random.Random) -> list[Piece]:
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
    while str(a) in ("800", "888", "877", "866", "855", "844", "833"):
        a += 1
    return [
        (
            rng.choice(
                [
                    f"({a}) {b}-{c:04d}",
                    f"{a}-{b}-{c:04d}",
                    f"{a}.{b}.{c:04d}",
                    f"{a}{b}{c:04d}",
                    f"+1 {a} {b} {c:04d}",
                    f"1-{a}-{b}-{c:04d}",
                    f"{b}-{c:04d}",
                ]
            ),
            "PHONE",
        )
    ]


def email(rng: random.Random) -> list[Piece]:
    fk = faker(rng.choice(LOCALES[:12]), 11)
    return [(rng.choice([fk.email(), fk.free_email(), fk.company_email()]), "EMAIL")]


def url(rng: random.Random) -> list[Piece]:
    fk = faker("en_US", 13)
    user = fk.user_name()
    return [
        (
            rng.choice(
                [
                    f"facebook.com/{user}",
                    f"https://www.gofundme.com/f/help-{user}",
                    fk.url() + user,
                    f"www.instagram.com/{user}",
                    f"https://tinyurl.com/{fk.lexify('????##')}",
                    f"http://{fk.domain_name()}/{user}",
                ]
            ),
            "URL",
        )
    ]


def ip(rng: random.Random) -> list[Piece]:
    fk = faker("en_US", 17)
    return [(fk.ipv4() if rng.random() < 0.85 else fk.ipv6(), "IP")]


def ssn(rng: random.Random) -> list[Piece]:
    a, b, c = rng.randint(100, 899), rng.randint(10, 99), rng.randint(1000, 9999)
    return rng.choice(
        [
            [(f"{a}-{b}-{c}", "SSN")],
            [("SSN ", None), (f"{a}{b}{c}", "SSN")],
            [("social ", None), (f"{a} {b} {c}", "SSN")],
        ]
    )


def ident(rng: random.Random) -> list[Piece]:
    fk = faker("en_US", 19)
    cue, value = rng.choice(
        [
            ("MRN ", fk.numerify("######")),
            ("MRN: ", fk.numerify("########")),
            ("case # ", fk.bothify("??-####-###").upper()),
            ("Medicaid ID ", fk.bothify("??########").upper()),
            ("inmate #", fk.numerify("#######")),
            ("record number ", fk.numerify("#####")),
            ("account ", fk.numerify("########")),
            ("docket ", fk.bothify("CP-##-CR-#######")),
            ("", fk.bothify("??#####").upper()),
            ("member id ", fk.bothify("???#########").upper()),
            ("booking no. ", fk.numerify("2024#####")),
            ("", fk.bothify("#?#?#?").upper()),
        ]
    )
    return [(cue, None), (value, "ID")] if cue else [(value, "ID")]


STREETS = [
    "Maple",
    "Elm",
    "Oak",
    "Cedar",
    "Walnut",
    "Frankford",
    "Kensington",
    "Allegheny",
    "Lehigh",
    "Main",
    "Broad",
    "Market",
    "Germantown",
    "Front",
    "Wyoming",
    "Huntingdon",
    "Cambria",
    "Orthodox",
    "Hazel",
    "Birch",
    "Lincoln",
    "Washington",
    "Jefferson",
    "Spruce",
    "Pine",
    "Chestnut",
    "Ridge",
    "Mill",
]
SUFFIXES = ["St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Lane", "Dr", "Drive", "Ct", "Way", "Pike", "St."]


def address(rng: random.Random) -> list[Piece]:
    fk = faker("en_US", 23)
    n = rng.randint(1, 9999)
    street = rng.choice([*STREETS, fk.last_name(), f"{rng.randint(2, 60)}th", f"N {rng.randint(2, 9)}th"])
    base = f"{n} {street} {rng.choice(SUFFIXES)}"
    if rng.random() < 0.25:
        base += rng.choice(
            [
                f" Apt {rng.randint(1, 20)}{rng.choice('ABCD')}",
                f", Unit {rng.randint(1, 300)}",
                f" #{rng.randint(1, 40)}",
            ]
        )
    if rng.random() < 0.15:
        base = fk.street_address()
    return [(base, "ADDRESS")]


def street(rng: random.Random) -> list[Piece]:
    return [(f"{rng.choice(STREETS)} {rng.choice(SUFFIXES)}", "ADDRESS")]


CITIES = [
    "Scranton",
    "Allentown",
    "Reading",
    "Norristown",
    "Pottstown",
    "Levittown",
    "Camden",
    "Chester",
    "Wilkes-Barre",
    "Harrisburg",
    "Altoona",
    "Bethlehem",
    "Lancaster",
    "York",
    "Erie",
    "Hazleton",
    "Baltimore",
    "Trenton",
    "Newark",
    "Dayton",
    "Akron",
    "Toledo",
    "Huntington",
    "Charleston",
    "Louisville",
    "Lexington",
    "Knoxville",
    "Asheville",
    "Fresno",
    "Bakersfield",
    "Tucson",
    "Albuquerque",
    "Spokane",
    "Boise",
    "Tacoma",
    "Portland",
    "Worcester",
    "Lowell",
    "Fall River",
    "New Bedford",
    "Springfield",
    "Providence",
    "Bridgeport",
    "New Haven",
    "Syracuse",
    "Rochester",
    "Buffalo",
    "Utica",
    "Gary",
    "Flint",
    "Kalamazoo",
    "Green Bay",
    "Duluth",
    "Sioux Falls",
    "Wichita",
    "Tulsa",
    "Little Rock",
    "Shreveport",
    "Biloxi",
    "Mobile",
    "Macon",
    "Savannah",
    "Gainesville",
    "Ocala",
    "Orlando",
    "St. Louis",
    "Kansas City",
    "Las Cruces",
    "El Paso",
    "San Antonio",
    "Corpus Christi",
    "Chula Vista",
    "Oakland",
]


def city(rng: random.Random) -> list[Piece]:
    if rng.random() < 0.2:
        return [(faker("en_US", 29).city(), "GEO")]
    return [(rng.choice(CITIES), "GEO")]


def county(rng: random.Random) -> list[Piece]:
    return [
        (
            rng.choice(
                [
                    "Bucks",
                    "Luzerne",
                    "Lackawanna",
                    "Delaware",
                    "Montgomery",
                    "Berks",
                    "Cook",
                    "Wayne",
                    "Franklin",
                    "Jefferson",
                    "Kanawha",
                    "Cabell",
                    "Ocean",
                    "Camden",
                    "Dauphin",
                    "Erie",
                    "Allegheny",
                    "Westmoreland",
                    "Fayette",
                    "Cambria",
                    "Harris",
                    "Maricopa",
                    "Summit",
                ]
            )
            + " County",
            "GEO",
        )
    ]


def zipcode(rng: random.Random) -> list[Piece]:
    return (
        [("zip ", None), (f"{rng.randint(10000, 99950)}", "GEO")]
        if rng.random() < 0.5
        else [(f"{rng.randint(10000, 99950)}", "GEO")]
    )


_FAC_WORDS = [
    "Gateway",
    "New Beginnings",
    "Serenity",
    "Sunrise",
    "Keystone",
    "Clearbrook",
    "Pyramid",
    "White Deer Run",
    "Mirmont",
    "Malvern",
    "Roxbury",
    "Eagleville",
    "Fairmount",
    "Kirkbride",
    "Penn Presbyterian",
    "Lankenau",
    "Temple",
    "Jefferson",
    "Riverside",
    "Harmony",
    "Blue Ridge",
    "Lakeview",
    "Cedar Hill",
    "Bright Path",
    "Turning Point",
    "Crossroads",
]


def facility(rng: random.Random) -> list[Piece]:
    word = rng.choice(_FAC_WORDS)
    saint = rng.choice(["Mary", "Luke", "Joseph", "Christopher", "Vincent", "Francis", "Agnes", "Jude"])
    return [
        (
            rng.choice(
                [
                    f"{word} Rehab",
                    f"{word} Recovery Center",
                    f"{word} Treatment Center",
                    f"{word} Hospital",
                    f"{word} Medical Center",
                    f"{word} House",
                    f"St. {saint}'s",
                    f"Saint {saint}'s Hospital",
                    f"{rng.choice(['Cook', 'Bucks', 'Luzerne', 'Berks'])} County Jail",
                    f"{word} Behavioral Health",
                    f"{word} Detox",
                    f"{word} Shelter",
                    f"{word} Correctional Facility",
                ]
            ),
            "FACILITY",
        )
    ]


def handle(rng: random.Random) -> list[Piece]:
    fk = faker("en_US", 31)
    user = fk.user_name()
    return rng.choice(
        [
            [(f"@{user}", "HANDLE")],
            [("ig: ", None), (user, "HANDLE")],
            [("snap ", None), (f"{user}{rng.randint(1, 99)}", "HANDLE")],
            [("insta is ", None), (f"@{user}", "HANDLE")],
            [("tiktok @", None), (user, "HANDLE")],
        ]
    )


# ---- neutral fillers (never identifiers) ----
DRUGS = [
    "suboxone",
    "Suboxone",
    "subs",
    "bupe",
    "Vivitrol",
    "methadone",
    "Sublocade",
    "fent",
    "dope",
    "tina",
    "Tina",
    "crystal",
    "ice",
    "percs",
    "xanax",
    "benzos",
    "kratom",
    "Narcan",
    "naloxone",
    "molly",
    "gabapentin",
    "tranq",
    "boy",
    "girl",
    "lean",
    "pills",
    "the bottle",
    "weed",
    "crack",
]
GROUPS = [
    "AA",
    "NA",
    "SMART",
    "IOP",
    "Celebrate Recovery",
    "Al-Anon",
    "Recovery Dharma",
    "CA",
    "PHP",
    "MAT",
    "Refuge Recovery",
    "LifeRing",
    "the Wednesday night NA group",
    "a SMART meeting",
]
WORDS = ["Hope", "Grace", "Will", "Faith", "May", "Bill", "Joy", "Mark", "Rose", "Dawn", "Chance", "Frank"]


def filler(kind: str, rng: random.Random) -> str:
    """A neutral value of the named sort."""
    match kind:
        case "drug":
            return rng.choice(DRUGS)
        case "dose":
            return rng.choice(
                [
                    "8mg",
                    "16 mg",
                    "2mg",
                    "12mg",
                    "300mg",
                    "4 mg",
                    "half a strip",
                    "1/2 a strip",
                    "380mg shot",
                    "24mg",
                    "100 mcg",
                ]
            )
        case "time":
            return rng.choice(["3pm", "10am", "7:30", "noon", "6 pm", "9:15am", "8ish", "19:00"])
        case "days":
            return rng.choice(
                [
                    "day 90",
                    "90 days",
                    "30 days",
                    "day 12",
                    "18 months",
                    "2 years",
                    "6 weeks",
                    "a year",
                    "72 hours",
                    "day 400",
                    "11 months",
                ]
            )
        case "step":
            return rng.choice(["step 4", "Step 9", "steps 1-3", "the 12th step", "step work", "step 3"])
        case "agey":
            return str(rng.choice([19, 22, 24, 27, 31, 34, 38, 41, 45, 52, 57, 63, 68, 71, 77, 84, 89]))
        case "group":
            return rng.choice(GROUPS)
        case "word":
            return rng.choice(WORDS)
        case "count":
            return str(rng.choice([2, 3, 4, 5, 6, 10, 12, 15, 20, 45]))
        case "money":
            return rng.choice(["$40", "$250", "$1,200", "$15", "40 bucks"])
        case "weekday":
            return rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
        case "year":
            return str(rng.choice([2019, 2020, 2021, 2022, 2023, 2024]))
        case "state":
            return rng.choice(["PA", "Pennsylvania", "Ohio", "NJ", "West Virginia", "Kentucky", "Maryland"])
    raise ValueError(kind)


GENERATORS = {
    "NAME": name_any,
    "FULL": name_full,
    "FIRST": name_first,
    "TNAME": name_titled,
    "DATE": date,
    "AGE": age,
    "PHONE": phone,
    "EMAIL": email,
    "URL": url,
    "IP": ip,
    "SSN": ssn,
    "ID": ident,
    "ADDRESS": address,
    "STREET": street,
    "CITY": city,
    "COUNTY": county,
    "ZIP": zipcode,
    "FACILITY": facility,
    "HANDLE": handle,
}
