"""``Idempotency-Key`` on POST /v1/summaries and POST /v1/batches (the IETF httpapi draft's semantics).

A key belongs to the API key that sent it (stored as its sha256) and is kept ``api_idempotency_hours``
(24 by default). The same key with the same body returns the first response again (with
``Idempotent-Replayed: true``); a request whose key is still in flight gets a 409 problem; the same key
with another body a 422 problem. Only a success is kept: a request that failed releases its key, so the
client's retry runs it again. A claim whose request never finished (its server died) is given up after
the request timeout.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import anyio.to_thread
from litestar import Request, Response
from litestar.datastructures import State
from litestar.params import HeaderParameter
from litestar.serialization import encode_json
from pydantic import BaseModel

from summarizer.api.idempotency_keys import Claim, KeyTimes
from summarizer.api.problems import problem
from summarizer.api.security import presented_key

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces: what a client generates (a UUID)


# The header as the routes declare it (for OpenAPI; ``idempotent`` reads it from the request).
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name=HEADER,
        required=False,
        max_length=255,
        description="Any unique string (a UUID) per request: a retry with the same key and body returns the first "
        "response (Idempotent-Replayed: true); kept 24 hours per API key",
    ),
]


def fingerprint(request_body: str) -> str:
    """What tells two requests' bodies apart: the sha256 of their canonical text."""
    return hashlib.sha256(request_body.encode("utf-8")).hexdigest()


async def idempotent(
    state: State, request: Request[Any, Any, Any], body_fingerprint: str, run: Callable[[], Awaitable[Response[Any]]]
) -> Response[Any]:
    """``run()``'s response, once per Idempotency-Key (a request without the header just runs)."""
    key = request.headers.get(HEADER)
    if key is None:
        return await run()
    if not _KEY.match(key):
        detail = f"{HEADER} must be 1 to 255 printable ASCII characters"
        raise problem(400, "invalid-idempotency-key", "Bad Request", detail)
    store = state.store
    scope = hashlib.sha256(presented_key(request).encode("utf-8")).hexdigest()
    times = KeyTimes.at(
        datetime.now(UTC),
        keep=timedelta(hours=state.settings.api_idempotency_hours),
        in_flight=timedelta(seconds=state.settings.request_timeout_s + 60),
    )
    claim: Claim = await anyio.to_thread.run_sync(
        lambda: store.claim_idempotency_key(scope, key, body_fingerprint, times)
    )
    if claim.outcome == "in-flight":
        detail = f"a request with this {HEADER} is still being processed; retry when it has finished"
        raise problem(409, "idempotency-key-in-flight", "Conflict", detail)
    if claim.outcome == "mismatch":
        detail = f"this {HEADER} was used with another request body; use a new key for a new request"
        raise problem(422, "idempotency-key-reused", "Idempotency key reused", detail)
    if claim.replay is not None:
        replay = claim.replay
        headers = {REPLAYED_HEADER: "true", **({"Location": replay.location} if replay.location else {})}
        return _json(replay.body, replay.status, headers)
    try:
        response = await run()
    except BaseException:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(lambda: store.release_idempotency_key(scope, key))
        raise
    content = response.content
    body = content.model_dump_json() if isinstance(content, BaseModel) else encode_json(content).decode("utf-8")
    location = response.headers.get("Location")
    status = response.status_code or 200  # a replay answers with the status sent the first time
    await anyio.to_thread.run_sync(lambda: store.complete_idempotency_key(scope, key, status, body, location))
    return _json(body, status, dict(response.headers))


def _json(body: str, status: int, headers: dict[str, str]) -> Response[bytes]:
    return Response(body.encode("utf-8"), status_code=status, media_type="application/json", headers=headers)
