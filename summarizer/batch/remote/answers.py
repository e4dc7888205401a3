"""What the provider answered, by ``custom_id``, and the HTTP transport that serves it to the live client.

Output and error files of OpenAI batches and of vLLM's ``run_batch`` share one line format::

    {"id": ..., "custom_id": ..., "response": {"status_code": 200, "request_id": ..., "body": {...}}, "error": null}

A 200 with a body is an answer; anything else (an error status, an ``error`` object such as
``batch_expired``) is the reason the request failed. ``AnswerTransport`` sits under the real ``openai``
client and ``instructor``: an answered request gets its body as the HTTP response (so parsing,
validation and re-asks run as live); a request without an answer raises ``AnswerPending``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx2

from summarizer.backends.replay import CACHE_KEY_HEADER
from summarizer.batch.remote.requests import ENDPOINT, PendingRequest, custom_id
from summarizer.errors import AnswerPending

log = logging.getLogger(__name__)


class AnswerBook:
    """Answers and failure reasons by ``custom_id``; filled from downloaded files between passes."""

    def __init__(self, directory: Path):
        self.directory = directory  # where the downloaded files live (named in messages)
        self.answers: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}

    def answer(self, request_id: str) -> dict[str, Any] | None:
        return self.answers.get(request_id)

    def error(self, request_id: str) -> str | None:
        return None if request_id in self.answers else self.errors.get(request_id)

    def ingest(self, path: Path, *, keep_errors: bool = True) -> int:
        """Read one output or error file; returns how many lines it had. Unreadable lines are skipped."""
        lines = 0
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                lines += 1
                try:
                    record = json.loads(raw)
                    request_id = record["custom_id"]
                except (ValueError, KeyError, TypeError):
                    log.warning("%s:%d: not a batch output line; skipped", path, number)
                    continue
                body, reason = _outcome(record)
                if body is not None:
                    self.answers[request_id] = body
                    self.errors.pop(request_id, None)
                elif keep_errors and request_id not in self.answers:
                    self.errors[request_id] = reason
        return lines

    def unanswered(self, request_ids: list[str], reason: str) -> None:
        """Requests a finished batch neither answered nor listed as failed fail with ``reason``."""
        for request_id in request_ids:
            if request_id not in self.answers and request_id not in self.errors:
                self.errors[request_id] = reason


def _outcome(record: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    response = record.get("response") or {}
    error = record.get("error")
    status = response.get("status_code") if isinstance(response, dict) else None
    body = response.get("body") if isinstance(response, dict) else None
    if status == 200 and isinstance(body, dict) and not error:
        return body, ""
    if isinstance(error, dict):
        return None, f"{error.get('code') or 'error'}: {error.get('message') or 'no message'}"
    if error:
        return None, str(error)
    message = (
        body.get("error", {}).get("message") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None
    )
    return None, f"HTTP {status}: {message or 'no message'}"


class AnswerTransport(httpx2.BaseTransport):
    """Serves downloaded answers to chat-completion requests; raises ``AnswerPending`` for the others."""

    def __init__(self, book: AnswerBook):
        self.book = book

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if not request.url.path.endswith(ENDPOINT.removeprefix("/v1")):
            return httpx2.Response(404, json={"error": {"message": f"no route {request.url.path}"}}, request=request)
        body = json.loads(request.read() or b"{}")
        key = request.headers.get(CACHE_KEY_HEADER, "")
        pending = PendingRequest(custom_id(key, body), body)
        answer = self.book.answer(pending.custom_id)
        if answer is None:
            raise AnswerPending(
                f"no batch answer yet for request {pending.custom_id}",
                key=key,
                path=self.book.directory,
                request=pending,
            )
        return httpx2.Response(200, json=answer, request=request)
