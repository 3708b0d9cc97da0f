"""Scanned replies in case threads: deleted at once with a DM and a metadata-only mod-log entry."""

from tests.e2e.test_cases_new import CLEAN, open_case, ready

LEAK = "Her number is 215-555-0134, call her."


async def case_thread(h):
    modlog = h.guild.add_text_channel("mod-log")
    await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": modlog.id})
    cases = await ready(h)
    await open_case(h, h.alice, CLEAN)
    (thread,) = h.fake.threads(cases.id)
    return thread, modlog


async def test_a_reply_with_identifiers_is_deleted_and_the_author_told(harness):
    h = harness
    thread, modlog = await case_thread(h)
    clean = await h.fake.post_message(h.bob, thread, "Have you tried asking what support looks like to them?")
    leak = await h.fake.post_message(h.bob, thread, LEAK)
    await h.fake.wait_for(lambda: leak.deleted)
    dm = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")])
    assert "215-555-0134" in dm[0].content and "[PHONE]" in dm[0].content
    logged = await h.fake.wait_for(lambda: h.fake.channel_messages(modlog.id))
    assert "215-555-0134" not in str([(m.content, m.embeds) for m in logged])
    assert not clean.deleted


async def test_an_edit_that_adds_identifiers_is_deleted_once(harness):
    h = harness
    thread, _ = await case_thread(h)
    msg = await h.fake.post_message(h.bob, thread, "I will share what worked for us.")
    for i in range(10):
        await h.fake.edit_user_message(msg, f"Email her at dana.ruiz{i}@example.com")
    await h.fake.wait_for(lambda: msg.deleted)
    await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")])
    deletes = [r for r in h.fake.requests if r.method == "DELETE" and f"/messages/{msg.id}" in r.path]
    assert len(deletes) == 1


async def test_replies_outside_case_threads_are_not_touched(harness):
    h = harness
    await case_thread(h)
    msg = await h.fake.post_message(h.bob, h.general, LEAK)
    other = h.guild.add_thread(h.general, "chat")
    msg2 = await h.fake.post_message(h.bob, other, LEAK)
    await h.fake.post_message(h.bob, h.general, "ping")
    assert not msg.deleted and not msg2.deleted
    assert not [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")]


async def test_a_delete_refused_for_permissions_is_reported_once_and_nothing_kept(harness):
    h = harness
    thread, modlog = await case_thread(h)
    before = len(h.fake.channel_messages(modlog.id))
    h.fake.fail_next("DELETE", r"/channels/\d+/messages/\d+", 403, times=2, code=50013)
    first = await h.fake.post_message(h.bob, thread, LEAK)
    second = await h.fake.post_message(h.bob, thread, "Or mail dana.ruiz@example.com")
    notes = await h.fake.wait_for(
        lambda: [
            m
            for m in h.fake.channel_messages(modlog.id)[before:]
            if "Manage Messages" in str(m.embeds) + (m.content or "")
        ]
    )
    await h.fake.post_message(h.bob, thread, "ok")
    assert len(notes) == 1  # said once
    owner = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.owner) if "Manage Messages" in (m.content or "")])
    await h.restart()  # remembered across a restart: not said again
    h.fake.fail_next("DELETE", r"/channels/\d+/messages/\d+", 403, times=1, code=50013)
    third = await h.fake.post_message(h.bob, thread, "Her SSN is 123-45-6789")
    await h.fake.post_message(h.bob, thread, "ok")
    await h.fake.wait_for(lambda: [r for r in h.fake.requests if r.method == "DELETE" and str(third.id) in r.path])
    assert len([m for m in h.fake.channel_messages(modlog.id) if "Manage Messages" in str(m.embeds)]) == 1
    assert len([m for m in h.fake.dms(h.owner) if "Manage Messages" in (m.content or "")]) == len(owner) == 1
    assert not first.deleted and not second.deleted and not third.deleted
    for message in (*h.fake.channel_messages(modlog.id), *h.fake.dms(h.owner)):
        assert "123-45-6789" not in str((message.content, message.embeds))
    assert "215-555-0134" not in str([(m.content, m.embeds) for m in h.fake.channel_messages(modlog.id)])


async def test_a_4000_character_reply_is_scanned_to_its_end(harness):
    h = harness
    thread, modlog = await case_thread(h)
    filler = "We kept showing up for each other through the hard weeks. " * 70
    long_leak = (filler[: 4000 - len(LEAK) - 1] + " " + LEAK)[:4000]
    assert len(long_leak) == 4000 and long_leak.endswith(LEAK)
    long_clean = filler[:4000]
    clean = await h.fake.post_message(h.bob, thread, long_clean)
    leak = await h.fake.post_message(h.bob, thread, long_leak)
    blank = await h.fake.post_message(h.bob, thread, "   ")
    await h.fake.wait_for(lambda: leak.deleted)
    dm = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")])
    assert len(dm[0].content) <= 2000 and "215-555-0134" in dm[0].content
    await h.fake.post_message(h.bob, thread, "ok")
    assert not clean.deleted and not blank.deleted
    assert "215-555-0134" not in str([(m.content, m.embeds) for m in h.fake.channel_messages(modlog.id)])


async def test_a_delete_discord_refuses_is_tried_again_on_the_next_edit(harness):
    h = harness
    thread, modlog = await case_thread(h)
    before = len(h.fake.channel_messages(modlog.id))
    h.fake.fail_next("DELETE", r"/channels/\d+/messages/\d+", 400, times=1, code=50021)
    leak = await h.fake.post_message(h.bob, thread, LEAK)
    await h.fake.wait_for(lambda: [r for r in h.fake.requests if r.method == "DELETE" and str(leak.id) in r.path])
    assert not leak.deleted
    assert not [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")]  # nothing claimed that did not happen
    await h.fake.edit_user_message(leak, LEAK + " (edited)")
    await h.fake.wait_for(lambda: leak.deleted)
    await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.bob) if "removed" in (m.content or "")])
    logged = await h.fake.wait_for(lambda: h.fake.channel_messages(modlog.id)[before:])
    assert len(logged) == 1 and "215-555-0134" not in str([(m.content, m.embeds) for m in logged])
