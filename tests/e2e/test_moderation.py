"""/mod end to end: infractions, notices and appeals, history, hierarchy refusals, the mod log and escalation.

Everything is observed the way a moderator, a member or an admin would: replies, DMs, the mod-log and
mod-queue channels, `/mod history`, `/mydata` and the fake's member state — no SQL.
"""

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.harness import reply_text
from tests.e2e.test_agreement import agree, gate, publish
from tests.fakediscord.options import iter_components


async def configure(h, *, case_role=False):
    await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
    h.guild.allow_command("mod", h.mod_role)  # an admin's integration override, as a real server sets up
    log = h.guild.add_text_channel("mod-log")
    queue = h.guild.add_text_channel("mod-queue")
    await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": log.id})
    await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": queue.id})
    role = None
    if case_role:
        role = h.guild.add_role("Case access")
        await h.slash(h.admin, "setup role", {"kind": "case-access", "role": role.id})
    return log, queue, role


def button_id(message, prefix):
    """The id in a button's custom id `<prefix>:<id>` on a message (what a click would send)."""
    for component in iter_components(message.components):
        custom_id = component.get("custom_id") or ""
        if custom_id.startswith(prefix + ":") and custom_id[len(prefix) + 1 :].isdigit():
            return int(custom_id[len(prefix) + 1 :])
    raise AssertionError(f"no {prefix}:<id> button on message {message.id}")


async def history(h, member, moderator=None):
    """The first page of `/mod history` as a moderator reads it."""
    reply = await h.slash(moderator or h.mod, "mod history", {"member": member.id})
    assert reply.response.ephemeral, reply.response.content
    return reply_text(reply.response)


def case_titles(text):
    return [line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("#")]


def everything_in(h, channel):
    return "\n".join(reply_text(m) for m in h.fake.channel_messages(channel.id))


async def export_of(h, user):
    export = await h.slash(user, "mydata export")
    replies = [export.response, *await export.wait_followups(1)]
    return json.loads(next(body for r in replies for _, body in r.files))["data"]


async def appeal(h, user, notice, text):
    opened = await h.fake.click(user, notice, f"harbor:mod:appeal:{button_id(notice, 'harbor:mod:appeal')}")
    if opened.response.type != 9:
        return opened
    field = opened.response.data["components"][0]["components"][0]["custom_id"]
    return await h.fake.submit_modal(user, opened, {field: text})


async def test_warn_notifies_with_appeal_and_the_mod_log_holds_metadata(harness):
    h = harness
    log, queue, _ = await configure(h)
    reply = await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "shared a member's phone number"})
    assert reply.response.ephemeral and "case #1" in reply.response.content
    posted = h.fake.channel_messages(log.id)
    assert len(posted) == 1 and "Case #1" in reply_text(posted[0]) and str(h.alice.id) in reply_text(posted[0])
    assert str(h.mod.id) in reply_text(posted[0])
    dms = h.fake.dms(h.alice)
    assert len(dms) == 1 and "shared a member's phone number" in reply_text(dms[0]) and "#1" in reply_text(dms[0])
    # appeal from the DM, after a restart
    await h.restart()
    done = await appeal(h, h.alice, dms[0], "It was my own number, not a member's.")
    assert "with the moderators" in done.response.content
    again = await h.fake.click(h.alice, dms[0], f"harbor:mod:appeal:{button_id(dms[0], 'harbor:mod:appeal')}")
    assert again.response.ephemeral and "already with the moderators" in again.response.content
    card = h.fake.channel_messages(queue.id)[-1]
    assert "Appeal of case #1" in reply_text(card) and "my own number" in reply_text(card)
    appeal_id = button_id(card, "harbor:mod:apd:overturn")
    # a member can't decide; the first moderator wins, the second is told who decided (after a restart too)
    denied = await h.fake.click(h.bob, card, f"harbor:mod:apd:overturn:{appeal_id}")
    assert denied.response.ephemeral and "Only moderators" in denied.response.content
    stale = copy.deepcopy(card)  # a second moderator's screen still shows the buttons
    first = await h.fake.click(h.mod, card, f"harbor:mod:apd:overturn:{appeal_id}")
    assert first.response.type == 7 and not card.components
    assert "overturned" in reply_text(card) and "my own number" in reply_text(card)
    await h.fake.wait_for(lambda: any("overturned" in reply_text(m) for m in h.fake.dms(h.alice)))
    await h.restart()
    second = await h.fake.click(h.admin, stale, f"harbor:mod:apd:uphold:{appeal_id}")
    assert second.response.ephemeral and "already decided" in second.response.content
    assert "overturned" in second.response.content and str(h.mod.id) in second.response.content
    # a case is appealed once
    later = await h.fake.click(h.alice, dms[0], f"harbor:mod:appeal:{button_id(dms[0], 'harbor:mod:appeal')}")
    assert later.response.ephemeral and "already decided" in later.response.content
    # the appeal's words reached the queue only: not the mod log, not the records
    assert "my own number" not in everything_in(h, log)
    assert "Appeal overturned" in await history(h, h.alice)
    assert "my own number" not in json.dumps(await export_of(h, h.alice))


