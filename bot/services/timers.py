"""Durable timers: the `timers` table is the truth, APScheduler an in-memory, rebuildable cache.

Delivery guarantee
------------------
*At least once, and exactly once unless the process dies mid-handler.* A timer is claimed
(`pending → running`) in a transaction before its handler runs and marked `done` after, so two
firings of one row cannot both run. A row left `running` by a crash is requeued at the next start-up
and runs again: handlers that talk to Discord pass ``nonce=timer_nonce(timer)`` when sending, which
Discord (and the fake) use to drop the duplicate, so a DM is not doubled. A row that came due while
the bot was down fires at start-up with ``timer.late = True`` (a backlog that merely delays a firing by
a few minutes while the bot runs is not "late"; see `is_late`). A handler that raises is retried with
back-off up to ``max_attempts`` times, then left `failed` (its exception *type* is recorded, never a
message). Recurring schedules create their next one-shot row when a firing finishes, after
``max(due, now)``: several missed firings collapse into one late one.

Only rows due within ``horizon`` are put into APScheduler; a refill job tops the cache up, so memory
stays flat however many timers lie in the future.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.db.timers import Schedule, Timer, TimerRepository
from bot.domain.clock import Clock, utcnow
from bot.domain.recurrence import Recurrence

log = logging.getLogger(__name__)

Handler = Callable[[Timer], Awaitable[None]]


def base36(number: int) -> str:
    """A non-negative number in base 36 (short nonce parts: a snowflake in 13 characters)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def timer_nonce(timer: Timer) -> str:
    """A stable per-timer nonce for Discord's `enforce_nonce` de-duplication (≤ 25 characters).

    Discord de-duplicates per author across channels, so a handler that sends several messages must
    derive one nonce per message, e.g. ``f"{timer_nonce(timer)}{user_id}"`` (still ≤ 25 characters).
    """
    return f"t{timer.id}a"


