"""Check-ins end to end: the real discord.py client against the fake Discord, on a real SQLite file."""

import json
import logging
from datetime import UTC, datetime

import pytest

from bot.services.checkins import CheckinService
from bot.services.profiles import ProfileService
from tests.e2e.harness import reply_text as _text
from tests.helpers import listeners_done


def _ids(components):
    out = []
    for row in components:
        for c in row.get("components", []):
            if c.get("custom_id"):
                out.append(c["custom_id"])
    return out


def _labels(components):
    return [c.get("label") for row in components for c in row.get("components", [])]


async def _stored(h, user):
    """What Harbor stores about the member's check-ins, as `/mydata export` shows it to them."""
    export = await h.slash(user, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    return json.loads(next(f for r in replies for f in r.files)[1])["data"]["checkins"]


def _buddy_of(h, user):
    return h.bot.feature(CheckinService).buddy_settings(user.id)


async def _checkin(h, user, mood):
    opened = await h.slash(user, "checkin now")
    message = opened.original()
    button = next(i for i in _ids(message.components) if i.endswith(f":{mood}"))
    return await h.fake.click(user, message, button)


async def test_checkin_now_mood_streak_and_private_note(harness, caplog):
    opened = await harness.slash(harness.alice, "checkin now")
    assert opened.response.ephemeral
    assert _labels(opened.response.components) == ["😞 1", "🙁 2", "😐 3", "🙂 4", "😄 5"]
    with caplog.at_level(logging.INFO):
        clicked = await harness.fake.click(harness.alice, opened.original(), _ids(opened.response.components)[3])
        assert "1-day streak" in clicked.response.content
        note_button = next(i for i in _ids(clicked.response.components) if ":note:" in i)
        # another member cannot use alice's buttons, nor see them
        with pytest.raises(AssertionError, match="cannot see"):
            await harness.fake.click(harness.bob, opened.original(), note_button)
        modal = await harness.fake.click(harness.alice, opened.original(), note_button)
        assert modal.response.type == 9
        field = modal.response.data["components"][0]
        custom_id = field.get("component", field.get("components", [{}])[0]).get("custom_id")
        done = await harness.fake.submit_modal(harness.alice, modal, {custom_id: "secret-note-text rough shift"})
        assert done.response.ephemeral and "privately" in done.response.content
    assert all("secret-note-text" not in r.getMessage() for r in caplog.records)
    stored = (await _stored(harness, harness.alice))["checkins"]
    assert [(c["mood"], c["note"]) for c in stored] == [(4, "secret-note-text rough shift")]
    # a note over 1000 characters is refused and nothing changes
    modal = await harness.fake.click(harness.alice, opened.original(), note_button)
    long = await harness.fake.submit_modal(harness.alice, modal, {custom_id: "x" * 1000})
    assert long.response.ephemeral


@pytest.fixture
async def timed(timed_harness):
    return await timed_harness(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))  # a Friday; US DST starts Sunday 2026-03-08


async def _fire(h, **delta):
    h.clock.advance(**delta)
    return await h.bot.services.timers.fire_due()


