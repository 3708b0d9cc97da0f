"""The library's orchestration: who may do what, duplicates, imports and the per-server schedules.

No Discord here: the cog adapts interactions to these calls and turns the `UserError`s into
ephemeral replies. Edit policy: a moderator's or trusted member's edit of an approved entry is
published at once; a plain member's edit of their own approved entry sends it back to the mod queue
(hidden from search until approved again), so a reviewed link can never be swapped unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.db.resources import Bookmark, DuplicateUrlError, Resource, ResourceRepository
from bot.domain.clock import Clock
from bot.domain.recurrence import Recurrence
from bot.domain.resources import DIGEST_WINDOW, Draft, export_csv, parse_csv, stale_before, validate
from bot.domain.search import fts_query, title_query
from bot.errors import UserError
from bot.services.timers import TimerService

if TYPE_CHECKING:
    from bot.app import Services

DIGEST_EVENT = "resources.digest"
STALE_EVENT = "resources.stale"
# Monday and the 1st at 16:00 UTC: morning across the US, afternoon in Europe.
DIGEST_RECURRENCE = Recurrence("weekly", at="16:00", tz="UTC", weekday=0)
STALE_RECURRENCE = Recurrence("monthly", at="16:00", tz="UTC", day=1)
PAGE_SIZE = 5


def digest_key(guild_id: int) -> str:
    """The schedule key of a server's weekly digest."""
    return f"resources:digest:{guild_id}"


def stale_key(guild_id: int) -> str:
    """The schedule key of a server's monthly review list."""
    return f"resources:stale:{guild_id}"


