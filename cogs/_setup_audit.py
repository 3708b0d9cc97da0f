"""What `/setup check` inspects: Harbor's own permissions in every configured channel, and its roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import discord

# What Harbor does in each kind of channel, as the permissions it needs there. Attach Files where Harbor
# posts files with its messages (training handouts and calendar files, resource files, mod exports);
# Manage Messages and Manage Threads in the cases channel also cover its threads, which inherit them:
# Harbor deletes flagged replies there and locks and archives closed cases.
NEEDS: dict[str, tuple[str, ...]] = {
    "announcements": ("view_channel", "send_messages", "embed_links", "attach_files", "read_message_history"),
    "mod-log": ("view_channel", "send_messages", "embed_links", "attach_files"),
    "mod-queue": ("view_channel", "send_messages", "embed_links", "attach_files", "read_message_history"),
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
    "resources": ("view_channel", "send_messages", "embed_links", "attach_files"),
    "pairing": (
        "view_channel",
        "send_messages",
        "create_private_threads",
        "send_messages_in_threads",
        "manage_threads",
    ),
    "checkins": ("view_channel", "send_messages", "embed_links"),
}


# Private purposes (PRODUCT.md: "private purposes get private channels") and who should read them.
PRIVATE: dict[str, str] = {
    "mod-log": "moderators only: it holds moderation records",
    "mod-queue": "moderators only: it holds member reports",
    "cases": "the case-access role only: members read cases after accepting the agreement",
}


# Server-wide permissions and what Harbor needs them for.
SERVER_NEEDS: tuple[tuple[str, str], ...] = (
    ("moderate_members", "for `/mod timeout`"),
    ("manage_guild", "to keep Harbor's AutoMod rules (Manage Server)"),
    ("manage_events", "to mirror trainings as server events"),
)
LABELS = {"manage_guild": "Manage Server", "moderate_members": "Moderate Members (Timeout Members)"}


def _label(permission: str) -> str:
    return LABELS.get(permission, permission.replace("_", " ").title())


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
            findings.append(
                Finding(f"**{kind}** channel", "not set", f"`/setup channel kind:{kind}`, or Create in `/setup wizard`")
            )
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            findings.append(Finding(f"**{kind}** channel", "was deleted", f"`/setup channel kind:{kind}` again"))
            continue
        if kind in PRIVATE and channel.permissions_for(guild.default_role).view_channel:
            findings.append(
                Finding(
                    f"{channel.mention} ({kind})",
                    f"every member can see it; it should be for {PRIVATE[kind]}",
                    "Edit Channel → Permissions → @everyone: deny View Channel, then allow the roles that need it",
                )
            )
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
    for permission, what in SERVER_NEEDS:
        if not getattr(perms, permission):
            findings.append(
                Finding(
                    "server",
                    f"Harbor lacks {_label(permission)}",
                    f"needed {what}; Server Settings → Roles → Harbor: allow {_label(permission)}",
                )
            )
    if case_role_id is None:
        findings.append(
            Finding(
                "**case-access** role",
                "not set, so members can't join case discussion",
                "`/setup role kind:case-access`, or Create in `/setup wizard`",
            )
        )
    else:
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
