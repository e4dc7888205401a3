"""A Content-Security-Policy on every HTML response the app sends.

Review pages (and any other HTML) get the review policy: scripts and styles only by the sha256 of the
inline bytes the page carries, nothing fetched from anywhere, no framing, forms only to this server.
The API docs (``/docs``: Swagger UI and Scalar, which Litestar loads from a CDN) get a policy that
allows exactly their CDN, so they keep working; they show no untrusted text.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from summarizer.review.render import policy

HEADER = "Content-Security-Policy"
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"img-src 'self' data: {DOCS_CDN}",
        f"font-src 'self' data: {DOCS_CDN}",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


async def add_policy(message: Message, scope: Scope) -> None:
    """``before_send`` hook: on a response's start, add the policy when its body is HTML."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if not headers.get("content-type", "").lower().startswith("text/html") or HEADER in headers:
        return
    path = scope.get("path", "")
    headers[HEADER] = DOCS_POLICY if path == "/docs" or path.startswith("/docs/") else policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
