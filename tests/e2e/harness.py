"""Start Harbor through `bot.cli.create_bot` (the `harbor run` path) against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

import discord

from bot.app import Harbor
from bot.cli import create_bot
from bot.config import Settings
from tests.fakediscord import FakeDiscord, FakeGuild, FakeUser

TOKEN = "fake-token-for-tests"


def reply_text(reply: Any) -> str:
    """Everything a member reads in a reply or message: content, embed titles, descriptions and fields."""
    parts = [reply.content or ""]
    for embed in reply.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


class Harness:
    """A fake server with an admin, a moderator and members, and a Harbor that can be restarted."""

    def __init__(self, fake: FakeDiscord, db_path: Path, **bot_options: Any) -> None:
        self.fake = fake
        self.db_path = db_path
        self.bot_options = bot_options
        self.clock = bot_options.get("clock")  # a FakeClock when the test travels in time
        self.bot: Harbor | None = None
        self._task: asyncio.Task[None] | None = None
        self.owner = fake.add_user("owner")
        self.guild: FakeGuild = fake.add_guild("Peer Network", owner=self.owner)
        self.admin = fake.add_user("ada-admin")
        self.admin_role = self.guild.add_role("Admins", permissions=discord.Permissions(manage_guild=True).value)
        self.mod_role = self.guild.add_role("Moderators")
        self.guild.add_member(self.owner)
        self.guild.add_member(self.admin, roles=[self.admin_role.id])
        self.mod = fake.add_user("mo-mod")
        self.guild.add_member(self.mod, roles=[self.mod_role.id])
        self.members: list[FakeUser] = []
        for name in ("alice", "bob", "carmen", "dev", "eun-ji", "farah"):
            user = fake.add_user(name)
            self.guild.add_member(user)
            self.members.append(user)
        self.alice, self.bob = self.members[0], self.members[1]
        self.general = self.guild.add_text_channel("general")

    def settings(self, **overrides: Any) -> Settings:
        """Settings as `harbor run` would read them, built explicitly."""
        values: dict[str, Any] = {"discord_token": TOKEN, "database": self.db_path, **overrides}
        return Settings(_env_file=None, **values)

    async def start(self, **overrides: Any) -> Harbor:
        """Create and connect the bot; return once it is ready."""
        options = {"guild_ready_timeout": 0.05, **self.bot_options}
        bot = create_bot(self.settings(**overrides), **options)
        self.bot = bot
        self._task = asyncio.create_task(bot.start(TOKEN), name="harbor-under-test")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self._task}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            ready.cancel()
            self._task.result()  # raises what start() raised
        assert ready in done, "bot did not become ready"
        return bot

    async def stop(self) -> None:
        """Close the bot as a shutdown would."""
        if self.bot is not None:
            # Closing unloads each extension and drops its submodules from sys.modules, so the next start
            # would import every cog module again (~60 ms a start, most of an e2e test's set-up). The
            # submodules hold code and constants (the one module-level collection, the agreement's set of
            # running DM tasks, empties itself), so they are put back; the extensions themselves are still
            # loaded afresh, as at a real start.
            kept = {
                name: module
                for name, module in sys.modules.items()
                if name.startswith("cogs.") and name not in self.bot.extensions
            }
            await self.bot.close()
            for name, module in kept.items():
                sys.modules.setdefault(name, module)
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)
        self.bot = None
        self._task = None

    async def restart(self, **overrides: Any) -> Harbor:
        """Stop and start a new client on the same database file."""
        await self.stop()
        return await self.start(**overrides)

    async def slash(self, user: FakeUser, command: str, options: dict[str, Any] | None = None, **kw: Any) -> Any:
        """Invoke a slash command in the guild's general channel by default."""
        kw.setdefault("guild", self.guild)
        kw.setdefault("channel", self.general)
        return await self.fake.slash(user, command, options or {}, **kw)
