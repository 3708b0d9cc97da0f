"""Repository for the resource library: `resources`, `resource_tags`, `resource_bookmarks`, the FTS index.

All of the library's SQL lives here; callers get frozen dataclasses. The FTS5 index mirrors every row
(triggers in migration 0004); every search joins back and keeps only approved entries of one server,
so pending and rejected submissions are never found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db
from bot.domain.resources import Draft
from bot.domain.search import WEIGHTS

_BM25 = "bm25(resources_fts, " + ", ".join(str(w) for w in WEIGHTS) + ")"
_CHUNK = 400  # bound parameters per IN (…) list, well under SQLite's limit
CANDIDATES = 1000  # a broad query ranks its newest this-many matches (see `search`)


def _ranked(tag_filter: str, *, capped: bool) -> str:
    # Every row carries how many candidates there were; a LEFT JOIN from one row keeps that count even
    # when the page is empty. MATERIALIZED and the inner LIMIT keep bm25 to at most CANDIDATES rows.
    # The candidates are filtered and sorted as (id, score) pairs, through the covering index
    # resources_scope (migration 0016); whole rows are read only for the page itself.
    limit = f" ORDER BY rowid DESC LIMIT {CANDIDATES}" if capped else ""
    return (
        f"WITH cand AS MATERIALIZED (SELECT rowid AS id, {_BM25} AS score FROM resources_fts"  # noqa: S608
        f" WHERE resources_fts MATCH ?{limit}),"
        " hits AS (SELECT c.id AS id, c.score AS score FROM cand c JOIN resources r ON r.id = c.id"
        f" WHERE r.guild_id = ? AND r.status = 'approved'{tag_filter} ORDER BY c.score, c.id LIMIT ? OFFSET ?),"
        " page AS (SELECT r.*, hits.score AS score FROM hits JOIN resources r ON r.id = hits.id)"
        " SELECT (SELECT count(*) FROM cand) AS candidates, page.* FROM (SELECT 1) AS one"
        " LEFT JOIN page ON 1 ORDER BY page.score, page.id"
    )


async def _page(db: Database, tag_filter: str, params: list[Any], limit: int) -> tuple[list[sqlite3.Row], bool]:
    rows = await db.fetchall(_ranked(tag_filter, capped=True), params)
    broad = rows[0]["candidates"] >= CANDIDATES
    if broad and sum(r["id"] is not None for r in rows) < limit:
        rows = await db.fetchall(_ranked(tag_filter, capped=False), params)
        broad = False
    return [r for r in rows if r["id"] is not None], broad


@dataclass(frozen=True, slots=True)
class Resource:
    """One library entry."""

    id: int
    guild_id: int
    title: str
    url: str
    description: str
    tags: tuple[str, ...]
    status: str
    author_id: int | None
    decided_by: int | None
    reject_reason: str | None
    queue_channel_id: int | None
    queue_message_id: int | None
    created_at: datetime
    updated_at: datetime
    approved_at: datetime | None
    reviewed_at: datetime | None


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of ranked results; `broad` when they were ranked among the newest `CANDIDATES` matches."""

    resources: list[Resource]
    broad: bool = False


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A member's saved entry and when it was saved."""

    resource: Resource
    saved_at: datetime


class DuplicateUrlError(Exception):
    """The link is already in this server's library (approved or waiting for review)."""

    def __init__(self, existing: Resource) -> None:
        super().__init__(existing.id)
        self.existing = existing


def _opt(value: str | None) -> datetime | None:
    return from_db(value) if value else None


def _resource(row: sqlite3.Row) -> Resource:
    return Resource(
        id=row["id"],
        guild_id=row["guild_id"],
        title=row["title"],
        url=row["url"],
        description=row["description"],
        tags=tuple(row["tags"].split()),
        status=row["status"],
        author_id=row["author_id"],
        decided_by=row["decided_by"],
        reject_reason=row["reject_reason"],
        queue_channel_id=row["queue_channel_id"],
        queue_message_id=row["queue_message_id"],
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        approved_at=_opt(row["approved_at"]),
        reviewed_at=_opt(row["reviewed_at"]),
    )


