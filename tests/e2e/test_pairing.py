"""Peer pairing end to end through the fake Discord: commands, rounds, threads, follow-ups, privacy."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import discord
import pytest

from bot.domain.errors import NOT_YOURS
from bot.services.pairing import PairingService, schedule_key
from tests.e2e.harness import reply_text as _text


async def _channel(h, name="pairing"):
    chan = h.guild.add_text_channel(name)
    await h.fake.wait_for(lambda: h.bot.get_channel(chan.id) is not None)
    reply = await h.slash(h.admin, "setup channel", {"kind": "pairing", "channel": chan.id})
    assert reply.response.ephemeral
    return chan


async def _join(h, users):
    for user in users:
        reply = await h.slash(user, "pairing join")
        assert reply.response.ephemeral


async def _stored(h, user):
    """What Harbor stores about the member's pairing, as `/mydata export` shows it to them."""
    export = await h.fake.slash(user, "mydata export", guild=None)  # in a DM: works after leaving the server
    files = [f for r in [export.response, *await export.wait_followups(1)] for f in r.files]
    return json.loads(files[0][1])["data"]["pairing"]


async def _stat(h, name):
    """One field of `/pairing stats` (what admins see)."""
    embed = (await h.slash(h.admin, "pairing stats")).response.embeds[0]
    return next(f["value"] for f in embed["fields"] if f["name"] == name)


def _service(h):
    return h.bot.feature(PairingService)


def _nonephemeral_since(h, start: int):
    return [m for m in list(h.fake.messages.values())[start:] if not m.ephemeral]


async def _settle(h) -> None:
    """Fire everything due by the fake clock (timers are manual: nothing else runs them), follow-ons included."""
    for _ in range(20):
        if not await h.bot.services.timers.fire_due():
            return
    raise AssertionError("timers kept coming due")


async def _run(h, who=None):
    it = await h.slash(who or h.admin, "pairing run")
    assert it.response.ephemeral
    followups = await it.wait_followups(1, timeout=15)
    return followups[-1]


async def test_join_leave_pause_are_private_and_stored(harness):
    h = harness
    joined = await h.slash(h.alice, "pairing join")
    assert joined.response.ephemeral and "You're in" in joined.response.content
    assert (await _stored(h, h.alice))["memberships"][0]["paused_until"] is None
    again = await h.slash(h.alice, "pairing join")
    assert "already" in again.response.content
    paused = await h.slash(h.alice, "pairing pause", {"weeks": 2})
    assert paused.response.ephemeral and "<t:" in paused.response.content
    assert await _service(h).eligible_count(h.guild.id) == 0
    back = await h.slash(h.alice, "pairing join")
    assert "pause is lifted" in back.response.content
    assert await _service(h).eligible_count(h.guild.id) == 1
    left = await h.slash(h.alice, "pairing leave")
    assert left.response.ephemeral and "left" in left.response.content
    assert (await _stored(h, h.alice))["memberships"] == []
    assert h.fake.channel_messages(h.general.id) == []


async def test_bad_input_is_refused_ephemerally_and_writes_nothing(harness):
    h = harness

    async def snapshot():
        return (
            await _stored(h, h.alice),
            await _stored(h, h.bob),
            await h.bot.services.guild_config.all(h.guild.id),
            await h.bot.services.timers.next_due(schedule_key(h.guild.id)),
            await _stat(h, "Rounds"),
        )

    await h.slash(h.alice, "pairing join")
    before = await snapshot()
    cases = [
        (h.alice, "pairing avoid", {"member": h.alice}, "yourself"),
        (h.alice, "pairing avoid", {"member": h.fake.bot_user}, "Bots"),
        (h.alice, "pairing unavoid", {"member": h.bob}, "isn't on your avoid list"),
        (h.alice, "pairing pause", {"weeks": 0}, "1 to 12"),
        (h.alice, "pairing pause", {"weeks": 13}, "1 to 12"),
        (h.bob, "pairing pause", {"weeks": 2}, "haven't joined"),
        (h.bob, "pairing leave", {}, "not in peer pairing"),
        (
            h.admin,
            "pairing setup",
            {"channel": h.general.id, "every_weeks": 0, "weekday": "tuesday", "time": "18:00"},
            "1 to 8",
        ),
        (
            h.admin,
            "pairing setup",
            {"channel": h.general.id, "every_weeks": 9, "weekday": "tuesday", "time": "18:00"},
            "1 to 8",
        ),
        (
            h.admin,
            "pairing setup",
            {"channel": h.general.id, "every_weeks": 2, "weekday": "tuesday", "time": "25:00"},
            "not a time",
        ),
        (
            h.alice,
            "pairing setup",
            {"channel": h.general.id, "every_weeks": 2, "weekday": "tuesday", "time": "18:00"},
            "admin",
        ),
        (h.mod, "pairing run", {}, "admin"),
        (h.alice, "pairing stats", {}, "admin"),
        (h.admin, "pairing run", {}, "No pairing channel"),
    ]
    for user, command, options, expected in cases:
        reply = await h.slash(user, command, options)
        assert reply.response.ephemeral, command
        assert expected in reply.response.content, (command, options, reply.response.content)
    assert await snapshot() == before
    assert h.fake.channel_messages(h.general.id) == []
    assert h.fake.dms(h.bob) == []


