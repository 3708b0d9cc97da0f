"""/mod end to end: infractions, notices and appeals, history, hierarchy refusals, the mod log and escalation."""

import copy
from datetime import UTC, datetime

import pytest

from tests.e2e.harness import reply_text


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


async def cases(h):
    return await h.bot.services.db.fetchval("SELECT count(*) FROM mod_cases")


async def test_warn_notifies_with_appeal_and_the_mod_log_holds_metadata(harness):
    h = harness
    log, queue, _ = await configure(h)
    reply = await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "shared a member's phone number"})
    assert reply.response.ephemeral and "case #1" in reply.response.content
    posted = h.fake.channel_messages(log.id)
    assert len(posted) == 1 and "Case #1" in reply_text(posted[0]) and str(h.alice.id) in reply_text(posted[0])
    dms = h.fake.dms(h.alice)
    assert len(dms) == 1 and "shared a member's phone number" in reply_text(dms[0]) and "#1" in reply_text(dms[0])
    case_id = await h.bot.services.db.fetchval("SELECT id FROM mod_cases WHERE number = 1")
    # appeal from the DM, after a restart
    await h.restart()
    opened = await h.fake.click(h.alice, dms[0], f"harbor:mod:appeal:{case_id}")
    assert opened.response.type == 9
    done = await h.fake.submit_modal(
        h.alice,
        opened,
        {opened.response.data["components"][0]["components"][0]["custom_id"]: "It was my own number, not a member's."},
    )
    assert "with the moderators" in done.response.content
    again = await h.fake.click(h.alice, dms[0], f"harbor:mod:appeal:{case_id}")
    assert "already with the moderators" in again.response.content
    card = h.fake.channel_messages(queue.id)[-1]
    assert "Appeal of case #1" in reply_text(card) and "my own number" in reply_text(card)
    appeal_id = await h.bot.services.db.fetchval("SELECT id FROM mod_appeals")
    # a member can't decide; the first moderator wins, the second is told who decided
    denied = await h.fake.click(h.bob, card, f"harbor:mod:apd:overturn:{appeal_id}")
    assert denied.response.ephemeral and "Only moderators" in denied.response.content
    stale = copy.deepcopy(card)  # a second moderator's screen still shows the buttons
    first = await h.fake.click(h.mod, card, f"harbor:mod:apd:overturn:{appeal_id}")
    assert first.response.type == 7 and not card.components
    second = await h.fake.click(h.admin, stale, f"harbor:mod:apd:uphold:{appeal_id}")
    assert "already decided" in second.response.content and str(h.mod.id) in second.response.content
    assert await h.bot.services.db.fetchval("SELECT status FROM mod_appeals") == "overturned"
    await h.fake.wait_for(lambda: any("overturned" in reply_text(m) for m in h.fake.dms(h.alice)))


async def test_refusals_leave_nothing_behind(harness):
    h = harness
    await configure(h)
    for options, words in [
        ({"member": h.alice.id, "reason": "no"}, "at least 3"),
        ({"member": h.alice.id, "reason": "   "}, "at least 3"),
        ({"member": h.mod.id, "reason": "testing myself"}, "yourself"),
        ({"member": h.admin.id, "reason": "testing admin"}, "admin"),
        ({"member": h.bot.user.id, "reason": "bot test"}, "Bots"),
    ]:
        reply = await h.slash(h.mod, "mod warn", options)
        assert reply.response.ephemeral and words in reply.response.content, (options, reply.response.content)
    for duration in ("0", "-1h", "29d", "soon", "10"):
        reply = await h.slash(h.mod, "mod timeout", {"member": h.alice.id, "duration": duration, "reason": "spamming"})
        assert reply.response.ephemeral, duration
        assert (
            "duration" in reply.response.content
            or "28 days" in reply.response.content
            or "minute" in reply.response.content
        )
    # a member who left
    h.guild.remove_member(h.bob)
    reply = await h.slash(h.mod, "mod warn", {"member": h.bob.id, "reason": "left already"})
    assert "not a member" in reply.response.content
    # a member can't use /mod, even where an admin made it visible to them
    h.guild.allow_command("mod", h.alice)
    reply = await h.slash(h.alice, "mod history", {"member": h.mod.id})
    assert reply.response.ephemeral and "Only moderators" in reply.response.content
    assert await cases(h) == 0


async def test_higher_role_is_refused(harness):
    h = harness
    await configure(h)
    senior = h.guild.add_role("Senior", position=5)
    h.guild.update_member(h.alice, roles=[senior.id])
    reply = await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "higher role"})
    assert "top role" in reply.response.content
    assert await cases(h) == 0


