"""API keys: who may call, who a request counts as for rate limiting, and how guessing keys is throttled.

Keys travel in the ``X-API-Key`` header (the review pages under ``/review`` also take the HttpOnly cookie
``POST /review/key`` sets), never in a URL: a key in the query string is refused (URLs end up in logs,
proxies and browser histories) and its value is redacted before anything can log it. Keys are compared
in constant time and never logged or stored: rate limiting identifies a valid key by a short hash of it,
and everything else by the client's address. Requests without a valid key are also counted per address
(``SUMMARIZER_API_AUTH_FAILURES_PER_MINUTE``): past that, they get 429 before their key is even checked.
The client's address is the peer's, or, behind one of ``SUMMARIZER_API_TRUSTED_PROXIES``, the one it
forwards (uvicorn's ``ProxyHeadersMiddleware``); ``X-Forwarded-For`` from anyone else is ignored.
Health, readiness, metrics, schemas and the API docs need no key.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from summarizer.api.problems import problem

API_KEY_HEADER = "X-API-Key"
KEY_COOKIE = "summarizer_api_key"
REVIEW_PATH = "/review"
OPEN_PATHS = ["/health", "/ready", "/metrics", "/docs", "/v1/schemas"]
# Query parameters that carry a key, whatever the spelling; the API has no other parameter by these names.
KEY_PARAMS = frozenset({"api_key", "apikey", "api-key", "x-api-key", "x_api_key", "key", "access_token", "token"})
REDACTED = "[redacted]"


def _keys(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, ...]:
    keys: tuple[str, ...] = connection.app.state.api_keys
    return keys


def presented_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The key a request presents: its X-API-Key header; on review pages (``REVIEW_PATH``), else its key cookie.

    A browser cannot add a header to a link it follows, so the review pages also read the cookie that
    ``POST /review/key`` sets (HttpOnly, SameSite=Strict, path /review): never sent to ``/v1``.
    """
    given = connection.headers.get(API_KEY_HEADER, "")
    if not given and (connection.scope["path"] + "/").startswith(REVIEW_PATH + "/"):
        given = connection.cookies.get(KEY_COOKIE, "")
    return given


def is_valid_key(connection: ASGIConnection[Any, Any, Any, Any], given: str) -> bool:
    """True when the server needs no key, or ``given`` is one of its keys (compared in constant time)."""
    keys = _keys(connection)
    return not keys or any(hmac.compare_digest(given.encode(), key.encode()) for key in keys)


def has_valid_key(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """True when the server needs no key, or the request presents one of its keys."""
    return is_valid_key(connection, presented_key(connection))


async def api_key_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    # async, as every check here: Litestar runs a sync guard or handler in a worker thread (~0.2 ms a hop)
    if not has_valid_key(connection):
        given = presented_key(connection)
        raise NotAuthorizedException(
            detail=f"a valid {API_KEY_HEADER} header is required" if given == "" else f"invalid {API_KEY_HEADER}",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )


def client_address(request: Request[Any, Any, Any]) -> str:
    return "addr:" + (request.client.host if request.client else "unknown")


def rate_limit_identity(request: Request[Any, Any, Any]) -> str:
    """A short hash of a valid API key; else the client's address (so made-up keys share one budget)."""
    key = presented_key(request)
    if key and _keys(request) and has_valid_key(request):
        return "key:" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return client_address(request)


async def _unauthenticated(request: Request[Any, Any, Any]) -> bool:
    return not has_valid_key(request)


def rate_limits(per_minute: int, auth_failures_per_minute: int) -> list[DefineMiddleware]:
    """Litestar's rate limiting twice: failed authentication per address, then every request per identity."""
    auth_failures = RateLimitConfig(
        rate_limit=("minute", auth_failures_per_minute),
        identifier_for_request=client_address,
        check_throttle_handler=_unauthenticated,
        exclude=OPEN_PATHS,
        set_rate_limit_headers=False,  # the headers of a response describe the request budget, below
        store="auth_failures",
    )
    requests = RateLimitConfig(
        rate_limit=("minute", per_minute), identifier_for_request=rate_limit_identity, exclude=OPEN_PATHS
    )
    return [auth_failures.middleware, requests.middleware]


def trusted_proxies(proxies: list[str]) -> list[DefineMiddleware]:
    """The client's address from X-Forwarded-For, only when the peer is one of ``proxies`` (none: never)."""
    # uvicorn's middleware is plain ASGI 3, which Litestar runs as any other; only the type names differ.
    return [DefineMiddleware(ProxyHeadersMiddleware, trusted_hosts=proxies)] if proxies else []  # type: ignore[arg-type]


def redact_query(query: str) -> str:
    """``query`` with the value of every key-carrying parameter replaced (the one rule for every log line)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name.lower() in KEY_PARAMS for name, _ in pairs):
        return query
    return urlencode([(name, REDACTED if name.lower() in KEY_PARAMS else value) for name, value in pairs])


def refuse_query_keys(app: ASGIApp) -> ASGIApp:
    """400 for a key in the query string; its value is redacted in the request first, so no log shows it."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["query_string"]:
            query = scope["query_string"].decode("latin-1")
            redacted = redact_query(query)
            if redacted != query:
                scope["query_string"] = redacted.encode("latin-1")  # the access log reads this very scope
                raise problem(
                    400,
                    "key-in-query",
                    "API key in the query string",
                    f"send the key in the {API_KEY_HEADER} header, never in the URL (URLs are logged and cached); "
                    "this request was refused and the key was not logged",
                )
        await app(scope, receive, send)

    return middleware
