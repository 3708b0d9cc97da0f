"""Shared fixtures: a migrated SQLite file and a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db.connection import Database
from bot.db.migrate import migrate


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "harbor.db")
    await migrate(database)
    yield database
    await database.close()


pytest_plugins = ["tests.fakediscord.pytest_plugin"]


@pytest.fixture
async def harness(fake_discord, tmp_path):
    """A fake Discord with a populated guild and a running Harbor (stopped after the test)."""
    from tests.e2e.harness import Harness

    h = Harness(fake_discord, tmp_path / "harbor.db")
    await h.start()
    yield h
    await h.stop()


@pytest.fixture
async def timed_harness(fake_discord, tmp_path):
    """Factory: `await timed_harness(start)` gives a started Harness whose bot runs on a FakeClock.

    Timers are manual: nothing fires until the test advances `h.clock` and calls
    `await h.bot.services.timers.fire_due()`, so "nothing happened" is provable without sleeping.
    """
    from tests.e2e.harness import Harness

    started = []

    async def make(start: datetime) -> Harness:
        h = Harness(fake_discord, tmp_path / f"timed{len(started)}.db", clock=FakeClock(start), manual_timers=True)
        await h.start()
        started.append(h)
        return h

    yield make
    for h in started:
        await h.stop()
