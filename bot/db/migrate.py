"""Numbered SQL migrations (`bot/db/migrations/NNNN_name.sql`), applied in order, one transaction each.

The files are package data, read with `importlib.resources`, so a wheel install (no source tree)
carries them. An empty migration set is an error: it means a broken install, not "up to date".

`PRAGMA user_version` holds the version and is set inside each migration's transaction, so a
failing migration leaves the previous version (and schema) intact. `executescript()` would commit
an open transaction first, so each file is wrapped in its own BEGIN … COMMIT script.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from bot.db.connection import Database, DatabaseError

log = logging.getLogger(__name__)

MIGRATIONS_DIR: Traversable = files("bot.db") / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    """One migration file."""

    version: int
    name: str
    path: Traversable


def discover(folder: Traversable = MIGRATIONS_DIR) -> list[Migration]:
    """List the migration files in order, refusing an empty set, gaps and duplicates."""
    found: list[Migration] = []
    entries = sorted(folder.iterdir(), key=lambda entry: entry.name) if folder.is_dir() else []
    for path in entries:
        if not path.name.endswith(".sql"):
            continue
        match = _NAME.match(path.name)
        if not match:
            msg = f"migration file {path.name} is not named NNNN_name.sql"
            raise DatabaseError(msg)
        found.append(Migration(int(match.group(1)), path.name.removesuffix(".sql"), path))
    if not found:
        msg = "no migrations found in the installed package (bot/db/migrations); reinstall Harbor"
        raise DatabaseError(msg)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            msg = f"migrations are not numbered 1..N without gaps (expected {expected:04d}, found {migration.name})"
            raise DatabaseError(msg)
    return found


async def current_version(db: Database) -> int:
    """The schema version recorded in the database."""
    return int(await db.fetchval("PRAGMA user_version") or 0)


async def migrate(db: Database, folder: Traversable = MIGRATIONS_DIR) -> list[str]:
    """Apply every migration newer than the database; return the names applied."""
    migrations = discover(folder)
    version = await current_version(db)
    head = migrations[-1].version
    if version > head:
        msg = f"the database is at version {version}, newer than this Harbor ({head}); upgrade Harbor"
        raise DatabaseError(msg)
    applied: list[str] = []
    for migration in migrations:
        if migration.version <= version:
            continue
        sql = migration.path.read_text(encoding="utf-8")
        script = f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
        conn = db.connection
        try:
            await conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            msg = f"migration {migration.name} failed: {exc}"
            raise DatabaseError(msg) from exc
        log.info("applied migration %s", migration.name)
        applied.append(migration.name)
    return applied
