"""The resource library at scale: FTS5 search over 100,000 generated entries, the `/resource search` round trip
against the fake Discord, and importing a 5,000-row CSV.

    python bench/resources.py [--rows 100000] [--queries 1000] [--calls 300] [--imports 3]

Targets (PRODUCT.md / issue 6): the search query itself p95 ≤ 5 ms; the whole `/resource search` round trip
p95 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import machine, summary

from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.resources import CANDIDATES, ResourceRepository, _ranked
from bot.domain.search import fts_query
from bot.services.resources import ResourceService
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord

GUILD_ROWS_SHARE = 0.9  # 90 % of entries in the benchmarked server, the rest in another server
TOPIC = (
    "recovery peer support coach counselor naloxone overdose harm reduction fentanyl test strips syringe services "
    "buprenorphine methadone medication treatment relapse prevention craving coping skills mindfulness burnout "
    "compassion fatigue self care boundaries ethics confidentiality supervision trauma informed care motivational "
    "interviewing stages change family support youth veterans housing employment reentry justice court drug court "
    "crisis line suicide prevention safety planning grief loss shame stigma language person first wellness sleep "
    "nutrition exercise meditation journaling worksheet training webinar certification continuing education "
    "hours ethics module toolkit guide handbook checklist flyer brochure podcast video article study research "
    "evidence based practice group facilitation meeting smart recovery twelve step alcohol opioid stimulant "
    "cannabis gambling tobacco vaping pregnancy parenting women men lgbtq rural tribal spanish resource directory"
).split()


STOPWORDS = (
    "the and of to a in for with how your on is from what you it by an at about when as "
    "or be this are can that who after"
).split()
ZIPF_RANKS = 20_000


class Vocabulary:
    """Words with Zipf frequencies (rank k ∝ 1/k): function words first, then topic words, then generated ones.

    This is what real titles and descriptions look like: a few words are in almost every entry ("the",
    "and"), a topic word like "recovery" is in roughly one entry in ten, and most words are rare.
    """

    def __init__(self, rng: random.Random) -> None:
        # 80 syllables, 2–3 per word: a 3-letter prefix is shared by a few hundred words and a 5-letter one
        # by a handful, about as in English.
        syllables = [
            *[c + v for c in "bdfgklmnprstvz" for v in "aeiou"][:70],
            "bre",
            "stan",
            "qui",
            "fel",
            "mar",
            "dro",
            "sch",
            "tho",
            "wen",
            "yal",
        ]
        made: set[str] = set()
        while len(made) < ZIPF_RANKS - len(STOPWORDS) - len(TOPIC):
            made.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))))
        self.words = list(STOPWORDS) + TOPIC + sorted(made)
        self.content_start = len(STOPWORDS)
        weights = [1 / (k + 1) for k in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.content_cumulative = list(itertools.accumulate(weights[self.content_start :]))
        self.rng = rng

    def text(self, k: int) -> list[str]:
        """k words of running text."""
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def query_words(self, k: int) -> list[str]:
        """k words a member would search for: content words, common ones more often."""
        return self.rng.choices(self.words[self.content_start :], cum_weights=self.content_cumulative, k=k)


def seed(path: Path, rows: int, guild: int, other: int, rng: random.Random) -> Vocabulary:
    """Write `rows` entries straight into a migrated database (the FTS triggers index them)."""
    vocab = Vocabulary(rng)
    tags = TOPIC[:80]
    now = datetime.now(UTC)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    batch, tag_rows = [], []
    for i in range(1, rows + 1):
        title = " ".join(vocab.text(rng.randint(3, 8))).capitalize()
        description = " ".join(vocab.text(rng.randint(15, 60))) + "."
        chosen = sorted(set(rng.sample(tags, rng.randint(1, 4))))
        approved = (now - timedelta(minutes=i)).isoformat(timespec="seconds")
        status = "approved" if rng.random() > 0.02 else "pending"
        batch.append(
            (
                i,
                guild if rng.random() < GUILD_ROWS_SHARE else other,
                title,
                f"https://example.org/r/{i}",
                description,
                " ".join(chosen),
                status,
                1000 + i % 500,
                approved,
                approved,
                approved if status == "approved" else None,
                approved if status == "approved" else None,
            )
        )
        tag_rows.extend((i, t) for t in chosen)
    conn.executemany(
        "INSERT INTO resources (id, guild_id, title, url, description, tags, status, author_id, created_at,"
        " updated_at, approved_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        batch,
    )
    conn.executemany("INSERT INTO resource_tags (resource_id, tag) VALUES (?, ?)", tag_rows)
    conn.execute("INSERT INTO resources_fts (resources_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return vocab


def queries(rng: random.Random, vocab: Vocabulary, n: int) -> list[str]:
    """What members type: one to three words, often a prefix of a common word, sometimes with FTS syntax."""
    out = []
    for _ in range(n):
        words = vocab.query_words(rng.choice([1, 1, 2, 2, 3]))
        if rng.random() < 0.3:
            words[-1] = words[-1][: max(3, len(words[-1]) - 2)]  # autocomplete-style prefix
        text = " ".join(words)
        if rng.random() < 0.05:
            text = f'"{text}" -x* NEAR(a'
        out.append(text)
    return out


async def bench_queries(
    path: Path, guild: int, texts: list[str]
) -> tuple[list[float], list[float], int, tuple[int, int, list[float]]]:
    """The query itself: raw SQL (the repository's statements) and through the repository (aiosqlite)."""
    db = await Database.open(path)
    repo = ResourceRepository(db)
    raw = sqlite3.connect(path)
    sql_ms, repo_ms, exact_ms, empty, fallbacks, broad = [], [], [], 0, 0, 0
    for text in texts[:50]:  # warm the page cache
        await repo.search(guild, fts_query(text), limit=6)
    for text in texts:
        match = fts_query(text)
        t0 = time.perf_counter()
        found = await repo.search(guild, match, limit=6)
        repo_ms.append((time.perf_counter() - t0) * 1000)
        empty += not found
        t0 = time.perf_counter()
        rows = raw.execute(_ranked("", capped=True), (match, guild, 6, 0)).fetchall()
        broad += rows[0][0] >= CANDIDATES
        if rows[0][0] >= CANDIDATES and sum(r[1] is not None for r in rows) < 6:  # the repository's fallback
            fallbacks += 1
            raw.execute(_ranked("", capped=False), (match, guild, 6, 0)).fetchall()
        sql_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        raw.execute(_ranked("", capped=False), (match, guild, 6, 0)).fetchall()
        exact_ms.append((time.perf_counter() - t0) * 1000)
    raw.close()
    await db.close()
    return sql_ms, repo_ms, empty, (broad, fallbacks, exact_ms)


def import_csv(rng: random.Random, vocab: Vocabulary, rows: int, run: int) -> bytes:
    lines = ["title,url,description,tags"]
    for i in range(rows):
        title = " ".join(vocab.text(5)).capitalize()
        description = " ".join(vocab.text(8))  # ~170 bytes a row: 5,000 rows fit the 1 MB limit
        lines.append(
            f'"{title}",https://import{run}.example.org/{i}?utm_source=bench,"{description}",'
            f'"{", ".join(rng.sample(TOPIC[:40], 2))}"'
        )
    return ("\n".join(lines) + "\n").encode()


async def main(rows: int, n_queries: int, calls: int, imports: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = await Database.open(path)
        await migrate(db)
        await db.close()
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            h = Harness(fake, path)
            guild, other = h.guild.id, h.guild.id + 1
            t0 = time.perf_counter()
            vocab = seed(path, rows, guild, other, rng)
            seed_s = time.perf_counter() - t0
            size_mb = path.stat().st_size / 1024 / 1024
            texts = queries(rng, vocab, n_queries)
            sql_ms, repo_ms, empty, fallbacks = await bench_queries(path, guild, texts)

            await h.start()
            try:
                round_ms, direct_s, e2e_s = await bench_bot(h, rng, vocab, texts, calls, imports, other)
            finally:
                await h.stop()
        await fake.stop()
    report(
        rows, n_queries, vocab, seed_s, size_mb, empty, fallbacks, sql_ms, repo_ms, round_ms, direct_s, e2e_s, imports
    )


async def bench_bot(
    h: Harness, rng: random.Random, vocab: Vocabulary, texts: list[str], calls: int, imports: int, other: int
) -> tuple[list[float], list[float], list[float]]:
    """The round trips through the fake Discord and the imports."""
    for text in texts[:20]:  # warm-up
        await h.slash(h.alice, "resource search", {"query": text})
    round_ms = []
    for text in texts[:calls]:
        t0 = time.perf_counter()
        it = await h.slash(h.alice, "resource search", {"query": text[:200]})
        round_ms.append((time.perf_counter() - t0) * 1000)
        assert it.response.ephemeral and it.response.embeds

    service = ResourceService.from_services(h.bot.services)
    direct_s, e2e_s = [], []
    for run in range(imports):
        data = import_csv(rng, vocab, 5000, run)
        t0 = time.perf_counter()
        result = await service.import_csv(other + 10 + run, h.admin.id, data)
        direct_s.append(time.perf_counter() - t0)
        assert len(result.imported) == 5000, (len(result.refused), result.refused[:3])
        data = import_csv(rng, vocab, 5000, 100 + run)
        t0 = time.perf_counter()
        it = await h.slash(h.admin, "resource import", {"file": ("bench.csv", data, "text/csv")}, timeout=60)
        reply = (await it.wait_followups(1, timeout=60))[0]
        e2e_s.append(time.perf_counter() - t0)
        assert "Imported **5000**" in reply.content, reply.content
    return round_ms, direct_s, e2e_s


def report(
    rows: int,
    n_queries: int,
    vocab: Vocabulary,
    seed_s: float,
    size_mb: float,
    empty: int,
    fallbacks: tuple[int, int, list[float]],
    sql_ms: list[float],
    repo_ms: list[float],
    round_ms: list[float],
    direct_s: list[float],
    e2e_s: list[float],
    imports: int,
) -> None:
    """Print the figures."""
    in_guild = round(rows * GUILD_ROWS_SHARE)
    print(f"machine: {machine()}")
    print(
        f"data: {rows:,} resources (~{in_guild:,} in the searched server, 2 % pending), "
        f"{len(vocab.words):,}-word Zipf vocabulary, database {size_mb:.0f} MB, seeded in {seed_s:.1f} s"
    )
    print(
        f"queries: {n_queries:,} generated (1–3 words, 30 % prefixes, 5 % with FTS syntax); "
        f"{empty} returned nothing; {fallbacks[0]} were broad (≥ {CANDIDATES:,} matches: ranked among their "
        f"{CANDIDATES:,} newest), {fallbacks[1]} of those needed the exact fallback (short page)"
    )
    print(f"search query, SQL only (sqlite3, the repository's statements): {summary(sql_ms)}")
    print(f"search query, repository (aiosqlite): {summary(repo_ms)}")
    print(f"  for comparison, exact bm25 over every match (no candidate cap), SQL only: {summary(fallbacks[2])}")
    print(f"/resource search round trip (fake Discord): {summary(round_ms)}")
    print(
        f"import 5,000-row CSV, service (validate + dedupe + insert): median "
        f"{statistics.median(direct_s):.2f} s over {imports} runs (min {min(direct_s):.2f}, max {max(direct_s):.2f})"
    )
    print(
        f"/resource import 5,000 rows round trip (fake Discord, incl. download): median "
        f"{statistics.median(e2e_s):.2f} s over {imports} runs (min {min(e2e_s):.2f}, max {max(e2e_s):.2f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--imports", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.queries, args.calls, args.imports))
