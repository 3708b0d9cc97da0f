"""Render `/ce status` charts off the event loop, in a worker process when one can be started.

matplotlib holds the GIL for most of its ~40 ms per chart; in a thread it would slow every other
command the bot is answering meanwhile. One spawned worker process (started on first use, stopped
with the cog) keeps the bot's interpreter free; if it cannot start or breaks, a thread is used.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.domain.ce_chart import Bar, render_progress

log = logging.getLogger(__name__)


class ChartRenderer:
    """A lazily started, single-worker process pool with a thread fallback."""

    def __init__(self, *, use_process: bool = True) -> None:
        self._use_process = use_process
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, bars: Sequence[Bar]) -> bytes:
        """PNG bytes of the progress chart."""
        rows = list(bars)
        if self._use_process:
            try:
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                return await asyncio.get_running_loop().run_in_executor(self._pool, render_progress, rows)
            except (BrokenProcessPool, OSError, RuntimeError) as exc:  # RuntimeError: spawn refused
                log.warning("chart worker unavailable (%s); rendering in a thread from now on", type(exc).__name__)
                self.close()
                self._use_process = False
        return await asyncio.to_thread(render_progress, rows)

    def close(self) -> None:
        """Stop the worker process, if any."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
