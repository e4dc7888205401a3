"""A real OpenAI-compatible HTTP server on 127.0.0.1 for batch tests and benchmarks, with injected faults.

``POST /v1/chat/completions`` answers with a valid extraction (``tests/fakes.py``'s ``GOOD_EXTRACTION``), or
with ``answer(request body)`` when given (``tests.canned_answers.canned_completion``), unless a fault is
due. Faults come from two places, checked in this order:

- a rate limit (``rpm`` with a ``burst``): a token bucket; a request over it gets 429 with
  ``Retry-After``/``retry-after-ms`` saying when the next one would be accepted;
- a script: ``script[marker] = ["429", "500", "ok"]`` answers the n-th request whose body contains
  ``marker`` with the n-th action (the last one repeats);
- random faults: ``faults={"500": 0.1, "hang": 0.05}`` with a seeded generator.

Actions: ``ok``, ``429`` (Retry-After ``retry_after_s``), ``500``, ``503``, ``400`` (the backend refuses
the article), ``hang`` (answers only after ``hang_s``, past the client's timeout), ``invalid_json`` (200
whose message is not JSON), ``bad_body`` (200 whose HTTP body is not JSON). Every answer waits
``latency_s`` first. The server stops by itself when the context manager exits; hangs end then too.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes import GOOD_EXTRACTION, completion

ACTIONS = ("ok", "429", "500", "503", "400", "hang", "invalid_json", "bad_body")


@dataclass
class FakeConfig:
    latency_s: float = 0.0
    rpm: float | None = None
    burst: float = 1.0
    retry_after_s: float = 0.05
    hang_s: float = 2.0
    script: dict[str, list[str]] = field(default_factory=dict)
    faults: dict[str, float] = field(default_factory=dict)
    seed: int = 0
    answer: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # an ok answer's body, from the request's
    keep_alive: bool = False  # HTTP/1.1 connections that stay open, as real servers keep them (benchmarks)


@dataclass
class FakeStats:
    requests: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    accepted_at: list[float] = field(default_factory=list)  # monotonic arrival times of requests answered 200 ok
    peak_concurrency: int = 0


class FakeOpenAIServer:
    """The server, its config (changeable while running) and what it saw."""

    def __init__(self, config: FakeConfig | None = None):
        self.config = config or FakeConfig()
        self.stats = FakeStats()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._random = random.Random(self.config.seed)
        self._seen: Counter[str] = Counter()
        self._tokens = self.config.burst
        self._refilled = time.monotonic()
        self._inflight = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = False  # server_close() joins every handler thread
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- deciding what to answer -------------------------------------------------------------

    def _rate_limited(self, now: float) -> float | None:
        """Seconds until a token is free when the bucket is empty, else None (and a token is taken)."""
        rpm = self.config.rpm
        if rpm is None:
            return None
        rate = rpm / 60.0
        self._tokens = min(self.config.burst, self._tokens + (now - self._refilled) * rate)
        self._refilled = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return (1.0 - self._tokens) / rate

    def decide(self, body: str) -> tuple[str, float | None]:
        with self._lock:
            self.stats.requests += 1
            wait = self._rate_limited(time.monotonic())
            if wait is not None:
                return "429", wait
            for marker, steps in self.config.script.items():
                if marker in body:
                    self._seen[marker] += 1
                    return steps[min(self._seen[marker], len(steps)) - 1], None
            roll = self._random.random()
            for action, probability in self.config.faults.items():
                if roll < probability:
                    return action, None
                roll -= probability
            return "ok", None

    def record(self, action: str, arrived: float) -> None:
        with self._lock:
            self.stats.by_action[action] += 1
            if action == "ok":
                self.stats.accepted_at.append(arrived)

    def enter(self) -> None:
        with self._lock:
            self._inflight += 1
            self.stats.peak_concurrency = max(self.stats.peak_concurrency, self._inflight)

    def leave(self) -> None:
        with self._lock:
            self._inflight -= 1


def _handler_for(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a silent client cannot keep a handler thread forever
        protocol_version = "HTTP/1.1" if server.config.keep_alive else "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            arrived = time.monotonic()
            server.enter()
            try:
                body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode("utf-8", "replace")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                action, wait = server.decide(body)
                server.record(action, arrived)
                if action == "429" and wait is not None:  # the rate limit answers at once, as providers do
                    self._send_429(wait)
                    return
                if server._closing.wait(server.config.latency_s):
                    return
                self._answer(action, body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout); nothing to answer
            finally:
                server.leave()

        def _answer(self, action: str, body: str) -> None:
            config = server.config
            if action == "ok" and config.answer is not None:
                self._send(200, config.answer(json.loads(body)))
            elif action == "ok":
                prompt_tokens = max(1, len(body) // 4)
                content = json.dumps(GOOD_EXTRACTION)
                self._send(200, completion(content, prompt_tokens=prompt_tokens, completion_tokens=len(content) // 4))
            elif action == "429":
                self._send_429(config.retry_after_s)
            elif action in ("500", "503", "400"):
                self._send(int(action), {"error": {"message": f"injected {action}", "type": "injected"}})
            elif action == "hang":
                if not server._closing.wait(config.hang_s):
                    self._send(200, completion(json.dumps(GOOD_EXTRACTION)))
            elif action == "invalid_json":
                self._send(200, completion("{not json at all"))
            elif action == "bad_body":
                self._send_raw(200, b"<html>this is not JSON</html>", "application/json")
            else:
                raise ValueError(f"unknown fake action {action!r}")

        def _send_429(self, wait: float) -> None:
            headers = {"retry-after-ms": str(math.ceil(wait * 1000)), "retry-after": str(math.ceil(wait))}
            self._send(429, {"error": {"message": "injected rate limit", "type": "rate_limit"}}, headers)

        def _send(self, code: int, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> None:
            self._send_raw(code, json.dumps(payload).encode("utf-8"), "application/json", headers)

        def _send_raw(
            self, code: int, data: bytes, content_type: str, headers: Mapping[str, str] | None = None
        ) -> None:
            self.send_response(code)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fake_openai_server(config: FakeConfig | None = None, **options: Any) -> Iterator[FakeOpenAIServer]:
    """``with fake_openai_server(latency_s=0.05) as server: ... server.base_url ...``"""
    server = FakeOpenAIServer(config or FakeConfig(**options)).start()
    try:
        yield server
    finally:
        server.close()


def articles(n: int, *, prefix: str = "art") -> Sequence[dict[str, str]]:
    """``n`` distinct small articles as JSONL records (distinct texts: no cache hits between them)."""
    return [
        {
            "id": f"{prefix}-{i:04d}",
            "title": f"Report {i}",
            "text": (
                f"[{prefix}-{i:04d}] Pentagon spokesman Jonathan Hoffman said in a statement that U.S. forces "
                f"struck five Kata'ib Hezbollah sites in Iraq and Syria (report number {i})."
            ),
        }
        for i in range(n)
    ]
