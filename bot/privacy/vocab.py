"""Hand-kept vocabulary: recovery language that is never an identifier, and the cue words of each kind.

Everything here is lower case. The large generated lists (names, places, common English words) live
in ``data/`` and are loaded by :mod:`bot.privacy.wordlists`.
"""

from __future__ import annotations

# Drugs, medications, slang, programmes, roles and services peers name every day. A word here is
# never taken for a person or a place unless an explicit cue ("my client", "Ms.") says so.
RECOVERY_TERMS = frozenset(
    """
    alateen alanon nar-anon naranon lifering coda slaa
    suboxone subutex zubsolv sublocade brixadi vivitrol naltrexone naloxone narcan kloxxado zimhi
    methadone methadose buprenorphine bupe bupes subs sub strips lofexidine lucemyra clonidine
    gabapentin neurontin lyrica pregabalin xanax xannies xans bars alprazolam klonopin clonazepam
    ativan lorazepam valium diazepam benzos benzo librium chlordiazepoxide ambien seroquel quetiapine
    zyprexa abilify risperdal lithium lamictal depakote trazodone prozac zoloft lexapro celexa paxil
    wellbutrin bupropion effexor cymbalta remeron buspar hydroxyzine vistaril antabuse disulfiram
    campral acamprosate topamax topiramate chantix varenicline adderall ritalin vyvanse concerta
    oxy oxys oxycodone oxycontin percs percocet perc roxy roxies roxicodone vicodin norco hydrocodone
    dilaudid hydromorphone opana morphine codeine tramadol ultram fentanyl fent fetty fenty fenny
    tranq xylazine nitazene nitazenes carfentanil heroin dope boy smack h horse tar chiva
    cocaine coke blow snow girl crack rock rocks meth crystal ice glass shards tina tweak
    speed molly mdma ecstasy x lsd acid shrooms psilocybin ketamine special k pcp wet dust
    weed pot marijuana cannabis thc cbd dabs dab wax edibles delta kratom kava spice k2 lean drank
    sizzurp promethazine alcohol booze liquor vodka whiskey tequila hennessy henny beer wine
    strattera buspirone mirtazapine sertraline fluoxetine escitalopram citalopram duloxetine venlafaxine
    olanzapine risperidone aripiprazole haloperidol haldol prazosin propranolol nicotine nicorette zyban
    baclofen lamotrigine divalproex carbamazepine tegretol oxcarbazepine trileptal latuda lurasidone invega
    geodon ziprasidone clozapine clozaril phenobarbital suboxone's vivitrol's narcan's sublocade's
    addys addy blues m30 m30s pressies pressed perc30s jawn yayo yola fetty boi
    ymca ywca goodwill dcf dcfs cys acs doc ice ssa irs dmv hud mco bcbs aetna cigna humana optum magellan
    mj gofundme wawa sheetz walmart target cvs walgreens riteaid dunkin starbucks mcdonalds amazon google
    youtube netflix spotify paypal zelle greyhound amtrak septa marta mta uber lyft doordash instacart
    dollar general kroger aldi costco safeway publix findhelp unite us auntbertha panera chipotle
    aa na ca ma sa oa ga coda acoa alanon al-anon nar-anon naranon smart lifering celebrate recovery
    dharma refuge wellbriety sma iop php op mat moud oud aud sud suds crs cps cfrs cprs ccar
    cadc lcadc lcsw lpc lmft msw bsw cac ncac naadac saprb rn np pa md do ceo cm tcm bcm
    hipaa samhsa hhs dhs cyf dcfs dss ocs cys cps bhs oasas dmhas dda ssi ssdi snap wic tanf liheap
    medicaid medicare chip hud section8 probation parole po pd ppd da pd dui dwi owi
    er ed icu ems bls acls cpr ama pfa ehr emr tip crps cpss ccar rcc erc cocc ua uds utox drug-screen
    rss rco arc oasas ncrs mhfa qpr wrap crm ipr cbt dbt mi act acra
    zoom discord teams facebook instagram tiktok snapchat whatsapp signal uber lyft venmo cashapp
    god higher power hp bigbook big book step steps stepwork sponsor sponsee homegroup home group
    serenity prayer chip chips keytag keytags coin coins birthday anniversary
    monday tuesday wednesday thursday friday saturday sunday weekend
    christmas thanksgiving easter halloween
    covid covid-19 hiv hcv hep aids std sti ptsd adhd ocd bpd bipolar
    """.split()
)

