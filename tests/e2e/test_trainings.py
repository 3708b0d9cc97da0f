"""/training create and RSVP end to end: modal → preview → announcement; cap, waitlist, promotion, restart."""

import re
from datetime import UTC, datetime

import pytest

from bot.services.trainings import TrainingService

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
FORM = {
    "training:title": "Naloxone refresher",
    "training:description": "Hands-on practice with nasal naloxone.",
    "training:start": "tomorrow 18:30",
    "training:details": "90 min, 1.5, harm reduction",
    "training:location": "https://meet.example.org/naloxone",
}


def text_of(message):
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def buttons(message):
    return {c["label"]: c for row in message.components for c in row["components"]}


async def setup_server(h):
    channel = h.guild.add_text_channel("announcements")
    await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": channel.id})
    return channel


async def create(h, user, values=None, capacity=None):
    opened = await h.slash(user, "training create", {"capacity": capacity} if capacity is not None else {})
    assert opened.response.type == 9, opened.response.content
    return await h.fake.submit_modal(user, opened, {**FORM, **(values or {})})


async def post(h, user, capacity=None, values=None):
    preview = await create(h, user, values, capacity)
    assert preview.response.ephemeral, preview.response.content
    done = await h.fake.click(user, preview.original(), "training:post")
    return int(re.search(r"#(\d+)", done.response.content).group(1))


async def nothing_stored(h):
    """No training was ever stored: the first id a fresh database would give is unused."""
    return await h.bot.feature(TrainingService).get(1) is None


