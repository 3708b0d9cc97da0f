"""`/case new`: the modal, the findings shown only to the author, and its buttons (in memory only)."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.cases import LABELS, LIMITS, CaseDraft, FieldFinding, make_draft, redacted
from bot.services.cases import PENDING_FOR, CaseService
from bot.ui import HarborModal, HarborView


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
        embed, view = findings_message(self.service, token, draft, findings)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


def findings_message(
    service: CaseService, token: str, draft: CaseDraft, findings: list[FieldFinding]
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
    return embed, FindingsView(service, token, findings)


class FindingsView(HarborView):
    """Post redacted / Edit / Not an identifier (one per finding, up to 20)."""

    def __init__(self, service: CaseService, token: str, findings: list[FieldFinding]) -> None:
        super().__init__(timeout=PENDING_FOR.total_seconds())
        self.service, self.token = service, token
        self.add_item(_Button("Post redacted", f"case:post:{token}", discord.ButtonStyle.primary, self._post))
        self.add_item(_Button("Edit", f"case:edit:{token}", discord.ButtonStyle.secondary, self._edit))
        for i, ff in enumerate(findings[:20]):
            self.add_item(
                _Button(
                    f"{i + 1}: not an identifier",
                    f"case:keep:{token}:{i}",
                    discord.ButtonStyle.secondary,
                    self._keeper(ff),
                )
            )

    async def _post(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        pending = self.service.pending.get(self.token, interaction.user.id)
        findings = await self.service.scan(pending.guild_id, pending.draft, frozenset(pending.keep))
        thread = await self.service.post(interaction.guild, interaction.user.id, redacted(pending.draft, findings))
        self.service.pending.drop(self.token)
        await self.service.record_overrides(pending.guild_id, interaction.user.id, thread.id, pending.overrides)
        await interaction.response.edit_message(
            content=f"Posted with identifiers redacted: {thread.mention}", embed=None, view=None
        )

    async def _edit(self, interaction: discord.Interaction) -> None:
        pending = self.service.pending.get(self.token, interaction.user.id)
        self.service.pending.drop(self.token)
        await interaction.response.send_modal(CaseModal(self.service, pending.draft))

    def _keeper(self, ff: FieldFinding) -> Any:
        async def keep(interaction: discord.Interaction) -> None:
            pending = self.service.pending.get(self.token, interaction.user.id)
            pending.keep.add(ff.finding.text)
            pending.overrides[ff.finding.kind] = pending.overrides.get(ff.finding.kind, 0) + 1
            remaining = await self.service.scan(pending.guild_id, pending.draft, frozenset(pending.keep))
            if not remaining:
                assert interaction.guild is not None
                thread = await self.service.post(interaction.guild, interaction.user.id, pending.draft)
                self.service.pending.drop(self.token)
                await self.service.record_overrides(pending.guild_id, interaction.user.id, thread.id, pending.overrides)
                await interaction.response.edit_message(content=f"Posted: {thread.mention}", embed=None, view=None)
                return
            embed, view = findings_message(self.service, self.token, pending.draft, remaining)
            await interaction.response.edit_message(embed=embed, view=view)

        return keep


class _Button(discord.ui.Button[FindingsView]):
    def __init__(self, label: str, custom_id: str, style: discord.ButtonStyle, action: Any) -> None:
        super().__init__(label=label, custom_id=custom_id, style=style)
        self.action = action

    async def callback(self, interaction: discord.Interaction) -> None:
        """Run the action (errors reach the member through HarborView.on_error)."""
        await self.action(interaction)
