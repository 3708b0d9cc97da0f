"""Case posts: scan before post, pending drafts held in memory only, posting into a new thread.

A draft with findings waits in :class:`PendingDrafts` (memory, at most 15 minutes) while its author
decides; it is never written to the database or a log. Only the thread id ↔ author id is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.db.cases import CaseRepository, CaseThread
from bot.domain.cases import ALLOW_MAX_WORDS, CaseDraft, FieldFinding, clean_allow_word, post_body, scan_draft
from bot.domain.clock import Clock
from bot.domain.errors import HarborError
from bot.privacy import Scanner
from bot.services.guild_config import GuildConfig
from bot.services.moderation import ModerationService
from bot.services.modlog import ModLog
from bot.services.notify import Notifier

PENDING_FOR = timedelta(minutes=15)
ALLOW_KEY = "cases.allowlist"
TOUCH_EVERY = timedelta(minutes=10)  # activity is noted at most this often per thread (idle threads close)


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
        self._items: dict[int, Pending] = {}

    def _sweep(self) -> None:
        now = self.clock()
        for token in [t for t, p in self._items.items() if p.expires <= now]:
            del self._items[token]

    def put(self, author_id: int, guild_id: int, draft: CaseDraft) -> int:
        """Hold a draft; return its token (random, 48 bits: it goes into buttons' custom ids)."""
        self._sweep()
        token = secrets.randbits(48)
        self._items[token] = Pending(author_id, guild_id, draft, self.clock() + PENDING_FOR)
        return token

    def get(self, token: int, author_id: int) -> Pending:
        """The author's draft, or HarborError when it expired (or belongs to someone else)."""
        self._sweep()
        pending = self._items.get(token)
        if pending is None or pending.author_id != author_id:
            raise HarborError("That draft expired (drafts are kept 15 minutes, in memory only). Run `/case new` again.")
        return pending

    def drop(self, token: int) -> None:
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
        notifier: Notifier | None = None,
    ) -> None:
        self.repo = repo
        self.notifier = notifier
        self.modlog = modlog
        self.moderation = moderation
        self.config = config
        self.scanner = scanner
        self.clock = clock
        self.pending = PendingDrafts(clock)
        self._touched: dict[int, datetime] = {}
        self._warn_lock = asyncio.Lock()

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
        return tuple(await self.config.get(guild_id, ALLOW_KEY, []) or ())

    async def allow_add(self, guild_id: int, word: str, *, by: int) -> tuple[str, bool]:
        """Add a word to the allow-list; return the cleaned word and whether it was new."""
        entry = clean_allow_word(word)
        words = list(await self.allow_list(guild_id))
        if entry.lower() in {w.lower() for w in words}:
            return entry, False
        if len(words) >= ALLOW_MAX_WORDS:
            raise HarborError(f"The allow-list is full ({ALLOW_MAX_WORDS} words); remove one first.")
        await self.config.set(guild_id, ALLOW_KEY, [*words, entry], by=by)
        return entry, True

    async def allow_remove(self, guild_id: int, word: str, *, by: int) -> bool:
        """Remove a word (case-insensitive); False when it was not on the list."""
        words = list(await self.allow_list(guild_id))
        wanted = " ".join(word.split()).lower()
        kept = [w for w in words if w.lower() != wanted]
        if len(kept) == len(words):
            return False
        await self.config.set(guild_id, ALLOW_KEY, kept, by=by)
        return True

    async def finding_kinds(self, guild_id: int, text: str) -> list[str]:
        """The kinds of identifier the scanner finds in `text` (with the server's allow-list)."""
        result = self.scanner.scan(text, await self.allow_list(guild_id))
        return sorted({f.kind for f in result.findings})

    async def author(self, thread_id: int) -> int | None:
        """Who opened a case thread, or None when the thread is not (or no longer) a case thread."""
        return await self.repo.author(thread_id)

    async def thread(self, thread_id: int) -> CaseThread | None:
        """A case thread's metadata (ids and times)."""
        return await self.repo.get(thread_id)

    async def note_activity(self, thread_id: int) -> None:
        """Remember that a case thread is in use (throttled: at most one write per thread per 10 minutes)."""
        now = self.clock()
        last = self._touched.get(thread_id)
        if last is not None and now - last < TOUCH_EVERY:
            return
        self._touched[thread_id] = now
        if len(self._touched) > 10_000:
            self._touched.clear()
        await self.repo.touch(thread_id, now)

    async def mark_closed(self, thread_id: int) -> bool:
        """Mark a case thread closed; False when it already was."""
        return await self.repo.mark_closed(thread_id, self.clock())

    async def reopen(self, thread_id: int) -> None:
        """Undo `mark_closed` (Discord refused to lock the thread)."""
        await self.repo.reopen(thread_id)

    async def idle_since(self, cutoff: datetime) -> list[CaseThread]:
        """Open case threads without activity since `cutoff`."""
        return await self.repo.open_idle_since(cutoff)

    async def tell_missing_permission(self, guild: discord.Guild, key: str, channel_id: int, text: str) -> None:
        """Tell the mod log and the server owner once (durably, per server and `key`) that Harbor lacks a permission.

        `permission_works` re-arms the warning once the action succeeds again. Metadata only: no message text.
        """
        flag = f"cases.warned.{key}"
        async with self._warn_lock:  # two refusals at once must not both see "not told yet"
            if await self.config.get(guild.id, flag, False):
                return
            await self.config.set(guild.id, flag, True, by=None)
        if self.modlog is not None:
            await self.modlog.record(
                guild.id, "privacy_violation", subject_id=None, moderator_id=None, channel_id=channel_id, reason=text
            )
        if self.notifier is not None and guild.owner_id is not None:
            await self.notifier.dm(
                guild.owner_id, purpose=f"case_{key}", guild_id=guild.id, content=f"**{guild.name}**: {text}"
            )

    async def permission_works(self, guild_id: int, key: str) -> None:
        """The action `key` succeeded: a later refusal is reported again."""
        flag = f"cases.warned.{key}"
        if await self.config.get(guild_id, flag, False):
            await self.config.set(guild_id, flag, False, by=None)

    async def forget_thread(self, thread_id: int) -> None:
        """Drop a deleted thread's row."""
        await self.repo.forget_thread(thread_id)
        self._touched.pop(thread_id, None)

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

    # -- /mydata (the data section calls these; the repository stays the service's own) -------------------

    async def export_user(self, user_id: int) -> list[dict[str, Any]]:
        """Everything this feature stores about the member (`/mydata export`)."""
        return await self.repo.export_for_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Erase what this feature stores about the member (`/mydata delete`); returns the rows removed."""
        return await self.repo.delete_for_user(user_id)
