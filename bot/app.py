"""The Bot subclass: the one composition root.

`setup_hook` builds database → services → cogs → scheduler and syncs commands; `close()` tears
down in reverse. Cogs receive their services in `setup()` from `bot.services`; nothing is global.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord.ext import commands

import cogs
from bot.config import Settings
from bot.db.connection import Database
from bot.db.core import (
    DmChannelRepository,
    DmFailureRepository,
    GuildSettingsRepository,
    MetaRepository,
    ProfileRepository,
)
from bot.db.migrate import migrate
from bot.db.moderation import ModerationRepository
from bot.db.timers import TimerRepository
from bot.domain.clock import Clock, utcnow
from bot.services.backups import BACKUP_AT, BACKUP_EVENT, BACKUP_KEY, BackupService
from bot.services.guild_config import GuildConfig
from bot.services.moderation import ModerationService
from bot.services.modlog import ModLog
from bot.services.mydata import DataSection, MyDataService
from bot.services.notify import Notifier
from bot.services.timers import TimerService
from bot.tree import HarborTree

log = logging.getLogger(__name__)

FeatureT = TypeVar("FeatureT")


def intents() -> discord.Intents:
    """The minimum gateway intents: guilds, and guild messages with content for scanning case threads."""
    wanted = discord.Intents.none()
    wanted.guilds = True  # guild, channel, role and thread cache; interactions need no intent
    # Case discussion scans replies in case threads (and only there) for identifiers, on arrival and on edit.
    wanted.guild_messages = True
    wanted.message_content = True  # privileged: enable "Message Content Intent" in the developer portal
    return wanted


@dataclass
class Services:
    """What the composition root builds once and hands to every cog's `setup()`."""

    db: Database
    clock: Clock
    meta: MetaRepository
    guild_config: GuildConfig
    profiles: ProfileRepository
    dm_failures: DmFailureRepository
    timers: TimerService
    mydata: MyDataService
    notifier: Notifier
    modlog: ModLog
    moderation: ModerationService


def harbor_of(interaction: discord.Interaction[Any]) -> Harbor:
    """The Harbor client behind an interaction, typed (buttons and modals are not generic over it)."""
    client = interaction.client
    if not isinstance(client, Harbor):
        msg = "this interaction did not come through Harbor's client"
        raise TypeError(msg)
    return client


def feature_of(interaction: discord.Interaction[Any], kind: type[FeatureT]) -> FeatureT:
    """A feature's service from an interaction: ``feature_of(interaction, PairingService)``."""
    return harbor_of(interaction).feature(kind)


