"""One LLM call: the ``openai`` client wrapped by ``instructor``, whatever the backend.

Two retry layers, each for its own failure, and no third: tenacity re-sends on transient failures
(connection errors, timeouts, 429, 5xx; honouring Retry-After), and instructor re-asks when the
output fails validation. The openai client's own retries are switched off. Token usage and request
attempts are summed across both layers.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from summarizer.backends import embedded
from summarizer.backends.replay import CACHE_KEY_HEADER, RecordingTransport, ReplayTransport
from summarizer.errors import (
    BackendError,
    BackendResponseError,
    BackendTimeout,
    BackendUnavailable,
    ConfigError,
    ExtractionError,
    RateLimited,
    RecordingMissing,
)
from summarizer.prompts import SamplingParams
from summarizer.schema import Usage
from summarizer.settings import Settings

# spaCy imports the legacy ``httpx`` (through weasel) the first time it loads, in whichever thread parses
# first; openai looks ``sys.modules["httpx"]`` up on every response, and a module still half-imported by
# another thread fails that call ("partially initialized module 'httpx'"). Importing it here, before any
# thread can call the model, closes the race (about 50 ms, and only where the model is called).
with contextlib.suppress(ImportError):  # spaCy absent: nothing imports it later either
    import httpx  # noqa: F401

log = logging.getLogger(__name__)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
_MODES = {"json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON}
_attempts: contextvars.ContextVar[list[int]] = contextvars.ContextVar("summarizer_llm_attempts")


@dataclass(frozen=True)
class CallResult:
    value: BaseModel
    usage: Usage
    attempts: int
    latency_ms: float


class LLMClient:
    """The backend chosen by the settings. Cheap to build: the embedded model starts on first call."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx2.BaseTransport | None = None,
        wrap_transport: Callable[[httpx2.BaseTransport], httpx2.BaseTransport] | None = None,
    ):
        """``transport`` replaces the backend's HTTP transport (tests, fault injection); ``wrap_transport``
        wraps whichever transport is used (rate limiting). Base URL and key stay those of the settings."""
        self.settings = settings
        self._transport = transport
        self._wrap_transport = wrap_transport
        self.backend = settings.resolved_backend()
        # The backend whose answers a cache key stands for: replay serves recorded embedded answers.
        self.key_backend = settings.replay_as if self.backend == "replay" else self.backend
        if self.backend == "openai" and not (settings.base_url or settings.api_key):
            raise ConfigError("the openai backend needs SUMMARIZER_BASE_URL or SUMMARIZER_API_KEY")
        self.model = settings.model or self._default_model()
        self.probe_s: float | None = None  # the start-up probe's round trip, once one answered (``probe``)

    @property
    def endpoint(self) -> str | None:
        """The OpenAI-compatible server this client asks: its base URL without credentials, query or
        fragment. None for the embedded model (a server of this process) and for replayed answers."""
        if self.backend != "openai":
            return None
        parts = urlsplit(self.settings.base_url or DEFAULT_OPENAI_BASE_URL)
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if parts.port is not None:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))

    def _default_model(self) -> str:
        if self.key_backend == "embedded":
            return embedded.model_name_for(self.settings)
        return DEFAULT_OPENAI_MODEL

    def extra_body(self, params: SamplingParams) -> dict[str, Any]:
        """llama.cpp-only sampling fields go to llama.cpp only (OpenAI rejects unknown fields)."""
        return dict(params.llama_cpp) if self.key_backend == "embedded" else {}

    def warm_up(self, *, probe: bool = True) -> None:
        """Start the backend now rather than on first use: the embedded model loads in a few seconds, a
        remote endpoint's client is built and, with ``probe``, timed once (``probe``; not again if it was)."""
        _ = self.instructor
        if probe and self.probe_s is None:
            self.probe()

    def probe(self) -> float | None:
        """Time one minimal completion of a remote backend (one short question, one token) through the
        client and model the summaries use: its round trip is the least a call takes, the gate's pace
        before any call returned. Sets and returns ``probe_s``; None, without a request, for the embedded
        model (seconds of CPU for a pace it measures better itself) and for replay (no pace at all), and
        when the probe fails: that is logged and never raised (the summaries will say what is wrong)."""
        if self.backend != "openai":
            return None
        messages: list[Any] = [{"role": "user", "content": "Say OK."}]
        try:
            client: Any = self.instructor.client  # the openai client instructor wraps (typed loosely there)
            started = time.perf_counter()  # after building it: the round trip alone
            answer = client.chat.completions.create(model=self.model, messages=messages, max_tokens=1)
            if not getattr(answer, "choices", None):  # a 200 that is no completion (a proxy's page): no pace
                raise ValueError(f"not a chat completion: {_short(str(answer), 80)}")
        except Exception as exc:
            log.warning("the backend's start-up probe failed: %s: %s", type(exc).__name__, _short(str(exc)))
            return None
        self.probe_s = time.perf_counter() - started
        return self.probe_s

    def readiness(self) -> tuple[bool, str]:
        """Whether a summary could be made now, and why not; never starts the embedded model."""
        if self._transport is not None:
            return True, "injected transport"
        if self.backend == "replay":
            found = self.settings.replay_dir.is_dir()
            return found, f"recordings in {self.settings.replay_dir}" if found else "no recordings directory"
        if self.backend == "embedded":
            started = embedded.is_started(self.settings)
            return started, "model loaded" if started else "model not loaded yet"
        base_url = self.settings.base_url or DEFAULT_OPENAI_BASE_URL
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        try:
            response = httpx2.get(
                base_url.rstrip("/") + "/models", headers={"Authorization": f"Bearer {key}"}, timeout=3.0
            )
        except httpx2.HTTPError as exc:
            return False, f"cannot reach {base_url}: {type(exc).__name__}"
        if response.status_code in (401, 403):
            return False, f"{base_url} refused the API key (HTTP {response.status_code})"
        if response.status_code >= 500:
            return False, f"{base_url} answered HTTP {response.status_code}"
        return True, f"{base_url} reachable"

    @cached_property
    def instructor(self) -> instructor.Instructor:
        settings = self.settings
        if self._transport is not None:
            transport: httpx2.BaseTransport = self._transport
            base_url = settings.base_url or "http://injected.invalid/v1"
            api_key = settings.api_key.get_secret_value() if settings.api_key else "injected"
        elif self.backend == "replay":
            transport = ReplayTransport(settings.replay_dir)
            base_url, api_key = "http://replay.invalid/v1", "replay"
        elif self.backend == "embedded":
            server = embedded.get_server(settings)
            transport, base_url, api_key = httpx2.HTTPTransport(), server.base_url, "embedded"
        else:
            transport = httpx2.HTTPTransport()
            base_url = settings.base_url or DEFAULT_OPENAI_BASE_URL
            api_key = settings.api_key.get_secret_value() if settings.api_key else "none"
        if settings.record_dir is not None and self.backend != "replay":
            transport = RecordingTransport(transport, settings.record_dir)
        if self._wrap_transport is not None:
            transport = self._wrap_transport(transport)
        timeout = httpx2.Timeout(settings.request_timeout_s, connect=10.0)
        client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key,
            max_retries=0,  # tenacity owns transient retries
            timeout=timeout,
            http_client=httpx2.Client(transport=transport, timeout=timeout),
        )
        patched = instructor.from_openai(client, mode=_MODES[settings.instructor_mode])
        patched.on("completion:kwargs", _count_attempt)
        return patched

    def close(self) -> None:
        """Close the HTTP client, if one was built (the embedded server stays up for the process)."""
        built = self.__dict__.pop("instructor", None)
        if built is not None:
            built.client.close()

    def call(
        self,
        response_model: type[BaseModel],
        messages: list[dict[str, str]],
        params: SamplingParams,
        *,
        cache_key: str,
    ) -> CallResult:
        """Ask for ``response_model``; raise a ``BackendError`` or ``ExtractionError`` on failure."""
        counter = [0]
        token = _attempts.set(counter)
        started = time.perf_counter()
        usage = Usage()
        kwargs: dict[str, Any] = {
            "model": self.model,
            "response_model": _response_schema(response_model),
            "messages": messages,
            "max_retries": self.settings.max_validation_retries,
            "temperature": params.temperature,
            "max_tokens": params.max_tokens,
            "extra_headers": {CACHE_KEY_HEADER: cache_key},
        }
        if params.top_p is not None:
            kwargs["top_p"] = params.top_p
        if params.seed is not None:
            kwargs["seed"] = params.seed
        if extra := self.extra_body(params):
            kwargs["extra_body"] = extra
        try:
            for attempt in Retrying(
                retry=retry_if_exception(_is_transient),
                stop=stop_after_attempt(self.settings.max_transient_retries + 1),
                wait=_RetryAfterWait(self.settings.retry_max_wait_s),
                reraise=True,
            ):
                with attempt:
                    value, completion = self.instructor.chat.completions.create_with_completion(**kwargs)
            usage = _usage(getattr(completion, "usage", None))
        except Exception as exc:
            raise _translate(exc, attempts=counter[0]) from exc
        finally:
            _attempts.reset(token)
        return CallResult(
            value=value, usage=usage, attempts=counter[0], latency_ms=(time.perf_counter() - started) * 1000
        )