async def test_avoid_is_confidential_and_never_violated(harness):
    h = harness
    chan = await _channel(h)
    start = len(h.fake.messages)
    reply = await h.slash(h.alice, "pairing avoid", {"member": h.bob})
    assert reply.response.ephemeral and "confidential" in reply.response.content
    again = await h.slash(h.alice, "pairing avoid", {"member": h.bob})
    assert "already" in again.response.content
    # nothing visible to anyone else: no DM to bob, no post anywhere
    assert _nonephemeral_since(h, start) == []
    assert h.fake.dms(h.bob) == []
    await _join(h, [h.alice, h.bob])
    # only two members who avoid each other: neither is paired, both told kindly — never why
    result = await _run(h)
    assert "couldn't be matched" in result.content
    assert h.fake.threads(chan.id) == []
    for user in (h.alice, h.bob):
        dms = h.fake.dms(user)
        assert len(dms) == 1 and "couldn't find you a match" in dms[0].content
        assert "avoid" not in dms[0].content.lower()
    # with four people the avoid still holds over several rounds
    await _join(h, [h.members[2], h.members[3]])
    for _ in range(3):
        await _run(h)
    threads = h.fake.threads(chan.id)
    assert len(threads) == 6  # three rounds of two pairs
    assert not any({h.alice.id, h.bob.id} <= t.members for t in threads)
    gone = await h.slash(h.alice, "pairing unavoid", {"member": h.bob})
    assert gone.response.ephemeral and "Removed" in gone.response.content
    assert h.fake.dms(h.bob)[-1].content == h.fake.dms(h.bob)[0].content  # still only the unpaired note


async def test_run_opens_private_threads_with_icebreakers_and_a_trio(harness):
    h = harness
    chan = await _channel(h)
    members = h.members[:5]
    await _join(h, members)
    result = await _run(h)
    assert "2 private thread(s)" in result.content and "1 trio" in result.content
    threads = h.fake.threads(chan.id)
    assert len(threads) == 2
    everyone = set()
    for thread in threads:
        assert thread.type == 12 and not thread.invitable
        people = thread.members - {h.fake.bot_user.id}
        assert len(people) in (2, 3)
        assert not people & everyone
        everyone |= people
        messages = h.fake.channel_messages(thread.id)
        assert len(messages) == 1
        assert "icebreaker" in messages[0].content.lower()
        assert all(f"<@{m}>" in messages[0].content for m in people)
    assert everyone == {m.id for m in members}
    assert sorted(len(t.members) - 1 for t in threads) == [2, 3]
    # nothing public in the pairing channel or general
    assert h.fake.channel_messages(chan.id) == [] and h.fake.channel_messages(h.general.id) == []
    # a thread opened by the POST /channels/{id}/threads route, type 12, then members added
    posts = [r for r in h.fake.requests if r.method == "POST" and r.path.endswith(f"/channels/{chan.id}/threads")]
    assert len(posts) == 2 and all(r.json["type"] == 12 for r in posts)


async def test_repeats_of_last_three_rounds_avoided_then_relaxed(harness):
    h = harness
    chan = await _channel(h)
    four = h.members[:4]
    await _join(h, four)
    seen: list[set[frozenset[int]]] = []
    for _ in range(4):
        before = len(h.fake.threads(chan.id))
        await _run(h)
        opened = h.fake.threads(chan.id)[before:]
        seen.append({frozenset(t.members - {h.fake.bot_user.id}) for t in opened})
    # four people have exactly three distinct perfect pairings: rounds 1–3 use each once
    assert len(seen[0] | seen[1] | seen[2]) == 6
    assert all(len(s) == 2 for s in seen)
    # round 4 must repeat (everyone met everyone) — and still pairs everyone
    assert seen[3] <= seen[0] | seen[1] | seen[2]


