"""GUILD_CREATE honours the members intent, as Discord does, and Harbor does not lean on the member cache.

Real Discord sends, without the privileged GUILD_MEMBERS intent, a GUILD_CREATE whose `members` holds only
the bot's own member (with `member_count` still the real total). A fake that sent everyone would let a
feature that reads `guild.members` / `guild.get_member()` pass tests and fail in production.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import discord

from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]


class Probe(discord.Client):
    """A bare client that keeps every raw GUILD_CREATE payload it receives."""

    def __init__(self, *, members: bool) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.members = members
        super().__init__(intents=intents, enable_debug_events=True, guild_ready_timeout=0.1)
        self.guild_creates: list[dict[str, Any]] = []

    async def on_socket_raw_receive(self, raw: str) -> None:
        event = json.loads(raw)
        if event.get("t") == "GUILD_CREATE":
            self.guild_creates.append(event["d"])


async def _connect(fake: FakeDiscord, *, members: bool) -> Probe:
    probe = Probe(members=members)
    probe._task = asyncio.create_task(probe.start("fake-token"))  # type: ignore[attr-defined]
    await asyncio.wait_for(probe.wait_until_ready(), 10)
    return probe


def _world(fake: FakeDiscord) -> tuple[Any, list[Any]]:
    owner = fake.add_user("owner")
    guild = fake.add_guild("G", owner=owner)
    people = [fake.add_user(n) for n in ("alice", "bob", "carmen")]
    for user in people:
        guild.add_member(user)
    return guild, [owner, *people]


async def test_without_the_members_intent_guild_create_carries_only_the_bots_member(fake_discord: FakeDiscord):
    guild, people = _world(fake_discord)
    probe = await _connect(fake_discord, members=False)
    try:
        [payload] = probe.guild_creates
        assert [int(m["user"]["id"]) for m in payload["members"]] == [fake_discord.bot_user.id]
        assert payload["member_count"] == len(people) + 1  # the count is still the real one
        cached = probe.get_guild(guild.id)
        assert cached is not None and [m.id for m in cached.members] == [fake_discord.bot_user.id]
        assert all(cached.get_member(p.id) is None for p in people)
    finally:
        await probe.close()


async def test_with_the_members_intent_guild_create_carries_every_member(fake_discord: FakeDiscord):
    _guild, people = _world(fake_discord)
    probe = await _connect(fake_discord, members=True)
    try:
        [payload] = probe.guild_creates
        ids = {int(m["user"]["id"]) for m in payload["members"]}
        assert ids == {p.id for p in people} | {fake_discord.bot_user.id}
    finally:
        await probe.close()


async def test_harbor_asks_for_no_members_intent_and_works_with_an_empty_member_cache(harness):
    h = harness
    assert not h.bot.intents.members
    # Message Content is requested only to scan replies in case threads (issue 13); nothing else reads messages.
    assert h.bot.intents.message_content and h.bot.intents.guild_messages and not h.bot.intents.dm_messages
    cached = h.bot.get_guild(h.guild.id)
    assert cached is not None and [m.id for m in cached.members] == [h.fake.bot_user.id]
    # Roles and permissions come from each interaction's member payload, not from the cache.
    trainers = h.guild.add_role("Trainers")
    await h.slash(h.admin, "setup role", {"kind": "trainer", "role": trainers.id})
    board = h.guild.add_text_channel("announcements")
    await h.slash(h.admin, "setup channel", {"kind": "announcements", "channel": board.id})
    h.guild.update_member(h.bob, roles=[trainers.id])
    opened = await h.slash(h.bob, "announce new")
    assert opened.response.type == 9
    assert [m.id for m in cached.members] == [h.fake.bot_user.id]  # still nobody else cached


def test_no_code_reads_the_member_cache():
    """`guild.members`, `get_member` and member chunking need the intent Harbor does not request."""
    pattern = re.compile(r"\.get_member\(|\bguild\.members\b|\.chunk\(|fetch_members\(|request_members\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "cogs")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []
