"""The one SQLite connection: WAL, foreign keys, a busy timeout, and explicit transactions.

aiosqlite runs every statement on one worker thread, so statements never run at once; what can
interleave are *transactions* begun by different tasks. `transaction()` therefore takes a lock, and
statements outside a transaction wait for it too, so no task ever writes inside another's transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]


class DatabaseError(Exception):
    """The database file cannot be opened or used; the message names the problem for the operator."""


class Database:
    """A thin async wrapper over a single aiosqlite connection."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._tx_owner: asyncio.Task[Any] | None = None

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open (creating the folder and file when missing) and configure the database."""
        target = str(path)
        if target != ":memory:":
            file = Path(target)
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                msg = f"cannot create the folder {file.parent}: {exc.strerror or exc}"
                raise DatabaseError(msg) from exc
            if file.is_dir():
                msg = f"{file} is a folder, not a database file"
                raise DatabaseError(msg)
        try:
            # Probe synchronously first: a failed aiosqlite.connect leaves its worker thread to report
            # into an event loop that may be gone by then (a traceback after the one-line error).
            sqlite3.connect(target).close()
            conn = await aiosqlite.connect(target, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            msg = f"cannot open {target}: {exc}"
            raise DatabaseError(msg) from exc
        conn.row_factory = sqlite3.Row
        try:
            await conn.execute("PRAGMA busy_timeout = 5000")
            if target != ":memory:":
                await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            # Touch the schema: a corrupt or non-SQLite file fails here rather than later.
            await conn.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.DatabaseError as exc:
            await conn.close()
            msg = f"{target} is not a usable SQLite database ({exc})"
            raise DatabaseError(msg) from exc
        return cls(conn, target)

    @classmethod
    @asynccontextmanager
    async def session(cls, path: str | Path) -> AsyncIterator[Database]:
        """Open for the length of a `with` block (the CLI's one-off commands)."""
        db = await cls.open(path)
        try:
            yield db
        finally:
            await db.close()

    @property
    def connection(self) -> aiosqlite.Connection:
        """The raw connection, for the migration runner and backups only."""
        return self._conn

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    def _in_own_transaction(self) -> bool:
        return self._tx_owner is not None and self._tx_owner is asyncio.current_task()

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[None]:
        if self._in_own_transaction():
            yield
            return
        async with self._lock:
            yield

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last row id (for INSERT) or the changed-row count."""
        async with self._guard():
            cursor = await self._conn.execute(sql, params)
            result = cursor.lastrowid if sql.lstrip()[:6].upper() == "INSERT" else cursor.rowcount
            await cursor.close()
            return int(result or 0)

    async def execute_rowcount(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return how many rows it changed."""
        async with self._guard():
            cursor = await self._conn.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return int(count)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter sets."""
        async with self._guard():
            await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """Return the first row, or None."""
        async with self._guard():
            cursor = await self._conn.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Return every row."""
        async with self._guard():
            cursor = await self._conn.execute(sql, params)
            rows = await cursor.fetchall()
            await cursor.close()
            return list(rows)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """Return the first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """`BEGIN IMMEDIATE` … `COMMIT`, rolled back on any exception; nested calls join the outer one."""
        if self._in_own_transaction():
            yield self
            return
        async with self._lock:
            self._tx_owner = asyncio.current_task()
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                await self._conn.execute("COMMIT")
            finally:
                self._tx_owner = None

    async def backup(self, target: str | Path) -> None:
        """Copy the live database to `target` with SQLite's online backup API."""
        async with self._lock:
            dest = await aiosqlite.connect(str(target))
            try:
                await self._conn.backup(dest)
            finally:
                await dest.close()
