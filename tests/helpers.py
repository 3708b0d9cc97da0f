"""Test helpers shared by every tier.

`eventually()` is the one way a test waits for something another task does (the bot answering over the
fake gateway, a scheduler job finishing). It only waits for things that *will* happen; to show that
something did *not* happen, drive time by hand (`timed_harness`, `fire_due() == 0`) instead of sleeping.
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
