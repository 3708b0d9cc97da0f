"""The shared `eventually()` wait: returns the first truthy value, fails like an assertion with what it saw."""

import asyncio

import pytest

from tests.helpers import EventuallyTimeoutError, eventually, listeners_done


async def test_returns_the_first_truthy_value_of_a_plain_or_async_check():
    seen = []

    def plain():
        seen.append(1)
        return len(seen) if len(seen) >= 3 else 0

    assert await eventually(plain, interval=0) == 3

    box = []
    asyncio.get_running_loop().call_later(0.05, box.append, "ready")

    async def async_check():
        return box[:1]

    assert await eventually(async_check) == ["ready"]


async def test_gives_up_as_an_assertion_and_a_timeout_naming_what_it_waited_for():
    with pytest.raises(AssertionError, match=r"the reply still false after 0.05 s \(last value: \[\]\)"):
        await eventually(list, timeout=0.05, what="the reply")
    with pytest.raises(TimeoutError):
        await eventually(lambda: None, timeout=0.01)
    assert issubclass(EventuallyTimeoutError, AssertionError)


async def test_listeners_done_awaits_only_that_events_listener_tasks():
    finished = []

    async def listener(tag, delay):
        await asyncio.sleep(delay)
        finished.append(tag)

    mine = asyncio.create_task(listener("mine", 0.05), name="discord.py: on_harbor_x")
    other = asyncio.create_task(listener("other", 0.5), name="discord.py: on_harbor_y")
    await listeners_done("harbor_x")
    assert mine.done() and finished == ["mine"] and not other.done()
    other.cancel()
