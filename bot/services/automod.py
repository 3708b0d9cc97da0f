"""`/setup automod`: provision, update or remove Harbor's Discord AutoMod keyword rules.

Harbor's rules are the server's keyword rules it created whose name starts with ``Harbor · ``; running
again edits them in place (PATCH) instead of adding more, creates any that are missing and removes
stale ones. Every rule blocks with a custom message and has no alert action, and exempts every channel
but the cases channel (see `bot.domain.automod`). Once on, the exemptions follow channel changes (a new
channel, a deleted one, another cases channel) by themselves; a burst of changes becomes one update.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import discord

from bot.domain.automod import (
    BLOCK_MESSAGE,
    MAX_KEYWORD_RULES,
    RULE_PREFIX,
    RULES,
    Channel,
    RuleSpec,
    exemptions,
)
from bot.domain.errors import HarborError
from bot.services.guild_config import GuildConfig

log = logging.getLogger(__name__)

ENABLED_KEY = "cases.automod"  # set by `/setup automod`, cleared by `off`: channel changes then follow
NEEDS_MANAGE_SERVER = (
    "Harbor needs the **Manage Server** permission to manage AutoMod rules; give its role that permission "
    "(Server Settings → Roles) and run this again. Nothing was changed."
)


@dataclass(frozen=True, slots=True)
class AutomodResult:
    """What `/setup automod` did."""

    created: int
    updated: int
    removed: int
    exempt: int
    not_exempted: int
    covers: tuple[str, ...]


FOLLOW_DELAY = 2.0  # seconds: a burst of channel changes becomes one update


class AutomodService:
    """Harbor's AutoMod keyword rules for one server at a time."""

    def __init__(self, client: discord.Client, config: GuildConfig, delay: float = FOLLOW_DELAY) -> None:
        self.client = client
        self.config = config
        self.delay = delay
        self._pending: dict[int, asyncio.Task[None]] = {}
        self._changed: set[int] = set()  # guilds with a change the running update may not have seen

    def channels_changed(self, guild_id: int) -> None:
        """A channel was created, deleted or chosen as the cases channel: re-apply the exemptions soon (debounced)."""
        self._changed.add(guild_id)
        if guild_id in self._pending:
            return  # the pending update runs again if this change came after it read the channels
        task = asyncio.create_task(self._follow(guild_id), name=f"automod-follow-{guild_id}")
        self._pending[guild_id] = task
        task.add_done_callback(lambda _: self._pending.pop(guild_id, None))

    def stop(self) -> None:
        """Cancel updates not started yet (the bot is closing)."""
        for task in self._pending.values():
            task.cancel()

    async def _follow(self, guild_id: int) -> None:
        while guild_id in self._changed:
            await asyncio.sleep(self.delay)
            self._changed.discard(guild_id)  # a change from here on is after the channels are read
            guild = self.client.get_guild(guild_id)
            if guild is None or not await self.config.get(guild_id, ENABLED_KEY, False):
                continue
            try:
                await self.provision(guild)
            except HarborError:
                log.warning("AutoMod exemptions in guild %s could not follow a channel change", guild_id)
            except Exception:
                log.exception("AutoMod exemptions in guild %s: update failed", guild_id)

    def _mine(self, rule: discord.AutoModRule) -> bool:
        user = self.client.user
        return rule.name.startswith(RULE_PREFIX) and user is not None and rule.creator_id == user.id

    async def _rules(self, guild: discord.Guild) -> list[discord.AutoModRule]:
        me = guild.me
        if me is not None and not me.guild_permissions.manage_guild:
            raise HarborError(NEEDS_MANAGE_SERVER)
        try:
            return await guild.fetch_automod_rules()
        except discord.Forbidden:
            raise HarborError(NEEDS_MANAGE_SERVER) from None

    async def provision(self, guild: discord.Guild) -> AutomodResult:
        """Create or update Harbor's rules (block, custom message, no alert), exempting all but the cases channel."""
        cases_id = await self.config.channel(guild.id, "cases")
        if cases_id is None or guild.get_channel(cases_id) is None:
            raise HarborError(
                "Choose the cases channel first (`/setup channel cases`): AutoMod applies there and nowhere else."
            )
        rules = await self._rules(guild)
        mine = {r.name: r for r in rules if self._mine(r)}
        others = [r for r in rules if not self._mine(r) and r.trigger.type is discord.AutoModRuleTriggerType.keyword]
        if len(others) + len(RULES) > MAX_KEYWORD_RULES:
            raise HarborError(
                f"This server already has {len(others)} keyword AutoMod rule(s) of its own; Discord allows "
                f"{MAX_KEYWORD_RULES} and Harbor needs {len(RULES)}. Remove "
                f"{len(others) + len(RULES) - MAX_KEYWORD_RULES} (Server Settings → AutoMod) and run this again."
            )
        channels = [Channel(c.id, isinstance(c, discord.CategoryChannel), c.category_id) for c in guild.channels]
        exempt, missing = exemptions(channels, {cases_id})
        objects = [discord.Object(id=i) for i in exempt]
        created = updated = removed = 0
        try:
            for spec in RULES:
                existing = mine.pop(spec.name, None)
                if existing is None:
                    await guild.create_automod_rule(
                        name=spec.name,
                        event_type=discord.AutoModRuleEventType.message_send,
                        trigger=_trigger(spec),
                        actions=[discord.AutoModRuleAction(custom_message=BLOCK_MESSAGE)],
                        enabled=True,
                        exempt_channels=objects,
                        reason="/setup automod",
                    )
                    created += 1
                else:
                    await existing.edit(
                        trigger=_trigger(spec),
                        actions=[discord.AutoModRuleAction(custom_message=BLOCK_MESSAGE)],
                        enabled=True,
                        exempt_channels=objects,
                        reason="/setup automod",
                    )
                    updated += 1
            for stale in mine.values():  # a rule an older Harbor made that this one no longer has
                await stale.delete(reason="/setup automod: no longer used")
                removed += 1
        except discord.Forbidden:
            raise HarborError(NEEDS_MANAGE_SERVER) from None
        except discord.HTTPException as exc:
            log.warning("AutoMod provisioning in guild %s refused (status %s)", guild.id, exc.status)
            raise HarborError(
                f"Discord refused an AutoMod change ({created} created, {updated} updated so far); run "
                "`/setup automod` again — it updates what exists rather than adding more."
            ) from None
        await self.config.set(guild.id, ENABLED_KEY, True, by=None)
        return AutomodResult(created, updated, removed, len(exempt), missing, tuple(s.covers for s in RULES))

    async def remove(self, guild: discord.Guild) -> int:
        """Delete Harbor's rules; return how many."""
        removed = 0
        try:
            for rule in await self._rules(guild):
                if self._mine(rule):
                    await rule.delete(reason="/setup automod off")
                    removed += 1
        except discord.Forbidden:
            raise HarborError(NEEDS_MANAGE_SERVER) from None
        await self.config.set(guild.id, ENABLED_KEY, False, by=None)
        return removed


def _trigger(spec: RuleSpec) -> discord.AutoModTrigger:
    return discord.AutoModTrigger(type=discord.AutoModRuleTriggerType.keyword, regex_patterns=list(spec.patterns))
