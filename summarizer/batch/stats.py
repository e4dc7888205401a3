"""Counters of a running batch and its final report; plain data, so a REST job runner can serve them."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BatchStatus(StrEnum):
    running = "running"
    completed = "completed"  # every input item is in the output or the failures file
    interrupted = "interrupted"  # stopped on request (Ctrl-C, SIGTERM, a job cancelled); resumable
    aborted = "aborted"  # stopped because no article could succeed (backend down, bad settings); resumable


EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_ABORTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


@dataclass(frozen=True)
class RemoteProgress:
    """The batch-API engine's last poll: its round, its batches by status, their request counts."""

    round: int
    statuses: dict[str, int]
    total: int
    completed: int
    failed: int

    @classmethod
    def of(cls, round_: int, views: Iterable[Any]) -> RemoteProgress:
        """From the provider's views of the batches (``status``, ``total``, ``completed``, ``failed``)."""
        seen = list(views)
        return cls(
            round=round_,
            statuses=dict(Counter(v.status for v in seen)),
            total=sum(v.total for v in seen),
            completed=sum(v.completed for v in seen),
            failed=sum(v.failed for v in seen),
        )

    def line(self) -> str:
        batches = ", ".join(f"{status} {n}" for status, n in sorted(self.statuses.items()))
        return (
            f"round {self.round}: batches {batches or 'none'}; requests {self.completed + self.failed}/{self.total}"
            f" answered ({self.failed} failed)"
        )


@dataclass
class BatchStats:
    """What happened so far. ``done``/``failed`` count this run; ``skipped`` were finished by an earlier run."""

    total: int | None = None
    seen: int = 0
    skipped: int = 0
    done: int = 0
    cached: int = 0
    failed: int = 0
    in_flight: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failures_by_type: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    remote: RemoteProgress | None = None  # the batch-API engine's batches at the provider, while it waits

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def finished_items(self) -> int:
        return self.skipped + self.processed

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def elapsed_s(self) -> float:
        return (self.finished if self.finished is not None else time.monotonic()) - self.started

    @property
    def per_minute(self) -> float:
        elapsed = self.elapsed_s
        return self.processed / elapsed * 60 if elapsed > 0 else 0.0

    @property
    def remaining(self) -> int | None:
        return None if self.total is None else max(0, self.total - self.finished_items)

    @property
    def eta_s(self) -> float | None:
        remaining, rate = self.remaining, self.per_minute
        if remaining is None or self.processed == 0 or rate <= 0:
            return None
        return remaining / rate * 60

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "seen": self.seen,
            "skipped": self.skipped,
            "done": self.done,
            "cached": self.cached,
            "failed": self.failed,
            "in_flight": self.in_flight,
            "requests": self.requests,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "failures_by_type": dict(self.failures_by_type),
            "elapsed_s": round(self.elapsed_s, 3),
            "per_minute": round(self.per_minute, 2),
            "eta_s": None if self.eta_s is None else round(self.eta_s, 1),
        }


@dataclass
class BatchReport:
    status: BatchStatus
    stats: BatchStats
    failures_total: int  # failure records in the failures file now, from this run and earlier ones
    out: str
    failures: str
    journal: str
    message: str | None = None  # why it was aborted

    @property
    def exit_code(self) -> int:
        if self.status is BatchStatus.interrupted:
            return EXIT_INTERRUPTED
        if self.status is BatchStatus.aborted:
            return EXIT_ABORTED
        return EXIT_SOME_FAILED if self.failures_total else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "exit_code": self.exit_code,
            "failures_total": self.failures_total,
            "out": self.out,
            "failures": self.failures,
            "journal": self.journal,
            "message": self.message,
            **self.stats.to_json(),
        }
