"""Showing a batch's progress: a rich progress bar on a terminal, a plain line every so often otherwise."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from summarizer.batch.stats import BatchReport, BatchStats, BatchStatus, RemoteProgress


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def counts_line(stats: BatchStats) -> str:
    total = "?" if stats.total is None else str(stats.total)
    parts = [
        f"{stats.finished_items}/{total}",
        f"done {stats.done}",
        f"failed {stats.failed}",
        f"cached {stats.cached}",
    ]
    if stats.skipped:
        parts.append(f"already done {stats.skipped}")
    parts += [
        f"{stats.per_minute:.1f}/min",
        f"{stats.tokens:,} tokens",
        f"elapsed {duration(stats.elapsed_s)}",
        f"eta {duration(stats.eta_s)}",
    ]
    return " | ".join(parts)


class Reporter:
    """Progress on ``console`` (stderr): ``update`` may be called often, ``notice`` prints a line above it."""

    def __init__(self, console: Console, *, interval_s: float = 10.0, live: bool | None = None):
        self.console = console
        self.interval_s = interval_s
        self.live = console.is_terminal if live is None else live
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._remote_task: TaskID | None = None
        self._last_line = -interval_s

    def __enter__(self) -> Reporter:
        if self.live:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[eta]}"),
                console=self.console,
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("batch", total=None, **self._fields(BatchStats()))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    @staticmethod
    def _fields(stats: BatchStats) -> dict[str, Any]:
        info = (
            f"[green]{stats.done} done[/] [red]{stats.failed} failed[/] {stats.cached} cached · "
            f"{stats.per_minute:.1f}/min · {stats.tokens:,} tokens"
        )
        return {"info": info, "eta": f"eta {duration(stats.eta_s)}"}

    def update(self, stats: BatchStats) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=stats.total, completed=stats.finished_items, **self._fields(stats))
            if stats.remote is not None:
                self._update_remote(stats.remote)
            return
        now = time.monotonic()
        if now - self._last_line >= self.interval_s:
            self._last_line = now
            line = counts_line(stats) + (f" | provider {stats.remote.line()}" if stats.remote else "")
            self.console.print(f"summarizer: batch: {line}", markup=False, highlight=False, soft_wrap=True)

    def _update_remote(self, remote: RemoteProgress) -> None:
        """The batch-API engine's batches at the provider: a second bar of requests answered."""
        assert self._progress is not None
        batches = ", ".join(f"{status} {n}" for status, n in sorted(remote.statuses.items()))
        fields: dict[str, Any] = {
            "info": f"round {remote.round} · batches {batches} · {remote.failed} failed",
            "eta": "",
        }
        answered = remote.completed + remote.failed
        if self._remote_task is None:
            self._remote_task = self._progress.add_task("provider", total=remote.total, completed=answered, **fields)
        else:
            self._progress.update(self._remote_task, total=remote.total, completed=answered, **fields)

    def notice(self, message: str) -> None:
        self.console.print(f"summarizer: {message}", markup=False, highlight=False, soft_wrap=True)


def final_report(report: BatchReport, *, resume_hint: str) -> list[str]:
    """The lines printed when a batch ends."""
    stats = report.stats
    verb = {
        BatchStatus.completed: "finished",
        BatchStatus.interrupted: "interrupted",
        BatchStatus.aborted: "stopped",
        BatchStatus.running: "running",
    }[report.status]
    lines = [
        f"batch {verb} in {duration(stats.elapsed_s)}: {stats.done} summarized ({stats.cached} from the cache), "
        f"{stats.failed} failed, {stats.skipped} already done before; "
        f"{stats.tokens:,} tokens ({stats.prompt_tokens:,} prompt + {stats.completion_tokens:,} completion) "
        f"in {stats.requests} request(s); {stats.per_minute:.1f} articles/min",
    ]
    if stats.failures_by_type:
        kinds = ", ".join(f"{kind} {n}" for kind, n in stats.failures_by_type.most_common())
        lines.append(f"failures this run by type: {kinds}")
    lines.append(f"results: {report.out} (article ids per line: {report.journal})")
    if report.failures_total:
        lines.append(f"{report.failures_total} article(s) failed, with reasons in {report.failures}")
    if report.status is BatchStatus.aborted:
        lines.append(f"stopped because: {report.message}")
    if report.status in (BatchStatus.interrupted, BatchStatus.aborted):
        left = "" if stats.remaining is None else f"{stats.remaining} article(s) left; "
        lines.append(f"{left}to resume, run the same command again: {resume_hint}")
    return lines
