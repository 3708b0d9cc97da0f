"""Repository for continuing education: templates, credentials, entries (all their SQL lives here)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.db.connection import Database
from bot.domain.ce import Entry, Requirement
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class Template:
    """A credential's requirements: built into Harbor (`guild_id` None) or added by a server's admins."""

    id: int
    guild_id: int | None
    name: str
    cycle_months: int
    total: int  # quarter-hours
    window_days: int
    expires_md: str | None
    source_url: str | None
    last_verified: date | None
    note: str
    categories: Mapping[str, int] = field(default_factory=dict)

    @property
    def builtin(self) -> bool:
        """Shipped with Harbor; cannot be removed."""
        return self.guild_id is None

    @property
    def requirement(self) -> Requirement:
        """The rules progress is measured against."""
        return Requirement(self.total, dict(self.categories), self.cycle_months, self.window_days)


@dataclass(frozen=True, slots=True)
class Credential:
    """A member's credential, with its template."""

    id: int
    user_id: int
    guild_id: int
    expires: date
    number: str | None
    template: Template
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CeEntry:
    """One logged CE activity."""

    id: int
    user_id: int
    title: str
    provider: str | None
    day: date
    quarters: int
    category: str
    certificate_url: str | None
    created_at: datetime

    @property
    def fact(self) -> Entry:
        """What progress needs of it."""
        return Entry(self.day, self.quarters, self.category)


_TEMPLATE_COLS = (
    "t.id, t.guild_id, t.name, t.cycle_months, t.total_quarters, t.window_days, t.expires_md,"
    " t.source_url, t.last_verified, t.note,"
    " (SELECT json_group_object(category, quarters) FROM"
    "   (SELECT category, quarters FROM ce_template_categories c WHERE c.template_id = t.id"
    "    ORDER BY quarters DESC, category)) AS cats"
)


def _template(row: sqlite3.Row) -> Template:
    verified = row["last_verified"]
    return Template(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        cycle_months=row["cycle_months"],
        total=row["total_quarters"],
        window_days=row["window_days"],
        expires_md=row["expires_md"],
        source_url=row["source_url"],
        last_verified=date.fromisoformat(verified) if verified else None,
        note=row["note"],
        categories=json.loads(row["cats"] or "{}"),
    )


def _entry(row: sqlite3.Row) -> CeEntry:
    return CeEntry(
        row["id"],
        row["user_id"],
        row["title"],
        row["provider"],
        date.fromisoformat(row["completed_on"]),
        row["quarters"],
        row["category"],
        row["certificate_url"],
        from_db(row["created_at"]),
    )


