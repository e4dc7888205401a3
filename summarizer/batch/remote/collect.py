"""The LLM client seam of the batch-API engine: the live pipeline, with answers that come from a batch.

``BatchLLM`` is the live ``LLMClient`` (instructor + openai, same request building, parsing, validation
re-asks, usage and attempt counting) over ``AnswerTransport``. Inside ``collecting()``, a call without a
downloaded answer is recorded and gets a placeholder value, so the strategy goes on and asks its other
questions; ``BatchSummarizer`` makes such a provisional run end in ``AnswerPending`` before anything is
cached or written. A run with every answer present is a live run: same strategy, same assembly.
"""

from __future__ import annotations

import enum
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from summarizer.batch.remote.answers import AnswerBook, AnswerTransport
from summarizer.batch.remote.requests import PendingRequest
from summarizer.errors import AnswerPending
from summarizer.llm import CallResult, LLMClient
from summarizer.pipeline import Summarizer
from summarizer.prompts import Prompt, SamplingParams
from summarizer.record import ExtractionRun
from summarizer.schema import Usage
from summarizer.settings import Settings
from summarizer.strategies import ArticleJob, Strategy


class BatchLLM(LLMClient):
    def __init__(self, settings: Settings, book: AnswerBook):
        super().__init__(settings, transport=AnswerTransport(book))
        self.book = book
        self._local = threading.local()

    @contextmanager
    def collecting(self) -> Iterator[list[PendingRequest]]:
        """Within: calls without an answer are recorded in the yielded list (this thread only)."""
        pending: list[PendingRequest] = []
        self._local.pending = pending
        try:
            yield pending
        finally:
            del self._local.pending

    @property
    def pending(self) -> list[PendingRequest] | None:
        return getattr(self._local, "pending", None)

    def call(
        self,
        response_model: type[BaseModel],
        messages: list[dict[str, str]],
        params: SamplingParams,
        *,
        cache_key: str,
    ) -> CallResult:
        try:
            return super().call(response_model, messages, params, cache_key=cache_key)
        except AnswerPending as exc:
            pending = self.pending
            if pending is None or not isinstance(exc.request, PendingRequest):
                raise
            pending.append(exc.request)
            return CallResult(value=placeholder(response_model), usage=Usage(), attempts=0, latency_ms=0.0)


class _Provisional:
    """A strategy whose run counts only when every call was answered; else it ends in ``AnswerPending``."""

    def __init__(self, inner: Strategy, llm: BatchLLM):
        self.inner = inner
        self.name = inner.name
        self.llm = llm

    def key_material(self) -> dict[str, Any]:
        return self.inner.key_material()

    def extract(self, job: ArticleJob) -> ExtractionRun:
        try:
            run = self.inner.extract(job)
        except Exception:
            if not self.llm.pending:
                raise
            run = None  # placeholder answers may not add up to an extraction; this run is thrown away
        if self.llm.pending:
            raise AnswerPending(
                f"{len(self.llm.pending)} request(s) of this article wait for the batch",
                key=job.cache_key,
                path=self.llm.book.directory,
            )
        assert run is not None
        return run


class BatchSummarizer(Summarizer):
    """The live ``Summarizer`` over ``BatchLLM``: provisional runs are never cached."""

    request_mode = "batch-api"

    def __init__(self, settings: Settings, llm: BatchLLM):
        super().__init__(settings, llm=llm)
        self.batch_llm = llm

    def strategy(self, prompt: Prompt) -> Strategy:
        return _Provisional(super().strategy(prompt), self.batch_llm)


def placeholder(model: type[BaseModel]) -> BaseModel:
    """An instance of ``model`` built without validation (first option, empty text, empty lists)."""
    values = {name: _value(field.annotation) for name, field in model.model_fields.items() if field.is_required()}
    return model.model_construct(**values)


def _value(annotation: Any) -> Any:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Literal:
        return args[0]
    if origin is Annotated:
        return _value(args[0])
    if origin in (Union, types.UnionType):
        return None if type(None) in args else _value(args[0])
    if origin in (list, tuple, set, frozenset):
        return origin()
    if origin is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return placeholder(annotation)
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        if annotation in (str, int, float, bool):
            return annotation()
    return None
