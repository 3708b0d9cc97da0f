"""Start-up to ready and the `/profile show` round trip, against the fake Discord, on a 100k-row database.

    python bench/core.py [--rows 100000] [--calls 500]

Targets (PRODUCT.md): start-up to ready ≤ 1 s; slash command answered p95 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine, rss_mb, summary

from bot.db.connection import Database
from bot.db.migrate import migrate
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord


async def seed(path: Path, rows: int) -> None:
    db = await Database.open(path)
    await migrate(db)
    await db.close()
    conn = sqlite3.connect(path)
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="seconds")
    conn.executemany(
        "INSERT INTO profiles (user_id, timezone, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ((10_000_000 + i, "America/Chicago", stamp, stamp) for i in range(rows)),
    )
    conn.executemany(
        "INSERT INTO timers (event, due_at, payload, user_id, created_at) VALUES ('bench.noop', ?, '{}', ?, ?)",
        (
            ((now + timedelta(days=1 + i % 365)).isoformat(timespec="seconds"), 10_000_000 + i, stamp)
            for i in range(rows)
        ),
    )
    conn.commit()
    conn.close()


async def main(rows: int, calls: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        await seed(path, rows)
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            h = Harness(fake, path)
            starts = []
            for _ in range(5):
                t0 = time.perf_counter()
                await h.start()
                starts.append((time.perf_counter() - t0) * 1000)
                await h.stop()
            await h.start()
            await h.slash(h.alice, "profile timezone", {"zone": "Europe/Berlin"})
            for _ in range(20):  # warm-up
                await h.slash(h.alice, "profile show")
            latencies = []
            for _ in range(calls):
                t0 = time.perf_counter()
                it = await h.slash(h.alice, "profile show")
                latencies.append((time.perf_counter() - t0) * 1000)
                assert it.response.ephemeral
            memory = rss_mb()
            await h.stop()
        await fake.stop()
    print(f"machine: {machine()}")
    print(f"database: {rows:,} profiles + {rows:,} pending timers")
    print(f"start-up to ready (fake Discord, first start includes command sync): {summary(starts)}")
    print(f"/profile show round trip: {summary(latencies)}")
    print(f"resident memory (bot + fake in one process): {memory:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.calls))
