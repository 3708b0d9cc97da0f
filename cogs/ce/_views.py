"""Buttons that survive restarts, on the UI kit: entry pages (`Pager`) and the credential-removal `Confirm`."""

from __future__ import annotations

import discord

from bot.app import Harbor, feature_of
from bot.services.ce import CeService
from bot.ui import Confirm, Page, Pager
from cogs.ce._format import PAGE, credential_label, entries_embed


class EntriesPager(Pager, prefix="harbor:ce:entries", fields="owner credential", owner="owner"):
    """Prev / Next on `/ce entries` (all entries, or one credential's current cycle when `credential` is set).

    The page and the filter live in the custom id, the entries in the database; only the member whose
    entries they are can page them.
    """

    owner: int
    credential: int
    where = "ce entries page"

    async def render(self, interaction: discord.Interaction[Harbor], page: int) -> Page:
        """One page of the owner's entries, newest first."""
        service = feature_of(interaction, CeService)
        shown = await service.entries_page(self.owner, self.credential, page, PAGE)
        scope = f"{credential_label(shown.credential)}, this cycle" if shown.credential is not None else "all"
        kept = set(await service.stored_certificates(self.owner, [e.id for e in shown.entries]))
        embed = entries_embed(shown.entries, page=shown.page, total=shown.total, scope=scope, kept=kept)
        return Page(shown.page, shown.page < shown.pages - 1, embed)


class ConfirmRemoveCredential(Confirm, prefix="harbor:ce:credrm", fields="owner credential", owner="owner"):
    """Yes / Cancel for `/ce credential remove`."""

    owner: int
    credential: int
    label = "Yes, remove it"
    where = "ce credential remove confirm"

    async def confirmed(self, interaction: discord.Interaction[Harbor]) -> str:
        """Remove the credential and its reminders; entries stay."""
        removed = await feature_of(interaction, CeService).remove_credential(self.owner, self.credential)
        if not removed:
            return "That credential was already removed."
        return (
            "Credential removed, with its reminders. Your CE entries are kept (they may count toward your "
            "other credentials)."
        )
