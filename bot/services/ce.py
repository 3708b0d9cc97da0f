"""CE orchestration: validate input, write in one transaction, keep reminder timers in step with the data.

No Discord objects here: the cog passes plain values (ids, text, an attachment's name/type/URL).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.db.ce import CeEntry, CeRepository, Credential, Template
from bot.db.certificates import CertificateRepository
from bot.db.connection import Database
from bot.db.core import ProfileRepository
from bot.db.timers import Timer
from bot.domain import ce
from bot.domain.ce_dates import check_future_date, check_past_date
from bot.domain.certificates import check_size, sha256
from bot.domain.clock import Clock
from bot.errors import UserError
from bot.services.ce_reads import CeReads
from bot.services.guild_config import GuildConfig
from bot.services.timers import TimerService

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

REMINDER_EVENT = "ce.reminder"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def reminder_key(credential_id: int, days: int | None = None) -> str:
    """`ce:reminder:<credential_id>:<days>` (or the prefix of all of one credential's reminders)."""
    return f"ce:reminder:{credential_id}:" + ("" if days is None else str(days))


@dataclass(frozen=True, slots=True)
class Upload:
    """A certificate a member attached to `/ce log`: what Discord said about it, and its downloaded bytes."""

    filename: str
    content_type: str | None
    url: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Standing:
    """A credential with its progress in the current cycle."""

    credential: Credential
    progress: ce.Progress


@dataclass(frozen=True, slots=True)
class EntriesPage:
    """One page of a member's entries, newest first: all of them, or one credential's current cycle."""

    entries: list[CeEntry]
    page: int
    pages: int
    total: int
    credential: Credential | None


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder that is still wanted: what the DM says, in the member's zone."""

    credential: Credential
    progress: ce.Progress
    tz: str


class CeService(CeReads):
    """Templates, credentials, entries and reminder planning."""

    def __init__(
        self,
        repo: CeRepository,
        db: Database,
        clock: Clock,
        profiles: ProfileRepository,
        config: GuildConfig,
        timers: TimerService,
        certificates: CertificateRepository | None = None,
    ) -> None:
        self._repo = repo
        self.db = db
        self.clock = clock
        self.profiles = profiles
        self.config = config
        self.timers = timers
        self.certificates = certificates or CertificateRepository(db)

    @classmethod
    def from_services(cls, services: Services) -> CeService:
        """Build on the composition root's services (cheap: it holds references only)."""
        return cls(
            CeRepository(services.db),
            services.db,
            services.clock,
            services.profiles,
            services.guild_config,
            services.timers,
        )

    async def timezone(self, user_id: int) -> str:
        """The member's IANA time zone (UTC until they set one)."""
        return await self.profiles.timezone(user_id)

    async def lead_days(self, guild_id: int) -> list[int]:
        """How many days before expiry this server's CE reminders go out."""
        return await self.config.ce_reminder_days(guild_id)

    async def today(self, user_id: int) -> date:
        """The member's local date."""
        return ce.local_today(self.clock(), await self.profiles.timezone(user_id))

    # -- templates ---------------------------------------------------------------------------------------

    async def templates(self, guild_id: int | None) -> list[Template]:
        """Built-in templates and this server's own."""
        return await self._repo.templates(guild_id)

    async def resolve_template(self, guild_id: int, text: str) -> Template:
        """A template visible in this server, by autocomplete id or by name."""
        templates = await self._repo.templates(guild_id)
        wanted = (text or "").strip()
        for template in templates:
            if wanted == str(template.id) or wanted.lower() == template.name.lower():
                return template
        names = ", ".join(t.name for t in templates[:8])
        msg = f"“{wanted[:60]}” is not a CE template here; pick one from the list, e.g. {names}."
        raise UserError(msg)

    async def add_template(
        self,
        guild_id: int,
        *,
        name: str,
        cycle_months: int,
        total_hours: float,
        categories: str | None,
        window_days: int | None,
        source: str | None,
        last_verified: date | None,
    ) -> Template:
        """Validate everything, then store a server template."""
        name = " ".join((name or "").split())
        if not 1 <= len(name) <= 100:
            msg = "Give the template a name of 1–100 characters, e.g. `NJ CPRS`."
            raise UserError(msg)
        existing = await self._repo.templates(guild_id)
        if any(t.name.lower() == name.lower() for t in existing):
            msg = f"A template named “{name}” already exists here; pick another name, e.g. `{name} 2027`."
            raise UserError(msg)
        total = ce.to_quarters(total_hours, most=16000)
        requirement = ce.Requirement(
            total, ce.parse_categories(categories or ""), cycle_months, 90 if window_days is None else window_days
        ).validate()
        source_url = (source or "").strip() or None
        if source_url is not None and (len(source_url) > 300 or not _URL.match(source_url)):
            msg = "The source must be a web link of up to 300 characters, e.g. https://www.pacertboard.org/credentials"
            raise UserError(msg)
        verified = None if last_verified is None else check_past_date(last_verified, self.clock().date())
        template_id = await self._repo.add_template(
            guild_id, name, requirement, source_url=source_url, last_verified=verified, note=None, now=self.clock()
        )
        template = await self._repo.template(template_id)
        assert template is not None
        return template

    async def remove_template(self, guild_id: int, text: str) -> Template:
        """Remove a server's own, unused template."""
        template = await self.resolve_template(guild_id, text)
        if template.builtin:
            msg = f"“{template.name}” is built into Harbor and can't be removed; remove a server template instead."
            raise UserError(msg)
        in_use = await self._repo.template_in_use(template.id)
        if in_use:
            msg = (
                f"“{template.name}” is used by {in_use} credential{'s' if in_use != 1 else ''}; it can be removed "
                "once members have removed those credentials (`/ce credential remove`)."
            )
            raise UserError(msg)
        if not await self._repo.remove_template(template.id, guild_id):
            msg = f"“{template.name}” could not be removed; it may be in use now. Try `/ce template list`."
            raise UserError(msg)
        return template

    # -- credentials -------------------------------------------------------------------------------------

    async def add_credential(
        self, user_id: int, guild_id: int, template_text: str, expires: date, number: str | None
    ) -> Standing:
        """Validate (expiry from the member's today to 10 years ahead), store and plan reminders for a credential."""
        template = await self.resolve_template(guild_id, template_text)
        today = await self.today(user_id)
        check_future_date(expires, today)
        if template.expires_md and expires.strftime("%m-%d") != template.expires_md:
            fixed = date(expires.year, int(template.expires_md[:2]), int(template.expires_md[3:]))
            msg = (
                f"{template.name} credentials expire on {fixed:%b} {fixed.day}; "
                f"give that date, e.g. {fixed.isoformat()}."
            )
            raise UserError(msg)
        number = (number or "").strip() or None
        if number is not None and len(number) > 64:
            msg = "A credential number is at most 64 characters, e.g. CRS-012345."
            raise UserError(msg)
        async with self.db.transaction():
            credential_id = await self._repo.add_credential(
                user_id, guild_id, template.id, expires, number, self.clock()
            )
            credential = await self._repo.credential(credential_id)
            assert credential is not None
            standing = await self._standing(credential, today)
            await self.remember_lead_days(guild_id)
            await self._plan(credential, standing.progress)
        log.info("ce credential %s added by user %s", credential_id, user_id)
        return standing

    async def credentials(self, user_id: int) -> list[Credential]:
        """A member's credentials."""
        return await self._repo.credentials(user_id)

    async def own_credential(self, user_id: int, text: str) -> Credential:
        """One of the member's credentials by autocomplete id (or template name)."""
        wanted = (text or "").strip()
        credentials = await self._repo.credentials(user_id)
        for credential in credentials:
            if wanted == str(credential.id):
                return credential
        matches = [c for c in credentials if c.template.name.lower() == wanted.lower()]
        if len(matches) == 1:
            return matches[0]
        if not credentials:
            msg = "You have no credentials yet; add one with `/ce credential add template:PA CRS expires:2027-06-30`."
            raise UserError(msg)
        msg = (
            f"“{wanted[:60]}” is not one of your credentials; pick one from the list, "
            f"e.g. {credentials[0].template.name}."
        )
        raise UserError(msg)

    async def remove_credential(self, user_id: int, credential_id: int) -> bool:
        """Delete a member's credential and its pending reminders (entries are kept)."""
        async with self.db.transaction():
            removed = await self._repo.remove_credential(credential_id, user_id)
            if removed:
                await self.timers.cancel_matching(
                    event=REMINDER_EVENT, user_id=user_id, key_prefix=reminder_key(credential_id)
                )
        return removed

    # -- entries -----------------------------------------------------------------------------------------

    async def categories_for(self, user_id: int) -> list[str]:
        """The "general" category and every category minimum of the member's credentials' templates."""
        seen = [ce.GENERAL]
        for credential in await self._repo.credentials(user_id):
            seen += [c for c in credential.template.categories if c not in seen]
        return seen

    async def check_entry(
        self,
        user_id: int,
        *,
        title: str,
        hours: float,
        day: date,
        category: str | None,
        provider: str | None,
    ) -> tuple[str, str | None, int, date, str]:
        """Validate an entry's fields (title, provider, quarter-hours, date, category) without storing anything."""
        title = (title or "").strip()
        if not 1 <= len(title) <= ce.MAX_TEXT:
            msg = f"The title must be 1–{ce.MAX_TEXT} characters, e.g. `Ethics in peer support (webinar)`."
            raise UserError(msg)
        provider = (provider or "").strip() or None
        if provider is not None and len(provider) > ce.MAX_TEXT:
            msg = f"The provider must be at most {ce.MAX_TEXT} characters, e.g. `PCB` or `NAADAC`."
            raise UserError(msg)
        quarters = ce.to_quarters(hours)
        check_past_date(day, await self.today(user_id))
        known = await self.categories_for(user_id)
        chosen = ce.normalise_category(category or ce.GENERAL)
        if chosen not in known:
            msg = (
                f"“{(category or '')[:40]}” is not a category of your credentials; use one of "
                f"{', '.join(known)} — e.g. `category:{known[-1]}`."
            )
            raise UserError(msg)
        return title, provider, quarters, day, chosen

    async def log_entry(
        self,
        user_id: int,
        *,
        title: str,
        hours: float,
        day: date,
        category: str | None,
        provider: str | None,
        certificate: Upload | None,
    ) -> tuple[int, list[Standing]]:
        """Validate everything, store the entry (and its certificate file) and re-plan reminders, in one transaction."""
        title, provider, quarters, day, chosen = await self.check_entry(
            user_id, title=title, hours=hours, day=day, category=category, provider=provider
        )
        url = None
        if certificate is not None:
            self.check_certificate_type(certificate.filename, certificate.content_type)
            check_size(len(certificate.data))
            url = certificate.url
        async with self.db.transaction():
            entry_id = await self._repo.add_entry(user_id, title, provider, day, quarters, chosen, url, self.clock())
            if certificate is not None:
                check_size(len(certificate.data), await self.certificates.used(user_id))
                await self.certificates.add(
                    user_id,
                    ce_entry_id=entry_id,
                    origin="upload",
                    filename=certificate.filename,
                    content_type=(certificate.content_type or "application/octet-stream").split(";")[0].strip(),
                    data=certificate.data,
                    sha256=sha256(certificate.data),
                    now=self.clock(),
                )
            standings = await self.replan_user(user_id)
        log.info("ce entry %s logged by user %s", entry_id, user_id)
        return entry_id, [
            s for s in standings if ce.in_cycle(day, s.credential.expires, s.credential.template.cycle_months)
        ]

    async def entry(self, user_id: int, entry_id: int) -> CeEntry | None:
        """One of the member's own entries by id (None when missing or someone else's)."""
        entry = await self._repo.entry(entry_id)
        return entry if entry is not None and entry.user_id == user_id else None

    async def search_entries(self, user_id: int, text: str) -> list[CeEntry]:
        """The member's entries whose title (or id) matches what is typed, newest first (autocomplete)."""
        return await self._repo.search_entries(user_id, text.strip())

    async def entries_between(self, user_id: int, start: date, end: date) -> list[CeEntry]:
        """The member's entries completed between two dates, newest first."""
        return await self._repo.entries(user_id, start=start, end=end)

    async def entries_page(self, user_id: int, credential_id: int, page: int, per_page: int) -> EntriesPage:
        """A page of the member's entries (all when `credential_id` is 0 or not theirs), clamped to what exists."""
        start = end = None
        credential = await self._repo.credential(credential_id) if credential_id else None
        if credential is not None and credential.user_id != user_id:
            credential = None
        if credential is not None:
            start, end = ce.cycle_start(credential.expires, credential.template.cycle_months), credential.expires
        total = await self._repo.count_entries(user_id, start=start, end=end)
        pages = max(1, -(-total // per_page))
        page = max(0, min(page, pages - 1))
        entries = await self._repo.entries(user_id, start=start, end=end, limit=per_page, offset=page * per_page)
        return EntriesPage(entries, page, pages, total, credential)

    async def log_credit(
        self,
        user_id: int,
        *,
        source: str,
        title: str,
        provider: str,
        day: date,
        hours: float,
        category: str,
    ) -> int:
        """Log an entry on a member's behalf (a training's credit) once per `source`; returns the entry id.

        Idempotent: a second call for the same member and source returns the first entry. Runs in the
        caller's transaction when there is one, and re-plans the member's CE reminders at once.
        """
        async with self.db.transaction():
            found = await self._repo.entry_by_source(user_id, source)
            if found is not None:
                return found
            entry_id = await self._repo.add_entry(
                user_id,
                title[: ce.MAX_TEXT],
                provider[: ce.MAX_TEXT] or None,
                day,
                ce.to_quarters(hours),
                ce.normalise_category(category or ce.GENERAL)[:40] or ce.GENERAL,
                None,
                self.clock(),
                source=source,
            )
            await self.replan_user(user_id)
        log.info("ce entry %s logged for user %s from %s", entry_id, user_id, source)
        return entry_id

    async def cycle_entries(self, user_id: int) -> tuple[list[Standing], dict[int, list[CeEntry]]]:
        """Each credential's standing and the entries of its current cycle (for exports)."""
        standings = await self.standings(user_id)
        by_credential = {
            s.credential.id: await self._repo.entries(user_id, start=s.progress.start, end=s.progress.expires)
            for s in standings
        }
        return standings, by_credential

    async def own_entry(self, user_id: int, text: str) -> CeEntry:
        """One of the member's own entries by id ("#12" or "12")."""
        raw = (text or "").strip().lstrip("#")
        entry = await self._repo.entry(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        if entry is None or entry.user_id != user_id:
            msg = (
                f"“{(text or '')[:30]}” is not one of your CE entries; pick one from the list, "
                "or see their numbers with `/ce entries`."
            )
            raise UserError(msg)
        return entry

    async def remove_entry(self, user_id: int, entry_id: int) -> bool:
        """Delete a member's own entry and re-plan reminders."""
        async with self.db.transaction():
            removed = await self._repo.remove_entry(entry_id, user_id)
            if removed:
                await self.replan_user(user_id)
        return removed

    # -- status ------------------------------------------------------------------------------------------

    async def _standing(self, credential: Credential, today: date) -> Standing:
        start = ce.cycle_start(credential.expires, credential.template.cycle_months)
        facts = await self._repo.facts(credential.user_id, start, credential.expires)
        return Standing(credential, ce.progress(credential.expires, credential.template.requirement, facts, today))

    async def standings(self, user_id: int, credential_id: int | None = None) -> list[Standing]:
        """Progress of each of the member's credentials (or one), with one entries query for all."""
        credentials = await self._repo.credentials(user_id)
        if credential_id is not None:
            credentials = [c for c in credentials if c.id == credential_id]
        if not credentials:
            return []
        today = await self.today(user_id)
        starts = [ce.cycle_start(c.expires, c.template.cycle_months) for c in credentials]
        facts = await self._repo.facts(user_id, min(starts), max(c.expires for c in credentials))
        return [Standing(c, ce.progress(c.expires, c.template.requirement, facts, today)) for c in credentials]

    # -- reminders ---------------------------------------------------------------------------------------

    async def _plan(
        self,
        credential: Credential,
        progress: ce.Progress,
        *,
        lead_days: list[int] | None = None,
        tz: str | None = None,
    ) -> int:
        """Replace a credential's pending reminders with the current plan; return how many are pending."""
        await self.timers.cancel_matching(
            event=REMINDER_EVENT, user_id=credential.user_id, key_prefix=reminder_key(credential.id)
        )
        if progress.met:
            return 0
        if lead_days is None:
            lead_days = await self.config.ce_reminder_days(credential.guild_id)
        if tz is None:
            tz = await self.profiles.timezone(credential.user_id)
        plan = ce.reminder_plan(credential.expires, lead_days, tz, self.clock())
        for days, due in plan.items():
            await self.timers.create(
                REMINDER_EVENT,
                due,
                {"credential_id": credential.id, "days": days},
                guild_id=credential.guild_id,
                user_id=credential.user_id,
                key=reminder_key(credential.id, days),
            )
        return len(plan)

    async def replan_user(self, user_id: int) -> list[Standing]:
        """Re-plan every credential of a member (after entries or their time zone changed)."""
        async with self.db.transaction():
            standings = await self.standings(user_id)
            for standing in standings:
                await self._plan(standing.credential, standing.progress)
        return standings

    async def reconcile_guild(self, guild_id: int) -> bool:
        """Re-plan a server's credentials when its lead days differ from those last planned with."""
        current = sorted(await self.config.ce_reminder_days(guild_id), reverse=True)
        stored = await self._repo.planned_lead_days(guild_id)
        if stored == current:
            return False
        credentials = await self._repo.guild_credentials(guild_id)
        if stored is None and not credentials:
            return False  # nothing planned here yet; the first credential records the lead days
        async with self.db.transaction():
            for credential in credentials:
                standing = await self._standing(credential, await self.today(credential.user_id))
                await self._plan(credential, standing.progress, lead_days=current)
            await self._repo.set_planned_lead_days(guild_id, current)
        log.info("ce reminders re-planned for guild %s (lead days changed)", guild_id)
        return True

    async def remember_lead_days(self, guild_id: int) -> None:
        """Record the lead days a server is planned with (first credential there)."""
        if await self._repo.planned_lead_days(guild_id) is None:
            await self._repo.set_planned_lead_days(
                guild_id, sorted(await self.config.ce_reminder_days(guild_id), reverse=True)
            )

    async def reconcile_all(self) -> int:
        """The daily sweep: re-plan every server whose lead days changed; return how many were re-planned."""
        return sum([await self.reconcile_guild(g) for g in await self._repo.guilds_with_credentials()])

    async def planned_reminders(self, user_id: int) -> list[Timer]:
        """A member's pending CE reminders, soonest first (key `ce:reminder:<credential>:<days>[:moved]`)."""
        return await self.timers.pending(event=REMINDER_EVENT, user_id=user_id)

    async def reminder_to_send(self, timer: Timer) -> DueReminder | None:
        """Decide whether a fired reminder timer should still DM, re-checking everything since it was planned.

        The credential may be gone or someone else's, the requirements met, the server's lead days or the
        member's time zone changed. A zone change moves the reminder to 09:00 in the new zone instead: the
        live key is the running row's, so the replacement carries a `:moved` suffix (still under the
        credential's prefix, so re-planning and removal cancel it; creating it again is a no-op).
        """
        credential = await self._repo.credential(int(timer.payload["credential_id"]))
        days = int(timer.payload["days"])
        if credential is None or credential.user_id != timer.user_id:
            return None
        await self.reconcile_guild(credential.guild_id)
        if days not in await self.lead_days(credential.guild_id):
            return None
        tz = await self.timezone(credential.user_id)
        wanted_due = ce.reminder_due(credential.expires, days, tz)
        if abs((wanted_due - timer.due_at).total_seconds()) >= 60 and wanted_due > self.clock():
            await self.timers.create(
                REMINDER_EVENT,
                wanted_due,
                dict(timer.payload),
                guild_id=timer.guild_id,
                user_id=timer.user_id,
                key=reminder_key(credential.id, days) + ":moved",
            )
            return None
        standings = await self.standings(credential.user_id, credential.id)
        if not standings or standings[0].progress.met or standings[0].progress.expired:
            return None
        return DueReminder(credential, standings[0].progress, tz)

    # -- /mydata -----------------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> dict[str, list[dict[str, object]]]:
        """A member's credentials and entries, for `/mydata export`."""
        return await self._repo.export_for_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Delete a member's credentials and entries, for `/mydata delete`."""
        return await self._repo.delete_for_user(user_id)
