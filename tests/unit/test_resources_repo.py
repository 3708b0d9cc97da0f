"""The library repository on a real migrated SQLite: FTS triggers, ranking, duplicates, bookmarks, erasure."""

from datetime import timedelta

import pytest

from bot.db.resources import DuplicateUrlError, ResourceRepository
from bot.domain.resources import validate
from bot.domain.search import fts_query

G, OTHER = 1, 2


def draft(title, url, description="", tags="t"):
    return validate(title, url, description, tags)


@pytest.fixture
def repo(db):
    return ResourceRepository(db)


async def indexed(db):
    # A scan of an external-content FTS table reads the content table; the docsize shadow table lists
    # what is really in the index.
    return [r["id"] for r in await db.fetchall("SELECT id FROM resources_fts_docsize ORDER BY id")]


async def integrity(db):
    # FTS5's own consistency check against the external content table; raises when out of sync.
    # (PRAGMA integrity_check runs it too on SQLite >= 3.44, e.g. in `harbor backup`.)
    await db.execute("INSERT INTO resources_fts (resources_fts, rank) VALUES ('integrity-check', 1)")


async def hits(repo, text, guild=G, tag=None):
    return [r.id for r in await repo.search(guild, fts_query(text), tag=tag, limit=50)]


async def test_fts_index_follows_inserts_updates_status_and_deletes(db, repo, clock):
    pending = await repo.insert(
        G, draft("Pending guide", "https://e.org/p"), status="pending", author_id=5, decided_by=None, now=clock()
    )
    live = await repo.insert(
        G,
        draft("Live guide", "https://e.org/l", "about naloxone"),
        status="approved",
        author_id=5,
        decided_by=5,
        now=clock(),
    )
    assert await indexed(db) == [pending.id, live.id]
    assert await hits(repo, "guide") == [live.id]  # pending entries are indexed but never found
    await integrity(db)
    # approval adds it to the index; an edit replaces the indexed text
    await repo.decide(pending.id, approve=True, by=9, now=clock())
    assert sorted(await hits(repo, "guide")) == sorted([pending.id, live.id])
    await repo.update(live, draft("Renamed sheet", "https://e.org/l", "about burnout"), status="approved", now=clock())
    assert await hits(repo, "naloxone") == [] and await hits(repo, "burnout") == [live.id]
    await integrity(db)
    # back to review (a member's edit) removes it; a review stamp or author erasure does not touch the index
    renamed = await repo.get(G, live.id)
    await repo.update(
        renamed, draft("Renamed sheet", "https://e.org/l", "about burnout"), status="pending", now=clock()
    )
    assert await hits(repo, "burnout") == []
    await integrity(db)
    await repo.mark_reviewed(pending.id, clock())
    await repo.erase_user(5)  # author 5's pending entry (the re-queued edit) is withdrawn
    assert await indexed(db) == [pending.id]
    await integrity(db)
    assert await repo.delete(pending.id)
    assert await indexed(db) == []
    await integrity(db)


async def test_search_is_per_guild_ranked_by_title_and_filtered_by_tag(repo, clock):
    title = await repo.insert(
        G,
        draft("Burnout recovery", "https://e.org/1", tags="self-care"),
        status="approved",
        author_id=1,
        decided_by=1,
        now=clock(),
    )
    tag = await repo.insert(
        G,
        draft("Weekly plan", "https://e.org/2", tags="burnout"),
        status="approved",
        author_id=1,
        decided_by=1,
        now=clock(),
    )
    body = await repo.insert(
        G,
        draft("Rest guide", "https://e.org/3", "burnout burnout burnout", tags="rest"),
        status="approved",
        author_id=1,
        decided_by=1,
        now=clock(),
    )
    await repo.insert(
        OTHER, draft("Burnout elsewhere", "https://e.org/1"), status="approved", author_id=1, decided_by=1, now=clock()
    )
    assert await hits(repo, "burnout") == [title.id, tag.id, body.id]
    assert await hits(repo, "burn", tag="rest") == [body.id]
    page = await repo.search(G, fts_query("burnout"), limit=2, offset=2)
    assert [r.id for r in page] == [body.id]
    newest = await repo.search(G, None, tag="self-care")
    assert [r.id for r in newest] == [title.id]
    assert await repo.titles(G, "{title} : (" + fts_query("burn") + ")") == [(title.id, "Burnout recovery")]
    assert await repo.tag_counts(G) == [("burnout", 1), ("rest", 1), ("self-care", 1)]


async def test_duplicates_are_live_links_per_guild(repo, clock):
    first = await repo.insert(
        G, draft("A", "https://e.org/a"), status="pending", author_id=1, decided_by=None, now=clock()
    )
    with pytest.raises(DuplicateUrlError) as caught:
        await repo.insert(G, draft("B", "https://e.org/a"), status="approved", author_id=2, decided_by=2, now=clock())
    assert caught.value.existing.id == first.id
    await repo.insert(OTHER, draft("A", "https://e.org/a"), status="approved", author_id=1, decided_by=1, now=clock())
    await repo.decide(first.id, approve=False, by=9, now=clock(), reason="nope")
    again = await repo.insert(
        G, draft("A again", "https://e.org/a"), status="pending", author_id=1, decided_by=None, now=clock()
    )
    other = await repo.insert(
        G, draft("C", "https://e.org/c"), status="approved", author_id=1, decided_by=1, now=clock()
    )
    with pytest.raises(DuplicateUrlError):
        await repo.update(other, draft("C", "https://e.org/a"), status="approved", now=clock())
    assert (await repo.get(G, other.id)).url == "https://e.org/c"
    first_approval = clock()
    approved = await repo.decide(again.id, approve=True, by=9, now=first_approval)
    assert approved is not None and approved.approved_at == first_approval
    assert await repo.decide(again.id, approve=True, by=9, now=clock()) is None  # exactly once
    # an edit sent back to review and approved again keeps its first approval time (one digest mention)
    clock.advance(days=3)
    requeued = await repo.update(approved, draft("A edited", "https://e.org/a"), status="pending", now=clock())
    again_approved = await repo.decide(requeued.id, approve=True, by=9, now=clock())
    assert again_approved.approved_at == first_approval and again_approved.reviewed_at == clock()


