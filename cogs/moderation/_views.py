"""Restart-proof buttons and modals: report decisions, appeals and history pages."""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

import discord

from bot.checks import is_moderator
from bot.db.moderation import Report
from bot.domain.clock import discord_timestamp
from bot.domain.moderation import ModCase
from bot.errors import PermissionDenied, UserError
from bot.ui import HarborModal, IdButton, guarded
from cogs.moderation._common import check_target, harbor, notice_embed, queue_channel_id, service, tell

log = logging.getLogger(__name__)

MOD_ONLY = "Only moderators can do that (the moderator role or Moderate Members permission)."
OUTCOME = {
    "resolved": "resolved: a moderator looked into it and acted",
    "dismissed": "closed: a moderator looked into it and took no action",
    "warned": "resolved: a moderator warned the member",
}


async def _require_moderator(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None or not await is_moderator(interaction):
        raise PermissionDenied(MOD_ONLY)
    return interaction.guild_id


def jump_url(report: Report) -> str | None:
    """A link to the reported message (never a copy of it)."""
    if report.message_id is None or report.channel_id is None:
        return None
    return f"https://discord.com/channels/{report.guild_id}/{report.channel_id}/{report.message_id}"


def report_embed(report: Report) -> discord.Embed:
    """The mod-queue card of a report: ids, a jump link and the reporter's reason."""
    embed = discord.Embed(title=f"Report #{report.number}", colour=discord.Colour.gold(), timestamp=report.created_at)
    embed.add_field(name="Reported member", value=f"<@{report.subject_id}> (`{report.subject_id}`)")
    embed.add_field(name="Reported by", value=f"<@{report.reporter_id}> (moderators only)")
    link = jump_url(report)
    if link:
        embed.add_field(name="Message", value=f"[Jump to the message]({link})", inline=False)
    elif report.channel_id:
        embed.add_field(name="Where", value=f"<#{report.channel_id}>", inline=False)
    embed.add_field(name="Reason", value=report.reason[:1024], inline=False)
    if report.status != "open" and report.decided_by:
        when = discord_timestamp(report.decided_at, "R") if report.decided_at else ""
        embed.add_field(name="Decision", value=f"**{report.status}** by <@{report.decided_by}> {when}", inline=False)
        embed.colour = discord.Colour.green() if report.status != "dismissed" else discord.Colour.light_grey()
    return embed


def report_view(report_id: int) -> discord.ui.View:
    """Resolve / Dismiss / Warn."""
    view = discord.ui.View(timeout=None)
    for action in ("resolve", "dismiss", "warn"):
        view.add_item(ReportButton(action, report_id))
    return view


async def _retire_card(bot: Any, report: Report) -> None:
    if report.queue_channel_id and report.queue_message_id:
        try:
            channel = bot.get_partial_messageable(report.queue_channel_id, guild_id=report.guild_id)
            await channel.get_partial_message(report.queue_message_id).edit(embed=report_embed(report), view=None)
        except discord.HTTPException:
            log.warning("could not update the queue card of report %s", report.id)


async def _close_report(interaction: discord.Interaction, report_id: int, status: str) -> Report | None:
    """Decide; tell a second moderator who decided first (and return None then)."""
    report, won = await service(interaction).decide_report(report_id, status, interaction.user.id)
    if not won:
        msg = f"Report #{report.number} was already handled: **{report.status}** by <@{report.decided_by}>."
        raise UserError(msg)
    return report


class ReportButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"harbor:mod:rep:(?P<action>resolve|dismiss|warn):(?P<rid>\d+)",
):
    """A decision on a report card; re-checks that the clicker is a moderator."""

    STYLES: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "resolve": ("Resolve", discord.ButtonStyle.success),
        "dismiss": ("Dismiss", discord.ButtonStyle.secondary),
        "warn": ("Warn member", discord.ButtonStyle.danger),
    }

    def __init__(self, action: str, report_id: int) -> None:
        label, style = self.STYLES[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"harbor:mod:rep:{action}:{report_id}"))
        self.action = action
        self.report_id = report_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReportButton:
        """Rebuild from the custom id."""
        return cls(match["action"], int(match["rid"]))

    @guarded("moderation report decision")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Resolve or dismiss now; Warn asks for the reason first."""
        guild_id = await _require_moderator(interaction)
        svc = service(interaction)
        if self.action == "warn":
            report = await svc.repo.report(self.report_id)
            if report is None or report.guild_id != guild_id:
                raise UserError("That report no longer exists.")
            if report.status != "open":
                msg = f"Report #{report.number} was already handled: **{report.status}** by <@{report.decided_by}>."
                raise UserError(msg)
            await interaction.response.send_modal(WarnFromReportModal(report))
            return
        status = "resolved" if self.action == "resolve" else "dismissed"
        report = await _close_report(interaction, self.report_id, status)
        assert report is not None
        await interaction.response.edit_message(embed=report_embed(report), view=None)
        await svc.modlog.record(
            guild_id,
            f"report_{status}",
            subject_id=report.subject_id,
            moderator_id=interaction.user.id,
            channel_id=report.channel_id,
            reason=f"report #{report.number}",
        )
        await tell(
            harbor(interaction),
            report.reporter_id,
            guild_id,
            "report outcome",
            content=f"Your report #{report.number} was {OUTCOME[status]}. Thank you for looking out for the group.",
        )


class WarnFromReportModal(HarborModal, title="Warn the reported member"):
    """The warning's reason, shown to the member."""

    reason: discord.ui.TextInput[WarnFromReportModal] = discord.ui.TextInput(
        label="Reason (the member will see it)", min_length=3, max_length=500, style=discord.TextStyle.paragraph
    )

    def __init__(self, report: Report) -> None:
        super().__init__(custom_id=f"harbor:mod:repwarn:{report.id}")
        self.report = report

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Check the target, claim the report (first decision wins), then warn and notify."""
        guild_id = await _require_moderator(interaction)
        svc = service(interaction)
        from bot.domain.moderation import clean_reason

        text = clean_reason(self.reason.value)
        guild = interaction.guild
        assert guild is not None
        try:
            target = await guild.fetch_member(self.report.subject_id)
        except discord.NotFound:
            raise UserError(f"<@{self.report.subject_id}> has left the server; resolve or dismiss instead.") from None
        check_target(interaction, target)
        report = await _close_report(interaction, self.report.id, "warned")
        assert report is not None
        case = await svc.infraction(
            guild_id,
            "warn",
            subject_id=target.id,
            moderator_id=interaction.user.id,
            reason=text,
            channel_id=report.channel_id,
        )
        delivered = await send_notice(interaction, case)
        await interaction.response.send_message(
            f"Warned <@{target.id}> (case #{case.number}) for report #{report.number}."
            + ("" if delivered else " Their DMs are closed, so they were not told."),
            ephemeral=True,
        )
        await _retire_card(harbor(interaction), report)
        await tell(
            harbor(interaction),
            report.reporter_id,
            guild_id,
            "report outcome",
            content=f"Your report #{report.number} was {OUTCOME['warned']}. Thank you for looking out for the group.",
        )


async def send_notice(interaction: discord.Interaction, case: ModCase) -> bool:
    """DM the member their notice with an Appeal button; True when delivered."""
    guild_name = interaction.guild.name if interaction.guild else "the server"
    view = discord.ui.View(timeout=None)
    view.add_item(AppealButton(case.id))
    assert case.subject_id is not None
    return await tell(
        harbor(interaction),
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
        """Check the case and that no appeal is open, then ask why."""
        svc = service(interaction)
        case = await svc.appealable(self.item_id, interaction.user.id)
        if await svc.repo.open_appeal_for(case.id):
            msg = f"Your appeal of case #{case.number} is already with the moderators; you'll hear back by DM."
            raise UserError(msg)
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
        bot = harbor(interaction)
        channel_id = await queue_channel_id(interaction, self.case.guild_id)
        case, appeal = await svc.open_appeal(self.case.id, interaction.user.id)
        embed = discord.Embed(title=f"Appeal of case #{case.number} · {case.label}", colour=discord.Colour.blurple())
        embed.add_field(name="Member", value=f"<@{case.subject_id}> (`{case.subject_id}`)")
        if case.moderator_id:
            embed.add_field(name="Moderator", value=f"<@{case.moderator_id}>")
        embed.add_field(name="Original reason", value=(case.reason or "—")[:1024], inline=False)
        embed.add_field(name="Appeal", value=self.text.value[:1024], inline=False)
        view = discord.ui.View(timeout=None)
        view.add_item(AppealDecisionButton("uphold", appeal.id))
        view.add_item(AppealDecisionButton("overturn", appeal.id))
        try:
            channel = bot.get_partial_messageable(channel_id, guild_id=case.guild_id)
            await channel.send(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            await svc.repo.delete_appeal(appeal.id)
            raise UserError(
                "I couldn't reach the moderators just now; nothing was sent. Please try again later."
            ) from None
        await interaction.response.send_message(
            f"Your appeal of case #{case.number} is with the moderators. You'll hear their decision by DM.",
            ephemeral=interaction.guild_id is not None,
        )


class AppealDecisionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:mod:apd:(?P<action>uphold|overturn):(?P<aid>\d+)"
):
    """Uphold or overturn an appeal; first decision wins."""

    def __init__(self, action: str, appeal_id: int) -> None:
        label, style = (
            ("Uphold", discord.ButtonStyle.secondary)
            if action == "uphold"
            else ("Overturn", discord.ButtonStyle.success)
        )
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"harbor:mod:apd:{action}:{appeal_id}"))
        self.action = action
        self.appeal_id = appeal_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AppealDecisionButton:
        """Rebuild from the custom id."""
        return cls(match["action"], int(match["aid"]))

    @guarded("moderation appeal decision")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Decide, undo what an overturn undoes, tell the member."""
        guild_id = await _require_moderator(interaction)
        status = "upheld" if self.action == "uphold" else "overturned"
        appeal, case, won = await service(interaction).decide_appeal(self.appeal_id, status, interaction.user.id)
        if not won:
            msg = f"That appeal was already decided: **{appeal.status}** by <@{appeal.decided_by}>."
            raise UserError(msg)
        number = case.number if case else "?"
        embeds = list(interaction.message.embeds) if interaction.message else []
        if embeds:
            embeds[0].add_field(name="Decision", value=f"**{status}** by <@{interaction.user.id}>", inline=False)
        await interaction.response.edit_message(embeds=embeds, view=None)
        if status == "overturned" and case is not None and interaction.guild is not None:
            await undo_case(interaction, case)
        text = (
            f"Your appeal of case #{number} was accepted: the decision was overturned."
            if status == "overturned"
            else f"Your appeal of case #{number} was reviewed and the decision stands."
        )
        await tell(harbor(interaction), appeal.user_id, guild_id, "appeal outcome", content=text)


