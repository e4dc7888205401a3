"""Use a provider's rate limit fully without exceeding it: requests-per-minute and tokens-per-minute buckets.

The limit is applied to every HTTP request, where it happens (``RateLimitedTransport`` wraps the
OpenAI client's transport): retries and validation re-asks count, cache hits do not. Before a request
its tokens are estimated from the size of its body (calibrated against the usage the server reports)
plus the completion tokens seen so far; after the response the estimate is corrected with the actual
usage. A 429 with Retry-After pauses every request of the batch, not only the one that got it
(LLMClient's tenacity retry then waits what the server asked, too).

Buckets hold half a second's worth of budget, so a batch starts smoothly instead of bursting a whole
minute's allowance, and stays within providers that enforce their per-minute limit per second (as
OpenAI says it may); a request larger than that is admitted once the bucket is full, and the debt is
paid back before the next one. Over any stretch of time the rate stays at or under the limit.
"""

from __future__ import annotations

import json
import math
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx2

from summarizer.llm import LLMClient, retry_after_s
from summarizer.settings import Settings

BURST_S = 0.5  # a bucket holds this many seconds of budget


class Bucket:
    """A token bucket: ``per_minute`` units refilled continuously, ``capacity`` at most (default 0.5 s worth)."""

    def __init__(self, per_minute: float, *, capacity: float | None = None, now: float | None = None):
        if per_minute <= 0:
            raise ValueError("a rate limit must be positive")
        self.rate = per_minute / 60.0
        self.capacity = capacity if capacity is not None else max(1.0, self.rate * BURST_S)
        self.level = self.capacity
        self.updated = time.monotonic() if now is None else now

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
            self.updated = now

    def wait(self, cost: float, now: float) -> float:
        """Seconds until ``cost`` may be taken (0 when it may be now)."""
        self.refill(now)
        need = min(cost, self.capacity)
        return 0.0 if self.level >= need else (need - self.level) / self.rate

    def take(self, cost: float) -> None:
        self.level -= cost

    def give(self, amount: float) -> None:
        self.level = min(self.capacity, self.level + amount)


class RateLimiter:
    """Blocks each request until both budgets allow it; thread-safe. ``None`` limits are not enforced."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.clock = clock
        self.sleep = sleep
        now = clock()
        self.requests = Bucket(rpm, now=now) if rpm else None
        self.tokens = Bucket(tpm, now=now) if tpm else None
        self.paused_until = 0.0
        self.waited_s = 0.0
        self._lock = threading.Lock()
        self._latencies: deque[float] = deque(maxlen=50)
        self._sent: dict[int, float] = {}  # requests on the wire: when each was sent
        self._next_id = 0
        self._request_tokens: deque[int] = deque(maxlen=50)

    @property
    def enforced(self) -> bool:
        return self.requests is not None or self.tokens is not None

    def acquire(self, tokens: int) -> None:
        """Wait until one request of about ``tokens`` tokens fits both budgets, then take it."""
        while True:
            with self._lock:
                now = self.clock()
                wait = self.paused_until - now
                if self.requests is not None:
                    wait = max(wait, self.requests.wait(1, now))
                if self.tokens is not None:
                    wait = max(wait, self.tokens.wait(tokens, now))
                if wait <= 0:
                    if self.requests is not None:
                        self.requests.take(1)
                    if self.tokens is not None:
                        self.tokens.take(tokens)
                    return
                self.waited_s += wait
            self.sleep(wait)

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the tokens taken for a request (``actual`` from the response's usage)."""
        with self._lock:
            if actual:
                self._request_tokens.append(actual)
            if self.tokens is not None and actual != estimated:
                if actual > estimated:
                    self.tokens.take(actual - estimated)
                else:
                    self.tokens.give(estimated - actual)

    def pause(self, seconds: float) -> None:
        """Hold every request for ``seconds`` (a 429's Retry-After)."""
        with self._lock:
            self.paused_until = max(self.paused_until, self.clock() + seconds)

    def sent(self) -> int:
        """Note a request on the wire; pass the returned id to ``answered``."""
        with self._lock:
            self._next_id += 1
            self._sent[self._next_id] = self.clock()
            return self._next_id

    def answered(self, request_id: int, *, ok: bool) -> None:
        """Note the end of a request; a successful one's latency feeds the concurrency suggestion."""
        with self._lock:
            started = self._sent.pop(request_id, None)
            if ok and started is not None:
                self._latencies.append(self.clock() - started)

    def observe_latency(self, seconds: float) -> None:
        with self._lock:
            self._latencies.append(seconds)

    def median_latency(self) -> float | None:
        """Median seconds per successful request over the last 50, or at least the age of the oldest unanswered one."""
        with self._lock:
            observed = statistics.median(self._latencies) if self._latencies else None
            waiting = self.clock() - min(self._sent.values()) if self._sent else None
        if waiting is not None and (observed is None or waiting > observed):
            return waiting  # before the first answers (or when latency grows) this is the best lower bound
        return observed

    def requests_per_second(self) -> float | None:
        """The request rate the budgets allow (tpm over the average request's tokens), None if unlimited."""
        with self._lock:
            rates = []
            if self.requests is not None:
                rates.append(self.requests.rate)
            if self.tokens is not None and self._request_tokens:
                rates.append(self.tokens.rate / statistics.fmean(self._request_tokens))
            return min(rates) if rates else None

    def suggested_concurrency(self, cap: int) -> int | None:
        """Requests in flight needed to keep the budget busy at the latency seen so far (Little's law)."""
        rate, latency = self.requests_per_second(), self.median_latency()
        if rate is None or latency is None:
            return None
        # headroom for the work around each request (prompt, validation, grounding) and latency jitter
        return max(1, min(cap, math.ceil(rate * latency * 1.5) + 2))


