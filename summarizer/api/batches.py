"""Batch jobs of the REST API: uploaded JSONL, run by the batch engine, surviving restarts.

Two homes, one interface (``BatchJobs``): directories on this host (the default, SQLite's companion,
here) and rows in PostgreSQL shared by every instance (``batches_postgres.py``, with
``SUMMARIZER_DATABASE_URL``). ``open_batch_jobs`` picks one.

Each job is a directory under ``<data_dir>/batches/<id>/``: the uploaded ``input.jsonl``, ``job.json``
(what to run), the engine's ``out.jsonl`` / journal / failures files, and ``state.json`` (the last
status and counts). A job is run by ``BatchRunner``, whose journal makes every run resumable: at start,
every job whose state is not final is queued again and continues where it stopped.

What a client reads (status messages, failure origins) never names a server path: origins are
``line <n>`` of the upload. When the job files cannot be read or written, requests get ``StorageError``
(503) and a running job stops resumable (``aborted``), never ``failed``.
"""

from __future__ import annotations

import queue
import re
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import structlog
from pydantic import BaseModel, Field

from summarizer.api.uploads import STAGING_PREFIX, Upload, count_lines, staging_path
from summarizer.batch.engine import BatchJob, BatchRunner
from summarizer.batch.inputs import InputPathError
from summarizer.batch.stats import BatchStats, BatchStatus
from summarizer.batch.store import BatchPaths, StoreError, iter_results
from summarizer.errors import StorageError, SummarizerError
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings

log = structlog.get_logger(__name__)

FINAL = {BatchStatus.completed.value, "failed"}
BATCH_ID = re.compile(r"^bat_[0-9a-f]{20}$")  # what create() makes; anything else is no job
_STORAGE_STOPPED = "the server could not read or write this job's files; it resumes when the server restarts"


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


class BatchJobs(Protocol):
    """What the routes and the server's start and stop need of batch jobs, wherever they are kept."""

    root: Path  # where uploads are staged before they become a job

    def start(self) -> None: ...
    def stop(self, timeout_s: float = 5.0) -> None: ...
    def create(self, upload: bytes, *, prompt_version: str | None) -> BatchState: ...
    def create_from(self, upload: Upload, *, prompt_version: str | None) -> BatchState: ...
    def state(self, job_id: str) -> BatchState | None: ...
    def results(self, job_id: str) -> Iterator[tuple[str, dict[str, Any]]] | None: ...
    def failures(self, job_id: str) -> bytes | None: ...


def new_job_id() -> str:
    return "bat_" + uuid.uuid4().hex[:20]


