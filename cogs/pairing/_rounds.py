"""Running a pairing round against Discord, idempotently, and the five-day "Did you connect?" follow-up.

A round is keyed (``timer:<id>`` for a scheduled one, ``manual:<interaction id>`` for `/pairing run`):
the round row and its groups are written in one transaction *before* any thread exists, each thread id
is recorded the moment Discord returns it, and each icebreaker is sent with a per-group nonce. A retry
after a failure or crash therefore resumes the same round — it never pairs anyone twice — and a round
Discord interrupted part-way (403) is finished by the next run, scheduled or manual, before a new one.

Who is still in the server: the bot has no members intent, so every opted-in candidate is checked with
one REST call (`GET /guilds/{g}/members/{u}`) before matching; someone gone (404) is dropped from
pairing (their opt-in ends when they leave). Should someone leave between that check and the thread,
adding them fails with 404 and they are taken out of the group.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass

import discord

from bot.db.pairing import Group, Round
from bot.db.timers import Timer
from bot.domain.pairing import FOLLOW_UP_DAYS
from bot.services.guild_config import GuildConfig
from bot.services.notify import Notifier
from bot.services.pairing import PairingService
from bot.services.timers import timer_nonce

from ._views import feedback_view

log = logging.getLogger(__name__)

MENTION_USERS = discord.AllowedMentions(everyone=False, roles=False, users=True)


class NoPairingChannelError(Exception):
    """No pairing channel is configured, or it no longer exists."""


class RoundForbiddenError(Exception):
    """Discord refused to let the bot open private threads in the pairing channel (403)."""

    def __init__(self, *, partial: bool) -> None:
        super().__init__("partial" if partial else "nothing opened")
        self.partial = partial  # some threads were opened; the next run finishes this round


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a round did, in counts only."""

    round_id: int | None
    pairs: int
    trios: int
    unpaired: int
    gone: int


def bot_can_pair(channel: discord.abc.GuildChannel) -> bool:
    """Whether the bot may open private threads and post in them in this channel."""
    perms = channel.permissions_for(channel.guild.me)
    return perms.view_channel and perms.create_private_threads and perms.send_messages_in_threads


def _mentions(members: tuple[int, ...] | list[int]) -> str:
    return ", ".join(f"<@{m}>" for m in members)