class TimerService:
    """Create, cancel and fire durable timers; see the module docstring for the guarantee."""

    def __init__(
        self,
        repo: TimerRepository,
        *,
        clock: Clock = utcnow,
        ready: Callable[[], Awaitable[Any]] | None = None,
        late_after: timedelta = timedelta(minutes=2),
        horizon: timedelta = timedelta(hours=1),
        concurrency: int = 16,
        max_attempts: int = 3,
        retry_backoff: timedelta = timedelta(minutes=1),
        manual: bool = False,
    ) -> None:
        self.repo = repo
        self.manual = manual
        self.clock = clock
        self._ready = ready
        self.late_after = late_after
        self.horizon = horizon
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self._handlers: dict[str, Handler] = {}
        self._scheduler: AsyncIOScheduler | None = None
        self._cached: set[int] = set()
        self._running: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self._started_at: datetime | None = None
        self.fired = 0

    # -- registry ----------------------------------------------------------------------------------

    def register(self, event: str, handler: Handler) -> None:
        """Route timers of `event` to `handler` (one handler per event)."""
        if event in self._handlers and self._handlers[event] is not handler:
            msg = f"a handler for {event!r} is already registered"
            raise ValueError(msg)
        self._handlers[event] = handler

    # -- life cycle --------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether the APScheduler cache is running (never, in manual mode)."""
        return self._scheduler is not None

    async def start(self) -> None:
        """Requeue stale rows, rehydrate the cache from the table and start firing."""
        self._started_at = self.clock()
        requeued = await self.repo.requeue_running()
        if requeued:
            log.warning("requeued %d timers left running by the previous process", requeued)
        if self.manual:
            return  # tests drive time: nothing fires until they advance the clock and call fire_due()
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.start()
        self._scheduler.add_job(
            self.refill,
            "interval",
            seconds=max(1, int(self.horizon.total_seconds() // 2)),
            id="timers-refill",
            misfire_grace_time=None,
            coalesce=True,
        )
        await self.refill()

    async def stop(self) -> None:
        """Stop firing; running handlers finish (their rows stay `running` only if the process dies)."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self._cached.clear()
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def refill(self) -> int:
        """Put every pending row due within the horizon into the cache; return how many were added."""
        if self._scheduler is None:
            return 0
        added = 0
        for timer in await self.repo.pending_before(self.clock() + self.horizon):
            if timer.id not in self._cached:
                self._cache(timer)
                added += 1
        return added

    def _cache(self, timer: Timer) -> None:
        if self._scheduler is None or timer.due_at - self.clock() > self.horizon:
            return
        self._cached.add(timer.id)
        # Overdue rows run now; misfire_grace_time=None keeps APScheduler from silently dropping them.
        run_at = max(timer.due_at, datetime.now(UTC))
        self._scheduler.add_job(
            self._fire_job,
            "date",
            run_date=run_at,
            args=[timer.id],
            id=f"timer-{timer.id}",
            misfire_grace_time=None,
            replace_existing=True,
        )

    # -- creating and cancelling -------------------------------------------------------------------

    async def create(
        self,
        event: str,
        due: datetime,
        payload: dict[str, Any] | None = None,
        *,
        guild_id: int | None = None,
        user_id: int | None = None,
        key: str | None = None,
    ) -> Timer:
        """Store a one-shot timer (idempotent per live `key`) and cache it when it is due soon."""
        timer = await self.repo.insert(
            event, due, payload or {}, now=self.clock(), guild_id=guild_id, user_id=user_id, key=key
        )
        self._cache(timer)
        return timer

    async def cancel(self, timer_id: int) -> bool:
        """Cancel a pending timer."""
        cancelled = await self.repo.cancel(timer_id)
        self._uncache(timer_id)
        return cancelled

    async def cancel_matching(
        self, *, event: str | None = None, user_id: int | None = None, key_prefix: str | None = None
    ) -> int:
        """Cancel every pending timer matching the filters; return how many."""
        timers = await self.repo.find(event=event, user_id=user_id, key_prefix=key_prefix)
        count = await self.repo.cancel_ids([t.id for t in timers])
        for timer in timers:
            self._uncache(timer.id)
        return count

    async def pending(
        self, *, event: str | None = None, user_id: int | None = None, key_prefix: str | None = None
    ) -> list[Timer]:
        """Pending timers matching every given filter, soonest first (what a feature has planned)."""
        return await self.repo.find(event=event, user_id=user_id, key_prefix=key_prefix)

    def _uncache(self, timer_id: int) -> None:
        if timer_id in self._cached and self._scheduler is not None:
            self._cached.discard(timer_id)
            job = self._scheduler.get_job(f"timer-{timer_id}")
            if job is not None:
                job.remove()

    async def schedule(
        self,
        event: str,
        recurrence: Recurrence,
        payload: dict[str, Any] | None = None,
        *,
        key: str,
        guild_id: int | None = None,
        user_id: int | None = None,
    ) -> Schedule:
        """Create or replace a recurring schedule; its first firing is queued at once."""
        schedule = await self.repo.upsert_schedule(
            event, recurrence, payload or {}, now=self.clock(), key=key, guild_id=guild_id, user_id=user_id
        )
        # A replaced firing may still sit in the cache; claim() refuses it (cancelled), so just top up.
        await self.refill()
        return schedule

    async def unschedule(self, key: str) -> bool:
        """Stop a recurring schedule and cancel its pending firing."""
        return await self.repo.deactivate_schedule(key)

    async def next_due(self, key: str) -> datetime | None:
        """When an active schedule fires next."""
        schedule = await self.repo.get_schedule(key)
        if schedule is None or not schedule.active:
            return None
        return await self.repo.schedule_next_due(schedule.id)

    async def next_firing_after(self, key: str, after: datetime) -> datetime | None:
        """When an active schedule's recurrence fires next after `after` (None when it is stopped)."""
        schedule = await self.repo.get_schedule(key)
        if schedule is None or not schedule.active:
            return None
        return schedule.recurrence.next_after(after)

    # -- firing ------------------------------------------------------------------------------------

    async def _fire_job(self, timer_id: int) -> None:
        self._cached.discard(timer_id)
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            if self._ready is not None:  # handlers may need the guild cache: wait for the gateway
                await self._ready()
            await self.fire(timer_id)
        finally:
            if task is not None:
                self._running.discard(task)

    async def fire_due(self) -> int:
        """Fire every pending timer due by the clock, in due order (for tests and manual runs)."""
        count = 0
        for timer in await self.repo.pending_before(self.clock()):
            count += int(await self.fire(timer.id))
        return count

    async def fire(self, timer_id: int) -> bool:
        """Claim, run and finish one timer; False when it was not pending any more."""
        async with self._slots:
            now = self.clock()
            timer = await self.repo.claim(timer_id, now)
            if timer is None:
                return False
            timer = replace(timer, late=self.is_late(timer.due_at, now))
            handler = self._handlers.get(timer.event)
            if handler is None:
                log.error("timer %d: no handler for event %s", timer.id, timer.event)
                await self._finish(timer, "failed", "NoHandler")
                return True
            try:
                await handler(timer)
            except Exception as exc:
                error = type(exc).__name__
                if timer.attempts < self.max_attempts:
                    due = self.clock() + self.retry_backoff * timer.attempts
                    log.warning("timer %d (%s) failed with %s; retrying at %s", timer.id, timer.event, error, due)
                    await self.repo.retry_at(timer.id, due, error)
                    self._cache(replace(timer, due_at=due))
                    return True
                log.exception("timer %d (%s) failed for good", timer.id, timer.event)
                await self._finish(timer, "failed", error)
                return True
            await self._finish(timer, "done", None)
            self.fired += 1
            return True

    def is_late(self, due: datetime, now: datetime) -> bool:
        """Late means "Harbor was offline when it came due", not "a busy minute delayed it".

        Overdue by more than `late_after` and due before this process started, or overdue by more than
        the horizon (the cache's refill period: only a stopped scheduler falls that far behind).
        """
        overdue = now - due
        if overdue <= self.late_after:
            return False
        return self._started_at is None or due < self._started_at or overdue > self.horizon

    async def _finish(self, timer: Timer, status: str, error: str | None) -> None:
        following = await self.repo.finish_and_continue(timer, status, self.clock(), error)
        if following is not None:
            self._cache(following)