# Words before a person's name. Titles are the strongest: anything capitalised after them is a name.
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "doctor",
        "judge",
        "officer",
        "pastor",
        "father",
        "sister",
        "brother",
        "nurse",
        "coach",
        "aunt",
        "auntie",
        "uncle",
        "grandma",
        "grandpa",
        "mister",
        "sgt",
        "det",
        "prof",
        "rev",
    }
)
RELATIONS = frozenset(
    """
    client clients client's pt participant patient resident peer mentee sponsee sponsor consumer member
    guest individual youth teen kid kiddo son daughter sons daughters child children baby wife husband
    spouse partner boyfriend girlfriend bf gf fiance fiancee ex mom mother mama mum dad father papa
    brother sister bro sis sibling cousin aunt uncle nephew niece grandson granddaughter grandkid
    grandmother grandfather grandma grandpa granny nana roommate neighbor neighbour friend buddy
    coworker boss landlord caseworker worker officer po lawyer attorney counselor therapist
    named called name's aka nicknamed goes guy gal lady dude man woman
    """.split()
)
# Phrases that introduce a name: "her name is", "goes by", "named".
NAME_INTRO = frozenset({"named", "called", "aka", "nicknamed"})
# Words after a name that say it is a person: "Grace said", "Will relapsed".
PERSON_VERBS = frozenset(
    """
    said says told tells asked asks texted texts called calls relapsed relapses used uses
    went goes got gets came comes wants needs left missed showed started finished graduated moved
    lost found made did didn't doesn't isn't wasn't can't won't wouldn't couldn't just also finally
    admitted agreed refused signed skipped tested overdosed od'd ods passed died cried laughed
    thinks thought feels felt knows knew mentioned shared reached messaged emailed
    picked slept stayed drove quit tried looked seemed walked stopped dropped
    """.split()
)
# The stricter list for names that are also words: "Grace said" is a person, "Bill came due" is not.
SPEECH_VERBS = frozenset(
    """
    said says told tells asked asks texted texts called calls relapsed relapses overdosed admitted mentioned
    shared messaged emailed cried laughed thinks feels wants knows agreed refused
    """.split()
)
# State abbreviations that are safe to read as states even in lower case ("scranton pa").
LOWER_STATE_ABBREVS = frozenset(
    "pa nj ny tx fl nc sc ca az nv nm ct md dc wv ky tn mi wi mn ia ks ar ms ut vt nh ri ak wy mt nd sd".split()
)
US_STATES_MULTI = frozenset(
    {
        "new york",
        "new jersey",
        "new mexico",
        "new hampshire",
        "north carolina",
        "south carolina",
        "north dakota",
        "south dakota",
        "west virginia",
        "rhode island",
        "district of columbia",
        "puerto rico",
    }
)
BE_VERBS = frozenset({"is", "was", "has", "had", "and", "will", "would", "can", "could", "should", "might"})

# Words that never start or continue a name even capitalised at the start of a sentence.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those my your his her their our its some any every each no not and or but
    so if of in on at to for from by with about into onto over under after before since until up down
    out off as is was are were be been being am do does did has have had will would can could should
    i me you he she it we they him them us who whom whose what which when where why how all both
    """.split()
)

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

US_STATES = frozenset(
    """
    al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny
    nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy pr
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania
    tennessee texas utah vermont virginia washington wisconsin wyoming
    """.split()
)
CITY_NICKNAMES = frozenset(
    {
        "philly",
        "nyc",
        "nola",
        "chitown",
        "chi-town",
        "atl",
        "the bronx",
        "the bay",
        "bmore",
        "motown",
        "vegas",
        "frisco",
        "nawlins",
        "brooklyn",
        "harlem",
        "queens",
        "the south side",
        "southside",
        "kensington",
        "camden",
        "delco",
        "south philly",
        "north philly",
        "west philly",
        "nepa",
        "the burgh",
        "da burgh",
    }
)
LOCATIVE = frozenset(
    {
        "in",
        "from",
        "to",
        "near",
        "outside",
        "around",
        "of",
        "towards",
        "toward",
        "into",
        "across",
        "through",
        "via",
        "by",
    }
)

# Authors, researchers and public figures whom writing about recovery, peer work and counselling cites by
# name, often without a citation ("Reading Gabor Mate again"). Full names only (a surname alone such as
# "Miller" or "Brown" may be anyone's), plus surnames that are distinctive on their own. Accents stripped.
PUBLIC_FIGURES = frozenset(
    " ".join(name.split())
    for name in """
    gabor mate|brene brown|johann hari|carl hart|william white|william miller|william r. miller|stephen rollnick|
    kristin neff|bessel van der kolk|maya angelou|anne fletcher|alan marlatt|g. alan marlatt|marsha linehan|
    carl rogers|viktor frankl|aaron beck|albert ellis|judith herman|peter levine|pat deegan|patricia deegan|
    mary ellen copeland|shery mead|nora volkow|irvin yalom|dan siegel|daniel siegel|thich nhat hanh|
    pema chodron|tara brach|jon kabat-zinn|russell brand|bill wilson|james prochaska|
    carlo diclemente|robert granfield|william cloud|keith humphreys|anna lembke|maia szalavitz|
    sam quinones|beth macy|david sheff|nic sheff|matthew perry|anthony kiedis|craig ferguson|
    stanton peele|lance dodes|judith grisel|brene|prochaska|diclemente|rollnick|volkow|
    linehan|szalavitz|lembke|kiedis|marlatt|van der kolk|kolk|kabat-zinn|granfield|yalom|frankl|deegan|
    ernest kurtz|arthur evans|alexandre laudet|phil valentine|
    sigmund freud|freud|carl jung|jung|abraham maslow|maslow|erik erikson|
    karen horney|donald winnicott|winnicott|john bowlby|bowlby|mary ainsworth|john gottman|
    oprah|oprah winfrey|fred rogers|mister rogers|martin luther king|
    """.split("|")
    if name.strip()
)