class Harbor(commands.Bot):
    """Harbor's client."""

    def __init__(
        self, settings: Settings, *, clock: Clock = utcnow, manual_timers: bool = False, **options: Any
    ) -> None:
        options.setdefault("intents", intents())
        options.setdefault("allowed_mentions", discord.AllowedMentions(everyone=False, roles=False, users=True))
        super().__init__(command_prefix=commands.when_mentioned, help_command=None, tree_cls=HarborTree, **options)
        self.settings = settings
        self.clock = clock
        self.manual_timers = manual_timers
        self._services: Services | None = None
        self._features: dict[type[Any], Any] = {}
        self.synced = False

    @property
    def services(self) -> Services:
        """The services built in `setup_hook`."""
        if self._services is None:
            msg = "services are built in setup_hook; the bot has not started"
            raise RuntimeError(msg)
        return self._services

    def provide(self, feature: object) -> None:
        """Make a feature's service reachable from anywhere the client is (buttons, modals, other cogs).

        The one path from Discord to a feature: a cog's `setup()` builds its service and provides it;
        a DynamicItem or modal reaches it with ``interaction.client.feature(ThatService)``.
        """
        self._features[type(feature)] = feature

    def feature(self, kind: type[FeatureT]) -> FeatureT:
        """The service a cog provided, by its class."""
        try:
            found = self._features[kind]
        except KeyError:
            msg = f"{kind.__name__} is not loaded (its cog's setup() provides it)"
            raise RuntimeError(msg) from None
        assert isinstance(found, kind)
        return found

    async def setup_hook(self) -> None:
        """Build everything, load cogs, start the scheduler, sync commands."""
        db = await Database.open(self.settings.database)
        await migrate(db)
        profiles = ProfileRepository(db)
        dm_failures = DmFailureRepository(db)
        dm_channels = DmChannelRepository(db)
        guild_settings = GuildSettingsRepository(db)
        timer_repo = TimerRepository(db)
        timers = TimerService(timer_repo, clock=self.clock, ready=self.wait_until_ready, manual=self.manual_timers)
        mydata = MyDataService(db)
        guild_config = GuildConfig(guild_settings, self.clock)
        mod_repo = ModerationRepository(db)
        modlog = ModLog(mod_repo, guild_config, self.clock, self)
        self._services = Services(
            db=db,
            clock=self.clock,
            meta=MetaRepository(db),
            guild_config=guild_config,
            profiles=profiles,
            dm_failures=dm_failures,
            timers=timers,
            mydata=mydata,
            notifier=Notifier(self, dm_failures, dm_channels, self.clock),
            modlog=modlog,
            moderation=ModerationService(mod_repo, modlog, guild_config, self.clock),
        )
        core_sections = [
            DataSection(
                "profile",
                self._export_profile,
                profiles.delete,
                about="Your time zone, set with `/profile timezone`. Only you see it; kept until you delete it.",
            ),
            DataSection(
                "settings_changed",
                guild_settings.changed_by,
                guild_settings.forget_editor,
                about="Admins only: which server settings you last changed (for the server's audit).",
            ),
            DataSection(
                "undelivered_dms",
                dm_failures.export,
                dm_failures.delete,
                about="When a DM to you could not be delivered (which kind, when — never its text).",
            ),
            DataSection(
                "dm_channel",
                dm_channels.export,
                dm_channels.delete,
                about="The id of your DM channel with Harbor, so a DM costs Discord one request.",
            ),
            DataSection(
                "scheduled",
                timer_repo.export_for_user,
                timer_repo.delete_for_user,
                about="Reminders and prompts queued for you (kind and time only).",
            ),
        ]
        for section in core_sections:
            mydata.register(section)
        for name in self.cog_modules():
            await self.load_extension(name)
        backups = BackupService(self.settings.database, self.settings.backups_folder, self.clock)
        timers.register(BACKUP_EVENT, backups.handle)
        if await timers.next_due(BACKUP_KEY) is None:  # keep a firing missed while down: it runs late
            await timers.schedule(BACKUP_EVENT, BACKUP_AT, key=BACKUP_KEY)
        await timers.start()
        await self.sync_commands()

    async def _export_profile(self, user_id: int) -> dict[str, Any] | None:
        profile = await self.services.profiles.get(user_id)
        if profile is None:
            return None
        return {"timezone": profile.timezone, "created_at": profile.created_at.isoformat()}

    @staticmethod
    def cog_modules() -> list[str]:
        """Every module or package in `cogs/` whose name does not start with `_`."""
        return sorted(
            f"cogs.{info.name}" for info in pkgutil.iter_modules(cogs.__path__) if not info.name.startswith("_")
        )

    async def sync_commands(self) -> None:
        """Sync to the dev guild (instant) or globally — only when the command set changed."""
        guild = discord.Object(self.settings.dev_guild) if self.settings.dev_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        scope = f"commands.synced.{guild.id if guild else 'global'}"
        if await self.services.meta.get(scope) == digest:
            log.info("application commands unchanged; not syncing")
            return
        synced = await self.tree.sync(guild=guild)
        await self.services.meta.set(scope, digest)
        self.synced = True
        log.info("synced %d application commands to %s", len(synced), f"guild {guild.id}" if guild else "all guilds")

    async def on_ready(self) -> None:
        """Log who we are (ids and counts only)."""
        log.info("ready as %s (%s) in %d guilds", self.user, self.user.id if self.user else "?", len(self.guilds))

    async def close(self) -> None:
        """Tear down in reverse.

        Timers stop first (running handlers finish; they may need HTTP), then the connection, the cogs,
        background tasks and the database.
        """
        services = self._services
        if services is not None:
            await services.timers.stop()
        await super().close()
        # Event listeners discord.py already dispatched (e.g. after a command) may still use the database.
        current = asyncio.current_task()
        listeners = [t for t in asyncio.all_tasks() if t is not current and t.get_name().startswith("discord.py: ")]
        if listeners:
            await asyncio.wait(listeners, timeout=5)
        for name in list(self.extensions):
            try:
                await self.unload_extension(name)
            except commands.ExtensionError:
                log.exception("unloading %s failed", name)
        if services is not None:
            await services.db.close()
            self._services = None
