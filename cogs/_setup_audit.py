"""What `/setup check` inspects: Harbor's own permissions in every configured channel, and its roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import discord

# What Harbor does in each kind of channel, as the permissions it needs there.
NEEDS: dict[str, tuple[str, ...]] = {
    "announcements": ("view_channel", "send_messages", "embed_links", "read_message_history"),
    "mod-log": ("view_channel", "send_messages", "embed_links"),
    "mod-queue": ("view_channel", "send_messages", "embed_links", "read_message_history"),
    "cases": (
        "view_channel",
        "send_messages",
        "embed_links",
        "create_public_threads",
        "create_private_threads",
        "send_messages_in_threads",
        "manage_threads",
        "manage_messages",
        "read_message_history",
    ),
    "resources": ("view_channel", "send_messages", "embed_links"),
    "pairing": (
        "view_channel",
        "send_messages",
        "create_private_threads",
        "send_messages_in_threads",
        "manage_threads",
    ),
    "checkins": ("view_channel", "send_messages", "embed_links"),
}


def _label(permission: str) -> str:
    return permission.replace("_", " ").title()


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the check: what is wrong and how to fix it (empty `problem` means all good)."""

    subject: str
    problem: str
    fix: str


def audit(guild: discord.Guild, channels: Mapping[str, int], case_role_id: int | None) -> list[Finding]:
    """Every missing permission for the configured channels and roles; an empty list means all good."""
    me = guild.me
    findings: list[Finding] = []
    for kind, needed in NEEDS.items():
        channel_id = channels.get(kind)
        if channel_id is None:
            findings.append(Finding(f"**{kind}** channel", "not set", f"`/setup channel kind:{kind}`"))
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            findings.append(Finding(f"**{kind}** channel", "was deleted", f"`/setup channel kind:{kind}` again"))
            continue
        have = channel.permissions_for(me)
        missing = [p for p in needed if not getattr(have, p)]
        if missing:
            names = ", ".join(_label(p) for p in missing)
            findings.append(
                Finding(
                    f"{channel.mention} ({kind})",
                    f"Harbor lacks {names}",
                    "Edit Channel → Permissions → add Harbor's role and allow them",
                )
            )
    perms = me.guild_permissions
    if not perms.moderate_members:
        findings.append(
            Finding("server", "Harbor lacks Moderate Members", "needed for `/mod timeout`; allow it on Harbor's role")
        )
    if case_role_id is not None:
        role = guild.get_role(case_role_id)
        if role is None:
            findings.append(Finding("case-access role", "was deleted", "`/setup role kind:case-access` again"))
        elif not perms.manage_roles:
            findings.append(
                Finding("case-access role", "Harbor lacks Manage Roles", "allow Manage Roles on Harbor's role")
            )
        elif role >= me.top_role:
            findings.append(
                Finding(
                    f"{role.mention} (case-access)",
                    "is above Harbor's own role, so Harbor can't grant it",
                    "Server Settings → Roles: drag Harbor's role above it",
                )
            )
    return findings
