"""Base UI pieces whose errors reach the member as a friendly ephemeral message.

discord.py only logs errors raised in a DynamicItem's callback, so every callback is wrapped in
`guarded`, which turns any error into the same ephemeral reply a slash command would get.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.domain.text import clean_text
from bot.errors import report

if TYPE_CHECKING:
    from bot.app import Harbor

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guarded(where: str) -> Callable[[F], F]:
    """Decorate an item or modal callback `(self, interaction, …)` so errors become friendly replies."""

    def decorator(func: F) -> F:
        @functools.wraps(func)
        async def wrapper(self: Any, interaction: discord.Interaction[Any], *args: Any, **kwargs: Any) -> Any:
            try:
                return await func(self, interaction, *args, **kwargs)
            except Exception as exc:  # every error ends in a reply and a log line
                await report(interaction, exc, where=where)
                return None

        return wrapper  # type: ignore[return-value]

    return decorator


class HarborView(discord.ui.View):
    """A view whose item errors are reported like command errors."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Friendly reply, ids-only log."""
        await report(interaction, error, where=f"view {type(self).__name__}")


class HarborModal(discord.ui.Modal):
    """A modal whose fields are cleaned at the edge and whose submit errors are reported like command errors."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Clean every text field once (controls removed, NFC) before `on_submit` reads it."""
        for item in self.walk_children():
            if isinstance(item, discord.ui.TextInput) and item.value:
                # discord.py keeps the submitted text in `_value` and offers no setter for it.
                item._value = clean_text(item.value)
        return True

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Hand the submission to `submitted`, typed for Harbor (discord.py's signature is generic)."""
        await self.submitted(interaction)

    async def submitted(self, interaction: discord.Interaction[Harbor]) -> None:
        """What submitting does (modals written before this hook override `on_submit` instead)."""
        raise NotImplementedError

    # discord.py's Modal.on_error takes no item (and ignores BaseView's signature the same way).
    async def on_error(self, interaction: discord.Interaction[Any], error: Exception) -> None:  # type: ignore[override]
        """Friendly reply, ids-only log."""
        await report(interaction, error, where=f"modal {type(self).__name__}")
