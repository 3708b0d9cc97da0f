"""`/mydata export` and `/mydata delete`: every feature registers how to export and erase its rows.

Red-DiscordBot's per-cog `red_delete_data_for_user`, made explicit: a feature that stores anything
about a member registers a `DataSection` in its `setup()`, and both commands walk the registry. The
erase runs in one transaction, so a failure leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.db.connection import Database


@dataclass(frozen=True, slots=True)
class DataSection:
    """One feature's share of a member's data."""

    name: str
    export: Callable[[int], Awaitable[Any]]
    erase: Callable[[int], Awaitable[int]]
    about: str = ""  # for /privacy: what it holds, who can see it, how long it is kept
    kept: str | None = None  # what is deliberately kept on delete, said in the reply


class MyDataService:
    """The registry of data sections."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._sections: dict[str, DataSection] = {}

    def register(self, section: DataSection) -> None:
        """Add a feature's section (names are unique)."""
        if section.name in self._sections:
            msg = f"a data section named {section.name!r} is already registered"
            raise ValueError(msg)
        self._sections[section.name] = section

    @property
    def sections(self) -> list[DataSection]:
        """Registered sections, in registration order."""
        return list(self._sections.values())

    async def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a member, by section."""
        return {name: await section.export(user_id) for name, section in self._sections.items()}

    async def erase(self, user_id: int) -> dict[str, int]:
        """Erase every section's rows for a member in one transaction; rows removed per section."""
        removed: dict[str, int] = {}
        async with self.db.transaction():
            for name, section in self._sections.items():
                removed[name] = await section.erase(user_id)
        return removed

    def kept_notes(self) -> list[str]:
        """What each section keeps on delete (e.g. moderation metadata)."""
        return [s.kept for s in self._sections.values() if s.kept]
