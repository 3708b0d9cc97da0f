"""Reports end to end: the message command and /report, the queue card, decisions, receipts and refusals."""

import asyncio
import copy
import json

from tests.e2e.harness import reply_text
from tests.e2e.test_moderation import button_id, configure, everything_in, export_of, history


def modal_field(opened):
    return opened.response.data["components"][0]["components"][0]["custom_id"]


async def report_message(h, user, message, reason="shares a member's diagnosis"):
    opened = await h.fake.message_context(user, "Report to moderators", message)
    if opened.response.type != 9:
        return opened
    return await h.fake.submit_modal(user, opened, {modal_field(opened): reason})


def report_card(h, queue):
    (card,) = [m for m in h.fake.channel_messages(queue.id) if m.embeds and m.embeds[0]["title"].startswith("Report #")]
    return card


async def test_report_message_reaches_queue_with_jump_link_and_is_resolved(harness):
    h = harness
    log, queue, _ = await configure(h)
    msg = await h.fake.post_message(h.bob, h.general, "something private about a client")
    receipt = await report_message(h, h.alice, msg)
    assert receipt.response.ephemeral and "report #1" in receipt.response.content
    card = report_card(h, queue)
    text = reply_text(card)
    assert f"/channels/{h.guild.id}/{h.general.id}/{msg.id}" in text
    assert "something private" not in text and str(h.alice.id) in text and "diagnosis" in text
    # not twice
    again = await h.fake.message_context(h.alice, "Report to moderators", msg)
    assert again.response.ephemeral and "already reported" in again.response.content
    await h.restart()
    rid = button_id(card, "harbor:mod:rep:resolve")
    denied = await h.fake.click(h.bob, card, f"harbor:mod:rep:resolve:{rid}")
    assert denied.response.ephemeral and "Only moderators" in denied.response.content
    stale = copy.deepcopy(card)
    done = await h.fake.click(h.mod, card, f"harbor:mod:rep:resolve:{rid}")
    assert done.response.type == 7 and not card.components
    assert "resolved" in reply_text(card) and "diagnosis" in reply_text(card)  # the card keeps the reason
    await h.fake.wait_for(lambda: any("report #1" in reply_text(m) for m in h.fake.dms(h.alice)))
    await h.restart()
    second = await h.fake.click(h.admin, stale, f"harbor:mod:rep:dismiss:{rid}")
    assert second.response.ephemeral and "already handled" in second.response.content
    assert "resolved" in second.response.content and str(h.mod.id) in second.response.content
    assert not h.fake.dms(h.bob)  # the reported member is never told who reported
    # the mod log has the decision as metadata: no message text, no reporter's words, no reporter
    logged = everything_in(h, log)
    assert "Report resolved" in logged and "report #1" in logged
    assert "something private" not in logged and "diagnosis" not in logged and str(h.alice.id) not in logged
    # the reporter's words live on the card only, not in what Harbor keeps
    assert "diagnosis" not in json.dumps(await export_of(h, h.alice))
    assert str(h.alice.id) not in json.dumps(await export_of(h, h.bob))


async def test_two_moderators_at_once_first_decision_wins(harness):
    h = harness
    _, queue, _ = await configure(h)
    other = h.fake.add_user("other-mod")
    h.guild.add_member(other, roles=[h.mod_role.id])
    msg = await h.fake.post_message(h.bob, h.general, "unkind remark")
    await report_message(h, h.alice, msg, "unkind remark about a peer")
    card = report_card(h, queue)
    rid = button_id(card, "harbor:mod:rep:resolve")
    stale = copy.deepcopy(card)
    a, b = await asyncio.gather(
        h.fake.click(h.mod, card, f"harbor:mod:rep:resolve:{rid}"),
        h.fake.click(other, stale, f"harbor:mod:rep:dismiss:{rid}"),
    )
    winners = [r for r in (a, b) if r.response.type == 7]
    losers = [r for r in (a, b) if r.response.type != 7]
    assert len(winners) == 1 and len(losers) == 1
    winner = winners[0].user
    assert "already handled" in losers[0].response.content and str(winner.id) in losers[0].response.content
    outcome = await h.fake.wait_for(lambda: [m for m in h.fake.dms(h.alice) if "report #1" in reply_text(m)])
    assert len(outcome) == 1  # told once, of the first decision
    assert ("resolved" if winner == h.mod else "closed") in reply_text(outcome[0])


