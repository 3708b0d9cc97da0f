"""REST routes: users, gateway, application, command sync, messages, DMs."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from .gateway import DIRECT_MESSAGES, GUILD_MESSAGES, MESSAGE_CONTENT, GatewaySession
from .limits import DiscordError, FormErrors, check_message, not_found
from .models import FakeChannel, FakeMessage, snowflake
from .router import Req, router

if TYPE_CHECKING:
    from .server import FakeDiscord

APP = r"/applications/(\d+)"


# permission bits the fake enforces for the bot (with a channel's overwrites where the route names one)
VIEW_CHANNEL, SEND_MESSAGES, SEND_IN_THREADS, ATTACH_FILES = 1 << 10, 1 << 11, 1 << 38, 1 << 15
MANAGE_MESSAGES, MANAGE_CHANNELS, MANAGE_THREADS, MANAGE_ROLES = 1 << 13, 1 << 4, 1 << 34, 1 << 28
CREATE_PUBLIC_THREADS, CREATE_PRIVATE_THREADS, MODERATE_MEMBERS = 1 << 35, 1 << 36, 1 << 40
MANAGE_NICKNAMES, MANAGE_GUILD, MANAGE_EVENTS, CREATE_EVENTS = 1 << 27, 1 << 5, 1 << 33, 1 << 44


def require(
    fake: FakeDiscord, guild_id: int | None, perm: int, *, any_of: bool = False, channel: FakeChannel | None = None
) -> None:
    """403 50013 unless the bot has ``perm`` (all bits, or any bit with ``any_of``) in the guild, or in
    ``channel`` after its permission overwrites (a thread's come from its parent)."""
    guild = fake.guilds.get(guild_id or 0)
    if guild is None:
        return
    me = fake.bot_user.id
    have = guild.channel_permissions(me, channel) if channel is not None else guild.permissions_for(me)
    if not have & VIEW_CHANNEL:
        raise DiscordError(403, 50001, "Missing Access")
    if (not have & perm) if any_of else (have & perm != perm):
        raise DiscordError(403, 50013, "Missing Permissions")


# -- helpers shared with other route modules --------------------------------------------------------------
def get_channel(fake: FakeDiscord, channel_id: int | str) -> FakeChannel:
    chan = fake.channels.get(int(channel_id))
    if chan is None or chan.deleted:
        raise not_found(10003, "Channel")
    return chan


def get_message(fake: FakeDiscord, channel_id: int | str, message_id: int | str) -> FakeMessage:
    msg = fake.messages.get(int(message_id))
    if msg is None or msg.deleted or msg.channel_id != int(channel_id) or msg.ephemeral:
        raise not_found(10008, "Message")
    return msg


def attachments_from(
    fake: FakeDiscord, payload: dict[str, Any], files: list[tuple[str, bytes]]
) -> list[dict[str, Any]]:
    """Attachment payloads for uploaded files, honouring payload['attachments'] filenames/descriptions."""
    meta = {str(a.get("id")): a for a in payload.get("attachments") or []}
    out = []
    for i, (name, data) in enumerate(files):
        a = fake.attachment(meta.get(str(i), {}).get("filename") or name, data)
        if meta.get(str(i), {}).get("description"):
            a["description"] = meta[str(i)]["description"]
        out.append(a)
    return out


def message_event(fake: FakeDiscord, event: str, msg: FakeMessage) -> None:
    """Dispatch MESSAGE_CREATE/UPDATE honouring GUILD_MESSAGES / DIRECT_MESSAGES / MESSAGE_CONTENT."""
    chan = fake.channels.get(msg.channel_id)
    if chan is None or msg.ephemeral:
        return
    is_dm = chan.type == 1
    mentioned = f"<@{fake.bot_user.id}>" in msg.content or f"<@!{fake.bot_user.id}>" in msg.content

    def payload(s: GatewaySession) -> dict[str, Any]:
        visible = s.has(MESSAGE_CONTENT) or is_dm or mentioned or msg.author_id == fake.bot_user.id
        d = msg.to_dict(fake, with_content=visible)
        if chan.guild_id and msg.author_id in fake.guilds[chan.guild_id].members:
            member = fake.guilds[chan.guild_id].members[msg.author_id].to_dict()
            member.pop("user")
            d["member"] = member
        return d

    fake.gateway.dispatch(event, payload, DIRECT_MESSAGES if is_dm else GUILD_MESSAGES)


def create_message(
    fake: FakeDiscord,
    chan: FakeChannel,
    author_id: int,
    payload: dict[str, Any],
    files: list[tuple[str, bytes]] | None = None,
    *,
    echo: bool = True,
    validate: bool = True,
    **extra: Any,
) -> FakeMessage:
    files = files or []
    if validate:
        check_message(payload, has_files=bool(files))
    flags = int(payload.get("flags") or 0)
    msg = FakeMessage(
        snowflake(),
        chan.id,
        author_id,
        payload.get("content") or "",
        list(payload.get("embeds") or []),
        list(payload.get("components") or []),
        list(files),
        attachments_from(fake, payload, files),
        flags=flags,
        nonce=payload.get("nonce"),
        **extra,
    )
    ref = payload.get("message_reference")
    if ref:
        msg.message_reference = {**ref, "channel_id": str(ref.get("channel_id") or chan.id)}
        msg.type = 19
    fake.messages[msg.id] = msg
    if chan.is_thread:
        chan.message_count += 1
    if echo:
        message_event(fake, "MESSAGE_CREATE", msg)
    return msg


def edit_message(
    fake: FakeDiscord,
    msg: FakeMessage,
    payload: dict[str, Any],
    files: list[tuple[str, bytes]] | None = None,
    *,
    echo: bool = True,
) -> FakeMessage:
    files = files or []
    check_message(payload, has_files=bool(files), edit=True)
    msg.history.append({"content": msg.content, "embeds": msg.embeds, "components": msg.components})
    if "content" in payload:
        msg.content = payload["content"] or ""
    if "embeds" in payload:
        msg.embeds = list(payload["embeds"] or [])
    if "components" in payload:
        msg.components = list(payload["components"] or [])
    if payload.get("flags") is not None:
        msg.flags = (msg.flags & (64 | 128)) | int(payload["flags"])
    if "attachments" in payload or files:
        keep_ids = {str(a.get("id")) for a in payload.get("attachments") or []}
        kept = [a for a in msg.attachments if a["id"] in keep_ids] if "attachments" in payload else msg.attachments
        kept_names = {a["filename"] for a in kept}
        new = attachments_from(
            fake,
            {
                "attachments": [
                    a for a in payload.get("attachments") or [] if str(a.get("id")) not in {x["id"] for x in kept}
                ]
            },
            files,
        )
        msg.attachments = kept + new
        msg.files = [f for f in msg.files if f[0] in kept_names] + list(files)
    msg.flags &= ~128  # no longer loading
    msg.edited_at = time.time()
    if echo:
        message_event(fake, "MESSAGE_UPDATE", msg)
    return msg


def _send_checks(fake: FakeDiscord, chan: FakeChannel) -> None:
    if chan.type == 1 and chan.recipient is not None and (chan.recipient.dms_closed or chan.recipient.bot):
        raise DiscordError(403, 50007, "Cannot send messages to this user")
    if chan.is_thread and chan.archived:
        if chan.locked:
            raise DiscordError(400, 50083, "Thread is archived")
        chan.archived = False
        fake.dispatch("THREAD_UPDATE", chan.to_dict(), guild=fake.guilds.get(chan.guild_id or 0))
    if chan.type in (4, 15):
        raise DiscordError(400, 50008, "Cannot send messages in a non-text channel")
    require(fake, chan.guild_id, SEND_IN_THREADS if chan.is_thread else SEND_MESSAGES, channel=chan)


# -- routes ---------------------------------------------------------------------------------------------------
@router.route("GET", "/users/@me")
async def get_me(fake: FakeDiscord, req: Req) -> Any:
    return {**fake.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "locale": "en-US"}


@router.route("GET", "/users/{id}")
async def get_user(fake: FakeDiscord, req: Req, uid: str) -> Any:
    if int(uid) not in fake.users:
        raise not_found(10013, "User")
    return fake.users[int(uid)].to_dict()


@router.route("GET", "/gateway")
async def get_gateway(fake: FakeDiscord, req: Req) -> Any:
    return {"url": fake.gateway_url}


@router.route("GET", "/gateway/bot")
async def get_gateway_bot(fake: FakeDiscord, req: Req) -> Any:
    return {
        "url": fake.gateway_url,
        "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
    }


@router.route("GET", "/oauth2/applications/@me")
@router.route("GET", "/applications/@me")
async def get_application(fake: FakeDiscord, req: Req) -> Any:
    owner = fake.add_user("app-owner") if not hasattr(fake, "_app_owner") else fake._app_owner
    fake._app_owner = owner  # type: ignore[attr-defined]
    return {
        "id": str(fake.application_id),
        "name": fake.bot_user.name,
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner.to_dict(),
        "verify_key": "0" * 64,
        "team": None,
        "flags": fake.application_flags,
        "bot": fake.bot_user.to_dict(),
        "summary": "",
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "tags": [],
    }


_NAME_RX = re.compile(r"^[-_'\w]{1,32}$")


def _validate_commands(cmds: Any) -> None:
    err = FormErrors()
    if not isinstance(cmds, list):
        raise DiscordError(400, 50035, "Invalid Form Body")
    err.max_items([], cmds, 100)
    for i, c in enumerate(cmds):
        t = c.get("type", 1)
        name = c.get("name") or ""
        bad = (not _NAME_RX.match(name) or name != name.lower()) if t == 1 else not 1 <= len(name) <= 32
        if bad:
            err.add([i, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        if t == 1:
            err.max_len([i, "description"], c.get("description"), 100)
        _validate_options(err, [i, "options"], c.get("options") or [])
    err.raise_if_any()


def _validate_options(err: FormErrors, path: list[str | int], options: list[dict[str, Any]]) -> None:
    err.max_items(path, options, 25)
    for j, o in enumerate(options):
        if not _NAME_RX.match(o.get("name") or "") or o["name"] != o["name"].lower():
            err.add([*path, j, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        err.max_len([*path, j, "description"], o.get("description"), 100)
        err.max_items([*path, j, "choices"], o.get("choices"), 25)
        _validate_options(err, [*path, j, "options"], o.get("options") or [])


def _store_commands(fake: FakeDiscord, guild_id: int | None, cmds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    _validate_commands(cmds)
    old = {(c["name"], c.get("type", 1)): c["id"] for c in fake.commands.get(guild_id, [])}
    out = []
    for c in cmds:
        d = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **c,
            "application_id": str(fake.application_id),
            "version": str(snowflake()),
        }
        if d["default_member_permissions"] is not None:
            d["default_member_permissions"] = str(d["default_member_permissions"])
        d["id"] = old.get((c["name"], c.get("type", 1))) or str(snowflake())
        if guild_id is not None:
            d["guild_id"] = str(guild_id)
        else:
            d.setdefault("dm_permission", True)
        out.append(d)
    fake.commands[guild_id] = out
    return out


@router.route("PUT", APP + "/commands")
async def put_global_commands(fake: FakeDiscord, req: Req, app: str) -> Any:
    return _store_commands(fake, None, req.json)


@router.route("GET", APP + "/commands")
async def get_global_commands(fake: FakeDiscord, req: Req, app: str) -> Any:
    return fake.commands.get(None, [])


@router.route("PUT", APP + r"/guilds/(\d+)/commands")
async def put_guild_commands(fake: FakeDiscord, req: Req, app: str, gid: str) -> Any:
    if int(gid) not in fake.guilds:
        raise DiscordError(403, 50001, "Missing Access")
    return _store_commands(fake, int(gid), req.json)


@router.route("GET", APP + r"/guilds/(\d+)/commands")
async def get_guild_commands(fake: FakeDiscord, req: Req, app: str, gid: str) -> Any:
    return fake.commands.get(int(gid), [])


@router.route("POST", "/users/@me/channels")
async def create_dm(fake: FakeDiscord, req: Req) -> Any:
    uid = int(req.body.get("recipient_id", 0))
    user = fake.users.get(uid)
    if user is None:
        raise not_found(10013, "User")
    chan = fake.dm_channels.get(uid)
    if chan is None:
        chan = FakeChannel(snowflake(), 1, None, recipient=user)
        fake.dm_channels[uid] = chan
        fake.channels[chan.id] = chan
    return chan.to_dict()


@router.route("POST", "/channels/{id}/messages")
async def post_message(fake: FakeDiscord, req: Req, cid: str) -> Any:
    chan = get_channel(fake, cid)
    _send_checks(fake, chan)
    if req.files:
        require(fake, chan.guild_id, ATTACH_FILES, channel=chan)
    payload = req.body
    nonce = payload.get("nonce")
    if nonce is not None and payload.get("enforce_nonce"):
        key = (fake.bot_user.id, str(nonce))
        hit = fake._nonces.get(key)
        if hit and time.time() - hit[0] < fake.nonce_window:
            return hit[1].to_dict(fake)
    msg = create_message(fake, chan, fake.bot_user.id, payload, req.files)
    if nonce is not None and payload.get("enforce_nonce"):
        fake._nonces[(fake.bot_user.id, str(nonce))] = (time.time(), msg)
    return msg.to_dict(fake)


@router.route("GET", "/channels/{id}/messages/{id}")
async def get_one_message(fake: FakeDiscord, req: Req, cid: str, mid: str) -> Any:
    get_channel(fake, cid)
    return get_message(fake, cid, mid).to_dict(fake)


@router.route("GET", "/channels/{id}/messages")
async def list_messages(fake: FakeDiscord, req: Req, cid: str) -> Any:
    get_channel(fake, cid)
    limit = int(req.query.get("limit", 50))
    if not 1 <= limit <= 100:
        raise DiscordError(
            400,
            50035,
            "Invalid Form Body",
            {
                "limit": {
                    "_errors": [
                        {"code": "NUMBER_TYPE_MAX", "message": "int value should be less than or equal to 100."}
                    ]
                }
            },
        )
    msgs = [m for m in fake.channel_messages(int(cid)) if not m.deleted]
    if "before" in req.query:
        msgs = [m for m in msgs if m.id < int(req.query["before"])]
    if "after" in req.query:
        msgs = [m for m in msgs if m.id > int(req.query["after"])][:limit]
        return [m.to_dict(fake) for m in reversed(msgs)]
    return [m.to_dict(fake) for m in reversed(msgs[-limit:])]


@router.route("PATCH", "/channels/{id}/messages/{id}")
async def patch_message(fake: FakeDiscord, req: Req, cid: str, mid: str) -> Any:
    msg = get_message(fake, cid, mid)
    if msg.author_id != fake.bot_user.id:
        raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
    return edit_message(fake, msg, req.body, req.files).to_dict(fake)


def delete_message(fake: FakeDiscord, msg: FakeMessage) -> None:
    msg.deleted = True
    chan = fake.channels[msg.channel_id]
    data = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
    if chan.guild_id:
        data["guild_id"] = str(chan.guild_id)
    if not msg.ephemeral:
        fake.gateway.dispatch("MESSAGE_DELETE", data, DIRECT_MESSAGES if chan.type == 1 else GUILD_MESSAGES)


@router.route("DELETE", "/channels/{id}/messages/{id}")
async def del_message(fake: FakeDiscord, req: Req, cid: str, mid: str) -> Any:
    msg = get_message(fake, cid, mid)
    if msg.author_id != fake.bot_user.id:
        chan = get_channel(fake, cid)
        require(fake, chan.guild_id, MANAGE_MESSAGES, channel=chan)
    delete_message(fake, msg)


@router.route("POST", "/channels/{id}/messages/bulk-delete")
async def bulk_delete(fake: FakeDiscord, req: Req, cid: str) -> Any:
    chan = get_channel(fake, cid)
    require(fake, chan.guild_id, MANAGE_MESSAGES, channel=chan)
    ids = [int(i) for i in req.body.get("messages") or []]
    if not 2 <= len(ids) <= 100:
        raise DiscordError(
            400,
            50035,
            "Invalid Form Body",
            {
                "messages": {
                    "_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 2 and 100 in length."}]
                }
            },
        )
    if len(set(ids)) != len(ids):
        raise DiscordError(400, 50016, "Provided too few or too many messages to delete.")
    for i in ids:
        m = get_message(fake, cid, i)
        if time.time() - m.created_at > 14 * 86400:
            raise DiscordError(400, 50034, "You can only bulk delete messages that are under 14 days old.")
    for i in ids:
        fake.messages[i].deleted = True
    fake.gateway.dispatch(
        "MESSAGE_DELETE_BULK",
        {"ids": [str(i) for i in ids], "channel_id": str(chan.id), "guild_id": str(chan.guild_id)},
        GUILD_MESSAGES,
    )
