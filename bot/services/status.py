"""The operations summary behind `harbor status` (reusable by a `/setup status` command)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.db.connection import Database
from bot.db.migrate import current_version, discover
from bot.db.status import StatusRepository, TimerCount
from bot.services.backups import list_backups


@dataclass
class Status:
    """What an operator wants to know at a glance; ids and counts only, never content."""

    version: int
    head: int
    timers: list[TimerCount] = field(default_factory=list)
    dm_failures: int = 0
    dm_failures_unnotified: int = 0
    last_backup: tuple[Path, datetime] | None = None

    def lines(self) -> list[str]:
        """Plain-text rendering."""
        out = [f"schema version {self.version} of {self.head}"]
        if self.timers:
            out.append("timers:")
            out.extend(
                f"  {t.status:<8} {t.event}: {t.count} (oldest due {t.oldest_due:%Y-%m-%d %H:%M} UTC)"
                for t in self.timers
            )
        else:
            out.append("timers: none pending, running or failed")
        out.append(f"undeliverable DMs: {self.dm_failures} ({self.dm_failures_unnotified} not yet told)")
        if self.last_backup is None:
            out.append("last backup: none")
        else:
            path, when = self.last_backup
            out.append(f"last backup: {path} at {when:%Y-%m-%d %H:%M} UTC")
        return out


async def gather_status(db: Database, backup_dir: Path) -> Status:
    """Collect the summary from an open database and the backup folder."""
    repo = StatusRepository(db)
    total, unnotified = await repo.undelivered_dms()
    backups = list_backups(backup_dir)
    last = (backups[0][1], backups[0][0]) if backups else None
    return Status(
        version=await current_version(db),
        head=len(discover()),
        timers=await repo.timer_counts(),
        dm_failures=total,
        dm_failures_unnotified=unnotified,
        last_backup=last,
    )
