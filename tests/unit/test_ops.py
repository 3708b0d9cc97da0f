"""Operations: `harbor status`, the daily backup job, `harbor restore`, JSON logs."""

import asyncio
import json
import logging
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta

from bot.cli import JsonFormatter, RedactingFilter
from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.services.backups import BackupService, RunLock, list_backups
from tests.unit.test_cli import ROOT, _one_line_error, harbor


def _make_db(path):
    async def go():
        async with Database.session(path) as db:
            await migrate(db)
            await db.execute(
                "INSERT INTO timers (event, due_at, status, created_at) VALUES (?, ?, ?, ?)",
                ("checkins.prompt", "2026-01-02T03:04:00+00:00", "pending", "2026-01-01T00:00:00+00:00"),
            )
            await db.execute(
                "INSERT INTO timers (event, due_at, status, created_at) VALUES (?, ?, ?, ?)",
                ("ce.reminder", "2026-01-01T09:00:00+00:00", "failed", "2026-01-01T00:00:00+00:00"),
            )
            await db.execute(
                "INSERT INTO dm_failures (user_id, purpose, failed_at) VALUES (?, ?, ?)",
                (7, "check-in prompt", "2026-01-01T00:00:00+00:00"),
            )

    asyncio.run(go())


def test_status_output(tmp_path):
    _make_db(tmp_path / "harbor.db")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "harbor-20260101T033000Z.db").write_bytes(b"")
    result = harbor("status", cwd=tmp_path, HARBOR_DATABASE="harbor.db", HARBOR_BACKUP_DIR="backups")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "schema version" in out
    assert "pending  checkins.prompt: 1 (oldest due 2026-01-02 03:04 UTC)" in out
    assert "failed   ce.reminder: 1" in out
    assert "undeliverable DMs: 1" in out
    assert "harbor-20260101T033000Z.db at 2026-01-01 03:30 UTC" in out
    assert "bot not running" in out


def test_status_without_database_is_one_line(tmp_path):
    _one_line_error(harbor("status", cwd=tmp_path, HARBOR_DATABASE="none.db"), "HARBOR_DATABASE")


def test_backup_job_creates_checks_and_prunes(tmp_path):
    _make_db(tmp_path / "harbor.db")
    folder = tmp_path / "backups"
    now = [datetime(2026, 1, 1, 3, 30, tzinfo=UTC)]
    service = BackupService(tmp_path / "harbor.db", folder, clock=lambda: now[0])
    made = []
    for _ in range(60):
        made.append(asyncio.run(service.run()))
        now[0] += timedelta(days=1)
    kept = [p for _, p in list_backups(folder)]
    assert len(kept) == 11  # 7 daily + 4 weekly
    assert kept[:7] == made[::-1][:7]
    weeks = [datetime.strptime(p.name[7:15], "%Y%m%d").replace(tzinfo=UTC).isocalendar()[:2] for p in kept[7:]]
    assert len(set(weeks)) == 4
    assert not list(folder.glob("*.partial"))
    with closing(sqlite3.connect(kept[0])) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM dm_failures").fetchone()[0] == 1


def test_backup_timer_is_a_daily_schedule():
    from bot.services.backups import BACKUP_AT

    assert BACKUP_AT.kind == "daily"


def test_restore_refuses_while_running_and_restores(tmp_path):
    db = tmp_path / "harbor.db"
    _make_db(db)
    backup = tmp_path / "copy.db"
    assert harbor("backup", str(backup), cwd=tmp_path, HARBOR_DATABASE="harbor.db").returncode == 0
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("DELETE FROM dm_failures")
        conn.commit()
    (tmp_path / "harbor.db-shm").write_bytes(b"stale")

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from bot.services.backups import RunLock; import sys, time;"
            f" lock = RunLock(__import__('pathlib').Path({str(db)!r})); lock.acquire();"
            " print('locked', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        _one_line_error(harbor("restore", str(backup), cwd=tmp_path, HARBOR_DATABASE="harbor.db"), "running")
    finally:
        holder.kill()
        holder.wait()

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    _one_line_error(harbor("restore", str(bad), cwd=tmp_path, HARBOR_DATABASE="harbor.db"), "bad.db")

    result = harbor("restore", str(backup), cwd=tmp_path, HARBOR_DATABASE="harbor.db")
    assert result.returncode == 0, result.stderr
    replaced = [p for p in tmp_path.glob("harbor.db.replaced-*") if not p.name.endswith("-wal")]
    assert len(replaced) == 1
    with closing(sqlite3.connect(replaced[0])) as conn:
        assert conn.execute("SELECT count(*) FROM dm_failures").fetchone()[0] == 0
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM dm_failures").fetchone()[0] == 1
    assert (tmp_path / "harbor.db-shm").read_bytes() != b"stale" if (tmp_path / "harbor.db-shm").exists() else True


def test_run_lock_is_exclusive(tmp_path):
    first, second = RunLock(tmp_path / "x.db"), RunLock(tmp_path / "x.db")
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_json_log_lines_parse_and_withhold_exception_messages():
    records = []
    handler = logging.Handler()
    formatter = JsonFormatter()
    handler.emit = lambda record: records.append(formatter.format(record))
    handler.addFilter(RedactingFilter("sekrit-token"))
    log = logging.getLogger("harbor.test.json")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("token %s leaked", "sekrit-token")
        try:
            note = "Jane" + " Doe private note"
            int(note)
        except ValueError:
            log.exception("parsing failed")
    finally:
        log.removeHandler(handler)
    entries = [json.loads(line) for line in records]
    assert entries[0]["message"] == "token [token] leaked"
    assert "ValueError" in entries[1]["exception"]
    assert "Jane Doe" not in records[1]  # the exception's message; its source line names only `note`
    assert "(message withheld)" in entries[1]["exception"]
    assert all("sekrit" not in line for line in records)
