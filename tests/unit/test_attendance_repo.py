"""Attendance and certificate-file repositories on a real migrated SQLite file."""

import sqlite3
from datetime import UTC, date, datetime

import pytest

from bot.db.attendance import AttendanceRepository
from bot.db.ce import CeRepository
from bot.db.certificates import CertificateRepository
from bot.db.trainings import TrainingRepository
from bot.domain.trainings import Draft

NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


async def training(db, guild=1):
    draft = Draft("Ethics", "", NOW, 60, 1.5, "ethics", "", None)
    return await TrainingRepository(db).create(guild, 99, draft, NOW)


async def test_codes_are_unique_per_server_and_rotation_retires_the_old_one(db):
    repo = AttendanceRepository(db)
    first, other = await training(db), await training(db)
    assert await repo.add_code(1, first, "AAAAAA", NOW)
    assert not await repo.add_code(1, other, "AAAAAA", NOW)  # taken in this server
    assert await repo.add_code(2, other, "AAAAAA", NOW)  # another server may draw it
    assert await repo.add_code(1, first, "BBBBBB", NOW)
    assert await repo.live_code(first) == "BBBBBB"
    assert (await repo.find_code(1, "AAAAAA")).retired and not (await repo.find_code(1, "BBBBBB")).retired


async def test_marking_twice_keeps_the_first_record_and_credit_is_set_once(db):
    repo = AttendanceRepository(db)
    tid = await training(db)
    assert await repo.mark(tid, 7, "code", 7, NOW, "Alice")
    assert not await repo.mark(tid, 7, "trainer", 99, NOW, "Other name")
    row = await repo.get(tid, 7)
    assert row.method == "code" and row.display_name == "Alice"
    kwargs = {"verify_code": "HBR-AAAA-BBBB", "display_name": "Alice", "ce_entry_id": None, "certificate_id": 1}
    assert await repo.set_credited(tid, 7, now=NOW, **kwargs)
    assert not await repo.set_credited(tid, 7, now=NOW, **{**kwargs, "verify_code": "HBR-CCCC-DDDD"})
    assert (await repo.verify("HBR-AAAA-BBBB")).display_name == "Alice"
    assert await repo.verify("HBR-CCCC-DDDD") is None


async def test_one_entry_per_member_and_source_and_files_follow_their_entry(db):
    ce, files = CeRepository(db), CertificateRepository(db)
    entry = await ce.add_entry(7, "Ethics", "Net", date(2026, 12, 3), 6, "ethics", None, NOW, source="training:1")
    with pytest.raises(sqlite3.IntegrityError):
        await ce.add_entry(7, "Ethics", "Net", date(2026, 12, 3), 6, "ethics", None, NOW, source="training:1")
    assert await ce.entry_by_source(7, "training:1") == entry
    file_id = await files.add(
        7,
        ce_entry_id=entry,
        origin="training",
        filename="c.pdf",
        content_type="application/pdf",
        data=b"%PDF" * 10,
        sha256="x",
        now=NOW,
    )
    assert await files.used(7) == 40 and await files.data(file_id) == b"%PDF" * 10
    small = await files.export_user(7, inline_up_to=100)
    assert small["files"][0]["data_base64"] and "included" in small["note"]
    large = await files.export_user(7, inline_up_to=10)
    assert "data_base64" not in large["files"][0] and "/ce export" in large["note"]
    await ce.remove_entry(entry, 7)  # the file goes with its entry
    assert await files.used(7) == 0
    with pytest.raises(sqlite3.IntegrityError):  # 8 MiB per file, enforced by the schema too
        await files.add(
            7,
            ce_entry_id=None,
            origin="upload",
            filename="big.pdf",
            content_type="application/pdf",
            data=b"0" * (8 * 1024 * 1024 + 1),
            sha256="x",
            now=NOW,
        )
