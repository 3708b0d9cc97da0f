"""The mod log: one service every feature uses to record a moderation event.

A record is metadata only — who (ids), where (channel/thread id), when, what kind, which identifier
*kinds* for privacy events, the moderator and their reason. Never message text, never a scanner
fragment. Each record gets the server's next case number (`#12`), a row in `mod_cases`, an embed in the
server's mod-log channel (when one is set), and an evaluation of the server's escalation rules: when a
member reaches a rule's threshold within its window, the moderators are notified in the mod queue (or
the mod log when no queue is set).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import discord

from bot.db.moderation import ModerationRepository
from bot.domain.clock import Clock, discord_timestamp
from bot.domain.moderation import DEFAULT_RULES, EscalationRule, ModCase, check_identifier_kinds, check_kind
from bot.services.guild_config import GuildConfig

log = logging.getLogger(__name__)

__all__ = ["ModCase", "ModLog"]

_COLOURS = {
    "warn": discord.Colour.orange(),
    "timeout": discord.Colour.red(),
    "restrict": discord.Colour.dark_red(),
    "privacy_violation": discord.Colour.dark_orange(),
    "escalation": discord.Colour.red(),
}


def case_embed(case: ModCase) -> discord.Embed:
    """The mod-log embed of a case: ids, kinds and the moderator's reason only."""
    embed = discord.Embed(
        title=f"Case #{case.number} · {case.label}",
        colour=_COLOURS.get(case.kind, discord.Colour.blurple()),
        timestamp=case.created_at,
    )
    if case.subject_id is not None:
        embed.add_field(name="Member", value=f"<@{case.subject_id}> (`{case.subject_id}`)")
    if case.moderator_id is not None:
        embed.add_field(name="Moderator", value=f"<@{case.moderator_id}>")
    else:
        embed.add_field(name="By", value="Harbor (automatic)")
    if case.channel_id is not None:
        embed.add_field(name="Where", value=f"<#{case.channel_id}>")
    if case.identifier_kinds:
        embed.add_field(name="Identifier kinds", value=", ".join(case.identifier_kinds), inline=False)
    if case.expires_at is not None:
        embed.add_field(name="Until", value=discord_timestamp(case.expires_at, "F"), inline=False)
    if case.reason:
        embed.add_field(name="Reason", value=case.reason[:1024], inline=False)
    embed.set_footer(text=f"kind: {case.kind}")
    return embed


class ModLog:
    """Record moderation events (see the module docstring)."""

    def __init__(
        self, repo: ModerationRepository, config: GuildConfig, clock: Clock, client: discord.Client | None
    ) -> None:
        self.repo = repo
        self.config = config
        self.clock = clock
        self.client = client

    async def record(
        self,
        guild_id: int,
        kind: str,
        *,
        subject_id: int | None,
        moderator_id: int | None,
        channel_id: int | None = None,
        reason: str | None = None,
        identifier_kinds: Sequence[str] = (),
        expires_at: datetime | None = None,
        active: bool = False,
    ) -> ModCase:
        """Store a metadata-only case, post it to the mod log, evaluate escalation; return the case.

        `ModCase.escalations` holds the rules this record tripped (moderators were notified of each).
        """
        check_kind(kind)
        kinds = check_identifier_kinds(identifier_kinds)
        case = await self.repo.add_case(
            guild_id,
            kind,
            subject_id=subject_id,
            moderator_id=moderator_id,
            channel_id=channel_id,
            reason=reason,
            identifier_kinds=kinds,
            now=self.clock(),
            expires_at=expires_at,
            active=active,
        )
        await self._post(guild_id, "mod-log", embed=case_embed(case))
        tripped = await self._escalate(case)
        if tripped:
            case = replace(case, escalations=tuple(tripped))
        return case

    async def reason_changed(self, case: ModCase, moderator_id: int) -> None:
        """Tell the mod log that a case's reason was edited (the original post stays as it was)."""
        embed = discord.Embed(
            title=f"Case #{case.number} · reason edited",
            colour=discord.Colour.light_grey(),
            timestamp=self.clock(),
        )
        embed.add_field(name="Edited by", value=f"<@{moderator_id}>")
        embed.add_field(name="New reason", value=(case.reason or "—")[:1024], inline=False)
        await self._post(case.guild_id, "mod-log", embed=embed)

    async def rules(self, guild_id: int) -> list[EscalationRule]:
        """The server's escalation rules (the defaults until an admin changes them)."""
        stored = await self.repo.rules(guild_id)
        return list(DEFAULT_RULES) if stored is None else stored

    async def set_rule(self, guild_id: int, rule: EscalationRule) -> list[EscalationRule]:
        """Add or replace the rule for `rule.kind`; returns the full table."""
        table = {r.kind: r for r in await self.rules(guild_id)}
        table[rule.kind] = rule
        await self.repo.replace_rules(guild_id, sorted(table.values(), key=lambda r: r.kind))
        return await self.rules(guild_id)

    async def remove_rule(self, guild_id: int, kind: str) -> list[EscalationRule]:
        """Drop the rule for a kind (a table emptied this way stays empty, not default)."""
        table = [r for r in await self.rules(guild_id) if r.kind != kind]
        # keep an explicit marker row so "no rules" is not read as "defaults"
        await self.repo.replace_rules(guild_id, table or [EscalationRule("_none", 0, 1)])
        return await self.rules(guild_id)

    async def _escalate(self, case: ModCase) -> list[EscalationRule]:
        if case.subject_id is None:
            return []
        tripped: list[EscalationRule] = []
        for rule in await self.rules(case.guild_id):
            if rule.kind != case.kind:
                continue
            since = case.created_at - timedelta(days=rule.window_days)
            count = await self.repo.count_recent(case.guild_id, case.subject_id, rule.kind, since)
            if count >= rule.threshold and count % rule.threshold == 0:
                tripped.append(rule)
                embed = discord.Embed(
                    title="Escalation: moderators, please review",
                    description=(
                        f"<@{case.subject_id}> (`{case.subject_id}`) reached **{count} × {rule.kind}** within "
                        f"{rule.window_days} days (rule: {rule.describe()}). Latest: case #{case.number}. "
                        f"See `/mod history` for the records."
                    ),
                    colour=discord.Colour.red(),
                )
                where = "mod-queue" if await self.config.channel(case.guild_id, "mod-queue") else "mod-log"
                await self._post(case.guild_id, where, embed=embed)
        return tripped

    async def _post(self, guild_id: int, kind: str, *, embed: discord.Embed) -> discord.Message | None:
        """Post to a configured channel; a missing channel or permission is logged (ids only), not raised."""
        channel_id = await self.config.channel(guild_id, kind)
        if channel_id is None or self.client is None:
            return None
        try:
            channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
            return await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.warning("mod-log post to channel %s in guild %s failed (%s)", channel_id, guild_id, exc.status)
            return None