async def test_create_previews_then_posts_an_announcement_with_buttons(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    preview = await create(h, h.admin, capacity=2)
    assert preview.response.ephemeral
    stamp = int(datetime(2026, 12, 3, 18, 30, tzinfo=UTC).timestamp())
    assert f"<t:{stamp}:F>" in text_of(preview.response)
    assert await nothing_stored(h)  # a preview stores nothing
    assert not h.fake.channel_messages(channel.id)
    # Edit reopens the form filled in; the changed title shows in the new preview
    reopened = await h.fake.click(h.admin, preview.original(), "training:edit-draft")
    assert reopened.response.type == 9
    second = await h.fake.submit_modal(h.admin, reopened, {"training:title": "Naloxone refresher II"})
    assert "Naloxone refresher II" in text_of(second.response)
    done = await h.fake.click(h.admin, second.original(), "training:post")
    assert "Posted training #" in done.response.content
    card = h.fake.channel_messages(channel.id)[-1]
    text = text_of(card)
    assert f"<t:{stamp}:F>" in text and f"<t:{stamp}:R>" in text
    assert "1 h 30 min" in text and "1.5 h · harm reduction" in text and "2 of 2 seats left" in text
    assert set(buttons(card)) == {"Going", "Maybe", "Can't go"}


async def test_rsvp_cap_waitlist_promotion_and_restart(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin, capacity=2)
    card = h.fake.channel_messages(channel.id)[-1]
    alice, bob, carmen, dev = h.members[:4]
    going = f"harbor:tr:going:{tid}"
    for user in (alice, bob):
        reply = await h.fake.click(user, card, going)
        assert reply.response.ephemeral and "You're going" in reply.response.content
    again = await h.fake.click(alice, card, going)  # never counted twice
    assert "You're going" in again.response.content
    third = await h.fake.click(carmen, card, going)
    assert "#1 on the waitlist" in third.response.content
    fourth = await h.fake.click(dev, card, going)
    assert "#2 on the waitlist" in fourth.response.content
    await h.fake.wait_for(lambda: "full (2 seats)" in text_of(card) and "2 waitlisted" in text_of(card))
    assert "Join waitlist" in buttons(card)
    await h.restart()  # buttons and counts come from the database
    left = await h.fake.click(bob, card, f"harbor:tr:no:{tid}")
    assert "can't go" in left.response.content
    dms = await h.fake.wait_for(lambda: h.fake.dms(carmen))
    assert "now going" in dms[-1].content
    await h.fake.wait_for(lambda: "Going 2" in text_of(card) and "1 waitlisted" in text_of(card))
    # carmen gives the seat back from her DM: dev is promoted next
    released = await h.fake.click(carmen, dms[-1], f"harbor:tr:release:{tid}")
    assert "released" in released.response.content
    await h.fake.wait_for(lambda: h.fake.dms(dev))
    service = h.bot.feature(TrainingService)
    assert await service.members(tid, "going") == [alice.id, dev.id]
    assert sorted(await service.members(tid, "no")) == sorted([bob.id, carmen.id])
    stale = await h.fake.click(carmen, dms[-1], f"harbor:tr:release:{tid}") if dms[-1].components else None
    assert stale is None or "don't hold a seat" in stale.response.content


async def test_edits_are_coalesced(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin)
    card = h.fake.channel_messages(channel.id)[-1]
    before = len([r for r in h.fake.requests if r.method == "PATCH" and f"/messages/{card.id}" in r.path])
    for user in h.members:
        await h.fake.click(user, card, f"harbor:tr:maybe:{tid}")
    await h.fake.wait_for(lambda: "Maybe 6" in text_of(card))
    edits = len([r for r in h.fake.requests if r.method == "PATCH" and f"/messages/{card.id}" in r.path]) - before
    assert 1 <= edits < 6


@pytest.mark.parametrize(
    ("values", "capacity", "says"),
    [
        ({"training:start": "yesterday 6pm"}, None, "in the past"),
        ({"training:start": "whenever suits"}, None, "couldn't read"),
        ({"training:details": "0 min"}, None, "between 1 minute and 12 hours"),
        ({"training:details": "13 hours"}, None, "between 1 minute and 12 hours"),
        ({"training:details": "60, 1.3, ethics"}, None, "quarter steps"),
        ({"training:details": "60, 1.5"}, None, "category"),
        ({"training:details": "60, -1, ethics"}, None, "quarter steps"),
        ({"training:details": "ninety, 1, ethics"}, None, "could not read the duration"),
        ({"training:details": "60, 1, " + "x" * 41}, None, "at most 40 characters"),
        ({"training:start": "2026-12-01 18:00"}, None, "which is in the past"),
    ],
)
async def test_bad_input_is_refused_and_nothing_stored(timed_harness, values, capacity, says):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    reply = await create(h, h.admin, values, capacity)
    assert reply.response.ephemeral and says in reply.response.content, reply.response.content
    assert await nothing_stored(h) and not h.fake.channel_messages(channel.id)


async def test_form_fields_carry_discords_limits_and_bad_capacities_are_refused(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    for capacity in (-1, 10_001):
        reply = await h.slash(h.admin, "training create", {"capacity": capacity})
        assert reply.response.ephemeral and "Capacity is a number of seats" in reply.response.content
    opened = await h.slash(h.admin, "training create")
    limits = {}
    for row in opened.response.data["components"]:
        for c in row.get("components") or [row.get("component") or {}]:
            if c.get("custom_id"):
                limits[c["custom_id"]] = c.get("max_length")
    assert limits == {
        "training:title": 100,
        "training:description": 1500,
        "training:start": 100,
        "training:details": 80,
        "training:location": 200,
    }
    with pytest.raises(AssertionError, match="length must be within"):  # Discord's client refuses to submit
        await h.fake.submit_modal(h.admin, opened, {**FORM, "training:title": "x" * 101})
    assert await nothing_stored(h) and not h.fake.channel_messages(channel.id)


async def test_capacity_members_and_missing_channel_are_refused(timed_harness):
    h = await timed_harness(NOW)
    no_channel = await h.slash(h.admin, "training create")
    assert no_channel.response.ephemeral and "announcements channel" in no_channel.response.content
    await setup_server(h)
    zero = await h.slash(h.admin, "training create", {"capacity": 0})
    assert zero.response.ephemeral and "Capacity" in zero.response.content
    member = await h.slash(h.alice, "training create")
    assert member.response.ephemeral and "trainer" in member.response.content
    trainers = h.guild.add_role("Trainers")
    tess = h.fake.add_user("tess")
    h.guild.add_member(tess, roles=[trainers.id])
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    tid = await post(h, tess)
    assert tid == 1 and await h.bot.feature(TrainingService).get(2) is None


async def test_reminders_go_to_going_members_only_survive_restart_and_skip_after_start(timed_harness):
    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin)  # starts 2026-12-03 18:30 UTC
    card = h.fake.channel_messages(channel.id)[-1]
    alice, bob, carmen = h.members[:3]
    await h.fake.click(alice, card, f"harbor:tr:going:{tid}")
    await h.fake.click(bob, card, f"harbor:tr:maybe:{tid}")
    await h.fake.click(carmen, card, f"harbor:tr:no:{tid}")
    await h.restart()
    h.clock.advance(hours=6, minutes=31)  # 24 h before the start
    assert await h.bot.services.timers.fire_due() >= 1
    dms = await h.fake.wait_for(lambda: h.fake.dms(alice))
    assert "Reminder" in dms[-1].content and "<t:" in dms[-1].content and "meet.example.org" in dms[-1].content
    assert not h.fake.dms(bob) and not h.fake.dms(carmen)
    assert await h.bot.services.timers.fire_due() == 0  # nothing doubled
    # the 1 h reminder comes due while the bot is down and the training has begun: skipped
    await h.stop()
    h.clock.advance(hours=24)
    await h.start()
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(alice)) == 1