async def test_timeout_restrict_unrestrict_history_and_reason(harness):
    h = harness
    _, _, role = await configure(h, case_role=True)
    h.guild.update_member(h.alice, roles=[role.id])
    reply = await h.slash(h.mod, "mod timeout", {"member": h.alice.id, "duration": "2h", "reason": "cooling off"})
    assert "2 hours" in reply.response.content, reply.response.content
    member = h.guild.members[h.alice.id]
    assert member.communication_disabled_until
    reply = await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "confidentiality breach"})
    assert "Restricted" in reply.response.content
    assert role.id not in h.guild.members[h.alice.id].roles
    assert await h.bot.services.moderation.is_restricted(h.guild.id, h.alice.id)
    again = await h.slash(h.mod, "mod restrict", {"member": h.alice.id, "reason": "confidentiality breach"})
    assert "already restricted" in again.response.content
    await h.slash(h.mod, "mod note", {"member": h.alice.id, "reason": "talked it through"})
    reply = await h.slash(h.mod, "mod unrestrict", {"member": h.alice.id, "reason": "agreed on boundaries"})
    assert "Lifted" in reply.response.content
    assert role.id in h.guild.members[h.alice.id].roles
    assert not await h.bot.services.moderation.is_restricted(h.guild.id, h.alice.id)
    reply = await h.slash(h.mod, "mod reason", {"case": 1, "reason": "cooling off after an argument"})
    assert "updated" in reply.response.content
    missing = await h.slash(h.mod, "mod reason", {"case": 99, "reason": "cooling off"})
    assert "no case #99" in missing.response.content
    for i in range(12):
        await h.bot.services.modlog.record(
            h.guild.id, "note", subject_id=h.alice.id, moderator_id=h.mod.id, reason=f"n{i}"
        )
    hist = await h.slash(h.mod, "mod history", {"member": h.alice.id})
    text = reply_text(hist.response)
    assert hist.response.ephemeral and "page 1 of 2" in text and "#16" in text
    older = await h.fake.click(h.mod, hist.message, f"harbor:mod:hist:{h.alice.id}:1:n")
    assert "page 2 of 2" in reply_text(older.response) and "cooling off after an argument" in reply_text(older.response)


async def test_escalation_after_three_privacy_violations(harness):
    h = harness
    _log, queue, _ = await configure(h)
    modlog = h.bot.services.modlog
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
    case = await modlog.record(
        h.guild.id, "privacy_violation", subject_id=h.alice.id, moderator_id=None, identifier_kinds=("PHONE",)
    )
    assert case.number == 3 and case.escalations and case.escalations[0].threshold == 3
    assert any("Escalation" in reply_text(m) for m in h.fake.channel_messages(queue.id))
    row = await h.bot.services.db.fetchone("SELECT identifier_kinds, reason FROM mod_cases WHERE number = 1")
    assert row["identifier_kinds"] == "PHONE,NAME" and row["reason"] is None
    with pytest.raises(ValueError):
        await modlog.record(
            h.guild.id,
            "privacy_violation",
            subject_id=h.alice.id,
            moderator_id=None,
            identifier_kinds=("555-123-4567",),
        )


async def test_mydata_export_and_delete_keep_records(harness):
    h = harness
    await configure(h)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "off-topic posting"})
    await h.slash(h.mod, "mod note", {"member": h.alice.id, "reason": "private note"})
    data = await h.bot.services.mydata.export(h.alice.id)
    records = data["moderation"]["records_about_you"]
    assert [r["kind"] for r in records] == ["warn", "note"] and records[1]["reason"] is None
    assert "reporter_id" not in str(data["moderation"])
    assert any("kept as metadata" in note for note in h.bot.services.mydata.kept_notes())
    await h.bot.services.mydata.erase(h.alice.id)
    assert await cases(h) == 2


async def test_retention_purge(timed_harness):
    h = await timed_harness(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    await configure(h)
    await h.slash(h.mod, "mod warn", {"member": h.alice.id, "reason": "old warning"})
    reply = await h.slash(h.admin, "setup retention", {"kind": "mod-records", "days": 30})
    assert "30 days" in reply.response.content
    await h.slash(h.admin, "setup retention", {"kind": "case-threads", "days": 60})
    assert await h.bot.services.guild_config.get(h.guild.id, "retention.case_threads_days") == 60
    h.clock.advance(days=20)
    await h.bot.services.timers.fire_due()
    assert await cases(h) == 1
    h.clock.advance(days=15)
    await h.bot.services.timers.fire_due()
    assert await cases(h) == 0
