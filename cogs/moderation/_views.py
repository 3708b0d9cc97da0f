"""Restart-proof buttons and modals: report decisions, appeals and history pages."""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Self

import discord

from bot.app import Harbor, harbor_of
from bot.checks import is_moderator
from bot.db.moderation import Report
from bot.domain.clock import discord_timestamp
from bot.domain.moderation import ModCase
from bot.errors import PermissionDenied, UserError
from bot.ui import Choice, Field, HarborModal, IdButton, Int, Page, Pager, guarded
from cogs.moderation._common import check_target, notice_embed, queue_channel_id, service, tell

log = logging.getLogger(__name__)

MOD_ONLY = "Only moderators can do that (the moderator role or Moderate Members permission)."
OUTCOME = {
    "resolved": "resolved: a moderator looked into it and acted",
    "dismissed": "closed: a moderator looked into it and took no action",
    "warned": "resolved: a moderator warned the member",
}
_DECIDED_COLOUR = {
    "resolved": discord.Colour.green(),
    "warned": discord.Colour.green(),
    "dismissed": discord.Colour.light_grey(),
    "upheld": discord.Colour.light_grey(),
    "overturned": discord.Colour.green(),
}


async def _require_moderator(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None or not await is_moderator(interaction):
        raise PermissionDenied(MOD_ONLY)
    return interaction.guild_id


def jump_url(report: Report) -> str | None:
    """A link to the reported message (never a copy of it)."""
    if report.message_id is None or report.channel_id is None:
        return None
    return f"https://discord.com/channels/{report.guild_id}/{report.channel_id}/{report.message_id}"


def report_embed(report: Report, reason: str) -> discord.Embed:
    """The mod-queue card of a report: ids, a jump link and the reporter's reason (on this card only)."""
    embed = discord.Embed(title=f"Report #{report.number}", colour=discord.Colour.gold(), timestamp=report.created_at)
    embed.add_field(name="Reported member", value=f"<@{report.subject_id}> (`{report.subject_id}`)")
    embed.add_field(name="Reported by", value=f"<@{report.reporter_id}> (moderators only)")
    link = jump_url(report)
    if link:
        embed.add_field(name="Message", value=f"[Jump to the message]({link})", inline=False)
    elif report.channel_id:
        embed.add_field(name="Where", value=f"<#{report.channel_id}>", inline=False)
    embed.add_field(name="Reason", value=reason[:1024], inline=False)
    return embed


def decided(message: discord.Message | None, status: str, moderator_id: int) -> list[discord.Embed]:
    """The queue card's embeds with the decision added (the card's text is not stored anywhere else)."""
    embeds = [e.copy() for e in message.embeds] if message is not None else []
    if embeds:
        embeds[0].add_field(name="Decision", value=f"**{status}** by <@{moderator_id}>", inline=False)
        embeds[0].colour = _DECIDED_COLOUR.get(status, discord.Colour.light_grey())
    return embeds


def report_view(report_id: int) -> discord.ui.View:
    """Resolve / Dismiss / Warn."""
    view = discord.ui.View(timeout=None)
    for button in (ResolveReportButton, DismissReportButton, WarnReportButton):
        view.add_item(button(report_id))
    return view


async def _decide_report(interaction: discord.Interaction[Any], report_id: int, status: str) -> None:
    """Resolve or dismiss: first decision wins (a later click is told whose it was); the reporter is told."""
    guild_id = await _require_moderator(interaction)
    report = await service(interaction).decide_report(guild_id, report_id, status, interaction.user.id)
    await interaction.response.edit_message(embeds=decided(interaction.message, status, interaction.user.id), view=None)
    await tell(
        harbor_of(interaction),
        report.reporter_id,
        guild_id,
        "report outcome",
        content=f"Your report #{report.number} was {OUTCOME[status]}. Thank you for looking out for the group.",
    )


class ResolveReportButton(IdButton, prefix="harbor:mod:rep:resolve"):
    """Resolve a report (moderators only; re-checked on every click)."""

    label = "Resolve"
    style = discord.ButtonStyle.success

    @guarded("moderation report resolve")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Close the report as resolved."""
        await _decide_report(interaction, self.item_id, "resolved")


class DismissReportButton(IdButton, prefix="harbor:mod:rep:dismiss"):
    """Dismiss a report (moderators only)."""

    label = "Dismiss"
    style = discord.ButtonStyle.secondary

    @guarded("moderation report dismiss")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Close the report with no action."""
        await _decide_report(interaction, self.item_id, "dismissed")


class WarnReportButton(IdButton, prefix="harbor:mod:rep:warn"):
    """Warn the reported member (moderators only): asks for the reason first."""

    label = "Warn member"
    style = discord.ButtonStyle.danger

    @guarded("moderation report warn")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the reason modal while the report is still open."""
        guild_id = await _require_moderator(interaction)
        report = await service(interaction).open_report(guild_id, self.item_id)
        await interaction.response.send_modal(WarnFromReportModal(report))


class WarnFromReportModal(HarborModal, title="Warn the reported member"):
    """The warning's reason, shown to the member."""

    reason: discord.ui.TextInput[WarnFromReportModal] = discord.ui.TextInput(
        label="Reason (the member will see it)", min_length=3, max_length=500, style=discord.TextStyle.paragraph
    )

    def __init__(self, report: Report) -> None:
        super().__init__(custom_id=f"harbor:mod:repwarn:{report.id}")
        self.report = report

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Check reason and target, claim the report (first decision wins), then warn and notify."""
        guild_id = await _require_moderator(interaction)
        svc = service(interaction)
        text = svc.reason(self.reason.value)
        guild = interaction.guild
        assert guild is not None
        try:
            target = await guild.fetch_member(self.report.subject_id)
        except discord.NotFound:
            raise UserError(f"<@{self.report.subject_id}> has left the server; resolve or dismiss instead.") from None
        check_target(interaction, target)
        report = await svc.decide_report(guild_id, self.report.id, "warned", interaction.user.id)
        case = await svc.infraction(
            guild_id,
            "warn",
            subject_id=target.id,
            moderator_id=interaction.user.id,
            reason=text,
            channel_id=report.channel_id,
        )
        delivered = await send_notice(interaction, case)
        summary = f"Warned <@{target.id}> (case #{case.number}) for report #{report.number}." + (
            "" if delivered else " Their DMs are closed, so they were not told."
        )
        if interaction.message is not None:
            await interaction.response.edit_message(
                embeds=decided(interaction.message, "warned", interaction.user.id), view=None
            )
            await interaction.followup.send(summary, ephemeral=True)
        else:
            await interaction.response.send_message(summary, ephemeral=True)
        await tell(
            harbor_of(interaction),
            report.reporter_id,
            guild_id,
            "report outcome",
            content=f"Your report #{report.number} was {OUTCOME['warned']}. Thank you for looking out for the group.",
        )


async def send_notice(interaction: discord.Interaction[Any], case: ModCase) -> bool:
    """DM the member their notice with an Appeal button; True when delivered."""
    guild_name = interaction.guild.name if interaction.guild else "the server"
    view = discord.ui.View(timeout=None)
    view.add_item(AppealButton(case.id))
    assert case.subject_id is not None
    return await tell(
        harbor_of(interaction),
        case.subject_id,
        case.guild_id,
        f"moderation {case.kind}",
        embed=notice_embed(case, guild_name),
        view=view,
    )


class AppealButton(IdButton, prefix="harbor:mod:appeal"):
    """In a notice DM: open the appeal modal (only the member the case is about)."""

    label = "Appeal"
    style = discord.ButtonStyle.primary

    @guarded("moderation appeal")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Check the case and that it was not appealed yet, then ask why."""
        case = await service(interaction).appealable(self.item_id, interaction.user.id)
        await interaction.response.send_modal(AppealModal(case))


class AppealModal(HarborModal, title="Appeal"):
    """Why the member thinks the decision should change; the text goes to the mod queue only."""

    text: discord.ui.TextInput[AppealModal] = discord.ui.TextInput(
        label="Why should the moderators reconsider?",
        min_length=10,
        max_length=1500,
        style=discord.TextStyle.paragraph,
    )

    def __init__(self, case: ModCase) -> None:
        super().__init__(custom_id=f"harbor:mod:appealmodal:{case.id}")
        self.case = case

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Open the appeal and post it to the mod queue (undone when the post fails)."""
        svc = service(interaction)
        bot = harbor_of(interaction)
        channel_id = await queue_channel_id(interaction, self.case.guild_id)
        case, appeal = await svc.open_appeal(self.case.id, interaction.user.id)
        embed = discord.Embed(title=f"Appeal of case #{case.number} · {case.label}", colour=discord.Colour.blurple())
        embed.add_field(name="Member", value=f"<@{case.subject_id}> (`{case.subject_id}`)")
        if case.moderator_id:
            embed.add_field(name="Moderator", value=f"<@{case.moderator_id}>")
        embed.add_field(name="Original reason", value=(case.reason or "—")[:1024], inline=False)
        embed.add_field(name="Appeal", value=self.text.value[:1024], inline=False)
        view = discord.ui.View(timeout=None)
        view.add_item(UpholdAppealButton(appeal.id))
        view.add_item(OverturnAppealButton(appeal.id))
        try:
            channel = bot.get_partial_messageable(channel_id, guild_id=case.guild_id)
            await channel.send(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            await svc.discard_appeal(appeal.id)
            raise UserError(
                "I couldn't reach the moderators just now; nothing was sent. Please try again later."
            ) from None
        await interaction.response.send_message(
            f"Your appeal of case #{case.number} is with the moderators. You'll hear their decision by DM.",
            ephemeral=interaction.guild_id is not None,
        )


async def _decide_appeal(interaction: discord.Interaction[Any], appeal_id: int, status: str) -> None:
    """Uphold or overturn (first decision wins), undo what an overturn undoes, tell the member."""
    guild_id = await _require_moderator(interaction)
    outcome = await service(interaction).decide_appeal(guild_id, appeal_id, status, interaction.user.id)
    appeal, case = outcome.appeal, outcome.case
    if not outcome.won:
        who = f" by <@{appeal.decided_by}>" if appeal.decided_by else ""
        raise UserError(f"That appeal was already decided: **{appeal.status}**{who}.")
    await interaction.response.edit_message(embeds=decided(interaction.message, status, interaction.user.id), view=None)
    if status == "overturned" and case is not None:
        await undo_case(interaction, case, outcome.restore_role_id)
    number = case.number if case else "?"
    text = (
        f"Your appeal of case #{number} was accepted: the decision was overturned."
        if status == "overturned"
        else f"Your appeal of case #{number} was reviewed and the decision stands."
    )
    await tell(harbor_of(interaction), appeal.user_id, guild_id, "appeal outcome", content=text)


class UpholdAppealButton(IdButton, prefix="harbor:mod:apd:uphold"):
    """Keep the decision an appeal is about (moderators only; first decision wins)."""

    label = "Uphold"
    style = discord.ButtonStyle.secondary

    @guarded("moderation appeal uphold")
    async def callback(self, interaction: discord.Interaction) -> None:
        """The decision stands."""
        await _decide_appeal(interaction, self.item_id, "upheld")


class OverturnAppealButton(IdButton, prefix="harbor:mod:apd:overturn"):
    """Overturn the decision an appeal is about (moderators only; first decision wins)."""

    label = "Overturn"
    style = discord.ButtonStyle.success

    @guarded("moderation appeal overturn")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Undo the timeout or restriction."""
        await _decide_appeal(interaction, self.item_id, "overturned")


async def undo_case(interaction: discord.Interaction[Any], case: ModCase, restore_role_id: int | None) -> None:
    """An overturned timeout ends now; an overturned restriction gives back the role it took."""
    guild = interaction.guild
    if guild is None or case.subject_id is None or case.kind not in ("timeout", "restrict"):
        return
    try:
        member = await guild.fetch_member(case.subject_id)
        if case.kind == "timeout":
            await member.edit(timed_out_until=None, reason="Harbor: appeal overturned")
        elif restore_role_id is not None:
            await member.add_roles(discord.Object(restore_role_id), reason="Harbor: appeal overturned")
    except discord.HTTPException:
        log.warning("could not undo case %s on Discord", case.id)


class HistoryButton(
    Pager,
    prefix="harbor:mod:hist",
    fields={"user_id": Int(), "page": Int(), "direction": Choice("p", "n")},
):
    """Newer / Older page of `/mod history` (moderators only, re-checked on every click).

    Its custom id (``harbor:mod:hist:<member>:<page>:<p|n>``) predates the kit's ``<prefix>:<page>:…``
    layout, so it declares the page among its own fields and puts the direction in through `turned`.
    """

    lead_fields: ClassVar[dict[str, Field]] = {}
    prev_label = "◀ Newer"
    next_label = "Older ▶"
    where = "moderation history page"
    user_id: int
    direction: str

    def turned(self, page: int, *, forward: bool) -> Self:
        """The Newer (``p``) or Older (``n``) button for the same member."""
        return type(self)(self.user_id, page, "n" if forward else "p")

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Refuse anyone who is no longer a moderator, then show the page this button points to."""
        await _require_moderator(interaction)
        await super().clicked(interaction)

    async def render(self, interaction: discord.Interaction[Harbor], page: int) -> Page:
        """One page (clamped by the service) of the member's records, newest first."""
        assert interaction.guild_id is not None
        cases, page, pages = await service(interaction).history(interaction.guild_id, self.user_id, page)
        embed = discord.Embed(title=f"Moderation history of {self.user_id}", colour=discord.Colour.blurple())
        embed.description = f"<@{self.user_id}> · page {page + 1} of {pages}"
        if not cases:
            embed.description += "\nNo records."
        for case in cases:
            bits = [discord_timestamp(case.created_at, "d")]
            if case.moderator_id:
                bits.append(f"by <@{case.moderator_id}>")
            if case.identifier_kinds:
                bits.append("kinds: " + ", ".join(case.identifier_kinds))
            if case.expires_at:
                bits.append("until " + discord_timestamp(case.expires_at, "f"))
            if case.active:
                bits.append("**active**")
            if case.overturned:
                bits.append("**overturned on appeal**")
            value = " · ".join(bits) + (f"\n{case.reason[:200]}" if case.reason else "")
            embed.add_field(name=f"#{case.number} · {case.label}", value=value[:1024], inline=False)
        return Page(page, page < pages - 1, embed)


DYNAMIC_ITEMS = (
    ResolveReportButton,
    DismissReportButton,
    WarnReportButton,
    AppealButton,
    UpholdAppealButton,
    OverturnAppealButton,
    HistoryButton,
)
