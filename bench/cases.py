"""Reply scanning in case threads: 50 replies/s across 20 threads, 10 % with identifiers.

Measures, through the fake Discord (same process, so the figures include its cost), the time from a reply
being posted to Harbor's delete request (p50/p95), missed leaks, clean replies deleted, CPU and RSS.

    .venv/bin/python -m bench.cases [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import tempfile
import time
from pathlib import Path

from bench._common import machine, pct, rss_mb
from tests.e2e.harness import Harness
from tests.e2e.test_cases_new import CLEAN, open_case, ready
from tests.fakediscord import FakeDiscord

CLEAN_REPLIES = (
    "Have you asked what support would look like to them?",
    "I would slow down and let them set the pace.",
    "We used a shared calendar for group reminders; it helped.",
    "Boundaries first, then the ride question.",
)
LEAKS = ("Call her at 215-555-0134.", "Email dana.ruiz@example.com", "His SSN is 078-05-1120.", "MRN 48213377")


async def main(seconds: float, rate: int, threads: int) -> None:
    """Run the load and print the figures."""
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            h = Harness(fake, Path(tmp) / "bench.db")
            await h.start()
            cases = await ready(h, h.alice)
            for i in range(threads):
                await open_case(h, h.alice, {**CLEAN, "case:title": f"Case {i}"})
            case_threads = fake.threads(cases.id)
            assert len(case_threads) == threads
            cpu0 = resource.getrusage(resource.RUSAGE_SELF)
            posted: list[tuple[float, object, bool]] = []
            total = int(seconds * rate)
            start = time.perf_counter()
            for n in range(total):
                target = start + n / rate
                delay = target - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                leak = n % 10 == 0
                text = LEAKS[n % len(LEAKS)] if leak else CLEAN_REPLIES[n % len(CLEAN_REPLIES)]
                t0 = time.time()
                msg = await fake.post_message(h.bob, case_threads[n % threads], text)
                posted.append((t0, msg, leak))
            posting = time.perf_counter() - start
            await asyncio.sleep(2)  # let the last deletes land
            cpu1 = resource.getrusage(resource.RUSAGE_SELF)
            deletes = {
                r.path.rsplit("/", 1)[1]: r.at for r in fake.requests if r.method == "DELETE" and "/messages/" in r.path
            }
            latencies = [(deletes[str(m.id)] - t0) * 1000 for t0, m, leak in posted if leak and str(m.id) in deletes]  # type: ignore[attr-defined]
            missed = sum(1 for _, m, leak in posted if leak and str(m.id) not in deletes)  # type: ignore[attr-defined]
            wrong = sum(1 for _, m, leak in posted if not leak and str(m.id) in deletes)  # type: ignore[attr-defined]
            elapsed = time.perf_counter() - start
            cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
            print(machine())
            print(
                f"replies: {total} in {posting:.1f} s ({total / posting:.1f}/s) across {threads} threads, "
                f"{sum(p[2] for p in posted)} with identifiers"
            )
            if latencies:
                print(
                    f"arrival -> delete request: p50={pct(latencies, 50):.1f} ms p95={pct(latencies, 95):.1f} ms "
                    f"max={max(latencies):.1f} ms"
                )
            print(f"missed: {missed}  clean deleted: {wrong}")
            print(
                f"CPU (bot + fake, one process): {cpu:.2f} s = {100 * cpu / elapsed:.0f} % of one core; "
                f"RSS {rss_mb():.0f} MB"
            )
            await h.stop()
        await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.rate, args.threads))
