"""Moderation repository and service on a real, migrated SQLite file: numbering, purge rules, reports, appeals."""

from __future__ import annotations

import pytest

from bot.db.core import GuildSettingsRepository
from bot.db.moderation import ModerationRepository
from bot.domain.moderation import ModerationError
from bot.services.guild_config import GuildConfig
from bot.services.moderation import ModerationService
from bot.services.modlog import ModLog

G, OTHER = 1000, 2000
MEMBER, MOD, REPORTER = 11, 22, 33


@pytest.fixture
def service(db, clock):
    repo = ModerationRepository(db)
    config = GuildConfig(GuildSettingsRepository(db), clock)
    return ModerationService(repo, ModLog(repo, config, clock, None), config, clock)


async def test_case_numbers_are_per_server(service):
    a = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="first warning here")
    b = await service.infraction(OTHER, "warn", subject_id=MEMBER, moderator_id=MOD, reason="other server warning")
    c = await service.infraction(G, "note", subject_id=MEMBER, moderator_id=MOD, reason="a private note")
    assert (a.number, b.number, c.number) == (1, 1, 2)
    cases, page, pages = await service.history(G, MEMBER, 5)
    assert [x.number for x in cases] == [2, 1] and (page, pages) == (0, 1)


async def test_purge_keeps_what_is_still_in_force(service, clock):
    await service.set_retention(G, "mod-records", 30, by=MOD)
    restrict = await service.infraction(G, "restrict", subject_id=MEMBER, moderator_id=MOD, reason="posted a name")
    warn = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="first warning here")
    appealed = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="second warning here")
    await service.open_appeal(appealed.id, MEMBER)
    report, _ = await service.file_report(
        G, reporter_id=REPORTER, subject_id=MEMBER, channel_id=5, message_id=6, reason="rude to a newcomer"
    )
    clock.advance(days=31)
    await service.purge()
    cases, _, _ = await service.history(G, MEMBER, 0)
    kept = {c.id for c in cases}
    # the active restriction, the case with an open appeal and the open report stay; the old warning goes
    assert restrict.id in kept and appealed.id in kept and warn.id not in kept
    assert (await service.open_report(G, report.id)).id == report.id
    await service.decide_report(G, report.id, "dismissed", MOD)
    clock.advance(days=31)
    await service.purge()
    with pytest.raises(ModerationError, match="no longer exists"):
        await service.open_report(G, report.id)


async def test_reports_once_per_message_and_rate_limited(service, clock):
    await service.file_report(G, reporter_id=REPORTER, subject_id=MEMBER, channel_id=5, message_id=6, reason="abc")
    with pytest.raises(ModerationError, match="already reported"):
        await service.file_report(G, reporter_id=REPORTER, subject_id=MEMBER, channel_id=5, message_id=6, reason="abc")
    with pytest.raises(ModerationError, match="yourself"):
        await service.file_report(G, reporter_id=MEMBER, subject_id=MEMBER, channel_id=5, message_id=7, reason="abc")
    for i in range(4):
        await service.file_report(
            G, reporter_id=REPORTER, subject_id=MEMBER, channel_id=5, message_id=100 + i, reason="abc"
        )
    with pytest.raises(ModerationError, match="wait a little"):
        await service.check_can_report(G, REPORTER, None)
    clock.advance(minutes=11)
    await service.check_can_report(G, REPORTER, None)  # the window slid on


async def test_first_decision_wins_and_names_who(service):
    report, _ = await service.file_report(
        G, reporter_id=REPORTER, subject_id=MEMBER, channel_id=None, message_id=None, reason="keeps messaging me"
    )
    decided = await service.decide_report(G, report.id, "resolved", MOD)
    assert decided.status == "resolved" and decided.decided_by == MOD
    with pytest.raises(ModerationError, match=f"resolved\\*\\* by <@{MOD}>"):
        await service.decide_report(G, report.id, "dismissed", MOD + 1)
    with pytest.raises(ModerationError, match="no longer exists"):
        await service.decide_report(OTHER, report.id, "dismissed", MOD)  # another server's report


async def test_appeals_once_and_overturn_returns_the_role(service):
    case = await service.infraction(G, "restrict", subject_id=MEMBER, moderator_id=MOD, reason="posted a name")
    await service.note_removed_role(case.id, 777)
    with pytest.raises(ModerationError, match="nothing to appeal"):
        await service.open_appeal(case.id, MEMBER + 1)
    _, appeal = await service.open_appeal(case.id, MEMBER)
    with pytest.raises(ModerationError, match="already with the moderators"):
        await service.open_appeal(case.id, MEMBER)
    outcome = await service.decide_appeal(G, appeal.id, "overturned", MOD)
    assert outcome.won and outcome.restore_role_id == 777
    assert not await service.is_restricted(G, MEMBER)
    again = await service.decide_appeal(G, appeal.id, "upheld", MOD + 1)
    assert not again.won and again.appeal.status == "overturned" and again.appeal.decided_by == MOD
    with pytest.raises(ModerationError, match="already decided"):
        await service.open_appeal(case.id, MEMBER)
    note = await service.infraction(G, "note", subject_id=MEMBER, moderator_id=MOD, reason="a private note")
    with pytest.raises(ModerationError, match="Only warnings"):
        await service.open_appeal(note.id, MEMBER)


async def test_overturning_a_lifted_restriction_gives_nothing_back(service):
    case = await service.infraction(G, "restrict", subject_id=MEMBER, moderator_id=MOD, reason="posted a name")
    await service.note_removed_role(case.id, 777)
    _, appeal = await service.open_appeal(case.id, MEMBER)
    await service.infraction(G, "unrestrict", subject_id=MEMBER, moderator_id=MOD, reason="talked it through")
    assert await service.role_to_restore(G, MEMBER) == 777
    outcome = await service.decide_appeal(G, appeal.id, "overturned", MOD)
    assert outcome.won and outcome.restore_role_id is None  # unrestrict already gave it back


async def test_erasing_a_reporter_keeps_records_about_the_member(service):
    await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="first warning here")
    await service.file_report(G, reporter_id=REPORTER, subject_id=MEMBER, channel_id=5, message_id=6, reason="abc")
    assert await service.erase_for_user(REPORTER) == 1
    assert (await service.export_for_user(REPORTER))["reports_you_filed"] == []
    assert await service.erase_for_user(MEMBER) == 0
    exported = await service.export_for_user(MEMBER)
    assert [r["kind"] for r in exported["records_about_you"]] == ["warn"]


async def test_overturned_cases_are_marked_and_do_not_count(service):
    first = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="first warning here")
    _, appeal = await service.open_appeal(first.id, MEMBER)
    await service.decide_appeal(G, appeal.id, "overturned", MOD)
    second = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="second warning here")
    third = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="third warning here")
    assert not second.escalations and not third.escalations  # the default rule needs 3 standing warnings
    cases, _, _ = await service.history(G, MEMBER, 0)
    assert {c.number: c.overturned for c in cases if c.kind == "warn"} == {1: True, 3: False, 4: False}
    fourth = await service.infraction(G, "warn", subject_id=MEMBER, moderator_id=MOD, reason="fourth warning here")
    assert [r.kind for r in fourth.escalations] == ["warn"]
