"""The bot as a subprocess against the fake Discord: start it, SIGKILL it mid-work, restart it, measure it.

Used by the benchmarks that check nothing is lost or doubled across a crash (checkins, training_reminders,
case_retention, certificates_kill). Each script keeps its own seeding, progress counter and figures; this
module only runs `python -m bot` (as `harbor run` would) and records the CPU, peak RSS and times around
the kill and the restart.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import ROOT

from tests.fakediscord import FakeDiscord
from tests.fakediscord.models import FakeGuild, FakeUser

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


def start_bot(fake: FakeDiscord, db_path: Path, log_path: Path) -> subprocess.Popen[bytes]:
    """`python -m bot` with the HARBOR_* settings pointed at the fake, logging into `log_path`."""
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


class KilledRun:
    """One bot process that is started, SIGKILLed once `progress()` reaches a mark, and restarted.

    The calls go in order: `start`, `await until`, `kill`, `await restart_and_drain`. The figures are
    left on the object: `cpu1`/`rss1` just before the kill, `cpu2`/`rss2` just before the final stop,
    and wall-clock times (`time.time()`) `started`, `killed_at`, `restarted_at`, `finished`.
    """

    def __init__(self, fake: FakeDiscord, db_path: Path, log_path: Path) -> None:
        """Nothing runs until `start`."""
        self.fake, self.db_path, self.log_path = fake, db_path, log_path
        self.bot: subprocess.Popen[bytes] | None = None
        self.cpu1 = self.rss1 = self.cpu2 = self.rss2 = float("nan")
        self.started = self.killed_at = self.restarted_at = self.finished = float("nan")

    def _process(self) -> subprocess.Popen[bytes]:
        if self.bot is None:
            raise RuntimeError("the bot is not running")
        return self.bot

    def start(self) -> None:
        """Launch the bot on the seeded database."""
        self.bot = start_bot(self.fake, self.db_path, self.log_path)
        self.started = time.time()

    async def until(self, progress: Callable[[], int], mark: int) -> None:
        """Wait until `progress()` reaches `mark`; stop the benchmark if the bot dies first."""
        bot = self._process()
        while progress() < mark:
            if bot.poll() is not None:
                raise SystemExit(f"bot exited early ({bot.returncode}):\n{self.log_path.read_text()[-3000:]}")
            await asyncio.sleep(0.05)

    def kill(self, progress: Callable[[], int]) -> int:
        """Record CPU and peak RSS, SIGKILL the bot and return `progress()` as it stood at the kill."""
        bot = self._process()
        self.cpu1, self.rss1 = proc_stats(bot.pid)
        at_kill = progress()
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait()
        self.killed_at = time.time()
        self.bot = None
        return at_kill

    async def restart_and_drain(self, progress: Callable[[], int], total: int, stall_s: float) -> None:
        """Restart 1 s after the kill and wait for `total`, or until `progress()` stood still for `stall_s`.

        Once `total` is reached it waits 3 s more (anything repeated would arrive then), records CPU and
        peak RSS, and stops the bot with SIGINT (SIGKILL if it has not exited within 20 s).
        """
        await asyncio.sleep(1.0)
        self.start()
        self.restarted_at = self.started
        last, stalled = progress(), time.time()
        while time.time() - stalled < stall_s:
            await asyncio.sleep(0.25)
            count = progress()
            if count != last:
                last, stalled = count, time.time()
            if count >= total:
                await asyncio.sleep(3)  # anything doubled would arrive now
                break
        self.finished = time.time()
        bot = self._process()
        self.cpu2, self.rss2 = proc_stats(bot.pid)
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()
        self.bot = None

    def rates(self, times: list[float], limit: int, what: str) -> str:
        """`what`/s before the kill, after the restart and overall, each also as a share of `limit`."""
        before = per_s([t for t in times if t <= self.killed_at])
        after = per_s([t for t in times if t >= self.restarted_at])
        overall = per_s(times)
        return (
            f"{what}/s before the kill: {before:.1f} ({before / limit:.0%} of the limit); after the restart: "
            f"{after:.1f} ({after / limit:.0%}); overall incl. downtime: {overall:.1f} ({overall / limit:.0%})"
        )

    def cpu_rss(self, after: str = "after the restart") -> str:
        """CPU seconds and peak RSS of both processes, as one line."""
        return (
            f"bot CPU: {self.cpu1:.1f} s before the kill + {self.cpu2:.1f} s {after}; "
            f"peak RSS: {self.rss1:.0f} MB / {self.rss2:.0f} MB"
        )


def next_minute(lead_s: int) -> datetime:
    """The start of the UTC minute after the one `lead_s` seconds from now: at least `lead_s` seconds away."""
    soon = datetime.now(UTC) + timedelta(seconds=lead_s)
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def member_network(rate: int, members: int) -> tuple[FakeDiscord, FakeUser, FakeGuild, list[FakeUser]]:
    """A started fake with a global limit of `rate` requests/s, a guild, its owner and `members` users."""
    fake = FakeDiscord()
    await fake.start()
    fake.global_rate_limit = rate
    owner = fake.add_user("owner")
    guild = fake.add_guild("Peer Network", owner=owner)
    users = [fake.add_user(f"member-{i}") for i in range(members)]
    return fake, owner, guild, users


def bot_messages(fake: FakeDiscord) -> int:
    """Messages the bot created anywhere on the fake."""
    return sum(1 for m in list(fake.messages.values()) if m.author_id == fake.bot_user.id)


def dm_counts(fake: FakeDiscord, wanted: set[int], prefix: str = "") -> tuple[Counter[int], int, list[float]]:
    """Bot messages starting with `prefix` in each wanted member's DM channel, late-marked count, sorted times."""
    owner = {chan.id: uid for uid, chan in fake.dm_channels.items() if uid in wanted}
    per_member: Counter[int] = Counter()
    late = 0
    times = []
    for message in list(fake.messages.values()):
        uid = owner.get(message.channel_id)
        if uid is None or message.author_id != fake.bot_user.id or not message.content.startswith(prefix):
            continue
        per_member[uid] += 1
        late += "late — Harbor was offline" in message.content
        times.append(message.created_at)
    return per_member, late, sorted(times)


def per_s(times: list[float]) -> float:
    """Events per second between the first and the last of sorted `times` (0 with fewer than two)."""
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


def log_problems(log_path: Path, words: tuple[str, ...] = ("ERROR", "WARNING"), ignore: str | None = None) -> list[str]:
    """Lines of the bot's log that contain one of `words` (and not `ignore`)."""
    return [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if any(word in line for word in words) and (ignore is None or ignore not in line)
    ]


def timer_states(rows: Iterable[sqlite3.Row]) -> str:
    """`status[/error]: count` for rows of a `GROUP BY status, error` over the timers table."""
    return ", ".join(f"{r['status']}{'/' + str(r['error']) if r['error'] else ''}: {r['n']:,}" for r in rows)


def print_log(lines: list[str], shown: int, heading: str = "bot log WARNING/ERROR lines") -> None:
    """How many log lines were found, then the first `shown` of them (cut to 200 characters)."""
    print(f"{heading}: {len(lines)}")
    for line in lines[:shown]:
        print("   ", line[:200])
