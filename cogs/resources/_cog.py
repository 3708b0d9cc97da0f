"""/resource: add, search, show, tags, edit, remove, bookmarks, import and export."""

from __future__ import annotations

import csv
import gzip
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor
from bot.checks import admin_only, is_moderator
from bot.domain.clock import Clock
from bot.domain.resources import CSV_MAX_BYTES, CSV_MAX_ROWS, TAG_MAX
from bot.errors import UserError
from bot.services.resources import ImportReport, ResourceService
from cogs.resources._buttons import ConfirmRemove, ResultsPager, search_key
from cogs.resources._modals import ResourceModal
from cogs.resources._ui import clip, resource_embed, results_embed

EXPORT_PLAIN_MAX = 8 * 1024 * 1024
REPORT_LINES = 12


def _guild(interaction: discord.Interaction[Harbor]) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage
    return interaction.guild_id


def _report_text(report: ImportReport) -> str:
    parts = [f"Imported **{len(report.imported)}** resource{'s' * (len(report.imported) != 1)}."]
    if report.duplicates:
        rows = ", ".join(f"row {row} (= {what})" for row, what in report.duplicates[:REPORT_LINES])
        more = f" and {len(report.duplicates) - REPORT_LINES} more" if len(report.duplicates) > REPORT_LINES else ""
        parts.append(
            f"Skipped **{len(report.duplicates)}** duplicate{'s' * (len(report.duplicates) != 1)}: {rows}{more}."
        )
    if report.refused:
        lines = "\n".join(f"• row {row}: {clip(why, 140)}" for row, why in report.refused[:REPORT_LINES])
        more = f"\n…and {len(report.refused) - REPORT_LINES} more" if len(report.refused) > REPORT_LINES else ""
        parts.append(f"Refused **{len(report.refused)}** row{'s' * (len(report.refused) != 1)}:\n{lines}{more}")
    if report.duplicates or report.refused:
        parts.append("The attached report lists every row that was not imported.")
    return clip("\n".join(parts), 2000)


def _report_file(report: ImportReport) -> discord.File:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["row", "outcome", "detail"])
    writer.writerows((row, "duplicate", what) for row, what in report.duplicates)
    writer.writerows((row, "refused", why) for row, why in report.refused)
    return discord.File(io.BytesIO(out.getvalue().encode()), filename="import-report.csv")


