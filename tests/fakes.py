"""Hand-written OpenAI-compatible responses for tests that need precise failure sequences."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import httpx2

GOOD_EXTRACTION: dict[str, Any] = {
    "actors": [
        {
            "name": "Jonathan Hoffman",
            "kind": "person",
            "title": "Pentagon spokesman",
            "affiliation": "Pentagon",
            "aliases": ["Hoffman"],
            "evidence": "Pentagon spokesman Jonathan Hoffman said in a statement",
        }
    ],
    "actions": [],
    "casualties": [],
    "statements": [],
    "summary": "The US struck Kata'ib Hezbollah sites in Iraq and Syria.",
}


def completion(content: str, *, prompt_tokens: int = 100, completion_tokens: int = 20) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1,
        "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


Step = Callable[[httpx2.Request], httpx2.Response]


def ok(extraction: dict[str, Any] | None = None) -> Step:
    body = completion(json.dumps(extraction or GOOD_EXTRACTION))
    return lambda request: httpx2.Response(200, json=body)


def status(code: int, headers: dict[str, str] | None = None) -> Step:
    return lambda request: httpx2.Response(code, json={"error": {"message": f"injected {code}"}}, headers=headers)


def invalid_json() -> Step:
    return lambda request: httpx2.Response(200, json=completion("{not json at all"))


def connection_error() -> Step:
    def step(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("injected connection refused", request=request)

    return step


class Script(httpx2.BaseTransport):
    """Answers requests with the given steps in order; the last step repeats."""

    def __init__(self, steps: Iterable[Step]):
        self.steps = list(steps)
        self.requests: list[dict[str, Any]] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.read()))
        step = self.steps[min(len(self.requests) - 1, len(self.steps) - 1)]
        return step(request)
