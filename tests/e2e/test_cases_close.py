"""Closing case threads (`/case close` or idle) and their durable deletion after the retention period."""

import asyncio

import discord
import pytest

from bot.services.cases import CaseService
from tests.e2e.harness import Harness
from tests.e2e.test_cases_new import CLEAN, my_data, open_case, ready


@pytest.fixture
async def timed(fake_discord, tmp_path, clock):
    h = Harness(fake_discord, tmp_path / "harbor.db", clock=clock, manual_timers=True)
    await h.start()
    yield h
    await h.stop()


def deletes_of(h, thread):
    return [r for r in h.fake.requests if r.method == "DELETE" and r.path.endswith(f"/channels/{thread.id}")]


def bot_lines(h, thread, words):
    return [m for m in h.fake.channel_messages(thread.id) if m.author_id == h.fake.bot_user.id and words in m.content]


async def my_case_threads(h, user):
    """What `/mydata export` shows the member about the case threads they opened."""
    return (await my_data(h, user)).get("case_threads", [])


async def fire(h, clock, **delta):
    clock.advance(**delta)
    await h.bot.services.timers.fire_due()


async def test_close_locks_archives_and_deletes_after_retention_once(timed, clock):
    h = timed
    cases = await ready(h)
    await open_case(h, h.alice, CLEAN)
    (thread,) = h.fake.threads(cases.id)
    refused = await h.slash(h.bob, "case close", {}, channel=thread)
    assert refused.response.ephemeral and "author" in refused.response.content
    leak = await h.slash(h.alice, "case close", {"resolution": "Dana Ruiz is doing well"}, channel=thread)
    assert leak.response.ephemeral and "Nothing was changed" in leak.response.content
    assert not thread.locked
    done = await h.slash(h.alice, "case close", {"resolution": "They came back to group."}, channel=thread)
    assert done.response.ephemeral and "30 days" in done.response.content
    assert thread.locked and thread.archived
    again = await h.slash(h.alice, "case close", {}, channel=thread)
    assert again.response.ephemeral and "already closed" in again.response.content
    await h.restart()
    await fire(h, clock, days=29, minutes=1)
    await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.alice) if "tomorrow" in (m.content or "")])
    assert bot_lines(h, thread, "deleted tomorrow") and thread.locked and thread.archived  # readers told too
    assert not thread.deleted
    await fire(h, clock, days=1)
    await h.fake.wait_for(lambda: thread.deleted)
    await h.restart()
    await fire(h, clock, days=2)
    assert len(deletes_of(h, thread)) == 1
    assert [t["thread"] for t in await my_case_threads(h, h.alice)] == []


async def test_an_idle_open_thread_is_closed_then_expires_like_a_closed_one(timed, clock):
    h = timed
    cases = await ready(h)
    await h.slash(h.admin, "setup retention", {"kind": "case-threads", "days": 10})
    await open_case(h, h.alice, CLEAN)
    await open_case(h, h.alice, {**CLEAN, "case:title": "A second question"})
    quiet, busy = h.fake.threads(cases.id)
    await fire(h, clock, days=6)
    await h.fake.post_message(h.bob, busy, "Have you asked what support looks like to them?")
    service = h.bot.feature(CaseService)
    for _ in range(500):  # the reply is handled on the gateway task: wait until its activity is noted
        noted = await service.thread(busy.id)
        if noted is not None and noted.last_activity_at == clock():
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the reply's activity was not noted")
    await fire(h, clock, days=5)  # quiet: 11 idle days; busy: 5
    await h.fake.wait_for(lambda: quiet.locked and quiet.archived)
    assert bot_lines(h, quiet, "no activity for 10 days") and not busy.locked
    await h.restart()
    await fire(h, clock, days=1)  # the next sweep closes nothing twice
    assert len(bot_lines(h, quiet, "no activity")) == 1
    await fire(h, clock, days=5)  # busy idle for 11 days now
    await h.fake.wait_for(lambda: busy.locked and busy.archived)
    await fire(h, clock, days=4)  # quiet: 10 days after closing → deleted; its readers were told the day before
    await h.fake.wait_for(lambda: quiet.deleted)
    assert bot_lines(h, quiet, "deleted tomorrow")
    await fire(h, clock, days=6)
    await h.fake.wait_for(lambda: busy.deleted)
    await fire(h, clock, days=3)
    assert len(deletes_of(h, quiet)) == 1 and len(deletes_of(h, busy)) == 1


