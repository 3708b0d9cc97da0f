"""One test per kind: what must be found, and the near misses that must not be."""

import pytest


def kinds_found(scanner, text):
    return [(f.kind, f.text) for f in scanner.scan(text).findings]


POSITIVES = [
    # NAME
    ("my client Dana Ruiz relapsed", "NAME", "Dana Ruiz"),
    ("Talked with Keisha Washington yesterday", "NAME", "Keisha Washington"),
    ("Ms. Okafor called again", "NAME", "Okafor"),
    ("her son tyler found her", "NAME", "tyler"),
    ("my sponsee ngozi said step 3 made her cry", "NAME", "ngozi"),
    ("Oluwaseun relapsed again last night", "NAME", "Oluwaseun"),
    ("Grace said she's done with meth", "NAME", "Grace"),
    ("Will Thompson is back in detox", "NAME", "Will Thompson"),
    ("the nurse at the jail, ms. pat, checked on him", "NAME", "pat"),
    ("Sarah M. asked me to share her story", "NAME", "Sarah M."),
    ("cyril ó robhartaigh missed group", "NAME", "cyril ó robhartaigh"),
    ("the twins (Ava and Mia) are with their dad", "NAME", "Mia"),
    ("Hope's mom called me", "NAME", "Hope"),
    # DATE
    ("court date on 3/14", "DATE", "3/14"),
    ("DOB 4/2/1988", "DATE", "4/2/1988"),
    ("she relapsed March 3rd", "DATE", "March 3rd"),
    ("hearing is Jan 12, 2025", "DATE", "Jan 12, 2025"),
    ("born 1988-04-02", "DATE", "1988-04-02"),
    ("back to meetings on the 6th", "DATE", "6th"),
    ("the 3rd of May was rough", "DATE", "3rd of May"),
    ("discharged in June 2023", "DATE", "June 2023"),
    ("Mon 3/4 is her court date", "DATE", "3/4"),
    ("admitted 14-Mar-2024", "DATE", "14-Mar-2024"),
    # AGE
    ("his grandma is 96 years old", "AGE", "96 years old"),
    ("a 91-year-old veteran", "AGE", "91-year-old"),
    ("Dana (94) lives alone", "AGE", "94"),
    ("she turned 100 this week", "AGE", "100"),
    ("mom is in her 90s", "AGE", "90s"),
    ("a woman in her late nineties", "AGE", "nineties"),
    # PHONE
    ("call her at (215) 555-0134", "PHONE", "(215) 555-0134"),
    ("his number is 267 555 0142", "PHONE", "267 555 0142"),
    ("text 484.555.0199", "PHONE", "484.555.0199"),
    ("cell +1 610 555 0100", "PHONE", "+1 610 555 0100"),
    ("new number 2155550134", "PHONE", "2155550134"),
    # EMAIL
    ("email kjohnson1987@yahoo.com", "EMAIL", "kjohnson1987@yahoo.com"),
    ("reach me at dana.ruiz+cases@example.org.", "EMAIL", "dana.ruiz+cases@example.org"),
    ("email her at jessm [at] gmail [dot] com", "EMAIL", "jessm [at] gmail [dot] com"),
    # URL
    ("gofundme https://www.gofundme.com/f/help-tyler", "URL", "https://www.gofundme.com/f/help-tyler"),
    ("her page facebook.com/jess.m.1990", "URL", "facebook.com/jess.m.1990"),
    ("her linktree is linktr.ee/jessm22", "URL", "linktr.ee/jessm22"),
    # IP
    ("login from 192.168.1.20", "IP", "192.168.1.20"),
    ("ipv6 2001:db8::ff00:42:8329 again", "IP", "2001:db8::ff00:42:8329"),
    # SSN
    ("ssn 123-45-6789", "SSN", "123-45-6789"),
    ("SSN ends in 4471", "SSN", "4471"),
    ("social security number 123456789", "SSN", "123456789"),
    # ID
    ("MRN 448812", "ID", "448812"),
    ("case # CR-2024-0113", "ID", "CR-2024-0113"),
    ("Medicaid ID XJ48213377", "ID", "XJ48213377"),
    ("code AB12345 for the portal", "ID", "AB12345"),
    ("inmate #4471239", "ID", "4471239"),
    ("account ending in 4421 is overdrawn", "ID", "4421"),
    ("Client J.D. is struggling", "NAME", "J.D."),
    ("her name is precious and she's 19", "NAME", "precious"),
    ("Nkechi Okonkwo-Adeyemi is our new referral", "NAME", "Nkechi Okonkwo-Adeyemi"),
    ("talked with keisha washington yesterday", "NAME", "keisha washington"),
    # ADDRESS
    ("lives at 1234 Elm Street Apt 4B", "ADDRESS", "1234 Elm Street Apt 4B"),
    ("lives on Maple St", "ADDRESS", "Maple St"),
    ("the 2900 block of N. 5th", "ADDRESS", "2900 block of N. 5th"),
    ("mail to PO Box 123", "ADDRESS", "PO Box 123"),
    # GEO
    ("moved to Scranton last month", "GEO", "Scranton"),
    ("her family is still in Lagos", "GEO", "Lagos"),
    ("a bed in Lackawanna County", "GEO", "Lackawanna County"),
    ("lives in North Jessicaport", "GEO", "North Jessicaport"),
    ("zip 19134", "GEO", "19134"),
    ("Philadelphia, PA 19144", "GEO", "Philadelphia"),
    ("he's from kensington", "GEO", "kensington"),
    ("client lives in scranton pa", "GEO", "scranton"),
    ("he moved to Wilkes-Barre", "GEO", "Wilkes-Barre"),
    # FACILITY
    ("she's at Gateway Rehab now", "FACILITY", "Gateway Rehab"),
    ("he's in Cook County Jail", "FACILITY", "Cook County Jail"),
    ("admitted to St. Mary's", "FACILITY", "St. Mary's"),
    ("got her into gaudenzia", "FACILITY", "gaudenzia"),
    ("detox at eagleville hospital", "FACILITY", "eagleville hospital"),
    ("staying at House of Hope", "FACILITY", "House of Hope"),
    ("then Jefferson ER follow-up", "FACILITY", "Jefferson ER"),
    ("transferred to Mass General last night", "FACILITY", "Mass General"),
    ("He's at Veterans Memorial Hospital", "FACILITY", "Veterans Memorial Hospital"),
    # HANDLE
    ("she posts as @dre_bigdawg", "HANDLE", "@dre_bigdawg"),
    ("ig: jess_lovesyou", "HANDLE", "jess_lovesyou"),
    ("snap is tyler99", "HANDLE", "tyler99"),
    ("he posts on reddit as u/sober_dad_412", "HANDLE", "u/sober_dad_412"),
    ("venmo her at $jessm22", "HANDLE", "$jessm22"),
]