async def test_list_info_autocomplete_and_ics(timed_harness):
    from icalendar import Calendar

    h = await timed_harness(NOW)
    await setup_server(h)
    tid = await post(h, h.admin, capacity=10)
    listed = await h.slash(h.alice, "training list")
    assert listed.response.ephemeral and f"#{tid} Naloxone refresher" in text_of(listed.response)
    assert "10 seats left" in text_of(listed.response)
    info = await h.slash(h.alice, "training info", {"id": tid})
    assert info.response.ephemeral and "1 h 30 min" in text_of(info.response)
    missing = await h.slash(h.alice, "training info", {"id": 999})
    assert missing.response.ephemeral and "no training #999" in missing.response.content
    reply = await h.slash(h.alice, "training ics", {"id": tid})
    name, body = reply.response.files[0]
    assert name == f"training-{tid}.ics"
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["UID"]) == f"training-{tid}-{h.guild.id}@harbor"
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
    assert body.count(b"DTSTART:20261203T183000Z") == 1
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert str(event["URL"]) == FORM["training:location"]


async def test_cancel_tells_members_disables_buttons_and_drops_reminders(timed_harness):
    from icalendar import Calendar

    h = await timed_harness(NOW)
    channel = await setup_server(h)
    tid = await post(h, h.admin, capacity=1)
    card = h.fake.channel_messages(channel.id)[-1]
    alice, bob, carmen = h.members[:3]
    await h.fake.click(alice, card, f"harbor:tr:going:{tid}")
    await h.fake.click(bob, card, f"harbor:tr:going:{tid}")  # waitlisted
    await h.fake.click(carmen, card, f"harbor:tr:maybe:{tid}")
    trainers = h.guild.add_role("Trainers")
    tess = h.fake.add_user("tess")
    h.guild.add_member(tess, roles=[trainers.id])
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    refused = await h.slash(tess, "training cancel", {"id": tid, "reason": "Not mine to cancel"})
    assert refused.response.ephemeral and "Only the training's trainer" in refused.response.content
    done = await h.slash(h.admin, "training cancel", {"id": tid, "reason": "The trainer is ill"})
    assert done.response.ephemeral and "Cancelled" in done.response.content
    for user in (alice, bob):
        dms = await h.fake.wait_for(lambda user=user: h.fake.dms(user))
        assert "cancelled: The trainer is ill" in dms[-1].content
    assert not h.fake.dms(carmen)
    await h.fake.wait_for(lambda: "Cancelled:" in text_of(card))
    assert all(b.get("disabled") for b in buttons(card).values())
    assert await h.bot.services.timers.pending(event="training.remind") == []
    event = Calendar.from_ical((await h.slash(h.alice, "training ics", {"id": tid})).response.files[0][1]).walk(
        "VEVENT"
    )[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    again = await h.slash(h.admin, "training cancel", {"id": tid, "reason": "twice"})
    assert again.response.ephemeral and "not scheduled" in again.response.content
