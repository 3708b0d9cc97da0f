"""Harbor's command tree: every string option is cleaned once, before any command or transformer sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.domain.text import clean_text
from bot.errors import InputRejected

if TYPE_CHECKING:
    from bot.app import Harbor

_STRING = discord.AppCommandOptionType.string.value


class EmptyAfterCleaning(InputRejected):
    """A required text option held nothing but control characters or spaces."""

    def __init__(self, name: str) -> None:
        super().__init__(f"The option `{name}` had nothing Harbor can use once invisible characters were removed.")


def clean_options(options: list[dict[str, Any]]) -> str | None:
    """Clean string option values in place (recursing into subcommands); the first left empty, if any."""
    emptied: str | None = None
    for option in options:
        if option.get("type") == _STRING and isinstance(option.get("value"), str):
            before = option["value"]
            option["value"] = clean_text(before)
            if before.strip() and not option["value"].strip() and not option.get("focused"):
                emptied = emptied or str(option.get("name"))
        nested = option.get("options")
        if isinstance(nested, list):
            emptied = clean_options(nested) or emptied
    return emptied


class HarborTree(app_commands.CommandTree["Harbor"]):
    """The tree discord.py builds for Harbor (`tree_cls`)."""

    async def interaction_check(self, interaction: discord.Interaction[Harbor], /) -> bool:
        """Normalise option text at the edge; refuse a text option that cleaning left empty."""
        data: Any = interaction.data or {}
        options = data.get("options")
        if isinstance(options, list):
            emptied = clean_options(options)
            if emptied is not None and interaction.type is discord.InteractionType.application_command:
                raise EmptyAfterCleaning(emptied)
        return True
