"""`/mod …`, `/report` and the "Report to moderators" message command: the Discord side of moderation."""

from __future__ import annotations

import logging
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor, harbor_of
from bot.checks import admin_only, moderator_only
from bot.domain.moderation import TIMEOUT_MAX, ModCase, check_rule, format_duration
from bot.errors import UserError
from bot.services.moderation import ModerationService
from bot.transformers import Duration
from bot.ui import HarborModal
from cogs.moderation._common import check_target, queue_channel_id, service
from cogs.moderation._views import HistoryButton, report_embed, report_view, send_notice

log = logging.getLogger(__name__)

REPORT_MENU = "Report to moderators"


class ReportModal(HarborModal, title="Report to moderators"):
    """The reporter's reason; the moderators get a jump link, never a copy of the message."""

    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="What's wrong? (only moderators see this)",
        style=discord.TextStyle.paragraph,
        min_length=3,
        max_length=500,
    )

    def __init__(self, subject_id: int, channel_id: int | None, message_id: int | None) -> None:
        super().__init__(custom_id=f"harbor:mod:report:{subject_id}:{message_id or 0}")
        self.subject_id = subject_id
        self.channel_id = channel_id
        self.message_id = message_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Store the ids, post the card with the reason to the queue (undone when that fails), give the receipt."""
        assert interaction.guild_id is not None
        svc = service(interaction)
        channel_id = await queue_channel_id(interaction, interaction.guild_id)
        report, reason = await svc.file_report(
            interaction.guild_id,
            reporter_id=interaction.user.id,
            subject_id=self.subject_id,
            channel_id=self.channel_id,
            message_id=self.message_id,
            reason=self.reason.value,
        )
        try:
            channel = harbor_of(interaction).get_partial_messageable(channel_id, guild_id=interaction.guild_id)
            card = await channel.send(
                embed=report_embed(report, reason),
                view=report_view(report.id),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:
            await svc.discard_report(report.id)
            msg = "I couldn't post to the mod-queue channel (missing permissions?). Nothing was sent; tell an admin."
            raise UserError(msg) from None
        await svc.attach_report_card(report.id, channel_id, card.id)
        await interaction.response.send_message(
            f"Thanks — report #{report.number} is with the moderators. You'll hear the outcome by DM; "
            "the member is never told who reported.",
            ephemeral=True,
        )


async def _report_menu(interaction: discord.Interaction[Harbor], message: discord.Message) -> None:
    """Message command: report one message (not a bot's, not a deleted one, not twice)."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage
    if message.author.bot or message.webhook_id is not None:
        raise UserError("Messages from bots and Harbor can't be reported; tell a moderator directly if needed.")
    if message.author.id == interaction.user.id:
        raise UserError("That's your own message; you can delete or edit it yourself.")
    await queue_channel_id(interaction, interaction.guild_id)
    await service(interaction).check_can_report(interaction.guild_id, interaction.user.id, message.id)
    try:
        await message.channel.fetch_message(message.id)
    except discord.NotFound:
        raise UserError("That message was already deleted, so there's nothing to report.") from None
    except discord.HTTPException:
        pass  # can't check (e.g. no history permission): report it anyway
    await interaction.response.send_modal(ReportModal(message.author.id, message.channel.id, message.id))


class Moderation(commands.Cog):
    """Warnings, timeouts, notes, restrictions, history, reports and appeals."""

    mod_group = app_commands.Group(
        name="mod",
        description="Moderation records and actions (moderators).",
        guild_only=True,
    )

    def __init__(self, bot: Harbor, svc: ModerationService) -> None:
        self.bot = bot
        self.svc = svc
        self.menu = app_commands.ContextMenu(name=REPORT_MENU, callback=self._menu)
        self.menu.guild_only = True
        self.menu.on_error = self._menu_error

    async def cog_load(self) -> None:
        """Add the message command."""
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Remove the message command."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def _menu(self, interaction: discord.Interaction[Harbor], message: discord.Message) -> None:
        await _report_menu(interaction, message)

    async def _menu_error(self, interaction: discord.Interaction[Harbor], error: app_commands.AppCommandError) -> None:
        from bot.errors import report

        await report(interaction, error, where="report menu")

    # -- /report ---------------------------------------------------------------------------------------

    @app_commands.command(name="report", description="Report a member to the moderators (privately).")
    @app_commands.describe(member="Who you're reporting; the moderators get your reason, the member is never told")
    @app_commands.guild_only()
    async def report(self, interaction: discord.Interaction[Harbor], member: discord.User) -> None:
        """Open the reason modal for something that is not one message."""
        assert interaction.guild_id is not None
        if member.bot:
            raise UserError("Bots (Harbor included) can't be reported.")
        if member.id == interaction.user.id:
            raise UserError("You can't report yourself.")
        await queue_channel_id(interaction, interaction.guild_id)
        await self.svc.check_can_report(interaction.guild_id, interaction.user.id, None)
        await interaction.response.send_modal(ReportModal(member.id, interaction.channel_id, None))

    # -- infractions -----------------------------------------------------------------------------------

    async def _act(
        self,
        interaction: discord.Interaction[Harbor],
        kind: str,
        member: discord.Member | discord.User,
        reason: str,
        *,
        expires: timedelta | None = None,
    ) -> tuple[discord.Member, ModCase]:
        assert interaction.guild_id is not None
        target = check_target(interaction, member)
        text = self.svc.reason(reason)
        until = self.svc.clock() + expires if expires else None
        if kind == "timeout":
            try:
                await target.edit(timed_out_until=until)
            except discord.Forbidden:
                raise UserError("Discord refused the timeout: Harbor's role must be above theirs.") from None
        case = await self.svc.infraction(
            interaction.guild_id,
            kind,
            subject_id=target.id,
            moderator_id=interaction.user.id,
            reason=text,
            channel_id=interaction.channel_id,
            expires_at=until,
        )
        return target, case

    async def _done(
        self, interaction: discord.Interaction[Harbor], case: ModCase, summary: str, *, notify: bool
    ) -> None:
        delivered = await send_notice(interaction, case) if notify else True
        suffix = "" if delivered else " Their DMs are closed, so they were not told."
        await interaction.response.send_message(f"{summary} (case #{case.number}).{suffix}", ephemeral=True)

    @mod_group.command(name="warn", description="Warn a member; they get the reason by DM with an Appeal button.")
    @app_commands.describe(member="Who to warn", reason="Why (at least 3 characters; the member sees it)")
    @moderator_only()
    async def warn(self, interaction: discord.Interaction[Harbor], member: discord.User, reason: str) -> None:
        """Record a warning and DM the notice."""
        target, case = await self._act(interaction, "warn", member, reason)
        await self._done(interaction, case, f"Warned <@{target.id}>", notify=True)

    @mod_group.command(name="timeout", description="Time a member out (Discord timeout, at most 28 days).")
    @app_commands.describe(
        member="Who to time out", duration="e.g. 10m, 2h, 7d (at most 28d)", reason="Why (the member sees it)"
    )
    @moderator_only()
    async def timeout(
        self,
        interaction: discord.Interaction[Harbor],
        member: discord.User,
        duration: app_commands.Transform[timedelta, Duration(maximum=TIMEOUT_MAX)],
        reason: str,
    ) -> None:
        """Apply the timeout on Discord (`communication_disabled_until`), then record it and DM the notice."""
        self.svc.reason(reason)
        target, case = await self._act(interaction, "timeout", member, reason, expires=duration)
        await self._done(interaction, case, f"Timed out <@{target.id}> for {format_duration(duration)}", notify=True)

    @mod_group.command(name="note", description="Add a private moderator note about a member (they are not told).")
    @app_commands.describe(member="Who the note is about", reason="The note (at least 3 characters)")
    @moderator_only()
    async def note(self, interaction: discord.Interaction[Harbor], member: discord.User, reason: str) -> None:
        """Record a note; no DM."""
        target, case = await self._act(interaction, "note", member, reason)
        await self._done(interaction, case, f"Noted on <@{target.id}>'s record", notify=False)

    @mod_group.command(name="restrict", description="Remove a member's case-discussion access until lifted.")
    @app_commands.describe(member="Who to restrict", reason="Why (the member sees it)")
    @moderator_only()
    async def restrict(self, interaction: discord.Interaction[Harbor], member: discord.User, reason: str) -> None:
        """Record the restriction, take the case-access role, DM the notice."""
        assert interaction.guild_id is not None
        target = check_target(interaction, member)
        self.svc.reason(reason)
        if await self.svc.is_restricted(interaction.guild_id, target.id):
            raise UserError(f"<@{target.id}> is already restricted; lift it first with `/mod unrestrict`.")
        role_id = await harbor_of(interaction).services.guild_config.role(interaction.guild_id, "case-access")
        took = False
        if role_id is not None and any(r.id == role_id for r in target.roles):
            try:
                await target.remove_roles(discord.Object(role_id), reason="Harbor: restricted")
                took = True
            except discord.Forbidden:
                raise UserError(
                    "Discord refused to remove the case-access role: Harbor's role must be above it."
                ) from None
        _, case = await self._act(interaction, "restrict", target, reason)
        if took and role_id is not None:
            await self.svc.note_removed_role(case.id, role_id)
        await self._done(interaction, case, f"Restricted <@{target.id}> from case discussion", notify=True)

    @mod_group.command(name="unrestrict", description="Lift a member's restriction and give case access back.")
    @app_commands.describe(member="Who to unrestrict", reason="Why (at least 3 characters)")
    @moderator_only()
    async def unrestrict(self, interaction: discord.Interaction[Harbor], member: discord.User, reason: str) -> None:
        """Lift the restriction; the case-access role comes back if the restriction took it."""
        assert interaction.guild_id is not None
        target, case = await self._act(interaction, "unrestrict", member, reason)
        role_id = await self.svc.role_to_restore(interaction.guild_id, target.id)
        note = ""
        if role_id is not None:
            try:
                await target.add_roles(discord.Object(role_id), reason="Harbor: restriction lifted")
            except discord.HTTPException:
                note = " I couldn't give the case-access role back; please add it by hand."
        await interaction.response.send_message(
            f"Lifted <@{target.id}>'s restriction (case #{case.number}).{note}", ephemeral=True
        )
        await harbor_of(interaction).services.notifier.dm(
            target.id,
            purpose="moderation unrestrict",
            guild_id=interaction.guild_id,
            content=f"Your case-discussion access in {interaction.guild.name if interaction.guild else 'the server'} "
            "was restored.",
        )

    @mod_group.command(name="history", description="A member's moderation records (moderators only, paged).")
    @app_commands.describe(member="Whose records", page="Page number (10 records each)")
    @moderator_only()
    async def history(
        self,
        interaction: discord.Interaction[Harbor],
        member: discord.User,
        page: app_commands.Range[int, 1, 10000] = 1,
    ) -> None:
        """Ephemeral, newest first, with Newer/Older buttons."""
        assert interaction.guild_id is not None
        shown = await HistoryButton.first(interaction, user_id=member.id, page=page - 1, direction="n")
        await interaction.response.send_message(**shown, ephemeral=True)

    @mod_group.command(name="reason", description="Change the reason of a case.")
    @app_commands.describe(case="The case number, e.g. 12", reason="The new reason (at least 3 characters)")
    @moderator_only()
    async def reason(
        self, interaction: discord.Interaction[Harbor], case: app_commands.Range[int, 1, 10_000_000], reason: str
    ) -> None:
        """Edit the stored reason; the mod log gets a line saying who changed it."""
        assert interaction.guild_id is not None
        updated = await self.svc.set_reason(interaction.guild_id, case, reason, by=interaction.user.id)
        await interaction.response.send_message(f"Case #{updated.number}'s reason is updated.", ephemeral=True)

    @mod_group.command(name="escalation", description="Show or change when repeated records notify moderators.")
    @app_commands.describe(
        kind="Record kind, e.g. warn or privacy_violation (leave empty to show the rules)",
        threshold="How many records (0 removes the rule)",
        days="Within how many days",
    )
    @admin_only()
    async def escalation(
        self,
        interaction: discord.Interaction[Harbor],
        kind: str | None = None,
        threshold: app_commands.Range[int, 0, 100] | None = None,
        days: app_commands.Range[int, 1, 3650] | None = None,
    ) -> None:
        """The server's escalation rule table (defaults: 3 privacy violations in 30 days, 3 warnings in 90)."""
        assert interaction.guild_id is not None
        modlog = self.svc.modlog
        if kind is None:
            rules = await modlog.rules(interaction.guild_id)
        elif threshold == 0:
            rules = await modlog.remove_rule(interaction.guild_id, check_rule(kind.strip().lower(), 1, 1).kind)
        else:
            if threshold is None or days is None:
                raise UserError("Give both `threshold` and `days`, e.g. `kind:warn threshold:3 days:90`.")
            rule = check_rule(kind.strip().lower(), threshold, days)
            rules = await modlog.set_rule(interaction.guild_id, rule)
        lines = [f"• {r.describe()} → notify moderators" for r in rules] or ["No escalation rules."]
        await interaction.response.send_message("**Escalation rules**\n" + "\n".join(lines), ephemeral=True)
