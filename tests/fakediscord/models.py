"""World model of the fake Discord: users, guilds, roles, channels, members, messages."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import FakeDiscord

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)

ALL_PERMISSIONS = (1 << 53) - 1
ADMINISTRATOR = 1 << 3
# view_channel, send_messages, send_messages_in_threads, create_public_threads, embed_links, attach_files,
# add_reactions, read_message_history, use_application_commands, connect, speak, change_nickname, create_invite
EVERYONE_DEFAULT = (
    (1 << 10)
    | (1 << 11)
    | (1 << 38)
    | (1 << 35)
    | (1 << 14)
    | (1 << 15)
    | (1 << 6)
    | (1 << 16)
    | (1 << 31)
    | (1 << 20)
    | (1 << 21)
    | (1 << 26)
    | (1 << 0)
)


def snowflake() -> int:
    """Return a new, strictly increasing snowflake based on the current time."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def iso(ts: float | None = None) -> str:
    """ISO 8601 timestamp as Discord formats them."""
    return datetime.fromtimestamp(time.time() if ts is None else ts, UTC).isoformat()


@dataclass(eq=False)
class FakeUser:
    """A Discord user."""

    id: int
    name: str
    bot: bool = False
    global_name: str | None = None
    dms_closed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeRole:
    """A guild role. The @everyone role has the guild's id."""

    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    color: int = 0
    hoist: bool = False
    mentionable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeChannel:
    """A guild channel, thread or DM channel (type 1)."""

    id: int
    type: int
    name: str | None
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    owner_id: int | None = None
    recipient: FakeUser | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    members: set[int] = field(default_factory=set)
    overwrites: list[dict[str, Any]] = field(default_factory=list)  # {"id", "type", "allow", "deny"} as Discord
    message_count: int = 0
    deleted: bool = False
    created_at: float = field(default_factory=time.time)
    archive_ts: float = field(default_factory=time.time)

    @property
    def is_thread(self) -> bool:
        return self.type in (10, 11, 12)

    def to_dict(self, permissions: int | None = None) -> dict[str, Any]:
        if self.type == 1:
            assert self.recipient is not None
            d: dict[str, Any] = {
                "id": str(self.id),
                "type": 1,
                "recipients": [self.recipient.to_dict()],
                "last_message_id": None,
                "flags": 0,
            }
        else:
            d = {
                "id": str(self.id),
                "type": self.type,
                "guild_id": str(self.guild_id),
                "name": self.name,
                "position": self.position,
                "permission_overwrites": [dict(o) for o in self.overwrites],
                "nsfw": False,
                "parent_id": str(self.parent_id) if self.parent_id else None,
                "topic": self.topic,
                "rate_limit_per_user": 0,
                "last_message_id": None,
                "flags": 0,
            }
        if self.is_thread:
            d.update(
                {
                    "owner_id": str(self.owner_id),
                    "message_count": self.message_count,
                    "total_message_sent": self.message_count,
                    "member_count": len(self.members),
                    "thread_metadata": {
                        "archived": self.archived,
                        "locked": self.locked,
                        "invitable": self.invitable,
                        "auto_archive_duration": self.auto_archive_duration,
                        "archive_timestamp": iso(self.archive_ts),
                        "create_timestamp": iso(self.created_at),
                    },
                }
            )
            d.pop("permission_overwrites")
            d.pop("topic")
        if permissions is not None:
            d["permissions"] = str(permissions)
        return d


@dataclass(eq=False)
class FakeMember:
    """A user's membership in a guild."""

    user: FakeUser
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: float = field(default_factory=time.time)
    communication_disabled_until: str | None = None

    def to_dict(self, permissions: int | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "user": self.user.to_dict(),
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.roles],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": self.communication_disabled_until,
        }
        if permissions is not None:
            d["permissions"] = str(permissions)
        return d


