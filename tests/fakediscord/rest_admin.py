"""REST routes a server admin's tools use: create channels and roles, edit channel permission overwrites.

Discord's rules as documented: creating a channel needs Manage Channels, creating a role or editing an
overwrite needs Manage Roles; a bot that is not an administrator may only allow or deny, in an overwrite or
a new role, permissions it has itself in the guild, and only administrators may put Manage Roles into a
channel overwrite. Overwrites are stored, sent back (so discord.py's ``permissions_for`` sees them) and
applied by the fake's own checks in that channel and its threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .limits import DiscordError, FormErrors
from .models import ADMINISTRATOR, FakeChannel, FakeGuild, snowflake
from .rest_guilds import get_guild
from .rest_messages import MANAGE_CHANNELS, MANAGE_ROLES, get_channel, require
from .router import Req, router

if TYPE_CHECKING:
    from .server import FakeDiscord

CREATABLE_CHANNEL_TYPES = (0, 2, 4, 5, 13, 15, 16)  # text, voice, category, announcement, stage, forum, media
MAX_CHANNELS, MAX_ROLES = 500, 250


def _bits(err: FormErrors, path: list[str | int], value: Any) -> int:
    """A permission bit set as Discord parses it (string or integer); records a form error otherwise."""
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    err.add(path, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
    return 0


def _may_grant(fake: FakeDiscord, guild: FakeGuild, bits: int, *, in_overwrite: bool) -> None:
    """403 50013 when a bot that is not an administrator hands out permissions it does not have."""
    have = guild.permissions_for(fake.bot_user.id)
    if have & ADMINISTRATOR:
        return
    if bits & ~have or (in_overwrite and bits & MANAGE_ROLES):
        raise DiscordError(403, 50013, "Missing Permissions")


def _overwrite(
    fake: FakeDiscord, guild: FakeGuild, err: FormErrors, path: list[str | int], raw: Any
) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        err.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return None
    oid = str(raw.get("id", ""))
    kind = raw.get("type")
    if kind not in (0, 1, "0", "1"):
        err.add([*path, "type"], "BASE_TYPE_CHOICES", "Value must be one of {0, 1}.")
        return None
    kind = int(kind)
    known = guild.roles if kind == 0 else guild.members
    if not oid.isdigit() or int(oid) not in known:
        err.add([*path, "id"], "BASE_TYPE_CHOICES", "Unknown role or member for this overwrite.")
        return None
    allow, deny = _bits(err, [*path, "allow"], raw.get("allow")), _bits(err, [*path, "deny"], raw.get("deny"))
    _may_grant(fake, guild, allow | deny, in_overwrite=True)
    return {"id": oid, "type": kind, "allow": str(allow), "deny": str(deny)}


@router.route("POST", "/guilds/{id}/channels")
async def create_channel(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    require(fake, guild.id, MANAGE_CHANNELS)
    body = req.body
    err = FormErrors()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        err.add(["name"], "BASE_TYPE_REQUIRED", "This field is required")
        name = ""
    err.max_len(["name"], name, 100)
    type_ = body.get("type") or 0
    if type_ not in CREATABLE_CHANNEL_TYPES:
        err.add(["type"], "BASE_TYPE_CHOICES", f"Value must be one of {set(CREATABLE_CHANNEL_TYPES)}.")
    parent = body.get("parent_id")
    if parent is not None:
        category = guild.channels.get(int(parent)) if str(parent).isdigit() else None
        if category is None or category.type != 4 or type_ == 4:
            err.add(["parent_id"], "CHANNEL_PARENT_INVALID", "Invalid parent channel.")
    err.max_len(["topic"], body.get("topic"), 4096 if type_ in (15, 16) else 1024)
    raw_overwrites = body.get("permission_overwrites") or []
    overwrites = [_overwrite(fake, guild, err, ["permission_overwrites", i], o) for i, o in enumerate(raw_overwrites)]
    err.raise_if_any()
    if sum(not c.is_thread and not c.deleted for c in guild.channels.values()) >= MAX_CHANNELS:
        raise DiscordError(400, 30013, "Maximum number of guild channels reached (500)")
    if type_ in (0, 5):  # Discord's text channel names: lower case, spaces become dashes
        name = "-".join(name.lower().split())
    chan = FakeChannel(
        snowflake(),
        type_,
        name,
        guild_id=guild.id,
        parent_id=int(parent) if parent is not None else None,
        position=len(guild.channels),
        topic=body.get("topic"),
        overwrites=[o for o in overwrites if o is not None],
    )
    guild.channels[chan.id] = chan
    fake.channels[chan.id] = chan
    fake.dispatch("CHANNEL_CREATE", chan.to_dict(), guild=guild)
    return chan.to_dict()


@router.route("PUT", "/channels/{id}/permissions/{id}")
async def edit_overwrite(fake: FakeDiscord, req: Req, cid: str, oid: str) -> Any:
    chan = get_channel(fake, cid)
    guild = fake.guilds.get(chan.guild_id or 0)
    if guild is None or chan.is_thread:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    require(fake, guild.id, MANAGE_ROLES)
    err = FormErrors()
    overwrite = _overwrite(fake, guild, err, [], {**req.body, "id": oid})
    err.raise_if_any()
    assert overwrite is not None
    chan.overwrites = [o for o in chan.overwrites if o["id"] != overwrite["id"]] + [overwrite]
    fake.dispatch("CHANNEL_UPDATE", chan.to_dict(), guild=guild)


@router.route("POST", "/guilds/{id}/roles")
async def create_role(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    require(fake, guild.id, MANAGE_ROLES)
    body = req.body
    err = FormErrors()
    name = body.get("name") or "new role"
    err.max_len(["name"], name, 100)
    # without "permissions" a new role gets @everyone's, as on Discord
    permissions = _bits(err, ["permissions"], body.get("permissions", guild.everyone.permissions))
    err.raise_if_any()
    if len(guild.roles) >= MAX_ROLES:
        raise DiscordError(400, 30005, "Maximum number of guild roles reached (250)")
    _may_grant(fake, guild, permissions, in_overwrite=False)
    role = guild.add_role(
        name,
        permissions,
        color=int(body.get("color") or 0),
        hoist=bool(body.get("hoist")),
        mentionable=bool(body.get("mentionable")),
    )
    return role.to_dict()
