"""Closing case threads and deleting them when the server's retention period ends.

A thread is closed once — by `/case close` or, when it had no activity for the retention period, by
the daily idle sweep — and closing stores two durable timers keyed by the thread id: a notice a day
before (the author by DM, the thread's readers by a line in the thread) and the deletion. Timers are
claimed before they run, so a restart or a crash neither loses nor repeats a deletion; a thread that is
already gone counts as deleted. A deletion Discord refuses is tried again later: for a missing
permission the mod log and the server owner are told once (until a deletion succeeds again), for any
other refusal only ids and the status are logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from bot.db.cases import CaseThread
from bot.db.timers import Timer
from bot.domain.errors import HarborError
from bot.domain.recurrence import Recurrence
from bot.services.cases import CaseService
from bot.services.moderation import CASE_THREAD_RETENTION_KEY
from bot.services.notify import Notifier
from bot.services.timers import TimerService, timer_nonce

log = logging.getLogger(__name__)

WARN_EVENT = "case.expiry_warning"
DELETE_EVENT = "case.delete_thread"
IDLE_EVENT = "case.idle_sweep"
IDLE_KEY = "case:idle_sweep"
IDLE_AT = Recurrence(kind="daily", at="04:10", tz="UTC")
DEFAULT_RETENTION_DAYS = 30  # PRODUCT.md: case threads are deleted 30 days after closing unless set otherwise
MIN_RETENTION_DAYS = 7  # `/setup retention` refuses less, so nothing younger is ever idle
RETRY_SOON = timedelta(minutes=1)  # rate limited or a server error after discord.py's own retries
RETRY_REFUSED = timedelta(hours=1)  # Discord refused a delete for another reason: try again later
RETRY_FORBIDDEN = timedelta(days=1)  # missing permission: try daily until an admin fixes it
CANNOT_DELETE = (
    "Harbor could not delete an expired case thread: it needs Manage Threads in the cases channel. It tries again "
    "daily; give Harbor that permission (`/setup check` lists what is missing)."
)


class CaseExpiry:
    """Close case threads and delete them after the server's retention period (see the module docstring)."""

    def __init__(self, client: discord.Client, cases: CaseService, timers: TimerService, notifier: Notifier) -> None:
        self.client = client
        self.cases = cases
        self.timers = timers
        self.notifier = notifier

    def register(self) -> None:
        """Register the three timer handlers."""
        self.timers.register(WARN_EVENT, self.on_warning)
        self.timers.register(DELETE_EVENT, self.on_delete)
        self.timers.register(IDLE_EVENT, self.on_idle_sweep)

    async def schedule_sweep(self) -> None:
        """Store the daily idle sweep once (a firing missed while Harbor was down still runs, late)."""
        if await self.timers.next_due(IDLE_KEY) is None:
            await self.timers.schedule(IDLE_EVENT, IDLE_AT, key=IDLE_KEY)

    async def retention_days(self, guild_id: int) -> int:
        """Days a closed case thread is kept (`/setup retention case-threads`)."""
        return int(await self.cases.config.get(guild_id, CASE_THREAD_RETENTION_KEY, DEFAULT_RETENTION_DAYS))

    async def close(self, thread: discord.Thread, resolution: str | None) -> int:
        """`/case close`: post the resolution (scanned first), lock and archive, schedule the deletion."""
        if resolution:
            kinds = await self.cases.finding_kinds(thread.guild.id, resolution)
            if kinds:
                raise HarborError(
                    f"The resolution may identify someone ({', '.join(kinds)}); rewrite it without that. "
                    "Nothing was changed."
                )
        existing = await self.cases.thread(thread.id)
        if existing is None or existing.closed_at is not None:
            raise HarborError("This case is already closed; it is deleted when the retention period ends.")
        # Timers first, then the mark: a crash in between leaves an open thread with a deletion already
        # planned (re-closing finds the same keyed timers), never a closed one that is never deleted.
        days, planned = await self.schedule_deletion(thread.guild.id, thread.id)
        if not await self.cases.mark_closed(thread.id):
            raise HarborError("This case is already closed; it is deleted when the retention period ends.")
        try:
            if resolution:
                await thread.send(f"**Resolution**\n{resolution}", allowed_mentions=discord.AllowedMentions.none())
            await thread.edit(locked=True, archived=True, reason="case closed")
        except discord.HTTPException as exc:
            await self.cases.reopen(thread.id)
            for timer_id in planned:
                await self.timers.cancel(timer_id)
            if isinstance(exc, discord.Forbidden):
                raise HarborError(
                    "Harbor can't lock this thread (it needs Manage Threads in the cases channel). Nothing was changed."
                ) from None
            raise HarborError("Discord refused to close the thread just now; nothing was changed. Try again.") from None
        return days

    async def schedule_deletion(self, guild_id: int, thread_id: int) -> tuple[int, list[int]]:
        """Store the warning and the deletion timers (idempotent per thread); return the days and the timer ids."""
        days = await self.retention_days(guild_id)
        due = self.cases.clock() + timedelta(days=days)
        payload = {"thread": thread_id}
        warn = await self.timers.create(
            WARN_EVENT, due - timedelta(days=1), payload, guild_id=guild_id, key=f"case:warn:{thread_id}"
        )
        delete = await self.timers.create(DELETE_EVENT, due, payload, guild_id=guild_id, key=f"case:delete:{thread_id}")
        return days, [warn.id, delete.id]

    async def on_idle_sweep(self, timer: Timer) -> None:
        """Close every open case thread idle for its server's retention period, the way `/case close` does."""
        now = self.cases.clock()
        retention: dict[int, int] = {}
        closed = 0
        for case in await self.cases.idle_since(now - timedelta(days=MIN_RETENTION_DAYS)):
            if case.guild_id not in retention:
                retention[case.guild_id] = await self.retention_days(case.guild_id)
            if case.last_activity_at > now - timedelta(days=retention[case.guild_id]):
                continue
            closed += int(await self.close_idle(case))
        if closed:
            log.info("idle sweep closed %d case thread(s)", closed)

    async def close_idle(self, case: CaseThread) -> bool:
        """Lock and archive one idle case thread and schedule its deletion; False when it was closed already."""
        days, _ = await self.schedule_deletion(case.guild_id, case.thread_id)  # first, as in `close`
        if not await self.cases.mark_closed(case.thread_id):
            return False
        http = self.client.http
        await self.notifier.pacer.take(3)
        try:
            await http.edit_channel(case.thread_id, archived=False, reason="closing an idle case thread")
            await http.send_message(
                case.thread_id,
                params=discord.http.handle_message_parameters(
                    content=f"This case had no activity for {days} days, so Harbor closed it. The thread is "
                    f"deleted in {days} days.",
                    allowed_mentions=discord.AllowedMentions.none(),
                ),
            )
            await http.edit_channel(case.thread_id, locked=True, archived=True, reason="idle case closed")
        except discord.NotFound:
            await self.cases.forget_thread(case.thread_id)  # deleted by hand: nothing left to expire
            return True
        except discord.HTTPException as exc:
            # Closing is courtesy; the deletion (already planned) is what protects people.
            log.warning("could not lock idle case thread %s (status %s)", case.thread_id, exc.status)
        return True

    async def on_warning(self, timer: Timer) -> None:
        """A day before: tell the author by DM and the thread's readers by a line in the thread."""
        thread_id = int(timer.payload["thread"])
        author = await self.cases.author(thread_id)
        if author is None:
            return
        http = self.client.http
        await self.notifier.pacer.take(3)
        try:
            await http.edit_channel(thread_id, archived=False, reason="deletion notice")
            await http.send_message(
                thread_id,
                params=discord.http.handle_message_parameters(
                    content="This case thread is deleted tomorrow, as the server's retention period ends. "
                    "Nothing of it is kept.",
                    allowed_mentions=discord.AllowedMentions.none(),
                    nonce=f"{timer_nonce(timer)}n",
                ),
            )
            await http.edit_channel(thread_id, locked=True, archived=True, reason="deletion notice")
        except discord.HTTPException as exc:
            log.warning("could not post the deletion notice in case thread %s (status %s)", thread_id, exc.status)
        await self.notifier.dm(
            author,
            purpose="case_expiry",
            guild_id=timer.guild_id,
            content="A case thread you opened is deleted tomorrow, as the server's retention period ends. "
            "Nothing of it is kept.",
            nonce=timer_nonce(timer),
        )

    async def on_delete(self, timer: Timer) -> None:
        """Delete the whole thread once; a thread already gone counts as deleted."""
        thread_id = int(timer.payload["thread"])
        tries = int(timer.payload.get("tries", 0))
        await self.notifier.pacer.take()  # thousands may expire at once: stay under the global rate limit
        try:
            await self.client.http.delete_channel(thread_id, reason="case retention period ended")
        except discord.NotFound:
            pass
        except discord.Forbidden:
            guild = self.client.get_guild(timer.guild_id or 0)
            if guild is not None:
                await self.cases.tell_missing_permission(guild, "delete_thread", thread_id, CANNOT_DELETE)
            await self._retry(timer, thread_id, tries, RETRY_FORBIDDEN)
            return
        except discord.HTTPException as exc:
            log.warning("Discord refused to delete case thread %s (status %s); retrying", thread_id, exc.status)
            transient = exc.status == 429 or exc.status >= 500
            await self._retry(timer, thread_id, tries, RETRY_SOON if transient else RETRY_REFUSED)
            return
        if timer.guild_id is not None:
            await self.cases.permission_works(timer.guild_id, "delete_thread")
        await self.cases.forget_thread(thread_id)

    async def _retry(self, timer: Timer, thread_id: int, tries: int, after: timedelta) -> None:
        await self.timers.create(
            DELETE_EVENT,
            self.cases.clock() + after,
            {"thread": thread_id, "tries": tries + 1},
            guild_id=timer.guild_id,
            key=f"case:delete:{thread_id}:{tries + 1}",
        )
