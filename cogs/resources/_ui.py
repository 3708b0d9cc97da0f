"""Embeds and small helpers shared by the library's commands, buttons and jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.db.resources import Resource
from bot.domain.clock import discord_timestamp
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.app import Harbor

COLOUR = discord.Colour.teal()
EMBED_DESCRIPTION_MAX = 4096


def clip(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link_title(resource: Resource, limit: int = 120) -> str:
    """`[title](url)` with the title's markdown escaped (brackets included)."""
    title = discord.utils.escape_markdown(clip(resource.title, limit)).replace("[", "\\[").replace("]", "\\]")
    # A ")" in the address (Wikipedia-style "Foo_(bar)") would end the markdown link early.
    target = resource.url.replace("(", "%28").replace(")", "%29")
    return f"[{title}]({target})"


def resource_embed(resource: Resource, *, heading: str | None = None, show_author: bool = False) -> discord.Embed:
    """One entry as an embed: title linking to the resource, description, tags, dates."""
    embed = discord.Embed(
        title=clip(resource.title, 256), url=resource.url, colour=COLOUR, description=resource.description or None
    )
    embed.add_field(name="Link", value=clip(resource.url, 1024), inline=False)
    embed.add_field(name="Tags", value=clip(" ".join(f"`{t}`" for t in resource.tags) or "—", 1024), inline=False)
    if resource.approved_at is not None and resource.status == "approved":
        embed.add_field(name="Added", value=discord_timestamp(resource.approved_at, "D"))
    if show_author:
        who = f"<@{resource.author_id}>" if resource.author_id else "an imported entry"
        embed.add_field(name="Submitted by", value=who)
    footer = f"Resource #{resource.id}"
    if heading:
        footer = f"{heading} · {footer}"
    embed.set_footer(text=footer)
    return embed


def results_embed(title: str, resources: list[Resource], *, page: int, empty: str) -> discord.Embed:
    """A page of entries: one block each with link, tags and the start of the description."""
    embed = discord.Embed(title=clip(title, 256), colour=COLOUR)
    if not resources:
        embed.description = empty
        return embed
    blocks = []
    for r in resources:
        tags = " ".join(f"`{t}`" for t in r.tags)
        about = clip(r.description.replace("\n", " "), 200)
        blocks.append(
            f"**#{r.id}** {link_title(r)}\n{tags}" + (f"\n{discord.utils.escape_markdown(about)}" if about else "")
        )
    embed.description = clip("\n\n".join(blocks), EMBED_DESCRIPTION_MAX)
    embed.set_footer(text=f"Page {page + 1} · /resource show <id> for details · /resource save <id> to bookmark")
    return embed


def queue_channel(bot: Harbor, channel_id: int | None) -> discord.abc.Messageable:
    """The configured mod-queue channel, or a `UserError` telling an admin how to set it."""
    channel = bot.get_channel(channel_id) if channel_id else None
    if not isinstance(channel, discord.abc.Messageable):
        raise UserError(
            "This server has no mod-queue channel for Harbor yet, so submissions can't be reviewed. "
            "Ask an admin to run `/setup channel kind:mod-queue`."
        )
    return channel