async def test_check_constraints_refuse_bad_rows(db):
    import sqlite3

    for values in (("x" * 257, "https://e.org"), ("t", "javascript:alert(1)"), ("", "https://e.org")):
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute(
                "INSERT INTO resources (guild_id, title, url, created_at, updated_at) VALUES (1, ?, ?, 'x', 'x')",
                values,
            )
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(
            "INSERT INTO resources (guild_id, title, url, status, created_at, updated_at)"
            " VALUES (1, 't', 'https://e.org', 'approved', 'x', 'x')"
        )


async def test_bookmarks_cascade_and_erasure(db, repo, clock):
    mine = await repo.insert(
        G, draft("Mine", "https://e.org/m"), status="approved", author_id=7, decided_by=7, now=clock()
    )
    pending = await repo.insert(
        G, draft("Pending", "https://e.org/p"), status="pending", author_id=7, decided_by=None, now=clock()
    )
    theirs = await repo.insert(
        G, draft("Theirs", "https://e.org/t"), status="approved", author_id=8, decided_by=7, now=clock()
    )
    assert await repo.save(7, theirs.id, clock()) and not await repo.save(7, theirs.id, clock())
    await repo.save(8, theirs.id, clock())
    await repo.save(8, mine.id, clock())
    assert [b.resource.id for b in await repo.bookmarks(8, G)] == [theirs.id, mine.id]
    assert await repo.erase_user(7) == 1 + 1 + 1 + 2  # bookmark, pending, author cleared, two decisions cleared
    assert await repo.get(G, pending.id) is None
    kept = await repo.get(G, mine.id)
    assert kept.status == "approved" and kept.author_id is None and kept.decided_by is None
    assert await repo.bookmarks(7) == []
    assert len(await repo.bookmarks(8)) == 2
    await repo.delete(theirs.id)
    assert [b.resource.id for b in await repo.bookmarks(8)] == [mine.id]
    assert await db.fetchval("SELECT count(*) FROM resource_tags WHERE resource_id = ?", (theirs.id,)) == 0


async def test_digest_window_stale_list_and_bulk_insert(repo, clock):
    start = clock()
    ids = await repo.insert_many(
        G, [draft(f"T{i}", f"https://e.org/{i}", tags="a, b") for i in range(3)], by=1, now=start
    )
    assert len(ids) == 3 and await repo.tag_counts(G) == [("a", 3), ("b", 3)]
    assert [r.id for r in await repo.approved_between(G, start - timedelta(days=7), start)] == ids
    assert await repo.approved_between(G, start, start + timedelta(days=1)) == []
    later = start + timedelta(days=400)
    await repo.mark_reviewed(ids[1], later)
    assert [r.id for r in await repo.stale(G, later - timedelta(days=365))] == [ids[0], ids[2]]
    assert await repo.digest_till(G) is None
    await repo.set_digest_till(G, later)
    await repo.set_digest_till(G, later)
    assert await repo.digest_till(G) == later
    found = await repo.live_urls(G, ["https://e.org/0", "https://e.org/9"])
    assert list(found) == ["https://e.org/0"]


async def test_broad_queries_rank_their_newest_candidates_and_fall_back_when_short(repo, clock, monkeypatch):
    import bot.db.resources as module

    monkeypatch.setattr(module, "CANDIDATES", 3)
    ours = [
        await repo.insert(
            G, draft(f"Guide {i}", f"https://e.org/g{i}"), status="approved", author_id=1, decided_by=1, now=clock()
        )
        for i in range(2)
    ]
    theirs = [
        await repo.insert(
            OTHER, draft(f"Guide {i}", f"https://e.org/o{i}"), status="approved", author_id=1, decided_by=1, now=clock()
        )
        for i in range(4)
    ]
    # The 3 newest matches are all the other server's: the capped page is empty, the exact query finds ours.
    assert sorted(await hits(repo, "guide")) == [r.id for r in ours]
    assert sorted(await hits(repo, "guide", guild=OTHER)) == [r.id for r in theirs]
    titles = await repo.titles(G, "{title} : (" + fts_query("gui") + ")")
    assert sorted(rid for rid, _ in titles) == [r.id for r in ours]
    assert await hits(repo, "nothing") == []
    # a full first page from the capped candidates says it was ranked among the newest only
    page = await repo.search_page(OTHER, fts_query("guide"), limit=2)
    assert page.broad and len(page.resources) == 2
    assert not (await repo.search_page(G, fts_query("guide"), limit=2)).broad  # exact after the fallback
