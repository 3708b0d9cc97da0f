"""Driving interactions: slash commands, autocomplete, buttons, selects, modals, context menus."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.helpers import eventually

from .models import FakeChannel, FakeGuild, FakeMessage, FakeUser, Reply, snowflake
from .options import (
    CommandNotAvailableError,
    OptionBuilder,
    check_member_permissions,
    find_command,
    iter_components,
    modal_submit_components,
)

if TYPE_CHECKING:
    from .server import FakeDiscord

# permissions a bot has in its DM with a user (view, send, embed, attach, history, reactions, app commands)
DM_APP_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 31)
SELECT_TYPES = (3, 5, 6, 7, 8)


@dataclass(eq=False)
class FakeInteraction:
    """One interaction the fake sent to the bot, and what the bot answered."""

    fake: FakeDiscord = field(repr=False)
    id: int
    token: str
    type: int
    payload: dict[str, Any] = field(repr=False)
    user: FakeUser
    guild: FakeGuild | None
    channel: FakeChannel
    created_at: float = field(default_factory=time.time)
    response: Reply | None = None
    message: FakeMessage | None = None
    source_message: FakeMessage | None = None
    original_message_id: int | None = None
    followups: list[Reply] = field(default_factory=list)
    followup_messages: list[FakeMessage] = field(default_factory=list)
    late_callbacks: int = 0
    responded: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def original(self) -> FakeMessage | None:
        """Latest state of @original (after PATCHes), or None when the response created no message."""
        if self.original_message_id is None:
            return None
        return self.fake.messages.get(self.original_message_id)

    async def wait_followups(self, n: int = 1, timeout: float = 5) -> list[Reply]:
        """Wait until the bot sent at least ``n`` follow-ups; returns them all."""
        await eventually(lambda: len(self.followups) >= n, timeout=timeout, what=f"{n} follow-up(s)")
        return self.followups

    async def wait_response(self, timeout: float = 5) -> Reply:
        await asyncio.wait_for(self.responded.wait(), timeout)
        assert self.response is not None
        return self.response


class InteractionMixin:
    """Methods of FakeDiscord that create interactions and send them over the gateway."""

    def _init_interactions(self) -> None:
        self.interactions: dict[int, FakeInteraction] = {}
        self.interactions_by_token: dict[str, FakeInteraction] = {}

    # -- plumbing -------------------------------------------------------------------------------------------
    def _default_channel(self, user: FakeUser, guild: FakeGuild | None) -> FakeChannel:
        if guild is None:
            return self.dm_channel(user)
        chan = next((c for c in guild.channels.values() if c.type == 0 and not c.deleted), None)
        assert chan is not None, f"guild {guild.name!r} has no text channel; pass channel="
        return chan

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between ``user`` and the bot (created on first use)."""
        chan = self.dm_channels.get(user.id)
        if chan is None:
            chan = FakeChannel(snowflake(), 1, None, recipient=user)
            self.dm_channels[user.id] = chan
            self.channels[chan.id] = chan
        return chan

    def _new_interaction(
        self,
        type_: int,
        user: FakeUser,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        data: dict[str, Any],
        message: FakeMessage | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        assert self.gateway.live, "no bot is connected to the fake gateway"
        if channel is None:
            channel = self._default_channel(user, guild)
        if guild is None and channel.guild_id:
            guild = self.guilds[channel.guild_id]
        if guild is not None:
            assert user.id in guild.members, f"{user.name} is not a member of {guild.name!r}"
        iid, token = snowflake(), "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(64)
        perms = guild.permissions_for(user.id) if guild else DM_APP_PERMISSIONS
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": type_,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel.to_dict(permissions=perms),
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "context": 0 if guild else 1,
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
        }
        if guild is not None:
            payload.update(
                {
                    "guild_id": str(guild.id),
                    "guild_locale": "en-US",
                    "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                    "member": guild.members[user.id].to_dict(permissions=perms),
                    "app_permissions": str(guild.permissions_for(self.bot_user.id)),
                }
            )
        else:
            payload.update({"user": user.to_dict(), "app_permissions": str(DM_APP_PERMISSIONS)})
        if message is not None:
            payload["message"] = message.to_dict(self)
        it = FakeInteraction(self, iid, token, type_, payload, user, guild, channel, source_message=message)
        self.interactions[iid] = it
        self.interactions_by_token[token] = it
        self.gateway.dispatch("INTERACTION_CREATE", payload, 0)
        return it

    @staticmethod
    async def _answered(it: FakeInteraction, timeout: float) -> FakeInteraction:
        try:
            await asyncio.wait_for(it.responded.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"bot did not answer interaction {it.payload['data']} within {timeout}s"
                f" (late callbacks: {it.late_callbacks})"
            ) from None
        return it

    # -- public API -----------------------------------------------------------------------------------------
    async def slash(
        self,
        user: FakeUser,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> FakeInteraction:
        """Invoke ``/command [group] [sub]`` like a user; returns once the bot answered the callback."""
        it = self._command_interaction(2, user, command, options or {}, guild, channel, None, locale)
        return await self._answered(it, timeout)

    async def autocomplete(
        self,
        user: FakeUser,
        command: str,
        options: dict[str, Any],
        focused: str,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """Send an autocomplete interaction with ``focused`` being typed; returns the bot's choices."""
        it = self._command_interaction(4, user, command, options, guild, channel, focused, "en-US")
        await self._answered(it, timeout)
        assert it.response is not None and it.response.type == 8, f"expected autocomplete result: {it.response}"
        return it.response.choices or []

    def _command_interaction(
        self,
        type_: int,
        user: FakeUser,
        command: str,
        options: dict[str, Any],
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        focused: str | None,
        locale: str,
    ) -> FakeInteraction:
        if guild is None and channel is not None and channel.guild_id:
            guild = self.guilds[channel.guild_id]
        name, *path = command.split()
        cmd = find_command(self, name, guild)
        check_member_permissions(cmd, guild, user)
        builder = OptionBuilder(self, guild)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 1,
            "options": builder.build(cmd, path, options, user, focused),
        }
        if builder.resolved:
            data["resolved"] = builder.resolved
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return self._new_interaction(type_, user, guild, channel, data, locale=locale)

    async def message_context(
        self, user: FakeUser, name: str, target: FakeMessage, *, guild: FakeGuild | None = None, timeout: float = 5.0
    ) -> FakeInteraction:
        """Invoke a message context-menu command (type 3) on ``target``."""
        chan = self.channels[target.channel_id]
        guild = guild or (self.guilds[chan.guild_id] if chan.guild_id else None)
        cmd = find_command(self, name, guild, type_=3)
        check_member_permissions(cmd, guild, user)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": str(target.id),
            "resolved": {"messages": {str(target.id): target.to_dict(self)}},
        }
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        it = self._new_interaction(2, user, guild, chan, data)
        return await self._answered(it, timeout)

    async def user_context(
        self,
        user: FakeUser,
        name: str,
        target: FakeUser,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        timeout: float = 5.0,
    ) -> FakeInteraction:
        """Invoke a user context-menu command (type 2) on ``target``."""
        cmd = find_command(self, name, guild, type_=2)
        check_member_permissions(cmd, guild, user)
        builder = OptionBuilder(self, guild)
        builder.add_user(target)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 2,
            "target_id": str(target.id),
            "resolved": builder.resolved,
        }
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        it = self._new_interaction(2, user, guild, channel, data)
        return await self._answered(it, timeout)

    def _component(self, user: FakeUser, message: FakeMessage, custom_id: str) -> dict[str, Any]:
        assert not message.deleted, "message was deleted"
        assert message.visible_to in (None, user.id), (
            f"{user.name} cannot see this ephemeral message (only its recipient can click it)"
        )
        comps = [c for c in iter_components(message.components) if c.get("custom_id") == custom_id]
        have = [c.get("custom_id") for c in iter_components(message.components) if c.get("custom_id")]
        assert comps, f"message {message.id} has no component {custom_id!r}; has {have}"
        assert not comps[0].get("disabled"), f"component {custom_id!r} is disabled"
        return comps[0]

    def _message_context(self, message: FakeMessage) -> tuple[FakeGuild | None, FakeChannel]:
        chan = self.channels[message.channel_id]
        return (self.guilds[chan.guild_id] if chan.guild_id else None), chan

    async def click(
        self, user: FakeUser, message: FakeMessage, custom_id: str, *, timeout: float = 5.0
    ) -> FakeInteraction:
        """Click the button ``custom_id`` on ``message`` (channel, DM or ephemeral reply)."""
        comp = self._component(user, message, custom_id)
        assert comp["type"] == 2, f"{custom_id!r} is not a button (type {comp['type']})"
        guild, chan = self._message_context(message)
        data = {"custom_id": custom_id, "component_type": 2}
        if "id" in comp:
            data["id"] = comp["id"]
        it = self._new_interaction(3, user, guild, chan, data, message=message)
        return await self._answered(it, timeout)

    async def select(
        self, user: FakeUser, message: FakeMessage, custom_id: str, values: list[Any], *, timeout: float = 5.0
    ) -> FakeInteraction:
        """Choose ``values`` in select menu ``custom_id`` (string values, or users/roles/channels)."""
        comp = self._component(user, message, custom_id)
        assert comp["type"] in SELECT_TYPES, f"{custom_id!r} is not a select menu (type {comp['type']})"
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        assert lo <= len(values) <= hi, f"select {custom_id!r} takes {lo}..{hi} values, got {len(values)}"
        guild, chan = self._message_context(message)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] == 3:
            allowed = [o["value"] for o in comp.get("options") or []]
            bad = [v for v in values if v not in allowed]
            assert not bad, f"select {custom_id!r}: {bad} not among options {allowed}"
            data["values"] = list(values)
        else:
            builder = OptionBuilder(self, guild)
            ids = []
            for v in values:
                if comp["type"] == 8 or isinstance(v, FakeChannel):
                    ids.append(builder.add_channel(v, user))
                elif isinstance(v, FakeUser) or comp["type"] == 5:
                    ids.append(builder.add_user(v))
                else:
                    ids.append(builder.add_role(v))
            data["values"] = [str(i) for i in ids]
            data["resolved"] = builder.resolved
        it = self._new_interaction(3, user, guild, chan, data, message=message)
        return await self._answered(it, timeout)

    async def submit_modal(
        self, user: FakeUser, opened_by: FakeInteraction, values: dict[str, Any], *, timeout: float = 5.0
    ) -> FakeInteraction:
        """Submit the modal the bot answered ``opened_by`` with (callback type 9)."""
        resp = opened_by.response
        assert resp is not None and resp.type == 9, f"interaction was not answered with a modal: {resp}"
        data = {"custom_id": resp.custom_id, "components": modal_submit_components(resp.data, values)}
        it = self._new_interaction(5, user, opened_by.guild, opened_by.channel, data, message=opened_by.source_message)
        return await self._answered(it, timeout)


__all__ = ["CommandNotAvailableError", "FakeInteraction", "InteractionMixin"]
