"""One article's work in a worker thread: summarize, encode one output line, or say why it failed.

Nothing here raises: every outcome is a value the engine's single writer records. Errors that say no
article can succeed (bad settings, backend unreachable, key refused) are ``Fatal``: the batch stops and
the article is left undone, to be done on resume, instead of filling the failures file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from pydantic import ValidationError

from summarizer.batch.inputs import Item
from summarizer.errors import (
    BackendError,
    BackendResponseError,
    BackendUnavailable,
    ConfigError,
    ExtractionError,
    InputError,
    ModelFileError,
    SummarizerError,
)
from summarizer.pipeline import Summarizer
from summarizer.schema import ArticleMeta, ArticleSummary, Usage
from summarizer.webpage import Page

FATAL_STATUS = frozenset({401, 403, 404})  # key refused, model or endpoint unknown: true of every article


@dataclass(frozen=True)
class Done:
    item: Item
    line: bytes
    cache_hit: bool
    usage: Usage
    attempts: int
    seconds: float


@dataclass(frozen=True)
class Failed:
    item: Item
    error_type: str
    reason: str
    attempts: int


@dataclass(frozen=True)
class Fatal:
    item: Item
    error: BaseException


Outcome = Done | Failed | Fatal


def encode_summary(summary: ArticleSummary) -> bytes:
    """The output line: exactly ``summary.model_dump(mode="json")``, checked to read back as a summary."""
    text = json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    ArticleSummary.model_validate_json(text)
    return (text + "\n").encode("utf-8")


def article_meta(item: Item, page: Page | None = None) -> ArticleMeta:
    """What the result echoes about the article: its batch id first, so every output line names its article;
    what a web page says of itself where the record says nothing."""
    try:
        given = item.meta()
        return ArticleMeta(id=item.id, **(page.metadata(given) if page is not None else given))
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        raise InputError(f"the article's {field} cannot be kept: {problem['msg']}", origin=item.origin) from None


def is_fatal(error: BaseException) -> bool:
    if isinstance(error, ConfigError | ModelFileError | BackendUnavailable):
        return True
    return isinstance(error, BackendResponseError) and error.status_code in FATAL_STATUS


def failure_reason(error: BaseException) -> str:
    if isinstance(error, InputError):
        return error.reason
    return str(error) or type(error).__name__


def attempts_of(error: BaseException) -> int:
    if isinstance(error, BackendError | ExtractionError):
        return error.attempts or 0
    return 0


def process(
    summarizer: Summarizer, item: Item, *, use_cache: bool, refresh: bool, prompt_version: str | None
) -> Outcome:
    started = time.monotonic()
    try:
        page = item.load_page()
        text = page.text if page is not None else item.load()
        summary = summarizer.summarize(
            text,
            article=article_meta(item, page),
            origin=item.origin,
            use_cache=use_cache,
            refresh=refresh,
            prompt_version=prompt_version,
        )
        line = encode_summary(summary)
    except SummarizerError as exc:
        if is_fatal(exc):
            return Fatal(item, exc)
        return Failed(item, type(exc).__name__, failure_reason(exc), attempts_of(exc))
    except Exception as exc:  # a bug or an unforeseen article must not stop the batch either
        return Failed(item, type(exc).__name__, f"unexpected error: {exc}", 0)
    provenance = summary.provenance
    return Done(
        item=item,
        line=line,
        cache_hit=provenance.cache_hit,
        usage=provenance.usage,
        attempts=provenance.attempts,
        seconds=time.monotonic() - started,
    )
