"""Buddy links of check-ins: pending invitations and active pairs (all their SQL lives here)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class BuddyLink:
    """A pending invitation or an active buddy pair."""

    id: int
    inviter_id: int
    invitee_id: int
    guild_id: int | None
    status: str
    created_at: datetime

    def other(self, user_id: int) -> int:
        """The other member of the pair."""
        return self.invitee_id if user_id == self.inviter_id else self.inviter_id


def _link(row: sqlite3.Row) -> BuddyLink:
    return BuddyLink(
        row["id"], row["inviter_id"], row["invitee_id"], row["guild_id"], row["status"], from_db(row["created_at"])
    )


class BuddyQueries:
    """The `checkin_buddies` queries; `CheckinRepository` includes them."""

    db: Database

    # -- buddies -----------------------------------------------------------------------------------

    async def link_of(self, user_id: int, status: str = "active") -> BuddyLink | None:
        """The member's active link (or a pending one they are part of)."""
        row = await self.db.fetchone(
            "SELECT * FROM checkin_buddies WHERE status = ? AND (inviter_id = ? OR invitee_id = ?) ORDER BY id LIMIT 1",
            (status, user_id, user_id),
        )
        return _link(row) if row else None

    async def buddy_of(self, user_id: int) -> int | None:
        """The member's active buddy, if any."""
        link = await self.link_of(user_id)
        return link.other(user_id) if link else None

    async def link(self, link_id: int) -> BuddyLink | None:
        """One link by id."""
        row = await self.db.fetchone("SELECT * FROM checkin_buddies WHERE id = ?", (link_id,))
        return _link(row) if row else None

    async def pair(self, a: int, b: int) -> BuddyLink | None:
        """The link between two members, either direction."""
        row = await self.db.fetchone(
            "SELECT * FROM checkin_buddies WHERE min(inviter_id, invitee_id) = ? AND max(inviter_id, invitee_id) = ?",
            (min(a, b), max(a, b)),
        )
        return _link(row) if row else None

    async def invite(self, inviter: int, invitee: int, guild_id: int | None, now: datetime) -> BuddyLink:
        """Store a pending invitation (the caller has checked the rules)."""
        link_id = await self.db.execute(
            "INSERT INTO checkin_buddies (inviter_id, invitee_id, guild_id, status, created_at)"
            " VALUES (?, ?, ?, 'pending', ?)",
            (inviter, invitee, guild_id, to_db(now)),
        )
        return BuddyLink(link_id, inviter, invitee, guild_id, "pending", now)

    async def accept(self, link_id: int, now: datetime) -> BuddyLink | None:
        """Activate a pending link unless either member has meanwhile got a buddy; other invites lapse."""
        async with self.db.transaction():
            link = await self.link(link_id)
            if link is None or link.status != "pending":
                return None
            for member in (link.inviter_id, link.invitee_id):
                if await self.link_of(member) is not None:
                    return None
            await self.db.execute(
                "UPDATE checkin_buddies SET status = 'active', accepted_at = ? WHERE id = ?", (to_db(now), link_id)
            )
            await self.db.execute(
                "DELETE FROM checkin_buddies WHERE status = 'pending' AND"
                " (inviter_id IN (?, ?) OR invitee_id IN (?, ?))",
                (link.inviter_id, link.invitee_id, link.inviter_id, link.invitee_id),
            )
        return await self.link(link_id)

    async def pending_invites(self, inviter: int) -> int:
        """How many of the member's invitations wait for an answer."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM checkin_buddies WHERE inviter_id = ? AND status = 'pending'", (inviter,)
            )
            or 0
        )

    async def withdraw_invites(self, inviter: int) -> int:
        """Withdraw the member's unanswered invitations."""
        return await self.db.execute_rowcount(
            "DELETE FROM checkin_buddies WHERE inviter_id = ? AND status = 'pending'", (inviter,)
        )

    async def delete_link(self, link_id: int) -> bool:
        """Decline an invitation or end a pair."""
        return bool(await self.db.execute_rowcount("DELETE FROM checkin_buddies WHERE id = ?", (link_id,)))