async def test_schedule_prompt_dst_restart_nudge_and_late_delivery(timed):
    h = timed
    await h.slash(h.alice, "profile timezone", {"zone": "America/New_York"})
    reply = await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "9am"})
    assert reply.response.ephemeral and "09:00" in reply.response.content
    # the DM channel is opened once, at scheduling time, so each prompt is a single request
    await h.fake.wait_for(lambda: h.alice.id in h.fake.dm_channels)
    first = datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # 09:00 EST, later today
    assert f"<t:{int(first.timestamp())}:F>" in reply.response.content
    await _fire(h, hours=1, minutes=59)  # 13:59 UTC: not yet
    assert h.fake.dms(h.alice) == []
    await _fire(h, minutes=1, seconds=30)
    dms = h.fake.dms(h.alice)
    assert len(dms) == 1 and "late" not in dms[0].content
    assert len([r for r in h.fake.requests if r.path == "/users/@me/channels"]) == 1
    assert _labels(dms[0].components) == ["😞 1", "🙁 2", "😐 3", "🙂 4", "😄 5"]
    # the DM's buttons still work after a restart; answering cancels the nudge
    await h.restart()
    clicked = await h.fake.click(h.alice, dms[0], _ids(dms[0].components)[2])
    assert "Saved" in clicked.response.content and "1-day streak" in clicked.response.content
    assert await h.bot.services.timers.next_due(f"checkin:{h.alice.id}") == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    h.clock.now = datetime(2026, 3, 7, 14, 0, 10, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 2  # no nudge went out for the answered prompt in between
    second = h.fake.dms(h.alice)[1]
    assert "Time for your check-in" in second.content
    clicked = await h.fake.click(h.alice, second, _ids(second.components)[4])
    assert "2-day streak" in clicked.response.content
    # across the spring-forward change the prompt stays at 09:00 local: 13:00 UTC now
    assert await h.bot.services.timers.next_due(f"checkin:{h.alice.id}") == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    h.clock.now = datetime(2026, 3, 8, 13, 0, 10, tzinfo=UTC)
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 3
    # unanswered: exactly one gentle nudge, hours later
    await _fire(h, hours=3)
    assert len(h.fake.dms(h.alice)) == 3
    await _fire(h, hours=1, minutes=1)
    dms = h.fake.dms(h.alice)
    assert len(dms) == 4 and "gentle nudge" in dms[3].content
    await _fire(h, hours=8)
    assert len(h.fake.dms(h.alice)) == 4
    # Harbor is down for three days: one late prompt when it is back, not three, and not twice
    await h.stop()
    h.clock.advance(days=3)
    await h.start()
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 5
    late = h.fake.dms(h.alice)[4]
    assert "late — Harbor was offline" in late.content
    await h.bot.services.timers.fire_due()
    await h.restart()
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 5
    settings = (await _stored(h, h.alice))["settings"]
    assert settings["missed_in_row"] == 1  # the unanswered 8 March prompt; the days Harbor was down are not "missed"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"cadence": "daily", "time": "25:00"}, "not a time"),
        ({"cadence": "daily", "time": "soon"}, "09:00"),
        ({"cadence": "weekly", "time": "18:00"}, "needs a weekday"),
        ({"cadence": "weekly", "time": "18:00", "weekday": "funday"}, "not a weekday"),
    ],
)
async def test_schedule_bad_input_is_refused_and_writes_nothing(harness, options, expected):
    reply = await harness.slash(harness.alice, "checkin schedule", options)
    assert reply.response.ephemeral and expected in reply.response.content
    assert await harness.bot.services.timers.next_due(f"checkin:{harness.alice.id}") is None
    assert (await _stored(harness, harness.alice))["settings"] is None  # no partial record


@pytest.mark.parametrize("given", ["9am", "09:00", "9:00", "9:00 AM"])
async def test_schedule_accepts_common_time_forms(harness, given):
    reply = await harness.slash(
        harness.alice, "checkin schedule", {"cadence": "weekly", "time": given, "weekday": "tue"}
    )
    assert "at **09:00**" in reply.response.content and "Tuesday" in reply.response.content
    due = await harness.bot.services.timers.next_due(f"checkin:{harness.alice.id}")
    assert due.weekday() == 1 and (due.hour, due.minute) == (9, 0)


async def test_schedule_off_stops_prompts(timed):
    h = timed
    await h.slash(h.alice, "checkin schedule", {"cadence": "weekdays", "time": "08:30"})
    off = await h.slash(h.alice, "checkin schedule", {"cadence": "off", "time": "08:30"})
    assert "off" in off.response.content
    await _fire(h, days=7)
    assert h.fake.dms(h.alice) == []


async def test_pause_and_resume(timed):
    h = timed
    # (times more than an hour ahead of the fake clock: the real scheduler caches rows due within an hour)
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    await _fire(h, hours=3, minutes=1)  # 15:01 prompt
    assert len(h.fake.dms(h.alice)) == 1
    paused = await h.slash(h.alice, "checkin pause", {"days": 3})
    assert paused.response.ephemeral and "Paused until" in paused.response.content
    for _ in range(2):  # the nudge and two days of prompts: nothing arrives, nothing is "missed"
        await _fire(h, days=1)
    assert len(h.fake.dms(h.alice)) == 1
    assert (await _stored(h, h.alice))["settings"]["missed_in_row"] == 0
    bad = await h.slash(h.alice, "checkin pause", {"days": 0})
    assert "1 to 90 days" in bad.response.content
    resumed = await h.slash(h.alice, "checkin resume")
    assert "Welcome back" in resumed.response.content
    await _fire(h, days=1)
    assert len(h.fake.dms(h.alice)) == 2
    again = await h.slash(h.alice, "checkin resume")
    assert "weren't paused" in again.response.content


