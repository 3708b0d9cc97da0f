"""Build the real-writing corpus (dev.jsonl / test.jsonl) from hand-written messages in this file.

Every sentence below was written for this corpus in the registers of public writing about peer
support, recovery, counselling, supervision, harm reduction and CE. Identifiers of private persons are
marked inline as ``{KIND:text}``; offsets are computed from the markers, so spans are exact. Public
names (authors in citations, organisations, bylines) are left unmarked on purpose; ``note`` says so.
Run: ``python tests/data/scanner/real/make_real.py``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"\{([A-Z]+):([^{}]*)\}")

CLEAN = [
    "We can't ignore it when someone goes quiet in group, that is usually the week things get hard.",
    "For instance, I ask people what a good day looks like before we talk about goals.",
    "I installed the app the agency recommended and honestly the check-in reminders help.",
    "Ignition interlock is still on my car for another six months, annoying but fair.",
    "Day 90 today. Not gonna lie, the week goes by slowly when you are counting.",
    "Self-care isn't bubble baths, it's answering the phone when your sponsor calls.",
    "Well-being check: how is everyone sleeping this week?",
    "Check-in thread for Monday, drop a word for how you're doing.",
    "Client says the clinic changed the dosing window again and she is frustrated.",
    "Sponsor told him to call before he picks up, not after.",
    "Any tips for someone starting an entry-level behavioral health job next month?",
    "After leaving sober living I worried I'd lose the structure, but meetings filled that gap.",
    "Studying for the Certified Behavioral Health Peer Support Specialist exam, anyone have notes?",
    "The regulation in 42 CFR Part 2 section 2.31 covers the consent form, worth rereading.",
    "She met 4/9 criteria at intake, so mild, but the team wants to watch it.",
    "People keep calling fentanyl 'fetty' and meth 'tina' in the group chat, heads up for new staff.",
    "Molly at festivals is a harm reduction conversation, not a lecture.",
    "Charlie was everywhere in the 80s, now it's pressed pills, the slang shifts.",
    "Motivational interviewing works better when you actually stop talking (Miller & Rollnick, 2013).",
    "As described by Prochaska and DiClemente, the stages aren't a straight line.",
    "Narcan training is Thursday at 3pm, bring a friend who uses.",
    "I'm 14 months sober and still learning how to sit with boredom.",
    "Our SMART Recovery meeting moved online, same link as before.",
    "Step 4 took me almost a year. No shame in that.",
    "Does anyone know if CE hours from the NAADAC webinar count for renewal?",
    "Supervision today was mostly about boundaries with clients who text late at night.",
    "Tapering from 16mg to 8mg over a month, the doc says that's reasonable.",
    "Test strips are back in stock at the front desk, take a few.",
    "Burnout is real. I took a mental health day and didn't apologise for it.",
    "Heading: What peer support is not. It is not therapy, and it is not a sponsor relationship.",
    "Tips for new peers:\n- listen more\n- don't promise outcomes\n- document the same day",
    "Lived experience is the job requirement, not the whole job.",
    "Recovery capital is a useful frame when you're planning discharge.",
    "honestly idk how to tell my family im in a program, any advice",
    "i relapsed last weekend after 200 days and i feel like garbage",
    "Harm reduction meets people where they are, but doesn't leave them there.",
    "Our agency finally pays peers for the training hours, which is a big deal.",
    "Grief groups and recovery groups overlap more than people think.",
    "The ASAM criteria dimension 5 question always trips up new counselors.",
    "Anyone else find that Sundays are the hardest day?",
    "Ordinary reminder: the fridge in the break room gets cleaned Friday.",
    "Up-to-Date resources for the training are pinned in the channel.",
    "I was a heavy drinker for ten years, and now I help run a morning group.",
    "Methadone isn't trading one drug for another, stop saying that.",
    "Xanax withdrawal can be dangerous, please talk to a prescriber before stopping.",
    "Read a good piece by the SAMHSA team on peer workforce pay this week.",
    "The ethics module asked about dual relationships in small towns, good discussion.",
    "Relapse prevention plans should include who to call at 2am.",
    "We did a role play on warm handoffs from the ER, really useful.",
    "my sponsor says i overthink, she is probably right lol",
    "Twelve weeks in, the cravings are less loud but they still show up.",
    "Documentation tip: write what the person said, not what you think they meant.",
    "Suboxone clinic wait times are still around two weeks here.",
    "Gratitude list today: coffee, my cat, 30 days.",
    "The CE course on trauma-informed care was better than I expected.",
    "Does the 988 line take texts now? Someone asked me in group.",
    "A peer specialist is not a case manager, but we end up doing both.",
    "I keep my keytags on a ring by the door so I see them every morning.",
    "Stimulant use disorder doesn't have an approved medication yet, contingency management helps.",
    "Spent the afternoon on a grant report, not glamorous, but it funds the van.",
    "Weekly reflection: I said no to an extra shift and the world did not end.",
    "The county training calendar is out, the naloxone refresher fills fast.",
    "Counselors, how do you handle clients who show up high to session?",
    "Recovery isn't linear. Neither is learning to do this work.",
    "Section 3.2.1 of the handbook covers mandated reporting, read it before Monday.",
    "Scored 7/10 on the practice quiz, need to review confidentiality rules.",
    "Group norms: confidentiality, no cross talk, phones down.",
    "I used to think asking for help was weak. Now I do it for a living.",
    "Quick poll: in-person or virtual supervision, which do you prefer?",
    "Reminder that the office is closed on the 4th for the holiday.",
]

PHI = [
    "My client {NAME:Mike} missed his appointment again and I'm worried.",
    "Talked with {NAME:Sue} after group, she said her landlord is threatening eviction.",
    "{NAME:Jan} from the morning meeting asked me to be her sponsor!",
    "Can someone check on {NAME:Pat}? Last text was two days ago.",
    "Detective {NAME:Ruiz} called the office asking about one of our residents.",
    "judge {NAME:alvarez} gave him 90 days of drug court instead of jail",
    "my sponsee {NAME:tasha} got her one year chip tonight, so proud",
    "Her mom is {AGE:102} and still living alone, which is part of the stress.",
    "He was admitted on {DATE:Jun. 3} and discharged a week later.",
    "Follow her on TikTok as {HANDLE:sober_sarah_22}, she posts about recovery.",
    "Message me from {HANDLE:@recoveringrob} if the DMs here break.",
    "Her number is {PHONE:(614) 555-2871}, she said it's ok to text.",
    "Send the release form to {EMAIL:dana.k.whitfield@gmail.com} before Friday.",
    "His MRN is {ID:4471902} if you need to pull the chart.",
    "Case number {ID:CR-2024-118834} is the one the PO mentioned.",
    "She's staying at {ADDRESS:418 Maple Ave} until the bed opens up.",
    "He moved from {GEO:Dayton} to be closer to his daughter.",
    "She just got out of {FACILITY:Riverside Recovery Center} after 28 days.",
    "{NAME:Marcus Bell} was released from {FACILITY:Franklin County Jail} yesterday, needs a ride.",
    "Client DOB {DATE:03/14/1987}, SSN on file ends in the usual place, don't post it here.",
    "ssn is {SSN:412-67-9032} for the benefits form, please delete after",
    "Uploaded the photos to {URL:https://drive.example-share.net/f/8kd72} for the team.",
    "The laptop at the front desk is {IP:10.4.22.181} if IT asks.",
    "{NAME:Keisha} said she turned {AGE:93} last week, her great-grandma I mean.",
    "I'm meeting {NAME:Derek} at the diner on {ADDRESS:22 Elm Street} at noon.",
    "Her grandma in {GEO:Toledo} is going to take the kids for a while.",
    "my buddy {NAME:jose} went back to {FACILITY:hazelwood detox} last night",
    "Dr. {NAME:Okafor} at the clinic switched her to the injection.",
    "{NAME:Brianna Lopez} is due in court on {DATE:March 9}.",
    "Officer {NAME:Dunn} said the warrant was cleared.",
    "Her case manager {NAME:Tom} wants a call back at {PHONE:937-555-0148}.",
    "Account {ID:88213407} is his Medicaid plan, the pharmacy needs it.",
    "He's been at {FACILITY:St. Vincent's Hospital} since {DATE:Tuesday the 12th}.",
    "lives on {ADDRESS:1120 w 5th st} with his aunt, no phone right now",
    "She grew up in {GEO:Zanesville} and wants to go back after treatment.",
    "Counselor {NAME:Linda Shaw} asked me to cover her group on {DATE:Nov 18}.",
    "I ran into {NAME:Andre} outside the methadone clinic, he looked rough.",
    "Her Venmo is {HANDLE:kayla-m-88} if you want to chip in for the bus pass.",
    "Sponsee {NAME:Rachel} is {AGE:101}? no wait, her grandmother is, I mixed them up.",
    "Please pray for {NAME:Luis}, he overdosed Saturday and is in the ICU.",
]

CLEAN_FRESH = [
    "Posted by a peer support supervisor: the hardest part of the job is the paperwork, not the people.",
    "Q: How do I explain a gap in my resume from treatment? A: Short and honest usually works.",
    "Our harm reduction van does syringe exchange Tuesdays and Fridays, no ID needed.",
    "Boundaries 101:\n1. You are not their sponsor\n2. You are not their therapist\n3. You are still human",
    "Been off the pills for 11 months and my sleep is finally normal.",
    "Trauma-Informed Care: Principles for Peer Workers (module 3 of the CE series)",
    "Anyone have a good worksheet on urges vs cravings? My group liked the surfing metaphor.",
    "Kratom questions come up a lot lately, I stick to facts and refer to a prescriber.",
    "The recovery community center is hiring two part-time peers, pay is decent for the area.",
    "Compassion fatigue snuck up on me this spring. Supervision helped me name it.",
    "Wrote my first blog post about lived experience at work. Scary to hit publish.",
    "Meeting-makers make it, as the old timers say, but so does therapy and medication.",
    "Fentanyl test strips and naloxone should be in every bathroom, change my mind.",
    "Peer Recovery Specialist Certification: how many supervised hours did your state require?",
    "I used to sell speed and now I teach overdose response, life is weird.",
    "Self-disclosure in sessions: when is it helpful and when is it about me?",
    "Shared decision making isn't just a buzzword if you actually offer options.",
    "The dope is so cut right now, people are seeing xylazine wounds more often.",
    "Relapse is information, not failure, is how my mentor put it.",
    "Our Monday night group is 18 years old this year, longer than some members have been alive.",
    "Ethics question for counselors: accepting a small gift from a client at graduation?",
    "Up next in the newsletter: grant season, staff spotlight, and the summer picnic.",
    "Re: vicarious trauma. Therapy for therapists is not optional, it's maintenance.",
    "Motivational interviewing practice tonight, bring a real scenario (no identifying details please).",
    "Coffee, a meeting, and a walk. That's the whole plan for today and it's enough.",
    "Recovery-oriented systems of care sound great on paper, funding is the catch.",
    "Just finished the 40-hour training. Brain is fried but I learned a ton.",
    "Does anyone track outcomes beyond 30-day retention? Looking for ideas.",
    "Naltrexone helped me with drinking more than I expected, ask your doctor about it.",
    "If you're new: read the pinned post, then say hi. Nobody bites.",
]

PHI_FRESH = [
    "My sponsee {NAME:Carla} has court on {DATE:April 22} and needs a letter from me.",
    "Picked up {NAME:Devon} from {FACILITY:Maple Grove Treatment Center} this morning.",
    "client {NAME:renee} said her ex still lives on {ADDRESS:77 birch lane}",
    "His grandfather just turned {AGE:97} and wants him home for the party.",
    "Reach {NAME:Gloria Mendez} at {PHONE:412-555-0193} about the housing voucher.",
    "Her Medicaid ID is {ID:RX4482917}, the pharmacy keeps asking.",
    "{NAME:Tyrone} is couch surfing in {GEO:Youngstown} until the program has a bed.",
    "Forward the intake to {EMAIL:case.worker.ann@outlook.com} please.",
    "Officer {NAME:Kowalczyk} dropped off paperwork for one of the residents.",
    "Ms. {NAME:Abernathy} called twice about her son, she sounds scared.",
    "Find him on insta as {HANDLE:clean.and.climbing}, he posts hiking pics.",
    "Discharge date for {NAME:Nadia} is {DATE:Oct. 30}, she wants a ride.",
    "pt {NAME:hector ramirez} missed two doses at the clinic this week",
    "She's in {FACILITY:Cuyahoga County Jail} again, bond hearing is {DATE:Friday the 7th}.",
    "{NAME:Shawna} and her kids are at {ADDRESS:3019 Lincoln Blvd} for now.",
    "Counselor {NAME:Priya} is out, so {NAME:Ben} is covering her caseload.",
    "For the disability paperwork his social is {SSN:287-41-6630}, shred this after.",
    "The kiosk in the lobby shows {IP:172.16.40.12} when it crashes, tell IT.",
    "Her new number is {PHONE:330 555 0172} and she's ok with texts.",
]

# Written after studying public blogs, forum threads and agency pages about peer recovery work (relapse
# conversations, boundaries, case consultation, recovery community centres). Identifiers are invented.
# DEV_GAPS: dev only, covering the gap classes (staff lists, contact lines, cue-less places, bare ordinal
# days, public authors, AA-history titled names, businesses). HELDOUT_*: test only, scored untuned.
DEV_GAPS_CLEAN = [
    "Our team: Maria Alvarado, Peer Support Specialist; Ken Fowler, Recovery Coach; Dee Hart, Program Director.",
    "Questions about the workshop? Call the front desk at 614-555-0100, Monday to Friday 9 to 5.",
    "The food pantry is closed on the 11th, open again the next morning.",
    "Been rereading Gabor Mate on trauma and it hits different the second time.",
    "Dr Bob and Bill W. met in Akron, every old timer tells that story.",
    "Grabbed coffee at Dunkin before group, the line was out the door.",
    "Email info@harborpeers.org for the volunteer schedule.",
    "Brene Brown's work on shame comes up in almost every family group.",
]
DEV_GAPS_PHI = [
    "{NAME:Renata} went back to {FACILITY:Brightwater} on Sunday, she asked me not to tell her mom.",
    "He was discharged on the {DATE:9th} and used that same night.",
    "Picked {NAME:Jamal} up from {FACILITY:Sunrise House} after his 30 days.",
]

HELDOUT_CLEAN = [
    "Relapse conversations go better when I ask what they learned instead of what went wrong.",
    "Staff spotlight: meet our newest Peer Recovery Specialists, Tanya Brooks and Luis Herrera!",
    "For scheduling, reach the center at 330-555-0199 or stop by during drop-in hours.",
    "The clinic will be closed on the 25th and the 1st, plan refills early.",
    "Gabor Mate's book changed how I talk about why people use.",
    "William White wrote about recovery capital long before it was trendy.",
    "Dr. Bob's story in the Big Book is the one I read when I feel like a fraud.",
    "Met my accountability buddy at Starbucks, we do that every Wednesday.",
    "Boundaries check: I don't give clients my personal number, ever.",
    "A sponsee texting at midnight is a boundary question, not a character flaw.",
    "Case consultation today: a client wants to taper off buprenorphine against advice.",
    "The twelve core functions still show up on the certification exam, study them.",
    "Journaling prompts and a trigger worksheet worked better than another lecture.",
    "Posted by the program director: please submit time sheets by end of day.",
    "Questions? Email contact@riverpeersupport.org and someone will get back to you.",
    "As Brene Brown says, shame needs secrecy to grow.",
    "Volkow et al. (2016) is the paper everyone cites for the brain disease model.",
    "Pink cloud is real, enjoy it but keep going to meetings.",
    "Peer workers, how do you handle a client offering you a gift card?",
    "The office closes early on the 3rd for staff training.",
    "The first 30 days after discharge are the riskiest, so we front-load contact.",
    "Old timers say meeting makers make it, I say meeting makers plus therapy.",
    "Grabbed lunch at Wendy's with the outreach team between visits.",
    "Mindfulness group moved to the bigger room, same time.",
    "Recovery coaching is not therapy, and the training says that on day one.",
    "Anyone tried the SMART Recovery CBA worksheet with teens?",
    "I keep a list of warm lines by my desk for the nights when the crisis line is busy.",
    "Liz, our Certified Recovery Coach, runs the boundaries workshop every spring.",
    "Our board chair, Dr. Ellen Marsh, will open the annual recovery walk.",
    "Family group tonight: setting limits with a loved one who keeps borrowing money.",
]
HELDOUT_PHI = [
    "My client {NAME:Dwayne} relapsed the night he left {FACILITY:Cedar Ridge}, he's ashamed to call.",
    "{NAME:Alicia} is back at {FACILITY:Hope Haven} and asked for a visit on {DATE:Thursday the 14th}.",
    "His mom says he was discharged on the {DATE:2nd} and nobody told her.",
    "Sponsee {NAME:Trina} overdosed on {DATE:Aug. 19}, she's stable now.",
    "Can you call Mr. {NAME:Feeney} back at {PHONE:(216) 555-3390}? He's asking about his son.",
    "pt {NAME:darnell} says his PO moved him to {GEO:Chillicothe} for work release",
    "{NAME:Katya Ivanova} wants her records sent to {EMAIL:katya.iv88@yahoo.com}.",
    "Her grandfather is {AGE:98} and she's his only caregiver now.",
    "He's sleeping at the shelter on {ADDRESS:540 Front St} until his bed opens.",
    "Case manager {NAME:Renee} said the Medicaid ID is {ID:MC70021954}.",
    "my buddy {NAME:steve} got out of {FACILITY:mercy detox} tuesday and already wants to leave town",
    "Officer {NAME:Pruitt} brought {NAME:Kenny} to the center in handcuffs, it rattled everyone.",
]

PREFIX = ["", "", "", "Update: ", "Quick question. ", "hey all, ", "Ugh. ", "So, ", "FYI ", "Long day. "]
SUFFIX = ["", "", "", " Thanks.", " Any thoughts?", " lol", " :(", " Grateful for this group.", " Ok.", " Idk."]

PHI_NOTE = "private persons labelled; clinic roles and agencies unlabelled"
CLEAN_NOTE = "public names (authors, agencies, programs) deliberately not labelled"


def _parse(template: str) -> tuple[str, list[dict[str, object]]]:
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(template):
        chunk = template[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        value = m.group(2)
        spans.append({"kind": m.group(1), "start": length, "end": length + len(value), "text": value})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def build() -> dict[str, list[dict[str, object]]]:
    rng = random.Random(7)
    splits: dict[str, list[dict[str, object]]] = {"dev": [], "test": []}
    sources = (("clean", CLEAN, 5, None), ("phi", PHI, 5, None), ("fresh-clean", CLEAN_FRESH, 3, "test"))
    extra = (
        ("fresh-phi", PHI_FRESH, 3, "test"),
        ("gaps-clean", DEV_GAPS_CLEAN, 3, "dev"),
        ("gaps-phi", DEV_GAPS_PHI, 3, "dev"),
        ("heldout-clean", HELDOUT_CLEAN, 3, "test"),
        ("heldout-phi", HELDOUT_PHI, 3, "test"),
    )
    for group, items, per, only in (*sources, *extra):
        for i, template in enumerate(items):
            split = only or ("dev" if i % 2 == 0 else "test")
            seen: set[str] = set()
            for _ in range(per * 3):
                if len(seen) >= per:
                    break
                p, s = rng.choice(PREFIX), rng.choice(SUFFIX)
                body, spans = _parse(template)
                text = p + body + s
                if text in seen:
                    continue
                seen.add(text)
                shift = len(p)
                shifted = [{**sp, "start": int(sp["start"]) + shift, "end": int(sp["end"]) + shift} for sp in spans]
                for sp in shifted:
                    assert text[int(sp["start"]) : int(sp["end"])] == sp["text"]
                rows = splits[split]
                rows.append(
                    {
                        "id": f"real-{split}-{len(rows):04d}",
                        "text": text,
                        "spans": shifted,
                        "phi": bool(shifted),
                        "lower": text == text.lower(),
                        "template": f"real-{group}-{i}",
                        "note": PHI_NOTE if shifted else CLEAN_NOTE,
                    }
                )
    return splits


def main() -> None:
    for split, rows in build().items():
        with (HERE / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
