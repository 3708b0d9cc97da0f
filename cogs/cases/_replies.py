"""Scanned replies: messages in case threads (and only there) are scanned on arrival and on edit.

A reply with identifiers is deleted at once; its author gets a DM with what was found and a redacted copy
to repost; the mod log gets metadata only (who, where, which kinds). Nothing of the text is stored or logged.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import discord
from discord.ext import commands

from bot.services.cases import CaseService
from bot.services.notify import Notifier

log = logging.getLogger(__name__)

CANNOT_DELETE = (
    "Harbor could not delete a reply with identifiers in a case thread: it needs Manage Messages in the cases "
    "channel. Until then such replies stay up; give Harbor that permission (`/setup check` lists what is missing)."
)


class ReplyScanner(commands.Cog):
    """Listens to case threads only; everything else is ignored before its content is looked at."""

    def __init__(self, bot: commands.Bot, service: CaseService, notifier: Notifier) -> None:
        self.bot = bot
        self.service = service
        self.notifier = notifier
        self._handled: OrderedDict[int, None] = OrderedDict()  # message ids already deleted (edit storms)

    async def _case_thread(self, channel: Any) -> discord.Thread | None:
        if not isinstance(channel, discord.Thread) or channel.parent_id is None:
            return None
        cases = await self.service.config.channel(channel.guild.id, "cases")
        return channel if cases == channel.parent_id else None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Scan a new reply in a case thread."""
        if message.author.bot or message.guild is None:
            return
        thread = await self._case_thread(message.channel)
        if thread is not None:
            await self._check(thread, message.id, message.author.id, message.content)
            await self.service.note_activity(thread.id)  # an idle case is closed after the retention period

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Scan an edited reply in a case thread (the raw event: old messages are not cached)."""
        data = payload.data
        author = data.get("author") or {}
        if author.get("bot") or "content" not in data or payload.guild_id is None:
            return
        thread = await self._case_thread(self.bot.get_channel(payload.channel_id))
        if thread is not None:
            await self._check(thread, payload.message_id, int(author.get("id", 0)), str(data["content"]))

    async def _check(self, thread: discord.Thread, message_id: int, author_id: int, content: str) -> None:
        if message_id in self._handled or not content:
            return
        allow = await self.service.allow_list(thread.guild.id)
        result = self.service.scanner.scan(content, allow)
        if (not result.findings and not result.truncated) or message_id in self._handled:
            return  # clean, or another arrival/edit of this message is already deleting it
        self._remember(message_id)  # no await since the check above: one delete per message
        kinds = tuple(sorted({f.kind for f in result.findings}))
        try:
            await self.bot.http.delete_message(thread.id, message_id, reason="identifiers in a case thread")
        except discord.NotFound:
            pass  # already gone: the author or a moderator removed it
        except discord.Forbidden:
            log.warning("Harbor lacks Manage Messages in case thread %s of guild %s", thread.id, thread.guild.id)
            await self.service.tell_missing_permission(thread.guild, "delete_reply", thread.id, CANNOT_DELETE)
            return
        except discord.HTTPException as exc:
            log.warning("deleting a flagged reply in thread %s failed (%s)", thread.id, exc.status)
            self._handled.pop(message_id, None)  # a later edit may try again
            return
        await self.service.permission_works(thread.guild.id, "delete_reply")
        lines = [f"• {f.kind}: “{f.text}” — {f.reason}" for f in result.findings[:15]]
        await self.notifier.dm(
            author_id,
            purpose="case_reply_removed",
            guild_id=thread.guild.id,
            content=(
                f"Your reply in a case thread of **{thread.guild.name}** was removed because it may identify "
                "someone:\n"
                + "\n".join(lines)
                + "\n\nHere is a redacted version you can post instead:\n"
                + result.redacted[:1500]
            )[:2000],
        )
        if self.service.modlog is not None:
            await self.service.modlog.record(
                thread.guild.id,
                "privacy_violation",
                subject_id=author_id,
                moderator_id=None,
                channel_id=thread.id,
                identifier_kinds=kinds,
            )

    def _remember(self, message_id: int) -> None:
        self._handled[message_id] = None
        while len(self._handled) > 10_000:
            self._handled.popitem(last=False)
