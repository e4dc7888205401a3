"""/v1/summaries: summarize, fetch, list and download results. A thin face over the pipeline."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
import structlog
from litestar import Controller, HttpMethod, Request, Response, get, post, route
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Example, OpenAPIFormat
from litestar.params import Body, Parameter, PathParameter, QueryParameter
from pydantic import ValidationError

from summarizer.api import metrics
from summarizer.api.gate import GenerationGate
from summarizer.api.idempotency import IdempotencyKeyHeader, fingerprint, idempotent
from summarizer.api.models import EXAMPLE_TEXT, SummaryItem, SummaryPage, SummaryRequest
from summarizer.api.openapi import HtmlPage
from summarizer.api.problems import documented, problem, require_media_type, schema_checked
from summarizer.api.store import SummaryFilter, SummaryStore
from summarizer.cache import canonical_json
from summarizer.errors import InputError, StorageError, SummarizerError
from summarizer.pipeline import ArticleRequest, Summarizer
from summarizer.schema import ArticleSummary

log = structlog.get_logger(__name__)

MAX_EXPORT = 10_000
MAX_OFFSET = 1_000_000_000  # far past any store; keeps LIMIT/OFFSET inside SQLite's 64-bit integers


async def json_body_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """415 unless the body is declared JSON (checked before the body is read; async: no worker thread)."""
    require_media_type(connection.headers, {"application/json"}, send_as="the article as application/json")


async def _summarize_once(state: State, request: Request[Any, Any, Any], data: SummaryRequest) -> Response[Any]:
    """The summary of ``data``; a retry with the same Idempotency-Key and article gets the first response."""

    async def run() -> Response[Any]:
        return Response(await summarize_article(state, data), status_code=200)

    return await idempotent(state, request, fingerprint(canonical_json(data.model_dump(mode="json"))), run)


def _validated(state: State, summary: ArticleSummary) -> dict[str, Any]:
    return schema_checked(state, json.loads(summary.model_dump_json()), record=summary.id)


SummaryId = Annotated[str, PathParameter(description="The summary's id, as returned by POST /v1/summaries")]
FilterPromptVersion = Annotated[str | None, Parameter(max_length=50, description="Only this prompt version")]
FilterModel = Annotated[str | None, Parameter(max_length=200, description="Only results of this model")]
FilterSource = Annotated[str | None, Parameter(max_length=200, description="Only articles of this publisher")]
FilterQuery = Annotated[str | None, Parameter(max_length=200, description="Case-insensitive text in the title or URL")]
# RFC 3339 date-times only (what `format: date-time` promises): no bare dates, no Unix timestamps.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_EXAMPLE_TIME = "2026-01-31T00:00:00Z"


def _date_time_parameter(bound: str) -> Any:
    """A date-time query parameter, documented as OpenAPI's date-time with an example."""
    return Parameter(
        schema_extra={"format": OpenAPIFormat.DATE_TIME},
        examples=[Example(value=_EXAMPLE_TIME)],
        description=f"Stored {bound} this RFC 3339 date-time, e.g. {_EXAMPLE_TIME}",
    )


FilterAfter = Annotated[str | None, _date_time_parameter("at or after")]
FilterBefore = Annotated[str | None, _date_time_parameter("before")]


def _date_time(name: str, value: str | None) -> datetime | None:
    """An RFC 3339 date-time with its offset, or 400 (Litestar's own parsing would take "0.5" as a timestamp)."""
    if value is None:
        return None
    try:
        if _DATE_TIME.match(value):
            return datetime.fromisoformat(value.upper())
    except ValueError:  # the right shape, not a real moment (February 30th, second 60)
        pass
    message = f"expected an RFC 3339 date-time with an offset, e.g. {_EXAMPLE_TIME}"
    raise ValidationException(
        detail=f"Validation failed: {name}", extra=[{"key": name, "message": message, "source": "query"}]
    )


async def summary_filter(
    prompt_version: FilterPromptVersion = None,
    model: FilterModel = None,
    source: FilterSource = None,
    q: FilterQuery = None,
    stored_after: FilterAfter = None,
    stored_before: FilterBefore = None,
) -> SummaryFilter:
    """The list and export routes' shared query filters."""
    after, before = _date_time("stored_after", stored_after), _date_time("stored_before", stored_before)
    return SummaryFilter(prompt_version, model, source, q, after, before)