async def test_closed_dms_are_recorded_told_and_not_retried(timed, caplog):
    h = timed
    h.alice.dms_closed = True
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    await _fire(h, hours=3, minutes=1)
    posts = [r for r in h.fake.requests if r.status == 403]
    assert len(posts) == 1
    for _ in range(3):  # later prompts don't hammer Discord with more 403s
        await _fire(h, days=1)
    assert len([r for r in h.fake.requests if r.status == 403]) == 1
    # a closed DM is an outcome, not a handler failure: no timer is retried or left failed
    assert not [r for r in caplog.records if r.name == "bot.services.timers" and "failed" in r.getMessage()]
    reply = await h.slash(h.alice, "checkin now")
    follow = await reply.wait_followups(1)
    assert "couldn't send you a DM" in follow[0].content and "check-in prompt" in follow[0].content
    stored = await _stored(h, h.alice)
    assert {p["status"] for p in stored["prompts"]} == {"undelivered"}


async def _make_buddies(h, a, b):
    invite = await h.slash(a, "checkin buddy invite", {"member": b.id})
    assert invite.response.ephemeral and "Invitation sent" in invite.response.content
    dm = h.fake.dms(b)[-1]
    assert f"<@{a.id}>" in dm.content
    accept = next(i for i in _ids(dm.components) if i.endswith(":yes"))
    # only the invitee can accept
    refused = await h.fake.click(a, dm, accept)
    assert "someone else" in refused.response.content
    done = await h.fake.click(b, dm, accept)
    assert "now check-in buddies" in done.response.content
    await h.fake.wait_for(lambda: h.fake.dms(a) and "accepted" in h.fake.dms(a)[-1].content)


async def test_low_mood_offers_crisis_resources_and_tells_buddy_only_on_consent(harness):
    h = harness
    before = await _checkin(h, h.alice, 1)
    # no buddy yet: support without the button
    support = (await before.wait_followups(1))[0]
    assert support.ephemeral and "988" in _text(support)
    assert not any(":tell:" in i for i in _ids(support.components))
    await _make_buddies(h, h.alice, h.bob)
    bob_dms = len(h.fake.dms(h.bob))
    low = await _checkin(h, h.alice, 2)
    support = (await low.wait_followups(1))[0]
    assert support.ephemeral and "1-800-662-4357" in _text(support)
    tell = next(i for i in _ids(support.components) if ":tell:" in i)
    assert len(h.fake.dms(h.bob)) == bob_dms  # nobody is told before the member presses the button
    message = low.followup_messages[0]
    await h.restart()
    pressed = await h.fake.click(h.alice, message, tell)
    assert "only that you might appreciate a check-in" in pressed.response.content
    note = h.fake.dms(h.bob)[-1]
    assert f"<@{h.alice.id}> might appreciate a check-in" in note.content
    assert "2" not in note.content.replace(str(h.alice.id), "") and "🙁" not in note.content
    # a good mood gets no support message
    good = await _checkin(h, h.alice, 5)
    assert good.followups == []


async def test_custom_crisis_text_is_used(harness):
    h = harness
    opened = await h.slash(h.admin, "setup crisis")
    field = opened.response.data["components"][0]
    custom_id = field.get("component", field.get("components", [{}])[0]).get("custom_id")
    await h.fake.submit_modal(h.admin, opened, {custom_id: "Call the network warmline: 555-0100"})
    low = await _checkin(h, h.members[2], 1)
    assert "warmline" in _text((await low.wait_followups(1))[0])


