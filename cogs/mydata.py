"""/mydata export and /mydata delete: everything Harbor stores about the caller, from every feature."""

from __future__ import annotations

import io
import json
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor, harbor_of
from bot.domain.clock import Clock
from bot.services.mydata import MyDataService
from bot.ui import IdButton, guarded


class ConfirmDelete(IdButton, prefix="harbor:mydata:delete"):
    """The confirm button; works after a restart, and only for the member it was shown to."""

    label = "Yes, erase my data"
    style = discord.ButtonStyle.danger

    @guarded("mydata delete confirm")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Erase every section in one transaction and say what was kept."""
        if interaction.user.id != self.item_id:
            await interaction.response.send_message("This button belongs to someone else.", ephemeral=True)
            return
        bot = harbor_of(interaction)
        mydata = bot.services.mydata
        removed = await mydata.erase(self.item_id)
        total = sum(removed.values())
        kept = mydata.kept_notes()
        text = f"Done — {total} record(s) about you were erased."
        if kept:
            text += "\nKept, as the server's rules require: " + "; ".join(kept)
        await interaction.response.edit_message(content=text, view=None)


class MyData(commands.Cog):
    """Export and erase a member's data."""

    mydata = app_commands.Group(
        name="mydata",
        description="Export or erase what Harbor stores about you.",
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
    )

    def __init__(self, service: MyDataService, clock: Clock) -> None:
        self.service = service
        self.clock = clock

    @mydata.command(name="export", description="Get a JSON file of everything Harbor stores about you.")
    async def export(self, interaction: discord.Interaction) -> None:
        """An ephemeral JSON attachment, one key per feature."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await self.service.export(interaction.user.id)
        now: datetime = self.clock()
        document = {"user_id": str(interaction.user.id), "exported_at": now.isoformat(timespec="seconds"), "data": data}
        body = json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()
        file = discord.File(io.BytesIO(body), filename=f"harbor-data-{now:%Y%m%d}.json")
        await interaction.followup.send("Here is everything Harbor stores about you.", file=file, ephemeral=True)

    @mydata.command(name="delete", description="Erase everything Harbor stores about you (asks first).")
    async def delete(self, interaction: discord.Interaction) -> None:
        """Ask for confirmation with a button."""
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmDelete(interaction.user.id))
        kept = self.service.kept_notes()
        text = (
            "This erases your profile, check-ins, CE records, bookmarks and everything else Harbor stores "
            "about you. It cannot be undone."
        )
        if kept:
            text += "\nKept: " + "; ".join(kept)
        await interaction.response.send_message(text, view=view, ephemeral=True)


async def setup(bot: Harbor) -> None:
    """Load the cog and its restart-proof button."""
    bot.add_dynamic_items(ConfirmDelete)
    await bot.add_cog(MyData(bot.services.mydata, bot.services.clock))


async def teardown(bot: Harbor) -> None:
    """Unregister the button."""
    bot.remove_dynamic_items(ConfirmDelete)
