"""What the API logs, and what it never does: keys (header or query string), headers, bodies, article text.

Structured JSON lines (Litestar's structlog plugin): one per request (path, method, redacted query, the
client's address) and one per response (status), each with the request id. uvicorn's access log gets a
filter that redacts keys in query strings too (``serve`` installs it). Failed summaries are logged by
``problems.py``, by error type (their messages can quote the model's output, which is article text).
"""

from __future__ import annotations

import copy
import logging
import re
import uuid
from typing import Any, Literal

import structlog
from litestar.enums import ScopeType
from litestar.logging.config import StructLoggingConfig
from litestar.middleware.logging import LoggingMiddlewareConfig
from litestar.plugins.structlog import StructlogConfig, StructlogPlugin
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG

from summarizer.api.security import redact_query

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_RESPONSE_LOG_FIELDS: tuple[Literal["status_code"], ...] = ("status_code",)


def structlog_plugin() -> StructlogPlugin:
    return StructlogPlugin(
        StructlogConfig(
            # Client errors are answered, not logged as exceptions; the unexpected ones are logged by
            # problems.internal_error_handler with their traceback.
            structlog_logging_config=StructLoggingConfig(log_exceptions="never"),
            middleware_logging_config=LoggingMiddlewareConfig(
                # Never headers or bodies: keys and article texts stay out of the logs.
                request_log_fields=("path", "method", "query", "client"),
                response_log_fields=_RESPONSE_LOG_FIELDS,
            ),
        )
    )


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Take the caller's X-Request-ID (if sane) or make one; log it with every line; echo it back."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.lower().encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await app(scope, receive, send_with_id)

    return middleware


class RedactQueryKeys(logging.Filter):
    """For uvicorn's access log: the URL of each line with the values of key parameters redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_url(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def _redact_url(text: str) -> str:
    path, sep, query = text.partition("?")
    return path + sep + redact_query(query) if sep else text


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration, with ``RedactQueryKeys`` on its access log."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_query_keys": {"()": RedactQueryKeys}}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_query_keys"]
    return config
