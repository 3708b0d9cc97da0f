"""Pytest fixtures for the fake Discord. Opt in with ``pytest_plugins = ["tests.fakediscord.pytest_plugin"]``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest_asyncio

from .server import FakeDiscord

VALIDATED = {"requests": 0}  # request bodies validated against the OpenAPI description in this run


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py patched to use it; fails the test on unhandled or invalid requests."""
    fake = FakeDiscord()
    await fake.start()
    try:
        with fake.patch_discord():
            yield fake
    finally:
        await fake.stop()
        VALIDATED["requests"] += fake.validated_requests
    unhandled = [f"{r.method} {r.path}" for r in fake.unhandled]
    assert not unhandled, f"the bot called endpoints the fake Discord does not implement: {unhandled}"
    invalid = [str(v) for v in fake.schema_violations]
    assert not invalid, "the bot sent bodies Discord's OpenAPI description rejects:\n" + "\n".join(invalid)


@pytest_asyncio.fixture
async def running(fake_discord: FakeDiscord) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """``await running(**kw)`` starts a small bot on the fake (``tests.test_fakediscord.start_bot``).

    Every bot started is closed after the test.
    """
    from tests.test_fakediscord import start_bot  # imported here: that module loads this plugin itself

    bots: list[Any] = []

    async def run(**kw: Any) -> Any:
        bot = await start_bot(fake_discord, **kw)
        bots.append(bot)
        return bot

    yield run
    for bot in bots:
        await bot.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if VALIDATED["requests"]:
        terminalreporter.write_line(
            f"fake Discord: {VALIDATED['requests']} request bodies validated against Discord's OpenAPI description"
        )