class RoundRunner:
    """Open a round's threads and ask five days later whether people connected."""

    def __init__(
        self, client: discord.Client, service: PairingService, config: GuildConfig, notifier: Notifier
    ) -> None:
        self.client = client
        self.service = service
        self.config = config
        self.notifier = notifier

    async def run(self, guild: discord.Guild, key: str) -> Outcome:
        """Create (or resume) the round with this key; raises NoPairingChannelError or RoundForbiddenError."""
        service = self.service
        round_ = await service.round_to_finish(guild.id, key)
        gone = 0
        if round_ is None:
            channel_id = await self.config.channel(guild.id, "pairing")
            if channel_id is None or not isinstance(guild.get_channel(channel_id), discord.TextChannel):
                raise NoPairingChannelError
            candidates = await service.candidates(guild.id)
            present = await self._still_here(guild, candidates)
            left = sorted(set(candidates) - set(present))
            gone = len(left)
            await service.drop_departed(guild.id, left)
            if not present:
                return Outcome(None, 0, 0, 0, gone)
            round_ = await service.plan_round(guild.id, key, channel_id, present)
        groups = await service.groups(round_.id)
        if round_.status != "done":
            await self._open_all(guild, round_, groups)
            groups = await service.groups(round_.id)
            for user_id in await service.unpaired_to_tell(round_.id):
                await self._tell_unpaired(guild, round_, user_id)
            unpaired = await service.finish_round(round_.id)
        else:
            unpaired = await service.unpaired_count(round_.id)
        return Outcome(
            round_.id,
            sum(len(g.members) == 2 for g in groups),
            sum(len(g.members) == 3 for g in groups),
            unpaired,
            gone,
        )

    async def _still_here(self, guild: discord.Guild, candidates: list[int]) -> list[int]:
        present: list[int] = []

        async def check(user_id: int) -> None:
            try:
                member = await guild.fetch_member(user_id)
            except discord.NotFound:
                log.info("pairing: user %d left guild %d; opt-in dropped", user_id, guild.id)
                return
            if not member.bot:
                present.append(user_id)

        for start in range(0, len(candidates), 10):  # a few at a time; discord.py paces the rate limit
            await asyncio.gather(*(check(u) for u in candidates[start : start + 10]))
        return sorted(present)

    async def _open_all(self, guild: discord.Guild, round_: Round, groups: list[Group]) -> None:
        channel = guild.get_channel(round_.channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise NoPairingChannelError
        for group in groups:
            try:
                await self._open(guild, channel, round_, group)
            except discord.Forbidden as exc:
                partial = await self.service.abandon_if_untouched(round_.id)
                raise RoundForbiddenError(partial=partial) from exc

    async def _thread(self, guild: discord.Guild, thread_id: int) -> discord.Thread | None:
        thread = guild.get_thread(thread_id)
        if thread is not None:
            return thread
        try:
            fetched = await guild.fetch_channel(thread_id)
        except (discord.NotFound, discord.Forbidden):
            return None
        return fetched if isinstance(fetched, discord.Thread) else None

    async def _open(self, guild: discord.Guild, channel: discord.TextChannel, round_: Round, group: Group) -> None:
        if group.status != "pending":
            return
        thread: discord.Thread | None
        if group.thread_id is None:
            when = round_.started_at
            size = "trio" if len(group.members) == 3 else "pair"
            thread = await channel.create_thread(
                name=f"Peer pairing · {when:%b} {when.day} · {size} {group.position + 1}",
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=10080,
                reason="Peer pairing round",
            )
            await self.service.thread_opened(group.id, thread.id)
        else:
            thread = await self._thread(guild, group.thread_id)
            if thread is None:
                log.warning("pairing group %d: its thread %d is gone", group.id, group.thread_id)
                return
        here: list[int] = []
        for user_id in group.members:
            try:
                await thread.add_user(discord.Object(user_id))
                here.append(user_id)
            except discord.NotFound:
                await self.service.member_gone(guild.id, group.id, user_id)
        if not here:  # everyone in it left the server before their thread opened
            await self.service.set_group_status(group.id, "asked")
            return
        await self.service.group_opened(guild.id, round_, group.id)
        await thread.send(self._welcome(here, group.icebreaker), nonce=f"pg{group.id}", allowed_mentions=MENTION_USERS)
        await self.service.set_group_status(group.id, "open")

    @staticmethod
    def _welcome(members: list[int], icebreaker: str) -> str:
        if len(members) < 2:
            return (
                f"{_mentions(members)} — your partner for this round is no longer in the server, sorry! "
                "You'll be in the next round as usual."
            )
        who = "the three of you" if len(members) == 3 else "the two of you"
        return (
            f"👋 {_mentions(members)} — you're paired up for this round of peer pairing!\n"
            f"This private thread is just for {who} (and Harbor; Discord lets server staff with Manage Threads "
            "see private threads too).\n\n"
            f"**An icebreaker to get you started:** {icebreaker}\n\n"
            "Find 20–30 minutes in the next few days for a call, a video chat or a coffee — whatever suits you. "
            f"In {FOLLOW_UP_DAYS} days I'll ask here how it went.\n"
            "As everywhere in this server: nothing about the people you serve, please."
        )

    async def _tell_unpaired(self, guild: discord.Guild, round_: Round, user_id: int) -> None:
        # Deliberately says nothing about why: an avoided member must never learn they were avoided.
        await self.notifier.dm(
            user_id,
            purpose="pairing round",
            guild_id=guild.id,
            nonce="pu" + hashlib.sha256(f"{round_.id}:{user_id}".encode()).hexdigest()[:20],
            content=(
                f"Hi! This round of peer pairing in **{guild.name}** couldn't find you a match — it happens "
                "now and then with how many people are in a round. You're still in for the next one; "
                "nothing for you to do. Thanks for being part of it 💛"
            ),
        )
        await self.service.told_unpaired(round_.id, user_id)

    async def follow_up(self, timer: Timer) -> None:
        """Five days on: ask "Did you connect?" in the thread, or by DM when the thread is gone."""
        group = await self.service.group(int(timer.payload["group_id"]))
        if group is None or group.status != "open" or not group.members:
            return
        guild = self.client.get_guild(group.guild_id)
        content = (
            f"{_mentions(group.members)} — it's been a few days. **Did you connect?** "
            "(Your answer is private: admins only ever see overall rates.)"
        )
        view = feedback_view(group.id)
        thread = await self._thread(guild, group.thread_id) if guild and group.thread_id else None
        sent = False
        if thread is not None:
            try:
                await thread.send(content, view=view, nonce=timer_nonce(timer), allowed_mentions=MENTION_USERS)
                sent = True
            except (discord.Forbidden, discord.NotFound):
                log.info("pairing group %d: thread unavailable; asking by DM", group.id)
            except discord.HTTPException as exc:
                if exc.status != 400:
                    raise
                log.info("pairing group %d: thread archived; asking by DM", group.id)
        if not sent:
            for index, user_id in enumerate(group.members):
                await self.notifier.dm(
                    user_id,
                    purpose="pairing follow-up",
                    guild_id=group.guild_id,
                    content="Peer pairing — " + content,
                    view=feedback_view(group.id),
                    nonce=f"{timer_nonce(timer)}{index}",
                )
        await self.service.set_group_status(group.id, "asked")
