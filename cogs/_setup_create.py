"""The wizard's "Create it for me": a missing channel or role, made with sensible permission overwrites.

Who sees and posts where:
- private (mod-log, mod-queue, cases, check-ins): @everyone may not view; Harbor and the moderator role
  may; the cases channel also shows to the case-access role, whose members reply in case threads but do
  not post at the top level (every case goes through `/case new`, scanned before posting).
- staff posts (announcements, resources, pairing): everyone reads; only Harbor and staff (moderator and
  trainer roles) post at the top level. Pairing threads are private threads Harbor opens and invites to.

Roles Harbor creates carry no permissions of their own (Harbor checks them by id) and sit below Harbor's
role, so Harbor can grant the case-access role. When a role is created after the channels, Harbor adds it
to the channels it created itself (never to channels an admin picked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.errors import UserError
from cogs._setup_audit import NEEDS

if TYPE_CHECKING:
    from bot.services.guild_config import GuildConfig

PRIVATE = ("mod-log", "mod-queue", "cases", "checkins")
CHANNEL_NAMES = {kind: ("check-ins" if kind == "checkins" else kind) for kind in NEEDS}
ROLE_NAMES = {"moderator": "Moderator", "trainer": "Trainer", "case-access": "Case access", "trusted": "Trusted member"}
PURPOSE = {
    "announcements": "trainings and announcements are posted here",
    "mod-log": "private: moderation records (metadata only)",
    "mod-queue": "private: reports, appeals and submissions to review",
    "cases": "case discussion threads (scanned before posting)",
    "resources": "the weekly digest of new resources",
    "pairing": "peer-pairing rounds open private threads here",
    "checkins": "check-in announcements",
    "moderator": "moderators (besides Moderate Members)",
    "trainer": "trainers who announce trainings",
    "case-access": "given to members who accept the agreement",
    "trusted": "members who publish resources without review",
}
CREATED = "setup.created.{kind}"  # guild setting: the id of the channel Harbor created for a kind

_STAFF = discord.PermissionOverwrite(
    view_channel=True, send_messages=True, embed_links=True, attach_files=True, read_message_history=True
)
_CASE_READER = discord.PermissionOverwrite(
    view_channel=True,
    read_message_history=True,
    send_messages_in_threads=True,
    send_messages=False,
    create_public_threads=False,
    create_private_threads=False,
)
_READ_ONLY = discord.PermissionOverwrite(send_messages=False, create_public_threads=False, create_private_threads=False)


def role_overwrite(kind: str, role_kind: str) -> discord.PermissionOverwrite | None:
    """What a configured role may do in a channel of `kind` that Harbor created (None: nothing special)."""
    if role_kind == "moderator":
        return _STAFF
    if role_kind == "trainer" and kind not in PRIVATE:
        return _STAFF
    if role_kind == "case-access" and kind == "cases":
        return _CASE_READER
    return None


def grantable(overwrite: discord.PermissionOverwrite, have: discord.Permissions) -> discord.PermissionOverwrite:
    """The part of `overwrite` Harbor may set.

    Discord lets a bot that is not an administrator allow or deny only permissions it has itself, and
    refuses the whole request otherwise; /setup check then names what is still missing.
    """
    kept = {
        name: value for name, value in overwrite if value is not None and (have.administrator or getattr(have, name))
    }
    return discord.PermissionOverwrite(**kept)


def channel_overwrites(
    kind: str, guild: discord.Guild, roles: dict[str, discord.Role]
) -> dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite]:
    """The overwrites of a new channel of `kind`, given the roles configured so far."""
    have = guild.me.guild_permissions
    out: dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite] = {
        guild.me: discord.PermissionOverwrite(**dict.fromkeys(NEEDS[kind], True)),
        guild.default_role: discord.PermissionOverwrite(view_channel=False) if kind in PRIVATE else _READ_ONLY,
    }
    for role_kind, role in roles.items():
        overwrite = role_overwrite(kind, role_kind)
        if overwrite is not None:
            out[role] = overwrite
    return {target: grantable(overwrite, have) for target, overwrite in out.items()}


async def _roles(config: GuildConfig, guild: discord.Guild) -> dict[str, discord.Role]:
    found = {}
    for role_kind in ROLE_NAMES:
        role_id = await config.role(guild.id, role_kind)
        role = guild.get_role(role_id) if role_id else None
        if role is not None:
            found[role_kind] = role
    return found


def ensure_can_create(guild: discord.Guild, what: str) -> None:
    """Raise a UserError naming the permission Harbor lacks to create a `what` ("channel" or "role")."""
    have = guild.me.guild_permissions
    permission = "Manage Channels" if what == "channel" else "Manage Roles"
    if have.administrator or (have.manage_channels if what == "channel" else have.manage_roles):
        return
    msg = (
        f"Harbor can't create {what}s here: its role lacks **{permission}**. Allow it in Server Settings → "
        f"Roles → Harbor, or create the {what} yourself and pick it in the select."
    )
    raise UserError(msg)


async def create_channel(config: GuildConfig, guild: discord.Guild, kind: str, by: int) -> discord.TextChannel:
    """Create the channel for `kind` with its overwrites and store it in the config."""
    ensure_can_create(guild, "channel")
    overwrites = channel_overwrites(kind, guild, await _roles(config, guild))
    reason = f"Harbor setup wizard, asked by {by}"
    try:
        channel = await guild.create_text_channel(
            CHANNEL_NAMES[kind], overwrites=overwrites, topic=_topic(kind), reason=reason
        )
    except discord.Forbidden:
        msg = "Discord refused to create the channel: Harbor is missing a permission it would grant there."
        raise UserError(msg) from None
    await config.set(guild.id, f"channel.{kind}", channel.id, by=by)
    await config.set(guild.id, CREATED.format(kind=kind), channel.id, by=by)
    return channel


async def create_role(config: GuildConfig, guild: discord.Guild, role_kind: str, by: int) -> tuple[discord.Role, str]:
    """Create the role for `role_kind`, store it, add it to Harbor's own channels; returns (role, note)."""
    ensure_can_create(guild, "role")
    reason = f"Harbor setup wizard, asked by {by}"
    role = await guild.create_role(
        name=ROLE_NAMES[role_kind], permissions=discord.Permissions.none(), mentionable=False, reason=reason
    )
    await config.set(guild.id, f"role.{role_kind}", role.id, by=by)
    missed = []
    for kind in NEEDS:
        overwrite = role_overwrite(kind, role_kind)
        channel_id = await config.get(guild.id, CREATED.format(kind=kind))
        channel = guild.get_channel(channel_id) if channel_id else None
        if overwrite is None or channel is None:
            continue
        try:
            await channel.set_permissions(
                role, overwrite=grantable(overwrite, guild.me.guild_permissions), reason=reason
            )
        except discord.Forbidden:
            missed.append(channel.mention)
    note = f" Add it to {', '.join(missed)} by hand (Edit Channel → Permissions)." if missed else ""
    return role, note


def _topic(kind: str) -> str:
    return f"Harbor: {PURPOSE[kind]}"