async def test_refusals_leave_nothing_behind(harness):
    h = harness
    log, _, _ = await configure(h)
    second_mod = h.fake.add_user("second-mod")
    h.guild.add_member(second_mod, roles=[h.mod_role.id])
    for options, words in [
        ({"member": h.alice.id, "reason": "no"}, "at least 3"),
        ({"member": h.alice.id, "reason": "   "}, "at least 3"),
        ({"member": h.alice.id, "reason": "spam"}, "more than one word"),
        ({"member": h.mod.id, "reason": "testing myself"}, "yourself"),
        ({"member": h.admin.id, "reason": "testing an admin"}, "admin"),
        ({"member": h.owner.id, "reason": "testing the owner"}, "admin"),
        ({"member": h.bot.user.id, "reason": "bot test"}, "Bots"),
        ({"member": second_mod.id, "reason": "same role as mine"}, "top role"),
    ]:
        reply = await h.slash(h.mod, "mod warn", options)
        assert reply.response.ephemeral and words in reply.response.content, (options, reply.response.content)
    for duration, words in [
        ("0", "not a duration"),
        ("-1h", "not a duration"),
        ("29d", "28 days"),
        ("soon", "not a duration"),
        ("10", "not a duration"),
        ("30s", "at least 1 minute"),
    ]:
        reply = await h.slash(
            h.mod, "mod timeout", {"member": h.alice.id, "duration": duration, "reason": "spamming the channel"}
        )
        assert reply.response.ephemeral and words in reply.response.content, (duration, reply.response.content)
    reply = await h.slash(h.mod, "mod timeout", {"member": h.alice.id, "duration": "2h", "reason": "spam"})
    assert "more than one word" in reply.response.content
    reply = await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "x"})
    assert "at least 3" in reply.response.content
    # a member who left
    h.guild.remove_member(h.bob)
    reply = await h.slash(h.mod, "mod warn", {"member": h.bob.id, "reason": "left already"})
    assert reply.response.ephemeral and "not a member" in reply.response.content
    # a member can't use /mod, even where an admin made it visible to them
    h.guild.allow_command("mod", h.alice)
    reply = await h.slash(h.alice, "mod history", {"member": h.mod.id})
    assert reply.response.ephemeral and "Only moderators" in reply.response.content
    # nothing was half-written: no record, no mod-log post, no DM, no timeout
    assert "No records." in await history(h, h.alice)
    assert h.fake.channel_messages(log.id) == [] and h.fake.dms(h.alice) == []
    assert not h.guild.members[h.alice.id].communication_disabled_until