class TokenEstimator:
    """Tokens of a chat-completion request before it is sent: body bytes × calibrated ratio + expected completion."""

    def __init__(self, tokens_per_byte: float = 0.25, completion_tokens: float | None = None):
        self.tokens_per_byte = tokens_per_byte
        self.completion_tokens = completion_tokens
        self._lock = threading.Lock()

    def estimate(self, body: bytes) -> int:
        max_tokens = 1000
        try:
            data = json.loads(body)
            if isinstance(data, dict):
                max_tokens = int(data.get("max_tokens") or data.get("max_completion_tokens") or max_tokens)
        except (ValueError, TypeError):
            pass
        with self._lock:
            completion = self.completion_tokens if self.completion_tokens is not None else min(max_tokens, 1000)
            return math.ceil(len(body) * self.tokens_per_byte + completion)

    def observe(self, body_bytes: int, usage: dict[str, Any]) -> int:
        """Learn from a response's usage; returns its total tokens (0 if it reported none)."""
        prompt = int(usage.get("prompt_tokens") or 0)
        completion = int(usage.get("completion_tokens") or 0)
        total = int(usage.get("total_tokens") or prompt + completion)
        with self._lock:
            if prompt and body_bytes:
                self.tokens_per_byte = 0.8 * self.tokens_per_byte + 0.2 * (prompt / body_bytes)
            if completion:
                previous = self.completion_tokens
                self.completion_tokens = completion if previous is None else 0.8 * previous + 0.2 * completion
        return total


class RateLimitedTransport(httpx2.BaseTransport):
    """Passes each request to ``inner`` once the limiter admits it, and reports what it cost."""

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        limiter: RateLimiter,
        *,
        estimator: TokenEstimator | None = None,
        max_pause_s: float = 60.0,
    ):
        self.inner = inner
        self.limiter = limiter
        self.estimator = estimator or TokenEstimator()
        self.max_pause_s = max_pause_s

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        estimate = self.estimator.estimate(body)
        self.limiter.acquire(estimate)
        request_id = self.limiter.sent()
        response: httpx2.Response | None = None
        try:
            response = self.inner.handle_request(request)
            if response.status_code == 200:
                response.read()
        except BaseException:
            if response is not None:
                response.close()
            self.limiter.answered(request_id, ok=False)
            self.limiter.settle(estimate, estimate)  # a request that timed out may still have been billed
            raise
        self.limiter.answered(request_id, ok=response.status_code == 200)
        actual = 0
        if response.status_code == 200:
            try:
                usage = json.loads(response.content).get("usage") or {}
                actual = self.estimator.observe(len(body), usage if isinstance(usage, dict) else {})
            except (ValueError, AttributeError):
                pass
            actual = actual or estimate  # a server that reports no usage is charged the estimate
        elif response.status_code == 429:
            hinted = retry_after_s(response)
            if hinted:
                self.limiter.pause(min(hinted, self.max_pause_s))
        self.limiter.settle(estimate, actual)
        return response

    def close(self) -> None:
        self.inner.close()


def limited_llm(settings: Settings, limiter: RateLimiter) -> LLMClient:
    """An ``LLMClient`` whose every request (retries and re-asks included) goes through ``limiter``."""
    return LLMClient(
        settings,
        wrap_transport=lambda inner: RateLimitedTransport(inner, limiter, max_pause_s=settings.retry_max_wait_s),
    )
