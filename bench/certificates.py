"""Certificates at the end of a training: 200 attendees → 200 CE entries, PDFs generated, stored and DM'd.

Runs through the fake Discord: 200 members attend with the code, the clock moves to the end and the end
timer fires. Prints the total time from the end timer to the last certificate DM, the time per PDF (the
fpdf2 call alone, measured separately on the same texts), the DM pacing share, the peak RSS of the process
(bot + fake Discord) and the 429s. Run: `python -m bench.certificates`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench._common import machine, summary
from bot.domain.certificates import CertificateText, certificate_pdf
from tests.conftest import FakeClock
from tests.e2e.harness import Harness
from tests.fakediscord import FakeDiscord

ATTENDEES, CONCURRENCY = 200, 25
FORM = {
    "training:title": "Trauma-informed care in peer support",
    "training:start": "tomorrow 18:30",
    "training:details": "120 min, 2, ethics",
}


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def member_name(i: int) -> str:
    """Every tenth name needs a font beyond Latin-1 (Cyrillic, emoji), like a real server's."""
    return f"Алёна Зоя {i} 🌱" if i % 10 == 0 else f"Member Nº{i} Ünal-Øster"


def pdf_times() -> tuple[list[float], list[float], int]:
    """fpdf2 alone, one certificate per attendee (ms): Latin-1 names, other names; average size in bytes."""
    latin, other, sizes = [], [], []
    for i in range(ATTENDEES):
        text = CertificateText(
            member_name(i),
            FORM["training:title"],
            date(2026, 12, 3),
            2,
            "ethics",
            "ada",
            "Peer Network",
            f"HBR-AAAA-{i:04d}",
        )
        t0 = time.perf_counter()
        sizes.append(len(certificate_pdf(text)))
        (other if i % 10 == 0 else latin).append((time.perf_counter() - t0) * 1000)
    return latin, other, sum(sizes) // len(sizes)


async def main() -> None:
    """Run once and print figures."""
    logging.basicConfig(level=logging.WARNING)
    start = datetime(2026, 12, 2, 12, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeDiscord()
        await fake.start()
        with fake.patch_discord():
            clock = FakeClock(start)
            h = Harness(fake, Path(tmp) / "bench.db", clock=clock, manual_timers=True)
            users = [fake.add_user(member_name(i)) for i in range(ATTENDEES)]
            for user in users:
                h.guild.add_member(user)
            await h.start()
            try:
                channel = h.guild.add_text_channel("announcements")
                await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": channel.id})
                opened = await h.slash(h.admin, "training create")
                preview = await fake.submit_modal(h.admin, opened, FORM)
                done = await fake.click(h.admin, preview.original(), "training:post")
                tid = int(re.search(r"#(\d+)", done.response.content).group(1))  # type: ignore[union-attr]
                panel = await h.slash(h.admin, "training code", {"id": tid})
                code = re.search(r"/training attend ([A-Z0-9]{6})", panel.response.content).group(1)  # type: ignore[union-attr]
                clock.advance(hours=30, minutes=25)
                gate = asyncio.Semaphore(CONCURRENCY)

                async def attend(user: object) -> None:
                    async with gate:
                        reply = await h.slash(user, "training attend", {"code": code})  # type: ignore[arg-type]
                        assert "Recorded" in (reply.response.content or "")

                await asyncio.gather(*(attend(u) for u in users))
                rss_before = rss_mb()
                clock.advance(hours=2, minutes=10)
                requests_before = len(fake.requests)
                t0 = time.perf_counter()
                fired = await h.bot.services.timers.fire_due()
                while sum(1 for u in users if fake.dms(u)) < ATTENDEES:
                    await asyncio.sleep(0.05)
                total_s = time.perf_counter() - t0
                rss_after = rss_mb()
                dm_requests = sum(1 for r in fake.requests[requests_before:] if r.method == "POST")
                db = h.bot.services.db
                entries = await db.fetchval("SELECT count(*) FROM ce_entries WHERE source = ?", (f"training:{tid}",))
                stored = await db.fetchone("SELECT count(*) AS n, sum(size) AS bytes FROM certificate_files")
                doubled = sum(1 for u in users if len(fake.dms(u)) > 1)
            finally:
                await h.stop()
        await fake.stop()
    latin, other, avg_size = pdf_times()
    print(f"machine: {machine()}")
    print(f"certificates: {ATTENDEES} attendees at the end of one training (timers fired: {fired})")
    print(f"  end timer → last certificate DM: {total_s:.2f} s ({total_s / ATTENDEES * 1000:.1f} ms per attendee)")
    print(f"  PDF alone (fpdf2), Latin-1 names (built-in Helvetica): {summary(latin)}")
    print(f"  PDF alone (fpdf2), other names (embedded DejaVu): {summary(other)}; average PDF {avg_size / 1024:.1f} KB")
    pacing = dm_requests / 48
    print(f"  DM requests: {dm_requests} (open DM + send) → at least {pacing:.1f} s at the Notifier's 48 req/s")
    print(f"  CE entries logged: {entries}; certificate files kept: {stored['n']} ({stored['bytes'] / 1e6:.1f} MB)")
    print(f"  members with more than one certificate DM: {doubled}; 429s: {fake.rate_limit_hits}")
    print(
        f"  peak RSS (bot + fake Discord in one process): {rss_before:.0f} MB before the end, {rss_after:.0f} MB after"
    )


if __name__ == "__main__":
    asyncio.run(main())
