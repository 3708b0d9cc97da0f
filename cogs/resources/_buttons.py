"""Buttons that survive restarts (DynamicItems; the state is the database row) and the reject modal.

Every click re-checks who is clicking: only moderators approve, reject or mark reviewed, and only
the member a confirm button was shown to can use it.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.app import Harbor, feature_of, harbor_of
from bot.checks import is_moderator
from bot.db.resources import CANDIDATES, Resource
from bot.domain.clock import discord_timestamp
from bot.domain.search import compact
from bot.errors import UserError
from bot.services.resources import ResourceService
from bot.ui import MAX_CUSTOM_ID, Confirm, Field, HarborModal, IdButton, Page, Pager, Text, guarded
from cogs.resources._ui import resource_embed, results_embed

log = logging.getLogger(__name__)
REASON_MAX = 500
MODERATORS_ONLY = "Only moderators can review submissions (the moderator role or Moderate Members permission)."


def _bot(interaction: discord.Interaction[Any]) -> Harbor:
    return harbor_of(interaction)


def _service(interaction: discord.Interaction[Any]) -> ResourceService:
    return feature_of(interaction, ResourceService)


async def _require_moderator(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None or not await is_moderator(interaction):
        raise UserError(MODERATORS_ONLY)
    return interaction.guild_id


def decided_embed(resource: Resource, verb: str, by: int, when: Any, reason: str | None = None) -> discord.Embed:
    """The mod-queue card after a decision: who decided what, when (and why, for a rejection)."""
    embed = resource_embed(resource, show_author=True, heading=verb.capitalize())
    embed.add_field(
        name="Decision", value=f"{verb.capitalize()} by <@{by}> {discord_timestamp(when, 'R')}", inline=False
    )
    if reason:
        embed.add_field(name="Reason", value=reason[:1024], inline=False)
    embed.colour = discord.Colour.green() if verb == "approved" else discord.Colour.red()
    return embed


async def tell_author(interaction: discord.Interaction[Any], resource: Resource, text: str) -> None:
    """DM the submitter (never when they decided it themselves); a closed inbox is recorded, not raised."""
    if resource.author_id is None or resource.author_id == interaction.user.id:
        return
    await _bot(interaction).services.notifier.dm(
        resource.author_id, purpose="resource review", guild_id=resource.guild_id, content=text
    )


class ApproveButton(IdButton, prefix="harbor:res:approve"):
    """Publish a pending submission."""

    label = "Approve"
    style = discord.ButtonStyle.success

    @guarded("resource approve")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Approve, update the queue card, tell the submitter."""
        guild_id = await _require_moderator(interaction)
        resource = await _service(interaction).decide(guild_id, self.item_id, approve=True, by=interaction.user.id)
        assert resource.approved_at is not None
        await interaction.response.edit_message(
            embed=decided_embed(resource, "approved", interaction.user.id, resource.approved_at), view=None
        )
        guild = interaction.guild.name if interaction.guild else "the server"
        await tell_author(
            interaction,
            resource,
            f"Good news: your resource “{resource.title[:200]}” was approved and is now in "
            f"{guild}'s library as #{resource.id}. Thank you for sharing it!",
        )


class RejectButton(IdButton, prefix="harbor:res:reject"):
    """Ask for a reason, then reject a pending submission."""

    label = "Reject"
    style = discord.ButtonStyle.danger

    @guarded("resource reject")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the reason modal (only while the submission is still pending)."""
        guild_id = await _require_moderator(interaction)
        await _service(interaction).pending(guild_id, self.item_id)
        await interaction.response.send_modal(RejectModal(self.item_id))


class RejectModal(HarborModal, title="Reject submission"):
    """The reason the submitter will read."""

    reason: discord.ui.TextInput[RejectModal] = discord.ui.TextInput(
        label="Reason (the submitter is told)",
        custom_id="resource:reason",
        style=discord.TextStyle.paragraph,
        min_length=3,
        max_length=REASON_MAX,
        placeholder="e.g. The page is a product advert, not a peer resource.",
    )

    def __init__(self, resource_id: int) -> None:
        super().__init__()
        self.resource_id = resource_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Reject (re-checking the moderator), update the queue card, tell the submitter why."""
        guild_id = await _require_moderator(interaction)
        reason = self.reason.value.strip()
        if len(reason) < 3:
            raise UserError("Give the submitter a short reason (at least 3 characters).")
        resource = await _service(interaction).decide(
            guild_id, self.resource_id, approve=False, by=interaction.user.id, reason=reason
        )
        await interaction.response.edit_message(
            embed=decided_embed(resource, "rejected", interaction.user.id, resource.updated_at, reason), view=None
        )
        await tell_author(
            interaction,
            resource,
            f"Your resource “{resource.title[:200]}” was not added to the library.\nModerator's reason: {reason}",
        )


def queue_view(resource_id: int) -> discord.ui.View:
    """Approve / Reject for a mod-queue card."""
    view = discord.ui.View(timeout=None)
    view.add_item(ApproveButton(resource_id))
    view.add_item(RejectButton(resource_id))
    return view


