"""Training reminder fan-out: 2,000 Going members, one reminder due, a SIGKILL halfway, and a restart.

    python bench/training_reminders.py [--members 2000] [--rate 50] [--kill-at 0.5] [--trainings 1]

The fake Discord runs in this process with a global rate limit (`--rate` requests/s); the bot runs as a
subprocess exactly as `harbor run` would, so it can be SIGKILLed mid fan-out. `--trainings N` splits
the members over N trainings whose reminders are all due in the same minute. The database is seeded
as `/training create` + RSVP clicks leave it: trainings, Going answers, one reminder timer per training
(the key and payload `TrainingService.replan` writes) and each member's known DM channel. DMs are
counted per member at the fake; a request the fake de-duplicated by nonce creates no message.

Target (issue 11): >= 90 % of the rate limit, 0 lost, 0 doubled across the kill and restart.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine
from _subprocess import KilledRun, bot_messages, dm_counts, log_problems, member_network, next_minute, print_log

from bot.db.connection import Database
from bot.db.core import DmChannelRepository
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.db.trainings import TrainingRepository
from bot.domain.trainings import Draft
from bot.services.trainings import REMIND_EVENT, reminder_key_prefix

LEAD_HOURS = 1


async def seed(
    path: Path, groups: list[list[int]], guild_id: int, trainer_id: int, due: datetime, channels: dict[int, int]
) -> None:
    """One training per group of members, all Going, each with its reminder due at `due`."""
    db = await Database.open(path)
    await migrate(db)
    trainings, timers, dm_channels = TrainingRepository(db), TimerRepository(db), DmChannelRepository(db)
    starts = due + timedelta(hours=LEAD_HOURS)
    now = due - timedelta(minutes=10)
    async with db.transaction():
        for n, members in enumerate(groups):
            draft = Draft(f"Bench training {n + 1}", "", starts, 60, 1.0, "ethics", "https://meet.example.org/x", None)
            tid = await trainings.create(guild_id, trainer_id, draft, now)
            for seq, uid in enumerate(members, 1):
                await db.execute(
                    "INSERT INTO training_rsvps (training_id, user_id, answer, seq, answered_at)"
                    " VALUES (?, ?, 'going', ?, ?)",
                    (tid, uid, seq, now.isoformat()),
                )
            training = await trainings.get(tid)
            assert training is not None
            await timers.insert(
                REMIND_EVENT,
                due,
                {"training_id": tid, "hours": LEAD_HOURS, "starts_at": training.starts_at.isoformat()},
                now=now,
                guild_id=guild_id,
                key=f"{reminder_key_prefix(tid)}{LEAD_HOURS}",
            )
        for uid, channel_id in channels.items():
            await dm_channels.set(uid, channel_id)
    await db.close()


async def main(members: int, rate: int, kill_at: float, lead: int, trainings: int) -> None:
    fake, owner, guild, users = await member_network(rate, members)
    wanted = {u.id for u in users}
    groups = [[u.id for u in users[i::trainings]] for i in range(trainings)]
    with tempfile.TemporaryDirectory() as tmp:
        db_path, log_path = Path(tmp) / "bench.db", Path(tmp) / "bot.log"
        due = next_minute(lead)
        t0 = time.perf_counter()
        channels = {u.id: fake.dm_channel(u).id for u in users}
        await seed(db_path, groups, guild.id, owner.id, due, channels)
        seeded = time.perf_counter() - t0
        run = KilledRun(fake, db_path, log_path)
        run.start()
        wait = (due - datetime.now(UTC)).total_seconds()
        print(
            f"seeded {trainings} training(s), {members:,} Going in {seeded:.1f} s; reminders due at "
            f"{due:%H:%M:%S} UTC (in {wait:.0f} s)",
            flush=True,
        )
        await run.until(lambda: bot_messages(fake), int(members * kill_at))
        at_kill = run.kill(lambda: bot_messages(fake))
        print(f"SIGKILL after {at_kill:,} DMs", flush=True)
        await run.restart_and_drain(lambda: bot_messages(fake), members, stall_s=20)
        await fake.stop()
        errors = log_problems(log_path, ignore="voice will NOT be supported")
        db = await Database.open(db_path)
        states = await db.fetchall(
            "SELECT status, count(*) AS n FROM timers WHERE event = ? GROUP BY status", (REMIND_EVENT,)
        )
        ledger = await db.fetchval("SELECT count(*) FROM training_reminders_sent")
        await db.close()
    per_member, late, times = dm_counts(fake, wanted, prefix="Reminder:")
    lost = sum(1 for u in users if per_member[u.id] == 0)
    doubled = sum(1 for u in users if per_member[u.id] > 1)
    first, last_dm = times[0], times[-1]
    requests = [r for r in fake.requests if not r.path.startswith(("/interactions/", "/webhooks/"))]
    posts_dm = [r for r in requests if r.method == "POST" and r.path.startswith("/channels/")]
    window = [r for r in requests if first <= r.at <= last_dm and r.status != 429]
    print(f"machine: {machine()}")
    print(
        f"members: {members:,} Going over {trainings} training(s), reminders due in the same minute; "
        f"fake Discord global limit {rate} requests/s; DM channels known (1 request per DM)"
    )
    print(f"elapsed, first to last reminder: {last_dm - first:.1f} s (includes the kill and restart)")
    print(run.rates(times, rate, "DMs"))
    print(
        f"REST requests accepted/s while delivering: {len(window) / (last_dm - first):.1f}; message POSTs: "
        f"{len(posts_dm):,} (re-sent after the restart: {len(posts_dm) - members:,}); 429s: {fake.rate_limit_hits:,}"
    )
    print(f"lost: {lost}; doubled: {doubled}; late-marked: {late:,}; delivered before the kill: {at_kill:,}")
    print(run.cpu_rss(after="after"))
    print("reminder timers: " + ", ".join(f"{r['status']}: {r['n']:,}" for r in states) + f"; ledger rows: {ledger:,}")
    print_log(errors, 8)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5)
    parser.add_argument("--lead", type=int, default=20, help="seconds between seeding and the due minute (min)")
    parser.add_argument("--trainings", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.rate, args.kill_at, args.lead, args.trainings))
