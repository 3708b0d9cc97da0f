"""`/ce status` round trip against the fake Discord, on a database with 100k CE entries.

    python bench/ce.py [--entries 100000] [--mine 500] [--calls 300]

The chart is measured three ways (worker process as shipped, thread fallback, stubbed out).
The member has `--mine` entries across 3 credentials (PA CRS, PA CPS, NAADAC NCAC I); the rest belong to
1,000 other members. Figures: the command round trip (until the embeds are answered), the round trip until
the chart follow-up arrives (rendered with matplotlib in a worker thread), the chart render alone and the
status query alone. Target (PRODUCT.md): slash command answered p95 ≤ 20 ms.
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import machine, summary

from bot.db.ce import CeRepository
from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.domain.ce_chart import render_progress
from bot.services.ce import CeService
from cogs.ce._charts import ChartRenderer
from cogs.ce._format import chart_bars
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105b1f8a90000000049454e44ae426082"
)
CATEGORIES = ("general", "general", "ethics", "confidentiality", "peer-specific")


async def seed(path: Path, member: int, entries: int, mine: int) -> None:
    db = await Database.open(path)
    await migrate(db)
    templates = {t.name: t.id for t in await CeRepository(db).templates(None)}
    await db.close()
    rng = random.Random(7)
    today = datetime.now(UTC).date()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO ce_credentials (user_id, guild_id, template_id, expires_on, number, created_at)"
        " VALUES (?, 1, ?, ?, ?, ?)",
        [
            (member, templates[name], (today + timedelta(days=days)).isoformat(), f"N-{i}", stamp)
            for i, (name, days) in enumerate((("PA CRS", 200), ("PA CPS", 420), ("NAADAC NCAC I", 640)))
        ],
    )

    def rows():
        for i in range(entries):
            user = member if i < mine else 20_000_000 + i % 1000
            day: date = today - timedelta(days=rng.randrange(0, 1100))
            yield (
                user,
                f"Training {i} ✨",
                "Provider",
                day.isoformat(),
                rng.randrange(1, 17),
                rng.choice(CATEGORIES),
                None,
                stamp,
            )

    conn.executemany(
        "INSERT INTO ce_entries (user_id, title, provider, completed_on, quarters, category, certificate_url,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    conn.commit()
    conn.close()


def timed(samples: list[float], t0: float) -> None:
    samples.append((time.perf_counter() - t0) * 1000)


async def main(entries: int, mine: int, calls: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            h = Harness(fake, path)
            await seed(path, h.alice.id, entries, mine)
            await h.start()
            service = CeService.from_services(h.bot.services)
            cog = h.bot.cogs["ContinuingEducation"]

            class Stub:
                async def render(self, bars):
                    return PNG_1PX

            # The same command three ways: the chart in the worker process (as shipped), in a thread of the
            # bot's process (the fallback), and with the render stubbed out (bench only: the chart's share).
            results = {}
            shipped = cog.charts
            for label, renderer in (
                ("worker process", cog.charts),
                ("thread", ChartRenderer(use_process=False)),
                ("stubbed", Stub()),
            ):
                cog.charts = renderer
                for _ in range(10):  # warm-up (the first chart starts the worker and imports matplotlib)
                    it = await h.slash(h.alice, "ce status")
                    await it.wait_followups(1, timeout=30)
                answered, with_chart = [], []
                for _ in range(calls):
                    t0 = time.perf_counter()
                    it = await h.slash(h.alice, "ce status")
                    timed(answered, t0)
                    await it.wait_followups(1)
                    timed(with_chart, t0)
                    assert len(it.response.embeds) == 3 and it.followups[0].files
                results[label] = (answered, with_chart)
            cog.charts = shipped
            query, render = [], []
            for _ in range(calls):
                t0 = time.perf_counter()
                standings = await service.standings(h.alice.id)
                timed(query, t0)
            bars = chart_bars(standings)
            for _ in range(min(calls, 100)):
                t0 = time.perf_counter()
                png = render_progress(bars)
                timed(render, t0)
            counted = sum(s.progress.earned for s in standings) / 4
            await h.stop()
        await fake.stop()
    print(f"machine: {machine()}; load average during the run {os.getloadavg()[0]:.2f}")
    print(
        f"database: {entries:,} CE entries ({mine} of them the member's, across 3 credentials; "
        f"{counted:g} h in the current cycles); 1,000 other members"
    )
    for label, (answered, with_chart) in results.items():
        print(f"/ce status answered (embeds), chart via {label}: {summary(answered)}")
        if label != "stubbed":
            print(f"/ce status until the chart follow-up arrived, chart via {label}: {summary(with_chart)}")
    print(f"status query alone (3 credentials, one entries query): {summary(query)}")
    print(
        f"chart render alone (matplotlib Agg, {len(bars)} bars, {len(png):,} bytes, called directly): {summary(render)}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--mine", type=int, default=500)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main(args.entries, args.mine, args.calls))
