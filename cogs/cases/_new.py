"""`/case new`: the modal, the findings shown only to the author, and its buttons.

The draft lives in memory only (`CaseService.pending`, at most 15 minutes). The buttons are `IdButton`s
whose custom id carries the draft's random token, so a click after a restart — or after the draft
expired — gets a clear "that draft expired" instead of a failed interaction; nothing else is in the id.
"""

from __future__ import annotations

import discord

from bot.app import feature_of
from bot.domain.cases import LABELS, LIMITS, CaseDraft, FieldFinding, make_draft, redacted
from bot.domain.errors import HarborError
from bot.services.cases import PENDING_FOR, CaseService
from bot.ui import HarborModal, IdButton, guarded

MAX_KEEP_BUTTONS = 20  # five rows of buttons, minus Post and Edit, leaves room for 20


class CaseModal(HarborModal, title="New case"):
    """Title, situation, what has been tried, question, anonymous."""

    def __init__(self, service: CaseService, draft: CaseDraft | None = None) -> None:
        super().__init__()
        self.service = service
        self.case_title: discord.ui.TextInput[CaseModal] = discord.ui.TextInput(
            label=LABELS["title"], max_length=LIMITS["title"], custom_id="case:title"
        )
        self.situation: discord.ui.TextInput[CaseModal] = discord.ui.TextInput(
            label=LABELS["situation"],
            style=discord.TextStyle.paragraph,
            max_length=LIMITS["situation"],
            custom_id="case:situation",
            placeholder="No names, places, dates or numbers that could identify anyone.",
        )
        self.tried: discord.ui.TextInput[CaseModal] = discord.ui.TextInput(
            label=LABELS["tried"],
            style=discord.TextStyle.paragraph,
            max_length=LIMITS["tried"],
            required=False,
            custom_id="case:tried",
        )
        self.question: discord.ui.TextInput[CaseModal] = discord.ui.TextInput(
            label=LABELS["question"],
            style=discord.TextStyle.paragraph,
            max_length=LIMITS["question"],
            custom_id="case:question",
        )
        self.anonymous: discord.ui.TextInput[CaseModal] = discord.ui.TextInput(
            label="Post anonymously? (yes / no)",
            max_length=10,
            required=False,
            default="no",
            custom_id="case:anonymous",
        )
        if draft is not None:
            self.case_title.default, self.situation.default = draft.title, draft.situation
            self.tried.default, self.question.default = draft.tried, draft.question
            self.anonymous.default = "yes" if draft.anonymous else "no"
        for item in (self.case_title, self.situation, self.tried, self.question, self.anonymous):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Scan every field; post when clean, otherwise show the findings to the author only."""
        assert interaction.guild is not None
        draft = make_draft(
            self.case_title.value, self.situation.value, self.tried.value, self.question.value, self.anonymous.value
        )
        await self.service.cases_channel(interaction.guild)  # refuse before holding anything
        findings = await self.service.scan(interaction.guild.id, draft)
        if not findings:
            thread = await self.service.post(interaction.guild, interaction.user.id, draft)
            await interaction.response.send_message(f"Your case is posted: {thread.mention}", ephemeral=True)
            return
        token = self.service.pending.put(interaction.user.id, interaction.guild.id, draft)
        embed, view = findings_message(token, draft, findings)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


def findings_message(
    token: int, draft: CaseDraft, findings: list[FieldFinding]
) -> tuple[discord.Embed, discord.ui.View]:
    """What only the author sees: each finding (kind, fragment, why) and the redacted version, with buttons."""
    lines = [
        f"**{i}.** {LABELS[ff.field]} — {ff.finding.kind}: “{ff.finding.text}” ({ff.finding.reason})"
        for i, ff in enumerate(findings, 1)
    ]
    clean = redacted(draft, findings)
    embed = discord.Embed(
        title="Before this is posted: possible identifiers",
        description=("\n".join(lines))[:2000]
        + f"\n\n**Redacted version**\n**{clean.title}**\n{clean.situation}"[:1900],
        colour=discord.Colour.orange(),
    )
    minutes = int(PENDING_FOR.total_seconds() // 60)
    embed.set_footer(
        text=f"Only you see this. Nothing is posted or stored yet; the draft is forgotten in {minutes} min."
    )
    view = discord.ui.View(timeout=None)
    view.add_item(PostRedactedButton(token))
    view.add_item(EditButton(token))
    for i in range(min(len(findings), MAX_KEEP_BUTTONS)):
        view.add_item(KeepButton(token * MAX_KEEP_BUTTONS + i))
    return embed, view


class PostRedactedButton(IdButton, prefix="harbor:case:post"):
    """Post the draft with every remaining finding replaced by its kind."""

    label = "Post redacted"
    style = discord.ButtonStyle.primary

    @guarded("case post redacted")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Re-scan (the author may have kept some fragments), redact the rest and post."""
        assert interaction.guild is not None
        service = feature_of(interaction, CaseService)
        pending = service.pending.get(self.item_id, interaction.user.id)
        findings = await service.scan(pending.guild_id, pending.draft, frozenset(pending.keep))
        thread = await service.post(interaction.guild, interaction.user.id, redacted(pending.draft, findings))
        service.pending.drop(self.item_id)
        await service.record_overrides(pending.guild_id, interaction.user.id, thread.id, pending.overrides)
        await interaction.response.edit_message(
            content=f"Posted with identifiers redacted: {thread.mention}", embed=None, view=None
        )


class EditButton(IdButton, prefix="harbor:case:edit"):
    """Open the modal again, prefilled with the draft."""

    label = "Edit"

    @guarded("case edit")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Drop the held draft and reopen the modal with its text."""
        service = feature_of(interaction, CaseService)
        pending = service.pending.get(self.item_id, interaction.user.id)
        service.pending.drop(self.item_id)
        await interaction.response.send_modal(CaseModal(service, pending.draft))


class KeepButton(IdButton, prefix="harbor:case:keep"):
    """The “Not an identifier” button of one finding: its id is token × 20 + the finding's place in the list."""

    def label_for(self, item_id: int) -> str:
        """For example “3: not an identifier”."""
        return f"{item_id % MAX_KEEP_BUTTONS + 1}: not an identifier"

    @guarded("case keep fragment")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Keep the fragment as written (recorded as kind and count only); post once nothing is left."""
        assert interaction.guild is not None
        service = feature_of(interaction, CaseService)
        token, index = divmod(self.item_id, MAX_KEEP_BUTTONS)
        pending = service.pending.get(token, interaction.user.id)
        findings = await service.scan(pending.guild_id, pending.draft, frozenset(pending.keep))
        if index >= len(findings):
            raise HarborError("That finding was already handled; use the buttons of the newest message.")
        finding = findings[index].finding
        pending.keep.add(finding.text)
        pending.overrides[finding.kind] = pending.overrides.get(finding.kind, 0) + 1
        remaining = await service.scan(pending.guild_id, pending.draft, frozenset(pending.keep))
        if remaining:
            embed, view = findings_message(token, pending.draft, remaining)
            await interaction.response.edit_message(embed=embed, view=view)
            return
        thread = await service.post(interaction.guild, interaction.user.id, pending.draft)
        service.pending.drop(token)
        await service.record_overrides(pending.guild_id, interaction.user.id, thread.id, pending.overrides)
        await interaction.response.edit_message(content=f"Posted: {thread.mention}", embed=None, view=None)


DRAFT_BUTTONS = (PostRedactedButton, EditButton, KeepButton)