class CeRepository:
    """SQL for the ce_* tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- templates ---------------------------------------------------------------------------------------

    async def templates(self, guild_id: int | None) -> list[Template]:
        """Built-ins, then this server's templates, by name."""
        rows = await self.db.fetchall(
            f"SELECT {_TEMPLATE_COLS} FROM ce_templates t WHERE t.guild_id IS NULL OR t.guild_id = ?"  # noqa: S608
            " ORDER BY t.guild_id IS NOT NULL, lower(t.name)",
            (guild_id,),
        )
        return [_template(r) for r in rows]

    async def template(self, template_id: int) -> Template | None:
        """One template by id."""
        sql = f"SELECT {_TEMPLATE_COLS} FROM ce_templates t WHERE t.id = ?"  # noqa: S608 (constant columns)
        row = await self.db.fetchone(sql, (template_id,))
        return _template(row) if row else None

    async def add_template(
        self,
        guild_id: int,
        name: str,
        requirement: Requirement,
        *,
        source_url: str | None,
        last_verified: date | None,
        note: str | None,
        now: datetime,
    ) -> int:
        """Insert a server template and its category minimums in one transaction; return its id."""
        async with self.db.transaction():
            template_id = await self.db.execute(
                "INSERT INTO ce_templates (guild_id, name, cycle_months, total_quarters, window_days, source_url,"
                " last_verified, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?, ?), ?)",
                (
                    guild_id,
                    name,
                    requirement.cycle_months,
                    requirement.total,
                    requirement.window_days,
                    source_url,
                    last_verified.isoformat() if last_verified else None,
                    note,
                    "Verify with your board: requirements change.",
                    to_db(now),
                ),
            )
            await self.db.executemany(
                "INSERT INTO ce_template_categories (template_id, category, quarters) VALUES (?, ?, ?)",
                [(template_id, c, q) for c, q in requirement.categories.items()],
            )
        return template_id

    async def template_in_use(self, template_id: int) -> int:
        """How many credentials use a template."""
        return int(
            await self.db.fetchval("SELECT count(*) FROM ce_credentials WHERE template_id = ?", (template_id,)) or 0
        )

    async def remove_template(self, template_id: int, guild_id: int) -> bool:
        """Delete a server's unused template (never a built-in)."""
        return (
            await self.db.execute_rowcount(
                "DELETE FROM ce_templates WHERE id = ? AND guild_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM ce_credentials WHERE template_id = ce_templates.id)",
                (template_id, guild_id),
            )
            > 0
        )

    # -- credentials -------------------------------------------------------------------------------------

    @staticmethod
    def _credential_sql(where: str) -> str:
        cols = _TEMPLATE_COLS.replace("t.id,", "t.id AS t_id,", 1).replace(" AS cats", " AS t_cats")
        return (
            "SELECT c.id AS c_id, c.user_id, c.guild_id AS c_guild_id, c.expires_on, c.number, c.created_at,"  # noqa: S608
            f" {cols} FROM ce_credentials c JOIN ce_templates t ON t.id = c.template_id"
            f" WHERE {where} ORDER BY c.expires_on, c.id"
        )

    @staticmethod
    def _credential(row: sqlite3.Row) -> Credential:
        template = Template(
            id=row["t_id"],
            guild_id=row["guild_id"],
            name=row["name"],
            cycle_months=row["cycle_months"],
            total=row["total_quarters"],
            window_days=row["window_days"],
            expires_md=row["expires_md"],
            source_url=row["source_url"],
            last_verified=date.fromisoformat(row["last_verified"]) if row["last_verified"] else None,
            note=row["note"],
            categories=json.loads(row["t_cats"] or "{}"),
        )
        return Credential(
            row["c_id"],
            row["user_id"],
            row["c_guild_id"],
            date.fromisoformat(row["expires_on"]),
            row["number"],
            template,
            from_db(row["created_at"]),
        )

    async def add_credential(
        self, user_id: int, guild_id: int, template_id: int, expires: date, number: str | None, now: datetime
    ) -> int:
        """Insert a credential; return its id."""
        return await self.db.execute(
            "INSERT INTO ce_credentials (user_id, guild_id, template_id, expires_on, number, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, guild_id, template_id, expires.isoformat(), number, to_db(now)),
        )

    async def credentials(self, user_id: int) -> list[Credential]:
        """A member's credentials, soonest expiry first."""
        rows = await self.db.fetchall(self._credential_sql("c.user_id = ?"), (user_id,))
        return [self._credential(r) for r in rows]

    async def credential(self, credential_id: int) -> Credential | None:
        """One credential by id."""
        row = await self.db.fetchone(self._credential_sql("c.id = ?"), (credential_id,))
        return self._credential(row) if row else None

    async def guild_credentials(self, guild_id: int) -> list[Credential]:
        """Every credential added in a server (for re-planning its reminders)."""
        rows = await self.db.fetchall(self._credential_sql("c.guild_id = ?"), (guild_id,))
        return [self._credential(r) for r in rows]

    async def remove_credential(self, credential_id: int, user_id: int) -> bool:
        """Delete a member's own credential."""
        return (
            await self.db.execute_rowcount(
                "DELETE FROM ce_credentials WHERE id = ? AND user_id = ?", (credential_id, user_id)
            )
            > 0
        )

    # -- entries -----------------------------------------------------------------------------------------

    async def add_entry(
        self,
        user_id: int,
        title: str,
        provider: str | None,
        day: date,
        quarters: int,
        category: str,
        certificate_url: str | None,
        now: datetime,
        source: str | None = None,
    ) -> int:
        """Insert an entry; return its id. `source` marks an entry Harbor logged (unique per member)."""
        return await self.db.execute(
            "INSERT INTO ce_entries (user_id, title, provider, completed_on, quarters, category, certificate_url,"
            " created_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, title, provider, day.isoformat(), quarters, category, certificate_url, to_db(now), source),
        )

    async def entry_by_source(self, user_id: int, source: str) -> int | None:
        """The id of the entry Harbor logged for `source` (e.g. `training:12`), if any."""
        found = await self.db.fetchval("SELECT id FROM ce_entries WHERE user_id = ? AND source = ?", (user_id, source))
        return None if found is None else int(found)

    async def entry(self, entry_id: int) -> CeEntry | None:
        """One entry by id."""
        row = await self.db.fetchone("SELECT * FROM ce_entries WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    async def remove_entry(self, entry_id: int, user_id: int) -> bool:
        """Delete a member's own entry."""
        return (
            await self.db.execute_rowcount("DELETE FROM ce_entries WHERE id = ? AND user_id = ?", (entry_id, user_id))
            > 0
        )

    async def facts(self, user_id: int, start: date, end: date) -> list[Entry]:
        """Date, hours and category of a member's entries between two dates (covering index, no titles)."""
        rows = await self.db.fetchall(
            "SELECT completed_on, category, sum(quarters) FROM ce_entries"
            " WHERE user_id = ? AND completed_on BETWEEN ? AND ? GROUP BY completed_on, category",
            (user_id, start.isoformat(), end.isoformat()),
        )
        return [Entry(date.fromisoformat(r[0]), r[2], r[1]) for r in rows]

    async def entries(
        self, user_id: int, *, start: date | None = None, end: date | None = None, limit: int = -1, offset: int = 0
    ) -> list[CeEntry]:
        """A member's entries, newest first, optionally within dates, paged."""
        rows = await self.db.fetchall(
            "SELECT * FROM ce_entries WHERE user_id = ? AND completed_on BETWEEN ? AND ?"
            " ORDER BY completed_on DESC, id DESC LIMIT ? OFFSET ?",
            (user_id, (start or date.min).isoformat(), (end or date.max).isoformat(), limit, offset),
        )
        return [_entry(r) for r in rows]

    async def count_entries(self, user_id: int, *, start: date | None = None, end: date | None = None) -> int:
        """How many entries a member has, optionally within dates."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM ce_entries WHERE user_id = ? AND completed_on BETWEEN ? AND ?",
                (user_id, (start or date.min).isoformat(), (end or date.max).isoformat()),
            )
            or 0
        )

    async def search_entries(self, user_id: int, text: str, limit: int = 25) -> list[CeEntry]:
        """A member's entries whose title contains `text` (or all), newest first, for autocomplete."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self.db.fetchall(
            "SELECT * FROM ce_entries WHERE user_id = ? AND (title LIKE ? ESCAPE '\\' OR CAST(id AS TEXT) = ?)"
            " ORDER BY completed_on DESC, id DESC LIMIT ?",
            (user_id, pattern, text.strip().lstrip("#"), limit),
        )
        return [_entry(r) for r in rows]

    # -- reminder planning state -------------------------------------------------------------------------

    async def planned_lead_days(self, guild_id: int) -> list[int] | None:
        """The lead days a server's reminders were last planned with."""
        raw = await self.db.fetchval("SELECT lead_days FROM ce_guild_plans WHERE guild_id = ?", (guild_id,))
        return None if raw is None else list(json.loads(raw))

    async def set_planned_lead_days(self, guild_id: int, days: list[int]) -> None:
        """Remember the lead days a server's reminders are planned with."""
        await self.db.execute(
            "INSERT INTO ce_guild_plans (guild_id, lead_days) VALUES (?, ?)"
            " ON CONFLICT(guild_id) DO UPDATE SET lead_days = excluded.lead_days",
            (guild_id, json.dumps(days)),
        )

    async def guilds_with_credentials(self) -> list[int]:
        """Servers where at least one credential was added."""
        return [r[0] for r in await self.db.fetchall("SELECT DISTINCT guild_id FROM ce_credentials")]

    # -- /mydata -----------------------------------------------------------------------------------------

    async def export_for_user(self, user_id: int) -> dict[str, list[dict[str, object]]]:
        """A member's credentials and entries as plain data."""
        creds: list[dict[str, object]] = [
            {
                "id": c.id,
                "template": c.template.name,
                "expires": c.expires.isoformat(),
                "number": c.number,
                "server_id": str(c.guild_id),
                "added_at": c.created_at.isoformat(),
            }
            for c in await self.credentials(user_id)
        ]
        entries: list[dict[str, object]] = [
            {
                "id": e.id,
                "title": e.title,
                "provider": e.provider,
                "date": e.day.isoformat(),
                "hours": e.quarters / 4,
                "category": e.category,
                "certificate": e.certificate_url,
                "logged_at": e.created_at.isoformat(),
            }
            for e in await self.entries(user_id)
        ]
        return {"credentials": creds, "entries": entries}

    async def delete_for_user(self, user_id: int) -> int:
        """Erase a member's credentials and entries; return rows removed."""
        async with self.db.transaction():
            removed = await self.db.execute_rowcount("DELETE FROM ce_entries WHERE user_id = ?", (user_id,))
            removed += await self.db.execute_rowcount("DELETE FROM ce_credentials WHERE user_id = ?", (user_id,))
        return removed
