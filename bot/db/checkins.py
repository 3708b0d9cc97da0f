"""Repository for check-ins, their prompts and member preferences (buddy links: `bot.db.checkin_buddies`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.db.checkin_buddies import BuddyQueries
from bot.db.connection import Database
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class MemberPrefs:
    """A member's check-in schedule, pause and buddy preferences (defaults when never set)."""

    user_id: int
    guild_id: int | None = None
    cadence: str = "off"
    at_local: str | None = None
    weekday: int | None = None
    tz: str | None = None
    paused_until: datetime | None = None
    tell_buddy_low: bool = False
    tell_buddy_missed: int = 0
    missed_in_row: int = 0
    buddy_told_at: datetime | None = None

    def paused(self, now: datetime) -> bool:
        """Whether prompts and nudges are paused at `now`."""
        return self.paused_until is not None and self.paused_until > now


@dataclass(frozen=True, slots=True)
class Checkin:
    """One answered check-in."""

    id: int
    user_id: int
    guild_id: int | None
    mood: int
    has_note: bool
    prompt_id: int | None
    local_date: date
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Prompt:
    """A scheduled prompt that came due for a member."""

    id: int
    user_id: int
    guild_id: int | None
    timer_id: int
    due_at: datetime
    sent_at: datetime | None
    late: bool
    status: str
    nudged_at: datetime | None


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording a check-in changed."""

    checkin_id: int
    answered_prompts: list[int]
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class WindowCounts:
    """Raw aggregates of one guild over one window."""

    respondents: int
    checkins: int
    by_mood: dict[int, int]
    scheduled_members: int


def _opt(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def _prefs(row: sqlite3.Row) -> MemberPrefs:
    return MemberPrefs(
        user_id=row["user_id"],
        guild_id=row["guild_id"],
        cadence=row["cadence"],
        at_local=row["at_local"],
        weekday=row["weekday"],
        tz=row["tz"],
        paused_until=_opt(row["paused_until"]),
        tell_buddy_low=bool(row["tell_buddy_low"]),
        tell_buddy_missed=row["tell_buddy_missed"],
        missed_in_row=row["missed_in_row"],
        buddy_told_at=_opt(row["buddy_told_at"]),
    )


def _checkin(row: sqlite3.Row) -> Checkin:
    return Checkin(
        row["id"],
        row["user_id"],
        row["guild_id"],
        row["mood"],
        row["note"] is not None,
        row["prompt_id"],
        date.fromisoformat(row["local_date"]),
        from_db(row["created_at"]),
    )


def _prompt(row: sqlite3.Row) -> Prompt:
    return Prompt(
        row["id"],
        row["user_id"],
        row["guild_id"],
        row["timer_id"],
        from_db(row["due_at"]),
        _opt(row["sent_at"]),
        bool(row["late"]),
        row["status"],
        _opt(row["nudged_at"]),
    )


class CheckinRepository(BuddyQueries):
    """SQL for the check-in tables (buddy links: `bot.db.checkin_buddies`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- member preferences ------------------------------------------------------------------------

    async def prefs(self, user_id: int) -> MemberPrefs:
        """A member's preferences (defaults when there is no row)."""
        row = await self.db.fetchone("SELECT * FROM checkin_members WHERE user_id = ?", (user_id,))
        return _prefs(row) if row else MemberPrefs(user_id)

    async def _ensure(self, user_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO checkin_members (user_id, updated_at) VALUES (?, ?) ON CONFLICT(user_id) DO NOTHING",
            (user_id, to_db(now)),
        )

    async def set_schedule(
        self,
        user_id: int,
        guild_id: int | None,
        cadence: str,
        at_local: str | None,
        weekday: int | None,
        tz: str | None,
        now: datetime,
    ) -> None:
        """Store the member's cadence (the timer schedule itself lives in the core tables)."""
        async with self.db.transaction():
            await self._ensure(user_id, now)
            await self.db.execute(
                "UPDATE checkin_members SET guild_id = coalesce(?, guild_id), cadence = ?, at_local = ?,"
                " weekday = ?, tz = ?, updated_at = ? WHERE user_id = ?",
                (guild_id, cadence, at_local, weekday, tz, to_db(now), user_id),
            )

    async def set_tz(self, user_id: int, tz: str, now: datetime) -> None:
        """Follow a changed `/profile timezone`."""
        await self.db.execute(
            "UPDATE checkin_members SET tz = ?, updated_at = ? WHERE user_id = ?", (tz, to_db(now), user_id)
        )

    async def set_pause(self, user_id: int, until: datetime | None, now: datetime) -> int:
        """Pause until a moment (None resumes); pausing closes open prompts. Returns prompts closed."""
        async with self.db.transaction():
            await self._ensure(user_id, now)
            await self.db.execute(
                "UPDATE checkin_members SET paused_until = ?, missed_in_row = 0, updated_at = ? WHERE user_id = ?",
                (to_db(until) if until else None, to_db(now), user_id),
            )
            if until is None:
                return 0
            return await self.db.execute_rowcount(
                "UPDATE checkin_prompts SET status = 'closed' WHERE user_id = ? AND status = 'open'", (user_id,)
            )

    async def set_buddy_prefs(
        self, user_id: int, now: datetime, *, low: bool | None = None, missed: int | None = None
    ) -> MemberPrefs:
        """Change "tell my buddy when I'm low" and/or "after N missed check-ins"."""
        async with self.db.transaction():
            await self._ensure(user_id, now)
            if low is not None:
                await self.db.execute(
                    "UPDATE checkin_members SET tell_buddy_low = ?, updated_at = ? WHERE user_id = ?",
                    (int(low), to_db(now), user_id),
                )
            if missed is not None:
                await self.db.execute(
                    "UPDATE checkin_members SET tell_buddy_missed = ?, updated_at = ? WHERE user_id = ?",
                    (missed, to_db(now), user_id),
                )
            return await self.prefs(user_id)

    async def claim_buddy_tell(self, user_id: int, now: datetime, not_since: datetime) -> bool:
        """Record that the buddy is told now, unless they were told after `not_since` (no spamming)."""
        async with self.db.transaction():
            await self._ensure(user_id, now)
            return bool(
                await self.db.execute_rowcount(
                    "UPDATE checkin_members SET buddy_told_at = ? WHERE user_id = ?"
                    " AND (buddy_told_at IS NULL OR buddy_told_at <= ?)",
                    (to_db(now), user_id, to_db(not_since)),
                )
            )

    # -- check-ins ---------------------------------------------------------------------------------

    async def record(
        self, user_id: int, guild_id: int | None, mood: int, prompt_id: int | None, local_date: date, now: datetime
    ) -> Recorded:
        """Store a check-in; it answers the given prompt, or every open prompt; the missed run resets."""
        async with self.db.transaction():
            if prompt_id is not None:
                prompt = await self.db.fetchone(
                    "SELECT * FROM checkin_prompts WHERE id = ? AND user_id = ?", (prompt_id, user_id)
                )
                if prompt is None:
                    prompt_id = None
                else:
                    existing = await self.db.fetchval("SELECT id FROM checkins WHERE prompt_id = ?", (prompt_id,))
                    if existing is not None:
                        return Recorded(int(existing), [], duplicate=True)
                    guild_id = guild_id or prompt["guild_id"]
            open_ids = [
                r["id"]
                for r in await self.db.fetchall(
                    "SELECT id FROM checkin_prompts WHERE user_id = ? AND status IN ('open', 'missed', 'undelivered')"
                    " AND (status = 'open' OR id = ?)",
                    (user_id, prompt_id or 0),
                )
            ]
            checkin_id = await self.db.execute(
                "INSERT INTO checkins (user_id, guild_id, mood, prompt_id, local_date, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, guild_id, mood, prompt_id, local_date.isoformat(), to_db(now)),
            )
            await self.db.executemany(
                "UPDATE checkin_prompts SET status = 'answered' WHERE id = ?", [(i,) for i in open_ids]
            )
            await self.db.execute("UPDATE checkin_members SET missed_in_row = 0 WHERE user_id = ?", (user_id,))
        return Recorded(checkin_id, open_ids)

    async def set_note(self, user_id: int, checkin_id: int, note: str | None) -> bool:
        """Attach (or clear) the private note of one of the member's own check-ins."""
        return bool(
            await self.db.execute_rowcount(
                "UPDATE checkins SET note = ? WHERE id = ? AND user_id = ?", (note, checkin_id, user_id)
            )
        )

    async def get(self, user_id: int, checkin_id: int) -> Checkin | None:
        """One of the member's own check-ins."""
        row = await self.db.fetchone("SELECT * FROM checkins WHERE id = ? AND user_id = ?", (checkin_id, user_id))
        return _checkin(row) if row else None

    async def since(self, user_id: int, moment: datetime) -> list[Checkin]:
        """The member's check-ins after a moment, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM checkins WHERE user_id = ? AND created_at >= ? ORDER BY created_at, id",
            (user_id, to_db(moment)),
        )
        return [_checkin(r) for r in rows]

    async def local_dates(self, user_id: int, since: date) -> list[date]:
        """Distinct local days with a check-in since a day (streaks)."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT local_date FROM checkins WHERE user_id = ? AND local_date >= ?",
            (user_id, since.isoformat()),
        )
        return [date.fromisoformat(r[0]) for r in rows]

    # -- prompts -----------------------------------------------------------------------------------

    async def open_prompt(
        self, user_id: int, guild_id: int | None, timer_id: int, due: datetime, late: bool, now: datetime
    ) -> tuple[Prompt, int]:
        """The prompt of a timer firing (created once; a re-run finds it) and how many earlier ones were missed.

        Earlier prompts still open become `missed`, and the member's run of missed prompts grows.
        """
        async with self.db.transaction():
            row = await self.db.fetchone("SELECT * FROM checkin_prompts WHERE timer_id = ?", (timer_id,))
            if row is not None:
                return _prompt(row), 0
            missed = await self.db.execute_rowcount(
                "UPDATE checkin_prompts SET status = 'missed' WHERE user_id = ? AND status = 'open'", (user_id,)
            )
            if missed:
                await self.db.execute(
                    "UPDATE checkin_members SET missed_in_row = missed_in_row + ? WHERE user_id = ?",
                    (missed, user_id),
                )
            prompt_id = await self.db.execute(
                "INSERT INTO checkin_prompts (user_id, guild_id, timer_id, due_at, created_at, late)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, guild_id, timer_id, to_db(due), to_db(now), int(late)),
            )
            row = await self.db.fetchone("SELECT * FROM checkin_prompts WHERE id = ?", (prompt_id,))
        assert row is not None
        return _prompt(row), missed

    async def prompt(self, prompt_id: int) -> Prompt | None:
        """One prompt."""
        row = await self.db.fetchone("SELECT * FROM checkin_prompts WHERE id = ?", (prompt_id,))
        return _prompt(row) if row else None

    async def mark_sent(self, prompt_id: int, now: datetime) -> None:
        """The prompt's DM went out."""
        await self.db.execute("UPDATE checkin_prompts SET sent_at = ? WHERE id = ?", (to_db(now), prompt_id))

    async def mark_undelivered(self, prompt_id: int) -> None:
        """The DM could not be delivered (closed DMs): not counted as missed."""
        await self.db.execute(
            "UPDATE checkin_prompts SET status = 'undelivered' WHERE id = ? AND status = 'open'", (prompt_id,)
        )

    async def claim_nudge(self, prompt_id: int, now: datetime) -> Prompt | None:
        """Mark the one nudge of an open, delivered prompt; None when it was answered or already nudged."""
        async with self.db.transaction():
            changed = await self.db.execute_rowcount(
                "UPDATE checkin_prompts SET nudged_at = ? WHERE id = ? AND status = 'open' AND nudged_at IS NULL"
                " AND sent_at IS NOT NULL",
                (to_db(now), prompt_id),
            )
            return await self.prompt(prompt_id) if changed else None

    # -- group view --------------------------------------------------------------------------------

    async def window(self, guild_id: int, since: datetime) -> WindowCounts:
        """Aggregates of a guild's check-ins since a moment (never per member)."""
        rows = await self.db.fetchall(
            "SELECT mood, count(*) AS n FROM checkins WHERE guild_id = ? AND created_at >= ? GROUP BY mood",
            (guild_id, to_db(since)),
        )
        respondents = await self.db.fetchval(
            "SELECT count(DISTINCT user_id) FROM checkins WHERE guild_id = ? AND created_at >= ?",
            (guild_id, to_db(since)),
        )
        scheduled = await self.db.fetchval(
            "SELECT count(*) FROM checkin_members WHERE guild_id = ? AND cadence <> 'off'", (guild_id,)
        )
        by_mood = {r["mood"]: r["n"] for r in rows}
        return WindowCounts(int(respondents or 0), sum(by_mood.values()), by_mood, int(scheduled or 0))

    # -- /mydata -----------------------------------------------------------------------------------

    async def export(self, user_id: int) -> dict[str, Any]:
        """Everything about a member, notes included (they are the member's own)."""
        prefs = await self.db.fetchone("SELECT * FROM checkin_members WHERE user_id = ?", (user_id,))
        checkins = await self.db.fetchall(
            "SELECT mood, note, guild_id, local_date, created_at FROM checkins WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        prompts = await self.db.fetchall(
            "SELECT due_at, sent_at, late, status, nudged_at FROM checkin_prompts WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        links = await self.db.fetchall(
            "SELECT inviter_id, invitee_id, status, created_at, accepted_at FROM checkin_buddies"
            " WHERE inviter_id = ? OR invitee_id = ? ORDER BY id",
            (user_id, user_id),
        )
        settings = None
        if prefs is not None:
            settings = {k: prefs[k] for k in prefs.keys() if k != "user_id"}  # noqa: SIM118
        return {
            "settings": settings,
            "checkins": [dict(r) for r in checkins],
            "prompts": [dict(r) for r in prompts],
            "buddies": [
                {
                    "with_user_id": str(r["invitee_id"] if r["inviter_id"] == user_id else r["inviter_id"]),
                    "direction": "invited by you" if r["inviter_id"] == user_id else "invited you",
                    "status": r["status"],
                    "created_at": r["created_at"],
                    "accepted_at": r["accepted_at"],
                }
                for r in links
            ],
        }

    async def erase(self, user_id: int) -> int:
        """Delete check-ins, notes, prompts, preferences and buddy links in both directions."""
        async with self.db.transaction():
            count = await self.db.execute_rowcount("DELETE FROM checkins WHERE user_id = ?", (user_id,))
            count += await self.db.execute_rowcount("DELETE FROM checkin_prompts WHERE user_id = ?", (user_id,))
            count += await self.db.execute_rowcount("DELETE FROM checkin_members WHERE user_id = ?", (user_id,))
            count += await self.db.execute_rowcount(
                "DELETE FROM checkin_buddies WHERE inviter_id = ? OR invitee_id = ?", (user_id, user_id)
            )
        return count
