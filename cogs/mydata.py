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
from bot.ui import Confirm


class ConfirmDelete(Confirm, prefix="harbor:mydata:delete", fields="owner", owner="owner"):
    """Erase everything about the member it was shown to; works after a restart."""

    label = "Yes, erase my data"

    async def confirmed(self, interaction: discord.Interaction[Harbor]) -> str:
        """Erase every section in one transaction and say what was kept."""
        mydata = harbor_of(interaction).services.mydata
        removed = await mydata.erase(interaction.user.id)
        text = f"Done — {sum(removed.values())} record(s) about you were erased."
        if kept := mydata.kept_notes():
            text += "\nKept, as the server's rules require: " + "; ".join(kept)
        return text


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
    async def export(self, interaction: discord.Interaction[Harbor]) -> None:
        """An ephemeral JSON attachment, one key per feature."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await self.service.export(interaction.user.id)
        now: datetime = self.clock()
        document = {"user_id": str(interaction.user.id), "exported_at": now.isoformat(timespec="seconds"), "data": data}
        body = json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()
        file = discord.File(io.BytesIO(body), filename=f"harbor-data-{now:%Y%m%d}.json")
        await interaction.followup.send("Here is everything Harbor stores about you.", file=file, ephemeral=True)

    @mydata.command(name="delete", description="Erase everything Harbor stores about you (asks first).")
    async def delete(self, interaction: discord.Interaction[Harbor]) -> None:
        """Ask for confirmation with a button."""
        view = ConfirmDelete.ask(interaction.user.id)
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