def duplicate_message(existing: Resource) -> str:
    """Point at the entry that already has this link."""
    where = "is waiting for review" if existing.status == "pending" else "is already in the library"
    return (
        f"That link {where} as **#{existing.id}** “{existing.title[:100]}”. "
        f"See it with `/resource show id:{existing.id}`."
    )


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, row by row (row numbers as in a spreadsheet: the header is row 1)."""

    imported: list[int] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (row, what it duplicates)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row, why)


class ResourceService:
    """Library operations for the cog, its buttons and its scheduled jobs."""

    def __init__(self, repo: ResourceRepository, timers: TimerService, clock: Clock) -> None:
        self._repo = repo
        self.timers = timers
        self.clock = clock

    @classmethod
    def from_services(cls, services: Services) -> ResourceService:
        """Build on the composition root's services (buttons rebuilt after a restart use this too)."""
        return cls(ResourceRepository(services.db), services.timers, services.clock)

    # -- validation --------------------------------------------------------------------------------

    @staticmethod
    def draft(title: str, url: str, description: str, tags: str) -> Draft:
        """Validate a submission; a `UserError` saying what to fix."""
        return validate(title, url, description, tags)

    # -- schedules ---------------------------------------------------------------------------------

    async def ensure_schedules(self, guild_id: int) -> None:
        """Create this server's digest and review schedules the first time it has an approved entry."""
        for event, recurrence, key in (
            (DIGEST_EVENT, DIGEST_RECURRENCE, digest_key(guild_id)),
            (STALE_EVENT, STALE_RECURRENCE, stale_key(guild_id)),
        ):
            if await self.timers.next_due(key) is None:
                await self.timers.schedule(event, recurrence, {"guild_id": guild_id}, key=key, guild_id=guild_id)

    # -- submitting and deciding -------------------------------------------------------------------

    async def submit(self, guild_id: int, user_id: int, draft: Draft, *, publish: bool) -> Resource:
        """Publish (trusted) or queue (members) a new entry; a duplicate link is a `UserError`."""
        try:
            resource = await self._repo.insert(
                guild_id,
                draft,
                status="approved" if publish else "pending",
                author_id=user_id,
                decided_by=user_id if publish else None,
                now=self.clock(),
            )
        except DuplicateUrlError as dup:
            raise UserError(duplicate_message(dup.existing)) from None
        if publish:
            await self.ensure_schedules(guild_id)
        return resource

    async def withdraw(self, resource_id: int) -> None:
        """Undo a submission whose mod-queue post failed (so nothing half-done stays behind)."""
        await self._repo.delete(resource_id)

    async def queued(self, resource_id: int, channel_id: int, message_id: int) -> None:
        """Remember where a pending entry's mod-queue card is (to retire it if the entry is removed)."""
        await self._repo.set_queue_message(resource_id, channel_id, message_id)

    async def undo_edit(self, edited: Resource, previous: Resource) -> Resource:
        """Put back the version an edit replaced, when the edit's mod-queue post failed."""
        draft = self.draft(previous.title, previous.url, previous.description, ", ".join(previous.tags))
        return await self._repo.update(edited, draft, status=previous.status, now=self.clock())

    async def pending(self, guild_id: int, resource_id: int) -> Resource:
        """A submission still waiting for review, or a `UserError` saying it was handled."""
        resource = await self._repo.get(guild_id, resource_id)
        if resource is None:
            raise UserError(f"Submission #{resource_id} no longer exists (it was withdrawn or removed).")
        if resource.status != "pending":
            raise UserError(f"Submission #{resource_id} was already {resource.status}.")
        return resource

    async def decide(
        self, guild_id: int, resource_id: int, *, approve: bool, by: int, reason: str | None = None
    ) -> Resource:
        """Approve or reject a pending submission exactly once."""
        await self.pending(guild_id, resource_id)
        decided = await self._repo.decide(resource_id, approve=approve, by=by, now=self.clock(), reason=reason)
        if decided is None:
            raise UserError(f"Submission #{resource_id} was just handled by someone else.")
        if approve:
            await self.ensure_schedules(guild_id)
        return decided

    # -- reading -----------------------------------------------------------------------------------

    async def visible(self, guild_id: int, resource_id: int) -> Resource:
        """An approved entry, or a `UserError` (missing, pending and rejected look the same to members)."""
        resource = await self._repo.get(guild_id, resource_id)
        if resource is None or resource.status != "approved":
            raise UserError(
                f"There is no resource #{resource_id} in this server's library. Find entries with `/resource search`."
            )
        return resource

    async def find_visible(self, guild_id: int, resource_id: int) -> Resource | None:
        """An approved entry, or None (autocomplete offers it when its number is typed)."""
        resource = await self._repo.get(guild_id, resource_id)
        return resource if resource is not None and resource.status == "approved" else None

    async def tag_counts(self, guild_id: int) -> list[tuple[str, int]]:
        """Every tag of the approved library with how many entries carry it, commonest first."""
        return await self._repo.tag_counts(guild_id)

    async def search(self, guild_id: int, query: str, tag: str | None, page: int) -> tuple[list[Resource], bool, bool]:
        """One page of results, whether there is a next page, and whether the query was broad."""
        match = fts_query(query)
        if match is None and not tag:
            raise UserError("Type a word or two to search for, e.g. `naloxone` or `burnout worksheet`.")
        found = await self._repo.search_page(
            guild_id, match, tag=_tag(tag), limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE
        )
        return found.resources[:PAGE_SIZE], len(found.resources) > PAGE_SIZE, found.broad

    async def titles(self, guild_id: int, typed: str) -> list[tuple[int, str]]:
        """Autocomplete: entries whose title matches what is typed so far."""
        return await self._repo.titles(guild_id, title_query(typed))

    # -- changing ----------------------------------------------------------------------------------

    async def _own_or_moderated(self, guild_id: int, resource_id: int, user_id: int, moderator: bool) -> Resource:
        resource = await self._repo.get(guild_id, resource_id)
        mine = resource is not None and resource.author_id == user_id
        if (
            resource is None
            or resource.status == "rejected"
            or (resource.status == "pending" and not mine and not moderator)
        ):
            raise UserError(f"There is no resource #{resource_id} in this server's library.")
        if not (mine or moderator):
            raise UserError(f"Only the member who added #{resource_id} or a moderator can change it.")
        return resource

    async def editable(self, guild_id: int, resource_id: int, user_id: int, *, moderator: bool) -> Resource:
        """An entry the member may edit (their own, or any for moderators); pending ones wait for review."""
        resource = await self._own_or_moderated(guild_id, resource_id, user_id, moderator)
        if resource.status == "pending":
            raise UserError(f"#{resource_id} is waiting for review; it can be edited once a moderator decided.")
        return resource

    async def edit(self, resource: Resource, draft: Draft, *, trusted: bool) -> Resource:
        """Apply an edit; a plain member's edit goes back to review (see the module docstring)."""
        status = "approved" if trusted else "pending"
        try:
            return await self._repo.update(resource, draft, status=status, now=self.clock())
        except DuplicateUrlError as dup:
            raise UserError(duplicate_message(dup.existing)) from None

    async def removable(self, guild_id: int, resource_id: int, user_id: int, *, moderator: bool) -> Resource:
        """An entry the member may remove (their own, pending or approved; any for moderators)."""
        return await self._own_or_moderated(guild_id, resource_id, user_id, moderator)

    async def remove(self, resource: Resource) -> bool:
        """Delete an entry with its tags and bookmarks."""
        return await self._repo.delete(resource.id)

    async def mark_reviewed(self, guild_id: int, resource_id: int) -> Resource:
        """Record a review of an approved entry."""
        resource = await self.visible(guild_id, resource_id)
        await self._repo.mark_reviewed(resource.id, self.clock())
        return resource

    # -- bookmarks ---------------------------------------------------------------------------------

    async def save(self, guild_id: int, user_id: int, resource_id: int) -> tuple[Resource, bool]:
        """Bookmark an approved entry; (entry, newly saved)."""
        resource = await self.visible(guild_id, resource_id)
        return resource, await self._repo.save(user_id, resource.id, self.clock())

    async def unsave(self, user_id: int, resource_id: int) -> None:
        """Remove a bookmark; a `UserError` when there was none."""
        if not await self._repo.unsave(user_id, resource_id):
            raise UserError(f"#{resource_id} is not among your bookmarks; see them with `/resource saved`.")

    async def bookmarks(self, user_id: int, guild_id: int) -> list[Bookmark]:
        """A member's bookmarks of this server's approved entries, newest first."""
        return await self._repo.bookmarks(user_id, guild_id)

    # -- import and export -------------------------------------------------------------------------

    async def import_csv(self, guild_id: int, by: int, data: bytes) -> ImportReport:
        """Validate the whole file, then store every new valid row in one transaction."""
        parsed = parse_csv(data)
        report = ImportReport(refused=[(r.row, r.error or "") for r in parsed.refused])
        report.duplicates.extend((row, f"row {first}") for row, first in parsed.duplicates_in_file.items())
        valid = parsed.valid
        live = await self._repo.live_urls(guild_id, [r.draft.url for r in valid if r.draft])
        fresh: list[Draft] = []
        for row in valid:
            assert row.draft is not None
            existing = live.get(row.draft.url)
            if existing is not None:
                report.duplicates.append((row.row, f"#{existing.id} “{existing.title[:60]}”"))
            else:
                fresh.append(row.draft)
        report.duplicates.sort()
        if fresh:
            report.imported.extend(await self._repo.insert_many(guild_id, fresh, by=by, now=self.clock()))
            await self.ensure_schedules(guild_id)
        return report

    async def export_csv(self, guild_id: int) -> tuple[bytes, int]:
        """The approved library as CSV, and how many entries it holds."""
        entries = await self._repo.approved(guild_id)
        rows = ((r.id, r.title, r.url, r.description, r.tags, r.approved_at) for r in entries)
        return export_csv(rows), len(entries)

    # -- scheduled work ----------------------------------------------------------------------------

    async def digest_entries(self, guild_id: int, now: datetime) -> list[Resource]:
        """Entries approved since the last digest (at most a week back the first time)."""
        since = await self._repo.digest_till(guild_id) or now - DIGEST_WINDOW
        return await self._repo.approved_between(guild_id, since, now)

    async def digest_sent(self, guild_id: int, till: datetime) -> None:
        """Record that the digest covered everything approved up to `till`."""
        await self._repo.set_digest_till(guild_id, till)

    async def stale_entries(self, guild_id: int) -> list[Resource]:
        """Approved entries not reviewed for 12 months, least recently reviewed first."""
        return await self._repo.stale(guild_id, stale_before(self.clock()))

    # -- /mydata -----------------------------------------------------------------------------------

    async def erase_user(self, user_id: int) -> int:
        """Bookmarks erased, pending and rejected submissions withdrawn, approved ones kept without the author."""
        return await self._repo.erase_user(user_id)

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """A member's submissions (every status) and bookmarks."""
        submissions = [
            {
                "id": r.id,
                "guild_id": str(r.guild_id),
                "title": r.title,
                "url": r.url,
                "description": r.description,
                "tags": list(r.tags),
                "status": r.status,
                "submitted_at": r.created_at.isoformat(),
                "reject_reason": r.reject_reason,
            }
            for r in await self._repo.submissions(user_id)
        ]
        bookmarks = [
            {
                "id": b.resource.id,
                "guild_id": str(b.resource.guild_id),
                "title": b.resource.title,
                "url": b.resource.url,
                "saved_at": b.saved_at.isoformat(),
            }
            for b in await self._repo.bookmarks(user_id, approved_only=False)
        ]
        return {
            "submissions": submissions,
            "bookmarks": bookmarks,
            "review_decisions": await self._repo.decisions(user_id),
        }


def _tag(tag: str | None) -> str | None:
    if not tag or not tag.strip():
        return None
    return tag.strip().lstrip("#").lower().replace(" ", "-")