async def test_member_who_left_the_server_is_not_paired(harness):
    h = harness
    chan = await _channel(h)
    await _join(h, h.members[:3])
    h.guild.remove_member(h.members[2])
    result = await _run(h)
    assert "left the server" in result.content
    threads = h.fake.threads(chan.id)
    assert len(threads) == 1 and threads[0].members - {h.fake.bot_user.id} == {h.members[0].id, h.members[1].id}
    assert (await _stored(h, h.members[2]))["memberships"] == []


async def test_thread_permission_refused_is_explained_and_nothing_written(harness):
    h = harness
    chan = await _channel(h)
    await _join(h, h.members[:4])
    # channel overwrites are not modelled by the fake: Discord's 403 on thread creation stands in for them
    h.fake.fail_next("POST", rf"/channels/{chan.id}/threads", 403, code=50013, message="Missing Permissions")
    it = await h.slash(h.admin, "pairing run")
    followups = await it.wait_followups(1)
    assert followups[0].ephemeral and "Create Private Threads" in followups[0].content
    assert await _stat(h, "Rounds") == "0" and await _stat(h, "Pairs and trios") == "0"
    for member in h.members[:4]:
        assert (await _stored(h, member))["pairs"] == []
    assert h.fake.threads(chan.id) == []
    # and when the bot's role lacks the permission, the check refuses before anything is tried
    role = h.guild.bot_role
    role.permissions = int(discord.Permissions(view_channel=True, send_messages=True).value)
    h.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(h.guild.id), "role": role.to_dict()}, guild=h.guild)
    await h.fake.wait_for(lambda: not h.bot.get_guild(h.guild.id).me.guild_permissions.create_private_threads)
    refused = await h.slash(h.admin, "pairing run")
    assert refused.response.ephemeral and "Create Private Threads" in refused.response.content
    setup = await h.slash(
        h.admin, "pairing setup", {"channel": chan.id, "every_weeks": 2, "weekday": "tuesday", "time": "18:00"}
    )
    assert "Create Private Threads" in setup.response.content
    assert await h.bot.services.timers.next_due(schedule_key(h.guild.id)) is None


async def test_mydata_export_and_delete_cover_pairing(harness):
    h = harness
    await _channel(h)
    await _join(h, h.members[:2])
    await h.slash(h.alice, "pairing avoid", {"member": h.members[2]})
    await h.slash(h.members[2], "pairing avoid", {"member": h.alice})
    await _run(h)
    export = await h.slash(h.alice, "mydata export")
    files = [f for r in [export.response, *await export.wait_followups(1)] for f in r.files]
    data = json.loads(files[0][1])["data"]["pairing"]
    assert data["memberships"][0]["guild_id"] == str(h.guild.id)
    assert data["avoid_list"] == [
        {"guild_id": str(h.guild.id), "user_id": str(h.members[2].id), "since": data["avoid_list"][0]["since"]}
    ]
    assert data["pairs"][0]["with"] == [str(h.bob.id)]
    # someone else's avoid list naming alice is not alice's data
    assert str(h.members[2].id) not in json.dumps(data["pairs"])
    ask = await h.slash(h.alice, "mydata delete")
    assert "avoid lists" in ask.response.content  # the `kept` note
    button = ask.response.components[0]["components"][0]["custom_id"]
    done = await h.fake.click(h.alice, ask.original(), button)
    assert "erased" in done.response.content
    erased = await _stored(h, h.alice)
    assert erased == {"memberships": [], "avoid_list": [], "pairs": [], "unpaired_rounds": [], "feedback": []}
    # carmen's own avoid entry is kept (it refers to an id only); bob's history stays
    assert [a["user_id"] for a in (await _stored(h, h.members[2]))["avoid_list"]] == [str(h.alice.id)]
    assert len((await _stored(h, h.bob))["pairs"]) == 1
    privacy = await h.slash(h.alice, "privacy")
    assert "avoid list" in _text(privacy.response)


