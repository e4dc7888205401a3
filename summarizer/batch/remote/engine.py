"""``summarizer batch --engine batch-api``: rounds of pass → submit → poll → download, until every article
is in the output or the failures file (see this package's docstring for the design).

The runner is the live ``BatchRunner`` with another loop: the same input reading, result store (output,
journal, failures), outcome recording, progress and report; only where the answers come from differs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import BinaryIO

import openai

from summarizer.analysis.nlp import ParseMemo
from summarizer.batch.engine import BatchJob, BatchRunner, _Pool
from summarizer.batch.inputs import BatchInput, Item
from summarizer.batch.remote.answers import AnswerBook
from summarizer.batch.remote.collect import BatchLLM, BatchSummarizer
from summarizer.batch.remote.provider import BatchView, Provider
from summarizer.batch.remote.requests import PendingRequest, read_custom_ids, split, write_file
from summarizer.batch.remote.state import RemoteFile, RemoteState, remote_dir
from summarizer.batch.stats import BatchReport, BatchStats, BatchStatus, RemoteProgress
from summarizer.batch.store import ResultStore
from summarizer.batch.work import Failed, Fatal, failure_reason
from summarizer.settings import Settings

log = logging.getLogger(__name__)

Waiting = list[tuple[Item, list[PendingRequest]]]


class RemoteBatchRunner(BatchRunner):
    def __init__(
        self,
        job: BatchJob,
        settings: Settings,
        *,
        provider: Provider | None = None,
        on_progress: Callable[[BatchStats], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        stdin: BinaryIO | None = None,
        progress_interval_s: float = 0.25,
    ):
        self.directory = remote_dir(job.paths)
        self.book = AnswerBook(self.directory)
        self._provider = provider
        llm = BatchLLM(settings, self.book)
        super().__init__(
            job,
            settings,
            summarizer=BatchSummarizer(settings, llm),
            on_progress=on_progress,
            on_notice=on_notice,
            stdin=stdin,
            progress_interval_s=progress_interval_s,
        )
        self._own_summarizer = True
        self.llm = llm
        self.parses = ParseMemo()  # an article waiting for answers is parsed once, not once per round
        # One round per call a strategy makes without depending on an answer, one more per validation re-ask.
        self.max_rounds = settings.max_validation_retries + 2
        self._ids_of: dict[str, list[str]] = {}

    @property
    def provider(self) -> Provider:
        """The provider's files and batches endpoints, reached only when there is something to submit."""
        if self._provider is None:
            self._provider = Provider(self.settings)
        return self._provider

    def run(self) -> BatchReport:
        try:
            return super().run()
        finally:
            if self._provider is not None:
                self._provider.close()

    # -- the rounds -------------------------------------------------------------------------------

    def _loop(self, batch_input: BatchInput, store: ResultStore, pool: _Pool) -> tuple[BatchStatus, str | None]:
        state = RemoteState(self.directory, fresh=self.job.fresh)
        if store.retried:
            state.retry()
        self._load_answers(state)
        for path in self.job.answers:
            lines = self.book.ingest(path)
            self._notice(f"read {lines} answer(s) from {path}")
        items: list[Item] = []
        for item in batch_input.items:
            self.stats.seen += 1
            if store.is_finished(item.id):
                self.stats.skipped += 1
            elif item.error is not None:
                self._record(store, Failed(item, type(item.error).__name__, failure_reason(item.error), 0))
            else:
                items.append(item)
        round_ = 0
        try:
            while items:
                waiting, fatal = self._pass(items, store)
                if fatal is not None:
                    return BatchStatus.aborted, fatal
                if self._stop.is_set():
                    return BatchStatus.interrupted, None
                waiting = self._fail_errored(waiting, store)
                if not waiting:
                    break
                round_ += 1
                if round_ > self.max_rounds:
                    self._fail_all(waiting, store, f"still waiting for answers after {self.max_rounds} rounds")
                    break
                if not self.job.submit:
                    self._write_offline(waiting)
                    return BatchStatus.interrupted, None
                submitted = self._submit(state, waiting, store)
                waiting = [(item, pending) for item, pending in waiting if not store.is_finished(item.id)]
                self.stats.in_flight = len(waiting)
                if not waiting:
                    break
                if not submitted and not any(r.in_flight for r in state.files.values()):
                    self._fail_all(waiting, store, "the batch answered every request, yet the article asks again")
                    break
                if not self._wait(state, round_):
                    return BatchStatus.interrupted, None
                items = [item for item, _ in waiting]
        except openai.OpenAIError as exc:
            message = f"the batch provider at {self.provider.base_url} failed: {type(exc).__name__}: {exc}"
            self._notice(f"stopping: {message}")
            return BatchStatus.aborted, message
        return BatchStatus.completed, None

    def _pass(self, items: list[Item], store: ResultStore) -> tuple[Waiting, str | None]:
        """Run each article through the live pipeline; record those answered in full, return the others."""
        waiting: Waiting = []
        self.stats.in_flight = 0
        for item in items:
            if self._stop.is_set():
                break
            with self.llm.collecting() as pending, self.parses.keeping() as parsed:
                outcome = self._process(item)
            if not pending:
                self.parses.drop(parsed)
            if pending:
                waiting.append((item, pending))
                self.stats.in_flight += 1
            elif isinstance(outcome, Fatal):
                self._notice(f"stopping the batch, no article can succeed: {outcome.error}")
                return waiting, f"{outcome.item.origin}: {outcome.error}"
            else:
                self._record(store, outcome)
            self._progress()
        return waiting, None

    def _fail_errored(self, waiting: Waiting, store: ResultStore) -> Waiting:
        """Articles with a request the provider failed go to the failures file with its reason."""
        left: Waiting = []
        for item, pending in waiting:
            reasons = [(r.custom_id, self.book.error(r.custom_id)) for r in pending]
            failed = [(cid, reason) for cid, reason in reasons if reason is not None]
            if failed:
                cid, reason = failed[0]
                more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
                self._record(store, Failed(item, "BatchRequestFailed", f"request {cid}: {reason}{more}", 0))
            else:
                left.append((item, pending))
        return left

    def _fail_all(self, waiting: Waiting, store: ResultStore, reason: str) -> None:
        for item, _ in waiting:
            self._record(store, Failed(item, "BatchRequestFailed", reason, 0))
        self.stats.in_flight = 0

    # -- submitting -------------------------------------------------------------------------------

    def _submit(self, state: RemoteState, waiting: Waiting, store: ResultStore) -> int:
        """Write, upload and submit the requests not answered and not in a batch already; returns how many."""
        flying = {cid for record in state.files.values() if record.in_flight for cid in self._custom_ids(record)}
        wanted: dict[str, PendingRequest] = {}
        for _, pending in waiting:
            for request in pending:
                if request.custom_id not in flying and self.book.answer(request.custom_id) is None:
                    wanted.setdefault(request.custom_id, request)
        too_large = {
            r.custom_id for r in wanted.values() if len(r.line()) > self.job.max_file_bytes
        }  # fails its article: no file can hold it
        if too_large:
            for item, pending in waiting:
                if any(r.custom_id in too_large for r in pending) and not store.is_finished(item.id):
                    reason = f"a request is larger than the provider's {self.job.max_file_bytes:,}-byte file limit"
                    self._record(store, Failed(item, "BatchRequestFailed", reason, 0))
        requests = [r for cid, r in wanted.items() if cid not in too_large]
        for group in split(requests, max_requests=self.job.max_file_requests, max_bytes=self.job.max_file_bytes):
            name = state.next_name()
            path = self.directory / name
            write_file(path, (line for _, line in group))
            state.files[name] = RemoteFile(name)  # reserved: the next file gets the next number
            self._ids_of[name] = [r.custom_id for r, _ in group]
            file_id = self.provider.upload(path)
            state.uploaded(name, file_id, len(group))
        for record in state.files.values():  # new uploads, and uploads a killed run did not submit
            if record.file_id is not None and record.batch_id is None:
                view = self.provider.find(record.file_id) or self.provider.create(record.file_id, record.name)
                state.created(record, view.id)
                self._notice(f"submitted {record.requests} request(s) in {record.name} as batch {view.id}")
        return len(requests)

    def _write_offline(self, waiting: Waiting) -> None:
        """``submit`` off: the requests still to answer, as batch input files for an offline runner."""
        for old in self.directory.glob("offline-*.jsonl"):
            old.unlink()
        wanted: dict[str, PendingRequest] = {}
        for _, pending in waiting:
            for request in pending:
                if self.book.answer(request.custom_id) is None:
                    wanted.setdefault(request.custom_id, request)
        groups = split(wanted.values(), max_requests=self.job.max_file_requests, max_bytes=self.job.max_file_bytes)
        for number, group in enumerate(groups, start=1):
            path = self.directory / f"offline-{number:04d}.jsonl"
            write_file(path, (line for _, line in group))
            self._notice(
                f"wrote {len(group)} request(s) to {path}; answer them (vLLM: python -m "
                f"vllm.entrypoints.openai.run_batch -i {path} -o ANSWERS.jsonl --model {self.llm.model}) "
                "and run this command again with --answers ANSWERS.jsonl"
            )

    def _custom_ids(self, record: RemoteFile) -> list[str]:
        if record.name not in self._ids_of:
            self._ids_of[record.name] = read_custom_ids(self.directory / record.name)
        return self._ids_of[record.name]

    # -- waiting and downloading ------------------------------------------------------------------

    def _wait(self, state: RemoteState, round_: int) -> bool:
        """Poll until every batch in flight has ended and is downloaded; False when stopped first."""
        while True:
            views: list[BatchView] = []
            for record in state.files.values():
                if record.in_flight and record.batch_id is not None:
                    view = self.provider.retrieve(record.batch_id)
                    views.append(view)
                    if view.terminal:
                        self._download(state, record, view)
            self.stats.remote = RemoteProgress.of(round_, views)
            self._progress(force=True)
            if not any(record.in_flight for record in state.files.values()):
                return True
            if self._stop.wait(self.job.poll_interval_s):
                return False

    def _download(self, state: RemoteState, record: RemoteFile, view: BatchView) -> None:
        names: dict[str, str | None] = {}
        for kind, file_id in (("output", view.output_file_id), ("errors", view.error_file_id)):
            names[kind] = f"{kind}-{view.id}.jsonl" if file_id else None
            if file_id:
                self.provider.download(file_id, self.directory / f"{kind}-{view.id}.jsonl")
        reason = "; ".join(view.errors) or None
        state.ended(record, view.status, output=names["output"], errors=names["errors"], reason=reason)
        self._ingest(record, current=True)
        if view.status != "completed":
            self._notice(f"batch {view.id} ended {view.status}" + (f": {reason}" if reason else ""))

    def _load_answers(self, state: RemoteState) -> None:
        for record in state.files.values():
            if record.status is not None:
                self._ingest(record, current=record.epoch == state.epoch)

    def _ingest(self, record: RemoteFile, *, current: bool) -> None:
        for name in (record.output, record.errors):
            if name is not None:
                self.book.ingest(self.directory / name, keep_errors=current)
        if current:
            why = f"failed: {record.reason}" if record.status == "failed" and record.reason else record.status
            self.book.unanswered(self._custom_ids(record), f"batch {record.batch_id} {why} before answering it")
