"""Reports end to end: the message command and /report, the queue card, decisions, receipts and refusals."""

import copy

from tests.e2e.harness import reply_text
from tests.e2e.test_moderation import configure

FIELD = "reason"


def modal_field(opened):
    return opened.response.data["components"][0]["components"][0]["custom_id"]


async def report_message(h, user, message, reason="shares a member's diagnosis"):
    opened = await h.fake.message_context(user, "Report to moderators", message)
    if opened.response.type != 9:
        return opened
    return await h.fake.submit_modal(user, opened, {modal_field(opened): reason})


async def test_report_message_reaches_queue_with_jump_link_and_is_resolved(harness):
    h = harness
    _, queue, _ = await configure(h)
    msg = await h.fake.post_message(h.bob, h.general, "something private about a client")
    receipt = await report_message(h, h.alice, msg)
    assert receipt.response.ephemeral and "report #1" in receipt.response.content
    card = h.fake.channel_messages(queue.id)[-1]
    text = reply_text(card)
    assert f"/channels/{h.guild.id}/{h.general.id}/{msg.id}" in text
    assert "something private" not in text and str(h.alice.id) in text and "diagnosis" in text
    # not twice
    again = await h.fake.message_context(h.alice, "Report to moderators", msg)
    assert again.response.ephemeral and "already reported" in again.response.content
    await h.restart()
    rid = await h.bot.services.db.fetchval("SELECT id FROM mod_reports")
    denied = await h.fake.click(h.bob, card, f"harbor:mod:rep:resolve:{rid}")
    assert "Only moderators" in denied.response.content
    stale = copy.deepcopy(card)
    done = await h.fake.click(h.mod, card, f"harbor:mod:rep:resolve:{rid}")
    assert done.response.type == 7
    second = await h.fake.click(h.admin, stale, f"harbor:mod:rep:dismiss:{rid}")
    assert "already handled" in second.response.content and str(h.mod.id) in second.response.content
    await h.fake.wait_for(lambda: any("report #1" in reply_text(m) for m in h.fake.dms(h.alice)))
    assert not h.fake.dms(h.bob)  # the reported member is never told who reported
    assert await h.bot.services.db.fetchval("SELECT status FROM mod_reports") == "resolved"


async def test_warn_from_a_report_and_slash_report(harness):
    h = harness
    _, queue, _ = await configure(h)
    opened = await h.slash(h.alice, "report", {"member": h.bob.id})
    assert opened.response.type == 9
    receipt = await h.fake.submit_modal(h.alice, opened, {modal_field(opened): "keeps messaging me after I said stop"})
    assert "report #1" in receipt.response.content
    card = h.fake.channel_messages(queue.id)[-1]
    rid = await h.bot.services.db.fetchval("SELECT id FROM mod_reports")
    warn = await h.fake.click(h.mod, card, f"harbor:mod:rep:warn:{rid}")
    assert warn.response.type == 9
    done = await h.fake.submit_modal(h.mod, warn, {modal_field(warn): "please respect members' boundaries"})
    assert "Warned" in done.response.content
    assert await h.bot.services.db.fetchval("SELECT status FROM mod_reports") == "warned"
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM mod_cases WHERE kind = 'warn'") == 1
    await h.fake.wait_for(lambda: any("boundaries" in reply_text(m) for m in h.fake.dms(h.bob)))
    assert all(str(h.alice.id) not in reply_text(m) for m in h.fake.dms(h.bob))


async def test_refused_reports(harness):
    h = harness
    await configure(h)
    own = await h.fake.post_message(h.alice, h.general, "my own words")
    reply = await h.fake.message_context(h.alice, "Report to moderators", own)
    assert "your own message" in reply.response.content
    gone = await h.fake.post_message(h.bob, h.general, "soon deleted")
    await h.fake.delete_user_message(gone)
    reply = await h.fake.message_context(h.alice, "Report to moderators", gone)
    assert reply.response.ephemeral and "deleted" in reply.response.content
    other_bot = h.fake.add_user("helper-bot", bot=True)
    h.guild.add_member(other_bot)
    bot_msg = await h.fake.post_message(other_bot, h.general, "automated post")
    reply = await h.fake.message_context(h.alice, "Report to moderators", bot_msg)
    assert reply.response.ephemeral and "bots" in reply.response.content.lower()
    reply = await h.slash(h.alice, "report", {"member": h.bot.user.id})
    assert "Bots" in reply.response.content
    reply = await h.slash(h.alice, "report", {"member": h.alice.id})
    assert "yourself" in reply.response.content
    # rate limit: five reports, then a refusal
    for i in range(5):
        msg = await h.fake.post_message(h.bob, h.general, f"message {i}")
        receipt = await report_message(h, h.alice, msg)
        assert f"report #{i + 1}" in receipt.response.content
    msg = await h.fake.post_message(h.bob, h.general, "one more")
    reply = await h.fake.message_context(h.alice, "Report to moderators", msg)
    assert "wait a little" in reply.response.content
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM mod_reports") == 5


async def test_report_without_queue_is_refused(harness):
    h = harness
    msg = await h.fake.post_message(h.bob, h.general, "hello")
    reply = await h.fake.message_context(h.alice, "Report to moderators", msg)
    assert "mod-queue" in reply.response.content
    assert await h.bot.services.db.fetchval("SELECT count(*) FROM mod_reports") == 0