@pytest.fixture
async def timed(timed_harness):
    return await timed_harness(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # a Monday


async def test_scheduled_rounds_survive_restarts_and_run_once_late(timed):
    h = timed
    chan = await _channel(h)
    await h.slash(h.admin, "profile timezone", {"zone": "America/Chicago"})
    reply = await h.slash(
        h.admin, "pairing setup", {"channel": chan.id, "every_weeks": 2, "weekday": "tuesday", "time": "6pm"}
    )
    assert reply.response.ephemeral and "every 2 weeks" in reply.response.content
    assert "America/Chicago" in reply.response.content
    due = await h.bot.services.timers.next_due(schedule_key(h.guild.id))
    assert due == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)  # Tuesday 18:00 in Chicago (CST)
    assert (await h.bot.services.guild_config.get(h.guild.id, "pairing.schedule"))["tz"] == "America/Chicago"
    await _join(h, h.members[:4])
    # the bot is down when the round comes due, and for a whole cycle after: it runs once, late
    await h.stop()
    h.clock.advance(days=16)
    await h.start()
    await _settle(h)
    assert len(h.fake.threads(chan.id)) == 2
    await _settle(h)
    assert len(h.fake.threads(chan.id)) == 2
    assert await _stat(h, "Rounds") == "1"
    following = await h.bot.services.timers.next_due(schedule_key(h.guild.id))
    # missed firings collapsed into the one late round; the cadence keeps its weeks (DST: 18:00 CDT = 23:00 UTC)
    assert following == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)


async def test_a_failed_round_resumes_without_pairing_anyone_twice(timed):
    h = timed
    chan = await _channel(h)
    await h.slash(
        h.admin, "pairing setup", {"channel": chan.id, "every_weeks": 1, "weekday": "wednesday", "time": "09:00"}
    )
    await _join(h, h.members[:6])
    h.clock.advance(days=2)
    # the second icebreaker fails (a Discord hiccup): the timer handler raises and is retried later
    h.fake.fail_next("POST", r"/channels/\d+/messages", 400, code=50035, times=1)
    await _settle(h)
    threads_after_failure = len(h.fake.threads(chan.id))
    assert threads_after_failure >= 1
    h.clock.advance(minutes=5)
    await h.restart()
    await _settle(h)
    threads = h.fake.threads(chan.id)
    assert len(threads) == 3
    assert await _stat(h, "Rounds") == "1"
    # the failure really happened, and the round was resumed by a retry
    assert [r.status for r in h.fake.requests if r.method == "POST" and r.path.endswith("/messages")].count(400) == 1
    people = [m for t in threads for m in t.members - {h.fake.bot_user.id}]
    assert sorted(people) == sorted(m.id for m in h.members[:6])
    assert all(len([m for m in h.fake.channel_messages(t.id) if not m.deleted]) == 1 for t in threads)


async def test_follow_up_after_five_days_buttons_survive_restart_and_stats(timed):
    h = timed
    chan = await _channel(h)
    people = h.members[:6]
    await _join(h, people)
    await _run(h)
    threads = h.fake.threads(chan.id)
    assert len(threads) == 3
    h.clock.advance(days=4, hours=23)
    await _settle(h)
    assert all(len(h.fake.channel_messages(t.id)) == 1 for t in threads)
    h.clock.advance(hours=2)
    await _settle(h)
    asks = [h.fake.channel_messages(t.id)[-1] for t in threads]
    assert all("Did you connect?" in m.content for m in asks)
    await h.restart()
    answers = {}
    by_id = {u.id: u for u in people}
    for thread, ask in zip(threads, asks, strict=True):
        ids = [c["custom_id"] for row in ask.components for c in row["components"]]
        assert len(ids) == 3
        members = sorted(thread.members - {h.fake.bot_user.id})
        outsider = next(u for u in people if u.id not in members)
        refused = await h.fake.click(outsider, ask, ids[0])
        assert refused.response.ephemeral and NOT_YOURS in refused.response.content
        for index, uid in enumerate(members):
            answer = ids[0] if index == 0 or thread is threads[0] else ids[1]
            clicked = await h.fake.click(by_id[uid], ask, answer)
            assert clicked.response.ephemeral
            answers[uid] = answer
    # admins: aggregates only, suppressed below five respondents — here six answered
    stats = await h.slash(h.admin, "pairing stats")
    text = _text(stats.response)
    assert stats.response.ephemeral
    assert "100%" in text  # every pair had someone say yes
    assert not any(str(u.id) in text or u.name in text for u in people)
    assert (await _stat(h, "Answered the follow-up")).startswith("100%")  # all six answers stored


