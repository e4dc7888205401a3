"""A fair, bounded queue in front of the model.

The embedded model runs one generation at a time on 2 cores; piling requests up until they time out
helps nobody. Requests wait in FIFO order (asyncio's semaphore wakes waiters in order) for one of
``concurrency`` slots; when ``max_waiting`` are already waiting, a new one gets 503 with a
Retry-After estimated from recent generation times.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from summarizer.api.problems import QueueFull


class GenerationGate:
    def __init__(self, concurrency: int, max_waiting: int, *, initial_estimate_s: float = 60.0):
        self.concurrency = concurrency
        self.max_waiting = max_waiting
        self.waiting = 0
        self.running = 0
        self._slots = asyncio.Semaphore(concurrency)
        self._average_s = initial_estimate_s

    def retry_after_s(self) -> int:
        """Seconds until a new request would probably get a slot."""
        ahead = self.waiting + self.running
        return max(1, math.ceil(self._average_s * max(ahead, 1) / self.concurrency))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked() and self.waiting >= self.max_waiting:
            raise QueueFull(self.retry_after_s(), self.waiting)
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            self.running -= 1
            self._slots.release()
            self._average_s = 0.7 * self._average_s + 0.3 * (time.monotonic() - started)
