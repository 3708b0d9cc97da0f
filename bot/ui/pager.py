"""`Pager`: Prev / Next buttons whose page lives in the custom id, so paging works after a restart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.ui.items import Field, Int, KitButton

if TYPE_CHECKING:
    from bot.app import Harbor


@dataclass(frozen=True)
class Page:
    """One rendered page: the number actually shown (clamped), whether a next one exists, and its body."""

    number: int
    has_more: bool
    embed: discord.Embed | None = None
    content: str | None = None


class Pager(KitButton):
    """Subclass with ``prefix=``, ``fields=`` (what is paged: owner, filters…) and optionally ``owner=``.

    The kit puts a ``page`` field first (``<prefix>:<page>:<fields>``), so a free-text last field such
    as a query still fits (a pager whose custom ids were laid out before the kit sets ``lead_fields = {}``
    and names ``page`` among its own fields, overriding `turned` when the ids hold more). Implement
    `render(interaction, page)`: it reads this item's fields and returns a `Page`.
    ``await SomePager.first(interaction, *fields)`` gives the message of page 0; a click
    edits the message to the page its button points at.
    """

    lead_fields: ClassVar[dict[str, Field]] = {"page": Int()}
    prev_label: ClassVar[str] = "◀ Prev"
    next_label: ClassVar[str] = "Next ▶"
    show_alone: ClassVar[bool] = True
    """Whether the buttons are shown (disabled) when everything fits on one page."""
    page: int

    async def render(self, interaction: discord.Interaction[Harbor], page: int) -> Page:
        """The page numbered `page` (clamp it to what exists) for this item's fields."""
        raise NotImplementedError

    def _keys(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.fields if name != "page"}

    async def message(self, interaction: discord.Interaction[Harbor]) -> dict[str, Any]:
        """Message keyword arguments (embed, content, view) for the page this item points at."""
        shown = await self.render(interaction, self.page)
        view = discord.ui.View(timeout=None)
        if self.show_alone or shown.number > 0 or shown.has_more:
            back = self.turned(max(shown.number - 1, 0), forward=False)
            back.button.label, back.button.disabled = self.prev_label, shown.number == 0
            ahead = self.turned(shown.number + 1, forward=True)
            ahead.button.label, ahead.button.disabled = self.next_label, not shown.has_more
            view.add_item(back)
            view.add_item(ahead)
        return {"embed": shown.embed, "content": shown.content, "view": view}

    def turned(self, page: int, *, forward: bool) -> Self:
        """The Prev (``forward=False``) or Next button, pointing at `page`, for the same fields."""
        return type(self)(**self._keys(), page=page)

    @classmethod
    async def first(cls, interaction: discord.Interaction[Harbor], *values: Any, **named: Any) -> dict[str, Any]:
        """The message for page 0 (or ``page=`` given by name); `values` are the fields after the page."""
        if "page" in named:
            return await cls(*values, **named).message(interaction)
        return await cls(0, *values, **named).message(interaction)

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Show the page this button points at, in place."""
        await interaction.response.edit_message(**await self.message(interaction))
