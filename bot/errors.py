"""User-facing errors and the one place that turns any error into a friendly ephemeral reply."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import HarborError

log = logging.getLogger("bot.errors")


UserError = HarborError
"""The name cogs use for `HarborError`: bad input or a refused action, shown as it is."""


class PermissionDenied(app_commands.CheckFailure):
    """The member lacks the role or permission a command needs; the message says which."""


class InputRejected(app_commands.CheckFailure):
    """Option text refused at the edge, before the command ran; the message says what to fix."""


GENERIC = "Something went wrong on Harbor's side. Nothing was saved; please try again in a moment."


def friendly_message(error: BaseException) -> str | None:
    """The text to show for an error, or None when it is a bug (shown as GENERIC and logged)."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        cause = error.__cause__ or getattr(error, "original", None)
        if isinstance(cause, UserError):
            return str(cause)
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError | PermissionDenied | InputRejected):
        return str(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works only inside a server."
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the **" + ", ".join(error.missing_permissions).replace("_", " ") + "** permission."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little — try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"“{str(error.value)[:50]}” is not a valid {error.type.name.lower()}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def reply_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer or follow up ephemerally, whichever the interaction still allows.

    Typed `Interaction[Any]`, like `report`: buttons, selects and modals reach these too, and discord.py
    types their callbacks over any client (an override may not narrow it to `Interaction[Harbor]`).
    """
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id)


async def report(interaction: discord.Interaction[Any], error: BaseException, *, where: str) -> None:
    """Reply to the member and log with ids only — never message content or option values."""
    text = friendly_message(error)
    if text is None:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        log.error(
            "error in %s (guild=%s channel=%s user=%s): %s",
            where,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            type(original).__name__,
            exc_info=(type(original), original, original.__traceback__),
        )
        text = GENERIC
    await reply_ephemeral(interaction, text)