async def test_higher_role_is_refused(harness):
    h = harness
    await configure(h)
    senior = h.guild.add_role("Senior", position=5)
    h.guild.update_member(h.alice, roles=[senior.id])
    reply = await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "higher role"})
    assert "top role" in reply.response.content
    assert "No records." in await history(h, h.alice)


@pytest.mark.parametrize(
    ("duration", "span", "said"),
    [
        ("28d", timedelta(days=28), "28 days"),
        ("1d12h", timedelta(hours=36), "1 day, 12 hours"),
        ("2h", timedelta(hours=2), "2 hours"),
        ("90 minutes", timedelta(minutes=90), "1 hour, 30 minutes"),
    ],
)
async def test_timeout_uses_discord_timeout(harness, duration, span, said):
    h = harness
    await configure(h)
    before = datetime.now(UTC)
    reply = await h.slash(h.mod, "mod timeout", {"member": h.alice.id, "duration": duration, "reason": "cooling off"})
    assert reply.response.ephemeral and said in reply.response.content, reply.response.content
    until = datetime.fromisoformat(h.guild.members[h.alice.id].communication_disabled_until)
    assert before + span - timedelta(seconds=5) <= until <= datetime.now(UTC) + span
    assert until - before <= timedelta(days=28, seconds=5)
    notice = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    assert "timed out" in reply_text(notice[0]) and "cooling off" in reply_text(notice[0])


async def test_restrict_takes_case_access_and_blocks_case_until_lifted(harness):
    h = harness
    await configure(h)
    role, _ = await gate(h)
    await publish(h, "No identifiers, ever.")
    await agree(h, h.alice)
    assert role.id in h.guild.members[h.alice.id].roles
    reply = await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "confidentiality breach in a case"})
    assert reply.response.ephemeral and "Restricted" in reply.response.content
    assert role.id not in h.guild.members[h.alice.id].roles
    refused = await h.slash(h.alice, "case new")
    assert refused.response.ephemeral and "restricted" in refused.response.content
    notice = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    assert "restricted" in reply_text(notice[-1]) and button_id(notice[-1], "harbor:mod:appeal")
    again = await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "confidentiality breach in a case"})
    assert "already restricted" in again.response.content
    assert "**active**" in await history(h, h.alice)
    await h.restart()  # the restriction is stored, not remembered
    refused = await h.slash(h.alice, "case new")
    assert "restricted" in refused.response.content
    reply = await h.slash(h.mod, "mod unrestrict", {"member": h.alice.id, "reason": "agreed on boundaries"})
    assert "Lifted" in reply.response.content
    assert role.id in h.guild.members[h.alice.id].roles
    await h.fake.wait_for(lambda: any("restored" in reply_text(m) for m in h.fake.dms(h.alice)))
    opened = await h.slash(h.alice, "case new")
    assert opened.response.type == 9  # the case modal again
    not_now = await h.slash(h.mod, "mod unrestrict", {"member": h.alice.id, "reason": "agreed on boundaries"})
    assert "not restricted" in not_now.response.content


async def test_overturned_restriction_gives_case_access_back(harness):
    h = harness
    _, queue, role = await configure(h, case_role=True)
    h.guild.update_member(h.alice, roles=[role.id])
    await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "posted a client's full name"})
    assert role.id not in h.guild.members[h.alice.id].roles
    notice = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    await appeal(h, h.alice, notice[-1], "It was a public figure's name, from the news.")
    card = h.fake.channel_messages(queue.id)[-1]
    done = await h.fake.click(h.mod, card, f"harbor:mod:apd:overturn:{button_id(card, 'harbor:mod:apd:overturn')}")
    assert done.response.type == 7
    await h.fake.wait_for(lambda: role.id in h.guild.members[h.alice.id].roles)
    assert "**active**" not in await history(h, h.alice)