@cache
def _response_schema(model: type[BaseModel]) -> type[BaseModel]:
    """The model as instructor's ``ResponseSchema``, made once. Given a plain model, instructor builds this
    class on every call, and pydantic then generates its JSON Schema afresh; made once, the class keeps its
    schema (``cached_schema.py``). Measured (benchmarks/batch_throughput.py): a batch driver's CPU per
    1,000 requests went from 8.8 s to 6.5 s."""
    wrapped: type[BaseModel] = instructor.openai_schema(model)
    return wrapped


def _count_attempt(*_args: Any, **_kwargs: Any) -> None:
    counter = _attempts.get(None)
    if counter is not None:
        counter[0] += 1


def _usage(raw: Any) -> Usage:
    if raw is None:
        return Usage()
    return Usage(
        prompt_tokens=raw.prompt_tokens or 0,
        completion_tokens=raw.completion_tokens or 0,
        total_tokens=raw.total_tokens or 0,
    )


def _in_chain(exc: BaseException, kind: type[BaseException] | tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of ``kind`` in ``exc``'s cause chain (instructor and openai both wrap)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _api_error(exc: BaseException) -> BaseException:
    """The openai error under instructor's wrapper, if any."""
    return _in_chain(exc, openai.OpenAIError) or exc


def _is_transient(exc: BaseException) -> bool:
    if _in_chain(exc, RecordingMissing):
        return False
    error = _api_error(exc)
    if isinstance(error, openai.APIConnectionError | openai.RateLimitError | openai.InternalServerError):
        return True  # APITimeoutError is an APIConnectionError
    return isinstance(error, openai.APIStatusError) and error.status_code >= 500


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(_api_error(exc), "response", None)
    return retry_after_s(response) if isinstance(response, httpx2.Response) else None


def retry_after_s(response: httpx2.Response) -> float | None:
    """The server's wait hint in seconds (Retry-After-Ms or Retry-After in seconds), if it gave one."""
    for header, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = response.headers.get(header)
        if value is not None:
            try:
                return max(float(value) * scale, 0.0)
            except ValueError:
                continue
    return None


class _RetryAfterWait:
    """Wait what the server asked (Retry-After), else exponential backoff with jitter; both capped."""

    def __init__(self, max_wait_s: float):
        self.max_wait_s = max_wait_s
        self.backoff = wait_exponential_jitter(multiplier=0.5, max=max_wait_s)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(exc) if exc else None
        return min(hinted, self.max_wait_s) if hinted is not None else self.backoff(state)


def _translate(exc: Exception, *, attempts: int) -> Exception:
    """Map whatever the call raised onto the package's error tree."""
    if isinstance(exc, BackendError | ExtractionError):
        return exc
    missing = _in_chain(exc, RecordingMissing)
    if isinstance(missing, RecordingMissing):
        return missing
    error = _api_error(exc)
    if isinstance(error, openai.RateLimitError):
        return RateLimited(
            f"rate limited by the backend after {attempts} attempt(s)",
            retry_after=_retry_after(error),
            attempts=attempts,
        )
    if isinstance(error, openai.APITimeoutError):
        return BackendTimeout(f"the backend timed out after {attempts} attempt(s)", attempts=attempts)
    if isinstance(error, openai.APIConnectionError):
        return BackendUnavailable(f"cannot reach the backend after {attempts} attempt(s): {error}", attempts=attempts)
    if isinstance(error, openai.APIStatusError):
        return BackendResponseError(
            f"the backend answered HTTP {error.status_code}: {_short(error.message)}",
            attempts=attempts,
            status_code=error.status_code,
        )
    if _in_chain(exc, IncompleteOutputException):
        return ExtractionError(
            "the model's output was cut off at the max_tokens limit before its JSON was complete "
            "(raise max_tokens for this prompt step, in a new prompt version)",
            attempts=attempts,
        )
    if isinstance(exc, InstructorRetryException):
        reason = _short(str(exc.__cause__ or exc))
        return ExtractionError(
            f"the model's output did not match the schema after {attempts} attempt(s): {reason}",
            attempts=attempts,
        )
    return BackendError(f"the LLM call failed: {type(exc).__name__}: {_short(str(exc))}", attempts=attempts)


def _short(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