async def test_warn_from_a_report_and_slash_report(harness):
    h = harness
    _, queue, _ = await configure(h)
    opened = await h.slash(h.alice, "report", {"member": h.bob.id})
    assert opened.response.type == 9
    receipt = await h.fake.submit_modal(h.alice, opened, {modal_field(opened): "keeps messaging me after I said stop"})
    assert receipt.response.ephemeral and "report #1" in receipt.response.content
    card = report_card(h, queue)
    assert "Where" in reply_text(card) and "Jump to the message" not in reply_text(card)
    rid = button_id(card, "harbor:mod:rep:warn")
    stale = copy.deepcopy(card)
    warn = await h.fake.click(h.mod, card, f"harbor:mod:rep:warn:{rid}")
    assert warn.response.type == 9
    short = await h.fake.submit_modal(h.mod, warn, {modal_field(warn): "boundaries"})
    assert "one word" in reply_text(short.response) and card.components  # refused, report still open
    done = await h.fake.submit_modal(h.mod, warn, {modal_field(warn): "please respect members' boundaries"})
    assert done.response.type == 7 and not card.components and "warned" in reply_text(card)
    (summary,) = await done.wait_followups(1)
    assert summary.ephemeral and "Warned" in summary.content and "report #1" in summary.content
    late = await h.fake.click(h.admin, stale, f"harbor:mod:rep:warn:{rid}")
    assert "already handled" in late.response.content and str(h.mod.id) in late.response.content
    assert "Warning" in await history(h, h.bob)
    await h.fake.wait_for(lambda: any("boundaries" in reply_text(m) for m in h.fake.dms(h.bob)))
    await h.fake.wait_for(lambda: any("warned the member" in reply_text(m) for m in h.fake.dms(h.alice)))
    assert all(str(h.alice.id) not in reply_text(m) for m in h.fake.dms(h.bob))


async def test_warn_from_a_report_of_a_member_who_left(harness):
    h = harness
    _, queue, _ = await configure(h)
    msg = await h.fake.post_message(h.bob, h.general, "rude remark")
    await report_message(h, h.alice, msg, "rude remark to a newcomer")
    h.guild.remove_member(h.bob)
    card = report_card(h, queue)
    rid = button_id(card, "harbor:mod:rep:warn")
    warn = await h.fake.click(h.mod, card, f"harbor:mod:rep:warn:{rid}")
    done = await h.fake.submit_modal(h.mod, warn, {modal_field(warn): "rude to a newcomer"})
    assert done.response.ephemeral and "left the server" in done.response.content
    assert card.components  # still open: resolve or dismiss instead
    dismissed = await h.fake.click(h.mod, card, f"harbor:mod:rep:dismiss:{rid}")
    assert dismissed.response.type == 7
    assert "Warning" not in await history(h, h.bob)


async def test_refused_reports(harness):
    h = harness
    _, queue, _ = await configure(h)
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
    assert h.fake.channel_messages(queue.id) == []
    # rate limit: five reports, then a refusal
    for i in range(5):
        msg = await h.fake.post_message(h.bob, h.general, f"message {i}")
        receipt = await report_message(h, h.alice, msg)
        assert f"report #{i + 1}" in receipt.response.content
    msg = await h.fake.post_message(h.bob, h.general, "one more")
    reply = await h.fake.message_context(h.alice, "Report to moderators", msg)
    assert reply.response.ephemeral and "wait a little" in reply.response.content
    reply = await h.slash(h.alice, "report", {"member": h.bob.id})
    assert reply.response.ephemeral and "wait a little" in reply.response.content
    assert len(h.fake.channel_messages(queue.id)) == 5
    # another member is not limited by alice's reports
    other = await report_message(h, h.members[2], msg)
    assert "report #6" in other.response.content


async def test_report_without_queue_is_refused(harness):
    h = harness
    msg = await h.fake.post_message(h.bob, h.general, "hello")
    reply = await h.fake.message_context(h.alice, "Report to moderators", msg)
    assert reply.response.ephemeral and "mod-queue" in reply.response.content
    queue = h.guild.add_text_channel("mod-queue")
    await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": queue.id})
    receipt = await report_message(h, h.alice, msg)
    assert "report #1" in receipt.response.content  # the refusal left nothing that blocks a real report


async def test_a_failed_queue_post_leaves_no_report(harness):
    h = harness
    _, queue, _ = await configure(h)
    msg = await h.fake.post_message(h.bob, h.general, "hurtful words")
    h.fake.fail_next("POST", rf"/channels/{queue.id}/messages", 403, code=50013, message="Missing Permissions")
    failed = await report_message(h, h.alice, msg, "hurtful words about a peer")
    assert failed.response.ephemeral and "Nothing was sent" in failed.response.content
    assert h.fake.channel_messages(queue.id) == []
    # no half-written report: the same message can be reported now, and it is report #1
    receipt = await report_message(h, h.alice, msg, "hurtful words about a peer")
    assert "report #1" in receipt.response.content
    assert len(h.fake.channel_messages(queue.id)) == 1