async def test_a_delete_refused_for_permission_is_told_once_and_retried(timed, clock):
    h = timed
    cases = await ready(h)
    modlog = h.guild.add_text_channel("mod-log")
    await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": modlog.id})
    for title in ("First case", "Second case"):
        await open_case(h, h.alice, {**CLEAN, "case:title": title})
    threads = h.fake.threads(cases.id)
    for thread in threads:
        await h.slash(h.alice, "case close", {}, channel=thread)
    role = h.guild.bot_role
    full = role.permissions
    role.permissions = (
        discord.Permissions.all().value & ~discord.Permissions(manage_threads=True, administrator=True).value
    )
    await fire(h, clock, days=30, minutes=1)
    await fire(h, clock, days=1, minutes=1)  # both refused twice now
    notes = [m for m in h.fake.channel_messages(modlog.id) if "could not delete" in str(m.embeds)]
    owner_dms = [m for m in h.fake.dms(h.owner) if "could not delete" in (m.content or "")]
    assert len(notes) == 1 and len(owner_dms) == 1, (notes, owner_dms, [t.deleted for t in threads], bin(full))
    assert not any(t.deleted for t in threads)
    role.permissions = full
    await fire(h, clock, days=1, minutes=1)
    await h.fake.wait_for(lambda: all(t.deleted for t in threads))
    await fire(h, clock, days=3)
    assert all(len(deletes_of(h, t)) == 3 for t in threads)  # two refused, one done, none after


async def test_a_delete_discord_refuses_is_retried_not_dropped(timed, clock):
    h = timed
    cases = await ready(h)
    await open_case(h, h.alice, CLEAN)
    (thread,) = h.fake.threads(cases.id)
    await h.slash(h.alice, "case close", {}, channel=thread)
    # e.g. "Cannot delete a channel required for Community Servers": a 400 discord.py does not retry itself
    h.fake.fail_next("DELETE", rf"/channels/{thread.id}", 400, times=1, code=50074)
    await fire(h, clock, days=30, minutes=1)
    assert not thread.deleted
    await fire(h, clock, hours=1, minutes=1)
    await h.fake.wait_for(lambda: thread.deleted)
    await fire(h, clock, days=2)
    assert len(deletes_of(h, thread)) == 2


async def test_close_refused_by_discord_changes_nothing_and_can_be_retried(timed, clock):
    h = timed
    cases = await ready(h)
    await open_case(h, h.alice, CLEAN)
    (thread,) = h.fake.threads(cases.id)
    h.fake.fail_next("PATCH", rf"/channels/{thread.id}", 403, times=1, code=50013)
    refused = await h.slash(h.alice, "case close", {}, channel=thread)
    assert refused.response.ephemeral and "Manage Threads" in refused.response.content
    assert not thread.locked and not thread.archived
    await fire(h, clock, days=1)
    done = await h.slash(h.alice, "case close", {}, channel=thread)
    assert "30 days" in done.response.content and thread.locked
    await fire(h, clock, days=29, hours=23)  # the refused attempt's timers (due a day earlier) were cancelled
    assert not thread.deleted
    await fire(h, clock, hours=2)
    await h.fake.wait_for(lambda: thread.deleted)
    await fire(h, clock, days=2)
    assert len(deletes_of(h, thread)) == 1
    warnings = [m for m in h.fake.dms(h.alice) if "tomorrow" in (m.content or "")]
    assert len(warnings) == 1
