"""Batch jobs of the REST API: uploaded JSONL, run one at a time by the batch engine, surviving restarts.

Each job is a directory under ``<data_dir>/batches/<id>/``: the uploaded ``input.jsonl``, ``job.json``
(what to run), the engine's ``out.jsonl`` / journal / failures files, and ``state.json`` (the last
status and counts). A job is run by ``BatchRunner``, whose journal makes every run resumable: at start,
every job whose state is not final is queued again and continues where it stopped.
"""

from __future__ import annotations

import queue
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from pydantic import BaseModel, Field

from summarizer.batch.engine import BatchJob, BatchRunner
from summarizer.batch.stats import BatchStats, BatchStatus
from summarizer.errors import SummarizerError
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

log = structlog.get_logger(__name__)

FINAL = {BatchStatus.completed.value, "failed"}


class BatchState(BaseModel):
    """What GET /v1/batches/{id} answers."""

    id: str
    status: str = Field(description="queued, running, completed, interrupted (resumes), aborted (resumes), failed")
    created_at: datetime
    updated_at: datetime
    prompt_version: str | None = None
    total: int | None = Field(default=None, description="Articles in the upload (lines)")
    done: int = Field(default=0, description="Summarized, in all runs of the job")
    failed: int = Field(default=0, description="In the failures file")
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    message: str | None = None
    results: str
    failures: str


class BatchManager:
    """Owns the job directories and the one thread that runs them in order."""

    def __init__(self, root: Path, settings: Settings, summarizer: Summarizer):
        self.root = root
        self.settings = settings
        self.summarizer = summarizer
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._running: tuple[str, BatchRunner] | None = None
        self._thread: threading.Thread | None = None
        root.mkdir(parents=True, exist_ok=True)

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Queue every unfinished job (oldest first) and start the worker."""
        for job_id in sorted(self._job_ids(), key=lambda i: self._read_state(i).created_at):
            if self._read_state(job_id).status not in FINAL:
                self._queue.put(job_id)
        self._thread = threading.Thread(target=self._work, name="summarizer-batches", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop at once; the job in flight is journaled and resumes at the next start."""
        with self._lock:
            if self._running is not None:
                self._running[1].abandon()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)

    # -- jobs ---------------------------------------------------------------------------------------

    def create(self, upload: bytes, *, prompt_version: str | None) -> BatchState:
        job_id = "bat_" + uuid.uuid4().hex[:20]
        directory = self.root / job_id
        directory.mkdir()
        (directory / "input.jsonl").write_bytes(upload)
        job = BatchJob(input=str(directory / "input.jsonl"), out=directory / "out.jsonl", prompt_version=prompt_version)
        (directory / "job.json").write_text(job.model_dump_json())
        now = datetime.now(UTC)
        total = sum(1 for line in upload.splitlines() if line.strip())
        state = BatchState(
            id=job_id,
            status="queued",
            created_at=now,
            updated_at=now,
            prompt_version=prompt_version,
            total=total,
            results=f"/v1/batches/{job_id}/results",
            failures=f"/v1/batches/{job_id}/failures",
        )
        self._write_state(state)
        self._queue.put(job_id)
        return state

    def state(self, job_id: str) -> BatchState | None:
        """The stored state, with counts read from the job's files (they are the truth across restarts)."""
        if not self._exists(job_id):
            return None
        state = self._read_state(job_id)
        with self._lock:
            if self._running is not None and self._running[0] == job_id:
                state = _with_tokens(state, self._running[1].stats)
        paths = self._job(job_id).paths
        return state.model_copy(update={"done": _lines(paths.journal), "failed": _lines(paths.failures)})

    def paths(self, job_id: str) -> tuple[Path, Path] | None:
        """The results and failures files of a job (they may not exist yet)."""
        if not self._exists(job_id):
            return None
        paths = self._job(job_id).paths
        return paths.out, paths.failures

    def _work(self) -> None:
        while (job_id := self._queue.get()) is not None:
            try:
                self._run(job_id)
            except Exception as exc:  # a job must never take the worker down
                log.exception("batch job crashed", job=job_id)
                self._update(job_id, status="failed", message=f"{type(exc).__name__}: {exc}")

    def _run(self, job_id: str) -> None:
        runner = BatchRunner(self._job(job_id), self.settings, summarizer=self.summarizer)
        with self._lock:
            self._running = (job_id, runner)
        self._update(job_id, status="running")
        try:
            report = runner.run()
        except SummarizerError as exc:
            self._update(job_id, status="failed", message=str(exc))
            return
        finally:
            with self._lock:
                self._running = None
        state = _with_tokens(self._read_state(job_id), report.stats)
        state = state.model_copy(update={"status": report.status.value, "message": report.message})
        self._write_state(state)
        log.info("batch job ended", job=job_id, status=state.status, done=state.done, failed=state.failed)

    # -- files --------------------------------------------------------------------------------------

    def _exists(self, job_id: str) -> bool:
        return job_id.startswith("bat_") and job_id.isascii() and (self.root / job_id / "state.json").is_file()

    def _job_ids(self) -> list[str]:
        return [p.name for p in self.root.iterdir() if self._exists(p.name)]

    def _job(self, job_id: str) -> BatchJob:
        return BatchJob.model_validate_json((self.root / job_id / "job.json").read_text())

    def _read_state(self, job_id: str) -> BatchState:
        return BatchState.model_validate_json((self.root / job_id / "state.json").read_text())

    def _write_state(self, state: BatchState) -> None:
        state.updated_at = datetime.now(UTC)
        path = self.root / state.id / "state.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(state.model_dump_json())
        tmp.replace(path)

    def _update(self, job_id: str, **changes: Any) -> None:
        self._write_state(self._read_state(job_id).model_copy(update=changes))


def _with_tokens(state: BatchState, stats: BatchStats) -> BatchState:
    """The run's cache hits and tokens (this run; earlier runs' are kept when this one did nothing)."""
    if not stats.processed:
        return state
    return state.model_copy(
        update={
            "cached": stats.cached,
            "prompt_tokens": stats.prompt_tokens,
            "completion_tokens": stats.completion_tokens,
        }
    )


def _lines(path: Path) -> int:
    """Complete lines in a journal or failures file (a torn last line does not count)."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0
