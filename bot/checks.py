"""Permission checks: predicates, and decorators that also set `default_permissions`.

Roles come from `/setup role`; Discord permissions are the fallback (Manage Server for admins,
Moderate Members for moderators). `default_permissions` only hides top-level commands from members in
Discord's UI (a server can override it), so every command also runs the predicate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.errors import PermissionDenied

if TYPE_CHECKING:
    from bot.app import Harbor

T = TypeVar("T")


def _member(interaction: discord.Interaction[Any]) -> discord.Member | None:
    user = interaction.user
    return user if isinstance(user, discord.Member) else None


def is_admin(interaction: discord.Interaction[Any]) -> bool:
    """Manage Server (or Administrator) in this guild."""
    member = _member(interaction)
    return bool(member and (member.guild_permissions.manage_guild or member.guild_permissions.administrator))


# The predicates take `Interaction[Any]`: buttons and modals call them too, and discord.py types component
# callbacks over any client. Command checks (`_guarded`) see `Interaction[Harbor]`.
async def _has_role(interaction: discord.Interaction[Any], kind: str) -> bool:
    member = _member(interaction)
    if member is None or interaction.guild_id is None:
        return False
    from bot.app import harbor_of  # bot.app loads the cogs that import this module

    role_id = await harbor_of(interaction).services.guild_config.role(interaction.guild_id, kind)
    return role_id is not None and any(r.id == role_id for r in member.roles)


async def is_moderator(interaction: discord.Interaction[Any]) -> bool:
    """Admin, Moderate Members, or the configured moderator role."""
    member = _member(interaction)
    if member is None:
        return False
    if is_admin(interaction) or member.guild_permissions.moderate_members:
        return True
    return await _has_role(interaction, "moderator")


async def is_trainer(interaction: discord.Interaction[Any]) -> bool:
    """Admin or the configured trainer role."""
    return is_admin(interaction) or await _has_role(interaction, "trainer")


async def is_trusted(interaction: discord.Interaction[Any]) -> bool:
    """Moderator or the configured trusted role (publishes resources directly)."""
    return await is_moderator(interaction) or await _has_role(interaction, "trusted")


ROLE_ATTRIBUTE = "__harbor_role__"
"""Set on a command callback by the decorators below: the least role that may run it."""


def _guarded(
    predicate: Callable[[discord.Interaction[Harbor]], Any], refusal: str, role: str, **perms: bool
) -> Callable[[T], T]:
    async def check(interaction: discord.Interaction[Harbor]) -> bool:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage
        result = predicate(interaction)
        if hasattr(result, "__await__"):
            result = await result
        if not result:
            raise PermissionDenied(refusal)
        return True

    def decorator(func: T) -> T:
        setattr(func, ROLE_ATTRIBUTE, role)
        func = app_commands.check(check)(func)
        func = app_commands.default_permissions(**perms)(func)
        return app_commands.guild_only()(func)

    return decorator


def admin_only() -> Callable[[T], T]:
    """Only members with Manage Server."""
    return _guarded(is_admin, "Only server admins (Manage Server permission) can do that.", "admin", manage_guild=True)


def moderator_only() -> Callable[[T], T]:
    """Only moderators (role, Moderate Members, or admin)."""
    return _guarded(
        is_moderator,
        "Only moderators can do that (the moderator role or Moderate Members permission).",
        "moderator",
        moderate_members=True,
    )


def trainer_only() -> Callable[[T], T]:
    """Only trainers (role) or admins."""
    return _guarded(
        is_trainer, "Only trainers (the trainer role) or admins can do that.", "trainer", manage_events=True
    )