class ResourceRepository:
    """Reads and writes the library."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- single entries ----------------------------------------------------------------------------

    async def get(self, guild_id: int, resource_id: int) -> Resource | None:
        """One entry of this server, whatever its status."""
        row = await self.db.fetchone("SELECT * FROM resources WHERE id = ? AND guild_id = ?", (resource_id, guild_id))
        return _resource(row) if row else None

    async def get_any(self, resource_id: int) -> Resource | None:
        """One entry by id alone (buttons carry only the id; the caller checks the guild)."""
        row = await self.db.fetchone("SELECT * FROM resources WHERE id = ?", (resource_id,))
        return _resource(row) if row else None

    async def live_by_url(self, guild_id: int, url: str, *, excluding: int | None = None) -> Resource | None:
        """The approved or pending entry with this (normalised) link."""
        row = await self.db.fetchone(
            "SELECT * FROM resources WHERE guild_id = ? AND url = ? AND status IN ('pending', 'approved')"
            " AND id IS NOT ?",
            (guild_id, url, excluding),
        )
        return _resource(row) if row else None

    async def _write_tags(self, resource_id: int, tags: Sequence[str]) -> None:
        await self.db.execute("DELETE FROM resource_tags WHERE resource_id = ?", (resource_id,))
        await self.db.executemany(
            "INSERT INTO resource_tags (resource_id, tag) VALUES (?, ?)", [(resource_id, t) for t in tags]
        )

    async def insert(
        self, guild_id: int, draft: Draft, *, status: str, author_id: int | None, decided_by: int | None, now: datetime
    ) -> Resource:
        """Store a new entry and its tags in one transaction; `DuplicateUrlError` when the link is live."""
        async with self.db.transaction():
            existing = await self.live_by_url(guild_id, draft.url)
            if existing is not None:
                raise DuplicateUrlError(existing)
            approved = to_db(now) if status == "approved" else None
            rid = await self.db.execute(
                "INSERT INTO resources (guild_id, title, url, description, tags, status, author_id, decided_by,"
                " created_at, updated_at, approved_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    draft.title,
                    draft.url,
                    draft.description,
                    " ".join(draft.tags),
                    status,
                    author_id,
                    decided_by,
                    to_db(now),
                    to_db(now),
                    approved,
                    approved,
                ),
            )
            await self._write_tags(rid, draft.tags)
            row = await self.db.fetchone("SELECT * FROM resources WHERE id = ?", (rid,))
        assert row is not None
        return _resource(row)

    async def update(self, resource: Resource, draft: Draft, *, status: str, now: datetime) -> Resource:
        """Replace an entry's fields (and status: an edit may send it back to review)."""
        async with self.db.transaction():
            existing = await self.live_by_url(resource.guild_id, draft.url, excluding=resource.id)
            if existing is not None:
                raise DuplicateUrlError(existing)
            await self.db.execute(
                "UPDATE resources SET title = ?, url = ?, description = ?, tags = ?, status = ?, updated_at = ?"
                " WHERE id = ?",
                (draft.title, draft.url, draft.description, " ".join(draft.tags), status, to_db(now), resource.id),
            )
            await self._write_tags(resource.id, draft.tags)
            row = await self.db.fetchone("SELECT * FROM resources WHERE id = ?", (resource.id,))
        assert row is not None
        return _resource(row)

    async def set_queue_message(self, resource_id: int, channel_id: int | None, message_id: int | None) -> None:
        """Remember the mod-queue message of a pending entry."""
        await self.db.execute(
            "UPDATE resources SET queue_channel_id = ?, queue_message_id = ? WHERE id = ?",
            (channel_id, message_id, resource_id),
        )

    async def decide(
        self, resource_id: int, *, approve: bool, by: int, now: datetime, reason: str | None = None
    ) -> Resource | None:
        """Approve or reject a pending entry; None when it is no longer pending (someone was faster)."""
        async with self.db.transaction():
            if approve:
                changed = await self.db.execute_rowcount(
                    # An edit approved again keeps its first approval time: the digest announces it once.
                    "UPDATE resources SET status = 'approved', decided_by = ?, approved_at = coalesce(approved_at, ?),"
                    " reviewed_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                    (by, to_db(now), to_db(now), to_db(now), resource_id),
                )
            else:
                changed = await self.db.execute_rowcount(
                    "UPDATE resources SET status = 'rejected', decided_by = ?, reject_reason = ?, updated_at = ?"
                    " WHERE id = ? AND status = 'pending'",
                    (by, reason, to_db(now), resource_id),
                )
            if not changed:
                return None
            row = await self.db.fetchone("SELECT * FROM resources WHERE id = ?", (resource_id,))
        return _resource(row) if row else None

    async def delete(self, resource_id: int) -> bool:
        """Remove an entry (its tags and bookmarks go with it)."""
        return bool(await self.db.execute_rowcount("DELETE FROM resources WHERE id = ?", (resource_id,)))

    async def mark_reviewed(self, resource_id: int, now: datetime) -> bool:
        """Record that a moderator checked an approved entry is still good."""
        return bool(
            await self.db.execute_rowcount(
                "UPDATE resources SET reviewed_at = ? WHERE id = ? AND status = 'approved'", (to_db(now), resource_id)
            )
        )

    # -- search ------------------------------------------------------------------------------------

    async def search(
        self, guild_id: int, match: str | None, *, tag: str | None = None, limit: int = 5, offset: int = 0
    ) -> list[Resource]:
        """Approved entries, best first (see `search_page`)."""
        return (await self.search_page(guild_id, match, tag=tag, limit=limit, offset=offset)).resources

    async def search_page(
        self, guild_id: int, match: str | None, *, tag: str | None = None, limit: int = 5, offset: int = 0
    ) -> SearchPage:
        """Approved entries ranked by bm25 (title weighted highest); newest first when there is no query.

        A broad query is ranked among its `CANDIDATES` newest matches (bm25 costs time per match, and a word
        in one entry in ten would otherwise cost tens of milliseconds at 100,000 entries). When there were
        that many candidates and the page still came out short (the last page, or a server whose entries
        are older than other servers'), the exact query over every match runs, so nothing findable is
        missed; a query with fewer matches is exact from the start.
        """
        tag_filter = " AND r.id IN (SELECT resource_id FROM resource_tags WHERE tag = ?)" if tag else ""
        if match is None:
            sql = (
                "SELECT r.* FROM resources r WHERE r.guild_id = ? AND r.status = 'approved'"  # noqa: S608
                + tag_filter
                + " ORDER BY r.approved_at DESC, r.id DESC LIMIT ? OFFSET ?"
            )
            rows = await self.db.fetchall(sql, [guild_id, *([tag] if tag else []), limit, offset])
            return SearchPage([_resource(r) for r in rows])
        params = [match, guild_id, *([tag] if tag else []), limit, offset]
        rows, broad = await _page(self.db, tag_filter, params, limit)
        return SearchPage([_resource(r) for r in rows], broad)

    async def titles(self, guild_id: int, match: str | None, limit: int = 25) -> list[tuple[int, str]]:
        """(id, title) of approved entries for autocomplete: best title matches, or the newest."""
        if match is None:
            rows = await self.db.fetchall(
                "SELECT id, title FROM resources WHERE guild_id = ? AND status = 'approved'"
                " ORDER BY approved_at DESC, id DESC LIMIT ?",
                (guild_id, limit),
            )
            return [(r["id"], r["title"]) for r in rows]
        rows, _ = await _page(self.db, "", [match, guild_id, limit, 0], limit)
        return [(r["id"], r["title"]) for r in rows]

    async def tag_counts(self, guild_id: int) -> list[tuple[str, int]]:
        """Every tag of this server's approved entries with how many entries carry it, commonest first."""
        rows = await self.db.fetchall(
            "SELECT t.tag, count(*) AS n FROM resource_tags t JOIN resources r ON r.id = t.resource_id"
            " WHERE r.guild_id = ? AND r.status = 'approved' GROUP BY t.tag ORDER BY n DESC, t.tag",
            (guild_id,),
        )
        return [(r["tag"], r["n"]) for r in rows]

    # -- bookmarks ---------------------------------------------------------------------------------

    async def save(self, user_id: int, resource_id: int, now: datetime) -> bool:
        """Bookmark an entry; False when it was already saved."""
        return bool(
            await self.db.execute_rowcount(
                "INSERT OR IGNORE INTO resource_bookmarks (user_id, resource_id, created_at) VALUES (?, ?, ?)",
                (user_id, resource_id, to_db(now)),
            )
        )

    async def unsave(self, user_id: int, resource_id: int) -> bool:
        """Remove a bookmark; False when there was none."""
        return bool(
            await self.db.execute_rowcount(
                "DELETE FROM resource_bookmarks WHERE user_id = ? AND resource_id = ?", (user_id, resource_id)
            )
        )

    async def bookmarks(
        self, user_id: int, guild_id: int | None = None, *, approved_only: bool = True
    ) -> list[Bookmark]:
        """A member's bookmarks (all servers when `guild_id` is None), newest first."""
        rows = await self.db.fetchall(
            "SELECT r.*, b.created_at AS saved_at FROM resource_bookmarks b JOIN resources r ON r.id = b.resource_id"
            " WHERE b.user_id = ? AND (r.status = 'approved' OR NOT ?) AND (? IS NULL OR r.guild_id = ?)"
            " ORDER BY b.created_at DESC, r.id DESC",
            (user_id, approved_only, guild_id, guild_id),
        )
        return [Bookmark(_resource(r), from_db(r["saved_at"])) for r in rows]

    # -- schedules' queries ------------------------------------------------------------------------

    async def approved_between(self, guild_id: int, since: datetime, until: datetime) -> list[Resource]:
        """Entries approved in (since, until], oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM resources WHERE guild_id = ? AND status = 'approved' AND approved_at > ?"
            " AND approved_at <= ? ORDER BY approved_at, id",
            (guild_id, to_db(since), to_db(until)),
        )
        return [_resource(r) for r in rows]

    async def stale(self, guild_id: int, before: datetime) -> list[Resource]:
        """Approved entries last reviewed before `before`, least recently reviewed first."""
        rows = await self.db.fetchall(
            "SELECT * FROM resources WHERE guild_id = ? AND status = 'approved' AND reviewed_at < ?"
            " ORDER BY reviewed_at, id",
            (guild_id, to_db(before)),
        )
        return [_resource(r) for r in rows]

    async def digest_till(self, guild_id: int) -> datetime | None:
        """Up to when the weekly digest has announced entries."""
        value = await self.db.fetchval("SELECT announced_till FROM resource_digests WHERE guild_id = ?", (guild_id,))
        return from_db(value) if value else None

    async def set_digest_till(self, guild_id: int, moment: datetime) -> None:
        """Record the digest's new high-water mark."""
        await self.db.execute(
            "INSERT INTO resource_digests (guild_id, announced_till) VALUES (?, ?)"
            " ON CONFLICT(guild_id) DO UPDATE SET announced_till = excluded.announced_till",
            (guild_id, to_db(moment)),
        )

    # -- import / export ---------------------------------------------------------------------------

    async def live_urls(self, guild_id: int, urls: Iterable[str]) -> dict[str, Resource]:
        """The live entries, by link, among `urls`."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, Resource] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = await self.db.fetchall(
                "SELECT * FROM resources WHERE guild_id = ? AND status IN ('pending', 'approved') AND url IN ("  # noqa: S608 (constant SQL; values are bound)
                + ", ".join("?" * len(chunk))
                + ")",
                (guild_id, *chunk),
            )
            found.update({r["url"]: _resource(r) for r in rows})
        return found

    async def insert_many(self, guild_id: int, drafts: Sequence[Draft], *, by: int, now: datetime) -> list[int]:
        """Store approved entries in one transaction (the caller removed duplicates); their ids."""
        stamp = to_db(now)
        ids: list[int] = []
        async with self.db.transaction():
            for draft in drafts:
                rid = await self.db.execute(
                    "INSERT INTO resources (guild_id, title, url, description, tags, status, author_id, decided_by,"
                    " created_at, updated_at, approved_at, reviewed_at)"
                    " VALUES (?, ?, ?, ?, ?, 'approved', NULL, ?, ?, ?, ?, ?)",
                    (
                        guild_id,
                        draft.title,
                        draft.url,
                        draft.description,
                        " ".join(draft.tags),
                        by,
                        stamp,
                        stamp,
                        stamp,
                        stamp,
                    ),
                )
                ids.append(rid)
            await self.db.executemany(
                "INSERT INTO resource_tags (resource_id, tag) VALUES (?, ?)",
                [(rid, t) for rid, d in zip(ids, drafts, strict=True) for t in d.tags],
            )
        return ids

    async def approved(self, guild_id: int) -> list[Resource]:
        """Every approved entry of a server, by id (for export)."""
        rows = await self.db.fetchall(
            "SELECT * FROM resources WHERE guild_id = ? AND status = 'approved' ORDER BY id", (guild_id,)
        )
        return [_resource(r) for r in rows]

    # -- a member's data (/mydata) -----------------------------------------------------------------

    async def submissions(self, user_id: int) -> list[Resource]:
        """Every entry a member submitted, in every server."""
        rows = await self.db.fetchall("SELECT * FROM resources WHERE author_id = ? ORDER BY id", (user_id,))
        return [_resource(r) for r in rows]

    async def decisions(self, user_id: int) -> int:
        """How many submissions a moderator approved or rejected."""
        return int(await self.db.fetchval("SELECT count(*) FROM resources WHERE decided_by = ?", (user_id,)) or 0)

    async def erase_user(self, user_id: int) -> int:
        """Bookmarks erased, pending and rejected submissions withdrawn, approved ones kept without the author.

        Rows changed, in the caller's transaction when there is one.
        """
        async with self.db.transaction():
            count = await self.db.execute_rowcount("DELETE FROM resource_bookmarks WHERE user_id = ?", (user_id,))
            count += await self.db.execute_rowcount(
                "DELETE FROM resources WHERE author_id = ? AND status IN ('pending', 'rejected')", (user_id,)
            )
            count += await self.db.execute_rowcount(
                "UPDATE resources SET author_id = NULL WHERE author_id = ?", (user_id,)
            )
            count += await self.db.execute_rowcount(
                "UPDATE resources SET decided_by = NULL WHERE decided_by = ?", (user_id,)
            )
        return count