class SummaryController(Controller):
    path = "/v1/summaries"
    tags = ["summaries"]
    dependencies = {"where": Provide(summary_filter)}

    @post(
        "/",
        status_code=200,
        guards=[json_body_guard],
        media_type="application/json",
        responses={
            200: ResponseSpec(
                data_container=ArticleSummary,
                description="Request fulfilled, document follows",
                generate_examples=False,
            ),
            **documented(400, 401, 409, 413, 415, 422, 429, 502, 503, 504),
        },
        summary="Summarize an article",
        description=(
            "Returns the structured, grounded summary (the same JSON as the CLI). A cached article returns at "
            "once; otherwise the request waits for the model in a fair, bounded queue (503 + Retry-After when "
            "the queue is full). The result is stored (GET /v1/summaries/{id}); when the server's storage "
            "cannot be written, a new summary is refused with 503 before the model is asked."
        ),
    )
    async def create(
        self,
        state: State,
        request: Request[Any, Any, Any],
        idempotency_key: IdempotencyKeyHeader,
        data: Annotated[
            SummaryRequest,
            Body(
                title="Article",
                examples=[
                    Example(
                        summary="A short article",
                        value={"text": EXAMPLE_TEXT, "title": "US strikes Kata'ib Hezbollah", "source": "Example News"},
                    )
                ],
            ),
        ],
    ) -> Response[Any]:
        return await _summarize_once(state, request, data)

    @post(
        "/page",
        status_code=200,
        media_type="application/json",
        operation_class=HtmlPage,
        responses={
            200: ResponseSpec(
                data_container=ArticleSummary,
                description="Request fulfilled, document follows",
                generate_examples=False,
            ),
            **documented(400, 401, 409, 413, 415, 422, 429, 502, 503, 504),
        },
        summary="Summarize a web page's article",
        description=(
            "The body is a news page (text/html). Its article's text, title, date and site name are taken out "
            "with trafilatura and summarized as POST /v1/summaries would: the summary's offsets refer to the "
            "extracted text, and the page's title, date and site fill the article's metadata where the query "
            "gives none. A page with no article body is a 422 problem."
        ),
    )
    async def create_from_page(
        self,
        state: State,
        request: Request[Any, Any, Any],
        idempotency_key: IdempotencyKeyHeader,
        url: Annotated[str | None, QueryParameter(max_length=2000, description="The page's URL")] = None,
        source: Annotated[str | None, QueryParameter(max_length=200, description="Publisher or outlet")] = None,
        prompt_version: Annotated[
            str | None, QueryParameter(min_length=1, max_length=50, description="Prompt version (GET /v1/prompts)")
        ] = None,
    ) -> Response[Any]:
        from summarizer.webpage import HTML_MEDIA_TYPES, read_page

        require_media_type(request.headers, set(HTML_MEDIA_TYPES), send_as="the page as text/html")
        body = await request.body()
        if len(body) > state.settings.api_max_text_bytes * 10:  # pages carry markup around the article's text
            raise problem(413, "page-too-large", "Page too large", "the page is larger than this server reads")
        try:
            page = await anyio.to_thread.run_sync(lambda: read_page(body, url=url))
        except InputError as exc:
            raise problem(422, "no-article-body", "No article in the page", exc.reason) from None
        try:
            data = SummaryRequest(
                text=page.text, prompt_version=prompt_version, **page.metadata({"url": url, "source": source})
            )
        except ValidationError as exc:
            raise problem(
                422, "bad-page", "The page's article cannot be summarized", str(exc.errors()[0]["msg"])
            ) from None
        return await _summarize_once(state, request, data)

    @get(
        "/",
        summary="List stored summaries",
        description="Newest first, paginated with limit/offset.",
        responses=documented(400, 401, 429, 503),
    )
    async def list_summaries(
        self,
        state: State,
        where: NamedDependency[SummaryFilter],
        limit: Annotated[int, Parameter(ge=1, le=100, description="Page size")] = 20,
        offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
    ) -> SummaryPage:
        store: SummaryStore = state.store
        total = await anyio.to_thread.run_sync(store.count, where)
        items = await anyio.to_thread.run_sync(partial(store.list, where, limit=limit, offset=offset))
        next_offset = offset + limit if offset + limit < total else None
        return SummaryPage(
            items=[SummaryItem.of(s) for s in items], total=total, limit=limit, offset=offset, next_offset=next_offset
        )

    @get(
        "/export",
        summary="Download stored summaries as JSONL",
        description="One summary per line, newest first; every line is validated against the schema before sending.",
        media_type="application/x-ndjson",
        responses=documented(400, 401, 429, 503),
    )
    async def export(
        self,
        state: State,
        where: NamedDependency[SummaryFilter],
        limit: Annotated[int, Parameter(ge=1, le=MAX_EXPORT, description="Most records to export")] = 1000,
    ) -> Response[bytes]:
        store: SummaryStore = state.store
        summaries = await anyio.to_thread.run_sync(partial(store.list, where, limit=limit, offset=0))
        lines = [json.dumps(_validated(state, s), ensure_ascii=False) + "\n" for s in summaries]
        return Response(
            "".join(lines).encode("utf-8"),
            media_type="application/x-ndjson",
            headers={
                "Content-Disposition": 'attachment; filename="summaries.jsonl"',
                "X-Record-Count": str(len(lines)),
            },
        )

    @get("/{summary_id:str}", summary="A stored summary", responses=documented(400, 401, 404, 429, 503))
    async def get_summary(self, state: State, summary_id: SummaryId) -> ArticleSummary:
        return await _stored(state, summary_id)

    @get(
        "/{summary_id:str}/download",
        summary="Download a stored summary as a JSON file",
        description="Validated against the committed schema before sending.",
        media_type="application/json",
        responses={
            200: ResponseSpec(
                data_container=ArticleSummary,
                description="The summary, as a JSON file (Content-Disposition: attachment)",
                generate_examples=False,
            ),
            **documented(400, 401, 404, 429, 503),
        },
    )
    async def download(self, state: State, summary_id: SummaryId) -> Response[bytes]:
        summary = await _stored(state, summary_id)
        body = json.dumps(_validated(state, summary), ensure_ascii=False, indent=2).encode("utf-8")
        return Response(
            body,
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{summary.id}.json"'},
        )

    @route("/", http_method=HttpMethod.OPTIONS, include_in_schema=False, status_code=204)
    async def allow(self) -> Response[None]:
        """OPTIONS /v1/summaries. Litestar 2's own handler lists only the method registered first at a path
        (litestar#4169, fixed in v3); this one replaces it because it is registered first (by name: "allow")."""
        return Response(None, status_code=204, headers={"Allow": "GET, OPTIONS, POST"})


