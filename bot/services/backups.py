"""Online backups: copy, integrity-check, prune (7 daily + 4 weekly); and the `harbor run` lock.

`backup_to` is what `harbor backup FILE` and the daily durable timer (`ops.backup`) both use.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from bot.db.connection import Database, DatabaseError
from bot.db.migrate import current_version
from bot.domain.clock import Clock, utcnow
from bot.domain.recurrence import Recurrence

BACKUP_EVENT = "ops.backup"
BACKUP_KEY = "ops:daily-backup"
BACKUP_AT = Recurrence(kind="daily", at="03:30", tz="UTC")
PREFIX = "harbor-"
SUFFIX = ".db"
KEEP_DAILY = 7
KEEP_WEEKLY = 4


async def backup_to(source: Path, target: Path) -> int:
    """SQLite online backup of `source` into the new file `target`, integrity-checked; return its version."""
    async with Database.session(source) as db:
        await db.backup(target)
    async with Database.session(target) as check:
        if await check.fetchval("PRAGMA integrity_check") != "ok":
            msg = "the backup failed its integrity check"
            raise DatabaseError(msg)
        return await current_version(check)


async def integrity_ok(path: Path) -> bool:
    """Whether `path` opens as SQLite and passes `PRAGMA integrity_check`."""
    try:
        async with Database.session(path) as db:
            return await db.fetchval("PRAGMA integrity_check") == "ok"
    except (DatabaseError, OSError):
        return False


def backup_name(moment: datetime) -> str:
    """`harbor-YYYYMMDDTHHMMSSZ.db`."""
    return f"{PREFIX}{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def stamp_of(path: Path) -> datetime | None:
    """The time in a backup file's name, or None for files that are not Harbor backups."""
    name = path.name
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return None
    try:
        return datetime.strptime(name[len(PREFIX) : -len(SUFFIX)], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def list_backups(folder: Path) -> list[tuple[datetime, Path]]:
    """Harbor backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [(stamp, p) for p in folder.iterdir() if (stamp := stamp_of(p)) is not None]
    return sorted(found, reverse=True)


def to_keep(backups: list[tuple[datetime, Path]], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY) -> set[Path]:
    """The newest copy of each of the last `daily` days, then the newest of each of `weekly` older ISO weeks."""
    keep: set[Path] = set()
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    for stamp, path in backups:  # newest first
        day = stamp.date()
        if len(days) < daily:
            if day not in days:
                days.add(day)
                keep.add(path)
            continue
        if day in days:
            continue
        week = stamp.isocalendar()[:2]
        if len(weeks) < weekly and week not in weeks and all(d.isocalendar()[:2] != week for d in days):
            weeks.add(week)
            keep.add(path)
    return keep


def prune(folder: Path) -> list[Path]:
    """Delete backups beyond 7 daily + 4 weekly; return what was deleted."""
    backups = list_backups(folder)
    keep = to_keep(backups)
    removed = []
    for _, path in backups:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@dataclass
class BackupService:
    """The daily backup job: copy into `folder`, check, prune."""

    database: Path
    folder: Path
    clock: Clock = utcnow

    async def run(self) -> Path:
        """Make one backup now; return its path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / backup_name(self.clock())
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            await backup_to(self.database, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)
        prune(self.folder)
        return target

    async def handle(self, _timer: object) -> None:
        """Timer handler for `ops.backup`."""
        await self.run()


# -- the running lock ------------------------------------------------------------------------------


def lock_path(database: Path) -> Path:
    """The lock file `harbor run` holds for `database`."""
    return database.with_name(database.name + ".lock")


class RunLock:
    """An exclusive `flock` on `<database>.lock`, held for the life of `harbor run` (released by the OS on death)."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        """Let go of the lock."""
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def bot_running(database: Path) -> bool:
    """Whether some process holds the run lock for `database`."""
    if not lock_path(database).exists():
        return False
    probe = RunLock(database)
    if probe.acquire():
        probe.release()
        return False
    return True


def replaced_name(database: Path, now: Callable[[], datetime] = utcnow) -> Path:
    """Where `harbor restore` keeps the database it replaces."""
    return database.with_name(f"{database.name}.replaced-{now():%Y%m%dT%H%M%SZ}")
