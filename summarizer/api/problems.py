"""The one place that maps errors to HTTP: RFC 9457 problem details, through Litestar's plugin.

Every status the API can answer with an error is decided here; handlers only raise.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import structlog
from jsonschema import Draft202012Validator
from litestar import Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotFoundException, TooManyRequestsException, ValidationException
from litestar.openapi import ResponseSpec
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException, ProblemDetailsPlugin
from pydantic import BaseModel, Field

from summarizer import errors

log = structlog.get_logger(__name__)

PROBLEM_BASE = "https://summarizer.dev/problems/"

# Each error of the package's tree: (status, problem type, title). Checked in order: subclasses first.
_STATUS: list[tuple[type[errors.SummarizerError], int, str, str]] = [
    (errors.InputError, 422, "bad-article", "The article cannot be summarized"),
    (errors.PromptError, 422, "unknown-prompt", "Unknown or invalid prompt version"),
    (errors.RateLimited, 503, "backend-rate-limited", "The LLM backend is rate limiting us"),
    (errors.BackendTimeout, 504, "backend-timeout", "The LLM backend timed out"),
    (errors.RecordingMissing, 503, "backend-unavailable", "No recorded response for this request"),
    (errors.BackendUnavailable, 503, "backend-unavailable", "The LLM backend is unavailable"),
    (errors.ModelFileError, 503, "backend-unavailable", "The embedded model is not installed correctly"),
    (errors.BackendResponseError, 502, "backend-error", "The LLM backend answered with an error"),
    (errors.BackendError, 502, "backend-error", "The LLM backend failed"),
    (errors.ExtractionError, 502, "invalid-model-output", "The model's output did not match the schema"),
    (errors.StorageError, 503, "storage-unavailable", "The server cannot read or write its stored results"),
    (errors.ConfigError, 500, "server-misconfigured", "The server is misconfigured"),
    (errors.SummarizerError, 500, "internal-error", "Internal error"),
]


class QueueFull(ProblemDetailsException):
    """Too many requests are already waiting for the model."""

    def __init__(self, retry_after_s: int, waiting: int):
        super().__init__(
            status_code=503,
            type_=PROBLEM_BASE + "queue-full",
            title="Too many summaries are queued",
            detail=f"{waiting} requests are waiting for the model; retry in about {retry_after_s} s",
            headers={"Retry-After": str(retry_after_s)},
        )


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status, type_=PROBLEM_BASE + slug, title=title, detail=detail, extra=extra or None
    )


# Errors whose messages are our own words, logged whole; the others' can quote the model's output (article
# text) or the backend's echo of the request, so only their type and counts are logged.
_OWN_WORDS = (
    errors.BackendUnavailable,
    errors.BackendTimeout,
    errors.RateLimited,
    errors.RecordingMissing,
    errors.ModelFileError,
    errors.ConfigError,
    errors.StorageError,
)


def from_summarizer_error(exc: errors.SummarizerError) -> ProblemDetailsException:
    for kind, status, slug, title in _STATUS:
        if isinstance(exc, kind):
            headers = None
            if isinstance(exc, errors.RateLimited):
                headers = {"Retry-After": str(max(1, round(exc.retry_after or 30)))}
            if status >= 500:
                log.warning("request failed", **_loggable(exc))
            # A storage failure's reason, not its message: the message names the server's files.
            detail = exc.reason if isinstance(exc, errors.StorageError) else str(exc)
            return ProblemDetailsException(
                status_code=status, type_=PROBLEM_BASE + slug, title=title, detail=detail, headers=headers
            )
    raise AssertionError("unreachable: SummarizerError is the last entry")  # pragma: no cover


def _loggable(exc: errors.SummarizerError) -> dict[str, Any]:
    fields: dict[str, Any] = {"error": type(exc).__name__}
    for name in ("attempts", "status_code"):
        if getattr(exc, name, None) is not None:
            fields[name] = getattr(exc, name)
    if isinstance(exc, _OWN_WORDS):
        fields["detail"] = str(exc)
    return fields


def _from_validation(exc: ValidationException) -> ProblemDetailsException:
    """Bad query or path parameters are 400; a well-formed JSON body of the wrong shape or types is 422."""
    sources = {str(item["source"]) for item in exc.extra or [] if isinstance(item, dict) and item.get("source")}
    in_body = sources <= {"body"}
    return ProblemDetailsException(
        status_code=422 if in_body else 400,
        type_=PROBLEM_BASE + ("invalid-body" if in_body else "invalid-parameter"),
        title="Invalid request body" if in_body else "Invalid parameter",
        detail=str(exc.detail),
        extra={"errors": exc.extra} if exc.extra else None,
    )


def _from_rate_limit(exc: TooManyRequestsException) -> ProblemDetailsException:
    headers = dict(exc.headers or {})
    headers["Retry-After"] = str(headers.get("RateLimit-Reset", "60"))
    return ProblemDetailsException(
        status_code=429,
        type_=PROBLEM_BASE + "rate-limited",
        title="Too many requests",
        detail=(
            "the rate limit of this API key or client is used up (requests with a missing or wrong key count "
            "per client); retry after the Retry-After seconds"
        ),
        headers=headers,
    )


def _from_not_found(exc: NotFoundException) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=404, type_=PROBLEM_BASE + "not-found", title="Not found", detail=str(exc.detail)
    )


_HTTP_SLUGS = {400: "malformed-body", 401: "unauthorized", 405: "method-not-allowed", 413: "body-too-large"}


def _from_http(exc: HTTPException) -> ProblemDetailsException:
    """Litestar's own client errors (malformed JSON, body too large, 401, 405...) as problem details."""
    slug = _HTTP_SLUGS.get(exc.status_code, "http-" + str(exc.status_code))
    return ProblemDetailsException(
        status_code=exc.status_code,
        type_=PROBLEM_BASE + slug,
        title=HTTPStatus(exc.status_code).phrase,
        detail=str(exc.detail),
        headers=exc.headers,
    )


