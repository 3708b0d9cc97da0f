"""Build the fresh held-out set (fresh.jsonl) and the weak-spot dev set (weak_dev.jsonl).

Written for this project after reading public pages about peer-support boundaries, naloxone outreach,
counselling supervision, recovery forums and CE renewal rules (no sentence copied; every private
identifier invented). Same markers and row format as ``make_real.py``; one row per sentence, no
chat-like variants, so every row is a distinct message.

* ``FRESH_*`` (fresh.jsonl) was scored once before any fix of this round and is only reported on.
* ``WEAK_*`` (weak_dev.jsonl) covers the known weak spots (ordinal event dates, public authors, business
  names, staff lists and contact lines, places and facilities without a cue word, two-letter names,
  lower-case towns that are ordinary words) and is the set the fixes were tuned on.

Run: ``python tests/data/scanner/real/make_fresh.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from make_real import CLEAN_NOTE, PHI_NOTE, _parse  # noqa: E402

FRESH_CLEAN = [
    # forum and chat voices
    "Day 41. Cravings hit hardest around 5pm, right when I used to pour the first one.",
    "Slipped Friday, didn't reset my date, my sponsor and I are talking about it tomorrow.",
    "Does anyone else get weird dreams about using? Mine are so vivid lately.",
    "Three meetings a week minimum or my head starts lying to me.",
    "tbh the first holiday sober was brutal but the second one was easier",
    "My kids noticed I'm calmer. That alone made this year worth it.",
    "Not a slip, a full relapse, two weeks of it. Back at meetings as of last night.",
    "anyone have a home group that does a newcomer table? thinking of starting one",
    "I made a gratitude list at 2am because I couldn't sleep, it actually helped.",
    "Reminder to myself: HALT. Hungry, angry, lonely, tired. Usually it's tired.",
    "Step work with a new sponsor feels like starting over, but in a good way.",
    "Got my 18 month coin last night and cried in the parking lot.",
    "Going to a wedding with an open bar next month, what's your exit plan usually?",
    "honestly the pink cloud wore off at about month four and nobody warned me",
    "Quit vaping and drinking the same year. Never again, one thing at a time.",
    "Still on suboxone at year two and I'm done apologising for it.",
    "My therapist says my inner critic sounds exactly like my dad. She isn't wrong.",
    "Spent the afternoon making amends I'd put off for a year. Lighter now.",
    "Dry January turned into a dry year for me, didn't plan that.",
    "When people say 'just one' I hear 'just the first of twelve'.",
    "Anybody in here use the Recovery Dharma meetings online? Curious how they run.",
    "lost my job, didn't drink. small win but i'm taking it",
    "The urge to isolate is strongest on Sunday nights for me.",
    "Brought cookies to the Tuesday meeting and got roped into making coffee forever.",
    "I said no to a friend's party and felt guilty for a day, then fine.",
    # peer-work practice
    "Peer specialists aren't saviors or therapists, we walk beside people.",
    "Dual relationships sneak up on you in small towns where everyone knows everyone.",
    "I tell new peers to write their availability hours in the first conversation.",
    "Over-identifying with a client's story is the fastest way to burn out.",
    "A peer calling me at midnight every night was my cue to revisit the boundaries we set.",
    "Role clarity matters: I'm not the sponsor, I'm not the counselor, I'm the peer.",
    "We keep a shared doc of crisis lines so nobody has to scramble during a call.",
    "Disclosure should serve the person in front of you, not your own need to be understood.",
    "Person-first language: 'a person who uses drugs', not 'an addict'.",
    "Warm handoffs beat handing someone a phone number on a sticky note.",
    "Mutual aid and peer support overlap, but one is paid and one isn't, and that changes things.",
    "My supervisor asked what I was feeling during the session, not just what I did.",
    "Parallel process showed up today: I was anxious the same way my client was.",
    "Good supervision feels like a second set of eyes, not an audit.",
    "Bring one case to consultation, de-identified, and one question you actually want answered.",
    "We practiced reflective listening in pairs and half the room realised they interrupt constantly.",
    "Documentation tip: write the note before you leave the building.",
    "Supervisee asked whether it's ok to hug a client at graduation. Good discussion.",
    "Countertransference isn't a failure, it's data.",
    "Group supervision is cheaper for the agency but you get less airtime.",
    "If a client offers you a ride, say thanks and decline, every time.",
    "Our team debriefs after every overdose response, even the ones that go fine.",
    "Recovery plans should be written in the person's words, not ours.",
    "Strengths-based doesn't mean ignoring risk, it means starting somewhere else.",
    "Stages of change: most of my caseload is in contemplation and that's ok.",
    # harm reduction
    "Fixed-site distribution hands out a few kits, mobile outreach hands out hundreds.",
    "We restocked naloxone in the library, the laundromat and two gas stations this week.",
    "Xylazine doesn't respond to naloxone, give rescue breaths and call for help.",
    "Never use alone. If you must, call a hotline that will send help if you stop answering.",
    "Sterile syringes, cookers and cottons are in the blue bins by the door.",
    "Test strips caught fentanyl in a bag that was sold as coke, second time this month.",
    "Nobody at the exchange asks for ID and that's the point.",
    "Pharmacies around here still refuse to sell rigs without a prescription, it's maddening.",
    "Tranq wounds need wound care, not judgement.",
    "Supervised consumption sites save lives, the data isn't ambiguous.",
    "People still call it boy and girl around here, heroin and coke, in case you hear it.",
    "Someone asked about percs vs blues, the blues are almost always pressed fentanyl now.",
    "Crystal is cheap again and we're seeing more psychosis at the drop-in.",
    "Molly and water: sip, don't chug, and take breaks from dancing.",
    "Kits include two doses of nasal spray, gloves and a face shield.",
    "A lot of folks here call naloxone 'the save shot', I just roll with it.",
    "Outreach tonight: socks, hand warmers, and a lot of listening.",
    "We track reversals reported back to us, last quarter was the highest yet.",
    # CE, certification, training
    "Renewal needs 36 hours, 24 of them peer-specific and 3 in ethics.",
    "Ten CE hours a year, five face-to-face, one in ethics. Easy to forget the live ones.",
    "The CPRS exam had way more ethics questions than I expected.",
    "Is the confidentiality module on 42 CFR Part 2 worth the fee or is there a free one?",
    "Certificates need a date and the number of hours or the board bounces them.",
    "I keep a folder for every training certificate, saved my renewal last year.",
    "Supervisor sign-off counts if the certificate is missing hours, per the handbook.",
    "Clinical trainings don't count toward peer CEs in our state.",
    "Webinar this Thursday on trauma-informed supervision, 1.5 hours, free for members.",
    "Anyone done the CRSS supervision endorsement? How long did it take?",
    "The recertification fee went up to a hundred dollars this cycle.",
    "Module 4: Ethics, Values and Boundaries (quiz at the end, 10 questions)",
    "Learning objectives: define dual relationships, name three boundary strategies, practice a refusal.",
    "Section 11 covers the reflective model of supervision, read it before Tuesday.",
    "My CEU tracker says I'm 6 hours short and renewal is in March.",
    "Free CE on motivational interviewing from the state, register early, seats go fast.",
    # headings, lists, bylines, citations, public names
    "Key Reasons for Boundaries:\n- Safety and Trust\n- Role Clarity\n- Preventing Burnout",
    "Best Practice: Debrief within 24 hours of a critical incident.",
    "Understanding Peer Recovery Coaching",
    "Signs of Relapse Behavior\n- skipping meetings\n- not calling your sponsor\n- isolating",
    "Calls to Action: volunteer recruitment, second-chance hiring, transitional housing.",
    "Example: A peer texts after hours with a non-urgent request. What do you do?",
    "Posted by Recovery Coach Admin on the community board, 4 comments",
    "By the editorial team at a peer-run newsletter, updated quarterly.",
    "Friedberg and Taylor (1994) described novice counselors as anxious and perfectionistic.",
    "The recovery capital idea is usually credited to Granfield and Cloud.",
    "Read William Miller's piece on the spirit of MI if you haven't.",
    "Johann Hari's TED talk gets shared a lot, though researchers argue with parts of it.",
    "Anne Fletcher's book on treatment is a good read for families.",
    "Quote of the week from Maya Angelou on the wall of the drop-in center.",
    "SAMHSA's working definition of recovery has four dimensions: health, home, purpose, community.",
    "Faces & Voices of Recovery has a free ethics course for peers.",
    "The Harm Reduction Coalition manual on naloxone programs is still useful a decade later.",
    "NAADAC and the IC&RC both have code of ethics PDFs, compare them.",
    "Big Book page 449 gets quoted in every acceptance share.",
    "Bill W.'s letters are a strange and honest read.",
    "Our program director will speak at the state recovery conference in the spring.",
    "The Kentucky training on self-care for peer specialists got good reviews here.",
    # businesses, events, places in a public role
    "Met the new hire at Panera to go over the outreach route.",
    "Someone donated a box of gift cards from Target for the holiday drive.",
    "Dairy Queen run after the meeting is a tradition at this point.",
    "The coffee at McDonald's is still the best deal for a late meeting.",
    "Recovery walk is on the 21st this year, starting at the courthouse steps.",
    "The office is closed the 4th and 5th, back on the 6th.",
    "Conference this year is in Denver, anyone else going?",
    "The national convention moved to Philadelphia, cheaper hotels apparently.",
    "Our agency opened a second drop-in center across town.",
    "Call the warmline at 1-800-555-0142 if you need to talk tonight, staffed by peers.",
    "Questions about renewal? Email certification@pcb-example.org or call the office.",
    "Staff: Program Director Lena Ortiz; Peer Supervisor Carl Mayfield; Outreach Lead Bea Tran.",
    # ordinary language traps
    "Well, Grace under pressure is not my strong suit, but I'm learning.",
    "Hope is a verb in this house.",
    "Faith, Patience and a lot of coffee, that's how I got through year one.",
    "Will you be at the Thursday meeting? I'll bring chairs.",
    "Mark my words, the first 90 days are the hardest.",
    "Bill comes due on the 1st and I still haven't figured out the budget.",
    "Sunny day, long walk, no cravings. Take the wins.",
    "Frank conversations with family are the hardest part of step nine.",
    "Ray of light today: my mom called just to say hi.",
    "Chase the feeling, not the high, is what my counselor says.",
    "Rob Peter to pay Paul, that's how my finances looked when I was using.",
    "Joy showed up in small ways this week, mostly at the dog park.",
    "May was rough, June is looking better.",
    "Drew a picture in art group, first time since high school.",
    "Gene therapy isn't a thing for addiction, despite what that ad implied.",
    "Amber alerts on my phone still make my heart race, trauma is weird.",
    "Dawn is my favourite time now, I used to sleep through it.",
    "Summer camp for kids of parents in recovery is filling up.",
]

FRESH_PHI = [
    "My sponsee {NAME:Leticia} relapsed after her cousin's funeral and won't pick up.",
    "{NAME:Big Mike} from the Wednesday group went back out, anyone heard from him?",
    "Client {NAME:Omar} says his PO wants proof of meetings by the {DATE:15th}.",
    "Visited Grandma {NAME:Ruth} with my client, she's {AGE:96} and sharp as a tack.",
    "{NAME:Shay} overdosed in the bathroom at Kroger, the staff used Narcan.",
    "Can someone sit with {NAME:Tariq} at intake tomorrow? He's nervous.",
    "my client {NAME:bella} got kicked out of {FACILITY:oxford house} for a dirty UA",
    "{NAME:Keon Phillips} has court {DATE:March 3rd} and wants a peer there.",
    "Her mother in law is {AGE:104}, she's been the caregiver for years.",
    "He was born {DATE:July 4, 1979}, the Medicaid worker keeps asking.",
    "DOB {DATE:11/02/1990}, please add it to the referral, not here next time.",
    "Discharge is set for {DATE:12-19-2026}, his mom is picking him up.",
    "Intake happened {DATE:2026-03-08} and he's been engaged since.",
    "She got out of {FACILITY:Marysville Reformatory} last week and needs an ID.",
    "Drove {NAME:Caleb} to {FACILITY:Grandview Medical Center} for the detox eval.",
    "{NAME:Jo} is staying at her aunt's in {GEO:Massillon} until she finds work.",
    "He's from {GEO:Portsmouth}, grew up two streets from the river.",
    "My client lives on {ADDRESS:2231 Oak Hill Rd} and the bus doesn't go there.",
    "She's at the women's shelter on {ADDRESS:14 Cherry St}, room 3.",
    "Her number: {PHONE:740.555.0136}, text first please.",
    "He gave me his cell, {PHONE:(513) 555-0177}, in case the program phone dies.",
    "Email from {EMAIL:tjohnson1984@hotmail.com} asking about her brother's bed.",
    "The photos are at {URL:bit.ly/3xRz9Qp}, his mom sent them for the memorial.",
    "Booking number {ID:A2291847} for the jail visit list.",
    "Her probation case is {ID:24CR000731}, the PO asked us to reference it.",
    "Member ID {ID:ZHX903184227} for his insurance, the pharmacy needs it.",
    "Social is {SSN:521-38-8840}, I know, I'll delete it after the form is done.",
    "ssn {SSN:448 19 2093} for the housing app, sorry for posting it",
    "His insta is {HANDLE:@lilrico_614}, he's been posting from the bridge.",
    "She messaged me on snap as {HANDLE:kaykay.recovers}, said she's safe.",
    "The router at the satellite office is {IP:192.168.14.2}, that's where the portal hangs.",
    "{NAME:Doug} and {NAME:Terri} both asked to switch to the evening group.",
    "Counselor {NAME:Vanessa Ruiz} will see him {DATE:Wednesday the 9th}.",
    "Nurse {NAME:Adaeze} at the detox said he's refusing meds.",
    "Coach {NAME:Fitz} from his old team keeps calling the house, it's triggering him.",
    "Sgt. {NAME:Whitaker} brought her in after the welfare check.",
    "Ms {NAME:Harlow} from the school says her son hasn't been in for a week.",
    "his PO mr. {NAME:brandt} wants a letter by friday",
    "my buddy {NAME:ty} just got a bed at {FACILITY:cornerstone}, finally",
    "sponsee {NAME:marisol} is at {FACILITY:riverside} again and asked me not to tell her mom",
    "Aunt {NAME:Dee} took the kids while {NAME:Kendra} is in treatment.",
    "{NAME:Al} picked up after 7 years, shaky but he called me.",
    "Update on {NAME:Yusuf}: discharged {DATE:Sept 5}, staying with his brother.",
    "His brother {NAME:Marco} found him and called 911, he's alive.",
    "{NAME:Nikki}, {NAME:Sam} and {NAME:Lou} all graduated drug court today!",
    "Client said her son {NAME:Dylan} (17) has started using too.",
    "Her dad turned {AGE:99} yesterday and she's terrified he'll be her excuse.",
    "He's {AGE:92} years old and still drives to the pharmacy himself.",
    "Mrs. {NAME:Oyelaran} called, she wants her daughter's records.",
    "{NAME:Crystal} is back at the shelter, she looked exhausted.",
    "{NAME:Hope Daniels} will need a ride to {FACILITY:Mercy Health} for her follow-up.",
    "{NAME:Grace} texted at 3am again, I think she's using.",
    "Went with {NAME:Will} to the {FACILITY:Hamilton County Justice Center} for his hearing.",
    "court on {DATE:feb 2} for {NAME:jasmine}, she wants someone there",
    "He overdosed on the {DATE:23rd} and the ER released him four hours later.",
    "{NAME:Rosa} said she moved in with her boyfriend in {GEO:Lorain}, bad idea imo.",
    "got a text from {NAME:dee} saying she's in {GEO:chillicothe} now",
    "pt {NAME:kim} states she last used {DATE:10/14}",
    "{NAME:Xavier Boone}, 34, referred from the ER after an overdose.",
    "My client {NAME:Paulette} is {AGE:101} and refuses to leave her apartment.",
    "Reach her sister at {PHONE:+1 614 555 2290} if she misses group again.",
    "Fax the release to {PHONE:614-555-7734} attn {NAME:Bev}.",
    "Her public defender is Ms. {NAME:Calloway}, court is next week.",
    "Talked to {NAME:Reggie} outside {FACILITY:Kettering Behavioral}, he's leaving AMA.",
    "He's camping near {ADDRESS:1400 Refugee Rd}, bring socks.",
    "Sister {NAME:Agnes} at the parish lets {NAME:Jerome} sleep in the basement.",
    "My sponsee's wife, {NAME:Lorraine}, found his stash and called me.",
    "Met {NAME:Hassan} at {FACILITY:Lakeside Recovery}, he's 10 days in.",
    "Please don't share that {NAME:Fiona} is pregnant, she told me in confidence.",
    "{NAME:Chuck}'s daughter called the office asking where he is.",
    "{NAME:Ed} called from the jail phone, I couldn't understand most of it.",
    "The family of {NAME:Ana Lucia Ferreira} wants a meeting on {DATE:Monday, May 4}.",
    "She started methadone at {FACILITY:Crossroads Clinic} on {DATE:1 June 2026}.",
    "hes with his grandpa in {GEO:xenia} til the court date",
    "{NAME:Trey} got picked up in {GEO:Canton} on a warrant.",
    "File number {ID:MH-778-2231} is the one the hospital social worker gave.",
    "Could you look up patient {ID:00482913} in the EHR before group?",
    "She has a new email, {EMAIL:m.delgado.r@proton.me}, use that one.",
    "His profile is {URL:https://www.facebook.com/derrick.hollins.7}, his mom asked us to watch it.",
    "Medicaid number {ID:106284497Z}, the case manager needs it for transport.",
]

WEAK_DEV_CLEAN = [
    "The drop-in center closed on the 4th because the boiler broke.",
    "Our Narcan training moved to the 12th, same room.",
    "Groups resume on the 2nd after the holiday break.",
    "The pantry reopens on the 18th with longer hours.",
    "Reading Gabor Mate again, the hungry ghosts chapter.",
    "Carl Hart's book made our whole team argue for a week.",
    "Brene Brown and Kristin Neff both come up in every shame workshop.",
    "I keep coming back to what Johann Hari said about connection.",
    "Lunch at Denny's after the meeting, the old timers hold court there.",
    "We grabbed tacos at Chipotle and planned the outreach route.",
    "Coffee at Tim Hortons with the new volunteers, great energy.",
    "Board members: Jan Ellis, Chair; Marcus Webb, Treasurer; Ruth Okonjo, Secretary.",
    "Your facilitators: Ana Reyes (CPRS) and Tom Becker (LCDC).",
    "Contact us: Harbor Peer Center, 211 Main St, 555-0133, open weekdays.",
    "For questions reach Amy Lin, Volunteer Coordinator, at volunteers@peerhub.org.",
    "Meet our staff: Jo Park, Peer Mentor.",
    "The recovery center downtown has a new mural.",
    "I work at a detox on the east side, nights mostly.",
    "The hospital near the highway finally has a bridge clinic.",
    "I moved to a small town and the only meeting is at the Methodist church.",
    "We need more beds in the county, the wait list is six weeks.",
    "Al-Anon helped my mom more than anything I said.",
    "The group wants more on grief, mercy and forgiveness this month.",
    "Reading about mercy and justice in the big book study.",
]

WEAK_DEV_PHI = [
    "{NAME:Jo} finally called back, she's ok.",
    "{NAME:Al} is at {FACILITY:Brookside} now, 5 days sober.",
    "Driving {NAME:Ed} to his hearing tomorrow.",
    "{NAME:Bo} slept at the bus station again.",
    "She went back to {FACILITY:Stepping Stones} after the weekend.",
    "He's at {FACILITY:Glenwood} for 28 days.",
    "They moved him to {FACILITY:Northpoint} last night.",
    "She's staying in {GEO:Marion} with her cousin.",
    "He ended up in {GEO:Mansfield} after the bus ride.",
    "she moved to {GEO:mentor} with her boyfriend",
    "he's in {GEO:independence} now, working at a warehouse",
    "we found him in {GEO:orange} at his uncle's",
    "He was released on the {DATE:4th} and no one picked him up.",
    "She relapsed on the {DATE:22nd} after her mom's visit.",
    "Her last use was on the {DATE:30th}, per the UA.",
]


def rows(items: list[str], group: str, split: str) -> list[dict[str, object]]:
    """Turn the marked sentences into corpus rows."""
    out: list[dict[str, object]] = []
    for i, template in enumerate(items):
        text, spans = _parse(template)
        for sp in spans:
            assert text[int(sp["start"]) : int(sp["end"])] == sp["text"]
        out.append(
            {
                "id": f"real-{split}-{i:04d}-{group}",
                "text": text,
                "spans": spans,
                "phi": bool(spans),
                "lower": text == text.lower(),
                "template": f"real-{split}-{group}-{i}",
                "note": PHI_NOTE if spans else CLEAN_NOTE,
            }
        )
    return out


def main() -> None:
    """Write fresh.jsonl and weak_dev.jsonl next to this file."""
    sets = {
        "fresh": rows(FRESH_CLEAN, "clean", "fresh") + rows(FRESH_PHI, "phi", "fresh"),
        "weak_dev": rows(WEAK_DEV_CLEAN, "clean", "weak") + rows(WEAK_DEV_PHI, "phi", "weak"),
    }
    for name, data in sets.items():
        texts = [r["text"] for r in data]
        assert len(texts) == len(set(texts)), f"duplicate message in {name}"
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for row in data:
                fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
