"""10,000 check-in prompts due in the same minute, a SIGKILL halfway, and a restart.

    python bench/checkins.py [--members 10000] [--rate 50] [--kill-at 0.5]

The fake Discord runs in this process and enforces a global rate limit (`--rate` requests/s); the bot
runs as a subprocess exactly as `harbor run` would (`python -m bot` with the HARBOR_* settings pointed
at the fake), so it can be SIGKILLed. DMs are counted per member at the fake (a DM is a message created
in the member's DM channel; a request the fake de-duplicated by nonce creates none).

Target (PRODUCT.md): delivered at >= 90 % of the API rate limit, none lost or doubled across a restart.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine
from _subprocess import (
    KilledRun,
    bot_messages,
    dm_counts,
    log_problems,
    member_network,
    next_minute,
    print_log,
    timer_states,
)

from bot.db.checkins import CheckinRepository
from bot.db.connection import Database
from bot.db.core import DmChannelRepository
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.domain.recurrence import Recurrence


async def seed(path: Path, user_ids: list[int], guild_id: int, due: datetime, channels: dict[int, int]) -> None:
    """Members with a daily schedule whose prompt is due at `due` (UTC), as /checkin schedule stores it.

    `channels` holds the DM channel ids `/checkin schedule` opens and stores; `--first-day` leaves them
    unknown (the worst case: each prompt must open the channel first, two requests instead of one).
    """
    db = await Database.open(path)
    await migrate(db)
    checkins, timers, dm_channels = CheckinRepository(db), TimerRepository(db), DmChannelRepository(db)
    at = f"{due.hour:02d}:{due.minute:02d}"
    now = due - timedelta(minutes=5)
    recurrence = Recurrence("daily", at, tz="UTC")
    async with db.transaction():
        for uid in user_ids:
            await checkins.set_schedule(uid, guild_id, "daily", at, None, "UTC", now)
            await timers.upsert_schedule(
                "checkin.prompt", recurrence, {}, now=now, key=f"checkin:{uid}", guild_id=guild_id, user_id=uid
            )
            if uid in channels:
                await dm_channels.set(uid, channels[uid])
    await db.close()


async def main(members: int, rate: int, kill_at: float, lead: int, first_day: bool) -> None:
    fake, _, guild, users = await member_network(rate, members)
    wanted = {u.id for u in users}
    with tempfile.TemporaryDirectory() as tmp:
        db_path, log_path = Path(tmp) / "bench.db", Path(tmp) / "bot.log"
        due = next_minute(lead)
        t0 = time.perf_counter()
        channels = {} if first_day else {u.id: fake.dm_channel(u).id for u in users}
        await seed(db_path, [u.id for u in users], guild.id, due, channels)
        seeded = time.perf_counter() - t0
        run = KilledRun(fake, db_path, log_path)
        run.start()
        wait = (due - datetime.now(UTC)).total_seconds()
        print(
            f"seeded {members:,} schedules in {seeded:.1f} s; prompts due at {due:%H:%M:%S} UTC (in {wait:.0f} s)",
            flush=True,
        )
        await run.until(lambda: bot_messages(fake), int(members * kill_at))
        at_kill = run.kill(lambda: bot_messages(fake))
        print(f"SIGKILL after {at_kill:,} DMs", flush=True)
        await run.restart_and_drain(lambda: bot_messages(fake), members, stall_s=20)
        await fake.stop()
        errors = log_problems(log_path)
        db = await Database.open(db_path)
        states = await db.fetchall(
            "SELECT status, error, count(*) AS n FROM timers WHERE event = 'checkin.prompt'"
            " AND schedule_id IS NOT NULL GROUP BY status, error"
        )
        await db.close()
    per_member, late, times = dm_counts(fake, wanted)
    lost = sum(1 for u in users if per_member[u.id] == 0)
    doubled = sum(1 for u in users if per_member[u.id] > 1)
    first, last_dm = times[0], times[-1]
    requests = [r for r in fake.requests if not r.path.startswith(("/interactions/", "/webhooks/"))]
    posts_dm = [r for r in requests if r.method == "POST" and r.path.startswith("/channels/")]
    opens = [r for r in requests if r.method == "POST" and r.path == "/users/@me/channels"]
    window = [r for r in requests if first <= r.at <= last_dm and r.status != 429]
    print(f"machine: {machine()}")
    print(
        f"members: {members:,} prompts due at the same minute; fake Discord global limit {rate} requests/s; "
        + (
            "first-ever prompts (DM channels unknown: 2 requests each)"
            if first_day
            else "DM channels opened at /checkin schedule time (1 request each)"
        )
    )
    print(f"elapsed, first to last DM: {last_dm - first:.1f} s (includes the kill and restart)")
    print(run.rates(times, rate, "DMs"))
    print(
        f"REST requests accepted/s while delivering: {len(window) / (last_dm - first):.1f}; "
        f"DM-channel opens: {len(opens):,}; message POSTs: {len(posts_dm):,}; "
        f"429s: {fake.rate_limit_hits:,}; invalid requests (401/403/429): {fake.invalid_requests:,}"
    )
    print(f"lost: {lost}; doubled: {doubled}; late-marked: {late:,}; delivered before the kill: {at_kill:,}")
    print(run.cpu_rss())
    print(f"prompt timers: {timer_states(states)}")
    print_log(errors, 5)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5)
    parser.add_argument("--lead", type=int, default=20, help="seconds between seeding and the due minute (min)")
    parser.add_argument("--first-day", action="store_true", help="no DM channel ids known yet")
    args = parser.parse_args()
    asyncio.run(main(args.members, args.rate, args.kill_at, args.lead, args.first_day))
