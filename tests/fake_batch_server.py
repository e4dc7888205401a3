"""A real OpenAI-compatible files + batches server on 127.0.0.1 for the batch-API engine's tests, with faults.

Routes: ``POST /v1/files`` (multipart, purpose=batch), ``GET /v1/files/{id}/content``, ``POST /v1/batches``,
``GET /v1/batches/{id}``, ``GET /v1/batches`` (list), ``POST /v1/batches/{id}/cancel``.

A batch moves one step per poll (``GET /v1/batches/{id}``): ``validating`` for ``polls_validating`` polls,
``in_progress`` for ``polls_in_progress`` (its completed count growing), ``finalizing`` once, then its
outcome, taken in creation order from ``outcomes`` (then ``completed``):

- ``completed``: every request answered, except those ``fail_request(custom_id, body)`` gives an HTTP
  status: an error-file line with that status;
- ``expired``: the first ``answered_fraction`` answered, the rest error lines ``batch_expired``;
- ``cancelled``: the first ``answered_fraction`` answered, the rest in neither file;
- ``failed``: validation failed (``errors``), nothing answered.

Answers come from ``answer(body)`` (default: ``tests.canned_answers.canned_completion``). ``stats`` counts
uploads, batch creations and polls: a resumed run that re-attached creates no batch.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.canned_answers import canned_completion

Answer = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class BatchFakeConfig:
    answer: Answer = canned_completion
    polls_validating: int = 1
    polls_in_progress: int = 2
    outcomes: list[str] = field(default_factory=list)
    answered_fraction: float = 0.5
    fail_request: Callable[[str, dict[str, Any]], int | None] | None = None


@dataclass
class _Batch:
    id: str
    input_file_id: str
    lines: list[dict[str, Any]]
    outcome: str
    created_at: int
    polls: int = 0
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


class FakeBatchServer:
    def __init__(self, config: BatchFakeConfig | None = None):
        self.config = config or BatchFakeConfig()
        self.stats: Counter[str] = Counter()
        self.files: dict[str, tuple[str, bytes]] = {}
        self.batches: dict[str, _Batch] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FakeBatchServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):04d}"

    # -- routes --------------------------------------------------------------------------------

    def upload(self, filename: str, purpose: str, data: bytes) -> dict[str, Any]:
        with self._lock:
            file_id = self._new_id("file")
            self.files[file_id] = (filename, data)
            self.stats["uploads"] += 1
        return _file_object(file_id, filename, len(data), purpose)

    def create(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            found = self.files.get(request.get("input_file_id", ""))
            if found is None or request.get("endpoint") != "/v1/chat/completions":
                return 400, {"error": {"message": "unknown input_file_id or endpoint", "type": "invalid_request_error"}}
            lines = [json.loads(raw) for raw in found[1].splitlines() if raw.strip()]
            outcome = (
                self.config.outcomes[self.stats["creations"]]
                if self.stats["creations"] < len(self.config.outcomes)
                else "completed"
            )
            self.stats["creations"] += 1
            batch = _Batch(self._new_id("batch"), request["input_file_id"], lines, outcome, int(time.time()))
            self.batches[batch.id] = batch
            return 200, self._batch_object(batch)

    def retrieve(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return 404, {"error": {"message": f"no batch {batch_id}"}}
            self.stats["polls"] += 1
            batch.polls += 1
            self._advance(batch)
            return 200, self._batch_object(batch)

    def cancel(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return 404, {"error": {"message": f"no batch {batch_id}"}}
            batch.outcome = "cancelled"
            return 200, self._batch_object(batch)

    def listing(self) -> dict[str, Any]:
        with self._lock:
            data = [self._batch_object(b) for b in reversed(list(self.batches.values()))]
        return {"object": "list", "data": data, "first_id": None, "last_id": None, "has_more": False}

    # -- a batch's life ------------------------------------------------------------------------

    def _advance(self, batch: _Batch) -> None:
        config = self.config
        if batch.status in ("completed", "failed", "expired", "cancelled"):
            return
        if batch.polls <= config.polls_validating:
            batch.status = "validating"
        elif batch.polls <= config.polls_validating + config.polls_in_progress:
            batch.status = "in_progress"
        elif batch.polls == config.polls_validating + config.polls_in_progress + 1:
            batch.status = "finalizing"
        else:
            self._finish(batch)

    def _finish(self, batch: _Batch) -> None:
        if batch.outcome == "failed":
            batch.status = "failed"
            batch.errors = [{"code": "invalid_request", "message": "injected validation failure", "line": 1}]
            return
        answered = len(batch.lines)
        if batch.outcome in ("expired", "cancelled"):
            answered = int(len(batch.lines) * self.config.answered_fraction)
        output, errors = [], []
        for index, line in enumerate(batch.lines):
            request_id = f"batch_req_{batch.id}_{index}"
            if index >= answered:
                if batch.outcome == "expired":
                    expired = {"code": "batch_expired", "message": "not executed before the completion window ended"}
                    errors.append(
                        {"id": request_id, "custom_id": line["custom_id"], "response": None, "error": expired}
                    )
                continue
            status = self.config.fail_request(line["custom_id"], line["body"]) if self.config.fail_request else None
            if status is not None:
                body = {"error": {"message": f"injected {status}", "type": "server_error"}}
                response = {"status_code": status, "request_id": request_id, "body": body}
                errors.append({"id": request_id, "custom_id": line["custom_id"], "response": response, "error": None})
                continue
            response = {"status_code": 200, "request_id": request_id, "body": self.config.answer(line["body"])}
            output.append({"id": request_id, "custom_id": line["custom_id"], "response": response, "error": None})
        batch.output_file_id = self._store(f"{batch.id}_output.jsonl", output)
        batch.error_file_id = self._store(f"{batch.id}_errors.jsonl", errors)
        batch.status = batch.outcome

    def _store(self, name: str, lines: list[dict[str, Any]]) -> str | None:
        if not lines:
            return None
        file_id = self._new_id("file")
        self.files[file_id] = (name, "".join(json.dumps(x) + "\n" for x in lines).encode("utf-8"))
        return file_id

    def _batch_object(self, batch: _Batch) -> dict[str, Any]:
        total = len(batch.lines)
        done = 0
        if batch.status == "in_progress":
            done = total * (batch.polls - self.config.polls_validating) // (self.config.polls_in_progress + 1)
        elif batch.status not in ("validating", "failed"):
            done = total
        failed = 0
        if batch.status in ("completed", "expired", "cancelled") and batch.error_file_id:
            failed = len(self.files[batch.error_file_id][1].splitlines())
        return {
            "id": batch.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": batch.input_file_id,
            "completion_window": "24h",
            "status": batch.status,
            "created_at": batch.created_at,
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "errors": {"object": "list", "data": batch.errors} if batch.errors else None,
            "request_counts": {"total": total, "completed": done - failed, "failed": failed},
            "metadata": {},
        }


def _file_object(file_id: str, filename: str, size: int, purpose: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": int(time.time()),
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
    }


def _multipart(content_type: str, data: bytes) -> dict[str, tuple[str | None, bytes]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + data
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return parts


def _handler_for(server: FakeBatchServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("content-length") or 0))
            path = self.path.rstrip("/")
            if path == "/v1/files":
                parts = _multipart(self.headers.get("content-type", ""), data)
                filename, content = parts.get("file", (None, b""))
                purpose = parts.get("purpose", (None, b""))[1].decode()
                if purpose != "batch":
                    self._send(400, {"error": {"message": f"purpose {purpose!r} is not batch"}})
                    return
                self._send(200, server.upload(filename or "upload.jsonl", purpose, content))
            elif path == "/v1/batches":
                self._send(*server.create(json.loads(data)))
            elif path.startswith("/v1/batches/") and path.endswith("/cancel"):
                self._send(*server.cancel(path.split("/")[3]))
            else:
                self._send(404, {"error": {"message": f"no route {self.path}"}})

        def do_GET(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            if path == "/v1/batches":
                self._send(200, server.listing())
            elif path.startswith("/v1/batches/"):
                self._send(*server.retrieve(path.split("/")[3]))
            elif path.startswith("/v1/files/") and path.endswith("/content"):
                found = server.files.get(path.split("/")[3])
                if found is None:
                    self._send(404, {"error": {"message": "no such file"}})
                    return
                server.stats["downloads"] += 1
                self._send_raw(200, found[1], "application/octet-stream")
            else:
                self._send(404, {"error": {"message": f"no route {self.path}"}})

        def _send(self, code: int, payload: Mapping[str, Any]) -> None:
            self._send_raw(code, json.dumps(payload).encode("utf-8"), "application/json")

        def _send_raw(self, code: int, data: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fake_batch_server(config: BatchFakeConfig | None = None, **options: Any) -> Iterator[FakeBatchServer]:
    """``with fake_batch_server(outcomes=["expired"]) as server: ... server.base_url ...``"""
    server = FakeBatchServer(config or BatchFakeConfig(**options)).start()
    try:
        yield server
    finally:
        server.close()
