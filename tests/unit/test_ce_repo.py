"""CE repository on a real migrated SQLite file."""

import sqlite3
from datetime import date

import pytest

from bot.db.ce import CeRepository
from bot.domain import ce


async def builtin(repo, name):
    return next(t for t in await repo.templates(None) if t.name == name)


async def test_builtins_are_seeded_with_sources(db):
    repo = CeRepository(db)
    templates = {t.name: t for t in await repo.templates(None)}
    assert set(templates) == {"PA CRS", "PA CFRS", "PA CPS", "MT CBHPSS", "NAADAC NCAC I", "NAADAC NCAC II"}
    assert templates["PA CRS"].requirement == ce.Requirement(120, {"ethics": 24, "confidentiality": 12}, 24, 90)
    assert templates["PA CFRS"].categories == {"ethics": 24, "confidentiality": 12}
    assert templates["PA CPS"].total == 144 and templates["PA CPS"].categories == {"peer-specific": 96, "ethics": 12}
    assert templates["MT CBHPSS"].total == 80 and templates["MT CBHPSS"].cycle_months == 12
    assert templates["MT CBHPSS"].expires_md == "12-31"
    assert templates["NAADAC NCAC I"].total == 160 and templates["NAADAC NCAC II"].cycle_months == 24
    for t in templates.values():
        assert t.builtin and t.source_url.startswith("https://") and t.last_verified is not None
        assert "verify with your board" in t.note.lower()


async def test_server_templates_are_per_guild(db, clock):
    repo = CeRepository(db)
    tid = await repo.add_template(
        1,
        "NJ CPRS",
        ce.Requirement(80, {"ethics": 8}, 24, 60),
        source_url=None,
        last_verified=date(2026, 1, 2),
        note=None,
        now=clock(),
    )
    assert [t.name for t in await repo.templates(1)][-1] == "NJ CPRS"
    assert "NJ CPRS" not in [t.name for t in await repo.templates(2)]
    t = await repo.template(tid)
    assert t.categories == {"ethics": 8} and t.window_days == 60 and not t.builtin
    with pytest.raises(sqlite3.IntegrityError):
        await repo.add_template(
            1, "nj cprs", ce.Requirement(8), source_url=None, last_verified=None, note=None, now=clock()
        )


async def test_template_in_use_is_not_removed(db, clock):
    repo = CeRepository(db)
    tid = await repo.add_template(
        1, "X", ce.Requirement(8), source_url=None, last_verified=None, note=None, now=clock()
    )
    cid = await repo.add_credential(7, 1, tid, date(2027, 1, 1), None, clock())
    assert await repo.template_in_use(tid) == 1
    assert not await repo.remove_template(tid, 1)
    assert not await repo.remove_template(tid, 2)  # another server's
    assert await repo.remove_credential(cid, 7)
    assert await repo.remove_template(tid, 1)
    crs = await builtin(repo, "PA CRS")
    assert not await repo.remove_template(crs.id, 1)  # built-ins have no guild


async def test_entries_and_facts(db, clock):
    repo = CeRepository(db)
    for day, q, cat in [
        ("2026-01-01", 4, "ethics"),
        ("2026-01-01", 2, "ethics"),
        ("2026-02-01", 8, "general"),
        ("2024-01-01", 8, "general"),
    ]:
        await repo.add_entry(7, "Title ✨", None, date.fromisoformat(day), q, cat, None, clock())
    await repo.add_entry(8, "other", "P", date(2026, 1, 1), 4, "general", "https://x/y.pdf", clock())
    facts = await repo.facts(7, date(2025, 1, 1), date(2026, 12, 31))
    assert sorted(facts, key=lambda f: f.day) == [
        ce.Entry(date(2026, 1, 1), 6, "ethics"),
        ce.Entry(date(2026, 2, 1), 8, "general"),
    ]
    assert await repo.count_entries(7) == 4
    page = await repo.entries(7, limit=2, offset=0)
    assert [e.day for e in page] == [date(2026, 2, 1), date(2026, 1, 1)]
    assert (await repo.search_entries(7, "✨"))[0].title == "Title ✨"
    assert await repo.search_entries(7, "%") == []
    other = (await repo.entries(8))[0]
    assert not await repo.remove_entry(other.id, 7)
    assert await repo.remove_entry(other.id, 8)


async def test_checks_refuse_bad_rows(db, clock):
    repo = CeRepository(db)
    for q in (0, 161, -4):
        with pytest.raises(sqlite3.IntegrityError):
            await repo.add_entry(7, "t", None, date(2026, 1, 1), q, "general", None, clock())
    with pytest.raises(sqlite3.IntegrityError):
        await repo.add_entry(7, "x" * 201, None, date(2026, 1, 1), 4, "general", None, clock())
    with pytest.raises(sqlite3.IntegrityError):
        await repo.add_credential(7, 1, 999_999, date(2027, 1, 1), None, clock())


async def test_export_and_delete_for_user(db, clock):
    repo = CeRepository(db)
    crs = await builtin(repo, "PA CRS")
    await repo.add_credential(7, 1, crs.id, date(2027, 6, 30), "CRS-9", clock())
    await repo.add_credential(8, 1, crs.id, date(2027, 6, 30), "CRS-8", clock())
    await repo.add_entry(7, "Ethics", "PCB", date(2026, 1, 1), 6, "ethics", None, clock())
    data = await repo.export_for_user(7)
    assert data["credentials"][0]["number"] == "CRS-9" and data["entries"][0]["hours"] == 1.5
    assert "CRS-8" not in str(data)
    assert await repo.delete_for_user(7) == 2
    assert await repo.export_for_user(7) == {"credentials": [], "entries": []}
    assert len(await repo.credentials(8)) == 1


async def test_status_query_uses_the_index(db):
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT completed_on, category, sum(quarters) FROM ce_entries"
        " WHERE user_id = ? AND completed_on BETWEEN ? AND ? GROUP BY completed_on, category",
        (1, "a", "b"),
    )
    assert "COVERING INDEX ce_entries_user_date" in " ".join(r[3] for r in plan)
