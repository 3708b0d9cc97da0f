"""Moderation use cases: infractions, restrictions, history, reports, appeals and record retention.

No Discord calls here (the cog applies timeouts and roles, and posts queue cards); every record goes
through `ModLog`, so it is numbered, posted to the mod log and checked against the escalation rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db.moderation import Appeal, ModerationRepository, Report
from bot.domain.clock import Clock
from bot.domain.moderation import (
    DEFAULT_MOD_RETENTION_DAYS,
    ModCase,
    ModerationError,
    check_retention,
    clean_reason,
    moderator_reason,
)
from bot.services.guild_config import GuildConfig
from bot.services.modlog import ModLog

log = logging.getLogger(__name__)

PURGE_EVENT = "moderation.purge"
PURGE_KEY = "moderation:purge"
RETENTION_KEY = "retention.mod_records_days"
CASE_THREAD_RETENTION_KEY = "retention.case_threads_days"
DEFAULT_CASE_THREAD_RETENTION_DAYS = 90
REPORT_LIMIT = 5  # reports per member …
REPORT_WINDOW = timedelta(minutes=10)  # … within this window
HISTORY_PAGE = 10


@dataclass(frozen=True, slots=True)
class AppealDecision:
    """The outcome of an Uphold/Overturn click.

    `won` is False when another moderator decided first (`appeal` then shows their decision);
    `restore_role_id` is the case-access role an overturned, still active restriction had taken.
    """

    appeal: Appeal
    case: ModCase | None
    won: bool
    restore_role_id: int | None = None


class ModerationService:
    """See the module docstring."""

    def __init__(self, repo: ModerationRepository, modlog: ModLog, config: GuildConfig, clock: Clock) -> None:
        self.repo = repo
        self.modlog = modlog
        self.config = config
        self.clock = clock

    # -- restrictions ----------------------------------------------------------------------------------

    async def is_restricted(self, guild_id: int, user_id: int) -> bool:
        """Is the member restricted from case discussion (until a moderator lifts it)?"""
        return await self.repo.active_restriction(guild_id, user_id) is not None

    async def note_removed_role(self, case_id: int, role_id: int) -> None:
        """Remember that a restriction took the case-access role (lifting or overturning gives it back)."""
        await self.repo.mark_role_removed(case_id, role_id)

    async def role_to_restore(self, guild_id: int, user_id: int) -> int | None:
        """The role the member's latest (now lifted) restriction had taken, if any."""
        return await self.repo.last_lifted_role(guild_id, user_id)

    # -- infractions -----------------------------------------------------------------------------------

    @staticmethod
    def reason(text: str | None) -> str:
        """A moderator's reason, checked before anything happens on Discord (≥ 3 characters, > 1 word)."""
        return moderator_reason(text)

    async def infraction(
        self,
        guild_id: int,
        kind: str,
        *,
        subject_id: int,
        moderator_id: int,
        reason: str | None,
        channel_id: int | None = None,
        expires_at: datetime | None = None,
    ) -> ModCase:
        """Record a warn, timeout, note, restrict or unrestrict (reason ≥ 3 characters, more than one word)."""
        text = moderator_reason(reason)
        if kind == "restrict" and await self.is_restricted(guild_id, subject_id):
            msg = f"<@{subject_id}> is already restricted; lift it first with `/mod unrestrict`."
            raise ModerationError(msg)
        if kind == "unrestrict" and not await self.repo.lift_restrictions(guild_id, subject_id):
            msg = f"<@{subject_id}> is not restricted."
            raise ModerationError(msg)
        return await self.modlog.record(
            guild_id,
            kind,
            subject_id=subject_id,
            moderator_id=moderator_id,
            channel_id=channel_id,
            reason=text,
            expires_at=expires_at,
            active=kind == "restrict",
        )

    async def set_reason(self, guild_id: int, number: int, reason: str | None, *, by: int) -> ModCase:
        """Edit a case's reason; the mod log gets a line saying who changed it."""
        text = moderator_reason(reason)
        if number < 1 or not await self.repo.set_reason(guild_id, number, text):
            msg = f"There is no case #{number} in this server; `/mod history` lists a member's cases."
            raise ModerationError(msg)
        case = await self.repo.case(guild_id, number)
        assert case is not None
        await self.modlog.reason_changed(case, by)
        return case

    async def history(self, guild_id: int, subject_id: int, page: int) -> tuple[list[ModCase], int, int]:
        """One page (0-based) of a member's records, the page clamped; (cases, page, pages)."""
        total = await self.repo.count_about(guild_id, subject_id)
        pages = max(1, -(-total // HISTORY_PAGE))
        page = min(max(page, 0), pages - 1)
        cases = await self.repo.history(guild_id, subject_id, offset=page * HISTORY_PAGE, limit=HISTORY_PAGE)
        return cases, page, pages

    # -- reports ---------------------------------------------------------------------------------------

    async def check_can_report(self, guild_id: int, reporter_id: int, message_id: int | None) -> None:
        """Refuse a duplicate report of one message and floods (before the modal opens)."""
        if message_id is not None and await self.repo.already_reported(reporter_id, message_id):
            msg = "You already reported that message; the moderators have it."
            raise ModerationError(msg)
        recent = await self.repo.reports_since(guild_id, reporter_id, self.clock() - REPORT_WINDOW)
        if recent >= REPORT_LIMIT:
            msg = (
                f"You've sent {recent} reports in the last {int(REPORT_WINDOW.total_seconds() // 60)} minutes; "
                "please wait a little. For anything urgent, message a moderator directly."
            )
            raise ModerationError(msg)

    async def file_report(
        self,
        guild_id: int,
        *,
        reporter_id: int,
        subject_id: int,
        channel_id: int | None,
        message_id: int | None,
        reason: str | None,
    ) -> tuple[Report, str]:
        """Store a report's ids and return it with the cleaned reason for the queue card.

        The reason itself is not stored: it reaches the moderators on the card only. The cog posts the
        card and calls `discard_report` when that fails, so no report exists that nobody can see.
        """
        text = clean_reason(reason)
        assert text is not None
        if subject_id == reporter_id:
            msg = "You can't report yourself."
            raise ModerationError(msg)
        await self.check_can_report(guild_id, reporter_id, message_id)
        report = await self.repo.add_report(
            guild_id,
            reporter_id=reporter_id,
            subject_id=subject_id,
            channel_id=channel_id,
            message_id=message_id,
            now=self.clock(),
        )
        if report is None:
            msg = "You already reported that message; the moderators have it."
            raise ModerationError(msg)
        return report, text

    async def discard_report(self, report_id: int) -> None:
        """Undo a report whose queue card could not be posted."""
        await self.repo.delete_report(report_id)

    async def attach_report_card(self, report_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the report's queue card is."""
        await self.repo.set_report_queue(report_id, channel_id, message_id)

    async def open_report(self, guild_id: int, report_id: int) -> Report:
        """A report of this server still waiting for a decision (else a message naming who decided)."""
        report = await self.repo.report(report_id)
        if report is None or report.guild_id != guild_id:
            msg = "That report no longer exists (erased or past the retention period)."
            raise ModerationError(msg)
        if report.status != "open":
            raise ModerationError(already_handled(report))
        return report

    async def decide_report(self, guild_id: int, report_id: int, status: str, moderator_id: int) -> Report:
        """Close a report (resolved/dismissed/warned); the first decision wins, a later one is told whose it was."""
        await self.open_report(guild_id, report_id)
        won = await self.repo.decide_report(report_id, status, moderator_id, self.clock())
        fresh = await self.repo.report(report_id)
        if fresh is None:
            msg = "That report no longer exists (erased or past the retention period)."
            raise ModerationError(msg)
        if not won:
            raise ModerationError(already_handled(fresh))
        if status != "warned":  # a warning is its own record
            await self.modlog.record(
                guild_id,
                f"report_{status}",
                subject_id=fresh.subject_id,
                moderator_id=moderator_id,
                channel_id=fresh.channel_id,
                reason=f"report #{fresh.number}",
            )
        return fresh

    # -- appeals ---------------------------------------------------------------------------------------

    async def appealable(self, case_id: int, user_id: int) -> ModCase:
        """The case a member may appeal: their own warn/timeout/restrict, with no appeal open or decided."""
        case = await self.repo.case_by_id(case_id)
        if case is None or case.subject_id != user_id:
            msg = "That record no longer exists, so there is nothing to appeal."
            raise ModerationError(msg)
        if case.kind not in ("warn", "timeout", "restrict"):
            msg = "Only warnings, timeouts and restrictions can be appealed."
            raise ModerationError(msg)
        for appeal in await self.repo.appeals_of(case.id):
            if appeal.status == "open":
                msg = f"Your appeal of case #{case.number} is already with the moderators; you'll hear back by DM."
            else:
                msg = (
                    f"Your appeal of case #{case.number} was already decided ({appeal.status}); "
                    "a case can be appealed once."
                )
            raise ModerationError(msg)
        return case

    async def open_appeal(self, case_id: int, user_id: int) -> tuple[ModCase, Appeal]:
        """Open the one appeal a case may have at a time."""
        case = await self.appealable(case_id, user_id)
        appeal = await self.repo.add_appeal(case, user_id, self.clock())
        if appeal is None:
            msg = f"Your appeal of case #{case.number} is already with the moderators; you'll hear back by DM."
            raise ModerationError(msg)
        return case, appeal

    async def discard_appeal(self, appeal_id: int) -> None:
        """Undo an appeal whose queue card could not be posted (the member may try again)."""
        await self.repo.delete_appeal(appeal_id)

    async def decide_appeal(self, guild_id: int, appeal_id: int, status: str, moderator_id: int) -> AppealDecision:
        """Uphold or overturn (first decision wins); an overturned restriction is lifted here."""
        appeal = await self.repo.appeal(appeal_id)
        if appeal is None or appeal.guild_id != guild_id:
            msg = "That appeal no longer exists (past the retention period)."
            raise ModerationError(msg)
        won = await self.repo.decide_appeal(appeal_id, status, moderator_id, self.clock())
        case = await self.repo.case_by_id(appeal.case_id)
        fresh = await self.repo.appeal(appeal_id)
        assert fresh is not None
        restore: int | None = None
        if won and case is not None:
            if status == "overturned" and case.kind == "restrict" and case.active:
                await self.repo.deactivate(case.id)
                restore = await self.repo.removed_role(case.id)
            await self.modlog.record(
                appeal.guild_id,
                f"appeal_{status}",
                subject_id=appeal.user_id,
                moderator_id=moderator_id,
                reason=f"appeal of case #{case.number}",
            )
        return AppealDecision(fresh, case, won, restore)

    # -- /mydata ---------------------------------------------------------------------------------------

    async def export_for_user(self, user_id: int) -> dict[str, Any]:
        """The member's own records, the reports they filed (not who reported them) and their appeals."""
        return await self.repo.export_for_user(user_id)

    async def erase_for_user(self, user_id: int) -> int:
        """Erase the reports a member filed; records about them stay as metadata (the reply says so)."""
        return await self.repo.erase_for_user(user_id)

    # -- retention -------------------------------------------------------------------------------------

    async def retention_days(self, guild_id: int) -> int:
        """How long this server keeps mod records (`/setup retention kind:mod-records`)."""
        return int(await self.config.get(guild_id, RETENTION_KEY, DEFAULT_MOD_RETENTION_DAYS))

    async def set_retention(self, guild_id: int, kind: str, days: int, *, by: int) -> None:
        """Store a retention setting: `mod-records` or `case-threads`."""
        check_retention(days)
        key = {"mod-records": RETENTION_KEY, "case-threads": CASE_THREAD_RETENTION_KEY}.get(kind)
        if key is None:
            msg = "Pick `mod-records` or `case-threads`."
            raise ModerationError(msg)
        await self.config.set(guild_id, key, days, by=by)

    async def purge(self) -> int:
        """Delete every server's records older than its retention; rows removed."""
        removed = 0
        now = self.clock()
        for guild_id in await self.repo.guilds_with_records():
            days = await self.retention_days(guild_id)
            removed += await self.repo.purge_before(guild_id, now - timedelta(days=days))
        if removed:
            log.info("purged %d moderation rows past retention", removed)
        return removed


def already_handled(report: Report) -> str:
    """What a moderator reads when someone else decided a report first."""
    who = f" by <@{report.decided_by}>" if report.decided_by else ""
    return f"Report #{report.number} was already handled: **{report.status}**{who}."
