"""Peer pairing end to end through the fake Discord: commands, rounds, threads, follow-ups, privacy."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import discord
import pytest

from bot.db.pairing import PairingRepository
from bot.domain.clock import to_db
from bot.domain.errors import NOT_YOURS
from bot.services.pairing import schedule_key
from tests.e2e.harness import reply_text as _text
from tests.helpers import eventually


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


def _repo(h) -> PairingRepository:
    return PairingRepository(h.bot.services.db)


def _nonephemeral_since(h, start: int):
    return [m for m in list(h.fake.messages.values())[start:] if not m.ephemeral]


async def _settle(h, timeout: float = 10) -> None:
    """Fire what is due by the fake clock and wait for pairing timers APScheduler may be running already."""
    db = h.bot.services.db

    async def settled():
        await h.bot.services.timers.fire_due()
        busy = await db.fetchval(
            "SELECT count(*) FROM timers WHERE event LIKE 'pairing.%'"
            " AND (status = 'running' OR (status = 'pending' AND due_at <= ?))",
            (to_db(h.clock.now),),
        )
        return not busy

    await eventually(settled, timeout=timeout, interval=0.05)


async def _run(h, who=None):
    it = await h.slash(who or h.admin, "pairing run")
    assert it.response.ephemeral
    followups = await it.wait_followups(1, timeout=15)
    return followups[-1]


async def test_join_leave_pause_are_private_and_stored(harness):
    h = harness
    joined = await h.slash(h.alice, "pairing join")
    assert joined.response.ephemeral and "You're in" in joined.response.content
    assert await _repo(h).membership(h.guild.id, h.alice.id) is not None
    again = await h.slash(h.alice, "pairing join")
    assert "already" in again.response.content
    paused = await h.slash(h.alice, "pairing pause", {"weeks": 2})
    assert paused.response.ephemeral and "<t:" in paused.response.content
    assert h.alice.id not in await _repo(h).eligible(h.guild.id, h.bot.services.clock())
    back = await h.slash(h.alice, "pairing join")
    assert "pause is lifted" in back.response.content
    assert h.alice.id in await _repo(h).eligible(h.guild.id, h.bot.services.clock())
    left = await h.slash(h.alice, "pairing leave")
    assert left.response.ephemeral and "left" in left.response.content
    assert await _repo(h).membership(h.guild.id, h.alice.id) is None
    assert h.fake.channel_messages(h.general.id) == []


async def test_bad_input_is_refused_ephemerally_and_writes_nothing(harness):
    h = harness
    db = h.bot.services.db

    async def snapshot():
        tables = ("pairing_members", "pairing_avoids", "pairing_rounds", "schedules", "guild_settings")
        return {t: [tuple(r) for r in await db.fetchall(f"SELECT * FROM {t}")] for t in tables}

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
    groups = await h.bot.services.db.fetchall(
        "SELECT group_id, group_concat(user_id) AS m FROM pairing_group_members GROUP BY group_id"
    )
    assert groups
    assert not any({str(h.alice.id), str(h.bob.id)} <= set(g["m"].split(",")) for g in groups)
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
    await _channel(h)
    four = h.members[:4]
    await _join(h, four)
    seen: list[set[frozenset[int]]] = []
    for _ in range(4):
        await _run(h)
        rows = await h.bot.services.db.fetchall(
            "SELECT m.group_id, group_concat(m.user_id) AS m FROM pairing_group_members m"
            " WHERE m.group_id IN (SELECT id FROM pairing_groups WHERE round_id = (SELECT max(id) FROM pairing_rounds))"
            " GROUP BY m.group_id"
        )
        seen.append({frozenset(int(x) for x in r["m"].split(",")) for r in rows})
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
    assert await _repo(h).membership(h.guild.id, h.members[2].id) is None


async def test_thread_permission_refused_is_explained_and_nothing_written(harness):
    h = harness
    chan = await _channel(h)
    await _join(h, h.members[:4])
    # channel overwrites are not modelled by the fake: Discord's 403 on thread creation stands in for them
    h.fake.fail_next("POST", rf"/channels/{chan.id}/threads", 403, code=50013, message="Missing Permissions")
    it = await h.slash(h.admin, "pairing run")
    followups = await it.wait_followups(1)
    assert followups[0].ephemeral and "Create Private Threads" in followups[0].content
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 0
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_groups") == 0
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
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM schedules WHERE key LIKE 'pairing:%'") == 0


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
    db = h.bot.services.db
    for table, column in (
        ("pairing_members", "user_id"),
        ("pairing_avoids", "user_id"),
        ("pairing_group_members", "user_id"),
        ("pairing_feedback", "user_id"),
    ):
        assert await db.fetchval(f"SELECT count(*) FROM {table} WHERE {column} = ?", (h.alice.id,)) == 0
    # carmen's own avoid entry is kept (it refers to an id only); bob's history stays
    assert await db.fetchval("SELECT count(*) FROM pairing_avoids WHERE avoided_id = ?", (h.alice.id,)) == 1
    assert await db.fetchval("SELECT count(*) FROM pairing_group_members WHERE user_id = ?", (h.bob.id,)) == 1
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
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 1
    await _settle(h)
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 1
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
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 1
    retried = await h.bot.services.db.fetchval("SELECT max(attempts) FROM timers WHERE event = 'pairing.round'")
    assert retried >= 2  # the failure really happened and the round was resumed by a retry
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
    feedback = await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_feedback")
    assert feedback == 6


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
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 0
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
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 0
    told = [m for m in h.fake.dms(h.admin) if "Create Private Threads" in m.content]
    assert len(told) == 1 and "skipped" in told[0].content
    assert all(h.fake.dms(m) == [] for m in h.members[:4])
    status = await h.bot.services.db.fetchval(
        "SELECT status FROM timers WHERE event = 'pairing.round' ORDER BY id LIMIT 1"
    )
    assert status == "done"  # not retried: a retry could not succeed until an admin fixes permissions
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
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM pairing_rounds") == 1
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
