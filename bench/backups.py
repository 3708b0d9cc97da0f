"""The daily online backup (`ops.backup`: SQLite online backup, integrity check, prune) on a 1,000,000-row database.

    python bench/backups.py [--rows 1000000] [--keep]

Seeds check-ins (40 %), CE entries (30 %), finished timers (20 %) and announcements (10 %) for 5,000
members with synthetic values, then runs `BackupService.run()` — what the durable daily timer runs —
while a second connection keeps writing (one insert every 5 ms, as a busy bot would), and prints: the
database and backup sizes, the backup's wall time (copy + integrity check + prune), the peak RSS of
this process during the backup, and the writer's worst wait while the backup ran (WAL: readers never
block it).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine, rss_mb

from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.services.backups import BackupService

MEMBERS = 5_000
GUILD = 1


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def seed(path: Path, rows: int) -> dict[str, int]:
    """Fill the feature tables with `rows` rows in total (plain sqlite3, one transaction per table)."""
    rng = random.Random(11)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    shares = {"checkins": 0.4, "ce_entries": 0.3, "timers": 0.2, "announcements": 0.1}
    counts = {table: int(rows * share) for table, share in shares.items()}
    counts["checkins"] += rows - sum(counts.values())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")

    def when(i: int) -> datetime:
        return start + timedelta(minutes=i % 500_000)

    with conn:
        conn.executemany(
            "INSERT INTO checkins (user_id, guild_id, mood, note, local_date, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    rng.randrange(MEMBERS),
                    GUILD,
                    rng.randint(1, 5),
                    "slept badly, better after the walk" if i % 5 == 0 else None,
                    when(i).date().isoformat(),
                    _iso(when(i)),
                )
                for i in range(counts["checkins"])
            ),
        )
    with conn:
        conn.executemany(
            "INSERT INTO ce_entries (user_id, title, provider, completed_on, quarters, category, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    rng.randrange(MEMBERS),
                    f"Training {i % 997}",
                    "Peer Network",
                    when(i).date().isoformat(),
                    rng.randint(1, 24),
                    rng.choice(("general", "ethics", "confidentiality")),
                    _iso(when(i)),
                )
                for i in range(counts["ce_entries"])
            ),
        )
    with conn:
        conn.executemany(
            "INSERT INTO timers (event, due_at, payload, status, guild_id, user_id, key, created_at, finished_at)"
            " VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?)",
            (
                (
                    "checkin.prompt",
                    _iso(when(i)),
                    f'{{"n": {i}}}',
                    GUILD,
                    rng.randrange(MEMBERS),
                    f"bench:{i}",
                    _iso(when(i)),
                    _iso(when(i)),
                )
                for i in range(counts["timers"])
            ),
        )
    with conn:
        conn.executemany(
            "INSERT INTO announcements (guild_id, author_id, title, body, due_at, status, created_at, posted_at)"
            " VALUES (?, ?, ?, ?, ?, 'posted', ?, ?)",
            (
                (
                    GUILD,
                    rng.randrange(50),
                    f"Update {i}",
                    "Supervision group moves to Thursday at 6 pm; the link stays the same. " * 3,
                    _iso(when(i)),
                    _iso(when(i)),
                    _iso(when(i)),
                )
                for i in range(counts["announcements"])
            ),
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return counts


class Writer(threading.Thread):
    """A second connection inserting a row every 5 ms; records each insert's wait."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.waits: list[tuple[float, float]] = []  # (when it started, how long it waited)

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        i = 0
        while not self.stop.is_set():
            began = time.perf_counter()
            conn.execute(
                "INSERT INTO checkins (user_id, guild_id, mood, local_date, created_at) VALUES (?, ?, 3, ?, ?)",
                (i, GUILD, "2026-12-02", "2026-12-02T20:00:00+00:00"),
            )
            self.waits.append((began, time.perf_counter() - began))
            i += 1
            time.sleep(0.005)
        conn.close()


async def main() -> None:
    """Seed, back up under load, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="harbor-bench-backup-"))
    path = folder / "harbor.db"
    db = await Database.open(path)
    await migrate(db)
    await db.close()
    began = time.perf_counter()
    counts = seed(path, args.rows)
    seeded = time.perf_counter() - began
    size = path.stat().st_size
    print(f"machine: {machine()}")
    print(f"seeded {sum(counts.values()):,} rows {counts} in {seeded:.1f} s; database {size / 1e6:.1f} MB")
    service = BackupService(path, folder / "backups")
    rss_before = rss_mb()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    writer = Writer(path)
    writer.start()
    await asyncio.sleep(0.2)
    began = time.perf_counter()
    made = await service.run()
    took = time.perf_counter() - began
    writer.stop.set()
    writer.join()
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    during = [wait for at, wait in writer.waits if began <= at <= began + took] or [0.0]
    print(
        f"backup {made.name}: {took:.2f} s (online copy + integrity check + prune), {made.stat().st_size / 1e6:.1f} MB"
    )
    print(
        f"RSS: {rss_before:.0f} MB before, peak {max(peak_before, peak_after):.0f} MB "
        f"(peak grew by {max(0.0, peak_after - peak_before):.0f} MB during the backup)"
    )
    print(
        f"concurrent writer: {len(during)} inserts while it ran, worst wait {max(during) * 1000:.1f} ms, "
        f"median {sorted(during)[len(during) // 2] * 1000:.2f} ms"
    )
    if not args.keep:
        for item in sorted(folder.rglob("*"), reverse=True):
            item.unlink() if item.is_file() else item.rmdir()
        folder.rmdir()
    else:
        print(f"kept {folder}")


if __name__ == "__main__":
    asyncio.run(main())
