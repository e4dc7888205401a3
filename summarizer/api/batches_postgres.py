"""Batch jobs of the REST API in PostgreSQL, shared by every instance (``SUMMARIZER_DATABASE_URL``).

A job is a row of ``batch_jobs`` and each line of its upload a row of ``batch_lines`` (the tables of
``db/migrations/postgres/0004_batch_jobs.sql``). Every instance runs worker threads that claim one
pending line at a time (``FOR UPDATE SKIP LOCKED``: two workers never take the same line) with a fresh
claim token and a lease, renewed every third of its length while the article is worked on. A line whose
lease ran out (its instance was killed, stopped or cut off) is claimed again by any instance.

A result is written once: only by the holder of the line's current claim, and only while the line is
still pending. A worker that lost its lease and wakes up finds another claim (or a finished line) and
writes nothing. A stopping instance gives its lines back at once, so another takes them without waiting
for the lease.

The same upload rules as the job directories (``batches.py``) hold: a bad line is a failure naming its
line (``line 4``), never a stopped job; an error that no article can get past (backend unreachable, key
refused) gives the line back, notes the reason on the job and pauses this instance's workers, which try
again later; and a database that is away is a ``StorageError`` (503) for requests and a pause for workers.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog

from summarizer.api.batches import BatchState, new_job_id, staged_upload
from summarizer.api.uploads import Upload
from summarizer.batch.engine import DEFAULT_CONCURRENCY
from summarizer.batch.inputs import Item, open_input
from summarizer.batch.store import FailureRecord, compact_json
from summarizer.batch.work import Done, Failed, Fatal, failure_reason, process
from summarizer.db import postgres
from summarizer.errors import StorageError
from summarizer.pipeline import Summarizer
from summarizer.schema import ARTICLE_META_FIELDS
from summarizer.settings import Settings

log = structlog.get_logger(__name__)

IDLE_POLL_S = 0.5  # how often an idle worker looks for a line
PAUSE_S = 5.0  # how long workers wait after the database or the backend failed them
RESULTS_PAGE = 200  # results read per query while a download streams

_LINE_COLUMNS = f"job_id, seq, item_id, origin, text, {', '.join(ARTICLE_META_FIELDS)}, state, failure"
_CLAIMED_META = ", ".join(f"l.{name}" for name in ARTICLE_META_FIELDS)
_CLAIM_SQL = f"""
UPDATE batch_lines AS l
SET claim = %(claim)s, claimed_by = %(instance)s, claims = l.claims + 1,
    lease_until = now() + make_interval(secs => %(lease)s)
FROM (
    SELECT l.job_id, l.seq FROM batch_lines l JOIN batch_jobs j ON j.id = l.job_id
    WHERE j.status IN ('queued', 'running') AND l.state = 'pending'
      AND (l.lease_until IS NULL OR l.lease_until < now())
    ORDER BY j.created_at, l.job_id, l.seq
    LIMIT 1
    FOR UPDATE OF l SKIP LOCKED
) AS free
WHERE l.job_id = free.job_id AND l.seq = free.seq
RETURNING l.job_id, l.seq, l.item_id, l.origin, l.text, {_CLAIMED_META},
    (SELECT prompt_version FROM batch_jobs WHERE id = l.job_id)
"""
_RENEW_SQL = (
    "UPDATE batch_lines SET lease_until = now() + make_interval(secs => %s) WHERE claim = ANY(%s) AND state = 'pending'"
)
_RELEASE_SQL = "UPDATE batch_lines SET claim = NULL, claimed_by = NULL, lease_until = NULL WHERE claim = ANY(%s)"
# Written only by the current claim's holder, and only once: the guard that makes a late worker write nothing.
_FINISH_SQL = """
UPDATE batch_lines SET state = %(state)s, result = %(result)s, failure = %(failure)s, cache_hit = %(cache_hit)s,
    prompt_tokens = %(prompt_tokens)s, completion_tokens = %(completion_tokens)s, finished_at = now(),
    lease_until = NULL
