from __future__ import annotations

import time

import httpx2
import pytest

from summarizer.errors import BackendResponseError, BackendUnavailable, ExtractionError, RateLimited
from summarizer.extraction import Extraction
from summarizer.llm import LLMClient
from summarizer.prompts import SamplingParams
from summarizer.settings import Settings
from tests.fakes import Script, completion, connection_error, invalid_json, ok, status

MESSAGES = [{"role": "user", "content": "article"}]


def client(script: Script, **overrides: object) -> LLMClient:
    options: dict[str, object] = {"backend": "openai", "base_url": "http://fake.invalid/v1", "retry_max_wait_s": 0.05}
    settings = Settings(**{**options, **overrides})  # type: ignore[arg-type]
    return LLMClient(settings, transport=script)


def test_transient_failures_are_retried_and_counted() -> None:
    script = Script([status(503), connection_error(), status(500), ok()])
    result = client(script).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert isinstance(result.value, Extraction)
    assert result.attempts == 4
    assert len(script.requests) == 4
    assert result.usage.total_tokens == 120  # failed attempts used no tokens


def test_retry_after_is_honoured() -> None:
    script = Script([status(429, {"retry-after": "0.3"}), ok()])
    started = time.perf_counter()
    client(script, retry_max_wait_s=5).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert time.perf_counter() - started >= 0.3


def test_retry_after_is_capped() -> None:
    script = Script([status(429, {"retry-after": "3600"}), ok()])
    started = time.perf_counter()
    client(script, retry_max_wait_s=0.1).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert time.perf_counter() - started < 5


def test_persistent_429_becomes_rate_limited_after_bounded_attempts() -> None:
    script = Script([status(429, {"retry-after": "0"})])
    with pytest.raises(RateLimited):
        client(script, max_transient_retries=2).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert len(script.requests) == 3


def test_connection_refused_becomes_backend_unavailable() -> None:
    with pytest.raises(BackendUnavailable, match="cannot reach"):
        client(Script([connection_error()]), max_transient_retries=1).call(
            Extraction, MESSAGES, SamplingParams(), cache_key="k"
        )


def test_client_errors_are_not_retried() -> None:
    script = Script([status(400)])
    with pytest.raises(BackendResponseError, match="HTTP 400"):
        client(script).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert len(script.requests) == 1


def test_invalid_output_is_re_asked_then_accepted_with_usage_summed() -> None:
    script = Script([invalid_json(), ok()])
    result = client(script).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert result.attempts == 2
    assert result.usage.total_tokens == 240
    assert "Correct your JSON" in script.requests[1]["messages"][-1]["content"]


def test_invalid_output_after_validation_retries_is_an_extraction_error() -> None:
    script = Script([invalid_json()])
    with pytest.raises(ExtractionError, match="did not match the schema"):
        client(script, max_validation_retries=1).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
    assert len(script.requests) == 2  # validation failures are re-asked, not re-sent by tenacity too


def test_request_carries_schema_sampling_params_and_cache_key_header() -> None:
    script = Script([ok()])
    client(script).call(Extraction, MESSAGES, SamplingParams(temperature=0, max_tokens=77, seed=3), cache_key="k")
    body = script.requests[0]
    assert body["response_format"]["type"] == "json_schema"
    assert body["max_tokens"] == 77 and body["seed"] == 3
    assert "repeat_penalty" not in body  # llama.cpp-only fields never go to other endpoints


def test_output_cut_off_at_max_tokens_is_a_clear_extraction_error() -> None:
    truncated = completion('{"actors": [{"name": "Jonathan')
    truncated["choices"][0]["finish_reason"] = "length"
    script = Script([lambda request: httpx2.Response(200, json=truncated)])
    with pytest.raises(ExtractionError, match="cut off at the max_tokens limit"):
        client(script).call(Extraction, MESSAGES, SamplingParams(), cache_key="k")
