"""Check-in buttons, the note modal and the buddy settings panel.

Every button that can sit in a DM is a kit item (bot/ui) whose state lives in the custom id and the
database, so prompts, invitations and support messages keep working after a restart. The owner check
is the kit's; what a click does is a `CheckinService` method.
"""

from __future__ import annotations

import discord

from bot.app import Harbor, feature_of
from bot.domain import checkins as rules
from bot.services.checkins import BuddySettings, CheckinService, InviteAnswer, RecordResult, Told
from bot.ui import Choice, HarborModal, Int, KitButton, KitSelect


def service_for(interaction: discord.Interaction[Harbor]) -> CheckinService:
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


class MoodButton(KitButton, prefix="harbor:checkin:mood", fields="owner prompt mood", owner="owner"):
    """One mood; `prompt` is the scheduled prompt it answers (0 for `/checkin now`)."""

    owner: int
    prompt: int
    mood: int

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """The mood's emoji and number."""
        return rules.mood_label(self.mood), self.style, None

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Save the mood, show the streak and offer a note; a low mood gets private support."""
        service = service_for(interaction)
        result = await service.record(self.owner, interaction.guild_id, self.mood, self.prompt or None)
        view = discord.ui.View(timeout=None)
        if not result.duplicate:
            view.add_item(NoteButton(self.owner, result.checkin_id))
        await interaction.response.edit_message(content=saved_text(result), view=view, embed=None)
        if result.low:
            crisis = await service.config.crisis_text(result.guild_id)
            support = discord.ui.View(timeout=None)
            if result.has_buddy and result.told is None:
                support.add_item(TellBuddyButton(self.owner))
            await interaction.followup.send(embed=support_embed(crisis, result), view=support, ephemeral=True)


class NoteButton(KitButton, prefix="harbor:checkin:note", fields="owner checkin", owner="owner"):
    """Opens the private-note modal for one check-in."""

    label = "Add a private note"
    emoji = "📝"
    owner: int
    checkin: int

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the modal (refused when the check-in was erased)."""
        service = service_for(interaction)
        await service.own_checkin(self.owner, self.checkin)
        await interaction.response.send_modal(NoteModal(service, self.checkin))


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

    async def submitted(self, interaction: discord.Interaction[Harbor]) -> None:
        """Validate and store the note."""
        stored = await self.service.set_note(interaction.user.id, self.checkin_id, self.note.value)
        text = (
            "Your note is saved privately — only you can see it (it is in `/mydata export`)."
            if stored
            else "No note saved (it was empty)."
        )
        await interaction.response.send_message(text, ephemeral=True)


TOLD_TEXT = {
    Told.TOLD: "Done — your buddy was told only that you might appreciate a check-in. Nothing else.",
    Told.NO_BUDDY: "You don't have a check-in buddy right now (`/checkin buddy invite`).",
    Told.TOO_SOON: "Your buddy was already told recently; they'll reach out.",
    Told.UNDELIVERED: "I couldn't reach your buddy by DM (their DMs may be closed). Nothing was sent.",
}


class TellBuddyButton(KitButton, prefix="harbor:checkin:tell", fields="owner", owner="owner"):
    """The "Let my buddy know" button: the buddy is told only when the member presses it."""

    label = "Let my buddy know"
    style = discord.ButtonStyle.primary
    emoji = "💙"
    owner: int

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """DM the buddy "X might appreciate a check-in" — nothing more."""
        told = await service_for(interaction).tell_buddy(self.owner)
        await interaction.response.edit_message(content=TOLD_TEXT[told], view=None)


ANSWER_TEXT = {
    InviteAnswer.CLOSED: "This invitation is no longer open.",
    InviteAnswer.DECLINED: "You declined <@{inviter}>'s invitation.",
    InviteAnswer.TAKEN: "This invitation can't be accepted any more: one of you already has a check-in buddy.",
    InviteAnswer.ACCEPTED: (
        "You and <@{inviter}> are now check-in buddies. 💙 Each of you can choose, in "
        "`/checkin buddy settings`, when the other is told you might appreciate a check-in — "
        "never your scores or notes."
    ),
}