WHERE job_id = %(job_id)s AND seq = %(seq)s AND claim = %(claim)s AND state = 'pending'
"""
_COMPLETE_SQL = """
UPDATE batch_jobs SET status = 'completed', message = NULL, updated_at = now()
WHERE id = %(job_id)s AND status <> 'completed'
  AND NOT EXISTS (SELECT 1 FROM batch_lines WHERE job_id = %(job_id)s AND state = 'pending')
"""
_STATE_SQL = """
SELECT j.id, j.status, j.created_at, j.updated_at, j.prompt_version, j.total, j.message,
    count(*) FILTER (WHERE l.state = 'done'), count(*) FILTER (WHERE l.state = 'failed'),
    count(*) FILTER (WHERE l.cache_hit), coalesce(sum(l.prompt_tokens), 0), coalesce(sum(l.completion_tokens), 0)
FROM batch_jobs j LEFT JOIN batch_lines l ON l.job_id = j.id
WHERE j.id = %s
GROUP BY j.id
"""


@dataclass(frozen=True)
class ClaimedLine:
    """A line this instance holds: the article, the job's prompt version, and the claim that proves it."""

    job_id: str
    seq: int
    item: Item
    prompt_version: str | None
    claim: uuid.UUID


def instance_name() -> str:
    """Who holds a claim, for people reading the table: host, process and a random tail (pids repeat)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class PostgresBatchJobs:
    """``batches.BatchJobs`` with jobs and lines as rows every instance shares (``batches.BatchManager``
    keeps them as directories)."""

    def __init__(self, url: str, root: Path, settings: Settings, summarizer: Summarizer):
        self.url = url
        self.root = root  # where uploads stream before they become rows
        self.settings = settings
        self.summarizer = summarizer
        self.instance = instance_name()
        self.lease_s = settings.api_batch_lease_s
        self.workers = DEFAULT_CONCURRENCY.get(summarizer.llm.backend, 4)
        self._stopping = threading.Event()
        self._held: dict[uuid.UUID, ClaimedLine] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start this instance's workers and the lease renewer; jobs need no queueing: they are rows."""
        for n in range(self.workers):
            self._spawn(self._work, f"summarizer-batch-worker-{n}")
        self._spawn(self._renew, "summarizer-batch-leases")

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop now and give back the lines in flight, so another instance takes them without waiting."""
        self._stopping.set()
        with self._lock:
            held = list(self._held)
            self._held.clear()
        if held:
            try:
                with postgres.connection(self.url) as conn:
                    conn.execute(_RELEASE_SQL, (held,))
            except StorageError as exc:  # their leases run out instead
                log.warning("batch lines not given back", lines=len(held), reason=str(exc))
        for thread in self._threads:
            thread.join(timeout_s / max(1, len(self._threads)))

    def _spawn(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # -- jobs ---------------------------------------------------------------------------------------

    def create(self, upload: bytes, *, prompt_version: str | None) -> BatchState:
        """A job from an upload in memory (the library's way; the API streams its uploads: ``create_from``)."""
        return self.create_from(staged_upload(self.root, upload), prompt_version=prompt_version)

    def create_from(self, upload: Upload, *, prompt_version: str | None) -> BatchState:
        """A job whose lines are the rows of ``upload`` (its staging file is removed once they are stored)."""
        job_id = new_job_id()
        try:
            with postgres.connection(self.url) as conn:
                conn.execute(
                    "INSERT INTO batch_jobs VALUES (%s, 'queued', %s, 0, NULL, now(), now())", (job_id, prompt_version)
                )
                total = 0
                batch_input = open_input(str(upload.path), anonymous=True)
                try:
                    with conn.cursor().copy(f"COPY batch_lines ({_LINE_COLUMNS}) FROM STDIN") as copy:
                        for total, item in enumerate(batch_input.items, start=1):
                            copy.write_row(_line_row(job_id, total, item))
                finally:
                    batch_input.close()
                conn.execute("UPDATE batch_jobs SET total = %s WHERE id = %s", (total, job_id))
                conn.execute(_COMPLETE_SQL, {"job_id": job_id})  # every line bad: nothing for a worker to do
        finally:
            upload.discard()
        found = self.state(job_id)
        if found is None:  # pragma: no cover - committed above
            raise StorageError("a batch job was not stored")
        return found

    def state(self, job_id: str) -> BatchState | None:
        with postgres.connection(self.url) as conn:
            row = conn.execute(_STATE_SQL, (job_id,)).fetchone()
        if row is None:
            return None
        (id_, status, created, updated, version, total, message, done, failed, cached, prompt, completion) = row
        assert isinstance(created, datetime) and isinstance(updated, datetime)
        return BatchState(
            id=str(id_),
            status=str(status),
            created_at=created,
            updated_at=updated,
            prompt_version=None if version is None else str(version),
            total=int(str(total)),
            done=int(str(done)),
            failed=int(str(failed)),
            cached=int(str(cached)),
            prompt_tokens=int(str(prompt)),
            completion_tokens=int(str(completion)),
            message=None if message is None else str(message),
            results=f"/v1/batches/{id_}/results",
            failures=f"/v1/batches/{id_}/failures",
        )

    def _exists(self, job_id: str) -> bool:
        """Whether the job is stored (without counting its lines, as ``state`` does)."""
        with postgres.connection(self.url) as conn:
            return conn.execute("SELECT 1 FROM batch_jobs WHERE id = %s", (job_id,)).fetchone() is not None

    def results(self, job_id: str) -> Iterator[tuple[str, dict[str, Any]]] | None:
        """Each finished summary (article id, summary), in upload order; read a page at a time."""
        if not self._exists(job_id):
            return None
        return self._pages(job_id)

    def _pages(self, job_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
        after = 0
        while True:
            with postgres.connection(self.url) as conn:
                rows = conn.execute(
                    "SELECT seq, item_id, result FROM batch_lines WHERE job_id = %s AND state = 'done' AND seq > %s"
                    " ORDER BY seq LIMIT %s",
                    (job_id, after, RESULTS_PAGE),
                ).fetchall()
            for seq, item_id, result in rows:
                after = int(str(seq))
                yield str(item_id), json.loads(str(result))
            if len(rows) < RESULTS_PAGE:
                return

    def failures(self, job_id: str) -> bytes | None:
        """The job's failures file: one JSON line per line that could not be summarized, in upload order."""
        if not self._exists(job_id):
            return None
        with postgres.connection(self.url) as conn:
            rows = conn.execute(
                "SELECT failure FROM batch_lines WHERE job_id = %s AND state = 'failed' ORDER BY seq", (job_id,)
            ).fetchall()
        return b"".join(str(failure).encode("utf-8") + b"\n" for (failure,) in rows)

    # -- workers ------------------------------------------------------------------------------------

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                line = self._claim()
            except StorageError as exc:
                log.warning("batch worker paused: the database is unavailable", reason=str(exc))
                self._stopping.wait(PAUSE_S)
                continue
            except Exception:  # a worker must never die: it would leave the instance without one
                log.exception("batch worker: claiming a line failed")
                self._stopping.wait(PAUSE_S)
                continue
            if line is None:
                self._stopping.wait(IDLE_POLL_S)
                continue
            try:
                self._run(line)
            except StorageError as exc:  # the line's lease runs out and another worker takes it
                log.warning("batch line not recorded: the database is unavailable", job=line.job_id, reason=str(exc))
                self._stopping.wait(PAUSE_S)
            except Exception:
                log.exception("batch worker: a line crashed", job=line.job_id, line=line.seq)
            finally:
                with self._lock:
                    self._held.pop(line.claim, None)

    def _claim(self) -> ClaimedLine | None:
        if self._stopping.is_set():
            return None
        claim = uuid.uuid4()
        with postgres.connection(self.url) as conn:
            row = conn.execute(
                _CLAIM_SQL, {"claim": claim, "instance": self.instance, "lease": self.lease_s}
            ).fetchone()
            if row is None:
                return None
            job_id, seq, item_id, origin, text, *meta, version = row
            conn.execute(
                "UPDATE batch_jobs SET status = 'running', updated_at = now() WHERE id = %s AND status = 'queued'",
                (job_id,),
            )
        given = {name: _text(value) for name, value in zip(ARTICLE_META_FIELDS, meta, strict=True)}
        item = Item.of_record(str(item_id), str(origin), _text(text), given)
        line = ClaimedLine(str(job_id), int(str(seq)), item, _text(version), claim)
        with self._lock:
            stopped = self._stopping.is_set()  # stop() gathered what it gives back before this claim was held
            if not stopped:
                self._held[claim] = line
        if stopped:
            with postgres.connection(self.url) as conn:
                conn.execute(_RELEASE_SQL, ([claim],))
            return None
        return line

    def _run(self, line: ClaimedLine) -> None:
        outcome = process(self.summarizer, line.item, use_cache=True, refresh=False, prompt_version=line.prompt_version)
        if isinstance(outcome, Fatal):
            reason = f"{line.item.origin}: {outcome.error}"
            log.warning("batch workers paused: no article can succeed", job=line.job_id, reason=reason)
            with postgres.connection(self.url) as conn:
                conn.execute(_RELEASE_SQL, ([line.claim],))
                conn.execute(
                    "UPDATE batch_jobs SET message = %s, updated_at = now() WHERE id = %s",
                    (f"waiting: {reason}", line.job_id),
                )
            self._stopping.wait(PAUSE_S)
            return
        values = _finished(outcome)
        with postgres.connection(self.url) as conn:
            # The job's row is locked first: two lines finishing at once must not both miss the last one.
            conn.execute("SELECT 1 FROM batch_jobs WHERE id = %s FOR UPDATE", (line.job_id,))
            written = conn.execute(_FINISH_SQL, {**values, "job_id": line.job_id, "seq": line.seq, "claim": line.claim})
            if written.rowcount == 0:
                log.warning("batch line lost its lease: its result is not written", job=line.job_id, line=line.seq)
                return
            conn.execute(_COMPLETE_SQL, {"job_id": line.job_id})

    def _renew(self) -> None:
        while not self._stopping.wait(self.lease_s / 3):
            with self._lock:
                held = list(self._held)
            if not held:
                continue
            try:
                with postgres.connection(self.url) as conn:
                    conn.execute(_RENEW_SQL, (self.lease_s, held))
            except StorageError as exc:
                log.warning("batch leases not renewed", lines=len(held), reason=str(exc))


def _line_row(job_id: str, seq: int, item: Item) -> tuple[object, ...]:
    """A line of the upload as a row: an article to do, or (a bad line) its failure, recorded at once."""
    failure = None
    if item.error is not None:
        record = FailureRecord(item.id, item.origin, type(item.error).__name__, failure_reason(item.error))
        failure = compact_json(record.to_json())
    state = "pending" if failure is None else "failed"
    return (job_id, seq, item.id, item.origin, item.text, *item.meta().values(), state, failure)


def _finished(outcome: Done | Failed) -> dict[str, object]:
    if isinstance(outcome, Done):
        return {
            "state": "done",
            "result": outcome.line.decode("utf-8").rstrip("\n"),
            "failure": None,
            "cache_hit": outcome.cache_hit,
            "prompt_tokens": 0 if outcome.cache_hit else outcome.usage.prompt_tokens,
            "completion_tokens": 0 if outcome.cache_hit else outcome.usage.completion_tokens,
        }
    item = outcome.item
    record = FailureRecord(item.id, item.origin, outcome.error_type, outcome.reason, outcome.attempts)
    return {
        "state": "failed",
        "result": None,
        "failure": compact_json(record.to_json()),
        "cache_hit": False,
        "prompt_tokens": 0,
        "completion_tokens": 0,
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)
