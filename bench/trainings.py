"""RSVP storm: 500 members click Going on a 100-seat training through the fake Discord.

Two runs, each on a fresh bot and database: the product's storm (500 clicks arriving evenly over 10 s, each
click sent when its moment comes, whatever is still in flight) and a saturation run (25 clicks always in
flight, as fast as the bot answers: the queueing a burst far above the target would see). Prints the click
round trip (p50/p95), how many ended Going and waitlisted, that waitlist places are 1…400 in click order, the
number of announcement edits and the 429s. Run: `python -m bench.trainings [--seconds 10]`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench._common import machine, summary
from tests.conftest import FakeClock
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord

MEMBERS, SEATS, CONCURRENCY = 500, 100, 25
FORM = {
    "training:title": "Bench training",
    "training:start": "tomorrow 18:30",
    "training:details": "60 min, 1, ethics",
}


async def storm(seconds: float | None) -> None:
    """One storm: paced over `seconds`, or saturating with CONCURRENCY in flight when None; print figures."""
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            h = Harness(fake, Path(tmp) / "bench.db", clock=FakeClock(datetime(2026, 12, 2, 12, tzinfo=UTC)))
            users = [fake.add_user(f"m{i}") for i in range(MEMBERS)]
            for user in users:
                h.guild.add_member(user)
            await h.start()
            try:
                channel = h.guild.add_text_channel("announcements")
                await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": channel.id})
                opened = await h.slash(h.admin, "training create", {"capacity": SEATS})
                preview = await fake.submit_modal(h.admin, opened, FORM)
                done = await fake.click(h.admin, preview.original(), "training:post")
                tid = int(re.search(r"#(\d+)", done.response.content).group(1))  # type: ignore[union-attr]
                card = fake.channel_messages(channel.id)[-1]
                patches_before = sum(1 for r in fake.requests if r.method == "PATCH" and str(card.id) in r.path)
                gate = asyncio.Semaphore(CONCURRENCY if seconds is None else MEMBERS)
                times: list[float] = []
                places: dict[int, int] = {}  # click index -> waitlist place
                t0 = time.perf_counter()

                async def click(index: int, user: object) -> None:
                    if seconds is not None:  # arrive at its moment of the storm
                        await asyncio.sleep(max(0.0, t0 + index * seconds / MEMBERS - time.perf_counter()))
                    async with gate:
                        started = time.perf_counter()
                        reply = await fake.click(user, card, f"harbor:tr:going:{tid}")  # type: ignore[arg-type]
                        times.append((time.perf_counter() - started) * 1000)
                        found = re.search(r"#(\d+) on the waitlist", reply.response.content or "")
                        if found:
                            places[index] = int(found.group(1))

                await asyncio.gather(*(click(i, u) for i, u in enumerate(users)))
                storm_s = time.perf_counter() - t0
                await h.bot.get_cog("Trainings").updater.flush()  # type: ignore[union-attr]
                db = h.bot.services.db
                going = await db.fetchval("SELECT count(*) FROM training_rsvps WHERE answer = 'going'")
                waiting = await db.fetchval("SELECT count(*) FROM training_rsvps WHERE answer = 'waitlist'")
                patches = sum(1 for r in fake.requests if r.method == "PATCH" and str(card.id) in r.path)
            finally:
                await h.stop()
        await fake.stop()
    how = f"arriving evenly over {seconds:g} s" if seconds is not None else f"{CONCURRENCY} always in flight"
    print(f"RSVP storm: {MEMBERS} clicks on {SEATS} seats, {how}; took {storm_s:.2f} s")
    print(f"  click round trip: {summary(times)}")
    print(
        f"  going {going}, waitlisted {waiting}; waitlist places 1..{len(places)} unique: "
        f"{sorted(places.values()) == list(range(1, len(places) + 1))}"
        + (
            f", in arrival order: {[places[i] for i in sorted(places)] == list(range(1, len(places) + 1))}"
            if seconds is not None
            else ""
        )
    )
    print(f"  announcement edits: {patches - patches_before}; 429s: {fake.rate_limit_hits}")


async def main(seconds: float) -> None:
    """The product's storm, then the saturation run."""
    print(f"machine: {machine()}")
    await storm(seconds)
    await storm(None)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the paced storm lasts")
    asyncio.run(main(parser.parse_args().seconds))
