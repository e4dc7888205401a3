"""API keys, who a request counts as for rate limiting, and request ids.

Keys are compared in constant time and never logged or stored: rate limiting identifies a key by a
short hash of it. Health, readiness, metrics, schemas and the API docs need no key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from typing import Any

import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send

API_KEY_HEADER = "X-API-Key"
REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def api_key_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    keys: tuple[str, ...] = connection.app.state.api_keys
    if not keys:
        return
    given = connection.headers.get(API_KEY_HEADER, "")
    if not any(hmac.compare_digest(given.encode(), key.encode()) for key in keys):
        raise NotAuthorizedException(
            detail=f"a valid {API_KEY_HEADER} header is required" if given == "" else f"invalid {API_KEY_HEADER}",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )


def rate_limit_identity(request: Request[Any, Any, Any]) -> str:
    """A short hash of the API key when one is sent, else the client's address."""
    key = request.headers.get(API_KEY_HEADER)
    if key:
        return "key:" + hashlib.sha256(key.encode()).hexdigest()[:16]
    client = request.client
    return "addr:" + (client.host if client else "unknown")


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