@dataclass(eq=False)
class FakeGuild:
    """A guild. World building methods dispatch gateway events once the bot is connected."""

    id: int
    name: str
    owner_id: int
    fake: FakeDiscord = field(repr=False)
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    scheduled_events: dict[int, dict[str, Any]] = field(default_factory=dict)
    automod_rules: dict[int, dict[str, Any]] = field(default_factory=dict)
    command_overrides: dict[str, set[int]] = field(default_factory=dict)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    # -- world building -------------------------------------------------------------------------------------
    def add_role(
        self, name: str, permissions: int = 0, *, position: int = 1, managed: bool = False, **kw: Any
    ) -> FakeRole:
        """Create a role. Like Discord, new roles go to the bottom (position 1, above @everyone)."""
        shifted = [r for r in self.roles.values() if r.id != self.id and r.position >= position]
        for other in shifted:
            other.position += 1
        role = FakeRole(snowflake(), self.id, name, permissions, position=position, managed=managed, **kw)
        self.roles[role.id] = role
        for other in shifted:
            self.fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(self.id), "role": other.to_dict()}, guild=self)
        self.fake.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.to_dict()}, guild=self)
        return role

    def _add_channel(self, type_: int, name: str, parent_id: int | None = None, **kw: Any) -> FakeChannel:
        chan = FakeChannel(
            snowflake(), type_, name, guild_id=self.id, parent_id=parent_id, position=len(self.channels), **kw
        )
        self.channels[chan.id] = chan
        self.fake.channels[chan.id] = chan
        if chan.is_thread:
            self.fake.dispatch("THREAD_CREATE", {**chan.to_dict(), "newly_created": True}, guild=self)
        else:
            self.fake.dispatch("CHANNEL_CREATE", chan.to_dict(), guild=self)
        return chan

    def add_text_channel(
        self, name: str, *, category: FakeChannel | None = None, topic: str | None = None
    ) -> FakeChannel:
        return self._add_channel(0, name, category.id if category else None, topic=topic)

    def add_category(self, name: str) -> FakeChannel:
        return self._add_channel(4, name)

    def add_forum(self, name: str) -> FakeChannel:
        return self._add_channel(15, name)

    def add_thread(
        self, parent: FakeChannel, name: str, *, private: bool = False, owner: FakeUser | None = None
    ) -> FakeChannel:
        owner_id = owner.id if owner else self.fake.bot_user.id
        return self._add_channel(12 if private else 11, name, parent.id, owner_id=owner_id, members={owner_id})

    def add_member(self, user: FakeUser, roles: list[int] | None = None, nick: str | None = None) -> FakeMember:
        member = FakeMember(user, self.id, list(roles or []), nick)
        self.members[user.id] = member
        self.fake.dispatch(
            "GUILD_MEMBER_ADD", {**member.to_dict(), "guild_id": str(self.id)}, guild=self, intent=1 << 1
        )
        return member

    def remove_member(self, user: FakeUser) -> None:
        self.members.pop(user.id)
        self.fake.dispatch(
            "GUILD_MEMBER_REMOVE", {"guild_id": str(self.id), "user": user.to_dict()}, guild=self, intent=1 << 1
        )

    def member_updated(self, member: FakeMember) -> None:
        """Dispatch GUILD_MEMBER_UPDATE after changing a member's roles/nick."""
        self.fake.dispatch(
            "GUILD_MEMBER_UPDATE", {**member.to_dict(), "guild_id": str(self.id)}, guild=self, intent=1 << 1
        )

    def update_member(self, user: FakeUser, *, roles: list[int] | None = None, nick: str | None = None) -> FakeMember:
        member = self.members[user.id]
        if roles is not None:
            member.roles = list(roles)
        if nick is not None:
            member.nick = nick
        self.member_updated(member)
        return member

    def allow_command(self, name: str, *targets: FakeUser | FakeRole | int) -> None:
        """Server Settings > Integrations: let these users/roles use ``name`` despite its default permissions."""
        ids = {t if isinstance(t, int) else t.id for t in targets}
        self.command_overrides.setdefault(name, set()).update(ids)

    # -- permissions ----------------------------------------------------------------------------------------
    def permissions_for(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        perms = self.everyone.permissions
        for rid in member.roles if member else []:
            if rid in self.roles:
                perms |= self.roles[rid].permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def channel_permissions(self, user_id: int, channel: FakeChannel) -> int:
        """Discord's computation: guild permissions, then the channel's (or a thread's parent's) overwrites for
        @everyone, the member's roles together, and the member."""
        perms = self.permissions_for(user_id)
        if perms & ADMINISTRATOR:
            return perms
        source = self.channels.get(channel.parent_id or 0) if channel.is_thread else channel
        overwrites = {o["id"]: o for o in (source.overwrites if source else [])}

        def apply(perms: int, allow: int, deny: int) -> int:
            return (perms & ~deny) | allow

        everyone = overwrites.get(str(self.id))
        if everyone:
            perms = apply(perms, int(everyone["allow"]), int(everyone["deny"]))
        member = self.members.get(user_id)
        allow = deny = 0
        for rid in member.roles if member else []:
            o = overwrites.get(str(rid))
            if o and o["type"] == 0:
                allow, deny = allow | int(o["allow"]), deny | int(o["deny"])
        perms = apply(perms, allow, deny)
        own = overwrites.get(str(user_id))
        if own and own["type"] == 1:
            perms = apply(perms, int(own["allow"]), int(own["deny"]))
        return perms

    def top_position(self, user_id: int) -> int:
        member = self.members.get(user_id)
        return max([self.roles[r].position for r in (member.roles if member else []) if r in self.roles] or [0])

    def to_dict(self, with_members: bool) -> dict[str, Any]:
        me = self.fake.bot_user.id
        members = list(self.members.values()) if with_members else [self.members[me]]
        threads = [c for c in self.channels.values() if c.is_thread and not c.archived and not c.deleted]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": iso(self.members[me].joined_at),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "presences": [],
            "members": [m.to_dict() for m in members],
            "channels": [c.to_dict() for c in self.channels.values() if not c.is_thread and not c.deleted],
            "threads": [t.to_dict() for t in threads],
            "stage_instances": [],
            "guild_scheduled_events": list(self.scheduled_events.values()),
            "soundboard_sounds": [],
        }


