import sqlite3

import pytest

from bot.db.connection import Database, DatabaseError
from bot.db.migrate import MIGRATIONS_DIR, current_version, discover, migrate


async def test_empty_to_head_then_idempotent(tmp_path):
    db = await Database.open(tmp_path / "h.db")
    applied = await migrate(db)
    head = len(discover())
    assert len(applied) == head
    assert await current_version(db) == head
    schema = await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name")
    assert await migrate(db) == []
    assert await db.fetchall("SELECT sql FROM sqlite_master ORDER BY name") == schema
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    await db.close()


async def test_failing_migration_keeps_previous_version(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text((MIGRATIONS_DIR / "0001_initial.sql").read_text(encoding="utf-8"))
    (folder / "0002_broken.sql").write_text("CREATE TABLE half (id INTEGER);\nTHIS IS NOT SQL;\n")
    db = await Database.open(tmp_path / "h.db")
    with pytest.raises(DatabaseError, match="0002_broken"):
        await migrate(db, folder)
    assert await current_version(db) == 1
    assert await db.fetchval("SELECT count(*) FROM sqlite_master WHERE name = 'half'") == 0
    # the connection is usable afterwards, and a fixed migration applies
    (folder / "0002_broken.sql").write_text("CREATE TABLE half (id INTEGER);\n")
    assert await migrate(db, folder) == ["0002_broken"]
    assert await current_version(db) == 2
    await db.close()


def test_gaps_are_refused(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(DatabaseError, match="without gaps"):
        discover(tmp_path)


async def test_corrupt_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseError, match="not a usable SQLite database"):
        await Database.open(bad)


async def test_transaction_rolls_back(db):
    await db.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.execute("UPDATE meta SET value = '2' WHERE key = 'a'")
            raise RuntimeError
    assert await db.fetchval("SELECT value FROM meta WHERE key = 'a'") == "1"


async def test_backup_opens(tmp_path, db):
    await db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    target = tmp_path / "copy.db"
    await db.backup(target)
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT value FROM meta WHERE key = 'k'").fetchone() == ("v",)
    conn.close()


def test_empty_migration_set_is_an_error(tmp_path):
    with pytest.raises(DatabaseError, match="no migrations found"):
        discover(tmp_path)
    with pytest.raises(DatabaseError, match="no migrations found"):
        discover(tmp_path / "missing")


def test_migrations_ship_inside_the_package():
    names = [migration.name for migration in discover()]
    assert names[0] == "0001_initial"
    assert all((MIGRATIONS_DIR / f"{name}.sql").is_file() for name in names)
