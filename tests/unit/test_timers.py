"""Durable timers on a real SQLite file: restart, cancel, failure, order, late, schedules."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.domain.clock import utcnow
from bot.domain.recurrence import Recurrence
from bot.services.timers import TimerService
from tests.helpers import eventually


async def _service(path, clock=utcnow, **kw):
    db = await Database.open(path)
    await migrate(db)
    return db, TimerService(TimerRepository(db), clock=clock, **kw)


async def test_restart_fires_exactly_once(tmp_path):
    path = tmp_path / "t.db"
    db, first = await _service(path)
    await first.start()
    fired: list[int] = []
    first.register("ping", lambda t: asyncio.sleep(0))
    timer = await first.create("ping", utcnow() + timedelta(seconds=0.4), {"n": 1})
    await first.stop()
    await db.close()  # torn down before it was due

    db2, second = await _service(path)

    async def handler(t):
        fired.append(t.payload["n"])

    second.register("ping", handler)
    await second.start()

    async def done():
        return (await second.repo.get(timer.id)).status == "done"

    # once the row is done no claim can succeed, so there is nothing left that could fire it a second time
    await eventually(done, timeout=2.5)
    await second.stop()
    assert fired == [1]
    await db2.close()


async def test_overdue_rows_fire_at_start_marked_late(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    seen = []

    async def handler(t):
        seen.append(t.late)

    service.register("late", handler)
    await service.create("late", clock.now - timedelta(hours=3))
    await service.create("ontime", clock.now)
    service.register("ontime", handler)
    assert await service.fire_due() == 2
    assert seen == [True, False]
    await db.close()


async def test_apscheduler_delivers_overdue_after_restart(tmp_path):
    # misfire_grace_time=None: a row due an hour ago is still fired, not silently dropped.
    db, service = await _service(tmp_path / "t.db")
    done = asyncio.Event()
    flags = []

    async def handler(t):
        flags.append(t.late)
        done.set()

    service.register("old", handler)
    await service.repo.insert("old", utcnow() - timedelta(hours=1), {}, now=utcnow())
    await service.start()
    await asyncio.wait_for(done.wait(), 5)
    await service.stop()
    assert flags == [True]
    await db.close()


async def test_cancel(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    ran = []
    service.register("x", lambda t: ran.append(t.id) or asyncio.sleep(0))
    t1 = await service.create("x", clock.now, user_id=5, key="x:5")
    t2 = await service.create("x", clock.now, user_id=6)
    assert await service.cancel(t1.id)
    assert not await service.cancel(t1.id)
    assert await service.cancel_matching(user_id=6) == 1
    assert await service.fire_due() == 0
    assert ran == []
    assert (await service.repo.get(t2.id)).status == "cancelled"
    await db.close()


async def test_key_is_idempotent_while_live(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    a = await service.create("x", clock.now, key="k")
    b = await service.create("x", clock.now + timedelta(days=1), key="k")
    assert a.id == b.id
    await db.close()


async def test_failure_retries_then_fails_recording_only_the_type(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock, max_attempts=2)
    calls = []

    async def boom(t):
        calls.append(t.attempts)
        raise ValueError("secret content must not be stored")

    service.register("boom", boom)
    timer = await service.create("boom", clock.now)
    await service.fire_due()
    assert (await service.repo.get(timer.id)).status == "pending"
    clock.advance(minutes=5)
    await service.fire_due()
    row = await db.fetchone("SELECT status, error, attempts FROM timers WHERE id = ?", (timer.id,))
    assert (row["status"], row["error"], row["attempts"]) == ("failed", "ValueError", 2)
    assert calls == [1, 2]
    await db.close()


async def test_delivery_order_is_due_then_creation(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    order = []

    async def handler(t):
        order.append(t.payload["name"])

    service.register("o", handler)
    await service.create("o", clock.now - timedelta(minutes=1), {"name": "b"})
    await service.create("o", clock.now - timedelta(minutes=2), {"name": "a"})
    await service.create("o", clock.now - timedelta(minutes=1), {"name": "c"})
    await service.create("o", clock.now + timedelta(minutes=1), {"name": "later"})
    await service.fire_due()
    assert order == ["a", "b", "c"]
    await db.close()


async def test_stale_running_rows_are_requeued(tmp_path, clock):
    path = tmp_path / "t.db"
    db, service = await _service(path, clock=clock)
    timer = await service.create("crash", clock.now)
    assert await service.repo.claim(timer.id, clock.now)  # claimed, then the process "dies"
    await db.close()
    db, service = await _service(path, clock=clock)
    ran = []
    service.register("crash", lambda t: ran.append(t.id) or asyncio.sleep(0))
    await service.start()
    await service.stop()
    assert (await service.repo.get(timer.id)).status == "pending"
    assert await service.fire_due() == 1
    assert ran == [timer.id]
    await db.close()


async def test_unknown_event_fails_without_crashing(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    timer = await service.create("nobody", clock.now)
    await service.fire_due()
    assert (await service.repo.get(timer.id)).status == "failed"
    await db.close()


async def test_schedule_creates_next_and_missed_days_collapse(tmp_path, clock):
    clock.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    db, service = await _service(tmp_path / "t.db", clock=clock)
    fired = []

    async def handler(t):
        fired.append((t.due_at, t.late))

    service.register("daily", handler)
    await service.schedule("daily", Recurrence("daily", "09:00", "UTC"), {"u": 1}, key="daily:1", user_id=1)
    assert await service.next_due("daily:1") == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock.now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # bot was down for three days
    assert await service.fire_due() == 1
    assert fired == [(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), True)]
    assert await service.next_due("daily:1") == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    assert await service.fire_due() == 0
    # replacing the definition moves the pending firing; unscheduling cancels it
    await service.schedule("daily", Recurrence("daily", "18:00", "UTC"), key="daily:1", user_id=1)
    assert await service.next_due("daily:1") == datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    live = await db.fetchval("SELECT count(*) FROM timers WHERE status = 'pending'")
    assert live == 1
    assert await service.unschedule("daily:1")
    assert await service.next_due("daily:1") is None
    assert await db.fetchval("SELECT count(*) FROM timers WHERE status = 'pending'") == 0
    await db.close()


async def test_register_twice_is_refused(tmp_path):
    db, service = await _service(tmp_path / "t.db")

    async def a(t): ...

    async def b(t): ...

    service.register("e", a)
    service.register("e", a)
    with pytest.raises(ValueError, match="already registered"):
        service.register("e", b)
    await db.close()


async def test_concurrent_firing_claims_once(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    ran = []

    async def handler(t):
        await asyncio.sleep(0.01)
        ran.append(t.id)

    service.register("c", handler)
    timer = await service.create("c", clock.now)
    results = await asyncio.gather(*(service.fire(timer.id) for _ in range(5)))
    assert results.count(True) == 1
    assert ran == [timer.id]
    await db.close()


async def test_late_means_due_while_offline_not_a_busy_minute(tmp_path, clock):
    db, service = await _service(tmp_path / "t.db", clock=clock)
    await service.start()
    try:
        start = clock.now
        assert service.is_late(start - timedelta(hours=2), start + timedelta(minutes=3))  # due while down
        assert not service.is_late(start + timedelta(minutes=1), start + timedelta(minutes=5))  # backlog
        assert service.is_late(start + timedelta(minutes=1), start + timedelta(hours=3))  # fell far behind
        assert not service.is_late(start - timedelta(minutes=1), start + timedelta(seconds=30))  # on time
    finally:
        await service.stop()
        await db.close()
