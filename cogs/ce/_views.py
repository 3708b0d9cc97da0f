"""Buttons that survive restarts: entry pages (Prev/Next) and the credential-removal confirmation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.app import feature_of
from bot.domain.ce import cycle_start
from bot.services.ce import CeService
from bot.ui import guarded
from cogs.ce._format import PAGE, credential_label, entries_embed

if TYPE_CHECKING:
    pass


def _service(interaction: discord.Interaction) -> CeService:
    return feature_of(interaction, CeService)


async def entries_page(
    service: CeService, user_id: int, credential_id: int, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """Build one page of a member's entries (all, or one credential's current cycle) with its buttons."""
    start = end = None
    scope = "all"
    if credential_id:
        credential = await service.credential(credential_id)
        if credential is not None and credential.user_id == user_id:
            start, end = cycle_start(credential.expires, credential.template.cycle_months), credential.expires
            scope = f"{credential_label(credential)}, this cycle"
    total = await service.count_entries(user_id, start=start, end=end)
    pages = max(1, -(-total // PAGE))
    page = max(0, min(page, pages - 1))
    entries = await service.entries(user_id, start=start, end=end, limit=PAGE, offset=page * PAGE)
    kept = set(await service.stored_certificates(user_id, [e.id for e in entries]))
    view = discord.ui.View(timeout=None)
    view.add_item(EntriesPageButton(user_id, credential_id, page - 1, "p", disabled=page == 0))
    view.add_item(EntriesPageButton(user_id, credential_id, page + 1, "n", disabled=page >= pages - 1))
    return entries_embed(entries, page=page, total=total, scope=scope, kept=kept), view


class EntriesPageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"harbor:ce:entries:(?P<uid>\d+):(?P<cred>\d+):(?P<page>-?\d+):(?P<dir>[pn])",
):
    """Prev / Next on `/ce entries`; the page lives in the custom id, the entries in the database."""

    def __init__(self, user_id: int, credential_id: int, page: int, direction: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="◀ Prev" if direction == "p" else "Next ▶",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"harbor:ce:entries:{user_id}:{credential_id}:{page}:{direction}",
            )
        )
        self.user_id, self.credential_id, self.page = user_id, credential_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> EntriesPageButton:
        """Rebuild from the custom id."""
        return cls(int(match["uid"]), int(match["cred"]), int(match["page"]), match["dir"])

    @guarded("ce entries page")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Show the requested page in place."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message("These are someone else's entries.", ephemeral=True)
            return
        embed, view = await entries_page(_service(interaction), self.user_id, self.credential_id, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


class ConfirmRemoveCredential(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:ce:credrm:(?P<uid>\d+):(?P<cid>\d+)"
):
    """The "Yes, remove it" button for `/ce credential remove`."""

    def __init__(self, user_id: int, credential_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Yes, remove it",
                style=discord.ButtonStyle.danger,
                custom_id=f"harbor:ce:credrm:{user_id}:{credential_id}",
            )
        )
        self.user_id, self.credential_id = user_id, credential_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmRemoveCredential:
        """Rebuild from the custom id."""
        return cls(int(match["uid"]), int(match["cid"]))

    @guarded("ce credential remove confirm")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Remove the credential and its reminders; entries stay."""
        if interaction.user.id != self.user_id:
            await interaction.response.send_message("This button belongs to someone else.", ephemeral=True)
            return
        removed = await _service(interaction).remove_credential(self.user_id, self.credential_id)
        text = (
            "Credential removed, with its reminders. Your CE entries are kept (they may count toward your "
            "other credentials)."
            if removed
            else "That credential was already removed."
        )
        await interaction.response.edit_message(content=text, view=None)