async def test_upheld_appeal_changes_nothing_and_the_member_is_told(harness):
    h = harness
    _, queue, _ = await configure(h)
    await h.slash(h.mod, "mod timeout", {"member": h.alice.id, "duration": "1d", "reason": "heated argument again"})
    notice = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    await appeal(h, h.alice, notice[0], "I was provoked first, please look again.")
    card = h.fake.channel_messages(queue.id)[-1]
    await h.fake.click(h.mod, card, f"harbor:mod:apd:uphold:{button_id(card, 'harbor:mod:apd:uphold')}")
    await h.fake.wait_for(lambda: any("decision stands" in reply_text(m) for m in h.fake.dms(h.alice)))
    assert h.guild.members[h.alice.id].communication_disabled_until


async def test_history_is_paged_and_reasons_are_editable(harness):
    h = harness
    log, _, _ = await configure(h)
    await h.slash(h.mod, "mod note", {"member": h.alice.id, "reason": "talked it through"})
    assert h.fake.dms(h.alice) == []  # notes are not sent to the member
    for i in range(11):
        await h.slash(h.mod, "mod note", {"member": h.alice.id, "reason": f"note number {i}"})
    await h.slash(h.mod, "mod warn", {"member": h.bob.id, "reason": "another member's record"})
    reply = await h.slash(h.mod, "mod reason", {"case": 1, "reason": "talked it through after the argument"})
    assert reply.response.ephemeral and "updated" in reply.response.content
    assert "reason edited" in reply_text(h.fake.channel_messages(log.id)[-1])
    assert "no case #99" in (await h.slash(h.mod, "mod reason", {"case": 99, "reason": "cooling off"})).response.content
    assert "one word" in (await h.slash(h.mod, "mod reason", {"case": 1, "reason": "fine"})).response.content
    hist = await h.slash(h.mod, "mod history", {"member": h.alice.id})
    text = reply_text(hist.response)
    assert "page 1 of 2" in text and case_titles(text)[0] == "#12" and len(case_titles(text)) == 10
    assert "#13" not in case_titles(text)  # bob's warning is his, not hers
    older = await h.fake.click(h.mod, hist.message, f"harbor:mod:hist:{h.alice.id}:1:n")
    text = reply_text(older.response)
    assert "page 2 of 2" in text and case_titles(text) == ["#2", "#1"]
    assert "talked it through after the argument" in text
    await h.restart()  # the page buttons are restart-proof
    newer = await h.fake.click(h.mod, older.message, f"harbor:mod:hist:{h.alice.id}:0:p")
    assert "page 1 of 2" in reply_text(newer.response)
    jump = await h.slash(h.mod, "mod history", {"member": h.alice.id, "page": 9})
    assert "page 2 of 2" in reply_text(jump.response)  # clamped to the last page


async def test_escalation_after_three_privacy_violations(harness):
    h = harness
    log, queue, _ = await configure(h)
    modlog = h.bot.services.modlog  # the case-discussion scanner records through this service
    for _ in range(2):
        case = await modlog.record(
            h.guild.id,
            "privacy_violation",
            subject_id=h.alice.id,
            moderator_id=None,
            channel_id=h.general.id,
            identifier_kinds=("PHONE", "NAME"),
        )
        assert not case.escalations
    assert not any("Escalation" in reply_text(m) for m in h.fake.channel_messages(queue.id))
    case = await modlog.record(
        h.guild.id, "privacy_violation", subject_id=h.alice.id, moderator_id=None, identifier_kinds=("PHONE",)
    )
    assert case.number == 3 and case.escalations and case.escalations[0].threshold == 3
    alert = [m for m in h.fake.channel_messages(queue.id) if "Escalation" in reply_text(m)]
    assert len(alert) == 1 and str(h.alice.id) in reply_text(alert[0])
    first = reply_text(h.fake.channel_messages(log.id)[0])
    assert "PHONE, NAME" in first and "Harbor (automatic)" in first and "Reason" not in first
    assert "kinds: PHONE, NAME" in await history(h, h.alice)
    with pytest.raises(ValueError):
        await modlog.record(
            h.guild.id,
            "privacy_violation",
            subject_id=h.alice.id,
            moderator_id=None,
            identifier_kinds=("555-123-4567",),
        )


