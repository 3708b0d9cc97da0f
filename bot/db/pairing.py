"""Repository for peer pairing: opt-ins, confidential avoid lists, rounds, groups and feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db
from bot.domain.pairing import Pair, Rates


@dataclass(frozen=True, slots=True)
class Membership:
    """A member's opt-in to pairing in one server."""

    guild_id: int
    user_id: int
    joined_at: datetime
    paused_until: datetime | None


@dataclass(frozen=True, slots=True)
class Round:
    """One pairing round."""

    id: int
    guild_id: int
    key: str
    channel_id: int
    seed: int
    status: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Group:
    """A pair or trio of one round, and where its thread is."""

    id: int
    round_id: int
    guild_id: int
    position: int
    icebreaker: str
    thread_id: int | None
    status: str
    members: tuple[int, ...]


class PairingRepository:
    """All SQL of the pairing feature."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- membership --------------------------------------------------------------------------------

    async def membership(self, guild_id: int, user_id: int) -> Membership | None:
        """A member's opt-in, or None."""
        row = await self.db.fetchone(
            "SELECT * FROM pairing_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        if row is None:
            return None
        paused = from_db(row["paused_until"]) if row["paused_until"] else None
        return Membership(row["guild_id"], row["user_id"], from_db(row["joined_at"]), paused)

    async def join(self, guild_id: int, user_id: int, now: datetime) -> None:
        """Opt in (or lift a pause)."""
        await self.db.execute(
            "INSERT INTO pairing_members (guild_id, user_id, joined_at) VALUES (?, ?, ?)"
            " ON CONFLICT(guild_id, user_id) DO UPDATE SET paused_until = NULL",
            (guild_id, user_id, to_db(now)),
        )

    async def leave(self, guild_id: int, user_id: int) -> bool:
        """Opt out; False when the member was not in."""
        return bool(
            await self.db.execute_rowcount(
                "DELETE FROM pairing_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
        )

    async def pause(self, guild_id: int, user_id: int, until: datetime) -> bool:
        """Skip rounds until a moment; False when the member has not joined."""
        return bool(
            await self.db.execute_rowcount(
                "UPDATE pairing_members SET paused_until = ? WHERE guild_id = ? AND user_id = ?",
                (to_db(until), guild_id, user_id),
            )
        )

    async def eligible(self, guild_id: int, now: datetime) -> list[int]:
        """Members opted in and not paused at `now`."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM pairing_members WHERE guild_id = ? AND (paused_until IS NULL OR paused_until <= ?)"
            " ORDER BY user_id",
            (guild_id, to_db(now)),
        )
        return [r["user_id"] for r in rows]

    async def count_members(self, guild_id: int) -> int:
        """How many members have opted in (paused ones included)."""
        return int(await self.db.fetchval("SELECT count(*) FROM pairing_members WHERE guild_id = ?", (guild_id,)))

    # -- avoid lists -------------------------------------------------------------------------------

    async def add_avoid(self, guild_id: int, user_id: int, avoided_id: int, now: datetime) -> bool:
        """Add to a member's avoid list; False when already there."""
        return bool(
            await self.db.execute_rowcount(
                "INSERT INTO pairing_avoids (guild_id, user_id, avoided_id, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (guild_id, user_id, avoided_id, to_db(now)),
            )
        )

    async def remove_avoid(self, guild_id: int, user_id: int, avoided_id: int) -> bool:
        """Remove from a member's avoid list; False when it was not there."""
        return bool(
            await self.db.execute_rowcount(
                "DELETE FROM pairing_avoids WHERE guild_id = ? AND user_id = ? AND avoided_id = ?",
                (guild_id, user_id, avoided_id),
            )
        )

    async def count_avoids(self, guild_id: int, user_id: int) -> int:
        """How long a member's avoid list is."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM pairing_avoids WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
        )

    async def avoid_pairs(self, guild_id: int) -> set[Pair]:
        """Every avoid entry of the server as an unordered pair (either side's list counts)."""
        rows = await self.db.fetchall("SELECT user_id, avoided_id FROM pairing_avoids WHERE guild_id = ?", (guild_id,))
        return {frozenset((r["user_id"], r["avoided_id"])) for r in rows}

    # -- rounds ------------------------------------------------------------------------------------

    async def round_by_key(self, key: str) -> Round | None:
        """The round created under an idempotency key."""
        row = await self.db.fetchone("SELECT * FROM pairing_rounds WHERE key = ?", (key,))
        return _round(row) if row else None

    async def unfinished_round(self, guild_id: int) -> Round | None:
        """The server's latest round that did not finish (e.g. Discord refused part-way), to resume it."""
        row = await self.db.fetchone(
            "SELECT * FROM pairing_rounds WHERE guild_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1", (guild_id,)
        )
        return _round(row) if row else None

    async def recent_pairs(self, guild_id: int, rounds: int) -> set[Pair]:
        """Pairs who met in the server's last `rounds` rounds (each two-person combination of a trio too)."""
        rows = await self.db.fetchall(
            "SELECT a.user_id AS a, b.user_id AS b FROM pairing_group_members a"
            " JOIN pairing_group_members b ON a.group_id = b.group_id AND a.user_id < b.user_id"
            " WHERE a.group_id IN (SELECT g.id FROM pairing_groups g WHERE g.round_id IN ("
            "   SELECT id FROM pairing_rounds WHERE guild_id = ? ORDER BY started_at DESC, id DESC LIMIT ?))",
            (guild_id, rounds),
        )
        return {frozenset((r["a"], r["b"])) for r in rows}

    async def create_round(
        self,
        guild_id: int,
        key: str,
        channel_id: int,
        seed: int,
        now: datetime,
        groups: Sequence[tuple[Sequence[int], str]],
        unpaired: Sequence[int],
    ) -> Round:
        """Store a round with its groups (members and icebreaker) and unpaired members, in one transaction."""
        async with self.db.transaction():
            round_id = await self.db.execute(
                "INSERT INTO pairing_rounds (guild_id, key, channel_id, seed, started_at) VALUES (?, ?, ?, ?, ?)",
                (guild_id, key, channel_id, seed, to_db(now)),
            )
            for position, (members, icebreaker) in enumerate(groups):
                group_id = await self.db.execute(
                    "INSERT INTO pairing_groups (round_id, position, icebreaker) VALUES (?, ?, ?)",
                    (round_id, position, icebreaker),
                )
                await self.db.executemany(
                    "INSERT INTO pairing_group_members (group_id, user_id) VALUES (?, ?)",
                    [(group_id, m) for m in members],
                )
            await self.db.executemany(
                "INSERT INTO pairing_unpaired (round_id, user_id) VALUES (?, ?)", [(round_id, m) for m in unpaired]
            )
        return Round(round_id, guild_id, key, channel_id, seed, "open", now)

    async def delete_round(self, round_id: int) -> None:
        """Remove a round that could not start (its groups cascade)."""
        await self.db.execute("DELETE FROM pairing_rounds WHERE id = ?", (round_id,))

    async def finish_round(self, round_id: int, now: datetime) -> None:
        """Mark a round done."""
        await self.db.execute(
            "UPDATE pairing_rounds SET status = 'done', finished_at = ? WHERE id = ?", (to_db(now), round_id)
        )

    async def groups(self, round_id: int) -> list[Group]:
        """A round's groups, in order."""
        rows = await self.db.fetchall(
            "SELECT g.*, r.guild_id, (SELECT group_concat(user_id) FROM pairing_group_members m"
            "  WHERE m.group_id = g.id) AS members"
            " FROM pairing_groups g JOIN pairing_rounds r ON r.id = g.round_id WHERE g.round_id = ?"
            " ORDER BY g.position",
            (round_id,),
        )
        return [_group(r) for r in rows]

    async def group(self, group_id: int) -> Group | None:
        """One group by id."""
        row = await self.db.fetchone(
            "SELECT g.*, r.guild_id, (SELECT group_concat(user_id) FROM pairing_group_members m"
            "  WHERE m.group_id = g.id) AS members"
            " FROM pairing_groups g JOIN pairing_rounds r ON r.id = g.round_id WHERE g.id = ?",
            (group_id,),
        )
        return _group(row) if row else None

    async def set_thread(self, group_id: int, thread_id: int) -> None:
        """Record a group's thread the moment it exists."""
        await self.db.execute("UPDATE pairing_groups SET thread_id = ? WHERE id = ?", (thread_id, group_id))

    async def set_group_status(self, group_id: int, status: str) -> None:
        """Move a group on: pending → open (icebreaker posted) → asked (follow-up posted)."""
        await self.db.execute("UPDATE pairing_groups SET status = ? WHERE id = ?", (status, group_id))

    async def drop_group_member(self, group_id: int, user_id: int) -> None:
        """Someone who left the server before their thread opened."""
        await self.db.execute(
            "DELETE FROM pairing_group_members WHERE group_id = ? AND user_id = ?", (group_id, user_id)
        )

    async def untold_unpaired(self, round_id: int) -> list[int]:
        """Unpaired members of a round not told yet."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM pairing_unpaired WHERE round_id = ? AND told_at IS NULL ORDER BY user_id", (round_id,)
        )
        return [r["user_id"] for r in rows]

    async def count_unpaired(self, round_id: int) -> int:
        """How many members a round could not place."""
        return int(await self.db.fetchval("SELECT count(*) FROM pairing_unpaired WHERE round_id = ?", (round_id,)))

    async def mark_told(self, round_id: int, user_id: int, now: datetime) -> None:
        """An unpaired member has been told."""
        await self.db.execute(
            "UPDATE pairing_unpaired SET told_at = ? WHERE round_id = ? AND user_id = ?",
            (to_db(now), round_id, user_id),
        )

    # -- feedback and rates ------------------------------------------------------------------------

    async def record_feedback(self, group_id: int, user_id: int, answer: str, now: datetime) -> None:
        """Store (or change) a member's answer to "Did you connect?"."""
        await self.db.execute(
            "INSERT INTO pairing_feedback (group_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(group_id, user_id) DO UPDATE SET answer = excluded.answer,"
            " answered_at = excluded.answered_at",
            (group_id, user_id, answer, to_db(now)),
        )

    async def rates(self, guild_id: int) -> Rates:
        """Aggregate counts over every round of a server (no member ids leave this method)."""
        row = await self.db.fetchone(
            "WITH g AS (SELECT g.id FROM pairing_groups g JOIN pairing_rounds r ON r.id = g.round_id"
            "           WHERE r.guild_id = ? AND g.thread_id IS NOT NULL),"
            " f AS (SELECT * FROM pairing_feedback WHERE group_id IN (SELECT id FROM g))"
            " SELECT (SELECT count(*) FROM pairing_rounds WHERE guild_id = ? AND status = 'done') AS rounds,"
            "  (SELECT count(*) FROM g) AS groups,"
            "  (SELECT count(*) FROM pairing_group_members WHERE group_id IN (SELECT id FROM g)) AS people,"
            "  (SELECT count(DISTINCT user_id) FROM f) AS respondents,"
            "  (SELECT count(DISTINCT group_id) FROM f WHERE answer IN ('yes', 'not_yet')) AS answered,"
            "  (SELECT count(DISTINCT group_id) FROM f WHERE answer = 'yes') AS connected",
            (guild_id, guild_id),
        )
        assert row is not None
        return Rates(row["rounds"], row["groups"], row["people"], row["respondents"], row["answered"], row["connected"])

    # -- /mydata -----------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything pairing stores about a member: opt-ins, their own avoid list, history, feedback."""
        members = await self.db.fetchall("SELECT * FROM pairing_members WHERE user_id = ?", (user_id,))
        avoids = await self.db.fetchall("SELECT * FROM pairing_avoids WHERE user_id = ?", (user_id,))
        history = await self.db.fetchall(
            "SELECT g.id, r.guild_id, r.started_at, g.thread_id, (SELECT group_concat(o.user_id)"
            "  FROM pairing_group_members o WHERE o.group_id = g.id AND o.user_id <> ?) AS others"
            " FROM pairing_group_members m JOIN pairing_groups g ON g.id = m.group_id"
            " JOIN pairing_rounds r ON r.id = g.round_id WHERE m.user_id = ? ORDER BY r.started_at",
            (user_id, user_id),
        )
        unpaired = await self.db.fetchall(
            "SELECT r.guild_id, r.started_at FROM pairing_unpaired u JOIN pairing_rounds r ON r.id = u.round_id"
            " WHERE u.user_id = ?",
            (user_id,),
        )
        feedback = await self.db.fetchall("SELECT * FROM pairing_feedback WHERE user_id = ?", (user_id,))
        return {
            "memberships": [
                {"guild_id": str(r["guild_id"]), "joined_at": r["joined_at"], "paused_until": r["paused_until"]}
                for r in members
            ],
            "avoid_list": [
                {"guild_id": str(r["guild_id"]), "user_id": str(r["avoided_id"]), "since": r["created_at"]}
                for r in avoids
            ],
            "pairs": [
                {
                    "group": r["id"],
                    "guild_id": str(r["guild_id"]),
                    "round_started": r["started_at"],
                    "thread_id": str(r["thread_id"]) if r["thread_id"] else None,
                    "with": (r["others"] or "").split(",") if r["others"] else [],
                }
                for r in history
            ],
            "unpaired_rounds": [{"guild_id": str(r["guild_id"]), "round_started": r["started_at"]} for r in unpaired],
            "feedback": [
                {"group": r["group_id"], "answer": r["answer"], "answered_at": r["answered_at"]} for r in feedback
            ],
        }

    async def erase_user(self, user_id: int) -> int:
        """Erase a member's pairing rows (see the DataSection's `kept` for what deliberately stays)."""
        count = 0
        async with self.db.transaction():
            for sql in (
                "DELETE FROM pairing_members WHERE user_id = ?",
                "DELETE FROM pairing_avoids WHERE user_id = ?",
                "DELETE FROM pairing_feedback WHERE user_id = ?",
                "DELETE FROM pairing_group_members WHERE user_id = ?",
                "DELETE FROM pairing_unpaired WHERE user_id = ?",
            ):
                count += await self.db.execute_rowcount(sql, (user_id,))
        return count


def _round(row: Any) -> Round:
    return Round(
        row["id"],
        row["guild_id"],
        row["key"],
        row["channel_id"],
        row["seed"],
        row["status"],
        from_db(row["started_at"]),
    )


def _group(row: Any) -> Group:
    members = tuple(sorted(int(m) for m in row["members"].split(","))) if row["members"] else ()
    return Group(
        row["id"],
        row["round_id"],
        row["guild_id"],
        row["position"],
        row["icebreaker"],
        row["thread_id"],
        row["status"],
        members,
    )