async def undo_case(interaction: discord.Interaction, case: ModCase) -> None:
    """An overturned timeout ends now; an overturned restriction gives case access back."""
    guild = interaction.guild
    assert guild is not None and case.subject_id is not None
    try:
        member = await guild.fetch_member(case.subject_id)
        if case.kind == "timeout":
            await member.edit(timed_out_until=None)
        elif case.kind == "restrict":
            role_id = await harbor(interaction).services.guild_config.role(guild.id, "case-access")
            if role_id is not None and case.active is False and await service(interaction).repo.removed_role(case.id):
                await member.add_roles(discord.Object(role_id))
    except discord.HTTPException:
        log.warning("could not undo case %s on Discord", case.id)


class HistoryButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:mod:hist:(?P<uid>\d+):(?P<page>\d+):(?P<dir>p|n)"
):
    """Previous / next page of `/mod history` (moderators only)."""

    def __init__(self, user_id: int, page: int, direction: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="◀ Newer" if direction == "p" else "Older ▶",
                style=discord.ButtonStyle.secondary,
                custom_id=f"harbor:mod:hist:{user_id}:{page}:{direction}",
                disabled=disabled,
            )
        )
        self.user_id = user_id
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> HistoryButton:
        """Rebuild from the custom id."""
        return cls(int(match["uid"]), int(match["page"]), match["dir"])

    @guarded("moderation history page")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Show the page this button points to."""
        guild_id = await _require_moderator(interaction)
        embed, view = await history_page(interaction, guild_id, self.user_id, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


async def history_page(
    interaction: discord.Interaction, guild_id: int, user_id: int, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """One page of a member's records, with Newer/Older buttons."""
    cases, page, pages = await service(interaction).history(guild_id, user_id, page)
    embed = discord.Embed(title=f"Moderation history of {user_id}", colour=discord.Colour.blurple())
    embed.description = f"<@{user_id}> · page {page + 1} of {pages}"
    if not cases:
        embed.description += "\nNo records."
    for case in cases:
        bits = [discord_timestamp(case.created_at, "d")]
        if case.moderator_id:
            bits.append(f"by <@{case.moderator_id}>")
        if case.identifier_kinds:
            bits.append("kinds: " + ", ".join(case.identifier_kinds))
        if case.active:
            bits.append("**active**")
        value = " · ".join(bits) + (f"\n{case.reason[:200]}" if case.reason else "")
        embed.add_field(name=f"#{case.number} · {case.label}", value=value[:1024], inline=False)
    view = discord.ui.View(timeout=None)
    view.add_item(HistoryButton(user_id, max(page - 1, 0), "p", disabled=page == 0))
    view.add_item(HistoryButton(user_id, min(page + 1, pages - 1), "n", disabled=page >= pages - 1))
    return embed, view


DYNAMIC_ITEMS = (ReportButton, AppealButton, AppealDecisionButton, HistoryButton)