async def test_buddy_invite_bad_input(harness):
    h = harness
    robot = h.fake.add_user("helper-bot", bot=True)
    h.guild.add_member(robot)
    cases = [
        (h.alice, h.alice, "your own check-in buddy"),
        (h.alice, robot, "Bots can't"),
    ]
    for who, target, expected in cases:
        reply = await h.slash(who, "checkin buddy invite", {"member": target.id})
        assert reply.response.ephemeral and expected in reply.response.content
    await _make_buddies(h, h.alice, h.bob)
    already = await h.slash(h.members[2], "checkin buddy invite", {"member": h.alice.id})
    assert "already has a check-in buddy" in already.response.content
    mine = await h.slash(h.alice, "checkin buddy invite", {"member": h.members[2].id})
    assert "already have a check-in buddy" in mine.response.content
    # a pending invitation to someone who meanwhile got a buddy cannot be accepted
    await h.slash(h.members[2], "checkin buddy invite", {"member": h.members[3].id})
    dup = await h.slash(h.members[2], "checkin buddy invite", {"member": h.members[3].id})
    assert "already invited" in dup.response.content
    await h.slash(h.members[4], "checkin buddy invite", {"member": h.members[3].id})
    dev_dms = h.fake.dms(h.members[3])
    first, second = dev_dms[-2], dev_dms[-1]
    await h.fake.click(h.members[3], second, next(i for i in _ids(second.components) if i.endswith(":yes")))
    stale = await h.fake.click(h.members[3], first, next(i for i in _ids(first.components) if i.endswith(":yes")))
    assert "no longer open" in stale.response.content or "can't be accepted" in stale.response.content
    assert (await _buddy_of(h, h.members[3])).buddy == h.members[4].id
    assert (await _buddy_of(h, h.members[2])).buddy is None
    # DMs closed: no invitation is stored, the inviter is told
    farah = h.members[5]
    farah.dms_closed = True
    closed = await h.slash(h.members[2], "checkin buddy invite", {"member": farah.id})
    assert "couldn't DM" in closed.response.content
    assert all(b["with_user_id"] != str(farah.id) for b in (await _stored(h, h.members[2]))["buddies"])
    removed = await h.slash(h.bob, "checkin buddy remove")
    assert "no longer check-in buddies" in removed.response.content
    await h.fake.wait_for(lambda: "ended your check-in buddy pairing" in h.fake.dms(h.alice)[-1].content)
    assert (await _buddy_of(h, h.alice)).buddy is None
    nothing = await h.slash(h.bob, "checkin buddy remove")
    assert "no check-in buddy" in nothing.response.content


async def test_buddy_decline(harness):
    h = harness
    await h.slash(h.alice, "checkin buddy invite", {"member": h.bob.id})
    dm = h.fake.dms(h.bob)[-1]
    no = await h.fake.click(h.bob, dm, next(i for i in _ids(dm.components) if i.endswith(":no")))
    assert "declined" in no.response.content
    await h.fake.wait_for(lambda: h.fake.dms(h.alice) and "can't be your" in h.fake.dms(h.alice)[-1].content)
    assert (await _stored(h, h.alice))["buddies"] == []


async def test_buddy_settings_low_and_missed(timed):
    h = timed
    await _make_buddies(h, h.alice, h.bob)
    panel = await h.slash(h.alice, "checkin buddy settings")
    assert panel.response.ephemeral and "off" in panel.response.content
    low_id = next(i for i in _ids(panel.response.components) if ":low:" in i)
    await h.restart()  # the panel keeps working after a restart
    toggled = await h.fake.click(h.alice, panel.original(), low_id)
    assert "tell my buddy" in toggled.response.content
    missed_id = next(i for i in _ids(panel.response.components) if ":missed:" in i)
    picked = await h.fake.select(h.alice, panel.original(), missed_id, ["2"])
    assert "after 2" in picked.response.content
    chosen = await _buddy_of(h, h.alice)
    assert chosen.low and chosen.missed == 2
    # low mood: told automatically, as chosen; no button needed
    bob_before = len(h.fake.dms(h.bob))
    low = await _checkin(h, h.alice, 1)
    support = (await low.wait_followups(1))[0]
    assert "your buddy was told" in _text(support) and not any(":tell:" in i for i in _ids(support.components))
    assert len(h.fake.dms(h.bob)) == bob_before + 1
    # two missed prompts: the buddy hears once (not scores), on the third prompt
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    for _ in range(3):
        await _fire(h, days=1)
    assert len(h.fake.dms(h.bob)) == bob_before + 2
    assert "might appreciate a check-in" in h.fake.dms(h.bob)[-1].content
    for _ in range(3):
        await _fire(h, days=1)
    assert len(h.fake.dms(h.bob)) == bob_before + 2
    # someone else can't flip alice's settings
    with pytest.raises(AssertionError, match="cannot see"):
        await h.fake.click(h.bob, panel.original(), low_id)


