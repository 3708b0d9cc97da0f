"""Check-in buttons, the note modal and the buddy settings panel.

Every button that can sit in a DM is a `DynamicItem` whose state lives in the database, so prompts,
invitations and support messages keep working after a restart. Each checks who clicks it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.app import feature_of
from bot.domain import checkins as rules
from bot.errors import UserError
from bot.services.checkins import CheckinService, RecordResult, Told
from bot.ui import HarborModal, IdButton, guarded

if TYPE_CHECKING:
    pass

NOT_YOURS = "These buttons belong to someone else — your own check-in is `/checkin now`."


def service_for(interaction: discord.Interaction) -> CheckinService:
    """The check-in service the cog provided (one instance, built in `setup()`)."""
    return feature_of(interaction, CheckinService)


def mood_view(user_id: int, prompt_id: int = 0) -> discord.ui.View:
    """Five mood buttons, 😞 1 … 😄 5."""
    view = discord.ui.View(timeout=None)
    for mood in rules.MOODS:
        view.add_item(MoodButton(user_id, prompt_id, mood))
    return view


def saved_text(result: RecordResult) -> str:
    """The reply after a mood is saved (private: ephemeral or the member's own DM)."""
    if result.duplicate:
        return f"You already answered this one ({rules.mood_word(result.mood)}) — thank you. Your {result.streak}."
    return (
        f"Saved: **{rules.mood_word(result.mood)}**. Your {result.streak} — thank you for checking in.\n"
        "-# Want to add a private note? Only you can ever see it."
    )


def support_embed(crisis: str, result: RecordResult) -> discord.Embed:
    """The private support message for a low mood, with the server's crisis resources."""
    text = (
        "Low days happen, especially in work that carries other people's pain. Be gentle with yourself "
        "today — and if things feel heavy, reach out now:\n\n" + crisis
    )
    if result.told is Told.TOLD:
        text += "\n\nAs you chose in `/checkin buddy settings`, your buddy was told you might appreciate a check-in."
    elif result.told is Told.UNDELIVERED:
        text += "\n\nI couldn't reach your buddy by DM (their DMs may be closed)."
    return discord.Embed(
        title="Thank you for being honest 💙", description=text[:4096], colour=discord.Colour.blurple()
    )


class MoodButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"harbor:checkin:mood:(?P<uid>\d+):(?P<pid>\d+):(?P<v>[1-5])",
):
    """One mood; `pid` is the scheduled prompt it answers (0 for `/checkin now`)."""

    def __init__(self, user_id: int, prompt_id: int, mood: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=rules.mood_label(mood),
                style=discord.ButtonStyle.secondary,
                custom_id=f"harbor:checkin:mood:{user_id}:{prompt_id}:{mood}",
            )
        )
        self.user_id, self.prompt_id, self.mood = user_id, prompt_id, mood

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MoodButton:
        """Rebuild from the custom id (after a restart too)."""
        return cls(int(match["uid"]), int(match["pid"]), int(match["v"]))

    @guarded("checkin mood")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Save the mood, show the streak and offer a note; a low mood gets private support."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        service = service_for(interaction)
        result = await service.record(self.user_id, interaction.guild_id, self.mood, self.prompt_id or None)
        view = discord.ui.View(timeout=None)
        if not result.duplicate:
            view.add_item(NoteButton(self.user_id, result.checkin_id))
        await interaction.response.edit_message(content=saved_text(result), view=view, embed=None)
        if result.low:
            crisis = await service.config.crisis_text(result.guild_id)
            support = discord.ui.View(timeout=None)
            if result.has_buddy and result.told is None:
                support.add_item(TellBuddyButton(self.user_id))
            await interaction.followup.send(embed=support_embed(crisis, result), view=support, ephemeral=True)


class NoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:checkin:note:(?P<uid>\d+):(?P<cid>\d+)"
):
    """Opens the private-note modal for one check-in."""

    def __init__(self, user_id: int, checkin_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add a private note",
                emoji="📝",
                style=discord.ButtonStyle.secondary,
                custom_id=f"harbor:checkin:note:{user_id}:{checkin_id}",
            )
        )
        self.user_id, self.checkin_id = user_id, checkin_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> NoteButton:
        """Rebuild from the custom id."""
        return cls(int(match["uid"]), int(match["cid"]))

    @guarded("checkin note button")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the modal (only for the check-in's owner)."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        service = service_for(interaction)
        if await service.repo.get(self.user_id, self.checkin_id) is None:
            raise UserError("That check-in was erased, so there is nothing to add a note to.")
        await interaction.response.send_modal(NoteModal(service, self.checkin_id))


class NoteModal(HarborModal, title="A private note"):
    """Up to 1000 characters, stored privately, never logged, never shown to anyone else."""

    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(
        label="Only you will ever see this",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=rules.NOTE_MAX,
        placeholder="What's on your mind? (optional)",
    )

    def __init__(self, service: CheckinService, checkin_id: int) -> None:
        super().__init__(custom_id=f"harbor:checkin:notemodal:{checkin_id}")
        self.service = service
        self.checkin_id = checkin_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Validate and store the note."""
        stored = await self.service.set_note(interaction.user.id, self.checkin_id, self.note.value)
        text = (
            "Your note is saved privately — only you can see it (it is in `/mydata export`)."
            if stored
            else "No note saved (it was empty)."
        )
        await interaction.response.send_message(text, ephemeral=True)


class TellBuddyButton(IdButton, prefix="harbor:checkin:tell"):
    """The "Let my buddy know" button: the buddy is told only when the member presses it."""

    label = "Let my buddy know"
    style = discord.ButtonStyle.primary
    emoji = "💙"

    @guarded("checkin tell buddy")
    async def callback(self, interaction: discord.Interaction) -> None:
        """DM the buddy "X might appreciate a check-in" — nothing more."""
        if interaction.user.id != self.item_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        told = await service_for(interaction).tell_buddy(self.item_id)
        text = {
            Told.TOLD: "Done — your buddy was told only that you might appreciate a check-in. Nothing else.",
            Told.NO_BUDDY: "You don't have a check-in buddy right now (`/checkin buddy invite`).",
            Told.TOO_SOON: "Your buddy was already told recently; they'll reach out.",
            Told.UNDELIVERED: "I couldn't reach your buddy by DM (their DMs may be closed). Nothing was sent.",
        }[told]
        await interaction.response.edit_message(content=text, view=None)


class BuddyAnswer(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:checkin:buddy:(?P<lid>\d+):(?P<act>yes|no)"
):
    """Accept or decline a buddy invitation (the invitee only)."""

    def __init__(self, link_id: int, accept: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Accept" if accept else "Decline",
                style=discord.ButtonStyle.success if accept else discord.ButtonStyle.secondary,
                custom_id=f"harbor:checkin:buddy:{link_id}:{'yes' if accept else 'no'}",
            )
        )
        self.link_id, self.accept = link_id, accept

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> BuddyAnswer:
        """Rebuild from the custom id."""
        return cls(int(match["lid"]), match["act"] == "yes")

    @guarded("checkin buddy answer")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Activate or delete the link and tell the inviter."""
        service = service_for(interaction)
        link = await service.repo.link(self.link_id)
        if link is None or link.status != "pending":
            await interaction.response.edit_message(content="This invitation is no longer open.", view=None)
            return
        if interaction.user.id != link.invitee_id:
            await interaction.response.send_message("This invitation is for someone else.", ephemeral=True)
            return
        if not self.accept:
            await service.repo.delete_link(link.id)
            await interaction.response.edit_message(
                content=f"You declined <@{link.inviter_id}>'s invitation.", view=None
            )
            await service.notifier.dm(
                link.inviter_id,
                purpose="check-in buddy answer",
                guild_id=link.guild_id,
                content=f"<@{link.invitee_id}> can't be your check-in buddy right now.",
            )
            return
        accepted = await service.repo.accept(link.id, service.clock())
        if accepted is None:
            await service.repo.delete_link(link.id)
            await interaction.response.edit_message(
                content="This invitation can't be accepted any more: one of you already has a check-in buddy.",
                view=None,
            )
            return
        await interaction.response.edit_message(
            content=(
                f"You and <@{link.inviter_id}> are now check-in buddies. 💙 Each of you can choose, in "
                "`/checkin buddy settings`, when the other is told you might appreciate a check-in — "
                "never your scores or notes."
            ),
            view=None,
        )
        await service.notifier.dm(
            link.inviter_id,
            purpose="check-in buddy answer",
            guild_id=link.guild_id,
            content=f"<@{link.invitee_id}> accepted: you are now check-in buddies. 💙",
        )


def invite_view(link_id: int) -> discord.ui.View:
    """Accept / Decline."""
    view = discord.ui.View(timeout=None)
    view.add_item(BuddyAnswer(link_id, True))
    view.add_item(BuddyAnswer(link_id, False))
    return view


class LowToggle(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:checkin:set:low:(?P<uid>\d+)"):
    """The "Tell my buddy when I'm low" toggle (off by default)."""

    def __init__(self, user_id: int, on: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Tell my buddy when I'm low: {'On' if on else 'Off'}",
                style=discord.ButtonStyle.success if on else discord.ButtonStyle.secondary,
                custom_id=f"harbor:checkin:set:low:{user_id}",
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LowToggle:
        """Rebuild from the custom id (the state is read from the database)."""
        return cls(int(match["uid"]))

    @guarded("checkin settings low")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Flip the setting and redraw the panel."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        service = service_for(interaction)
        prefs = await service.repo.prefs(self.user_id)
        prefs = await service.repo.set_buddy_prefs(self.user_id, service.clock(), low=not prefs.tell_buddy_low)
        buddy = await service.repo.buddy_of(self.user_id)
        await interaction.response.edit_message(
            content=settings_text(prefs.tell_buddy_low, prefs.tell_buddy_missed, buddy),
            view=settings_view(self.user_id, prefs.tell_buddy_low, prefs.tell_buddy_missed),
        )


class MissedSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"harbor:checkin:set:missed:(?P<uid>\d+)"):
    """The "Tell my buddy after N missed check-ins" select: never, 1, 2, 3, 5 or 7."""

    def __init__(self, user_id: int, missed: int = 0) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"harbor:checkin:set:missed:{user_id}",
                min_values=1,
                max_values=1,
                options=[
                    discord.SelectOption(
                        label="Never after missed check-ins" if n == 0 else f"After {n} missed check-in{'s' * (n > 1)}",
                        value=str(n),
                        default=n == missed,
                    )
                    for n in rules.MISSED_CHOICES
                ],
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MissedSelect:
        """Rebuild from the custom id."""
        return cls(int(match["uid"]))

    @guarded("checkin settings missed")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Store the choice and redraw the panel."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        value = int(self.item.values[0]) if self.item.values and self.item.values[0].isdigit() else -1
        if value not in rules.MISSED_CHOICES:
            raise UserError("Pick one of the listed choices.")
        service = service_for(interaction)
        prefs = await service.repo.set_buddy_prefs(self.user_id, service.clock(), missed=value)
        buddy = await service.repo.buddy_of(self.user_id)
        await interaction.response.edit_message(
            content=settings_text(prefs.tell_buddy_low, prefs.tell_buddy_missed, buddy),
            view=settings_view(self.user_id, prefs.tell_buddy_low, prefs.tell_buddy_missed),
        )


def settings_view(user_id: int, low: bool, missed: int) -> discord.ui.View:
    """Tap-friendly buddy preferences (restart-proof): a toggle and a select."""
    view = discord.ui.View(timeout=None)
    view.add_item(LowToggle(user_id, low))
    view.add_item(MissedSelect(user_id, missed))
    return view


def settings_text(low: bool, missed: int, buddy: int | None = None) -> str:
    """The settings panel's text."""
    who = f"Your check-in buddy is <@{buddy}>.\n" if buddy else ""
    return (
        f"{who}**When I'm low:** {'tell my buddy' if low else 'off'} · **Missed check-ins:** "
        f"{f'tell my buddy after {missed}' if missed else 'off'}\n"
        "-# Your buddy only ever learns “you might appreciate a check-in” — never your scores or notes."
    )


DYNAMIC_ITEMS = (MoodButton, NoteButton, TellBuddyButton, BuddyAnswer, LowToggle, MissedSelect)