async def test_stats_suppressed_below_five_and_follow_up_by_dm_when_thread_gone(timed):
    h = timed
    chan = await _channel(h)
    await _join(h, h.members[:2])
    await _run(h)
    (thread,) = h.fake.threads(chan.id)
    thread.deleted = True  # someone deleted the thread: the follow-up comes by DM instead
    h.clock.advance(days=5, minutes=1)
    await h.restart()
    await _settle(h)
    for user in h.members[:2]:
        dms = [m for m in h.fake.dms(user) if "Did you connect?" in m.content]
        assert len(dms) == 1
    ask = next(m for m in h.fake.dms(h.alice) if "Did you connect?" in m.content)
    yes = next(c["custom_id"] for row in ask.components for c in row["components"] if c["custom_id"].endswith("yes"))
    await h.fake.click(h.alice, ask, yes)
    stats = await h.slash(h.admin, "pairing stats")
    text = _text(stats.response)
    assert "at least 5" in text and "%" not in text


async def test_run_with_fewer_than_two_members_writes_nothing(harness):
    h = harness
    chan = await _channel(h)
    await _join(h, [h.alice])
    await h.slash(h.bob, "pairing join")
    await h.slash(h.bob, "pairing pause", {"weeks": 1})
    reply = await h.slash(h.admin, "pairing run")
    assert reply.response.ephemeral and "Fewer than 2" in reply.response.content
    assert await _stat(h, "Rounds") == "0"
    assert h.fake.threads(chan.id) == [] and h.fake.dms(h.alice) == []


async def test_scheduled_round_refused_by_discord_tells_the_admin_and_leaves_nothing(timed):
    h = timed
    chan = await _channel(h)
    await h.slash(
        h.admin, "pairing setup", {"channel": chan.id, "every_weeks": 1, "weekday": "tuesday", "time": "09:00"}
    )
    await _join(h, h.members[:4])
    h.fake.fail_next("POST", rf"/channels/{chan.id}/threads", 403, code=50013, message="Missing Permissions")
    h.clock.advance(days=1)
    await _settle(h)
    assert h.fake.threads(chan.id) == []
    assert await _stat(h, "Rounds") == "0"
    told = [m for m in h.fake.dms(h.admin) if "Create Private Threads" in m.content]
    assert len(told) == 1 and "skipped" in told[0].content
    assert all(h.fake.dms(m) == [] for m in h.members[:4])
    # not retried: a retry could not succeed until an admin fixes permissions

    def thread_posts():
        return [r for r in h.fake.requests if r.method == "POST" and r.path.endswith(f"/channels/{chan.id}/threads")]

    tries = len(thread_posts())
    h.clock.advance(hours=6)
    await _settle(h)
    assert len(thread_posts()) == tries
    assert len([m for m in h.fake.dms(h.admin) if "Create Private Threads" in m.content]) == 1
    assert await h.bot.services.timers.next_due(schedule_key(h.guild.id)) > h.clock.now


async def test_round_refused_part_way_is_finished_by_the_next_run(harness):
    h = harness
    chan = await _channel(h)
    await _join(h, h.members[:4])
    h.fake.fail_next("PUT", r"/channels/\d+/thread-members/\d+", 403, code=50013, message="Missing Permissions")
    first = await _run(h)
    assert first.ephemeral and "part-way" in first.content
    assert len(h.fake.threads(chan.id)) == 1
    second = await _run(h)
    assert "Round done" in second.content
    assert await _stat(h, "Rounds") == "1"
    threads = h.fake.threads(chan.id)
    assert len(threads) == 2
    people = sorted(m for t in threads for m in t.members - {h.fake.bot_user.id})
    assert people == sorted(m.id for m in h.members[:4])
    assert all(len(h.fake.channel_messages(t.id)) == 1 for t in threads)


async def test_help_shows_admin_pairing_commands_to_admins_only(harness):
    h = harness
    member = _text((await h.slash(h.alice, "help")).response)
    assert "/pairing join" in member and "/pairing avoid" in member
    assert "/pairing run" not in member and "/pairing setup" not in member and "/pairing stats" not in member
    admin = _text((await h.slash(h.admin, "help")).response)
    assert "/pairing run" in admin and "/pairing setup" in admin
