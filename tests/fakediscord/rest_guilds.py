"""REST routes: channels and threads, guilds, guild members and roles."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .gateway import GUILD_MEMBERS, GUILDS
from .limits import DiscordError, FormErrors, not_found
from .models import ADMINISTRATOR, FakeChannel, FakeGuild, FakeMember, snowflake
from .rest_messages import (
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    MANAGE_CHANNELS,
    MANAGE_NICKNAMES,
    MANAGE_ROLES,
    MANAGE_THREADS,
    MODERATE_MEMBERS,
    SEND_IN_THREADS,
    get_channel,
    get_message,
    require,
)
from .router import Req, router

if TYPE_CHECKING:
    from .server import FakeDiscord


def get_guild(fake: FakeDiscord, gid: str | int) -> FakeGuild:
    guild = fake.guilds.get(int(gid))
    if guild is None:
        raise not_found(10004, "Guild")
    return guild


def get_member(guild: FakeGuild, uid: str | int) -> FakeMember:
    member = guild.members.get(int(uid))
    if member is None:
        raise not_found(10007, "Member")
    return member


def _thread_event(fake: FakeDiscord, event: str, chan: FakeChannel, **extra: Any) -> None:
    fake.dispatch(event, {**chan.to_dict(), **extra}, guild=fake.guilds.get(chan.guild_id or 0))


def _new_thread(
    fake: FakeDiscord, parent: FakeChannel, body: dict[str, Any], type_: int, thread_id: int | None = None
) -> FakeChannel:
    err = FormErrors()
    name = body.get("name") or ""
    if not name:
        err.add(["name"], "BASE_TYPE_REQUIRED", "This field is required")
    err.max_len(["name"], name, 100)
    if body.get("auto_archive_duration", 1440) not in (60, 1440, 4320, 10080):
        err.add(["auto_archive_duration"], "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.")
    err.raise_if_any()
    if parent.is_thread or parent.type not in (0, 5, 15):
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    guild = fake.guilds[parent.guild_id or 0]
    require(fake, guild.id, CREATE_PRIVATE_THREADS if type_ == 12 else CREATE_PUBLIC_THREADS, channel=parent)
    chan = FakeChannel(
        thread_id or snowflake(),
        type_,
        name,
        guild_id=guild.id,
        parent_id=parent.id,
        owner_id=fake.bot_user.id,
        members={fake.bot_user.id},
        invitable=body.get("invitable", True),
        auto_archive_duration=body.get("auto_archive_duration", 1440),
    )
    guild.channels[chan.id] = chan
    fake.channels[chan.id] = chan
    _thread_event(fake, "THREAD_CREATE", chan, newly_created=True)
    return chan


@router.route("POST", "/channels/{id}/threads")
async def start_thread(fake: FakeDiscord, req: Req, cid: str) -> Any:
    parent = get_channel(fake, cid)
    type_ = int(req.body.get("type") or 12)
    if type_ not in (11, 12):
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    return _new_thread(fake, parent, req.body, type_).to_dict()


@router.route("POST", "/channels/{id}/messages/{id}/threads")
async def start_thread_from_message(fake: FakeDiscord, req: Req, cid: str, mid: str) -> Any:
    parent = get_channel(fake, cid)
    msg = get_message(fake, cid, mid)
    if msg.id in fake.channels:
        raise DiscordError(400, 160004, "A thread has already been created for this message")
    return _new_thread(fake, parent, req.body, 11, thread_id=msg.id).to_dict()


def _thread_members_update(fake: FakeDiscord, chan: FakeChannel, added: int | None, removed: int | None) -> None:
    data: dict[str, Any] = {"id": str(chan.id), "guild_id": str(chan.guild_id), "member_count": len(chan.members)}
    if added is not None:
        data["added_members"] = [
            {
                "id": str(chan.id),
                "user_id": str(added),
                "join_timestamp": datetime.now().astimezone().isoformat(),
                "flags": 0,
            }
        ]
    if removed is not None:
        data["removed_member_ids"] = [str(removed)]
    fake.gateway.dispatch("THREAD_MEMBERS_UPDATE", data, GUILDS)


@router.route("PUT", "/channels/{id}/thread-members/{id}")
async def add_thread_member(fake: FakeDiscord, req: Req, cid: str, uid: str) -> Any:
    chan = get_channel(fake, cid)
    if not chan.is_thread:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    if chan.archived:
        raise DiscordError(400, 50083, "Thread is archived")
    require(fake, chan.guild_id, SEND_IN_THREADS, channel=chan)
    get_member(fake.guilds[chan.guild_id or 0], uid)
    if int(uid) not in chan.members:
        chan.members.add(int(uid))
        _thread_members_update(fake, chan, int(uid), None)


@router.route("DELETE", "/channels/{id}/thread-members/{id}")
async def remove_thread_member(fake: FakeDiscord, req: Req, cid: str, uid: str) -> Any:
    chan = get_channel(fake, cid)
    if not chan.is_thread:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    if int(uid) in chan.members:
        chan.members.discard(int(uid))
        _thread_members_update(fake, chan, None, int(uid))


@router.route("GET", "/channels/{id}/thread-members")
async def list_thread_members(fake: FakeDiscord, req: Req, cid: str) -> Any:
    chan = get_channel(fake, cid)
    return [
        {"id": str(chan.id), "user_id": str(u), "join_timestamp": datetime.now().astimezone().isoformat(), "flags": 0}
        for u in chan.members
    ]


@router.route("GET", "/channels/{id}")
async def get_channel_route(fake: FakeDiscord, req: Req, cid: str) -> Any:
    return get_channel(fake, cid).to_dict()


@router.route("PATCH", "/channels/{id}")
async def patch_channel(fake: FakeDiscord, req: Req, cid: str) -> Any:
    chan = get_channel(fake, cid)
    body = req.body
    if not chan.is_thread:
        require(fake, chan.guild_id, MANAGE_CHANNELS, channel=chan)
    elif "locked" in body or "invitable" in body or chan.owner_id != fake.bot_user.id or chan.locked:
        require(fake, chan.guild_id, MANAGE_THREADS, channel=chan)
    err = FormErrors()
    err.max_len(["name"], body.get("name"), 100)
    err.max_len(["topic"], body.get("topic"), 1024)
    err.raise_if_any()
    for key in ("name", "topic", "position"):
        if key in body:
            setattr(chan, key, body[key])
    if chan.is_thread:
        if "archived" in body:
            chan.archived = bool(body["archived"])
            chan.archive_ts = time.time()
        for key in ("locked", "invitable", "auto_archive_duration"):
            if key in body:
                setattr(chan, key, body[key])
        _thread_event(fake, "THREAD_UPDATE", chan)
    else:
        fake.dispatch("CHANNEL_UPDATE", chan.to_dict(), guild=fake.guilds.get(chan.guild_id or 0))
    return chan.to_dict()


@router.route("DELETE", "/channels/{id}")
async def delete_channel(fake: FakeDiscord, req: Req, cid: str) -> Any:
    chan = get_channel(fake, cid)
    if chan.type == 1:
        return chan.to_dict()  # closing a DM
    require(fake, chan.guild_id, MANAGE_THREADS if chan.is_thread else MANAGE_CHANNELS, channel=chan)
    chan.deleted = True
    if chan.is_thread:
        data = {"id": str(chan.id), "guild_id": str(chan.guild_id), "parent_id": str(chan.parent_id), "type": chan.type}
        fake.dispatch("THREAD_DELETE", data, guild=fake.guilds.get(chan.guild_id or 0))
    else:
        fake.dispatch("CHANNEL_DELETE", chan.to_dict(), guild=fake.guilds.get(chan.guild_id or 0))
    return chan.to_dict()


@router.route("GET", "/guilds/{id}")
async def get_guild_route(fake: FakeDiscord, req: Req, gid: str) -> Any:
    data = get_guild(fake, gid).to_dict(with_members=False)
    for key in ("members", "channels", "threads", "voice_states", "presences", "joined_at", "large"):
        data.pop(key, None)
    return data


@router.route("GET", "/guilds/{id}/channels")
async def get_guild_channels(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    return [c.to_dict() for c in guild.channels.values() if not c.is_thread and not c.deleted]


@router.route("GET", "/guilds/{id}/roles")
async def get_roles(fake: FakeDiscord, req: Req, gid: str) -> Any:
    return [r.to_dict() for r in get_guild(fake, gid).roles.values()]


@router.route("GET", "/guilds/{id}/members/{id}")
async def get_member_route(fake: FakeDiscord, req: Req, gid: str, uid: str) -> Any:
    return get_member(get_guild(fake, gid), uid).to_dict()


@router.route("GET", "/guilds/{id}/members")
async def list_members(fake: FakeDiscord, req: Req, gid: str) -> Any:
    guild = get_guild(fake, gid)
    after = int(req.query.get("after", 0))
    limit = int(req.query.get("limit", 1))
    members = sorted((m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id)
    return [m.to_dict() for m in members[:limit]]


def _member_update(fake: FakeDiscord, guild: FakeGuild, member: FakeMember) -> None:
    fake.dispatch(
        "GUILD_MEMBER_UPDATE", {**member.to_dict(), "guild_id": str(guild.id)}, guild=guild, intent=GUILD_MEMBERS
    )


def _check_role(fake: FakeDiscord, guild: FakeGuild, rid: str | int) -> None:
    role = guild.roles.get(int(rid))
    if role is None:
        raise not_found(10011, "Role")
    require(fake, guild.id, MANAGE_ROLES)
    if role.managed or role.id == guild.id or role.position >= guild.top_position(fake.bot_user.id):
        raise DiscordError(403, 50013, "Missing Permissions")


def _check_hierarchy(fake: FakeDiscord, guild: FakeGuild, member: FakeMember) -> None:
    if member.user.id == guild.owner_id or guild.top_position(member.user.id) >= guild.top_position(fake.bot_user.id):
        raise DiscordError(403, 50013, "Missing Permissions")


@router.route("PUT", "/guilds/{id}/members/{id}/roles/{id}")
async def add_member_role(fake: FakeDiscord, req: Req, gid: str, uid: str, rid: str) -> Any:
    guild = get_guild(fake, gid)
    member = get_member(guild, uid)
    _check_role(fake, guild, rid)
    if int(rid) not in member.roles:
        member.roles.append(int(rid))
        _member_update(fake, guild, member)


@router.route("DELETE", "/guilds/{id}/members/{id}/roles/{id}")
async def remove_member_role(fake: FakeDiscord, req: Req, gid: str, uid: str, rid: str) -> Any:
    guild = get_guild(fake, gid)
    member = get_member(guild, uid)
    _check_role(fake, guild, rid)
    if int(rid) in member.roles:
        member.roles.remove(int(rid))
        _member_update(fake, guild, member)


@router.route("PATCH", "/guilds/{id}/members/{id}")
async def patch_member(fake: FakeDiscord, req: Req, gid: str, uid: str) -> Any:
    guild = get_guild(fake, gid)
    member = get_member(guild, uid)
    body = req.body
    if "communication_disabled_until" in body:
        until = body["communication_disabled_until"]
        require(fake, guild.id, MODERATE_MEMBERS)
        _check_hierarchy(fake, guild, member)
        if guild.permissions_for(member.user.id) & ADMINISTRATOR:
            raise DiscordError(403, 50013, "Missing Permissions")
        if until is not None:
            delta = datetime.fromisoformat(until).timestamp() - time.time()
            if delta > 28 * 86400 + 60:
                raise DiscordError(
                    400,
                    50035,
                    "Invalid Form Body",
                    {
                        "communication_disabled_until": {
                            "_errors": [{"code": "BASE_TYPE_BAD_TIME", "message": "Timeout cannot exceed 28 days"}]
                        }
                    },
                )
        member.communication_disabled_until = until
    if "nick" in body:
        require(fake, guild.id, MANAGE_NICKNAMES)
        if member.user.id != fake.bot_user.id:
            _check_hierarchy(fake, guild, member)
        err = FormErrors()
        err.max_len(["nick"], body["nick"], 32)
        err.raise_if_any()
        member.nick = body["nick"]
    if "roles" in body:
        for rid in set(map(int, body["roles"])) ^ set(member.roles):
            _check_role(fake, guild, rid)
        member.roles = [int(r) for r in body["roles"]]
    _member_update(fake, guild, member)
    return member.to_dict()
