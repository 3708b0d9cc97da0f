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
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import ROOT, machine

from bot.db.checkins import CheckinRepository
from bot.db.connection import Database
from bot.db.core import DmChannelRepository
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.domain.recurrence import Recurrence
from tests.fakediscord import FakeDiscord

TICKS = os.sysconf("SC_CLK_TCK")


def proc_stats(pid: int) -> tuple[float, float]:
    """(CPU seconds user+system, peak RSS MB) of a live process."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    peak = float("nan")
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return cpu, peak


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


def start_bot(fake: FakeDiscord, db_path: Path, log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": "bench-token",
        "HARBOR_DATABASE": str(db_path),
        "HARBOR_DISCORD_API": fake.api_base,
        "HARBOR_DISCORD_GATEWAY": fake.gateway_url,
        "HARBOR_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    log = log_path.open("ab")
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log, stderr=log)


def dm_counts(fake: FakeDiscord, wanted: set[int]) -> tuple[Counter[int], int, list[float]]:
    """Messages per member in their DM channel, late-marked count, creation times."""
    owner = {chan.id: uid for uid, chan in fake.dm_channels.items() if uid in wanted}
    per_member: Counter[int] = Counter()
    late = 0
    times = []
    for message in list(fake.messages.values()):
        uid = owner.get(message.channel_id)
        if uid is None or message.author_id != fake.bot_user.id:
            continue
        per_member[uid] += 1
        late += "late — Harbor was offline" in message.content
        times.append(message.created_at)
    return per_member, late, sorted(times)


def delivered(fake: FakeDiscord) -> int:
    return sum(1 for m in list(fake.messages.values()) if m.author_id == fake.bot_user.id)


async def main(members: int, rate: int, kill_at: float, lead: int, first_day: bool) -> None:
    fake = FakeDiscord()
    await fake.start()
    fake.global_rate_limit = rate
    owner = fake.add_user("owner")
    guild = fake.add_guild("Peer Network", owner=owner)
    users = [fake.add_user(f"member-{i}") for i in range(members)]
    wanted = {u.id for u in users}
    with tempfile.TemporaryDirectory() as tmp:
        db_path, log_path = Path(tmp) / "bench.db", Path(tmp) / "bot.log"
        start = datetime.now(UTC)
        due = (start + timedelta(seconds=lead)).replace(second=0, microsecond=0) + timedelta(minutes=1)
        t0 = time.perf_counter()
        channels = {} if first_day else {u.id: fake.dm_channel(u).id for u in users}
        await seed(db_path, [u.id for u in users], guild.id, due, channels)
        seeded = time.perf_counter() - t0
        bot = start_bot(fake, db_path, log_path)
        wait = (due - datetime.now(UTC)).total_seconds()
        print(
            f"seeded {members:,} schedules in {seeded:.1f} s; prompts due at {due:%H:%M:%S} UTC (in {wait:.0f} s)",
            flush=True,
        )
        kill_after = int(members * kill_at)
        while delivered(fake) < kill_after:
            if bot.poll() is not None:
                tail = log_path.read_text()[-3000:]
                raise SystemExit(f"bot exited early ({bot.returncode}):\n{tail}")
            await asyncio.sleep(0.05)
        cpu1, rss1 = proc_stats(bot.pid)
        at_kill = delivered(fake)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait()
        killed_at = time.time()
        print(f"SIGKILL after {at_kill:,} DMs", flush=True)
        await asyncio.sleep(1.0)
        bot = start_bot(fake, db_path, log_path)
        restarted_at = time.time()
        last, stalled = delivered(fake), time.time()
        while time.time() - stalled < 20:
            await asyncio.sleep(0.25)
            now_count = delivered(fake)
            if now_count != last:
                last, stalled = now_count, time.time()
            if now_count >= members:
                await asyncio.sleep(3)  # anything doubled would arrive now
                break
        cpu2, rss2 = proc_stats(bot.pid)
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()
        await fake.stop()
        errors = [
            line for line in log_path.read_text(errors="replace").splitlines() if "ERROR" in line or "WARNING" in line
        ]
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
    before = [t for t in times if t <= killed_at]
    after = [t for t in times if t >= restarted_at]
    rate1 = (len(before) - 1) / (before[-1] - before[0]) if len(before) > 1 else 0.0
    rate2 = (len(after) - 1) / (after[-1] - after[0]) if len(after) > 1 else 0.0
    overall = (len(times) - 1) / (last_dm - first) if len(times) > 1 else 0.0
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
    print(
        f"DMs/s before the kill: {rate1:.1f} ({rate1 / rate:.0%} of the limit); after the restart: {rate2:.1f} "
        f"({rate2 / rate:.0%}); overall incl. downtime: {overall:.1f} ({overall / rate:.0%})"
    )
    print(
        f"REST requests accepted/s while delivering: {len(window) / (last_dm - first):.1f}; "
        f"DM-channel opens: {len(opens):,}; message POSTs: {len(posts_dm):,}; "
        f"429s: {fake.rate_limit_hits:,}; invalid requests (401/403/429): {fake.invalid_requests:,}"
    )
    print(f"lost: {lost}; doubled: {doubled}; late-marked: {late:,}; delivered before the kill: {at_kill:,}")
    print(
        f"bot CPU: {cpu1:.1f} s before the kill + {cpu2:.1f} s after the restart; "
        f"peak RSS: {rss1:.0f} MB / {rss2:.0f} MB"
    )
    print(
        "prompt timers: "
        + ", ".join(f"{r['status']}{'/' + r['error'] if r['error'] else ''}: {r['n']:,}" for r in states)
    )
    print(f"bot log WARNING/ERROR lines: {len(errors)}")
    for line in errors[:5]:
        print("   ", line[:200])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5)
    parser.add_argument("--lead", type=int, default=20, help="seconds between seeding and the due minute (min)")
    parser.add_argument("--first-day", action="store_true", help="no DM channel ids known yet")
    args = parser.parse_args()
    asyncio.run(main(args.members, args.rate, args.kill_at, args.lead, args.first_day))
