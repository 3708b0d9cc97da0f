"""Attendance, CE credit and certificates for trainings.

- **Codes.** `/training code` shows the training's live code (made on first use, replaced by "Rotate");
  members type it with `/training attend` between 15 minutes before the start and 30 minutes after the end.
  Codes are stored as typed, not hashed: they live for one session, are read aloud to a room and must be
  shown again to the trainer, and a hash of a 30-bit code would not stop anyone who can read the database.
- **Credit.** The training's end timer (planned by `replan`) marks it ended and credits every attendee:
  in one transaction, a CE entry through `CeService.log_credit` (unique per member and training), the
  generated PDF kept with it, and the attendee's verification code. Attendance recorded after the end is
  credited by its own one-shot timer. A crash before the commit leaves nothing; after it, nothing is redone.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.db.attendance import Attendance, AttendanceRepository, Verified
from bot.db.connection import Database
from bot.db.trainings import Training, TrainingRepository
from bot.domain import attendance as rules
from bot.domain.attendance import AttendanceError, Window
from bot.domain.ce import local_today
from bot.domain.certificates import CertificateText, certificate_pdf
from bot.domain.clock import Clock, discord_timestamp
from bot.services.ce import CeService
from bot.services.timers import TimerService

if TYPE_CHECKING:
    from bot.app import Services
    from bot.db.core import ProfileRepository

log = logging.getLogger(__name__)

END_EVENT = "training.end"
CREDIT_EVENT = "training.credit"
GUESSES = 5  # wrong codes a member may type …
GUESS_WINDOW = timedelta(minutes=10)  # … within this long


def end_key(training_id: int) -> str:
    """The end timer's key."""
    return f"training:{training_id}:end"


def credit_key(training_id: int, user_id: int) -> str:
    """A late attendee's credit timer key."""
    return f"training:{training_id}:credit:{user_id}"


@dataclass(frozen=True, slots=True)
class Attended:
    """What `/training attend` recorded."""

    training: Training
    ended: bool  # credit follows at once (a timer) rather than at the end


@dataclass(frozen=True, slots=True)
class Marked:
    """What a trainer's member select recorded."""

    training: Training
    added: list[int]
    already: list[int]


@dataclass(frozen=True, slots=True)
class Names:
    """Names printed on a certificate (looked up on Discord by the caller).

    `member` is a fallback: the name recorded with the attendance (from the interaction) comes first.
    """

    member: str
    trainer: str
    provider: str


@dataclass(frozen=True, slots=True)
class Credit:
    """An attendee's credit: the verification code and the stored PDF's id."""

    verify_code: str
    certificate_id: int
    ce_entry_id: int | None


