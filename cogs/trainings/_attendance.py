"""Attendance on Discord: the trainer's code panel (Rotate, Mark attendees) and the member select.

All three are restart-proof: the custom id carries the training id and every click re-checks who may act.
"""

from __future__ import annotations

import discord

from bot.app import Harbor, feature_of
from bot.checks import is_admin
from bot.db.trainings import Training
from bot.domain.attendance import Window
from bot.domain.clock import discord_timestamp
from bot.services.attendance import AttendanceService
from bot.ui import IdButton, KitUserSelect, guarded


def code_panel(training: Training, code: str, now_state: str) -> tuple[str, discord.ui.View]:
    """The trainer's private panel: the code in large type, its window, and the two buttons."""
    window = Window.of(training.starts_at, training.minutes)
    spaced = f"{code[:3]} {code[3:]}"
    if now_state == "closed":
        text = (
            f"Attendance codes for “{training.title[:100]}” closed {discord_timestamp(window.closes, 'R')}. "
            "You can still mark attendees (up to 14 days after the end)."
        )
    else:
        text = (
            f"# {spaced}\nAttendance code for “{training.title[:100]}” (#{training.id}). Members type "
            f"`/training attend {code}`. It works from {discord_timestamp(window.opens, 'F')} to "
            f"{discord_timestamp(window.closes, 't')} (15 min before the start to 30 min after the end). "
            "Rotate it if it leaks; the old code then stops working."
        )
    view = discord.ui.View(timeout=None)
    if now_state != "closed":
        view.add_item(RotateCodeButton(training.id))
    view.add_item(MarkAttendeesButton(training.id))
    return text, view


class RotateCodeButton(IdButton, prefix="harbor:tr:rotate"):
    """Replace the attendance code; the old one is refused from now on."""

    label = "Rotate code"
    style = discord.ButtonStyle.secondary

    @guarded("training rotate code")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Trainer or admin only; shows the new code in place of the old."""
        service = feature_of(interaction, AttendanceService)
        assert interaction.guild_id is not None
        training = await service.training_for_trainer(
            interaction.guild_id, self.item_id, interaction.user.id, is_admin(interaction)
        )
        state = Window.of(training.starts_at, training.minutes).state(service.clock())
        if state == "closed":
            text, view = code_panel(training, "", state)
            await interaction.response.edit_message(content=text, view=view)
            return
        code = await service.code(training, rotate=True)
        text, view = code_panel(training, code, state)
        await interaction.response.edit_message(content=text, view=view)


class MarkAttendeesButton(IdButton, prefix="harbor:tr:markpick"):
    """Open the member select (works on a phone)."""

    label = "Mark attendees"
    style = discord.ButtonStyle.primary

    @guarded("training mark attendees")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Trainer or admin only; the select is private to them."""
        service = feature_of(interaction, AttendanceService)
        assert interaction.guild_id is not None
        training = await service.training_for_trainer(
            interaction.guild_id, self.item_id, interaction.user.id, is_admin(interaction)
        )
        view = discord.ui.View(timeout=None)
        view.add_item(MarkSelect(training.id))
        await interaction.response.send_message(
            f"Who attended “{training.title[:100]}”? Pick up to 25 members at a time; pick again for more.",
            view=view,
            ephemeral=True,
        )


class MarkSelect(KitUserSelect, prefix="harbor:tr:mark", fields="training_id"):
    """A member select that records the chosen members as present."""

    training_id: int
    placeholder = "Members who attended"
    max_values = 25
    where = "training mark select"

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Record everyone chosen (bots are skipped) and say who was new and who was already recorded."""
        service = feature_of(interaction, AttendanceService)
        assert interaction.guild_id is not None
        people = [u for u in self.item.values if not u.bot]
        marked = await service.mark(
            interaction.guild_id,
            self.training_id,
            interaction.user.id,
            is_admin(interaction),
            {u.id: u.display_name for u in people},
        )
        lines = []
        if marked.added:
            lines.append("Marked present: " + ", ".join(f"<@{u}>" for u in marked.added))
        if marked.already:
            lines.append("Already recorded: " + ", ".join(f"<@{u}>" for u in marked.already))
        if len(people) < len(self.item.values):
            lines.append("Bots were skipped.")
        if marked.added and marked.training.status == "ended":
            lines.append("The training has ended, so their CE credit and certificates are on their way.")
        await interaction.response.send_message(
            "\n".join(lines) or "Nobody to mark.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


ATTENDANCE_ITEMS = (RotateCodeButton, MarkAttendeesButton, MarkSelect)
