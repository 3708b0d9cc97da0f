"""Repository for moderation: cases (the mod log), reports, appeals and escalation rules (SQL only)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db
from bot.domain.moderation import EscalationRule, ModCase

_CASE_SELECT = (
    "SELECT id, guild_id, number, kind, subject_id, moderator_id, channel_id, reason, identifier_kinds,"
    " expires_at, active, created_at,"
    " EXISTS (SELECT 1 FROM mod_appeals a WHERE a.case_id = mod_cases.id AND a.status = 'overturned') AS overturned"
    " FROM mod_cases"
)


def _case(row: sqlite3.Row) -> ModCase:
    return ModCase(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        kind=row["kind"],
        subject_id=row["subject_id"],
        moderator_id=row["moderator_id"],
        channel_id=row["channel_id"],
        reason=row["reason"],
        identifier_kinds=tuple(k for k in row["identifier_kinds"].split(",") if k),
        created_at=from_db(row["created_at"]),
        expires_at=from_db(row["expires_at"]) if row["expires_at"] else None,
        active=bool(row["active"]),
        overturned=bool(row["overturned"]),
    )


@dataclass(frozen=True, slots=True)
class Report:
    """A member's report: ids only (the message's, for a jump link); the reporter's words went to the queue card."""

    id: int
    guild_id: int
    number: int
    reporter_id: int
    subject_id: int
    channel_id: int | None
    message_id: int | None
    status: str
    decided_by: int | None
    decided_at: datetime | None
    queue_channel_id: int | None
    queue_message_id: int | None
    created_at: datetime


