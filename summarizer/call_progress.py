"""How far the generation running in this context is: the model calls it planned, and when each returned.

The REST API's gate hands a ``CallProgress`` to every generation it admits, in a context variable
(asyncio tasks and ``anyio.to_thread`` carry it to the thread that runs the strategy). A strategy says
how many calls it will make once it knows (``plan``) and marks each call that returns (``returned``);
from that the gate projects when a running generation ends, long before a whole one was measured (and,
before any call returned, from the plan at a start-up probe's pace: ``Calls.probed_remaining_s``).
Outside the gate ``current()`` gives a throwaway one, so strategies never need to ask.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Calls:
    """The calls of one generation so far: ``marks`` is when they began, then when each returned."""

    planned: int
    marks: tuple[float, ...]

    @property
    def returned(self) -> int:
        return max(0, len(self.marks) - 1)

    @property
    def settled(self) -> bool:
        """Whether ``pace_s`` was measured on calls after the first. The first call also reads the article,
        which the later ones reuse (llama.cpp's prefix cache), so one call alone only bounds the pace."""
        return self.returned >= 2

    @property
    def pace_s(self) -> float:
        """What each call still to come takes: the mean of those after the first, else the first."""
        if self.returned >= 2:
            return (self.marks[-1] - self.marks[1]) / (self.returned - 1)
        return self.marks[-1] - self.marks[0]

    def remaining_s(self, now: float) -> float:
        """Until the last planned call returns (a tenth of a call when the current one is late)."""
        left = self.planned - self.returned
        if left <= 0:
            return 0.0
        return max(left * self.pace_s - (now - self.marks[-1]), self.pace_s / 10)

    def whole_s(self, started: float) -> float:
        """The whole generation, from ``started`` (when it got its slot) to its last call."""
        first = self.marks[1] - self.marks[0]
        return (self.marks[0] - started) + first + (self.planned - 1) * self.pace_s

    # Before any call returned, from a probe: one minimal completion timed at start-up (``LLMClient.probe``).

    def floor_pace_s(self, probe_s: float, now: float) -> float:
        """What each call takes at least: the probe's round trip (it answered one token, a call answers
        more), or, once longer, what the call out now has taken so far (a remote endpoint's calls take
        alike, so that one's time in flight is a pace the others keep too)."""
        return max(probe_s, now - self.marks[-1])

    def probed_remaining_s(self, probe_s: float, now: float) -> float:
        """Until the last planned call returns, every call at the floor pace (a tenth of a call when late)."""
        pace = self.floor_pace_s(probe_s, now)
        return max(self.planned * pace - (now - self.marks[0]), pace / 10)

    def probed_whole_s(self, probe_s: float, started: float, now: float) -> float:
        """The whole generation from ``started``, every call at the floor pace."""
        return (self.marks[0] - started) + self.planned * self.floor_pace_s(probe_s, now)


class CallProgress:
    """Written by the thread that runs the generation, read by the gate from any thread: each update
    replaces one immutable ``Calls``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._calls = Calls(0, ())

    def plan(self, calls: int) -> None:
        """``calls`` model calls follow, starting now."""
        self._calls = Calls(calls, (self._clock(),))

    def returned(self) -> None:
        """One planned call returned (answered or failed: it took its time either way)."""
        calls = self._calls
        if calls.marks:
            self._calls = Calls(calls.planned, (*calls.marks, self._clock()))

    def calls(self) -> Calls | None:
        """The calls so far; None until one has returned (nothing is measured before)."""
        calls = self._calls
        return calls if calls.returned and calls.planned else None

    def planned(self) -> Calls | None:
        """The calls so far once some were planned, whether or not one has returned."""
        calls = self._calls
        return calls if calls.planned else None


_current: ContextVar[CallProgress | None] = ContextVar("summarizer_call_progress", default=None)


def current() -> CallProgress:
    """The progress of the generation running in this context (a throwaway one outside the gate)."""
    return _current.get() or CallProgress()


@contextmanager
def reporting_to(progress: CallProgress) -> Iterator[CallProgress]:
    """Within this block (and the threads and tasks it starts), ``current()`` is ``progress``."""
    token = _current.set(progress)
    try:
        yield progress
    finally:
        _current.reset(token)
