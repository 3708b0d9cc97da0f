"""/announce end to end through the fake Discord: preview, post now, schedule, list, cancel, timers, /mydata."""

import json
from datetime import UTC, datetime

import pytest

from bot.services.announcements import POST_EVENT, AnnouncementService
from tests.e2e.harness import reply_text

POST = "announce:preview:post"
EDIT = "announce:preview:edit"


async def configure(h, *, channel=True):
    trainers = h.guild.add_role("Trainers")
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    h.guild.update_member(h.bob, roles=[trainers.id])
    board = None
    if channel:
        board = h.guild.add_text_channel("announcements")
        await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": board.id})
    return board, trainers


def form(text, *, title="", when="now"):
    values = {"announce:text": text, "announce:when": when}
    if title:
        values["announce:title"] = title
    return values


async def preview(h, user, values, options=None):
    opened = await h.slash(user, "announce new", options or {})
    assert opened.response.type == 9, reply_text(opened.response)
    return await h.fake.submit_modal(user, opened, values)


async def written(h, *authors):
    """What Harbor keeps of the announcements these members wrote (what `/mydata export` lists), oldest first."""
    service = h.bot.feature(AnnouncementService)
    return [a for user in authors or (h.admin, h.bob) for a in await service.export_user(user.id)]


async def stored(h):
    return len(await written(h))


async def statuses(h, *authors):
    return [a["status"] for a in await written(h, *authors)]


async def pending_posts(h):
    """The durable posts still to fire, as (timer key, due time in UTC), soonest first."""
    return [(t.key, t.due_at.isoformat()) for t in await h.bot.services.timers.pending(event=POST_EVENT)]


def sent_bodies(h, channel_id):
    return [r.json for r in h.fake.requests if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"]


async def test_admin_posts_now_pinging_one_role_while_mentions_in_the_text_stay_silent(harness):
    h = harness
    board, trainers = await configure(h)
    shown = await preview(
        h,
        h.admin,
        form(f"Hi @everyone and @here and <@&{h.mod_role.id}>: naloxone refresher Friday.", title="Naloxone"),
        {"ping_role": trainers.id},
    )
    assert shown.response.ephemeral and "Preview" in shown.response.content
    assert f"<@&{trainers.id}>" in shown.response.content and "now" in shown.response.content
    assert await stored(h) == 0 and h.fake.channel_messages(board.id) == []  # a preview stores nothing
    done = await h.fake.click(h.admin, shown.original(), POST)
    assert "Posted" in reply_text(done.response)
    [message] = h.fake.channel_messages(board.id)
    assert message.content == f"<@&{trainers.id}>"
    assert message.embeds[0]["title"] == "Naloxone" and "refresher Friday" in message.embeds[0]["description"]
    [body] = sent_bodies(h, board.id)
    assert body["allowed_mentions"] == {"parse": [], "roles": [str(trainers.id)], "replied_user": False} or (
        body["allowed_mentions"]["parse"] == [] and [int(r) for r in body["allowed_mentions"]["roles"]] == [trainers.id]
    )
    [row] = await written(h)
    assert row["status"] == "posted" and row["message_id"] == message.id and row["ping_role_id"] == trainers.id


async def test_trainer_text_pings_nobody_and_edit_reopens_the_form_prefilled(harness):
    h = harness
    board, _ = await configure(h)
    first = await preview(h, h.bob, form("@everyone group moved to <@&1> Room 4", title="Moved"))
    reopened = await h.fake.click(h.bob, first.original(), EDIT)
    assert reopened.response.type == 9
    fields = {
        c["custom_id"]: c.get("value")
        for row in reopened.response.data["components"]
        for c in (row.get("components") or [row.get("component")])
        if c
    }
    assert fields["announce:text"] == "@everyone group moved to <@&1> Room 4" and fields["announce:title"] == "Moved"
    refused = await h.fake.submit_modal(h.bob, reopened, form("Group moved", when="yesterday 9am"))
    assert refused.response.ephemeral and "not in the future" in refused.response.content
    reopened = await h.fake.click(h.bob, first.original(), EDIT)  # a refused edit leaves the preview usable
    updated = await h.fake.submit_modal(h.bob, reopened, form("Group moved to Room 5", title="Moved"))
    assert updated.response.type == 7  # the same preview, changed in place
    assert "Room 5" in first.original().embeds[0]["description"]
    await h.fake.click(h.bob, first.original(), POST)
    stale = await h.fake.click(h.bob, first.original(), POST) if first.original().components else None
    assert stale is None  # posting removed the buttons
    [message] = h.fake.channel_messages(board.id)
    assert "Room 5" in message.embeds[0]["description"] and not message.content
    [body] = sent_bodies(h, board.id)
    assert body["allowed_mentions"]["parse"] == [] and not body["allowed_mentions"].get("roles")


@pytest.fixture
async def timed(timed_harness):
    return await timed_harness(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))  # a Wednesday, 09:00 in Chicago


