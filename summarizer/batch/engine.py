"""Run a batch job: read items, summarize them on worker threads, record each outcome once.

A job is its input, its output path and the state in the output files (``store.py``): running the same
job again continues where it stopped. ``BatchRunner.run()`` blocks; a REST job runner calls it on a
background thread and ``stop()`` from another, the CLI calls ``stop()``/``abandon()`` from its signal
handler. Only the thread in ``run()`` writes; workers return outcomes (``work.py``).

Concurrency: a bounded number of articles in flight (``concurrency``; by default 1 for the embedded
model, 4 for replay, 8 for an OpenAI-compatible endpoint). With a requests/tokens-per-minute budget and
no explicit ``concurrency``, the bound grows (up to ``max_concurrency``) to what the budget and the
observed latency need, so that the budget is used fully.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.batch.inputs import BatchInput, Item, open_input
from summarizer.batch.ratelimit import RateLimiter, limited_llm
from summarizer.batch.remote.requests import MAX_FILE_BYTES, MAX_FILE_REQUESTS
from summarizer.batch.stats import BatchReport, BatchStats, BatchStatus
from summarizer.batch.store import BatchPaths, FailureRecord, ResultStore
from summarizer.batch.work import Done, Failed, Fatal, Outcome, failure_reason, process
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = {"embedded": 1, "replay": 4, "openai": 8}
POLL_S = 0.1


class BatchJob(BaseModel):
    """Everything that defines a batch; JSON-serializable, so a job runner can store it and restart it."""

    model_config = ConfigDict(extra="forbid")

    input: str = Field(description="A folder of .txt/.md files, a JSONL file, or - for JSONL on stdin")
    out: Path = Field(description="Output JSONL; the journal and failures files go next to it")
    failures: Path | None = Field(default=None, description="Defaults to <out stem>.failures.jsonl")
    concurrency: int | None = Field(default=None, ge=1, description="Articles in flight; default per backend")
    max_concurrency: int = Field(default=64, ge=1, description="Upper bound when concurrency adapts to a budget")
    rpm: float | None = Field(default=None, gt=0, description="Requests per minute the provider allows")
    tpm: float | None = Field(default=None, gt=0, description="Tokens per minute the provider allows")
    use_cache: bool = True
    refresh: bool = False
    prompt_version: str | None = None
    retry_failed: bool = Field(default=False, description="Retry the articles the failures file lists")
    fresh: bool = Field(default=False, description="Discard earlier results of this output and start over")
    anonymous_input: bool = Field(
        default=False, description="Origins say 'line <n>', not '<input>:<n>' (an upload: its path is the server's)"
    )
    engine: Literal["live", "batch-api"] = Field(
        default="live", description="live: one request at a time; batch-api: the provider's batch API (remote/)"
    )
    poll_interval_s: float = Field(default=30.0, gt=0, description="batch-api: seconds between polls of a batch")
    max_file_requests: int = Field(default=MAX_FILE_REQUESTS, ge=1, description="batch-api: requests per input file")
    max_file_bytes: int = Field(default=MAX_FILE_BYTES, ge=1024, description="batch-api: bytes per input file")
    submit: bool = Field(
        default=True, description="batch-api: False writes the requests to answer offline (vLLM run_batch) and stops"
    )
    answers: list[Path] = Field(
        default_factory=list, description="batch-api: output files of requests answered elsewhere (vLLM run_batch)"
    )

    @property
    def paths(self) -> BatchPaths:
        return BatchPaths.for_output(self.out, self.failures)


def build_summarizer(settings: Settings, job: BatchJob) -> tuple[Summarizer, RateLimiter | None]:
    """The pipeline for a job; with a budget on an OpenAI-compatible endpoint, every request is rate limited."""
    if (job.rpm or job.tpm) and settings.resolved_backend() == "openai":
        limiter = RateLimiter(job.rpm, job.tpm)
        return Summarizer(settings, llm=limited_llm(settings, limiter)), limiter
    return Summarizer(settings), None


class _Pool:
    """Daemon worker threads (an abandoned batch must not keep the process alive), started as needed."""

    def __init__(self, work: Callable[[Item], Outcome], max_workers: int):
        self._work = work
        self._max_workers = max_workers
        self._tasks: queue.SimpleQueue[Item | None] = queue.SimpleQueue()
        self._results: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self.pending = 0

    def submit(self, item: Item) -> None:
        self.pending += 1
        if len(self._threads) < min(self.pending, self._max_workers):
            thread = threading.Thread(target=self._run, name=f"batch-worker-{len(self._threads)}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self._tasks.put(item)

    def get(self, timeout: float) -> Outcome | None:
        try:
            outcome = self._results.get(timeout=timeout)
        except queue.Empty:
            return None
        self.pending -= 1
        return outcome

    def _run(self) -> None:
        while (item := self._tasks.get()) is not None:
            try:
                outcome = self._work(item)
            except BaseException as exc:  # process() catches everything; this is the last line of defence
                outcome = Failed(item, type(exc).__name__, f"unexpected error: {exc}", 0)
            self._results.put(outcome)

    def shutdown(self, *, wait: bool) -> None:
        for _ in self._threads:
            self._tasks.put(None)
        if wait:
            for thread in self._threads:
                thread.join()


class BatchRunner:
    def __init__(
        self,
        job: BatchJob,
        settings: Settings,
        *,
        summarizer: Summarizer | None = None,
        limiter: RateLimiter | None = None,
        on_progress: Callable[[BatchStats], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        stdin: BinaryIO | None = None,
        progress_interval_s: float = 0.25,
    ):
        """``summarizer`` given: the caller owns (and closes) it; else one is built from ``settings``."""
        self.job = job
        self.settings = settings
        self._own_summarizer = summarizer is None
        if summarizer is None:
            summarizer, limiter = build_summarizer(settings, job)
        self.summarizer = summarizer
        self.limiter = limiter
        self.on_progress = on_progress
        self.on_notice = on_notice
        self.stdin = stdin
        self.progress_interval_s = progress_interval_s
        self.stats = BatchStats()
        self._stop = threading.Event()
        self._abandon = threading.Event()
        backend = summarizer.llm.backend
        self.adaptive = job.concurrency is None and limiter is not None and limiter.enforced
        self.concurrency = job.concurrency or DEFAULT_CONCURRENCY.get(backend, 4)

    # -- control from other threads or signal handlers -------------------------------------------

    def stop(self) -> None:
        """Finish the articles in flight, then stop (resumable)."""
        self._stop.set()

    def abandon(self) -> None:
        """Stop now; the articles in flight are dropped and redone on resume."""
        self._stop.set()
        self._abandon.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- the run ----------------------------------------------------------------------------------

    def run(self) -> BatchReport:
        """Raises ``InputPathError``, ``StoreError`` or ``ConfigError`` before any work starts; else reports."""
        job = self.job
        self.summarizer.prompt(job.prompt_version)  # an unknown prompt version fails now, not once per article
        batch_input = open_input(job.input, stdin=self.stdin, anonymous=job.anonymous_input)
        try:
            with ResultStore(job.paths, fresh=job.fresh, retry_failed=job.retry_failed) as store:
                if store.retried:
                    self._notice(f"retrying {store.retried} article(s) from {job.paths.failures}")
                if store.done or store.failed:
                    self._notice(
                        f"resuming {job.paths.out}: {len(store.done)} article(s) already done and "
                        f"{len(store.failed)} failed before are skipped"
                        + (" (--retry-failed retries the failed ones)" if store.failed else "")
                    )
                self.stats = BatchStats(total=batch_input.total)
                self._progress(force=True)  # shown at once, before the first article is done
                pool = _Pool(self._process, max(self.concurrency, job.max_concurrency if self.adaptive else 1))
                status, message = BatchStatus.interrupted, None
                try:
                    status, message = self._loop(batch_input, store, pool)
                finally:
                    pool.shutdown(wait=not self._abandon.is_set())
                    self.stats.finished = time.monotonic()
                    self._progress(force=True)
                return BatchReport(
                    status=status,
                    stats=self.stats,
                    failures_total=len(store.failed),
                    out=str(job.paths.out),
                    failures=str(job.paths.failures),
                    journal=str(job.paths.journal),
                    message=message,
                )
        finally:
            batch_input.close()
            if self._own_summarizer and not self._abandon.is_set():
                self.summarizer.close()

    def _process(self, item: Item) -> Outcome:
        job = self.job
        return process(
            self.summarizer, item, use_cache=job.use_cache, refresh=job.refresh, prompt_version=job.prompt_version
        )

    @property
    def in_flight_bound(self) -> int:
        """How many articles may be in flight now (grows with an rpm/tpm budget when concurrency was not given)."""
        return self._limit()

    def _limit(self) -> int:
        if not self.adaptive or self.limiter is None:
            return self.concurrency
        suggested = self.limiter.suggested_concurrency(self.job.max_concurrency)
        return self.concurrency if suggested is None else max(self.concurrency, suggested)

    def _loop(self, batch_input: BatchInput, store: ResultStore, pool: _Pool) -> tuple[BatchStatus, str | None]:
        stats = self.stats
        fatal: str | None = None
        exhausted = False
        announced_stop = False
        while True:
            while not exhausted and not self._stop.is_set() and pool.pending < self._limit():
                item = next(batch_input.items, None)
                if item is None:
                    exhausted = True
                    break
                stats.seen += 1
                if store.is_finished(item.id):
                    stats.skipped += 1
                elif item.error is not None:
                    self._record(store, Failed(item, type(item.error).__name__, failure_reason(item.error), 0))
                else:
                    pool.submit(item)
            stats.in_flight = pool.pending
            if self._abandon.is_set() or (pool.pending == 0 and (exhausted or self._stop.is_set())):
                break
            if self._stop.is_set() and not announced_stop and pool.pending and fatal is None:
                announced_stop = True
                self._notice(
                    f"stopping: finishing {pool.pending} article(s) in flight (press Ctrl-C again to drop them)"
                )
            outcome = pool.get(timeout=POLL_S)
            if isinstance(outcome, Fatal):
                if fatal is None:
                    fatal = f"{outcome.item.origin}: {outcome.error}"
                    self._notice(f"stopping the batch, no article can succeed: {outcome.error}")
                self._stop.set()
            elif outcome is not None:
                self._record(store, outcome)
            stats.in_flight = pool.pending
            self._progress()
        stats.in_flight = pool.pending
        if fatal is not None:
            return BatchStatus.aborted, fatal
        if exhausted and pool.pending == 0 and not self._abandon.is_set():
            return BatchStatus.completed, None
        return BatchStatus.interrupted, None

    def _record(self, store: ResultStore, outcome: Done | Failed) -> None:
        stats, item = self.stats, outcome.item
        if isinstance(outcome, Done):
            store.add_result(item.id, outcome.line, origin=item.origin, title=item.title, url=item.url)
            stats.done += 1
            if outcome.cache_hit:
                stats.cached += 1
            else:
                stats.requests += outcome.attempts
                stats.prompt_tokens += outcome.usage.prompt_tokens
                stats.completion_tokens += outcome.usage.completion_tokens
        else:
            record = FailureRecord(item.id, item.origin, outcome.error_type, outcome.reason, outcome.attempts)
            store.add_failure(record)
            stats.failed += 1
            stats.requests += outcome.attempts
            stats.failures_by_type[outcome.error_type] += 1

    _last_progress = 0.0

    def _progress(self, *, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = self.stats.elapsed_s
        if force or now - self._last_progress >= self.progress_interval_s:
            self._last_progress = now
            self.on_progress(self.stats)

    def _notice(self, message: str) -> None:
        if self.on_notice is not None:
            self.on_notice(message)
        else:
            log.warning("%s", message)
