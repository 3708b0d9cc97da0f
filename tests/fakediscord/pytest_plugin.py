"""Pytest fixtures for the fake Discord. Opt in with ``pytest_plugins = ["tests.fakediscord.pytest_plugin"]``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .server import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py patched to use it; fails the test on unhandled requests."""
    fake = FakeDiscord()
    await fake.start()
    try:
        with fake.patch_discord():
            yield fake
    finally:
        await fake.stop()
    unhandled = [f"{r.method} {r.path}" for r in fake.unhandled]
    assert not unhandled, f"the bot called endpoints the fake Discord does not implement: {unhandled}"