@pytest.mark.parametrize(("text", "kind", "fragment"), POSITIVES)
def test_found(scanner, text, kind, fragment):
    found = kinds_found(scanner, text)
    assert any(k == kind and fragment in t for k, t in found), found


NEAR_MISSES = [
    "day 90 and my sponsor says step 4 is next",
    "taking 16mg of subs daily, 8mg at 3pm",
    "She's 23 and has been using fent for about 3 years",
    "He's 89 and still sponsors people",
    "Grace and peace to all of you this week. Hope is real.",
    "Will anyone be at the SMART meeting Thursday at 7?",
    "May was a tough month for our IOP cohort",
    "Bill came due and he panicked, but he called instead of using",
    "Faith without works is dead, as my grandma used to say",
    "Tina has been everywhere lately, three of my folks are on it",
    "Narcan, Vivitrol, Sublocade, Suboxone, methadone, kratom, molly, percs, xannies",
    "AA, NA, SMART, IOP, PHP, Al-Anon and Celebrate Recovery",
    "We did 12 steps, 3 meetings a week, 90 in 90",
    "24/7 support, 1/2 a strip, pain 7/10, 9am-5pm",
    "sober since 2019, back in 2021 I relapsed",
    "Call 988 or the SAMHSA helpline 1-800-662-4357",
    "see samhsa.gov and https://findtreatment.gov for beds",
    "Back from the conference in West Virginia, lots about MOUD in jails",
    "went to detox, then to the county jail, then the shelter",
    "she's at the methadone clinic every morning",
    "He owes 15000 dollars in fines",
    "Step 9 amends took him 18 months",
    "Recovery Month event on Saturday at noon",
    "the Big Book and the Higher Power chapter",
    "Dosage went from 8 to 12mg, mood 6/10",
    "the 3rd step is about turning it over",
    "3 way call with his PO on Monday",
    "he has 2 court dates in March",
    "As Bill W. said, we are not saints. Dr. Bob agreed.",
    "Hey @everyone, group is cancelled tonight.",
    "Delta-8 and kratom are sold at every gas station now, COVID-19 too",
    "We had a Zoom call with the DEA-waiver folks",
    "What's your go-to when someone says they want to leave AMA?",
    "Narcotics Anonymous and Alcoholics Anonymous both meet online",
    "Our Medicaid MCO denied the auth again",
    "He's using Percocet, Dilaudid, and sometimes Oxycontin",
    "I've been in recovery 11 years and I still get nervous before sharing",
    "She's on the 8/2 strips, 2 a day.",
    "he turned 90 days clean today!",
    "CPT code 90832 for the session.",
    "The Attorney General announced the opioid settlement, just before Memorial Day.",
    "Saw the Oxford House model work for a lot of folks; harm reduction saves lives.",
    "thanks <@123456789012345678>, see <#987654321098765432> at <t:1700000000:F> <:pray:112233445566778899>",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_not_found(scanner, text):
    assert scanner.scan(text).clean, kinds_found(scanner, text)


@pytest.mark.parametrize("text", [t.lower() for t in NEAR_MISSES])
def test_not_found_lowercase(scanner, text):
    assert scanner.scan(text).clean, kinds_found(scanner, text)
