"""Test helpers shared by every tier.

`eventually()` is the one way a test polls for something another task does (the bot answering over the
fake gateway, a scheduler job finishing). It only waits for things that *will* happen; to show that
something did *not* happen, drive time by hand (`timed_harness`, `fire_due() == 0`) instead of sleeping.
When a later step depends on a Harbor feature event (`harbor_timezone_changed`, …), await its listeners
with `listeners_done()` instead of polling for their effect.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

INTERVAL = 0.01


class EventuallyTimeoutError(AssertionError, TimeoutError):
    """`eventually()` gave up: a failed assertion to pytest, a timeout to code that waits with a deadline."""


async def eventually(
    check: Callable[[], Any], *, timeout: float = 5.0, interval: float = INTERVAL, what: str = ""
) -> Any:
    """Call `check()` (plain or async) until it returns something truthy, and return that value.

    Raises `EventuallyTimeoutError` (an `AssertionError` and a `TimeoutError`) naming `what` (or the check) with the
    last value seen when `timeout` seconds pass first, so a failing wait reads like a failed assertion.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if loop.time() >= deadline:
            name = what or getattr(check, "__qualname__", repr(check))
            msg = f"{name} still false after {timeout:g} s (last value: {value!r})"
            raise EventuallyTimeoutError(msg)
        await asyncio.sleep(interval)


async def listeners_done(event: str) -> None:
    """Await the listener tasks discord.py started for a dispatched event (e.g. ``"harbor_timezone_changed"``).

    Harbor dispatches its feature events before answering the command, so once the test has the reply
    the tasks exist; this waits until every one of them has finished (re-raising a listener's error).
    """
    name = f"discord.py: on_{event}"
    await asyncio.gather(*(t for t in asyncio.all_tasks() if t.get_name() == name and not t.done()))