async def summarize_article(state: State, data: SummaryRequest) -> dict[str, Any]:
    """The summary of one posted article, as JSON: a cache hit as stored, else made behind the gate and
    stored. POST /v1/summaries and POST /v1/stories (articles given as text) both come here."""
    started = time.perf_counter()
    size = len(data.text.encode("utf-8"))
    limit = state.settings.api_max_text_bytes
    if size > limit:
        raise problem(413, "article-too-large", "Article too large", f"the text is {size} bytes; the limit is {limit}")
    summarizer: Summarizer = state.summarizer
    try:
        request = summarizer.request(data.text, article=data.meta(), prompt_version=data.prompt_version)
        # A hit is a lookup (memory, else the cache file): the stored summary, nothing re-run or re-stored.
        hit = summarizer.hit(request, started=started, memory_only=True) or await anyio.to_thread.run_sync(
            partial(summarizer.hit, request, started=started)
        )
        if hit is not None:
            await _stored_once(state, hit, data.text)
            metrics.observe_hit()
            return hit
        summary = await _generate(state, request, started)
    except SummarizerError as exc:
        metrics.FAILURES.labels(error=type(exc).__name__).inc()
        raise
    store: SummaryStore = state.store
    try:
        await anyio.to_thread.run_sync(partial(store.put, summary, text=data.text))
    except StorageError as exc:  # made (and paid for) already: the caller gets it, unstored
        metrics.FAILURES.labels(error=type(exc).__name__).inc()
        log.warning("summary not stored", summary=summary.id, detail=str(exc))
    metrics.observe(summary)
    return summary.model_dump(mode="json")


async def _generate(state: State, request: ArticleRequest, started: float) -> ArticleSummary:
    """A summary the cache did not have: made in turn behind the gate, once the storage can keep it."""
    store: SummaryStore = state.store
    gate: GenerationGate = state.gate
    summarizer: Summarizer = state.summarizer
    await anyio.to_thread.run_sync(store.check)  # never pay for a generation that cannot be kept
    async with gate.slot():
        return await anyio.to_thread.run_sync(partial(summarizer.run, request, started=started))


async def _stored_once(state: State, hit: dict[str, Any], text: str) -> None:
    """Store a cache hit unless this process stored it already (the cache may have been filled elsewhere)."""
    store: SummaryStore = state.store
    if store.stored_here(hit["id"]):
        return
    summary = ArticleSummary.model_validate(hit)
    try:
        await anyio.to_thread.run_sync(partial(store.put, summary, text=text))
    except StorageError as exc:  # the caller still gets the summary
        metrics.FAILURES.labels(error=type(exc).__name__).inc()
        log.warning("summary not stored", summary=summary.id, detail=str(exc))


async def _stored(state: State, summary_id: str) -> ArticleSummary:
    store: SummaryStore = state.store
    summary = await anyio.to_thread.run_sync(store.get, summary_id)
    if summary is None:
        raise NotFoundException(detail=f"no stored summary with id {summary_id!r}")
    return summary
