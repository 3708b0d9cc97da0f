"""A fake Discord (REST API v10 + Gateway v10) on 127.0.0.1 for end-to-end tests of the real discord.py client.

Usage::

    fake = FakeDiscord()
    await fake.start()
    with fake.patch_discord():
        guild = fake.add_guild("Peer Network")
        ...
    await fake.stop()
"""

from .interactions import FakeInteraction
from .limits import DiscordError
from .models import FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeRole, FakeUser, RecordedRequest, Reply
from .options import CommandNotAvailableError
from .server import FakeDiscord

__all__ = [
    "CommandNotAvailableError",
    "DiscordError",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeInteraction",
    "FakeMember",
    "FakeMessage",
    "FakeRole",
    "FakeUser",
    "RecordedRequest",
    "Reply",
]
