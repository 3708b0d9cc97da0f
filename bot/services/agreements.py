"""The confidentiality-agreement gate: publish versions, accept them, and check access to `/case`."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.db.cases import AgreementRepository, AgreementVersion
from bot.domain.clock import Clock
from bot.domain.errors import HarborError
from bot.services.guild_config import GuildConfig
from bot.services.moderation import ModerationService
from bot.services.notify import Notifier

log = logging.getLogger(__name__)

AGREEMENT_MAX = 4000
NOT_AGREED = "Case discussion needs the server's current confidentiality agreement: run `/agreement` and agree first."


class AgreementService:
    """Versions of each server's agreement, who accepted which, and the case-access role that follows."""

    def __init__(
        self,
        repo: AgreementRepository,
        config: GuildConfig,
        notifier: Notifier,
        clock: Clock,
        moderation: ModerationService | None = None,
    ) -> None:
        self.repo = repo
        self.config = config
        self.notifier = notifier
        self.clock = clock
        self.moderation = moderation

    async def current(self, guild_id: int) -> AgreementVersion | None:
        """The version members must accept now."""
        return await self.repo.current(guild_id)

    async def publish(self, guild_id: int, body: str, *, by: int) -> tuple[int, list[int]]:
        """Store a new version; return it and the members who held an older one (they must agree again)."""
        body = body.strip()
        if not body:
            raise HarborError("The agreement is empty; write what members agree to.")
        if len(body) > AGREEMENT_MAX:
            raise HarborError(f"The agreement is too long ({len(body)} characters; at most {AGREEMENT_MAX}).")
        version = await self.repo.publish(guild_id, body, by=by, now=self.clock())
        return version, await self.repo.accepted_before(guild_id, version)

    async def revoke_and_notify(self, guild: discord.Guild, version: int, user_ids: list[int]) -> int:
        """Take the case-access role from members who have not accepted `version`; DM each. Returns DMs sent."""
        role_id = await self.config.role(guild.id, "case-access")
        sent = 0
        for user_id in user_ids:
            if role_id is not None:
                try:
                    await guild._state.http.remove_role(guild.id, user_id, role_id, reason="new agreement version")
                except discord.NotFound:
                    pass  # left the server, or the role is gone
                except discord.HTTPException as exc:
                    log.warning("could not remove case-access role from %s in %s (%s)", user_id, guild.id, exc.code)
            message = await self.notifier.dm(
                user_id,
                purpose="agreement_version",
                guild_id=guild.id,
                content=(
                    f"**{guild.name}** published version {version} of its confidentiality agreement. Your access to "
                    "case discussion is paused until you read it and agree again with `/agreement` in the server."
                ),
            )
            sent += message is not None
        return sent

    async def accept(self, member: discord.Member, version: int) -> None:
        """Record that the member accepted `version` (must be current) and grant the case-access role."""
        guild = member.guild
        current = await self.repo.current(guild.id)
        if current is None or current.version != version:
            raise HarborError("A newer version of the agreement was published; run `/agreement` again to read it.")
        # A restriction outlives agreement versions: agreeing again must not hand the role back.
        if self.moderation is not None and await self.moderation.is_restricted(guild.id, member.id):
            raise HarborError(
                "Your case access is restricted by the moderators, so agreeing can't restore it. "
                "You can appeal from the notice Harbor sent you by DM. Nothing was recorded."
            )
        role_id = await self.config.role(guild.id, "case-access")
        if role_id is None:
            raise HarborError("No case-access role is set up yet; ask an admin to run `/setup role case-access`.")
        role = guild.get_role(role_id)
        if role is None:
            raise HarborError("The case-access role no longer exists; ask an admin to run `/setup role case-access`.")
        try:
            await member.add_roles(role, reason=f"accepted agreement v{version}")
        except discord.Forbidden:
            raise HarborError(
                "Harbor can't give you the case-access role (its role must be above it with Manage Roles); "
                "an admin can fix it with `/setup check`. Nothing was recorded."
            ) from None
        await self.repo.accept(guild.id, member.id, version, self.clock())

    async def has_current(self, guild_id: int, user_id: int) -> bool:
        """Whether the member accepted the current version."""
        current = await self.repo.current(guild_id)
        return current is not None and await self.repo.has_accepted(guild_id, user_id, current.version)

    async def require(self, guild_id: int, user_id: int) -> None:
        """Refuse (HarborError pointing to `/agreement`) unless the member accepted the current version."""
        if not await self.has_current(guild_id, user_id):
            raise HarborError(NOT_AGREED)

    # -- /mydata ----------------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> list[dict[str, Any]]:
        """The member's acceptances (`/mydata export`)."""
        return await self.repo.export_for_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Erase the member's acceptances (`/mydata delete`)."""
        return await self.repo.delete_for_user(user_id)