def _from_unicode(exc: UnicodeDecodeError) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=400,
        type_=PROBLEM_BASE + "malformed-body",
        title="Bad Request",
        detail=f"the body is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
    )


class JsonRequest(Request[Any, Any, Any]):
    """Litestar's request, whose JSON decoder's depth limit is the client's error (400), not a crash."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise problem(
                400, "malformed-body", "Bad Request", "the JSON body nests arrays or objects too deeply"
            ) from None


def plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=False,  # HTTPException is mapped below, with a problem type
            exception_to_problem_detail_map={
                errors.SummarizerError: from_summarizer_error,
                ValidationException: _from_validation,
                TooManyRequestsException: _from_rate_limit,
                NotFoundException: _from_not_found,
                HTTPException: _from_http,
                UnicodeDecodeError: _from_unicode,
            },
        )
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Anything unexpected: logged with its traceback; the client gets none."""
    log.error("unexpected error", path=request.url.path, method=request.method, exc_info=exc)
    return ProblemDetailsException(
        status_code=500,
        type_=PROBLEM_BASE + "internal-error",
        title="Internal error",
        detail="an unexpected error occurred; it has been logged",
    ).to_response(request)


class ProblemDetails(BaseModel):
    """An error response (RFC 9457), as documented in the OpenAPI document."""

    type: str = Field(default="about:blank", description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = Field(default=None, description="Per-field validation errors")


_DESCRIPTIONS = {
    400: "Malformed body (not JSON, not UTF-8) or invalid query parameter",
    401: "Missing or invalid X-API-Key (when the server has keys)",
    404: "Not found",
    413: "Article text or body too large",
    409: "A request with the same Idempotency-Key is still being processed",
    415: "The body is not application/json",
    422: "Well-formed body with wrong fields or types; an empty article; an unknown prompt version; an "
    "Idempotency-Key used before with another body",
    429: "Rate limit used up; see Retry-After",
    502: "The LLM backend answered with an error, or its output stayed invalid",
    503: "The model queue is full, the backend is unavailable (see Retry-After when present), or the server "
    "cannot read or write its stored results",
    504: "The LLM backend timed out",
}


def documented(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses a route can answer with."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=_DESCRIPTIONS[status],
            media_type="application/problem+json",
            generate_examples=False,
        )
        for status in statuses
    }


def schema_checked(
    state: State, data: dict[str, Any], *, record: str, validator: Draft202012Validator | None = None
) -> dict[str, Any]:
    """``data`` if it validates against the committed schema (the summary's, unless ``validator``
    says another); never send a record that does not."""
    validator = validator or state.schema_validator
    error = next(iter(validator.iter_errors(data)), None)
    if error is not None:
        detail = f"{record} does not validate against the committed schema: {error.message}"
        raise problem(500, "stored-result-invalid", "Stored result does not match the schema", detail)
    return data


def require_media_type(headers: Mapping[str, str], allowed: set[str], *, send_as: str) -> None:
    """415 unless the request's Content-Type (parameters ignored) is one of ``allowed``."""
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in allowed:
        detail = f"send {send_as}, not {media_type or 'no content type'}"
        raise problem(415, "unsupported-media-type", "Unsupported media type", detail)
