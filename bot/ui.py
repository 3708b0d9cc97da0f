"""Base UI pieces whose errors reach the member as a friendly ephemeral message.

Buttons that must survive restarts are `discord.ui.DynamicItem`s whose state lives in the
database; wrap their callbacks with `guarded` (discord.py only logs DynamicItem errors).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Self, TypeVar

import discord

from bot.domain.text import clean_text
from bot.errors import report

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guarded(where: str) -> Callable[[F], F]:
    """Decorate an item or modal callback `(self, interaction, …)` so errors become friendly replies."""

    def decorator(func: F) -> F:
        @functools.wraps(func)
        async def wrapper(self: Any, interaction: discord.Interaction, *args: Any, **kwargs: Any) -> Any:
            try:
                return await func(self, interaction, *args, **kwargs)
            except Exception as exc:  # every error ends in a reply and a log line
                await report(interaction, exc, where=where)
                return None

        return wrapper  # type: ignore[return-value]

    return decorator


class IdButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A restart-proof button about one stored thing, its custom id `<prefix>:<id>` written once.

    Subclass with ``prefix=`` and the button's look as class attributes; the callback reads
    ``self.item_id`` and re-checks everything (the custom id is only a pointer). The base itself is
    never registered: its template matches nothing.
    """

    prefix: ClassVar[str] = ""
    label: ClassVar[str] = ""
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary
    emoji: ClassVar[str | None] = None

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(template=rf"{re.escape(prefix)}:(?P<id>\d+)", **kwargs)
        cls.prefix = prefix

    def __init__(self, item_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.label_for(item_id), style=self.style, emoji=self.emoji, custom_id=self.custom_id_for(item_id)
            )
        )
        self.item_id = item_id

    @classmethod
    def custom_id_for(cls, item_id: int) -> str:
        """The custom id this button class gives an item."""
        return f"{cls.prefix}:{item_id}"

    @classmethod
    def id_in(cls, custom_id: str | None) -> int | None:
        """The item id in a custom id of this class, or None when it is some other component's."""
        match = cls.__discord_ui_compiled_template__.fullmatch(custom_id or "")
        return int(match["id"]) if match else None

    def label_for(self, item_id: int) -> str:
        """The button's label (override when it names the item)."""
        return self.label

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild from the custom id."""
        return cls(int(match["id"]))


class HarborView(discord.ui.View):
    """A view whose item errors are reported like command errors."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        """Friendly reply, ids-only log."""
        await report(interaction, error, where=f"view {type(self).__name__}")


class HarborModal(discord.ui.Modal):
    """A modal whose fields are cleaned at the edge and whose submit errors are reported like command errors."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Clean every text field once (controls removed, NFC) before `on_submit` reads it."""
        for item in self.walk_children():
            if isinstance(item, discord.ui.TextInput) and item.value:
                # discord.py keeps the submitted text in `_value` and offers no setter for it.
                item._value = clean_text(item.value)
        return True

    # discord.py's Modal.on_error takes no item (and ignores BaseView's signature the same way).
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        """Friendly reply, ids-only log."""
        await report(interaction, error, where=f"modal {type(self).__name__}")
