"""One admission gate in front of the model, for interactive requests and batch jobs alike.

The embedded model runs one generation at a time on 2 cores; piling requests up inside llama.cpp helps
nobody. Every generation the server starts holds one of ``concurrency`` slots: an interactive request
(``POST /v1/summaries``, from the event loop: ``async with gate.slot()``) and each article of a REST
batch job (from the job's worker threads: ``with gate.hold(BATCH)``). So the slots the gate counts as
free are free: nothing else reaches the model.

Waiters are served by priority, then in arrival order: interactive requests before batch articles, so
a running job delays an interactive request by at most the article in progress. When ``max_waiting``
interactive requests already wait, a new one gets 503 with a Retry-After estimated from what was
measured (``start_estimate_s``): when each running generation ends, and what each one waiting ahead
will take. Batch articles are never refused: the job is the queue.

What a generation takes ("typical") stands on the best of, in this order (``GateState.basis``):

- ``median``: the median of the last ones measured, kept in the data dir across restarts
  (``gate_memory``): the bases below only speak for a server never measured on its backend, model and
  default prompt;
- ``calls``: what the running generations project from their own model calls once one returned
  (``summarizer.call_progress``: a strategy knows how many calls it will make and each is timed);
- ``probe``: before any call returned, what they planned at the pace of the remote backend's start-up
  probe (one 1-token completion, ``LLMClient.probe``): a floor, since a real call answers more than one
  token, raised to the time the call out now has been in flight once that is longer;
- ``prior``: before any plan (or with no probe: the embedded model is not probed, a failed probe is
  nobody's pace), the backend's assumed time (``initial_estimate_s``).

A running generation ends, once two of its calls returned, when its remaining calls will have at the
pace of those after the first (which reuse the article the first one read); with one returned, that
projection only bounds the end from above, so the sooner of it and the typical duration minus the time
taken stands; with none, its planned calls at the probe's pace when nothing better stands, else the
latter. Measured by ``benchmarks/gate_wait.py`` (one slot, a fake model at 0.4 s a call, five calls an
article): a 503's Retry-After was within 2x of the real wait on every basis (the figures of this
machine in docs/quality.md).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import statistics
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Literal

from summarizer.api.gate_memory import DurationFile
from summarizer.api.problems import QueueFull
from summarizer.call_progress import CallProgress, Calls, reporting_to
from summarizer.errors import BackendUnavailable

INTERACTIVE = 0
BATCH = 1
KINDS = {INTERACTIVE: "interactive", BATCH: "batch"}
Basis = Literal["median", "calls", "probe", "prior"]  # what an estimate stands on, best first


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    wake: Callable[[], None] = field(compare=False)
    progress: CallProgress = field(compare=False)  # its model calls, once it generates
    granted: bool = field(default=False, compare=False)
    left: bool = field(default=False, compare=False)  # gave up waiting (cancelled); skipped when its turn comes


@dataclass(frozen=True)
class _Running:
    priority: int
    started: float
    progress: CallProgress


@dataclass(frozen=True)
class GateState:
    """What the gate holds now: slots, generations running and requests waiting, by kind."""

    slots: int
    free: int
    running: dict[str, int]
    waiting: dict[str, int]
    median_s: float | None  # of the measured generations; None before the first one ends
    calls_returned: int  # model calls the running generations have returned: what their projections stand on
    basis: Basis  # what the typical duration, and so a Retry-After, stands on now (the module's docstring)


# What one article's generation takes before this server has measured its own, per backend: the
# embedded model's median with the default prompt on 2 cores (benchmarks/extraction_speed.py: 14 s,
# rounded up), and a few calls to a remote endpoint. Each is replaced by the running generation's
# planned calls at the start-up probe's pace once it has planned them (remote backends), by a projection
# from its calls as soon as one returns, and by the measured median as soon as one generation ends (or
# at start, from the last run's), so it only speaks for callers that come before any of that.
TYPICAL_GENERATION_S = {"embedded": 20.0}
TYPICAL_REMOTE_GENERATION_S = 5.0


def typical_generation_s(backend: str) -> float:
    return TYPICAL_GENERATION_S.get(backend, TYPICAL_REMOTE_GENERATION_S)


class GenerationGate:
    def __init__(
        self,
        concurrency: int,
        max_waiting: int,
        *,
        initial_estimate_s: float = 10.0,
        probe_s: Callable[[], float | None] = lambda: None,
        memory: DurationFile | None = None,
        samples: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ):
        """``initial_estimate_s`` stands for a generation's duration until something better stands (the
        module's docstring); ``probe_s`` gives the backend's start-up probe round trip, once measured (it is
        timed in the background as the server starts); ``memory`` keeps the measured durations across
        restarts: read now, written as each generation ends."""
        self.concurrency = concurrency
        self.max_waiting = max_waiting
        self.initial_estimate_s = initial_estimate_s
        self._probe_s = probe_s
        self._memory = memory
        self._clock = clock
        self._lock = threading.Lock()
        self._remembering = threading.Lock()  # one write of the durations at a time, taken before _lock
        self._queue: list[_Waiter] = []  # a heap: (priority, arrival)
        self._waiting = dict.fromkeys(KINDS, 0)
        self._running: dict[int, _Running] = {}  # by waiter seq
        self._durations: deque[float] = deque(memory.load() if memory else (), maxlen=samples)
        self._seq = itertools.count()
        self._closed = False

    # -- what the gate reports ------------------------------------------------------------------

    def state(self) -> GateState:
        with self._lock:
            running = dict.fromkeys(KINDS.values(), 0)
            for held in self._running.values():
                running[KINDS[held.priority]] += 1
            return GateState(
                slots=self.concurrency,
                free=self.concurrency - len(self._running),
                running=running,
                waiting={KINDS[p]: n for p, n in self._waiting.items()},
                median_s=statistics.median(self._durations) if self._durations else None,
                calls_returned=sum(calls.returned for _, calls in self._running_calls()),
                basis=self._typical(self._clock(), self._probe_s())[1],
            )

    def start_estimate_s(self, priority: int = INTERACTIVE) -> float:
        """Seconds until a request of ``priority`` arriving now would get a slot (it waits behind everyone
        of its priority or higher): slots free up as running generations end, then every waiter ahead takes
        the typical duration (see the module's docstring)."""
        with self._lock:
            return self._start_estimate(priority)

    def retry_after_s(self) -> int:
        return max(1, math.ceil(self.start_estimate_s(INTERACTIVE)))

    def _start_estimate(self, priority: int) -> float:
        now = self._clock()
        probe = self._probe_s()
        typical, basis = self._typical(now, probe)
        free_at = [
            self._ends_in(held, typical, now, probe if basis == "probe" else None) for held in self._running.values()
        ]
        free_at += [0.0] * (self.concurrency - len(free_at))
        heapq.heapify(free_at)
        ahead = sum(n for p, n in self._waiting.items() if p <= priority)
        for _ in range(ahead):
            heapq.heappush(free_at, heapq.heappop(free_at) + typical)
        return free_at[0]

    def _typical(self, now: float, probe: float | None) -> tuple[float, Basis]:
        """What one generation takes, and what that stands on: measured, else projected from the running
        ones' returned calls, else from their planned calls at the probe's pace, else assumed."""
        if self._durations:
            return statistics.median(self._durations), "median"
        projected = [
            calls.whole_s(held.started) if calls.settled else min(calls.whole_s(held.started), self.initial_estimate_s)
            for held, calls in self._running_calls()
        ]
        if projected:
            return statistics.median(projected), "calls"
        if probe is not None:
            planned = [(held, held.progress.planned()) for held in self._running.values()]
            probed = [calls.probed_whole_s(probe, held.started, now) for held, calls in planned if calls is not None]
            if probed:
                return statistics.median(probed), "probe"
        return self.initial_estimate_s, "prior"

    def _ends_in(self, held: _Running, typical: float, now: float, probe: float | None) -> float:
        """When ``held`` ends; ``probe`` is given when the typical duration stands on it (nothing better)."""
        # From the typical duration: at least a tenth of it from now, when it has run longer (late, not done).
        guess = max(typical - (now - held.started), typical / 10)
        calls = held.progress.calls()
        if calls is not None:
            return calls.remaining_s(now) if calls.settled else min(calls.remaining_s(now), guess)
        planned = held.progress.planned()
        if probe is not None and planned is not None:
            return planned.probed_remaining_s(probe, now)
        return guess

    def _running_calls(self) -> list[tuple[_Running, Calls]]:
        found = [(held, held.progress.calls()) for held in self._running.values()]
        return [(held, calls) for held, calls in found if calls is not None]

    # -- taking a slot --------------------------------------------------------------------------

    @asynccontextmanager
    async def slot(self, priority: int = INTERACTIVE) -> AsyncIterator[None]:
        """Hold a slot for one generation (event loop side); raises ``QueueFull`` (503) when too many wait."""
        loop = asyncio.get_running_loop()
        granted = loop.create_future()

        def wake() -> None:  # called under the gate's lock, from any thread
            loop.call_soon_threadsafe(_resolve, granted)

        with self._lock:
            if priority == INTERACTIVE and self._waiting[INTERACTIVE] >= self.max_waiting and not self._free():
                raise QueueFull(max(1, math.ceil(self._start_estimate(priority))), self._waiting[INTERACTIVE])
            waiter = self._enter(priority, wake)
        if not waiter.granted:
            try:
                await granted
            except BaseException:  # cancelled (the client went away): leave the queue, or give the slot back
                self._leave(waiter)
                raise
            if not waiter.granted:  # woken by close()
                raise BackendUnavailable("the server is stopping; send the article again once it is back")
        try:
            with reporting_to(waiter.progress):
                yield
        finally:
            self._release(waiter, remember=False)
            # the durations go to disk on a worker thread: the event loop serves other requests meanwhile
            await asyncio.shield(loop.run_in_executor(None, self._remember))

    @contextmanager
    def hold(self, priority: int = BATCH) -> Iterator[None]:
        """Hold a slot for one generation, blocking this thread until it is granted (batch job workers).

        Raises ``BackendUnavailable`` when the gate closes (the server stops) before the slot is granted.
        """
        event = threading.Event()
        with self._lock:
            if self._closed:
                raise BackendUnavailable("the server is stopping; this article waits for its next start")
            waiter = self._enter(priority, event.set)
        event.wait()
        if not waiter.granted:  # woken by close()
            raise BackendUnavailable("the server is stopping; this article waits for its next start")
        try:
            with reporting_to(waiter.progress):
                yield
        finally:
            self._release(waiter)

    def close(self) -> None:
        """Wake every blocked ``hold()`` without a slot (they raise); the server is stopping."""
        with self._lock:
            self._closed = True
            for waiter in self._queue:
                if not waiter.left:
                    waiter.left = True
                    waiter.wake()
            self._queue.clear()
            self._waiting = dict.fromkeys(KINDS, 0)

    # -- under the lock -------------------------------------------------------------------------

    def _free(self) -> bool:
        return len(self._running) < self.concurrency

    def _enter(self, priority: int, wake: Callable[[], None]) -> _Waiter:
        waiter = _Waiter(priority, next(self._seq), wake, CallProgress(self._clock))
        heapq.heappush(self._queue, waiter)
        self._waiting[priority] += 1
        self._dispatch()
        return waiter

    def _dispatch(self) -> None:
        while self._queue and self._free():
            waiter = heapq.heappop(self._queue)
            if waiter.left:
                continue
            self._waiting[waiter.priority] -= 1
            waiter.granted = True
            self._running[waiter.seq] = _Running(waiter.priority, self._clock(), waiter.progress)
            waiter.wake()

    def _leave(self, waiter: _Waiter) -> None:
        with self._lock:
            if waiter.granted:  # granted as it was cancelled: the slot goes to the next, nothing was measured
                self._running.pop(waiter.seq)
                self._dispatch()
            elif not waiter.left:
                waiter.left = True
                self._waiting[waiter.priority] -= 1

    def _release(self, waiter: _Waiter, *, remember: bool = True) -> None:
        with self._lock:
            held = self._running.pop(waiter.seq)
            self._durations.append(self._clock() - held.started)
            self._dispatch()
        if remember:
            self._remember()

    def _remember(self) -> None:
        """Write the measured durations down, outside the gate's lock (nobody waits for the disk); the
        writes follow each other, each with the durations as they are when it starts."""
        if self._memory is None:
            return
        with self._remembering:
            with self._lock:
                measured = list(self._durations)
            self._memory.save(measured)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
