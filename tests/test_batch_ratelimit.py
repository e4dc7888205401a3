from __future__ import annotations

import json

import httpx2
import pytest

from summarizer.batch.ratelimit import Bucket, RateLimitedTransport, RateLimiter, TokenEstimator
from tests.fakes import Script, completion, ok, status


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_bucket_starts_with_half_a_second_of_budget_then_paces() -> None:
    clock = Clock()
    limiter = RateLimiter(rpm=480, clock=clock, sleep=clock.sleep)
    for _ in range(12):
        limiter.acquire(0)
    # 8/s with a burst of 4: the first four go at once, the next eight take 1 s
    assert clock.now - 100.0 == pytest.approx(1.0)


def test_tokens_budget_is_corrected_with_actual_usage() -> None:
    clock = Clock()
    limiter = RateLimiter(tpm=6000, clock=clock, sleep=clock.sleep)  # 100 tokens/s, bucket of 50
    limiter.acquire(100)
    limiter.settle(100, 400)  # the request cost 300 more than estimated: 3 s of debt
    limiter.acquire(100)
    assert clock.now - 100.0 == pytest.approx(4.0)
    limiter.settle(100, 0)  # refunded (capped at the bucket size)
    limiter.acquire(50)
    assert clock.now - 100.0 == pytest.approx(4.0)


def test_a_request_larger_than_the_bucket_is_admitted_when_full() -> None:
    clock = Clock()
    limiter = RateLimiter(tpm=600, clock=clock, sleep=clock.sleep)  # 10 tokens/s
    limiter.acquire(1000)
    limiter.acquire(1000)
    assert clock.now - 100.0 == pytest.approx(100.0)  # pays back the first one's debt and refills the bucket


def test_pause_holds_every_request() -> None:
    clock = Clock()
    limiter = RateLimiter(rpm=6000, clock=clock, sleep=clock.sleep)
    limiter.pause(2.5)
    limiter.acquire(1)
    assert clock.now - 100.0 == pytest.approx(2.5)


def test_suggested_concurrency_follows_littles_law() -> None:
    limiter = RateLimiter(rpm=600)
    assert limiter.suggested_concurrency(64) is None
    for _ in range(5):
        limiter.observe_latency(2.0)
    assert limiter.suggested_concurrency(64) == 32  # 10/s x 2 s x 1.5 + 2
    assert limiter.suggested_concurrency(8) == 8


def test_unanswered_requests_raise_the_latency_estimate_before_the_first_answer() -> None:
    clock = Clock()
    limiter = RateLimiter(rpm=600, clock=clock, sleep=clock.sleep)
    first = limiter.sent()
    clock.now += 1.0
    assert limiter.median_latency() == pytest.approx(1.0)
    assert limiter.suggested_concurrency(64) == 17  # 10/s x 1 s x 1.5 + 2, while still waiting
    limiter.answered(first, ok=True)
    clock.now += 5.0
    assert limiter.median_latency() == pytest.approx(1.0)


def test_bucket_rejects_zero() -> None:
    with pytest.raises(ValueError):
        Bucket(0)


def test_estimator_calibrates_on_usage() -> None:
    estimator = TokenEstimator()
    body = json.dumps({"messages": [{"role": "user", "content": "x" * 400}], "max_tokens": 50}).encode()
    first = estimator.estimate(body)
    assert first == pytest.approx(len(body) / 4 + 50, abs=1)
    for _ in range(20):
        assert estimator.observe(len(body), {"prompt_tokens": len(body), "completion_tokens": 10}) == len(body) + 10
    assert estimator.estimate(body) == pytest.approx(len(body) + 10, rel=0.05)


def request() -> httpx2.Request:
    body = {"model": "m", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 10}
    return httpx2.Request("POST", "http://fake.invalid/v1/chat/completions", json=body)


def test_transport_settles_usage_and_pauses_on_429() -> None:
    clock = Clock()
    limiter = RateLimiter(rpm=60, tpm=100_000, clock=clock, sleep=clock.sleep)
    script = Script([status(429, {"retry-after": "3"}), ok()])
    transport = RateLimitedTransport(script, limiter)
    first = request()
    assert transport.handle_request(first).status_code == 429
    assert limiter.paused_until == pytest.approx(clock.now + 3)
    response = transport.handle_request(request())
    assert response.status_code == 200
    assert json.loads(response.content)["usage"]["total_tokens"] == 120
    assert clock.now - 100.0 == pytest.approx(3.0)
    assert limiter.requests_per_second() == pytest.approx(1.0)


def test_a_response_without_usage_is_charged_the_estimate() -> None:
    clock = Clock()
    limiter = RateLimiter(tpm=600_000, clock=clock, sleep=clock.sleep)  # a bucket of 5,000 tokens
    body = completion("{}")
    del body["usage"]
    transport = RateLimitedTransport(Script([lambda r: httpx2.Response(200, json=body)]), limiter)
    sent = request()
    assert transport.handle_request(sent).status_code == 200
    assert limiter.tokens is not None
    assert limiter.tokens.level == pytest.approx(5000 - TokenEstimator().estimate(sent.read()))


def test_limited_client_keeps_the_real_endpoint_and_key() -> None:
    from pydantic import SecretStr

    from summarizer.batch.ratelimit import limited_llm
    from summarizer.extraction import Extraction
    from summarizer.prompts import SamplingParams
    from summarizer.settings import Settings

    seen: list[httpx2.Request] = []

    def capture(inner: httpx2.BaseTransport) -> httpx2.BaseTransport:
        return Script([lambda r: (seen.append(r), ok()(r))[1]])

    settings = Settings(backend="openai", base_url="http://provider.invalid/v1", api_key=SecretStr("real"))
    limiter = RateLimiter(rpm=6000)
    client = limited_llm(settings, limiter)
    wrap = client._wrap_transport
    assert wrap is not None
    client._wrap_transport = lambda inner: wrap(capture(inner))  # the limiter around a capturing fake
    client.call(Extraction, [{"role": "user", "content": "x"}], SamplingParams(), cache_key="k")
    client.close()
    assert seen[0].headers["authorization"] == "Bearer real"
    assert str(seen[0].url).startswith("http://provider.invalid/v1/")
