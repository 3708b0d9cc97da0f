"""Gateway v10: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME, dispatch with intents."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import FakeDiscord

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
AUTO_MODERATION_CONFIGURATION = 1 << 20

Payload = dict[str, Any] | Callable[["GatewaySession"], dict[str, Any]]


@dataclass(eq=False)
class GatewaySession:
    """One identified gateway session; survives a dropped socket so the client can RESUME."""

    session_id: str
    intents: int
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    queue: asyncio.Queue[dict[str, Any] | asyncio.Event] = field(default_factory=asyncio.Queue)
    ws: web.WebSocketResponse | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False

    def has(self, intent: int) -> bool:
        return bool(self.intents & intent)

    def enqueue(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        msg = {"op": 0, "t": event, "s": self.seq, "d": data}
        self.sent.append(msg)
        del self.sent[:-2000]
        self.queue.put_nowait(msg)


class Gateway:
    """Gateway endpoint and the sessions connected to it."""

    HEARTBEAT_INTERVAL_MS = 41250

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, GatewaySession] = {}
        self.identify_count = 0
        self.resume_count = 0
        self._sockets: set[web.WebSocketResponse] = set()
        self._acks: set[asyncio.Task[None]] = set()

    @property
    def live(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if not s.closed]

    def dispatch(self, event: str, data: Payload, intent: int = GUILDS) -> None:
        for s in self.live:
            if intent and not s.has(intent):
                continue
            s.enqueue(event, data(s) if callable(data) else data)

    async def close_all(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=1001)

    async def reconnect(self) -> None:
        """Send op 7 RECONNECT to every connected client (which then RESUMEs)."""
        for s in self.live:
            if s.ws is not None and not s.ws.closed:
                await s.ws.send_str(json.dumps({"op": 7, "d": None}))

    ACK_DELAY = 0.02

    def _ack_later(self, ws: web.WebSocketResponse) -> None:
        async def ack() -> None:
            await asyncio.sleep(self.ACK_DELAY)
            if not ws.closed:
                await ws.send_str(json.dumps({"op": 11}))

        task = asyncio.create_task(ack())
        self._acks.add(task)
        task.add_done_callback(self._acks.discard)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        session: GatewaySession | None = None
        writer: asyncio.Task[None] | None = None
        try:
            await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.HEARTBEAT_INTERVAL_MS}}))
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op, d = payload.get("op"), payload.get("d")
                if op == 1:
                    # Real acks arrive after a network round trip; an instant one can beat discord.py's own
                    # bookkeeping of when it sent the heartbeat and log a bogus "Can't keep up … 41s behind".
                    self._ack_later(ws)
                elif op == 2 and session is None:
                    session = self._identify(d)
                    session.ws = ws
                    writer = asyncio.create_task(self._writer(session, ws))
                elif op == 6 and session is None:
                    session = self.sessions.get(d.get("session_id"))
                    if session is None or session.closed:
                        await ws.send_str(json.dumps({"op": 9, "d": False}))
                        session = None
                        continue
                    self.resume_count += 1
                    session.ws = ws
                    # fresh queue: replay everything after the client's sequence, then new events
                    session.queue = asyncio.Queue()
                    for m in session.sent:
                        if m["s"] > int(d.get("seq") or 0):
                            session.queue.put_nowait(m)
                    session.seq += 1
                    resumed = {"op": 0, "t": "RESUMED", "s": session.seq, "d": {}}
                    session.sent.append(resumed)
                    session.queue.put_nowait(resumed)
                    writer = asyncio.create_task(self._writer(session, ws))
                elif op == 8 and session is not None:
                    self._request_members(session, d)
                elif op in (2, 6):
                    await ws.close(code=4005, message=b"Already authenticated.")
        finally:
            self._sockets.discard(ws)
            if writer is not None:
                writer.cancel()
            if session is not None and session.ws is ws:
                session.ws = None
                if ws.close_code in (1000, 1001) or (ws.close_code is None and self.fake.stopping):
                    session.closed = True
        return ws

    def _identify(self, d: dict[str, Any]) -> GatewaySession:
        fake = self.fake
        self.identify_count += 1
        session = GatewaySession(secrets.token_hex(16), int(d.get("intents", 0)))
        self.sessions[session.session_id] = session
        session.enqueue(
            "READY",
            {
                "v": 10,
                "user": {**fake.bot_user.to_dict(), "verified": True, "mfa_enabled": False},
                "guilds": [{"id": str(g.id), "unavailable": True} for g in fake.guilds.values()],
                "session_id": session.session_id,
                "session_type": "normal",
                "resume_gateway_url": fake.gateway_url,
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "user_settings": {},
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "application": {"id": str(fake.application_id), "flags": fake.application_flags},
                "_trace": ["fake-discord"],
            },
        )
        for g in fake.guilds.values():
            session.enqueue("GUILD_CREATE", g.to_dict(with_members=session.has(GUILD_MEMBERS)))
        session.queue.put_nowait(session.ready)
        return session

    def _request_members(self, session: GatewaySession, d: dict[str, Any]) -> None:
        guild = self.fake.guilds.get(int(d["guild_id"]))
        if guild is None:
            return
        members = list(guild.members.values())
        ids = d.get("user_ids")
        if ids:
            ids = {int(i) for i in (ids if isinstance(ids, list) else [ids])}
            members = [m for m in members if m.user.id in ids]
        elif d.get("query"):
            q = d["query"].lower()
            members = [m for m in members if m.user.name.lower().startswith(q)]
        if d.get("limit"):
            members = members[: int(d["limit"])]
        found = {m.user.id for m in members}
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [m.to_dict() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(i) for i in (ids or []) if i not in found],
        }
        if d.get("nonce"):
            chunk["nonce"] = d["nonce"]
        if d.get("presences"):
            chunk["presences"] = []
        session.enqueue("GUILD_MEMBERS_CHUNK", chunk)

    async def _writer(self, session: GatewaySession, ws: web.WebSocketResponse) -> None:
        queue = session.queue
        while True:
            item = await queue.get()
            if isinstance(item, asyncio.Event):
                item.set()
                continue
            if ws.closed:
                return
            await ws.send_str(json.dumps(item))