class ReviewedButton(IdButton, prefix="harbor:res:reviewed"):
    """Mark an entry from the monthly review list as still good."""

    style = discord.ButtonStyle.primary

    def label_for(self, item_id: int) -> str:
        """Name the entry on the button."""
        return f"Mark reviewed #{item_id}"

    @guarded("resource mark reviewed")
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Record the review and grey out this entry's button on the list."""
        guild_id = await _require_moderator(interaction)
        await _service(interaction).mark_reviewed(guild_id, self.item_id)
        done = {self.item_id}
        ids: list[int] = []
        for row in interaction.message.components if interaction.message else []:
            for child in getattr(row, "children", []):
                rid = ReviewedButton.id_in(child.custom_id)
                if rid is not None:
                    ids.append(rid)
                    if child.disabled:
                        done.add(rid)
        await interaction.response.edit_message(view=stale_view(ids, done))


def stale_view(resource_ids: list[int], done: set[int] | None = None) -> discord.ui.View:
    """One "Mark reviewed" button per entry (at most 25 per message); reviewed ones greyed out."""
    view = discord.ui.View(timeout=None)
    for rid in resource_ids[:25]:
        if done and rid in done:
            view.add_item(
                discord.ui.Button(
                    label=f"Reviewed #{rid} ✓", disabled=True, custom_id=ReviewedButton.custom_id_for(rid)
                )
            )
        else:
            view.add_item(ReviewedButton(rid))
    return view


class ConfirmRemove(Confirm, prefix="harbor:res:remove", fields="resource owner", owner="owner"):
    """Yes / Cancel for `/resource remove`; only the member it was shown to can press it."""

    resource: int
    owner: int
    where = "resource remove confirm"

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """The yes button names the entry."""
        if self.answer == "no":
            return super().look()
        return f"Yes, remove #{self.resource}", self.style, None

    async def confirmed(self, interaction: discord.Interaction[Harbor]) -> str:
        """Re-check ownership or moderation, delete, and retire a pending entry's queue card."""
        if interaction.guild_id is None:
            raise UserError("That works only inside a server.")
        service = _service(interaction)
        resource = await service.removable(
            interaction.guild_id, self.resource, interaction.user.id, moderator=await is_moderator(interaction)
        )
        await service.remove(resource)
        if resource.status == "pending" and resource.queue_channel_id and resource.queue_message_id:
            channel = _bot(interaction).get_channel(resource.queue_channel_id)
            if isinstance(channel, discord.TextChannel):
                try:
                    await channel.get_partial_message(resource.queue_message_id).edit(
                        content=f"Submission #{resource.id} was withdrawn.", embed=None, view=None
                    )
                except discord.HTTPException:
                    log.info("could not retire the queue card of resource %s", resource.id)
        return f"Removed #{resource.id} from the library."


class Tag(Field):
    """A library tag in a custom id (letters, digits, hyphens; may be empty); never holds a colon."""

    def __init__(self) -> None:
        super().__init__(r"[^:\n]*")

    def parse(self, raw: str) -> str:
        """The tag."""
        return raw

    def dump(self, value: Any) -> str:
        """The tag, if it has no colon or line break."""
        if not isinstance(value, str) or ":" in value or "\n" in value:
            msg = "a tag in a custom id holds no colon or line break"
            raise ValueError(msg)
        return value


PAGE_DIGITS = 4
"""Room kept in the custom id for the page number (10,000 pages of five results)."""


def search_key(query: str, tag: str | None) -> tuple[str, str]:
    """The tag and the compacted query a results pager carries in its custom id (refusing a tag with a colon)."""
    tag_key = (tag or "").strip().lstrip("#").lower().replace(" ", "-")
    if ":" in tag_key:
        raise UserError("A tag holds only letters, digits and hyphens; see `/resource tags`.")
    room = MAX_CUSTOM_ID - len(f"{ResultsPager.prefix}:{'9' * PAGE_DIGITS}:{tag_key}:")
    return tag_key, compact(query, room)


class ResultsPager(Pager, prefix="harbor:res:pg", fields={"tag": Tag(), "query": Text()}):
    """Previous / Next on a result list; works after a restart.

    The (compacted) query rides in the custom id, so nothing about the search is stored; the reply is
    ephemeral, so only the searcher can click.
    """

    tag: str
    query: str
    prev_label = "◀ Previous"
    show_alone = False
    where = "resource search page"

    async def render(self, interaction: discord.Interaction[Harbor], page: int) -> Page:
        """One page of results for the query and tag in the custom id."""
        if interaction.guild_id is None:
            raise UserError("That works only inside a server.")
        found, more, broad = await _service(interaction).search(
            interaction.guild_id, self.query, self.tag or None, page
        )
        title = "Search results" + (f" tagged {self.tag}" if self.tag else "")
        embed = results_embed(
            title,
            found,
            page=page,
            empty="Nothing matched. Try fewer or shorter words, or browse `/resource tags`."
            if page == 0
            else "No more results.",
        )
        if broad:
            embed.set_footer(
                text=f"Many entries match: these are the best among the {CANDIDATES:,} newest. "
                "Add a word or a tag to narrow the search."
            )
        return Page(page, more, embed)


DYNAMIC_ITEMS = (ApproveButton, RejectButton, ReviewedButton, ConfirmRemove, ResultsPager)