async def test_three_warnings_notify_the_moderators(harness):
    h = harness
    _, queue, _ = await configure(h)
    for i in range(3):
        reply = await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": f"off-topic post number {i}"})
        assert f"case #{i + 1}" in reply.response.content
    alert = [m for m in h.fake.channel_messages(queue.id) if "Escalation" in reply_text(m)]
    assert len(alert) == 1 and "3 × warn" in reply_text(alert[0])


async def test_mydata_export_and_delete_keep_records(harness):
    h = harness
    _, queue, _ = await configure(h)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "off-topic posting"})
    await h.slash(h.mod, "mod note", {"member": h.alice.id, "reason": "private note about tone"})
    msg = await h.fake.post_message(h.alice, h.general, "a message bob finds hurtful")
    opened = await h.fake.message_context(h.bob, "Report to moderators", msg)
    field = opened.response.data["components"][0]["components"][0]["custom_id"]
    await h.fake.submit_modal(h.bob, opened, {field: "unkind words about my recovery"})
    card = h.fake.channel_messages(queue.id)[-1]
    await h.fake.click(h.mod, card, f"harbor:mod:rep:dismiss:{button_id(card, 'harbor:mod:rep:dismiss')}")
    data = (await export_of(h, h.alice))["moderation"]
    records = data["records_about_you"]
    assert [r["kind"] for r in records] == ["warn", "note", "report_dismissed"]
    assert records[0]["reason"] == "off-topic posting" and records[1]["reason"] is None  # notes stay private
    assert str(h.bob.id) not in json.dumps(data)  # never who reported her
    filed = (await export_of(h, h.bob))["moderation"]["reports_you_filed"]
    assert len(filed) == 1 and filed[0]["subject_id"] == h.alice.id and filed[0]["status"] == "dismissed"
    ask = await h.slash(h.alice, "mydata delete")
    confirm = next(c["custom_id"] for c in iter_components(ask.response.components) if c.get("custom_id"))
    done = await h.fake.click(h.alice, ask.original(), confirm)
    assert "erased" in reply_text(done.response) and "kept as metadata" in reply_text(done.response)
    assert case_titles(await history(h, h.alice)) == ["#3", "#2", "#1"]


async def test_retention_purge_is_a_durable_job(timed_harness):
    h = await timed_harness(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    await configure(h)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "old warning here"})
    reply = await h.slash(h.admin, "setup retention", {"kind": "mod-records", "days": 30})
    assert "30 days" in reply.response.content
    h.clock.advance(days=20)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "newer warning here"})
    await h.bot.services.timers.fire_due()
    assert case_titles(await history(h, h.alice)) == ["#2", "#1"]
    await h.restart()  # the daily job lives in the timers table, not in memory
    h.clock.advance(days=15)
    await h.bot.services.timers.fire_due()
    assert case_titles(await history(h, h.alice)) == ["#2"]
    await h.restart()
    h.clock.advance(days=20)
    await h.bot.services.timers.fire_due()
    assert "No records." in await history(h, h.alice)


async def test_overturned_timeout_ends_it(harness):
    h = harness
    _, queue, _ = await configure(h)
    await h.slash(h.mod, "mod timeout", {"member": h.alice.id, "duration": "7d", "reason": "heated argument"})
    assert h.guild.members[h.alice.id].communication_disabled_until
    dm = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    await appeal(h, h.alice, dm[0], "I apologised and we talked it out.")
    card = h.fake.channel_messages(queue.id)[-1]
    await h.fake.click(h.mod, card, f"harbor:mod:apd:overturn:{button_id(card, 'harbor:mod:apd:overturn')}")
    await h.fake.wait_for(lambda: not h.guild.members[h.alice.id].communication_disabled_until)


