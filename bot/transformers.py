"""Option text → typed values at the edge (`app_commands.Transformer`), so services take typed input.

A transformer that raises `HarborError` reaches the member as that message (discord.py wraps it in a
`TransformerError`, which the error handler unwraps). Use them as option annotations::

    async def schedule(self, interaction, at: app_commands.Transform[time, TimeOfDay], ...)
    async def pause(self, interaction, span: app_commands.Transform[timedelta, Duration(maximum=...)])

The parsers themselves are pure (bot/domain/parse.py, recurrence.py, when.py) and tested there.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, ClassVar

import discord
from discord import app_commands

from bot.domain.parse import MAX_DURATION, parse_date, parse_duration, resolve_zone, zone_suggestions
from bot.domain.recurrence import WEEKDAYS, parse_time, parse_weekday
from bot.domain.when import parse_in_zone

if TYPE_CHECKING:
    from bot.app import Harbor


async def _member_zone(interaction: discord.Interaction[Harbor]) -> str:
    return await interaction.client.services.profiles.timezone(interaction.user.id)


class LocalDateTime(app_commands.Transformer["Harbor"]):
    """A natural-language date-time ("next tue 6pm", "in 2 hours") in the caller's zone, as aware UTC."""

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> datetime:
        """Parse `value` in the zone the caller set with `/profile timezone` (UTC until set)."""
        return parse_in_zone(str(value), interaction.client.clock(), await _member_zone(interaction))


async def local_datetime(client: Harbor, user_id: int, text: str) -> datetime:
    """The same parse for modal fields, which have no transformer: aware UTC in the member's zone."""
    zone = await client.services.profiles.timezone(user_id)
    return parse_in_zone(text, client.clock(), zone)


class TextOption(app_commands.Transformer["Harbor"]):
    """A typed option the member types as text; Discord refuses it empty or over `max_length` characters."""

    max_length: ClassVar[int] = 100

    @property
    def min_value(self) -> int:
        """At least one character."""
        return 1

    @property
    def max_value(self) -> int:
        """At most `max_length` characters."""
        return self.max_length


class TimeOfDay(TextOption):
    """A wall-clock time: "18:30", "6pm", "6:30 pm", "09:00" → `datetime.time` (no date, no zone)."""

    max_length = 20

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> time:
        """Parse with `parse_time`; nonsense is refused with examples."""
        return parse_time(str(value))


class Weekday(TextOption):
    """A day of the week by name or 3-letter prefix → 0 (Monday) … 6 (Sunday), with autocomplete."""

    max_length = 12

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> int:
        """Parse with `parse_weekday`."""
        return parse_weekday(str(value))

    async def autocomplete(
        self, interaction: discord.Interaction[Harbor], value: str | int | float, /
    ) -> list[app_commands.Choice[str | int | float]]:
        """The days matching what was typed so far."""
        needle = str(value).strip().lower()[:3]
        return [app_commands.Choice(name=d.capitalize(), value=d) for d in WEEKDAYS if d.startswith(needle)]


class Zone(TextOption):
    """An IANA time zone, case and spaces forgiven, with autocomplete and close-name hints when unknown."""

    max_length = 64  # the longest IANA names are about 30 characters

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> str:
        """The canonical zone name."""
        return resolve_zone(str(value))

    async def autocomplete(
        self, interaction: discord.Interaction[Harbor], value: str | int | float, /
    ) -> list[app_commands.Choice[str | int | float]]:
        """Common zones when nothing is typed, else zones by region or city prefix."""
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(str(value))]


class LocalDate(TextOption):
    """A calendar date ("2027-03-09", "march 9", "tomorrow") read from the caller's own today.

    ``prefer`` picks the year of a date typed without one: "past" for things done (CE entries),
    "future" for things planned, "current_period" (the default) for this year.
    """

    def __init__(self, prefer: str = "current_period") -> None:
        self.prefer = prefer

    max_length = 40

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> date:
        """Parse in the member's zone (a date typed at 1 a.m. in Tokyo is Tokyo's)."""
        from zoneinfo import ZoneInfo

        today = interaction.client.clock().astimezone(ZoneInfo(await _member_zone(interaction))).date()
        return parse_date(str(value), today, prefer=self.prefer)


class Duration(TextOption):
    """A span of time: "90m", "2h", "1d12h", "2 days" → `timedelta`, within ``minimum``…``maximum``."""

    def __init__(self, minimum: timedelta = timedelta(minutes=1), maximum: timedelta = MAX_DURATION) -> None:
        self.minimum = minimum
        self.maximum = maximum

    max_length = 40

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> timedelta:
        """Parse with `parse_duration`; zero, negative and too-long spans are refused with a message."""
        return parse_duration(str(value), minimum=self.minimum, maximum=self.maximum)