def staged_upload(root: Path, data: bytes) -> Upload:
    """An upload held in memory, written where streamed uploads are staged (the library's way in)."""
    path = staging_path(root)
    with _storage("the upload cannot be stored", root):
        root.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Upload(path, len(data), count_lines(data))


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
        self._stopping = threading.Event()

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Queue every unfinished job (oldest first) and start the worker; unreadable storage queues none."""
        try:
            states = [self._read_state(job_id) for job_id in self._job_ids()]
        except StorageError as exc:
            log.warning("no batch job resumed", reason=str(exc))
            states = []
        for state in sorted(states, key=lambda state: state.created_at):
            if state.status not in FINAL:
                self._queue.put(state.id)
        try:
            for stale in self.root.glob(STAGING_PREFIX + "*"):
                stale.unlink(missing_ok=True)  # an upload cut off by a stop: never a job
        except OSError as exc:
            log.warning("unfinished uploads not removed", reason=str(exc))
        self._thread = threading.Thread(target=self._work, name="summarizer-batches", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop at once; the job in flight is journaled and resumes at the next start, as do the queued ones."""
        self._stopping.set()
        with self._lock:
            if self._running is not None:
                self._running[1].abandon()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)

    # -- jobs ---------------------------------------------------------------------------------------

    def create(self, upload: bytes, *, prompt_version: str | None) -> BatchState:
        """A job from an upload in memory (the library's way; the API streams its uploads: ``create_from``)."""
        return self.create_from(staged_upload(self.root, upload), prompt_version=prompt_version)

    def create_from(self, upload: Upload, *, prompt_version: str | None) -> BatchState:
        """A job whose input is ``upload``'s staging file (moved into the job's directory, never copied)."""
        job_id = new_job_id()
        directory = self.root / job_id
        job = BatchJob(input=str(directory / "input.jsonl"), out=directory / "out.jsonl", prompt_version=prompt_version)
        try:
            with _storage("the upload cannot be stored", directory):
                directory.mkdir(parents=True)
                upload.path.replace(directory / "input.jsonl")
                (directory / "job.json").write_text(job.model_dump_json())
        finally:
            upload.discard()  # gone already when it was moved
        now = datetime.now(UTC)
        state = BatchState(
            id=job_id,
            status="queued",
            created_at=now,
            updated_at=now,
            prompt_version=prompt_version,
            total=upload.lines,
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

    def paths(self, job_id: str) -> BatchPaths | None:
        """The results, journal and failures files of a job (they may not exist yet)."""
        if not self._exists(job_id):
            return None
        return self._job(job_id).paths

    def results(self, job_id: str) -> Iterator[tuple[str, dict[str, Any]]] | None:
        """Each finished summary (article id, summary), in the order they were written."""
        paths = self.paths(job_id)
        if paths is None:
            return None
        return ((entry.id, summary) for entry, summary in iter_results(paths))

    def failures(self, job_id: str) -> bytes | None:
        """The complete lines of a job's failures file (a line being written is left out)."""
        paths = self.paths(job_id)
        if paths is None:
            return None
        with _storage("a batch job's failures cannot be read", paths.failures.parent):
            try:
                data = paths.failures.read_bytes()
            except FileNotFoundError:
                return b""
        return data[: data.rfind(b"\n") + 1]

    def _work(self) -> None:
        while (job_id := self._queue.get()) is not None and not self._stopping.is_set():
            try:
                self._run(job_id)
            except (StorageError, StoreError, InputPathError, OSError) as exc:  # the server's files, not the job
                log.warning("batch job stopped: storage", job=job_id, reason=str(exc))
                self._settle(job_id, status=BatchStatus.aborted.value, message=_STORAGE_STOPPED)
            except Exception:  # a job must never take the worker down
                log.exception("batch job crashed", job=job_id)
                self._settle(job_id, status="failed", message="the job stopped on an internal error; it was logged")

    def _run(self, job_id: str) -> None:
        runner = BatchRunner(self._job(job_id), self.settings, summarizer=self.summarizer)
        with self._lock:
            self._running = (job_id, runner)
        try:
            self._update(job_id, status="running")
            report = runner.run()
        except StorageError:
            raise
        except SummarizerError as exc:  # bad settings or prompt version: true of every run of this job
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
        if not BATCH_ID.match(job_id):
            return False
        with _storage("batch jobs cannot be read", self.root):
            return (self.root / job_id / "state.json").is_file()

    def _job_ids(self) -> list[str]:
        with _storage("batch jobs cannot be listed", self.root):
            if not self.root.is_dir():
                return []
            return [p.name for p in self.root.iterdir() if self._exists(p.name)]

    def _job(self, job_id: str) -> BatchJob:
        job = BatchJob.model_validate_json(self._read(job_id, "job.json"))
        return job.model_copy(update={"anonymous_input": True})  # origins say "line <n>": the path is ours

    def _read_state(self, job_id: str) -> BatchState:
        return BatchState.model_validate_json(self._read(job_id, "state.json"))

    def _read(self, job_id: str, name: str) -> str:
        with _storage("a batch job cannot be read", self.root / job_id):
            return (self.root / job_id / name).read_text()

    def _write_state(self, state: BatchState) -> None:
        state.updated_at = datetime.now(UTC)
        path = self.root / state.id / "state.json"
        tmp = path.with_suffix(".tmp")
        with _storage("a batch job's state cannot be written", path.parent):
            tmp.write_text(state.model_dump_json())
            tmp.replace(path)

    def _update(self, job_id: str, **changes: Any) -> None:
        self._write_state(self._read_state(job_id).model_copy(update=changes))

    def _settle(self, job_id: str, **changes: Any) -> None:
        """Record how a job stopped, if the storage lets us; if not, the next start finds it unfinished."""
        try:
            self._update(job_id, **changes)
        except StorageError as exc:
            log.warning("batch job state not written", job=job_id, reason=str(exc))


def jobs_dir(settings: Settings) -> Path:
    return settings.data_dir / "batches"


def prune_job_directories(root: Path, cutoff: datetime) -> int:
    """Remove the directories of jobs that ended (completed or failed) before ``cutoff``; how many went."""
    import shutil

    removed = 0
    with _storage("batch jobs cannot be pruned", root):
        directories = sorted(root.iterdir()) if root.is_dir() else []
        for directory in directories:
            state_file = directory / "state.json"
            if not BATCH_ID.match(directory.name) or not state_file.is_file():
                continue
            state = BatchState.model_validate_json(state_file.read_text())
            if state.status in FINAL and state.updated_at < cutoff:
                shutil.rmtree(directory)
                removed += 1
    return removed


def open_batch_jobs(settings: Settings, summarizer: Summarizer) -> BatchJobs:
    """Rows in PostgreSQL when ``database_url`` is set (every instance shares them), else directories here.
    ``summarizer`` runs the articles (the API passes one admitted by its gate)."""
    url = settings.resolved_database_url()
    if url is not None:
        from summarizer.api.batches_postgres import PostgresBatchJobs

        return PostgresBatchJobs(url, jobs_dir(settings), settings, summarizer)
    return BatchManager(jobs_dir(settings), settings, summarizer)


def check_jobs_dir(root: Path) -> None:
    """Raise ``StorageError`` unless a job could be stored now (a file is created and removed)."""
    with _storage("batch jobs cannot be stored", root):
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass


@contextmanager
def _storage(what: str, path: Path) -> Iterator[None]:
    """OS errors on the job files as ``StorageError`` (503 for requests; ``path`` only in server messages)."""
    try:
        yield
    except OSError as exc:
        raise StorageError(f"{what} ({exc.strerror or exc})", path=path) from exc


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
    except OSError as exc:
        raise StorageError(f"a batch job cannot be read ({exc.strerror or exc})", path=path) from exc