async def test_escalation_rule_table(harness):
    h = harness
    await configure(h)
    shown = await h.slash(h.admin, "mod escalation")
    assert (
        "3 × privacy_violation within 30 days" in shown.response.content
        and "3 × warn within 90" in shown.response.content
    )
    changed = await h.slash(h.admin, "mod escalation", {"kind": "warn", "threshold": 2, "days": 30})
    assert "2 × warn within 30 days" in changed.response.content
    bad = await h.slash(h.admin, "mod escalation", {"kind": "Warn!!", "threshold": 2, "days": 30})
    assert "not a record kind" in bad.response.content
    removed = await h.slash(h.admin, "mod escalation", {"kind": "warn", "threshold": 0})
    assert "warn" not in removed.response.content.split("rules**")[1]
    denied = await h.slash(h.mod, "mod escalation")
    assert "admin" in denied.response.content.lower()


async def test_an_appeal_that_cannot_reach_the_queue_can_be_sent_again(harness):
    h = harness
    _, queue, _ = await configure(h)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "posted in the wrong channel"})
    notice = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    h.fake.fail_next("POST", rf"/channels/{queue.id}/messages", 403, code=50013, message="Missing Permissions")
    failed = await appeal(h, h.alice, notice[0], "The channel topic said it was allowed there.")
    assert "nothing was sent" in reply_text(failed.response)
    assert h.fake.channel_messages(queue.id) == []
    sent = await appeal(h, h.alice, notice[0], "The channel topic said it was allowed there.")
    assert "with the moderators" in sent.response.content
    assert "Appeal of case #1" in reply_text(h.fake.channel_messages(queue.id)[-1])


async def test_a_warning_overturned_on_appeal_no_longer_counts_towards_escalation(harness):
    h = harness
    _, queue, _ = await configure(h)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "off-topic post, first"})
    notice = await h.fake.wait_for(lambda: h.fake.dms(h.alice))
    await appeal(h, h.alice, notice[0], "That post was in the right channel, see the pin.")
    card = h.fake.channel_messages(queue.id)[-1]
    await h.fake.click(h.mod, card, f"harbor:mod:apd:overturn:{button_id(card, 'harbor:mod:apd:overturn')}")
    for i in (2, 3):
        await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": f"off-topic post, number {i}"})

    def alerts():
        return [m for m in h.fake.channel_messages(queue.id) if "Escalation" in reply_text(m)]

    assert alerts() == []  # two warnings stand, not three
    text = await history(h, h.alice)
    assert "overturned on appeal" in text.split("#1 · Warning", 1)[1]
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "off-topic post, number 4"})
    assert len(alerts()) == 1
    records = (await export_of(h, h.alice))["moderation"]["records_about_you"]
    assert [r["overturned_on_appeal"] for r in records if r["kind"] == "warn"] == [True, False, False, False]


async def test_a_new_agreement_version_does_not_lift_a_restriction(harness):
    h = harness
    await configure(h)
    role, _ = await gate(h)
    await publish(h, "No identifiers, ever.")
    await agree(h, h.alice)
    await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "confidentiality breach in a case"})
    assert role.id not in h.guild.members[h.alice.id].roles
    await publish(h, "No identifiers, ever. Version two.")
    clicked, _ = await agree(h, h.alice)
    assert clicked.response.ephemeral and "restricted" in clicked.response.content
    assert role.id not in h.guild.members[h.alice.id].roles
    refused = await h.slash(h.alice, "case new")
    assert refused.response.ephemeral and refused.response.type == 4  # no modal: nothing agreed, still restricted
    await h.slash(h.mod, "mod unrestrict", {"member": h.alice.id, "reason": "agreed on boundaries"})
    again, _ = await agree(h, h.alice)
    assert "version 2" in again.response.content
