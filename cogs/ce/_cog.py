"""`/ce …`: the Discord side of continuing education. Every reply is ephemeral: CE records are private."""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor
from bot.checks import admin_only
from bot.domain import ce
from bot.domain.certificates import PackFile, mib, safe_name, split_pack, zip_bytes
from bot.errors import UserError
from bot.services.ce import CeService, Upload
from bot.transformers import LocalDate
from cogs.ce._charts import ChartRenderer
from cogs.ce._format import (
    chart_bars,
    credential_label,
    export_file,
    export_rows,
    status_embed,
    template_lines,
)
from cogs.ce._views import ConfirmRemoveCredential, EntriesPager

log = logging.getLogger(__name__)

# Discord's smallest upload limit for bots is 10 MiB per message; a ZIP part stays well under it.
PACK_PART_LIMIT = 9 * 1024 * 1024
TEMPLATE_HELP = "Pick a template from the list (built-ins and this server's)"


class ContinuingEducation(commands.Cog):
    """Credentials, CE hours, progress, exports and reminders."""

    ce_group = app_commands.Group(
        name="ce", description="Continuing education: credentials, hours, progress.", guild_only=True
    )
    credential = app_commands.Group(
        name="credential", description="Your credentials and their cycles.", parent=ce_group
    )
    template = app_commands.Group(
        name="template", description="CE requirement templates (admins add and remove).", parent=ce_group
    )

    def __init__(self, service: CeService, charts: ChartRenderer) -> None:
        self.service = service
        self.charts = charts

    async def cog_unload(self) -> None:
        """Stop the chart worker."""
        self.charts.close()

    # -- autocomplete ------------------------------------------------------------------------------------

    async def _templates_ac(
        self, interaction: discord.Interaction[Harbor], current: str, *, server_only: bool = False
    ) -> list[app_commands.Choice[str]]:
        templates = await self.service.templates(interaction.guild_id)
        wanted = current.strip().lower()
        return [
            app_commands.Choice(
                name=f"{t.name[:60]} — {ce.hours_text(t.total)} h / {t.cycle_months} mo"
                + ("" if t.builtin else " (this server)"),
                value=str(t.id),
            )
            for t in templates
            if wanted in t.name.lower() and not (server_only and t.builtin)
        ][:25]

    async def _credentials_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.strip().lower()
        return [
            app_commands.Choice(name=credential_label(c)[:100], value=str(c.id))
            for c in await self.service.credentials(interaction.user.id)
            if wanted in credential_label(c).lower()
        ][:25]

    # -- credentials -------------------------------------------------------------------------------------

    @credential.command(name="add", description="Add a credential you hold; its cycle ends on the expiry date.")
    @app_commands.describe(
        template=TEMPLATE_HELP,
        expires="When it expires next, e.g. 2027-06-30 or 6/30/2027",
        number="Your credential number (private; only you see it)",
    )
    async def credential_add(
        self,
        interaction: discord.Interaction[Harbor],
        template: str,
        expires: app_commands.Transform[date, LocalDate("future")],
        number: str | None = None,
    ) -> None:
        """Validate and store; reminders are planned at once."""
        assert interaction.guild_id is not None
        standing = await self.service.add_credential(
            interaction.user.id, interaction.guild_id, template, expires, number
        )
        tz = await self.service.timezone(interaction.user.id)
        days = await self.service.lead_days(interaction.guild_id)
        text = (
            f"Added **{standing.credential.template.name}**, expiring {standing.credential.expires.isoformat()}. "
            f"Reminders come by DM at 09:00 ({tz}) {', '.join(map(str, days))} days before expiry while "
            "hours are missing."
        )
        await interaction.response.send_message(text, embed=status_embed(standing, tz), ephemeral=True)

    @credential_add.autocomplete("template")
    async def _credential_add_template(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._templates_ac(interaction, current)

    @credential.command(name="list", description="Your credentials.")
    async def credential_list(self, interaction: discord.Interaction[Harbor]) -> None:
        """Each credential with its cycle and number (only the caller sees this)."""
        credentials = await self.service.credentials(interaction.user.id)
        if not credentials:
            await interaction.response.send_message(
                "You have no credentials yet. Add one with `/ce credential add template:PA CRS expires:2027-06-30`.",
                ephemeral=True,
            )
            return
        lines = []
        for c in credentials:
            start = ce.cycle_start(c.expires, c.template.cycle_months)
            number = f" · no. {discord.utils.escape_markdown(c.number)}" if c.number else ""
            lines.append(f"**{c.template.name}** — cycle {start.isoformat()} → {c.expires.isoformat()}{number}")
        embed = discord.Embed(
            title="Your credentials", description="\n".join(lines)[:4096], colour=discord.Colour.teal()
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @credential.command(name="remove", description="Remove one of your credentials (asks first).")
    @app_commands.describe(credential="One of your credentials")
    async def credential_remove(self, interaction: discord.Interaction[Harbor], credential: str) -> None:
        """Ask for confirmation with a button."""
        found = await self.service.own_credential(interaction.user.id, credential)
        view = ConfirmRemoveCredential.ask(interaction.user.id, found.id)
        await interaction.response.send_message(
            f"Remove **{credential_label(found)}** and its reminders? Your CE entries are kept.",
            view=view,
            ephemeral=True,
        )

    @credential_remove.autocomplete("credential")
    async def _credential_remove_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._credentials_ac(interaction, current)

    # -- entries -----------------------------------------------------------------------------------------

    @ce_group.command(name="log", description="Log CE hours you completed.")
    @app_commands.describe(
        title="What it was, e.g. Ethics in peer support",
        hours="Hours in quarter steps, e.g. 1.5",
        day="When you completed it, e.g. 2026-05-01, 5/1/2026 or yesterday",
        category="A category your credentials require (or general)",
        provider="Who ran it, e.g. PCB or NAADAC",
        certificate="Certificate (PDF or image)",
    )
    @app_commands.rename(day="date")
    async def log_entry(
        self,
        interaction: discord.Interaction[Harbor],
        title: str,
        hours: float,
        day: app_commands.Transform[date, LocalDate("past")],
        category: str | None = None,
        provider: str | None = None,
        certificate: discord.Attachment | None = None,
    ) -> None:
        """Validate everything, store, and say where it counts."""
        cert = None
        if certificate is not None:
            # Everything is checked before downloading, so bad input is refused at once, nothing fetched:
            # the fields, then what Discord says of the file (type, 0 bytes, over 8 MB, over the quota).
            await self.service.check_entry(
                interaction.user.id, title=title, hours=hours, day=day, category=category, provider=provider
            )
            await self.service.check_upload(
                interaction.user.id, certificate.filename, certificate.content_type, certificate.size
            )
            await interaction.response.defer(ephemeral=True, thinking=True)  # a large download may pass 3 s
            try:
                data = await certificate.read()
            except discord.HTTPException:
                raise UserError("I could not download that attachment from Discord; attach it again.") from None
            cert = Upload(certificate.filename, certificate.content_type, certificate.url, data)
        entry_id, counted = await self.service.log_entry(
            interaction.user.id,
            title=title,
            hours=hours,
            day=day,
            category=category,
            provider=provider,
            certificate=cert,
        )
        entry = await self.service.entry(interaction.user.id, entry_id)
        assert entry is not None
        text = (
            f"Logged `#{entry_id}`: {ce.hours_text(entry.quarters)} h of {entry.category} on {entry.day.isoformat()}."
        )
        if cert is not None:
            text += f" Harbor keeps your certificate ({mib(len(cert.data))}); `/ce export format:zip` gives it back."
        if counted:
            text += "\nCounts toward: " + "; ".join(
                f"**{s.credential.template.name}** ({ce.hours_text(s.progress.earned)}/"
                f"{ce.hours_text(s.progress.required.total)} h{', requirements met ✅' if s.progress.met else ''})"
                for s in counted
            )
        else:
            text += "\nIt is outside the current cycle of every credential you hold, so it counts toward none yet."
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
            return
        await interaction.response.send_message(text, ephemeral=True)

    @log_entry.autocomplete("category")
    async def _log_category_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = ce.normalise_category(current)
        return [
            app_commands.Choice(name=c, value=c)
            for c in await self.service.categories_for(interaction.user.id)
            if wanted in c
        ][:25]

    @ce_group.command(name="remove", description="Remove one of your CE entries.")
    @app_commands.describe(entry="One of your entries")
    async def remove_entry(self, interaction: discord.Interaction[Harbor], entry: str) -> None:
        """Own entries only; reminders are re-planned."""
        found = await self.service.own_entry(interaction.user.id, entry)
        await self.service.remove_entry(interaction.user.id, found.id)
        await interaction.response.send_message(
            f"Removed `#{found.id}` ({ce.hours_text(found.quarters)} h on {found.day.isoformat()}).", ephemeral=True
        )

    @remove_entry.autocomplete("entry")
    async def _remove_entry_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        entries = await self.service.search_entries(interaction.user.id, current)
        return [
            app_commands.Choice(
                name=f"#{e.id} {e.day.isoformat()} {ce.hours_text(e.quarters)} h {e.title}"[:100], value=str(e.id)
            )
            for e in entries
        ]

    @ce_group.command(name="entries", description="Your CE entries, newest first (paged).")
    @app_commands.describe(credential="Only this credential's current cycle")
    async def entries(self, interaction: discord.Interaction[Harbor], credential: str | None = None) -> None:
        """The first page with Prev/Next buttons that keep working after a restart."""
        credential_id = (await self.service.own_credential(interaction.user.id, credential)).id if credential else 0
        page = await EntriesPager.first(interaction, owner=interaction.user.id, credential=credential_id)
        await interaction.response.send_message(**page, ephemeral=True)

    @entries.autocomplete("credential")
    async def _entries_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._credentials_ac(interaction, current)

    # -- status and export -------------------------------------------------------------------------------

    @ce_group.command(name="status", description="Your progress this cycle, per credential, with a chart.")
    @app_commands.describe(credential="Only this credential")
    async def status(self, interaction: discord.Interaction[Harbor], credential: str | None = None) -> None:
        """Embeds at once; the chart follows, rendered off the event loop."""
        chosen = (await self.service.own_credential(interaction.user.id, credential)).id if credential else None
        standings = await self.service.standings(interaction.user.id, chosen)
        if not standings:
            await interaction.response.send_message(
                "You have no credentials yet. Add one with `/ce credential add template:PA CRS expires:2027-06-30`.",
                ephemeral=True,
            )
            return
        tz = await self.service.timezone(interaction.user.id)
        embeds = [status_embed(s, tz) for s in standings[:10]]
        await interaction.response.send_message(embeds=embeds, ephemeral=True)
        png = await self.charts.render(chart_bars(standings[:10]))
        await interaction.followup.send(file=discord.File(io.BytesIO(png), filename="ce-progress.png"), ephemeral=True)

    @status.autocomplete("credential")
    async def _status_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._credentials_ac(interaction, current)

    @ce_group.command(
        name="export", description="Your current cycles: CSV, JSON, or a ZIP audit pack with certificates."
    )
    @app_commands.describe(format="csv (opens in spreadsheets), json, or zip (CSV + JSON + every certificate file)")
    async def export(
        self, interaction: discord.Interaction[Harbor], format: Literal["csv", "json", "zip"] = "csv"
    ) -> None:
        """One row per credential and entry of its current cycle, as an ephemeral file (ZIP parts when large)."""
        standings, by_credential = await self.service.cycle_entries(interaction.user.id)
        if not standings:
            await interaction.response.send_message(
                "There is nothing to export: add a credential first, e.g. "
                "`/ce credential add template:PA CRS expires:2027-06-30`.",
                ephemeral=True,
            )
            return
        entry_ids = sorted({e.id for entries in by_credential.values() for e in entries})
        stored = await self.service.stored_certificates(interaction.user.id, entry_ids)
        paths = {entry_id: f"certificates/{entry_id}-{safe_name(f.filename)}" for entry_id, f in stored.items()}
        rows = export_rows(interaction.user.display_name, standings, by_credential, paths)
        today = await self.service.today(interaction.user.id)
        stem = f"ce-audit-{today.isoformat()}"
        if format != "zip":
            file = discord.File(io.BytesIO(export_file(rows, format)), filename=f"{stem}.{format}")
            await interaction.response.send_message(
                f"Your CE export: {len(rows)} row(s) across {len(standings)} credential(s).", file=file, ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        files = [PackFile(f"{stem}.csv", export_file(rows, "csv")), PackFile(f"{stem}.json", export_file(rows, "json"))]
        for entry_id in entry_ids:
            if entry_id in stored:
                files.append(PackFile(paths[entry_id], await self.service.certificate_bytes(stored[entry_id].id)))
        parts = split_pack(files, PACK_PART_LIMIT)
        for number, part in enumerate(parts, start=1):
            name = f"{stem}.zip" if len(parts) == 1 else f"{stem}-part{number}of{len(parts)}.zip"
            note = (
                f"Your CE audit pack: {len(rows)} row(s) across {len(standings)} credential(s) and "
                f"{len(stored)} certificate file(s)."
                if number == 1
                else f"Audit pack, part {number} of {len(parts)} (more certificates)."
            )
            await interaction.followup.send(
                note, file=discord.File(io.BytesIO(zip_bytes(part)), filename=name), ephemeral=True
            )

    # -- templates ---------------------------------------------------------------------------------------

    @template.command(name="add", description="Add a CE template for this server (admins).")
    @app_commands.describe(
        name="e.g. NJ CPRS",
        cycle_months="Cycle length in months, e.g. 24",
        total_hours="Hours per cycle, e.g. 30",
        categories="Category minimums, e.g. ethics=6, confidentiality=3",
        renewal_window_days="How many days before expiry renewal opens (default 90)",
        source="Where the rules are published (a link)",
        last_verified="When you checked them against the source, e.g. 2026-05-01",
    )
    @admin_only()
    async def template_add(
        self,
        interaction: discord.Interaction[Harbor],
        name: str,
        cycle_months: int,
        total_hours: float,
        categories: str | None = None,
        renewal_window_days: int | None = None,
        source: str | None = None,
        last_verified: app_commands.Transform[date, LocalDate("past")] | None = None,
    ) -> None:
        """Validate everything before writing."""
        assert interaction.guild_id is not None
        added = await self.service.add_template(
            interaction.guild_id,
            name=name,
            cycle_months=cycle_months,
            total_hours=total_hours,
            categories=categories,
            window_days=renewal_window_days,
            source=source,
            last_verified=last_verified,
        )
        await interaction.response.send_message("Template added:\n" + template_lines([added])[0], ephemeral=True)

    @template.command(name="list", description="CE templates: built-ins and this server's, with sources.")
    async def template_list(self, interaction: discord.Interaction[Harbor]) -> None:
        """Everyone may read the templates and their sources."""
        blocks = template_lines(await self.service.templates(interaction.guild_id))
        embed = discord.Embed(
            title="CE templates", description="\n\n".join(blocks)[:4096], colour=discord.Colour.teal()
        )
        embed.set_footer(text="Requirements change: verify with your board.")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @template.command(name="remove", description="Remove one of this server's CE templates (admins).")
    @app_commands.describe(template="One of this server's templates")
    @admin_only()
    async def template_remove(self, interaction: discord.Interaction[Harbor], template: str) -> None:
        """Built-ins and templates in use are refused."""
        assert interaction.guild_id is not None
        removed = await self.service.remove_template(interaction.guild_id, template)
        await interaction.response.send_message(f"Template “{removed.name}” removed.", ephemeral=True)

    @template_remove.autocomplete("template")
    async def _template_remove_ac(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._templates_ac(interaction, current, server_only=True)

    # -- keeping reminders in step -----------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_harbor_timezone_changed(self, user_id: int) -> None:
        """A new `/profile timezone` moves the member's reminders to 09:00 in the new zone."""
        await self.service.replan_user(user_id)

    @commands.Cog.listener()
    async def on_harbor_reminders_changed(self, guild_id: int) -> None:
        """`/setup reminders` changed the server's lead days: re-plan its credentials."""
        await self.service.reconcile_guild(guild_id)
