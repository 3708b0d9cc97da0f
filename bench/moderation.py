"""Moderation figures against the fake Discord.

    python bench/moderation.py [--records 200000] [--mine 1000] [--calls 300] [--reports 100] [--seconds 10]

1. `/mod history` round trip (until the ephemeral page is answered) for a member with `--mine` records
   among `--records` in one server. Target: p95 ≤ 20 ms.
2. `--reports` reports arriving within `--seconds` from different members (message command → reason
   modal → queue card → receipt), with the fake's global rate limit at Discord's 50 requests/s. Figures:
   how many reached the queue, the modal-submit round trip (until the receipt) and 429s. Target: all
   queued, p95 ≤ 50 ms, 0 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine, summary

from bot.db.connection import Database
from bot.db.migrate import migrate
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord

KINDS = ("warn", "note", "timeout", "privacy_violation", "privacy_override")


async def seed(path: Path, guild_id: int, member: int, records: int, mine: int) -> None:
    db = await Database.open(path)
    await migrate(db)
    await db.close()
    rng = random.Random(11)
    start = datetime.now(UTC) - timedelta(days=300)
    conn = sqlite3.connect(path)

    def rows():
        for i in range(records):
            subject = member if i % (records // mine) == 0 and i // (records // mine) < mine else 30_000_000 + i % 5000
            when = (start + timedelta(seconds=i * 120)).isoformat(timespec="seconds")
            yield (guild_id, i + 1, rng.choice(KINDS), subject, 42, None, "seeded reason text", "", when)

    conn.executemany(
        "INSERT INTO mod_cases (guild_id, number, kind, subject_id, moderator_id, channel_id, reason,"
        " identifier_kinds, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
        rows(),
    )
    conn.commit()
    mine_count = conn.execute("SELECT count(*) FROM mod_cases WHERE subject_id = ?", (member,)).fetchone()[0]
    conn.close()
    assert mine_count == mine, mine_count


async def main(records: int, mine: int, calls: int, reports: int, seconds: float) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            h = Harness(fake, path)
            await seed(path, h.guild.id, h.alice.id, records, mine)
            await h.start()
            await h.slash(h.admin, "setup role", {"kind": "moderator", "role": h.mod_role.id})
            h.guild.allow_command("mod", h.mod_role)
            queue = h.guild.add_text_channel("mod-queue")
            log = h.guild.add_text_channel("mod-log")
            await h.slash(h.admin, "setup channel", {"kind": "mod-queue", "channel": queue.id})
            await h.slash(h.admin, "setup channel", {"kind": "mod-log", "channel": log.id})
            for _ in range(20):
                await h.slash(h.mod, "mod history", {"member": h.alice.id})
            history: list[float] = []
            floor: list[float] = []
            service: list[float] = []
            svc = h.bot.services.moderation
            for i in range(calls):
                t0 = time.perf_counter()
                it = await h.slash(h.mod, "mod history", {"member": h.alice.id, "page": 1 + i % 100})
                history.append((time.perf_counter() - t0) * 1000)
                assert it.response.embeds and "page" in it.response.embeds[0]["description"]
                # the same round trip for a command that reads one tiny table: the fake + discord.py floor
                t0 = time.perf_counter()
                await h.slash(h.admin, "mod escalation")
                floor.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                cases, _, _ = await svc.history(h.guild.id, h.alice.id, i % 100)
                service.append((time.perf_counter() - t0) * 1000)
                assert len(cases) == 10

            # -- reports ------------------------------------------------------------------------------------
            reporters = []
            for i in range(reports):
                user = fake.add_user(f"reporter-{i}")
                h.guild.add_member(user)
                reporters.append(user)
            targets = [await fake.post_message(h.bob, h.general, f"message {i}") for i in range(reports)]
            fake.global_rate_limit = 50
            hits_before = fake.rate_limit_hits
            round_trips: list[float] = []
            failures: list[str] = []

            async def one(i: int) -> None:
                await asyncio.sleep(i * seconds / reports)
                user = reporters[i]
                opened = await fake.message_context(user, "Report to moderators", targets[i])
                if opened.response.type != 9:
                    failures.append(opened.response.content)
                    return
                field = opened.response.data["components"][0]["components"][0]["custom_id"]
                t0 = time.perf_counter()
                receipt = await fake.submit_modal(user, opened, {field: "shares someone's private details"})
                round_trips.append((time.perf_counter() - t0) * 1000)
                if "report #" not in (receipt.response.content or ""):
                    failures.append(receipt.response.content)

            t_start = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(reports)))
            elapsed = time.perf_counter() - t_start
            queued = len([m for m in fake.channel_messages(queue.id) if m.embeds])
            stored = await h.bot.services.db.fetchval("SELECT count(*) FROM mod_reports")
            hits = fake.rate_limit_hits - hits_before
            await h.stop()
        await fake.stop()
    print(f"machine: {machine()}; load average during the run {os.getloadavg()[0]:.2f}")
    print(f"database: {records:,} mod records in one server, {mine:,} of them about the member")
    print(f"/mod history round trip (ephemeral page of 10, pages 1-100): {summary(history)}")
    print(f"  floor: `/mod escalation` round trip in the same loop (one tiny query): {summary(floor)}")
    print(f"  service only: ModerationService.history (count + one page): {summary(service)}")
    print(
        f"{reports} reports from {reports} members over {elapsed:.1f} s (global limit 50 req/s): "
        f"{queued} queue cards, {stored} rows, {len(failures)} refused, {hits} 429s"
    )
    print(f"report modal submit → receipt round trip: {summary(round_trips)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--mine", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    asyncio.run(main(args.records, args.mine, args.calls, args.reports, args.seconds))