async def test_history_chart_is_private(harness):
    h = harness
    empty = await h.slash(h.alice, "checkin history")
    assert empty.response.ephemeral and "No check-ins" in empty.response.content
    for mood in (2, 4, 5):
        await _checkin(h, h.alice, mood)
    reply = await h.slash(h.alice, "checkin history", {"days": 14})
    follow = (await reply.wait_followups(1))[0]
    assert follow.ephemeral
    assert "average **3.7**" in follow.content and "1-day streak" in follow.content
    name, data = follow.files[0]
    assert name.endswith(".png") and data[:8] == b"\x89PNG\r\n\x1a\n"
    other = await h.slash(h.bob, "checkin history")
    assert "No check-ins" in other.response.content
    bad = await h.slash(h.alice, "checkin history", {"days": 3})
    assert "7 to 365" in bad.response.content


async def test_summary_for_moderators_suppressed_below_five(harness):
    h = harness
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    for member, mood in zip(h.members[:4], (1, 3, 4, 5), strict=True):
        await _checkin(h, member, mood)
    refused = await h.slash(h.mod, "checkin summary")
    assert refused.response.ephemeral and "fewer than 5 members" in refused.response.content
    member = await h.slash(h.alice, "checkin summary")
    assert "moderator" in member.response.content.lower()
    await _checkin(h, h.members[4], 4)
    await _checkin(h, h.members[4], 4)
    shown = await h.slash(h.mod, "checkin summary")
    text = _text(shown.response)
    assert shown.response.ephemeral and "**5** members answered **6** check-ins" in text
    assert "50%" in text and "17%" in text  # 🙂 4: 3 of 6; 😞 1: 1 of 6
    assert str(h.alice.id) not in text and "alice" not in text


async def test_mydata_export_and_delete_cover_checkins(harness):
    h = harness
    await _make_buddies(h, h.alice, h.bob)
    opened = await h.slash(h.alice, "checkin now")
    clicked = await h.fake.click(h.alice, opened.original(), _ids(opened.response.components)[2])
    note = next(i for i in _ids(clicked.response.components) if ":note:" in i)
    modal = await h.fake.click(h.alice, opened.original(), note)
    field = modal.response.data["components"][0]
    custom_id = field.get("component", field.get("components", [{}])[0]).get("custom_id")
    await h.fake.submit_modal(h.alice, modal, {custom_id: "long day, proud anyway"})
    await h.slash(h.alice, "checkin schedule", {"cadence": "weekly", "time": "18:00", "weekday": "friday"})
    await h.slash(h.alice, "checkin pause", {"days": 5})
    await _checkin(h, h.bob, 4)
    export = await h.slash(h.alice, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    body = next(f for r in replies for f in r.files)[1]
    data = json.loads(body)["data"]["checkins"]
    assert [c["mood"] for c in data["checkins"]] == [3] and data["checkins"][0]["note"] == "long day, proud anyway"
    assert data["settings"]["cadence"] == "weekly" and data["settings"]["paused_until"]
    assert data["buddies"][0]["with_user_id"] == str(h.bob.id)
    ask = await h.slash(h.alice, "mydata delete")
    await h.fake.click(h.alice, ask.original(), ask.response.components[0]["components"][0]["custom_id"])
    assert await _stored(h, h.alice) == {"settings": None, "checkins": [], "prompts": [], "buddies": []}
    assert await h.bot.services.timers.next_due(f"checkin:{h.alice.id}") is None
    bob = await _stored(h, h.bob)
    assert bob["buddies"] == []  # the link is gone in both directions
    assert len(bob["checkins"]) == 1


async def test_prompt_follows_a_changed_time_zone(timed):
    h = timed
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    privacy = await h.slash(h.alice, "privacy")
    assert "check-in moods" in _text(privacy.response).lower()
    key = f"checkin:{h.alice.id}"
    await h.slash(h.alice, "profile timezone", {"zone": "America/Chicago"})
    # moved at once to 15:00 in Chicago (21:00 UTC)
    moved = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)
    await listeners_done("harbor_timezone_changed")
    assert await h.bot.services.timers.next_due(key) == moved
    await _fire(h, hours=3, minutes=1)
    assert h.fake.dms(h.alice) == []
    await _fire(h, hours=6)
    assert len(h.fake.dms(h.alice)) == 1