class AttendanceService:
    """Codes, attendance, end-of-training credit and verification."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        trainings: TrainingRepository,
        repo: AttendanceRepository,
        ce: CeService,
        timers: TimerService,
        profiles: ProfileRepository,
    ) -> None:
        self.db = db
        self.clock = clock
        self.trainings = trainings
        self.repo = repo
        self.ce = ce
        self.timers = timers
        self.profiles = profiles
        self._guesses: dict[int, deque[datetime]] = {}

    @classmethod
    def from_services(cls, services: Services, ce: CeService) -> AttendanceService:
        """Build from the composition root's services."""
        return cls(
            services.db,
            services.clock,
            TrainingRepository(services.db),
            AttendanceRepository(services.db),
            ce,
            services.timers,
            services.profiles,
        )

    # -- the end timer -----------------------------------------------------------------------------------

    async def replan(self, training: Training) -> bool:
        """(Re)plan the training's end timer: at its end while scheduled, none once cancelled or ended.

        Call after creating, moving or cancelling a training; returns whether an end timer is pending.
        """
        await self.timers.cancel_matching(event=END_EVENT, key_prefix=end_key(training.id))
        if training.status != "scheduled":
            return False
        ends_at = training.starts_at + timedelta(minutes=training.minutes)
        await self.timers.create(
            END_EVENT,
            ends_at,
            {"training_id": training.id, "ends_at": ends_at.isoformat()},
            guild_id=training.guild_id,
            key=end_key(training.id),
        )
        return True

    async def ensure_end_timers(self) -> int:
        """Give every scheduled training an end timer if it has none (trainings made before this feature).

        `TimerService.create` is idempotent per live key, so trainings that have one keep it; returns how
        many trainings were checked.
        """
        checked = 0
        for training_id in await self.repo.scheduled_ids():
            training = await self.trainings.get(training_id)
            if training is None:
                continue
            ends_at = training.starts_at + timedelta(minutes=training.minutes)
            await self.timers.create(
                END_EVENT,
                ends_at,
                {"training_id": training.id, "ends_at": ends_at.isoformat()},
                guild_id=training.guild_id,
                key=end_key(training.id),
            )
            checked += 1
        return checked

    async def end(self, training_id: int, ends_at: str | None) -> Training | None:
        """Mark a training ended when its end timer fires; None when cancelled, moved or gone."""
        training = await self.trainings.get(training_id)
        if training is None or training.status == "cancelled":
            return None
        if ends_at is not None and (training.starts_at + timedelta(minutes=training.minutes)).isoformat() != ends_at:
            return None  # moved by an edit: the re-planned timer ends it
        await self.repo.end_training(training_id)
        return await self.trainings.get(training_id)

    # -- codes -------------------------------------------------------------------------------------------

    async def training_for_trainer(self, guild_id: int, training_id: int, user_id: int, admin: bool) -> Training:
        """A training of this server that the caller runs (or any, for an admin); refuses cancelled ones."""
        training = await self.trainings.get(training_id, guild_id)
        if training is None:
            raise AttendanceError(f"There is no training #{training_id} on this server.")
        if training.trainer_id != user_id and not admin:
            raise AttendanceError("Only the training's trainer or an admin can take its attendance.")
        if training.status == "cancelled":
            raise AttendanceError(f"Training #{training.id} was cancelled; there is no attendance to take.")
        return training

    async def code(self, training: Training, *, rotate: bool = False) -> str:
        """The training's live code, made on first use; `rotate` replaces it (the old one stops working)."""
        if not rotate:
            live = await self.repo.live_code(training.id)
            if live is not None:
                return live
        for _ in range(20):  # a clash needs two live trainings of one server drawing the same 30-bit code
            candidate = rules.new_code()
            if await self.repo.add_code(training.guild_id, training.id, candidate, self.clock()):
                return candidate
        msg = "I could not make a fresh code; try again."
        raise AttendanceError(msg)

    def _count_guess(self, user_id: int) -> None:
        now = self.clock()
        recent = self._guesses.setdefault(user_id, deque())
        while recent and now - recent[0] > GUESS_WINDOW:
            recent.popleft()
        if len(recent) >= GUESSES:
            msg = "That's several wrong codes in a row; wait a few minutes, then check the code with your trainer."
            raise AttendanceError(msg)
        recent.append(now)

    async def attend(self, guild_id: int, user_id: int, text: str, display_name: str = "") -> Attended:
        """Record the caller's attendance by code; refuses wrong, replaced, early, expired and cancelled."""
        code = rules.normalise_code(text)
        found = await self.repo.find_code(guild_id, code)
        if found is None:
            self._count_guess(user_id)
            msg = f"No training here has the code `{code}`. Check it with your trainer (codes look like `K7PM3Q`)."
            raise AttendanceError(msg)
        training = await self.trainings.get(found.training_id, guild_id)
        if training is None:
            raise AttendanceError("That training no longer exists.")
        if training.status == "cancelled":
            raise AttendanceError(f"“{training.title[:100]}” was cancelled, so there is no attendance to record.")
        if found.retired:
            msg = "That code was replaced by a newer one; ask the trainer for the current code."
            raise AttendanceError(msg)
        window = Window.of(training.starts_at, training.minutes)
        now = self.clock()
        state = window.state(now)
        if state == "early":
            msg = f"Attendance for “{training.title[:100]}” opens {discord_timestamp(window.opens, 'R')}."
            raise AttendanceError(msg)
        if state == "closed":
            msg = (
                f"That code expired {discord_timestamp(window.closes, 'R')} (30 minutes after the end). "
                "Ask the trainer to mark you as present."
            )
            raise AttendanceError(msg)
        if not await self.repo.mark(training.id, user_id, "code", user_id, now, display_name):
            raise AttendanceError(f"Your attendance at “{training.title[:100]}” is already recorded.")
        ended = await self._after_marking(training, [user_id])
        return Attended(training, ended)

    async def mark(self, guild_id: int, training_id: int, by: int, admin: bool, people: dict[int, str]) -> Marked:
        """A trainer marks members present (id → display name, from their member select); up to 14 days after."""
        training = await self.training_for_trainer(guild_id, training_id, by, admin)
        now = self.clock()
        if not rules.can_mark(training.starts_at, training.minutes, now):
            opens = training.starts_at - rules.OPENS_BEFORE
            if now < opens:
                msg = f"You can mark attendees from {discord_timestamp(opens, 'F')} (15 minutes before the start)."
            else:
                msg = "Attendance can be marked up to 14 days after a training; this one is older."
            raise AttendanceError(msg)
        added: list[int] = []
        already: list[int] = []
        for user_id, name in people.items():
            recorded = await self.repo.mark(training.id, user_id, "trainer", by, now, name)
            (added if recorded else already).append(user_id)
        await self._after_marking(training, added)
        return Marked(training, added, already)

    async def _after_marking(self, training: Training, user_ids: list[int]) -> bool:
        """Queue credit at once for attendance recorded after the end (the end timer covers the rest)."""
        current = await self.trainings.get(training.id)
        if current is None or current.status != "ended":
            return False
        for user_id in user_ids:
            await self.timers.create(
                CREDIT_EVENT,
                self.clock(),
                {"training_id": training.id, "user_id": user_id},
                guild_id=training.guild_id,
                user_id=user_id,
                key=credit_key(training.id, user_id),
            )
        return True

    # -- credit ------------------------------------------------------------------------------------------

    async def attendees(self, training_id: int) -> list[Attendance]:
        """Everyone recorded for a training."""
        return await self.repo.attendees(training_id)

    async def attendee(self, training_id: int, user_id: int) -> Attendance | None:
        """One attendee's row."""
        return await self.repo.get(training_id, user_id)

    async def training(self, training_id: int) -> Training | None:
        """A training by id."""
        return await self.trainings.get(training_id)

    async def credit(self, training: Training, user_id: int, names: Names) -> Credit | None:
        """Log the CE entry, keep the certificate and give the verification code, all at once; None if done before.

        The PDF is built before the transaction (off the event loop); if another run credited the member
        meanwhile, the transaction sees it and this run's PDF is dropped.
        """
        row = await self.repo.get(training.id, user_id)
        if row is None or row.credited_at is not None:
            return None
        tz = await self.profiles.timezone(user_id)
        day = local_today(training.starts_at, tz)
        verify_code = rules.new_verify_code()
        member = row.display_name or names.member  # the name Discord showed when attendance was recorded
        text = CertificateText(
            member=member,
            training=training.title,
            day=day,
            hours=training.ce_hours,
            category=training.ce_category,
            trainer=names.trainer,
            provider=names.provider,
            verify_code=verify_code,
        )
        pdf = await asyncio.to_thread(certificate_pdf, text)
        async with self.db.transaction():
            row = await self.repo.get(training.id, user_id)
            if row is None or row.credited_at is not None:
                return None
            entry_id = None
            if training.ce_hours > 0:
                entry_id = await self.ce.log_credit(
                    user_id,
                    source=f"training:{training.id}",
                    title=training.title,
                    provider=names.provider,
                    day=day,
                    hours=training.ce_hours,
                    category=training.ce_category,
                )
            file_id = await self.ce.keep_generated(user_id, entry_id, f"certificate-training-{training.id}.pdf", pdf)
            await self.repo.set_credited(
                training.id,
                user_id,
                verify_code=verify_code,
                display_name=member,
                ce_entry_id=entry_id,
                certificate_id=file_id,
                now=self.clock(),
            )
        return Credit(verify_code, file_id, entry_id)

    async def certificate(self, file_id: int) -> bytes:
        """A stored certificate's bytes (for the DM)."""
        return await self.ce.certificate_bytes(file_id)

    async def my_certificate(self, guild_id: int, training_id: int, user_id: int) -> tuple[Training, bytes]:
        """The member's own certificate of a training of this server, for sending again; refuses anyone else's."""
        training = await self.trainings.get(training_id)
        if (
            training is None
            or training.guild_id != guild_id
            or (row := await self.repo.get(training_id, user_id)) is None
        ):
            raise AttendanceError(f"You have no attendance recorded for training #{training_id} in this server.")
        if row.certificate_id is None:
            raise AttendanceError(
                f"Your certificate for **{training.title[:100]}** is issued when the training ends; "
                "it comes by DM then, and this command can send it again after that."
            )
        pdf = await self.ce.certificate_bytes(row.certificate_id)
        if not pdf:
            raise AttendanceError("That certificate is no longer kept (it was deleted with its CE entry).")
        return training, pdf

    async def certified(self, guild_id: int, user_id: int) -> list[tuple[int, str]]:
        """(training id, title) of the member's own certificates here, newest first (for autocomplete)."""
        return await self.repo.certified(guild_id, user_id)

    async def dm_sent(self, training_id: int, user_id: int) -> None:
        """Remember that the certificate DM went out."""
        await self.repo.set_dm_sent(training_id, user_id, self.clock())

    # -- verification ------------------------------------------------------------------------------------

    async def verify(self, guild_id: int, text: str) -> Verified:
        """A certificate of this server by its code; refuses unknown codes."""
        code = rules.normalise_verify_code(text)
        found = await self.repo.verify(code)
        if found is None or found.guild_id != guild_id:
            msg = f"No certificate with the code `{code}` was issued here (or its holder erased their data)."
            raise AttendanceError(msg)
        return found

    # -- /mydata (the data section calls these; the repository stays the service's own) -------------------

    async def export_user(self, user_id: int) -> list[dict[str, Any]]:
        """Everything this feature stores about the member (`/mydata export`)."""
        return await self.repo.export_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Erase what this feature stores about the member (`/mydata delete`); returns the rows removed."""
        return await self.repo.erase_user(user_id)