class BuddyAnswer(KitButton, prefix="harbor:checkin:buddy", fields={"link": Int(), "answer": Choice("yes", "no")}):
    """Accept or decline a buddy invitation; the service checks that the clicker is the invitee."""

    link: int
    answer: str

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """Accept (green) or Decline."""
        if self.answer == "yes":
            return "Accept", discord.ButtonStyle.success, None
        return "Decline", discord.ButtonStyle.secondary, None

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Let the service answer (it tells the inviter), then show the outcome in place."""
        outcome, inviter = await service_for(interaction).answer_invite(
            self.link, interaction.user.id, accept=self.answer == "yes"
        )
        await interaction.response.edit_message(content=ANSWER_TEXT[outcome].format(inviter=inviter), view=None)


def invite_view(link_id: int) -> discord.ui.View:
    """Accept / Decline."""
    view = discord.ui.View(timeout=None)
    view.add_item(BuddyAnswer(link_id, "yes"))
    view.add_item(BuddyAnswer(link_id, "no"))
    return view


class LowToggle(KitButton, prefix="harbor:checkin:set:low", fields="owner", owner="owner"):
    """The "Tell my buddy when I'm low" toggle (off by default; the state is read from the database)."""

    owner: int

    def __init__(self, owner: int, on: bool = False) -> None:
        self.on = on
        super().__init__(owner)

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """On (green) or Off."""
        style = discord.ButtonStyle.success if self.on else discord.ButtonStyle.secondary
        return f"Tell my buddy when I'm low: {'On' if self.on else 'Off'}", style, None

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Flip the setting and redraw the panel."""
        panel = await service_for(interaction).toggle_tell_low(self.owner)
        await interaction.response.edit_message(content=settings_text(panel), view=settings_view(self.owner, panel))


class MissedSelect(KitSelect, prefix="harbor:checkin:set:missed", fields="owner", owner="owner"):
    """The "Tell my buddy after N missed check-ins" select: never, 1, 2, 3, 5 or 7."""

    owner: int

    def __init__(self, owner: int, missed: int = 0) -> None:
        self.missed = missed
        super().__init__(owner)

    def choices(self) -> list[discord.SelectOption]:
        """One option per allowed count, the current one selected."""
        return [
            discord.SelectOption(
                label="Never after missed check-ins" if n == 0 else f"After {n} missed check-in{'s' * (n > 1)}",
                value=str(n),
                default=n == self.missed,
            )
            for n in rules.MISSED_CHOICES
        ]

    async def chosen(self, interaction: discord.Interaction[Harbor], values: list[str]) -> None:
        """Store the choice and redraw the panel."""
        panel = await service_for(interaction).set_tell_missed(self.owner, int(values[0]))
        await interaction.response.edit_message(content=settings_text(panel), view=settings_view(self.owner, panel))


def settings_view(user_id: int, panel: BuddySettings) -> discord.ui.View:
    """Tap-friendly buddy preferences (restart-proof): a toggle and a select."""
    view = discord.ui.View(timeout=None)
    view.add_item(LowToggle(user_id, panel.low))
    view.add_item(MissedSelect(user_id, panel.missed))
    return view


def settings_text(panel: BuddySettings) -> str:
    """The settings panel's text."""
    who = f"Your check-in buddy is <@{panel.buddy}>.\n" if panel.buddy else ""
    return (
        f"{who}**When I'm low:** {'tell my buddy' if panel.low else 'off'} · **Missed check-ins:** "
        f"{f'tell my buddy after {panel.missed}' if panel.missed else 'off'}\n"
        "-# Your buddy only ever learns “you might appreciate a check-in” — never your scores or notes."
    )


DYNAMIC_ITEMS = (MoodButton, NoteButton, TellBuddyButton, BuddyAnswer, LowToggle, MissedSelect)