async def test_a_prompt_firing_at_the_old_zones_hour_is_moved_not_sent(timed):
    # safety net for a zone change the event did not reach (e.g. the bot was restarting)
    h = timed
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    await h.bot.feature(ProfileService).set_timezone(h.alice.id, "America/Chicago")  # no event dispatched
    await _fire(h, hours=3, minutes=1)  # 15:01 UTC is 09:01 in Chicago: not the member's 15:00
    assert h.fake.dms(h.alice) == []
    assert await h.bot.services.timers.next_due(f"checkin:{h.alice.id}") == datetime(2026, 3, 6, 21, 0, tzinfo=UTC)
    await _fire(h, hours=6)
    assert len(h.fake.dms(h.alice)) == 1


async def test_a_nudge_that_came_due_while_offline_is_dropped(timed):
    h = timed
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    await _fire(h, hours=3, minutes=1)
    assert len(h.fake.dms(h.alice)) == 1
    await h.stop()
    h.clock.advance(days=2)
    await h.start()
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 2
    await h.bot.services.timers.fire_due()
    assert len(h.fake.dms(h.alice)) == 2  # the late prompt, and no stale nudge for the old one
    assert "late — Harbor was offline" in h.fake.dms(h.alice)[1].content
    assert (await _stored(h, h.alice))["settings"]["missed_in_row"] == 1


async def test_a_prompt_rerun_after_a_crash_is_not_doubled(timed):
    h = timed
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    await _fire(h, hours=3, minutes=1)
    db = h.bot.services.db
    timer_id = await db.fetchval("SELECT timer_id FROM checkin_prompts WHERE user_id = ?", (h.alice.id,))
    # the process died after the DM went out but before anything was recorded: the row is requeued and
    # the handler runs again; the nudge it queued is gone with the crash too
    await db.execute("UPDATE checkin_prompts SET sent_at = NULL WHERE timer_id = ?", (timer_id,))
    await db.execute("UPDATE timers SET status = 'cancelled' WHERE event = 'checkin.nudge'")
    await db.execute("UPDATE timers SET status = 'cancelled' WHERE status = 'pending' AND user_id = ?", (h.alice.id,))
    await db.execute("UPDATE timers SET status = 'running' WHERE id = ?", (timer_id,))
    await h.restart()
    await h.bot.services.timers.fire_due()

    def posts():
        return [
            r
            for r in h.fake.requests
            if r.method == "POST" and r.path.endswith("/messages") and (r.json or {}).get("nonce") == f"t{timer_id}a"
        ]

    await h.fake.wait_for(lambda: len(posts()) == 2)  # sent again, with the same nonce …
    await h.fake.wait_for(lambda: h.bot.services.timers.fired)
    assert len(h.fake.dms(h.alice)) == 1  # … which Discord de-duplicates
    assert len((await _stored(h, h.alice))["prompts"]) == 1


async def test_low_answer_to_a_dm_prompt_gets_support_in_the_dm(timed):
    h = timed
    await _make_buddies(h, h.alice, h.bob)
    await h.slash(h.alice, "checkin schedule", {"cadence": "daily", "time": "15:00"})
    await _fire(h, hours=3, minutes=1)
    prompt = next(m for m in h.fake.dms(h.alice) if "Time for your check-in" in m.content)
    clicked = await h.fake.click(h.alice, prompt, _ids(prompt.components)[0])
    assert "Saved" in clicked.response.content
    support = (await clicked.wait_followups(1))[0]
    assert support.ephemeral and "988" in _text(support)
    assert any(":tell:" in i for i in _ids(support.components))
    assert h.fake.messages[prompt.id].components[0]["components"][0]["custom_id"].startswith("harbor:checkin:note:")
    # the answer closed the prompt: no nudge later
    await _fire(h, hours=5)
    assert not any("gentle nudge" in m.content for m in h.fake.dms(h.alice))
