"""Peer pairing: the pure matching for a big server, and a full `/pairing run` against the fake Discord.

    python bench/pairing.py [--members 2000] [--repeat 20] [--server 200] [--rate 50]

1. `make_groups` for N members with avoid lists and 3 rounds of history (the history is made by the
   matching itself, as in production), median/p95 over several seeds; plus a "crowded" variant where
   every member avoids 20 others.
2. `/pairing run` end to end for a smaller server: slash command → membership checks → one private
   thread per pair → members added → icebreaker, timed until the admin's follow-up arrives. The fake's
   global rate limit is set to Discord's 50 requests/s, so the figure is what Discord would allow.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine, summary

from bot.db.pairing import PairingRepository
from bot.domain.pairing import make_groups, pairs_of
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord


def _world(n: int, avoids_each: tuple[int, int], rng: random.Random) -> tuple[list[int], set[frozenset[int]]]:
    members = list(range(10_000, 10_000 + n))
    avoid: set[frozenset[int]] = set()
    for member in members:
        for other in rng.sample(members, rng.randint(*avoids_each)):
            if other != member:
                avoid.add(frozenset((member, other)))
    return members, avoid


def _history(members: list[int], avoid: set[frozenset[int]], rounds: int) -> list[tuple[tuple[int, ...], ...]]:
    past: list[tuple[tuple[int, ...], ...]] = []
    for seed in range(rounds):
        recent = {p for groups in past[-3:] for g in groups for p in pairs_of(g)}
        past.append(make_groups(members, avoid, recent, seed).groups)
    return past


def bench_matching(n: int, repeat: int, avoids_each: tuple[int, int], label: str) -> None:
    rng = random.Random(7)
    members, avoid = _world(n, avoids_each, rng)
    past = _history(members, avoid, 3)
    recent = {p for groups in past for g in groups for p in pairs_of(g)}
    times, unpaired, repeats, trios = [], [], [], []
    for seed in range(100, 100 + repeat):
        t0 = time.perf_counter()
        result = make_groups(members, avoid, recent, seed)
        times.append((time.perf_counter() - t0) * 1000)
        unpaired.append(len(result.unpaired))
        repeats.append(result.repeats)
        trios.append(sum(len(g) == 3 for g in result.groups))
        assert not any(p in avoid for g in result.groups for p in pairs_of(g))
    print(
        f"| matching, {n:,} members, {label}: {len(avoid):,} avoid pairs, {len(recent):,} recent pairs "
        f"| {summary(times)} | unpaired max {max(unpaired)}, repeats max {max(repeats)}, trios {max(trios)} |"
    )


async def bench_run(server: int, rate: int | None) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        with fake.patch_discord(), tempfile.TemporaryDirectory() as tmp:
            h = Harness(fake, Path(tmp) / "bench.db")
            users = []
            for i in range(server):
                user = fake.add_user(f"peer-{i}")
                h.guild.add_member(user)
                users.append(user)
            pairing = h.guild.add_text_channel("pairing")
            await h.start()
            await h.slash(h.admin, "setup channel", {"kind": "pairing", "channel": pairing.id})
            repo = PairingRepository(h.bot.services.db)
            rng = random.Random(3)
            now = datetime.now(UTC)
            ids = [u.id for u in users]
            avoid: set[frozenset[int]] = set()
            for uid in ids:
                await repo.join(h.guild.id, uid, now)
                for other in rng.sample(ids, rng.randint(0, 3)):
                    if other != uid:
                        await repo.add_avoid(h.guild.id, uid, other, now)
                        avoid.add(frozenset((uid, other)))
            for index, groups in enumerate(_history(ids, avoid, 3)):
                past = await repo.create_round(
                    h.guild.id,
                    f"bench:{index}",
                    pairing.id,
                    index,
                    now - timedelta(weeks=3 - index),
                    [(g, "hi") for g in groups],
                    [],
                )
                await repo.finish_round(past.id, now)
            fake.global_rate_limit = rate
            before = len(fake.requests)
            t0 = time.perf_counter()
            it = await h.slash(h.admin, "pairing run")
            await it.wait_followups(1, timeout=600)
            elapsed = time.perf_counter() - t0
            threads = fake.threads(pairing.id)
            requests = len(fake.requests) - before
            print(
                f"| `/pairing run`, {server} members (fake Discord, global limit "
                f"{f'{rate}/s' if rate else 'off'}) | {elapsed:.2f} s | {len(threads)} private threads, "
                f"{requests} REST requests ({requests / elapsed:.0f}/s), "
                f"{fake.rate_limit_hits} 429s retried by discord.py |"
            )
            await h.stop()
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--server", type=int, default=200)
    parser.add_argument("--rate", type=int, default=50)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)  # 429 retries are expected under the rate limit
    print(f"Machine: {machine()}\n")
    print("| measure | result | notes |\n| --- | --- | --- |")
    bench_matching(args.members, args.repeat, (0, 3), "0–3 avoids each")
    bench_matching(args.members + 1, args.repeat, (0, 3), "odd count, 0–3 avoids each")
    bench_matching(args.members, max(3, args.repeat // 4), (20, 20), "crowded: 20 avoids each")
    asyncio.run(bench_run(args.server, None))
    asyncio.run(bench_run(args.server, args.rate))


if __name__ == "__main__":
    main()
