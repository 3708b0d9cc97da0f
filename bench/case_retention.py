"""5,000 expired case threads deleted by Harbor's retention timers, a SIGKILL halfway, and a restart.

    python bench/case_retention.py [--threads 5000] [--rate 50] [--kill-at 0.5]

The fake Discord runs in this process with a global rate limit (`--rate` requests/s); the bot runs as a
subprocess exactly as `harbor run` would, so it can be SIGKILLed. The database is seeded as `/case close`
leaves it after the retention period: one `case_threads` row and one due `case.delete_thread` timer per
thread, and the threads exist (closed: locked and archived) under the cases channel of the fake.

Figures: deletes/s before the kill and after the restart as a share of the limit (target ≥ 90 %),
threads deleted twice (a second *successful* delete; target 0), threads left, delete requests that found
the thread already gone (a delete in flight at the SIGKILL is re-run once and answered 404), 429s,
CPU and peak RSS of the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine
from _subprocess import KilledRun, log_problems, print_log, timer_states

from bot.db.cases import CaseRepository
from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.services.case_expiry import DELETE_EVENT
from tests.fakediscord import FakeDiscord


async def seed(path: Path, guild_id: int, author_id: int, thread_ids: list[int], due: datetime) -> None:
    """What /case close leaves behind, retention days ago: a row and a due deletion timer per thread."""
    db = await Database.open(path)
    await migrate(db)
    cases, timers = CaseRepository(db), TimerRepository(db)
    opened = due - timedelta(days=40)
    async with db.transaction():
        for tid in thread_ids:
            await cases.add(guild_id, tid, author_id, anonymous=False, now=opened)
            await cases.mark_closed(tid, due - timedelta(days=30))
            await timers.insert(
                DELETE_EVENT, due, {"thread": tid}, now=opened, guild_id=guild_id, key=f"case:delete:{tid}"
            )
    await db.close()


def deletes(fake: FakeDiscord, wanted: set[int]) -> list[tuple[int, int, float]]:
    """(thread id, status, time) of every DELETE /channels/{thread} the fake answered (429s excluded)."""
    found = []
    for r in list(fake.requests):
        if r.method != "DELETE" or not r.path.startswith("/channels/") or r.status == 429:
            continue
        tail = r.path.rsplit("/", 1)[1]
        if tail.isdigit() and int(tail) in wanted:
            found.append((int(tail), r.status, r.at))
    return found


def done(fake: FakeDiscord, wanted: set[int]) -> int:
    return sum(1 for tid in wanted if fake.channels[tid].deleted)


async def main(count: int, rate: int, kill_at: float) -> None:
    fake = FakeDiscord()
    await fake.start()
    fake.global_rate_limit = rate
    owner = fake.add_user("owner")
    author = fake.add_user("author")
    guild = fake.add_guild("Peer Network", owner=owner)
    guild.add_member(author)
    cases = guild.add_text_channel("cases")
    threads = []
    for i in range(count):
        thread = guild.add_thread(cases, f"case {i}")
        thread.archived = thread.locked = True  # closed cases: not in the gateway's active threads
        threads.append(thread)
    wanted = {t.id for t in threads}
    with tempfile.TemporaryDirectory() as tmp:
        db_path, log_path = Path(tmp) / "bench.db", Path(tmp) / "bot.log"
        due = datetime.now(UTC) - timedelta(minutes=1)
        t0 = time.perf_counter()
        await seed(db_path, guild.id, author.id, [t.id for t in threads], due)
        print(f"seeded {count:,} expired case threads in {time.perf_counter() - t0:.1f} s", flush=True)
        run = KilledRun(fake, db_path, log_path)
        run.start()
        await run.until(lambda: done(fake, wanted), int(count * kill_at))
        at_kill = run.kill(lambda: done(fake, wanted))
        print(f"SIGKILL after {at_kill:,} deletions", flush=True)
        await run.restart_and_drain(lambda: done(fake, wanted), count, stall_s=20)
        await fake.stop()
        problems = log_problems(log_path)
        db = await Database.open(db_path)
        states = await db.fetchall(
            "SELECT status, error, count(*) AS n FROM timers WHERE event = ? GROUP BY status, error", (DELETE_EVENT,)
        )
        rows_left = await db.fetchval("SELECT count(*) FROM case_threads")
        await db.close()
    answered = deletes(fake, wanted)
    ok = [(tid, at) for tid, status, at in answered if status < 300]
    gone = [tid for tid, status, _ in answered if status == 404]
    per_thread = Counter(tid for tid, _ in ok)
    twice = sum(1 for n in per_thread.values() if n > 1)
    left = sum(1 for tid in wanted if not fake.channels[tid].deleted)
    times = sorted(at for _, at in ok)
    print(f"machine: {machine()}")
    print(f"threads: {count:,} expired case threads; fake Discord global limit {rate} requests/s")
    print(f"elapsed, first to last delete: {times[-1] - times[0]:.1f} s (includes the kill and restart)")
    print(run.rates(times, rate, "deletes"))
    print(
        f"deleted twice: {twice}; left undeleted: {left}; rows left in case_threads: {rows_left}; "
        f"re-run deletes answered 404 (in flight at the kill): {len(gone)}; 429s: {fake.rate_limit_hits:,}"
    )
    print(run.cpu_rss())
    print(f"delete timers: {timer_states(states)}")
    print_log(problems, 5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=5_000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5)
    args = parser.parse_args()
    asyncio.run(main(args.threads, args.rate, args.kill_at))
