"""FakeDiscord: aiohttp server playing Discord's REST API v10 and Gateway v10 on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import web

from tests.helpers import eventually

from . import rest_admin, rest_events, rest_guilds, rest_interactions, rest_messages, schema  # noqa: F401  (routes)
from .gateway import GUILDS, Gateway, Payload
from .interactions import InteractionMixin
from .limits import DiscordError, error_response, json_response
from .models import (
    ADMINISTRATOR,
    EVERYONE_DEFAULT,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    RecordedRequest,
    snowflake,
)
from .rest_events import automod_block
from .rest_messages import delete_message, message_event
from .router import Req, router

API_PREFIX = "/api/v10"
UPLOAD_LIMIT = 10 * 1024 * 1024  # bytes of files per message a bot may send in a server without boosts


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    code: int
    message: str


class FakeDiscord(InteractionMixin):
    """A fake Discord for the real discord.py client. See tests/fakediscord/README in the docstrings."""

    def __init__(self, *, bot_name: str = "Harbor", application_flags: int = 0) -> None:
        self.application_id = snowflake()
        self.application_flags = application_flags
        self.bot_user = FakeUser(self.application_id, bot_name, bot=True)
        self.users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, FakeMessage] = {}
        self.dm_channels: dict[int, FakeChannel] = {}  # user id -> DM channel
        self.cdn: dict[int, tuple[str, bytes, str]] = {}
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.global_rate_limit: int | None = None
        self.rate_limit_hits = 0
        self.automod_blocked: list[dict[str, Any]] = []  # member messages AutoMod kept out
        self.invalid_requests = 0
        self.validated_requests = 0  # JSON bodies checked against Discord's OpenAPI description
        self.schema_violations: list[schema.Violation] = []  # fail the test (pytest_plugin asserts at teardown)
        self.expected_violations: list[schema.Violation] = []  # sent on purpose inside expect_invalid_bodies()
        self._expecting_invalid = 0
        self.interaction_deadline = 3.0
        self.followup_lifetime = 15 * 60.0
        self.nonce_window = 5 * 60.0
        self.stopping = False
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.gateway = Gateway(self)
        self._failures: list[_Failure] = []
        self._window: deque[float] = deque()
        self._nonces: dict[tuple[int, str], tuple[float, FakeMessage]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._init_interactions()

    # -- lifecycle ------------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/", self.gateway.handle)
        app.router.add_get("/attachments/{id}/{filename}", self._serve_attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self.stopping = True
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @contextlib.contextmanager
    def expect_invalid_bodies(self) -> Iterator[list[schema.Violation]]:
        """Inside, bodies the spec rejects still get Discord's 400 but do not fail the test (tests of the fake)."""
        self._expecting_invalid += 1
        start = len(self.expected_violations)
        seen: list[schema.Violation] = []
        try:
            yield seen
        finally:
            self._expecting_invalid -= 1
            seen.extend(self.expected_violations[start:])

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def patch_discord(self) -> Iterator[FakeDiscord]:
        """Point discord.py's REST base and default gateway at this fake; restores them on exit."""
        old_base = discord.http.Route.BASE
        old_gw = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield self
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gw

    async def wait_ready(self, timeout: float = 10) -> None:
        """Wait until a client IDENTIFYd and READY plus every GUILD_CREATE have been sent to it."""
        await eventually(lambda: any(s.ready.is_set() for s in self.gateway.live), timeout=timeout, what="READY")

    async def force_reconnect(self) -> None:
        """Send op 7 RECONNECT; the client reconnects and RESUMEs."""
        await self.gateway.reconnect()

    # -- world building -------------------------------------------------------------------------------------
    def add_user(self, name: str, bot: bool = False, *, global_name: str | None = None) -> FakeUser:
        user = FakeUser(snowflake(), name, bot=bot, global_name=global_name)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, owner: FakeUser | None = None, *, bot_permissions: int = ADMINISTRATOR) -> FakeGuild:
        """Create a guild the bot is in. Without ``owner`` the owner is a user who is not a member."""
        phantom_owner = owner is None
        if owner is None:
            owner = self.add_user(f"{name} owner")
        guild = FakeGuild(snowflake(), name, owner.id, self)
        guild.roles[guild.id] = FakeRole(guild.id, guild.id, "@everyone", EVERYONE_DEFAULT)
        bot_role = FakeRole(snowflake(), guild.id, self.bot_user.name, bot_permissions, position=1, managed=True)
        guild.roles[bot_role.id] = bot_role
        guild.bot_role = bot_role  # type: ignore[attr-defined]
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild.id, [bot_role.id])
        if not phantom_owner:
            guild.members[owner.id] = FakeMember(owner, guild.id)
        self.guilds[guild.id] = guild
        self.gateway.dispatch("GUILD_CREATE", lambda s: guild.to_dict(with_members=s.has(2)))
        return guild

    def dispatch(self, event: str, data: Payload, *, guild: FakeGuild | None = None, intent: int = GUILDS) -> None:
        """Send a gateway event to connected sessions whose intents include ``intent``."""
        if guild is not None and guild.id not in self.guilds:
            return  # guild being built, not announced yet
        self.gateway.dispatch(event, data, intent)

    async def post_message(
        self,
        user: FakeUser,
        channel: FakeChannel,
        content: str = "",
        *,
        embeds: list[dict[str, Any]] | None = None,
        files: list[tuple[str, bytes]] | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """A user posts a message (MESSAGE_CREATE; content blank unless the bot may see it)."""
        if channel.guild_id:
            assert user.id in self.guilds[channel.guild_id].members, f"{user.name} is not in that guild"
        files = list(files or [])
        msg = FakeMessage(
            snowflake(),
            channel.id,
            user.id,
            content,
            list(embeds or []),
            files=files,
            attachments=[self.attachment(n, d) for n, d in files],
        )
        if reply_to is not None:
            msg.type = 19
            msg.message_reference = {"message_id": str(reply_to.id), "channel_id": str(reply_to.channel_id)}
        if channel.guild_id and automod_block(self, self.guilds[channel.guild_id], user, channel, content):
            return msg  # blocked by AutoMod: never created, nobody (the bot included) receives it
        if channel.is_thread:
            channel.message_count += 1
        self.messages[msg.id] = msg
        message_event(self, "MESSAGE_CREATE", msg)
        await asyncio.sleep(0)
        return msg

    async def edit_user_message(self, message: FakeMessage, content: str) -> FakeMessage:
        """The author edits their message (MESSAGE_UPDATE)."""
        message.history.append({"content": message.content})
        message.content = content
        message.edited_at = time.time()
        message_event(self, "MESSAGE_UPDATE", message)
        await asyncio.sleep(0)
        return message

    async def delete_user_message(self, message: FakeMessage) -> None:
        """The author deletes their message (MESSAGE_DELETE)."""
        delete_message(self, message)
        await asyncio.sleep(0)

    # -- observation ----------------------------------------------------------------------------------------
    def channel_messages(self, channel_id: int) -> list[FakeMessage]:
        """Non-ephemeral messages in a channel, oldest first (deleted ones included, with .deleted set)."""
        return [m for m in self.messages.values() if m.channel_id == channel_id and not m.ephemeral]

    def dms(self, user: FakeUser) -> list[FakeMessage]:
        chan = self.dm_channels.get(user.id)
        if chan is None:
            return []
        return [m for m in self.channel_messages(chan.id) if m.author_id == self.bot_user.id]

    def threads(self, parent_channel_id: int) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.is_thread and c.parent_id == parent_channel_id]

    def synced_commands(self, guild: FakeGuild | int | None = None) -> list[dict[str, Any]]:
        gid = guild.id if isinstance(guild, FakeGuild) else guild
        return list(self.commands.get(gid, []))

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5) -> Any:
        """Poll until ``predicate()`` is truthy; returns its value or raises TimeoutError (`tests.helpers`)."""
        return await eventually(predicate, timeout=timeout)

    # -- failure injection ----------------------------------------------------------------------------------
    def fail_next(
        self, method: str, path_regex: str, status: int = 500, times: int = 1, code: int = 0, message: str | None = None
    ) -> None:
        """Fail the next ``times`` requests whose path (after /api/v10) fully matches ``path_regex``."""
        self._failures.append(
            _Failure(
                method.upper(), re.compile(path_regex), status, times, code, message or f"Injected failure {status}"
            )
        )

    def _injected(self, method: str, path: str) -> web.Response | None:
        for f in self._failures:
            if f.method == method and f.times > 0 and f.pattern.fullmatch(path):
                f.times -= 1
                if f.times == 0:
                    self._failures.remove(f)
                return json_response({"message": f.message, "code": f.code}, f.status)
        return None

    def _rate_limited(self, path: str) -> web.Response | None:
        if not self.global_rate_limit or path.startswith(("/interactions/", "/webhooks/")):
            return None  # interaction endpoints are not bound to the global rate limit
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) < self.global_rate_limit:
            self._window.append(now)
            return None
        self.rate_limit_hits += 1
        retry = round(max(0.001, 1.0 - (now - self._window[0])), 3)
        body = {"message": "You are being rate limited.", "retry_after": retry, "global": True}
        headers = {
            "Via": "1.1 google",
            "X-RateLimit-Global": "true",
            "X-RateLimit-Scope": "global",
            "Retry-After": str(max(1, round(retry))),
        }
        return json_response(body, 429, headers)

    # -- HTTP plumbing --------------------------------------------------------------------------------------
    async def _parse(self, request: web.Request, path: str) -> Req:
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            for key, value in form.items():
                if key == "payload_json":
                    payload = json.loads(value if isinstance(value, str) else value.file.read())
                elif isinstance(value, web.FileField):
                    files.append((value.filename, value.file.read()))
        elif request.can_read_body:
            raw = await request.read()
            payload = json.loads(raw) if raw else None
        return Req(request.method, path, dict(request.query), payload, files, dict(request.headers))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        req = await self._parse(request, path)
        rec = RecordedRequest(req.method, path, req.query, req.json, time.time(), files=req.files)
        self.requests.append(rec)
        resp = self._injected(req.method, path) or self._rate_limited(path)
        if resp is None and sum(len(data) for _, data in req.files) > UPLOAD_LIMIT:
            # Discord refuses a message whose files pass the upload limit (10 MiB for bots in a plain server).
            resp = error_response(DiscordError(413, 40005, "Request entity too large"))
        if resp is None:
            resp = await self._route(req, rec)
        rec.status = resp.status
        if resp.status in (401, 403, 429):
            self.invalid_requests += 1  # Discord bans an IP after 10,000 of these in 10 minutes
        return resp

    async def _route(self, req: Req, rec: RecordedRequest) -> web.Response:
        found = router.match(req.method, req.path)
        if found is None:
            self.unhandled.append(rec)
            return json_response({"message": "404: Not Found (fake Discord: endpoint not implemented)", "code": 0}, 404)
        handler, groups = found
        if req.method in ("POST", "PUT", "PATCH") and req.json is not None:
            checked, violations = schema.validate(req.method, req.path, req.json)
            self.validated_requests += checked
            if violations:
                (self.expected_violations if self._expecting_invalid else self.schema_violations).extend(violations)
                body = {"code": 50035, "message": "Invalid Form Body", "errors": schema.discord_errors(violations)}
                return json_response(body, 400)
        try:
            result = await handler(self, req, *groups)
        except DiscordError as exc:
            return error_response(exc)
        if isinstance(result, web.Response):
            return result
        if result is None:
            return web.Response(status=204)
        return json_response(result)

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        rec = RecordedRequest(request.method, request.path, dict(request.query), None, time.time(), 404)
        self.requests.append(rec)
        self.unhandled.append(rec)
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        entry = self.cdn.get(int(request.match_info["id"]))
        if entry is None:
            return web.Response(status=404)
        _, data, ctype = entry
        return web.Response(body=data, content_type=ctype)

    def attachment(self, filename: str, data: bytes, content_type: str | None = None) -> dict[str, Any]:
        """Store a file on the fake CDN and return its attachment payload."""
        import mimetypes

        aid = snowflake()
        ctype = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self.cdn[aid] = (filename, data, ctype)
        url = f"{self.base_url}/attachments/{aid}/{filename}"
        return {
            "id": str(aid),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": ctype,
        }
