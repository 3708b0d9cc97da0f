"""Repository for certificate files kept by Harbor (`certificate_files`, migration 0011)."""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A stored certificate's metadata (the bytes are read separately, only when needed)."""

    id: int
    user_id: int
    ce_entry_id: int | None
    origin: str
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


_META = "id, user_id, ce_entry_id, origin, filename, content_type, size, sha256, created_at"


def _file(row: sqlite3.Row) -> StoredFile:
    return StoredFile(
        id=row["id"],
        user_id=row["user_id"],
        ce_entry_id=row["ce_entry_id"],
        origin=row["origin"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        created_at=from_db(row["created_at"]),
    )


class CertificateRepository:
    """All of the certificate-file SQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def used(self, user_id: int) -> int:
        """Bytes of certificates a member has stored."""
        return int(
            await self.db.fetchval("SELECT coalesce(sum(size), 0) FROM certificate_files WHERE user_id = ?", (user_id,))
        )

    async def add(
        self,
        user_id: int,
        *,
        ce_entry_id: int | None,
        origin: str,
        filename: str,
        content_type: str,
        data: bytes,
        sha256: str,
        now: datetime,
    ) -> int:
        """Store a file; returns its id (call inside the caller's transaction)."""
        return await self.db.execute(
            "INSERT INTO certificate_files (user_id, ce_entry_id, origin, filename, content_type, size, sha256, data,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, ce_entry_id, origin, filename[:200], content_type, len(data), sha256, data, to_db(now)),
        )

    async def for_entries(self, user_id: int, entry_ids: list[int]) -> dict[int, StoredFile]:
        """A member's stored files by CE entry id."""
        if not entry_ids:
            return {}
        marks = ",".join("?" * len(entry_ids))
        rows = await self.db.fetchall(
            f"SELECT {_META} FROM certificate_files WHERE user_id = ? AND ce_entry_id IN ({marks})",  # noqa: S608
            (user_id, *entry_ids),
        )
        return {r["ce_entry_id"]: _file(r) for r in rows}

    async def data(self, file_id: int) -> bytes:
        """A stored file's bytes."""
        return bytes(await self.db.fetchval("SELECT data FROM certificate_files WHERE id = ?", (file_id,)) or b"")

    async def get(self, file_id: int) -> StoredFile | None:
        """One file's metadata."""
        row = await self.db.fetchone(f"SELECT {_META} FROM certificate_files WHERE id = ?", (file_id,))  # noqa: S608
        return _file(row) if row else None

    async def export_user(self, user_id: int, *, inline_up_to: int) -> dict[str, Any]:
        """Metadata of every stored file; the files themselves (base64) when they total `inline_up_to` bytes or less."""
        rows = await self.db.fetchall(
            f"SELECT {_META} FROM certificate_files WHERE user_id = ? ORDER BY id",  # noqa: S608
            (user_id,),
        )
        total = sum(r["size"] for r in rows)
        inline = total <= inline_up_to
        files: list[dict[str, Any]] = []
        for row in rows:
            item = {
                "id": row["id"],
                "ce_entry_id": row["ce_entry_id"],
                "origin": row["origin"],
                "filename": row["filename"],
                "content_type": row["content_type"],
                "size": row["size"],
                "sha256": row["sha256"],
                "stored_at": row["created_at"],
            }
            if inline:
                item["data_base64"] = base64.b64encode(await self.data(row["id"])).decode("ascii")
            files.append(item)
        note = (
            "files included as base64"
            if inline
            else "files too large to include here; download them with `/ce export format:zip`"
        )
        return {"total_bytes": total, "note": note, "files": files}

    async def erase_user(self, user_id: int) -> int:
        """Delete every file a member stored or was given."""
        return await self.db.execute_rowcount("DELETE FROM certificate_files WHERE user_id = ?", (user_id,))
