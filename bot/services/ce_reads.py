"""What the CE cog reads through its service, and the certificate files CE entries keep.

A base of `CeService` (kept apart so `bot/services/ce.py` stays readable): thin reads the Discord side
needs, so no cog reaches a repository, and the rules for certificate files — type, 8 MB cap, per-member
quota — with their storage in `certificate_files` (covered by `harbor backup`, unlike Discord's URLs).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.db.ce import CeEntry, CeRepository, Credential, Template
from bot.db.certificates import CertificateRepository, StoredFile
from bot.db.core import ProfileRepository
from bot.domain.certificates import check_size, sha256
from bot.domain.clock import Clock
from bot.errors import UserError
from bot.services.guild_config import GuildConfig

CERT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic", "image/heif")
CERTIFICATES_INLINE = 4 * 1024 * 1024  # /mydata export carries the files themselves up to this total
CERT_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".heif")


class CeReads:
    """Reads for the cog and certificate-file rules; `CeService` sets the attributes."""

    _repo: CeRepository
    certificates: CertificateRepository
    profiles: ProfileRepository
    config: GuildConfig
    clock: Clock

    async def templates(self, guild_id: int | None) -> list[Template]:
        """Templates visible in a server (built-ins first)."""
        return await self._repo.templates(guild_id)

    async def credentials(self, user_id: int) -> list[Credential]:
        """A member's credentials, soonest expiry first."""
        return await self._repo.credentials(user_id)

    async def credential(self, credential_id: int) -> Credential | None:
        """One credential by id (callers check it is the member's own)."""
        return await self._repo.credential(credential_id)

    async def count_entries(self, user_id: int, *, start: date | None = None, end: date | None = None) -> int:
        """How many entries a member has, optionally within dates."""
        return await self._repo.count_entries(user_id, start=start, end=end)

    async def entries(
        self, user_id: int, *, start: date | None = None, end: date | None = None, limit: int = -1, offset: int = 0
    ) -> list[CeEntry]:
        """A member's entries, newest first, optionally within dates, paged."""
        return await self._repo.entries(user_id, start=start, end=end, limit=limit, offset=offset)

    # -- certificate files -------------------------------------------------------------------------------

    @staticmethod
    def check_certificate_type(filename: str, content_type: str | None) -> None:
        """Only PDFs and photos are kept as certificates."""
        kind = (content_type or "").split(";")[0].strip().lower()
        # Discord's content type decides when it gives one; only without it does the file name.
        if (kind not in CERT_TYPES) if kind else not filename.lower().endswith(CERT_EXTENSIONS):
            msg = (
                f"“{filename[:60]}” is not a PDF or an image; attach the certificate as a PDF or a photo, "
                "e.g. certificate.pdf or certificate.jpg."
            )
            raise UserError(msg)

    async def check_upload(self, user_id: int, filename: str, content_type: str | None, size: int) -> None:
        """Refuse a certificate before downloading it: wrong type, empty, over 8 MB or over the member's quota."""
        self.check_certificate_type(filename, content_type)
        check_size(size, await self.certificates.used(user_id))

    async def keep_generated(self, user_id: int, entry_id: int | None, filename: str, data: bytes) -> int:
        """Store a certificate Harbor generated (a PDF of a few KB; counted in, never refused by, the quota)."""
        return await self.certificates.add(
            user_id,
            ce_entry_id=entry_id,
            origin="training",
            filename=filename,
            content_type="application/pdf",
            data=data,
            sha256=sha256(data),
            now=self.clock(),
        )

    async def stored_certificates(self, user_id: int, entry_ids: list[int]) -> dict[int, StoredFile]:
        """The member's stored certificate files by entry id."""
        return await self.certificates.for_entries(user_id, entry_ids)

    async def export_certificates(self, user_id: int) -> dict[str, Any]:
        """The member's certificate files for `/mydata export` (the files themselves while they total ≤ 4 MB)."""
        return await self.certificates.export_user(user_id, inline_up_to=CERTIFICATES_INLINE)

    async def erase_certificates(self, user_id: int) -> int:
        """Erase every certificate file Harbor keeps for the member (`/mydata delete`)."""
        return await self.certificates.erase_user(user_id)

    async def certificate_bytes(self, file_id: int) -> bytes:
        """A stored certificate's bytes."""
        return await self.certificates.data(file_id)
