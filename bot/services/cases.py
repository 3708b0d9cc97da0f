"""Case posts: scan before post, pending drafts held in memory only, posting into a new thread.

A draft with findings waits in :class:`PendingDrafts` (memory, at most 15 minutes) while its author
decides; it is never written to the database or a log. Only the thread id ↔ author id is stored.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import discord

from bot.db.cases import CaseRepository
from bot.domain.cases import CaseDraft, FieldFinding, post_body, scan_draft
from bot.domain.clock import Clock
from bot.domain.errors import HarborError
from bot.privacy import Scanner
from bot.services.guild_config import GuildConfig
from bot.services.moderation import ModerationService
from bot.services.modlog import ModLog

PENDING_FOR = timedelta(minutes=15)


@dataclass
class Pending:
    """A draft waiting for its author: the text, what the author chose to keep, and when it expires."""

    author_id: int
    guild_id: int
    draft: CaseDraft
    expires: datetime
    keep: set[str] = field(default_factory=set)
    overrides: dict[str, int] = field(default_factory=dict)  # kind -> count: metadata only


class PendingDrafts:
    """In-memory drafts keyed by a random token; expired ones are dropped on every access."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._items: dict[str, Pending] = {}

    def _sweep(self) -> None:
        now = self.clock()
        for token in [t for t, p in self._items.items() if p.expires <= now]:
            del self._items[token]

    def put(self, author_id: int, guild_id: int, draft: CaseDraft) -> str:
        """Hold a draft; return its token."""
        self._sweep()
        token = secrets.token_hex(8)
        self._items[token] = Pending(author_id, guild_id, draft, self.clock() + PENDING_FOR)
        return token

    def get(self, token: str, author_id: int) -> Pending:
        """The author's draft, or HarborError when it expired (or belongs to someone else)."""
        self._sweep()
        pending = self._items.get(token)
        if pending is None or pending.author_id != author_id:
            raise HarborError("That draft expired (drafts are kept 15 minutes, in memory only). Run `/case new` again.")
        return pending

    def drop(self, token: str) -> None:
        """Forget a draft."""
        self._items.pop(token, None)

    def __len__(self) -> int:
        self._sweep()
        return len(self._items)


class CaseService:
    """Scan, hold and post cases."""

    def __init__(
        self,
        repo: CaseRepository,
        config: GuildConfig,
        scanner: Scanner,
        clock: Clock,
        modlog: ModLog | None = None,
        moderation: ModerationService | None = None,
    ) -> None:
        self.repo = repo
        self.modlog = modlog
        self.moderation = moderation
        self.config = config
        self.scanner = scanner
        self.clock = clock
        self.pending = PendingDrafts(clock)

    async def require_unrestricted(self, guild_id: int, user_id: int) -> None:
        """Refuse members a moderator restricted from case discussion."""
        if self.moderation is not None and await self.moderation.is_restricted(guild_id, user_id):
            raise HarborError("A moderator has restricted you from case discussion; you can appeal from their DM.")

    async def record_overrides(self, guild_id: int, author_id: int, channel_id: int, overrides: dict[str, int]) -> None:
        """Tell the mod log a member kept flagged fragments: kinds and counts only, never the words."""
        if self.modlog is None or not overrides:
            return
        summary = ", ".join(f"{kind} ×{count}" for kind, count in sorted(overrides.items()))
        await self.modlog.record(
            guild_id,
            "privacy_override",
            subject_id=author_id,
            moderator_id=None,
            channel_id=channel_id,
            reason=f"marked as not an identifier: {summary}",
            identifier_kinds=tuple(sorted(overrides)),
        )

    async def allow_list(self, guild_id: int) -> tuple[str, ...]:
        """The server's allow-listed words."""
        return tuple(await self.config.get(guild_id, "cases.allowlist", []) or ())

    async def scan(self, guild_id: int, draft: CaseDraft, keep: frozenset[str] = frozenset()) -> list[FieldFinding]:
        """Findings in every field, minus the server's allow-list and the author's kept fragments."""
        return scan_draft(self.scanner, draft, await self.allow_list(guild_id), keep)

    async def cases_channel(self, guild: discord.Guild) -> discord.TextChannel:
        """The configured cases channel, or HarborError saying how to set it."""
        channel_id = await self.config.channel(guild.id, "cases")
        channel = guild.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise HarborError("No cases channel is set up; an admin can choose one with `/setup channel cases`.")
        return channel

    async def post(self, guild: discord.Guild, author_id: int, draft: CaseDraft) -> discord.Thread:
        """Post clean text as the bot in a new thread of the cases channel; remember only who opened it."""
        channel = await self.cases_channel(guild)
        try:
            thread = await channel.create_thread(
                name=draft.title[:100], type=discord.ChannelType.public_thread, auto_archive_duration=10080
            )
        except discord.HTTPException:
            raise HarborError(
                "Harbor could not open a thread in the cases channel (missing Create Public Threads?). Nothing was "
                "posted; an admin can check with `/setup check`."
            ) from None
        by = "Posted anonymously." if draft.anonymous else f"Opened by <@{author_id}>."
        embed = discord.Embed(title=draft.title, description=post_body(draft)[:4096], colour=discord.Colour.teal())
        try:
            await thread.send(
                content=None if draft.anonymous else by,
                embed=embed,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:
            with contextlib.suppress(discord.HTTPException):
                await thread.delete()
            raise HarborError("Discord refused the post; nothing was posted. Please try again.") from None
        await self.repo.add(guild.id, thread.id, author_id, anonymous=draft.anonymous, now=self.clock())
        return thread
