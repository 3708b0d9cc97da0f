"""`Confirm`: a yes / cancel step that survives restarts (everything it needs is in the custom id)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.ui.items import Choice, Field, KitButton

if TYPE_CHECKING:
    from bot.app import Harbor

CANCELLED = "Cancelled — nothing was changed."


class Confirm(KitButton):
    """Subclass with ``prefix=``, ``fields=`` (the owner and what is confirmed) and ``owner=``; implement `confirmed`.

    The kit appends an ``answer`` field (``yes`` is left out of the custom id, ``no`` is ``:no``), so
    the yes button's custom id is ``<prefix>:<fields>``. `ask(...)` draws both buttons; the yes button
    runs `confirmed` and shows the text it returns, Cancel shows `cancelled`. Both remove the buttons.
    """

    trail_fields: ClassVar[dict[str, Field]] = {"answer": Choice("yes", "no", default="yes")}
    label = "Yes"
    style = discord.ButtonStyle.danger
    cancel_label: ClassVar[str] = "Cancel"
    cancelled: ClassVar[str] = CANCELLED
    answer: str

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """The yes look from the class, or a plain Cancel."""
        if self.answer == "no":
            return self.cancel_label, discord.ButtonStyle.secondary, None
        return super().look()

    @classmethod
    def ask(cls, *values: Any, **named: Any) -> discord.ui.View:
        """Yes and Cancel for these values (the subclass's fields, without ``answer``)."""
        view = discord.ui.View(timeout=None)
        view.add_item(cls(*values, answer="yes", **named))
        view.add_item(cls(*values, answer="no", **named))
        return view

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Run the confirmed action, or cancel; either way the buttons go."""
        text = self.cancelled if self.answer == "no" else await self.confirmed(interaction)
        if interaction.response.is_done():
            await interaction.edit_original_response(content=text, view=None)
        else:
            await interaction.response.edit_message(content=text, view=None)

    async def confirmed(self, interaction: discord.Interaction[Harbor]) -> str:
        """Do the confirmed thing (re-checking it is still allowed) and return the text to show."""
        raise NotImplementedError