class Resources(commands.Cog):
    """The curated resource library."""

    resource = app_commands.Group(
        name="resource", description="The network's curated library of resources.", guild_only=True
    )

    def __init__(self, service: ResourceService, clock: Clock) -> None:
        self.service = service
        self.clock = clock

    # -- autocomplete ------------------------------------------------------------------------------

    async def _id_choices(
        self, interaction: discord.Interaction[Harbor], current: Any
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        typed = str(current or "").strip().lstrip("#")
        found = await self.service.titles(interaction.guild_id, typed)
        if typed.isascii() and typed.isdigit() and len(typed) < 19:
            exact = await self.service.find_visible(interaction.guild_id, int(typed))
            if exact is not None:
                found = [(exact.id, exact.title), *[f for f in found if f[0] != exact.id]][:25]
        return [app_commands.Choice(name=clip(f"#{rid} · {title}", 100), value=rid) for rid, title in found]

    async def _title_choices(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        found = await self.service.titles(interaction.guild_id, current)
        return [app_commands.Choice(name=clip(title, 100), value=clip(title, 100)) for _, title in found]

    async def _tag_choices(
        self, interaction: discord.Interaction[Harbor], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        typed = current.strip().lower()
        tags = await self.service.tag_counts(interaction.guild_id)
        return [
            app_commands.Choice(name=f"{tag} ({count})", value=tag) for tag, count in tags if tag.startswith(typed)
        ][:25]

    # -- adding and reading ------------------------------------------------------------------------

    @resource.command(name="add", description="Suggest a resource for the library (a form opens).")
    async def add(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the submission modal."""
        _guild(interaction)
        await interaction.response.send_modal(ResourceModal(self.service))

    @resource.command(name="search", description="Search the library.")
    @app_commands.describe(query="Words to look for (titles count most)", tag="Only entries with this tag")
    async def search(
        self,
        interaction: discord.Interaction[Harbor],
        query: app_commands.Range[str, 1, 200],
        tag: app_commands.Range[str, 1, TAG_MAX] | None = None,
    ) -> None:
        """Ranked results, five per page, with paging buttons (only you see them)."""
        _guild(interaction)
        tag_key, text = search_key(query, tag)
        await interaction.response.send_message(
            **await ResultsPager.first(interaction, tag=tag_key, query=text), ephemeral=True
        )

    search.autocomplete("query")(_title_choices)
    search.autocomplete("tag")(_tag_choices)

    @resource.command(name="show", description="Show one resource (posted here, to share it).")
    @app_commands.rename(resource_id="id")
    @app_commands.describe(resource_id="The resource's number, or start typing its title")
    async def show(self, interaction: discord.Interaction[Harbor], resource_id: app_commands.Range[int, 1]) -> None:
        """The entry's card, visible to the channel."""
        resource = await self.service.visible(_guild(interaction), resource_id)
        await interaction.response.send_message(embed=resource_embed(resource))

    @resource.command(name="tags", description="Every tag in the library, with how many entries carry it.")
    async def tags(self, interaction: discord.Interaction[Harbor]) -> None:
        """Tags with counts, commonest first."""
        counts = await self.service.tag_counts(_guild(interaction))
        text = " · ".join(f"`{tag}` {count}" for tag, count in counts) or "The library has no entries yet."
        embed = discord.Embed(title="Library tags", description=clip(text, 4096), colour=discord.Colour.teal())
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # -- changing ----------------------------------------------------------------------------------

    @resource.command(name="edit", description="Edit a resource you added (moderators: any).")
    @app_commands.rename(resource_id="id")
    async def edit(self, interaction: discord.Interaction[Harbor], resource_id: app_commands.Range[int, 1]) -> None:
        """Open the modal pre-filled with the entry."""
        resource = await self.service.editable(
            _guild(interaction), resource_id, interaction.user.id, moderator=await is_moderator(interaction)
        )
        await interaction.response.send_modal(ResourceModal(self.service, editing=resource))

    @resource.command(name="remove", description="Remove a resource you added (moderators: any).")
    @app_commands.rename(resource_id="id")
    async def remove(self, interaction: discord.Interaction[Harbor], resource_id: app_commands.Range[int, 1]) -> None:
        """Ask for confirmation with a button."""
        resource = await self.service.removable(
            _guild(interaction), resource_id, interaction.user.id, moderator=await is_moderator(interaction)
        )
        view = ConfirmRemove.ask(resource.id, interaction.user.id)
        await interaction.response.send_message(
            f"Remove **#{resource.id}** “{clip(resource.title, 150)}” from the library? Bookmarks of it go too.",
            view=view,
            ephemeral=True,
        )

    # -- bookmarks ---------------------------------------------------------------------------------

    @resource.command(name="save", description="Bookmark a resource (private).")
    @app_commands.rename(resource_id="id")
    async def save(self, interaction: discord.Interaction[Harbor], resource_id: app_commands.Range[int, 1]) -> None:
        """Add a private bookmark."""
        resource, new = await self.service.save(_guild(interaction), interaction.user.id, resource_id)
        text = "Saved" if new else "Already in your bookmarks"
        await interaction.response.send_message(
            f"{text}: **#{resource.id}** {clip(resource.title, 150)}. See them with `/resource saved`.", ephemeral=True
        )

    @resource.command(name="unsave", description="Remove a bookmark.")
    @app_commands.rename(resource_id="id")
    async def unsave(self, interaction: discord.Interaction[Harbor], resource_id: app_commands.Range[int, 1]) -> None:
        """Remove a private bookmark."""
        _guild(interaction)
        await self.service.unsave(interaction.user.id, resource_id)
        await interaction.response.send_message(f"Removed #{resource_id} from your bookmarks.", ephemeral=True)

    @resource.command(name="saved", description="Your bookmarks (only you see them).")
    async def saved(self, interaction: discord.Interaction[Harbor]) -> None:
        """The caller's bookmarks in this server."""
        marks = await self.service.bookmarks(interaction.user.id, _guild(interaction))
        embed = results_embed(
            f"Your bookmarks ({len(marks)})",
            [m.resource for m in marks[:20]],
            page=0,
            empty="No bookmarks yet. Save one with `/resource save <id>`.",
        )
        if len(marks) > 20:
            embed.set_footer(text=f"Showing the 20 newest of {len(marks)}.")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # -- admin -------------------------------------------------------------------------------------

    @resource.command(name="import", description="Admins: import resources from a CSV (title,url,description,tags).")
    @app_commands.describe(file=f"A UTF-8 CSV file, at most 1 MB and {CSV_MAX_ROWS:,} rows")
    @admin_only()
    async def import_(self, interaction: discord.Interaction[Harbor], file: discord.Attachment) -> None:
        """Validate the file, import the new valid rows, and report duplicates and refusals by row."""
        guild_id = _guild(interaction)
        if file.size > CSV_MAX_BYTES:
            raise UserError(
                f"The file is {file.size / 1024 / 1024:.1f} MB; the limit is 1 MB "
                f"({CSV_MAX_ROWS:,} rows). Split it and import the parts."
            )
        if not file.filename.lower().endswith(".csv"):
            raise UserError("Attach a .csv file with the columns title,url,description,tags.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        report = await self.service.import_csv(guild_id, interaction.user.id, data)
        kwargs: dict[str, Any] = {}
        if report.duplicates or report.refused:
            kwargs["file"] = _report_file(report)
        await interaction.followup.send(_report_text(report), ephemeral=True, **kwargs)

    @resource.command(name="export", description="Admins: download the approved library as CSV.")
    @admin_only()
    async def export(self, interaction: discord.Interaction[Harbor]) -> None:
        """A CSV of every approved entry (gzip-compressed when it is very large)."""
        guild_id = _guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        data, count = await self.service.export_csv(guild_id)
        name = f"resources-{self.clock():%Y%m%d}.csv"
        if len(data) > EXPORT_PLAIN_MAX:
            data, name = gzip.compress(data), name + ".gz"
        await interaction.followup.send(
            f"The library: {count} approved resource{'s' * (count != 1)}.",
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
        )

    show.autocomplete("resource_id")(_id_choices)
    edit.autocomplete("resource_id")(_id_choices)
    remove.autocomplete("resource_id")(_id_choices)
    save.autocomplete("resource_id")(_id_choices)
    unsave.autocomplete("resource_id")(_id_choices)