@dataclass(eq=False)
class FakeMessage:
    """A message stored by the fake (sent by the bot or posted by a user)."""

    id: int
    channel_id: int
    author_id: int
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    deleted: bool = False
    nonce: str | int | None = None
    webhook_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    type: int = 0
    created_at: float = field(default_factory=time.time)
    edited_at: float | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    visible_to: int | None = None  # ephemeral messages: the only user who sees them

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def to_dict(self, fake: FakeDiscord, *, with_content: bool = True) -> dict[str, Any]:
        author = fake.users[self.author_id]
        chan = fake.channels.get(self.channel_id)
        d: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": self.type,
            "author": author.to_dict(),
            "content": self.content if with_content else "",
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.edited_at) if self.edited_at else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.attachments if with_content else [],
            "embeds": self.embeds if with_content else [],
            "components": self.components if with_content else [],
            "pinned": False,
            "flags": self.flags,
        }
        if chan is not None and chan.guild_id:
            d["guild_id"] = str(chan.guild_id)
        if self.nonce is not None:
            d["nonce"] = self.nonce
        if self.webhook_id:
            d["webhook_id"] = str(self.webhook_id)
            d["application_id"] = str(self.webhook_id)
        if self.interaction_metadata:
            d["interaction_metadata"] = self.interaction_metadata
        if self.message_reference:
            d["message_reference"] = self.message_reference
        return d


@dataclass
class RecordedRequest:
    """One HTTP request the client made."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    at: float
    status: int = 0
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class Reply:
    """An interaction callback or follow-up as the bot sent it."""

    type: int
    content: str | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    files: list[tuple[str, bytes]] = field(default_factory=list)
    custom_id: str | None = None
    title: str | None = None
    choices: list[dict[str, Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)
