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

from bot.db.connection import Database
from bot.db.core import DmChannelRepository
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.db.trainings import TrainingRepository
from bot.domain.trainings import Draft
from bot.services.trainings import REMIND_EVENT, reminder_key_prefix
from tests.fakediscord import FakeDiscord

TICKS = os.sysconf("SC_CLK_TCK")
LEAD_HOURS = 1


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


def reminders_by_member(fake: FakeDiscord, wanted: set[int]) -> tuple[Counter[int], int, list[float]]:
    """Reminder DMs per member, late-marked count, creation times."""
    owner = {chan.id: uid for uid, chan in fake.dm_channels.items() if uid in wanted}
    per_member: Counter[int] = Counter()
    late = 0
    times = []
    for message in list(fake.messages.values()):
        uid = owner.get(message.channel_id)
        if uid is None or message.author_id != fake.bot_user.id or not message.content.startswith("Reminder:"):
            continue
        per_member[uid] += 1
        late += "late — Harbor was offline" in message.content
        times.append(message.created_at)
    return per_member, late, sorted(times)


def delivered(fake: FakeDiscord) -> int:
    return sum(1 for m in list(fake.messages.values()) if m.author_id == fake.bot_user.id)


async def main(members: int, rate: int, kill_at: float, lead: int, trainings: int) -> None:
    fake = FakeDiscord()
    await fake.start()
    fake.global_rate_limit = rate
    owner = fake.add_user("owner")
    guild = fake.add_guild("Peer Network", owner=owner)
    users = [fake.add_user(f"member-{i}") for i in range(members)]
    wanted = {u.id for u in users}
    groups = [[u.id for u in users[i::trainings]] for i in range(trainings)]
    with tempfile.TemporaryDirectory() as tmp:
        db_path, log_path = Path(tmp) / "bench.db", Path(tmp) / "bot.log"
        start = datetime.now(UTC)
        due = (start + timedelta(seconds=lead)).replace(second=0, microsecond=0) + timedelta(minutes=1)
        t0 = time.perf_counter()
        channels = {u.id: fake.dm_channel(u).id for u in users}
        await seed(db_path, groups, guild.id, owner.id, due, channels)
        seeded = time.perf_counter() - t0
        bot = start_bot(fake, db_path, log_path)
        wait = (due - datetime.now(UTC)).total_seconds()
        print(
            f"seeded {trainings} training(s), {members:,} Going in {seeded:.1f} s; reminders due at "
            f"{due:%H:%M:%S} UTC (in {wait:.0f} s)",
            flush=True,
        )
        kill_after = int(members * kill_at)
        while delivered(fake) < kill_after:
            if bot.poll() is not None:
                raise SystemExit(f"bot exited early ({bot.returncode}):\n{log_path.read_text()[-3000:]}")
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
            line
            for line in log_path.read_text(errors="replace").splitlines()
            if ("ERROR" in line or "WARNING" in line) and "voice will NOT be supported" not in line
        ]
        db = await Database.open(db_path)
        states = await db.fetchall(
            "SELECT status, count(*) AS n FROM timers WHERE event = ? GROUP BY status", (REMIND_EVENT,)
        )
        ledger = await db.fetchval("SELECT count(*) FROM training_reminders_sent")
        await db.close()
    per_member, late, times = reminders_by_member(fake, wanted)
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
    window = [r for r in requests if first <= r.at <= last_dm and r.status != 429]
    print(f"machine: {machine()}")
    print(
        f"members: {members:,} Going over {trainings} training(s), reminders due in the same minute; "
        f"fake Discord global limit {rate} requests/s; DM channels known (1 request per DM)"
    )
    print(f"elapsed, first to last reminder: {last_dm - first:.1f} s (includes the kill and restart)")
    print(
        f"DMs/s before the kill: {rate1:.1f} ({rate1 / rate:.0%} of the limit); after the restart: {rate2:.1f} "
        f"({rate2 / rate:.0%}); overall incl. downtime: {overall:.1f} ({overall / rate:.0%})"
    )
    print(
        f"REST requests accepted/s while delivering: {len(window) / (last_dm - first):.1f}; message POSTs: "
        f"{len(posts_dm):,} (re-sent after the restart: {len(posts_dm) - members:,}); 429s: {fake.rate_limit_hits:,}"
    )
    print(f"lost: {lost}; doubled: {doubled}; late-marked: {late:,}; delivered before the kill: {at_kill:,}")
    print(f"bot CPU: {cpu1:.1f} s before the kill + {cpu2:.1f} s after; peak RSS: {rss1:.0f} MB / {rss2:.0f} MB")
    print("reminder timers: " + ", ".join(f"{r['status']}: {r['n']:,}" for r in states) + f"; ledger rows: {ledger:,}")
    print(f"bot log WARNING/ERROR lines: {len(errors)}")
    for line in errors[:8]:
        print("   ", line[:200])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5)
    parser.add_argument("--lead", type=int, default=20, help="seconds between seeding and the due minute (min)")
    parser.add_argument("--trainings", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.rate, args.kill_at, args.lead, args.trainings))