async def test_scheduled_in_local_time_listed_survives_restart_and_posts_once(timed):
    h = timed
    board, _ = await configure(h)
    await h.slash(h.bob, "profile timezone", {"zone": "America/Chicago"})
    shown = await preview(h, h.bob, form("Supervision group tonight", when="today 18:30"))
    assert "<t:" in shown.response.content and "America/Chicago" in shown.response.content
    scheduled = await h.fake.click(h.bob, shown.original(), POST)
    assert "Scheduled as **#1**" in reply_text(scheduled.response)
    assert await pending_posts(h) == [("announce:1:post", "2026-12-03T00:30:00+00:00")]
    listed = await h.slash(h.admin, "announce list")
    assert "#1" in reply_text(listed.response) and "Supervision group" in reply_text(listed.response)
    await h.restart()
    h.clock.now = datetime(2026, 12, 3, 0, 30, 5, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    await h.bot.services.timers.fire_due()
    [message] = h.fake.channel_messages(board.id)
    assert "Supervision group tonight" in message.embeds[0]["description"]
    assert [(a["id"], a["status"]) for a in await written(h)] == [(1, "posted")]
    empty = await h.slash(h.bob, "announce list")
    assert "No announcements are scheduled" in reply_text(empty.response)


async def test_due_while_down_is_posted_late_once(timed):
    h = timed
    board, _ = await configure(h)
    shown = await preview(h, h.bob, form("Office hours moved", when="in 2 hours"))
    await h.fake.click(h.bob, shown.original(), POST)
    await h.stop()
    h.clock.advance(days=1)
    await h.start()
    await h.bot.services.timers.fire_due()
    await h.bot.services.timers.fire_due()
    assert len(h.fake.channel_messages(board.id)) == 1
    assert await statuses(h) == ["posted"]


async def test_cancel_with_autocomplete_and_only_author_or_admin(timed):
    h = timed
    board, trainers = await configure(h)
    carmen = h.members[2]
    h.guild.update_member(carmen, roles=[trainers.id])
    for text in ("First", "Second"):
        shown = await preview(h, h.bob, form(text, when="tomorrow 9am"))
        await h.fake.click(h.bob, shown.original(), POST)
    choices = await h.fake.autocomplete(h.bob, "announce cancel", {"id": ""}, focused="id", guild=h.guild)
    assert [c["value"] for c in choices] == [1, 2]
    assert await h.fake.autocomplete(carmen, "announce cancel", {"id": ""}, focused="id", guild=h.guild) == []
    refused = await h.slash(carmen, "announce cancel", {"id": 1})
    assert refused.response.ephemeral and "Only its author or an admin" in refused.response.content
    done = await h.slash(h.bob, "announce cancel", {"id": 1})
    assert "Cancelled announcement **#1**" in done.response.content
    by_admin = await h.slash(h.admin, "announce cancel", {"id": 2})
    assert "#2" in by_admin.response.content
    again = await h.slash(h.bob, "announce cancel", {"id": 2})
    assert "no scheduled announcement #2" in again.response.content
    assert await pending_posts(h) == []
    h.clock.advance(days=2)
    await h.bot.services.timers.fire_due()
    assert h.fake.channel_messages(board.id) == []


async def test_channel_gone_at_posting_time_marks_it_failed_and_tells_the_author(timed):
    h = timed
    board, _ = await configure(h)
    shown = await preview(h, h.bob, form("Holiday hours", when="tomorrow 9am"))
    await h.fake.click(h.bob, shown.original(), POST)
    await h.bot.services.guild_config.set(h.guild.id, "channel.announcements", None, by=h.admin.id)
    h.clock.advance(days=1)
    await h.bot.services.timers.fire_due()
    assert h.fake.channel_messages(board.id) == []
    assert await statuses(h) == ["failed"]
    [dm] = h.fake.dms(h.bob)
    assert "could not be posted" in dm.content


async def _refusal(h, user, values=None, options=None, *, modal=True):
    if not modal:
        reply = await h.slash(user, "announce new", options or {})
        assert reply.response.type == 4 and reply.response.ephemeral
        return reply.response.content
    reply = await preview(h, user, values, options)
    assert reply.response.ephemeral and not reply.response.components
    return reply.response.content


async def test_bad_input_is_refused_ephemerally_and_stores_nothing(timed):
    h = timed
    text = await _refusal(h, h.alice, modal=False)
    assert "Only trainers" in text
    board, trainers = await configure(h, channel=False)
    assert "no announcements channel" in await _refusal(h, h.bob, modal=False)
    board = h.guild.add_text_channel("announcements")
    await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": board.id})
    assert "Only server admins" in await _refusal(h, h.bob, options={"ping_role": trainers.id}, modal=False)
    assert "never pings @everyone" in await _refusal(
        h, h.admin, options={"ping_role": h.guild.everyone.id}, modal=False
    )
    assert "needs some text" in await _refusal(h, h.bob, form("   \u0000  "))
    past = await _refusal(h, h.bob, form("Hello", when="yesterday 9am"))
    assert "<t:" in past and "not in the future" in past and "tomorrow 18:30" in past
    unreadable = await _refusal(h, h.bob, form("Hello", when="when the moon is blue"))
    assert "couldn't read" in unreadable and "next tue 6pm" in unreadable
    far = await _refusal(h, h.bob, form("Hello", when="2030-01-01 9am"))
    assert "up to a year" in far
    assert "one line" in await _refusal(h, h.bob, form("Hello", title="a\nb"))
    assert await stored(h) == 0 and await pending_posts(h) == []
    assert h.fake.channel_messages(board.id) == []


async def test_time_passed_while_previewing_is_refused_at_post(timed):
    h = timed
    await configure(h)
    shown = await preview(h, h.bob, form("Soon", when="in 5 minutes"))
    h.clock.advance(minutes=10)
    late = await h.fake.click(h.bob, shown.original(), POST)
    assert late.response.ephemeral and "not in the future" in reply_text(late.response)
    assert await stored(h) == 0


async def test_mydata_exports_and_erase_cancels_scheduled_ones(timed):
    h = timed
    board, _ = await configure(h)
    shown = await preview(h, h.bob, form("Posted now"))
    await h.fake.click(h.bob, shown.original(), POST)
    shown = await preview(h, h.bob, form("Later", when="tomorrow 9am"))
    await h.fake.click(h.bob, shown.original(), POST)
    export = await h.slash(h.bob, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    data = json.loads(next(body for r in replies for _, body in r.files))["data"]
    assert [(a["text"], a["status"]) for a in data["announcements"]] == [
        ("Posted now", "posted"),
        ("Later", "scheduled"),
    ]
    ask = await h.slash(h.bob, "mydata delete")
    ids = [c["custom_id"] for row in ask.response.components for c in row.get("components", [])]
    await h.fake.click(h.bob, ask.original(), ids[0])
    assert await stored(h) == 0 and await pending_posts(h) == []
    h.clock.advance(days=2)
    await h.bot.services.timers.fire_due()
    assert len(h.fake.channel_messages(board.id)) == 1  # the posted one stays: it is the server's message
    privacy = await h.slash(h.bob, "privacy")
    assert "/announce" in reply_text(privacy.response)


async def test_a_crash_after_sending_does_not_post_twice(timed):
    h = timed
    board, _ = await configure(h)
    shown = await preview(h, h.bob, form("Exactly once", when="tomorrow 9am"))
    await h.fake.click(h.bob, shown.original(), POST)
    service = h.bot.feature(AnnouncementService)
    real = service.mark_posted
    calls = []

    async def dies_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("process died between sending and recording")
        await real(*args)

    service.mark_posted = dies_once
    h.clock.advance(days=1)
    await h.bot.services.timers.fire_due()
    assert await statuses(h) == ["scheduled"]
    h.clock.advance(minutes=5)  # the timer's retry: same timer, same nonce
    await h.bot.services.timers.fire_due()
    assert len(calls) == 2 and len(h.fake.channel_messages(board.id)) == 1
    assert await statuses(h) == ["posted"]