def _report(row: sqlite3.Row) -> Report:
    return Report(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        reporter_id=row["reporter_id"],
        subject_id=row["subject_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        status=row["status"],
        decided_by=row["decided_by"],
        decided_at=from_db(row["decided_at"]) if row["decided_at"] else None,
        queue_channel_id=row["queue_channel_id"],
        queue_message_id=row["queue_message_id"],
        created_at=from_db(row["created_at"]),
    )


@dataclass(frozen=True, slots=True)
class Appeal:
    """An appeal of one case (its text went to the mod queue and is not stored)."""

    id: int
    case_id: int
    guild_id: int
    user_id: int
    status: str
    decided_by: int | None
    created_at: datetime


def _appeal(row: sqlite3.Row) -> Appeal:
    return Appeal(
        id=row["id"],
        case_id=row["case_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        status=row["status"],
        decided_by=row["decided_by"],
        created_at=from_db(row["created_at"]),
    )


class ModerationRepository:
    """All moderation SQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- cases -----------------------------------------------------------------------------------------

    async def add_case(
        self,
        guild_id: int,
        kind: str,
        *,
        subject_id: int | None,
        moderator_id: int | None,
        channel_id: int | None,
        reason: str | None,
        identifier_kinds: tuple[str, ...],
        now: datetime,
        expires_at: datetime | None = None,
        active: bool = False,
    ) -> ModCase:
        """Insert a case with the server's next case number (in one transaction)."""
        async with self.db.transaction() as tx:
            number = int(
                await tx.fetchval("SELECT COALESCE(MAX(number), 0) + 1 FROM mod_cases WHERE guild_id = ?", (guild_id,))
            )
            case_id = await tx.execute(
                "INSERT INTO mod_cases (guild_id, number, kind, subject_id, moderator_id, channel_id, reason,"
                " identifier_kinds, expires_at, active, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    guild_id,
                    number,
                    kind,
                    subject_id,
                    moderator_id,
                    channel_id,
                    reason,
                    ",".join(identifier_kinds),
                    to_db(expires_at) if expires_at else None,
                    int(active),
                    to_db(now),
                ),
            )
        return ModCase(
            id=case_id,
            guild_id=guild_id,
            number=number,
            kind=kind,
            subject_id=subject_id,
            moderator_id=moderator_id,
            channel_id=channel_id,
            reason=reason,
            identifier_kinds=identifier_kinds,
            created_at=now.replace(microsecond=0),
            expires_at=expires_at,
            active=active,
        )

    async def case(self, guild_id: int, number: int) -> ModCase | None:
        """A case by its server number."""
        row = await self.db.fetchone(_CASE_SELECT + " WHERE guild_id = ? AND number = ?", (guild_id, number))
        return _case(row) if row else None

    async def case_by_id(self, case_id: int) -> ModCase | None:
        """A case by its row id."""
        row = await self.db.fetchone(_CASE_SELECT + " WHERE id = ?", (case_id,))
        return _case(row) if row else None

    async def set_reason(self, guild_id: int, number: int, reason: str) -> bool:
        """Edit a case's reason."""
        changed = await self.db.execute_rowcount(
            "UPDATE mod_cases SET reason = ? WHERE guild_id = ? AND number = ?", (reason, guild_id, number)
        )
        return changed > 0

    async def count_recent(self, guild_id: int, subject_id: int, kind: str, since: datetime) -> int:
        """How many cases of a kind about a member since a moment (cases overturned on appeal do not count)."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM mod_cases WHERE guild_id = ? AND kind = ? AND subject_id = ? AND created_at >= ?"
                " AND id NOT IN (SELECT case_id FROM mod_appeals WHERE guild_id = ? AND status = 'overturned')",
                (guild_id, kind, subject_id, to_db(since), guild_id),
            )
        )

    async def count_about(self, guild_id: int, subject_id: int) -> int:
        """How many cases a member has in a server."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM mod_cases WHERE guild_id = ? AND subject_id = ?", (guild_id, subject_id)
            )
        )

    async def history(self, guild_id: int, subject_id: int, *, offset: int, limit: int) -> list[ModCase]:
        """A page of a member's cases, newest first."""
        rows = await self.db.fetchall(
            _CASE_SELECT + " WHERE guild_id = ? AND subject_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            (guild_id, subject_id, limit, offset),
        )
        return [_case(r) for r in rows]

    async def active_restriction(self, guild_id: int, user_id: int) -> ModCase | None:
        """The member's active restriction, if any."""
        row = await self.db.fetchone(
            _CASE_SELECT + " WHERE guild_id = ? AND subject_id = ? AND kind = 'restrict'"
            " AND active = 1 ORDER BY id DESC LIMIT 1",
            (guild_id, user_id),
        )
        return _case(row) if row else None

    async def lift_restrictions(self, guild_id: int, user_id: int) -> int:
        """Mark the member's restrictions lifted; how many were active."""
        return await self.db.execute_rowcount(
            "UPDATE mod_cases SET active = 0"
            " WHERE guild_id = ? AND subject_id = ? AND kind = 'restrict' AND active = 1",
            (guild_id, user_id),
        )

    async def mark_role_removed(self, case_id: int, role_id: int) -> None:
        """Remember that a restriction took the case-access role away (so lifting it gives it back)."""
        await self.db.execute("UPDATE mod_cases SET removed_role_id = ? WHERE id = ?", (role_id, case_id))

    async def removed_role(self, case_id: int) -> int | None:
        """The role a restriction took away, if any."""
        return await self.db.fetchval("SELECT removed_role_id FROM mod_cases WHERE id = ?", (case_id,))

    async def last_lifted_role(self, guild_id: int, user_id: int) -> int | None:
        """The role taken by the member's most recent restriction (now lifted), if any."""
        return await self.db.fetchval(
            "SELECT removed_role_id FROM mod_cases WHERE guild_id = ? AND subject_id = ? AND kind = 'restrict'"
            " AND active = 0 ORDER BY id DESC LIMIT 1",
            (guild_id, user_id),
        )

    async def deactivate(self, case_id: int) -> None:
        """Clear a case's active flag (an overturned restriction)."""
        await self.db.execute("UPDATE mod_cases SET active = 0 WHERE id = ?", (case_id,))

    async def guilds_with_records(self) -> list[int]:
        """Every server holding mod records, reports or appeals."""
        rows = await self.db.fetchall(
            "SELECT guild_id FROM mod_cases UNION SELECT guild_id FROM mod_reports"
            " UNION SELECT guild_id FROM mod_appeals"
        )
        return [r[0] for r in rows]

    async def purge_before(self, guild_id: int, cutoff: datetime) -> int:
        """Delete a server's records older than `cutoff` (an active restriction stays); rows removed."""
        stamp = to_db(cutoff)
        async with self.db.transaction() as tx:
            removed = await tx.execute_rowcount(
                "DELETE FROM mod_appeals WHERE guild_id = ? AND created_at < ? AND status <> 'open'", (guild_id, stamp)
            )
            removed += await tx.execute_rowcount(
                "DELETE FROM mod_cases WHERE guild_id = ? AND created_at < ? AND active = 0"
                " AND id NOT IN (SELECT case_id FROM mod_appeals WHERE status = 'open')",
                (guild_id, stamp),
            )
            removed += await tx.execute_rowcount(
                "DELETE FROM mod_reports WHERE guild_id = ? AND created_at < ? AND status <> 'open'", (guild_id, stamp)
            )
        return removed

    # -- escalation rules -------------------------------------------------------------------------------

    async def rules(self, guild_id: int) -> list[EscalationRule] | None:
        """The server's rules, or None when it never changed the defaults."""
        rows = await self.db.fetchall(
            "SELECT kind, threshold, window_days FROM mod_escalation_rules WHERE guild_id = ? ORDER BY kind",
            (guild_id,),
        )
        if not rows:
            return None
        return [EscalationRule(r["kind"], r["threshold"], r["window_days"]) for r in rows if r["threshold"] > 0]

    async def replace_rules(self, guild_id: int, rules: list[EscalationRule]) -> None:
        """Store the server's full rule table."""
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM mod_escalation_rules WHERE guild_id = ?", (guild_id,))
            await tx.executemany(
                "INSERT INTO mod_escalation_rules (guild_id, kind, threshold, window_days) VALUES (?,?,?,?)",
                [(guild_id, r.kind, r.threshold, r.window_days) for r in rules],
            )

    # -- reports ---------------------------------------------------------------------------------------

    async def add_report(
        self,
        guild_id: int,
        *,
        reporter_id: int,
        subject_id: int,
        channel_id: int | None,
        message_id: int | None,
        now: datetime,
    ) -> Report | None:
        """Insert a report with the server's next report number; None when this message was reported already."""
        try:
            async with self.db.transaction() as tx:
                number = int(
                    await tx.fetchval(
                        "SELECT COALESCE(MAX(number), 0) + 1 FROM mod_reports WHERE guild_id = ?", (guild_id,)
                    )
                )
                report_id = await tx.execute(
                    "INSERT INTO mod_reports (guild_id, number, reporter_id, subject_id, channel_id, message_id,"
                    " created_at) VALUES (?,?,?,?,?,?,?)",
                    (guild_id, number, reporter_id, subject_id, channel_id, message_id, to_db(now)),
                )
        except sqlite3.IntegrityError:
            return None
        report = await self.report(report_id)
        assert report is not None
        return report

    async def already_reported(self, reporter_id: int, message_id: int) -> bool:
        """Has this member reported this message before?"""
        return (
            await self.db.fetchval(
                "SELECT 1 FROM mod_reports WHERE reporter_id = ? AND message_id = ?", (reporter_id, message_id)
            )
            is not None
        )

    async def reports_since(self, guild_id: int, reporter_id: int, since: datetime) -> int:
        """How many reports a member filed since a moment."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM mod_reports WHERE guild_id = ? AND reporter_id = ? AND created_at >= ?",
                (guild_id, reporter_id, to_db(since)),
            )
        )

    async def report(self, report_id: int) -> Report | None:
        """A report by id."""
        row = await self.db.fetchone("SELECT * FROM mod_reports WHERE id = ?", (report_id,))
        return _report(row) if row else None

    async def delete_report(self, report_id: int) -> None:
        """Undo a report whose queue post failed."""
        await self.db.execute("DELETE FROM mod_reports WHERE id = ?", (report_id,))

    async def set_report_queue(self, report_id: int, channel_id: int, message_id: int) -> None:
        """Remember the report's mod-queue message."""
        await self.db.execute(
            "UPDATE mod_reports SET queue_channel_id = ?, queue_message_id = ? WHERE id = ?",
            (channel_id, message_id, report_id),
        )

    async def decide_report(self, report_id: int, status: str, by: int, now: datetime) -> bool:
        """Close an open report; False when someone decided first."""
        changed = await self.db.execute_rowcount(
            "UPDATE mod_reports SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'",
            (status, by, to_db(now), report_id),
        )
        return changed > 0

    # -- appeals ---------------------------------------------------------------------------------------

    async def add_appeal(self, case: ModCase, user_id: int, now: datetime) -> Appeal | None:
        """Open an appeal; None when one is already open for this case."""
        try:
            appeal_id = await self.db.execute(
                "INSERT INTO mod_appeals (case_id, guild_id, user_id, created_at) VALUES (?,?,?,?)",
                (case.id, case.guild_id, user_id, to_db(now)),
            )
        except sqlite3.IntegrityError:
            return None
        return await self.appeal(appeal_id)

    async def appeals_of(self, case_id: int) -> list[Appeal]:
        """Every appeal of a case, oldest first."""
        rows = await self.db.fetchall("SELECT * FROM mod_appeals WHERE case_id = ? ORDER BY id", (case_id,))
        return [_appeal(r) for r in rows]

    async def open_appeal_for(self, case_id: int) -> bool:
        """Is an appeal of this case open?"""
        return (
            await self.db.fetchval("SELECT 1 FROM mod_appeals WHERE case_id = ? AND status = 'open'", (case_id,))
            is not None
        )

    async def appeal(self, appeal_id: int) -> Appeal | None:
        """An appeal by id."""
        row = await self.db.fetchone("SELECT * FROM mod_appeals WHERE id = ?", (appeal_id,))
        return _appeal(row) if row else None

    async def delete_appeal(self, appeal_id: int) -> None:
        """Undo an appeal whose queue post failed."""
        await self.db.execute("DELETE FROM mod_appeals WHERE id = ?", (appeal_id,))

    async def decide_appeal(self, appeal_id: int, status: str, by: int, now: datetime) -> bool:
        """Close an open appeal; False when someone decided first."""
        changed = await self.db.execute_rowcount(
            "UPDATE mod_appeals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'",
            (status, by, to_db(now), appeal_id),
        )
        return changed > 0

    # -- /mydata ---------------------------------------------------------------------------------------

    async def export_for_user(self, user_id: int) -> dict[str, Any]:
        """The member's own records (as the subject), reports they filed and appeals — no reporters' ids."""
        cases = await self.db.fetchall(_CASE_SELECT + " WHERE subject_id = ? ORDER BY id", (user_id,))
        filed = await self.db.fetchall(
            "SELECT guild_id, number, subject_id, channel_id, message_id, status, created_at"
            " FROM mod_reports WHERE reporter_id = ? ORDER BY id",
            (user_id,),
        )
        appeals = await self.db.fetchall(
            "SELECT a.guild_id, c.number, a.status, a.created_at"
            " FROM mod_appeals a JOIN mod_cases c ON c.id = a.case_id WHERE a.user_id = ? ORDER BY a.id",
            (user_id,),
        )
        return {
            "records_about_you": [
                {
                    "guild_id": c.guild_id,
                    "case": c.number,
                    "kind": c.kind,
                    "channel_id": c.channel_id,
                    "reason": c.reason if c.kind != "note" else None,
                    "identifier_kinds": list(c.identifier_kinds),
                    "created_at": c.created_at.isoformat(),
                    "expires_at": c.expires_at.isoformat() if c.expires_at else None,
                    "overturned_on_appeal": c.overturned,
                }
                for c in map(_case, cases)
            ],
            "reports_you_filed": [dict(r) for r in filed],
            "appeals": [dict(r) for r in appeals],
        }

    async def erase_for_user(self, user_id: int) -> int:
        """Records about a member are kept (metadata); the reports they filed are deleted."""
        return await self.db.execute_rowcount("DELETE FROM mod_reports WHERE reporter_id = ?", (user_id,))
