"""/training edit and /training roster end to end: preview, post update, SEQUENCE, reminders moved, DMs."""

import csv
import io
from datetime import UTC, datetime

from icalendar import Calendar

from tests.e2e.test_trainings import NOW, buttons, post, setup_server, text_of


def stamp(moment):
    return f"<t:{int(moment.timestamp())}:F>"


OLD_START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
NEW_START = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)


async def ics_event(h, tid):
    reply = await h.slash(h.alice, "training ics", {"id": tid})
    return Calendar.from_ical(reply.response.files[0][1]).walk("VEVENT")[0]


async def open_edit(h, user, tid, **options):
    return await h.slash(user, "training edit", {"id": tid, **options})


async def edit(h, user, tid, values, **options):
    opened = await open_edit(h, user, tid, **options)
    assert opened.response.type == 9, opened.response.content
    preview = await h.fake.submit_modal(user, opened, values)
    assert preview.response.ephemeral, preview.response.content
    return preview


async def add_trainer(h, name="tess"):
    trainers = h.guild.add_role("Trainers")
    user = h.fake.add_user(name)
    h.guild.add_member(user, roles=[trainers.id])
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    return user


async def test_edit_moves_the_time_everywhere_and_tells_going_and_waitlisted(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin, capacity=2)
    card = h.fake.channel_messages(channel.id)[-1]
    alice, bob, carmen, dev = h.members[:4]
    for user in (alice, bob, carmen):
        await h.fake.click(user, card, f"harbor:tr:going:{tid}")  # carmen is waitlisted
    await h.fake.click(dev, card, f"harbor:tr:maybe:{tid}")
    # the form comes back prefilled with the current values (start in the editor's zone)
    opened = await open_edit(h, h.admin, tid, capacity=3)
    fields = {c["custom_id"]: c for row in opened.response.data["components"] for c in _inputs(row)}
    assert fields["training:title"]["value"] == "Naloxone refresher"
    assert fields["training:start"]["value"] == "2026-12-03 18:30"
    assert fields["training:details"]["value"] == "90 min, 1.5, harm reduction"
    preview = await h.fake.submit_modal(h.admin, opened, {"training:start": "2026-12-04 18:30"})
    text = text_of(preview.response)
    assert f"Start: {stamp(OLD_START)} → {stamp(NEW_START)}" in text and "Seats: 2 → 3" in text
    assert int((await ics_event(h, tid))["SEQUENCE"]) == 0  # a preview changes nothing
    saved = await h.fake.click(h.admin, preview.original(), "training:save")
    await h.fake.wait_for(lambda: "Saved training" in (saved.original().content or ""))
    assert "told 3 members" in saved.original().content and "1 moved up" in saved.original().content
    await h.fake.wait_for(lambda: stamp(NEW_START) in text_of(card))
    assert "Going 3" in text_of(card) and "full (3 seats)" in text_of(card)
    event = await ics_event(h, tid)
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == NEW_START
    for user in (alice, bob):
        dm = (await h.fake.wait_for(lambda user=user: h.fake.dms(user)))[-1]
        assert "was changed" in dm.content and f"{stamp(OLD_START)} → {stamp(NEW_START)}" in dm.content
    promoted = (await h.fake.wait_for(lambda: h.fake.dms(carmen)))[-1]
    assert "now going" in promoted.content and f"→ {stamp(NEW_START)}" in promoted.content
    assert not h.fake.dms(dev)
    # reminders moved: nothing at the old 24 h mark, one each at the new one, never twice
    h.clock.now = datetime(2026, 12, 2, 18, 31, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    assert [len(h.fake.dms(u)) for u in (alice, bob, carmen)] == [1, 1, 1]
    h.clock.now = datetime(2026, 12, 3, 18, 31, tzinfo=UTC)
    assert await h.bot.services.timers.fire_due() >= 1
    for user in (alice, bob, carmen):
        dms = h.fake.dms(user)
        assert len(dms) == 2 and "Reminder" in dms[-1].content and stamp(NEW_START) in dms[-1].content
    assert await h.bot.services.timers.fire_due() == 0
    assert not h.fake.dms(dev)


def _inputs(row):
    for c in row.get("components") or ([row.get("component")] if row.get("component") else []):
        yield from _inputs(c) if c.get("type") in (1, 18) else [c]


async def test_lowering_the_cap_keeps_going_members_and_promotes_nobody_until_under_it(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin, capacity=3)
    card = h.fake.channel_messages(channel.id)[-1]
    alice, bob, carmen, dev = h.members[:4]
    for user in (alice, bob, carmen):
        await h.fake.click(user, card, f"harbor:tr:going:{tid}")
    preview = await edit(h, h.admin, tid, {}, capacity=1)
    assert "3 members are already going, more than 1 seats: they keep their seats" in preview.response.content
    await h.fake.click(h.admin, preview.original(), "training:save")
    await h.fake.wait_for(lambda: "full (1 seats)" in text_of(card))
    assert "Going 3" in text_of(card)
    late = await h.fake.click(dev, card, f"harbor:tr:going:{tid}")
    assert "#1 on the waitlist" in late.response.content
    await h.fake.click(alice, card, f"harbor:tr:no:{tid}")  # 2 going, still over the cap: nobody promoted
    await h.fake.click(bob, card, f"harbor:tr:no:{tid}")  # 1 going = the cap: still nobody
    await h.fake.click(carmen, card, f"harbor:tr:no:{tid}")  # 0 going: dev gets the seat
    await h.fake.wait_for(lambda: any("now going" in m.content for m in h.fake.dms(dev)))
    await h.fake.wait_for(lambda: "Going 1" in text_of(card) and "waitlisted" not in text_of(card))


async def test_edit_refusals_change_nothing(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin)
    card = h.fake.channel_messages(channel.id)[-1]
    await h.fake.click(h.alice, card, f"harbor:tr:going:{tid}")
    tess = await add_trainer(h)
    before = text_of(card)

    async def refused(user, says, tid=tid, **options):
        reply = await open_edit(h, user, tid, **options)
        assert reply.response.type != 9 and reply.response.ephemeral, reply.response
        assert says in reply.response.content, reply.response.content

    await refused(h.alice, "trainer")
    await refused(tess, "Only the training's trainer or an admin")
    await refused(h.admin, "no training #999", tid=999)
    await refused(h.admin, "Capacity", capacity=0)
    await refused(h.admin, "Capacity", capacity=-4)
    # bad values in the form: a clear message, nothing saved
    for values, says in [
        ({"training:start": "yesterday 6pm"}, "in the past"),
        ({"training:start": "when the moon is full"}, "couldn't read"),
        ({"training:details": "0 min"}, "between 1 minute and 12 hours"),
        ({"training:details": "13h"}, "between 1 minute and 12 hours"),
        ({"training:details": "60, 0.3, ethics"}, "quarter steps"),
        ({"training:details": "60, 1, " + "x" * 45}, "at most 40 characters"),
        ({}, "Nothing changed"),
    ]:
        opened = await open_edit(h, h.admin, tid)
        reply = await h.fake.submit_modal(h.admin, opened, values)
        if reply.response.type == 4 and "Save" in buttons(reply.response):
            reply = await h.fake.click(h.admin, reply.original(), "training:save")
        assert reply.response.ephemeral and says in (reply.response.content or ""), (values, reply.response.content)
    # a preview overtaken by another edit is refused on save
    stale = await edit(h, h.admin, tid, {"training:title": "Naloxone refresher (room 2)"})
    fresh = await edit(h, h.admin, tid, {"training:title": "Naloxone refresher (room 3)"})
    await h.fake.click(h.admin, fresh.original(), "training:save")
    late = await h.fake.click(h.admin, stale.original(), "training:save")
    assert "changed since your preview" in late.response.content
    assert int((await ics_event(h, tid))["SEQUENCE"]) == 1
    await h.fake.wait_for(lambda: "room 3" in text_of(card))
    assert before != text_of(card)
    # cancelled, or already started: refused
    opened = await open_edit(h, h.admin, tid)  # cancelled while the form is open: refused on submit
    await h.slash(h.admin, "training cancel", {"id": tid, "reason": "Trainer is ill"})
    late = await h.fake.submit_modal(h.admin, opened, {"training:title": "Renamed"})
    assert late.response.ephemeral and "was cancelled" in late.response.content
    await refused(h.admin, "was cancelled")
    other = await post(h, h.admin)
    h.clock.now = datetime(2026, 12, 3, 18, 45, tzinfo=UTC)
    await refused(h.admin, "already started", tid=other)
    h.clock.now = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
    await refused(h.admin, "over", tid=other)


async def test_roster_is_a_formula_safe_csv_for_its_trainer_or_an_admin(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tess = await add_trainer(h)
    tid = await post(h, tess, capacity=2)
    card = h.fake.channel_messages(channel.id)[-1]
    sly = h.fake.add_user('=HYPERLINK("http://x.example")')
    h.guild.add_member(sly)
    alice, bob, carmen = h.members[:3]
    for user, answer in ((alice, "going"), (sly, "going"), (bob, "going"), (carmen, "maybe")):
        await h.fake.click(user, card, f"harbor:tr:{answer}:{tid}")
    for user in (tess, h.admin):
        reply = await h.slash(user, "training roster", {"id": tid})
        assert reply.response.type == 5 and reply.response.ephemeral  # deferred: names may need look-ups
        sent = (await reply.wait_followups(1))[0]
        assert sent.ephemeral and "4 members, 0 attended" in sent.content
        name, body = sent.files[0]
        assert name == f"training-{tid}-roster.csv"
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0] == ["name", "user_id", "rsvp", "attended", "ce_hours"]
        assert rows[1] == ["alice", str(alice.id), "going", "no", "0"]
        assert rows[2] == ['\'=HYPERLINK("http://x.example")', str(sly.id), "going", "no", "0"]
        assert rows[3][2] == "waitlisted" and rows[4][2] == "maybe"
    other = await add_trainer(h, "otto")
    for user, says in ((other, "Only the training's trainer or an admin"), (alice, "trainer")):
        refused = await h.slash(user, "training roster", {"id": tid})
        assert refused.response.ephemeral and says in refused.response.content and not refused.response.files


async def test_no_cap_removes_the_limit_and_moves_the_whole_waitlist_up(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin, capacity=1)
    card = h.fake.channel_messages(channel.id)[-1]
    alice, bob, carmen = h.members[:3]
    for user in (alice, bob, carmen):
        await h.fake.click(user, card, f"harbor:tr:going:{tid}")  # bob and carmen are waitlisted
    both = await open_edit(h, h.admin, tid, capacity=5, no_cap=True)
    assert both.response.ephemeral and "not both" in both.response.content
    preview = await edit(h, h.admin, tid, {}, no_cap=True)
    assert "Seats: 1 → no cap" in text_of(preview.response)
    saved = await h.fake.click(h.admin, preview.original(), "training:save")
    await h.fake.wait_for(lambda: "Saved training" in (saved.original().content or ""))
    assert "2 moved up" in saved.original().content
    await h.fake.wait_for(lambda: "Going 3" in text_of(card))
    assert "full" not in text_of(card) and "waitlist" not in text_of(card).lower()
    for user in (bob, carmen):
        dm = (await h.fake.wait_for(lambda user=user: h.fake.dms(user)))[-1]
        assert "now going" in dm.content
    late = await h.fake.click(h.members[3], card, f"harbor:tr:going:{tid}")
    assert "waitlist" not in late.response.content
