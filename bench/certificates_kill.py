"""A training's end with 200 attendees, the bot SIGKILLed halfway through the certificates, and a restart.

    python bench/certificates_kill.py [--attendees 200] [--kill-at 0.5]

The bot runs as a subprocess (`python -m bot`, as `harbor run` would) against the fake Discord in this
process. The database is seeded with a training that ended, its attendees and its end timer due a few
seconds after start-up. After `--kill-at` of the certificate DMs arrived, the bot is SIGKILLed and started
again. Prints: CE entries per attendee (must be exactly 1), certificate DMs per attendee (exactly 1: a DM
re-sent after the kill carries the same nonce and the fake drops the duplicate), files kept, timings.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine
from _subprocess import KilledRun, log_problems, print_log

from bot.db.attendance import AttendanceRepository
from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.timers import TimerRepository
from bot.db.trainings import TrainingRepository
from bot.domain.trainings import Draft
from bot.services.attendance import END_EVENT, end_key
from tests.fakediscord import FakeDiscord


async def seed(path: Path, guild_id: int, trainer_id: int, user_ids: list[int], due: datetime) -> int:
    """A 60-minute, 2 CE-hour training that ended an hour ago, its attendees, and its end timer at `due`."""
    db = await Database.open(path)
    await migrate(db)
    now = datetime.now(UTC)
    starts = (now - timedelta(hours=2)).replace(microsecond=0)
    draft = Draft("Trauma-informed care in peer support", "", starts, 60, 2.0, "ethics", "", None)
    training_id = await TrainingRepository(db).create(guild_id, trainer_id, draft, starts - timedelta(days=7))
    attendance = AttendanceRepository(db)
    async with db.transaction():
        for user_id in user_ids:
            await attendance.mark(training_id, user_id, "code", user_id, starts + timedelta(minutes=5))
        ends_at = starts + timedelta(minutes=60)
        await TimerRepository(db).insert(
            END_EVENT,
            due,
            {"training_id": training_id, "ends_at": ends_at.isoformat()},
            now=now,
            guild_id=guild_id,
            key=end_key(training_id),
        )
    await db.close()
    return training_id


def certificate_dms(fake: FakeDiscord, wanted: set[int]) -> Counter[int]:
    """Certificate DMs (a message with a PDF) per attendee."""
    owner = {chan.id: uid for uid, chan in fake.dm_channels.items() if uid in wanted}
    counts: Counter[int] = Counter()
    for message in list(fake.messages.values()):
        uid = owner.get(message.channel_id)
        if uid is not None and any(name.endswith(".pdf") for name, _ in message.files):
            counts[uid] += 1
    return counts


async def main(attendees: int, kill_at: float, lead: int) -> None:
    """Seed, run, kill, restart, count."""
    fake = FakeDiscord()
    await fake.start()
    owner = fake.add_user("owner")
    guild = fake.add_guild("Peer Network", owner=owner)
    guild.add_member(owner)
    users = [fake.add_user(f"attendee-{i}") for i in range(attendees)]
    for user in users:
        guild.add_member(user)
    wanted = {u.id for u in users}
    with tempfile.TemporaryDirectory() as tmp:
        db_path, log_path = Path(tmp) / "bench.db", Path(tmp) / "bot.log"
        due = datetime.now(UTC) + timedelta(seconds=lead)
        training_id = await seed(db_path, guild.id, owner.id, sorted(wanted), due)
        run = KilledRun(fake, db_path, log_path)
        run.start()
        await run.until(lambda: sum(certificate_dms(fake, wanted).values()), int(attendees * kill_at))
        at_kill = run.kill(lambda: sum(certificate_dms(fake, wanted).values()))
        print(f"SIGKILL after {at_kill} certificate DMs ({run.killed_at - run.started:.1f} s after start)", flush=True)
        await run.restart_and_drain(lambda: sum(certificate_dms(fake, wanted).values()), attendees, stall_s=15)
        await fake.stop()
        db = await Database.open(db_path)
        entries = await db.fetchall(
            "SELECT user_id, count(*) AS n FROM ce_entries WHERE source = ? GROUP BY user_id",
            (f"training:{training_id}",),
        )
        files = await db.fetchval("SELECT count(*) FROM certificate_files")
        credited = await db.fetchval(
            "SELECT count(*) FROM training_attendance WHERE credited_at IS NOT NULL AND training_id = ?", (training_id,)
        )
        status = await db.fetchval("SELECT status FROM trainings WHERE id = ?", (training_id,))
        timer = await db.fetchval("SELECT status FROM timers WHERE key = ?", (end_key(training_id),))
        await db.close()
        errors = log_problems(log_path, words=(" ERROR ",))
    per_entry = Counter(r["n"] for r in entries)
    dms = certificate_dms(fake, wanted)
    print(f"machine: {machine()}")
    print(f"attendees: {attendees}; SIGKILL after {at_kill} certificate DMs, restart 1 s later")
    print(f"  after the restart, the rest took {run.finished - run.restarted_at - 3:.1f} s (incl. start-up)")
    print(
        f"  CE entries per attendee: {dict(sorted(per_entry.items()))} (attendees without one: "
        f"{attendees - len(entries)}); credited rows: {credited}; files kept: {files}"
    )
    print(
        f"  certificate DMs per attendee: lost {sum(1 for u in wanted if dms[u] == 0)}, "
        f"doubled {sum(1 for u in wanted if dms[u] > 1)}; training status: {status}; end timer: {timer}"
    )
    print(
        f"  bot CPU {run.cpu1:.1f} s + {run.cpu2:.1f} s; peak RSS {run.rss1:.0f} MB / {run.rss2:.0f} MB; "
        f"429s: {fake.rate_limit_hits}"
    )
    print_log(errors, 3, heading="  bot log ERROR lines")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=200)
    parser.add_argument("--kill-at", type=float, default=0.5)
    parser.add_argument("--lead", type=int, default=8, help="seconds between seeding and the end timer")
    args = parser.parse_args()
    asyncio.run(main(args.attendees, args.kill_at, args.lead))
