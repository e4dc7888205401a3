"""/v1/batches: upload JSONL, follow the job, download its results and failures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter, QueryParameter
from litestar.response import Stream

from summarizer.api.batches import BATCH_ID, BatchJobs, BatchState
from summarizer.api.event_tables import DESCRIPTION, EventFormat, table_response
from summarizer.api.idempotency import IdempotencyKeyHeader, fingerprint, idempotent
from summarizer.api.openapi import JSONL_MEDIA_TYPE, JsonlUpload
from summarizer.api.problems import documented, problem, require_media_type, schema_checked
from summarizer.api.uploads import receive_upload

# Any other id is no job (404), and is never looked up on disk.
BatchId = Annotated[
    str,
    PathParameter(schema_extra={"pattern": BATCH_ID.pattern}, description="The job id returned by POST /v1/batches"),
]
JSONL_TYPES = {JSONL_MEDIA_TYPE, "application/jsonl", "application/x-jsonlines", "application/json"}


def _manager(state: State) -> BatchJobs:
    manager: BatchJobs = state.batches
    return manager


def _not_found(batch_id: str) -> NotFoundException:
    return NotFoundException(detail=f"no batch job with id {batch_id!r}")


class BatchController(Controller):
    path = "/v1/batches"
    tags = ["batches"]

    @post(
        "/",
        status_code=202,
        summary="Start a batch job from a JSONL upload",
        description=(
            "The body is JSONL: one `{id?, text, title?, url?, source?, published_at?, byline?}` per line. Answers 202 "
            "with the job (poll its `href`). Jobs run in the order they came, survive restarts and resume (with "
            "PostgreSQL, on any instance); a bad line "
            "goes to the job's failures with its line number (`line 4`) and never stops the others."
        ),
        request_max_body_size=None,  # SUMMARIZER_API_MAX_BATCH_BYTES is enforced while the upload streams to disk
        operation_class=JsonlUpload,
        responses=documented(400, 401, 409, 413, 415, 422, 429, 503),
    )
    async def create(
        self,
        state: State,
        request: Request[Any, Any, Any],
        idempotency_key: IdempotencyKeyHeader,
        prompt_version: Annotated[
            str | None,
            QueryParameter(min_length=1, max_length=50, description="Prompt version for every article of the job"),
        ] = None,
    ) -> Response[Any]:
        require_media_type(request.headers, JSONL_TYPES, send_as="the articles as application/x-ndjson (JSONL)")
        manager = _manager(state)
        upload = await receive_upload(
            request.stream(), manager.root, limit=state.settings.api_max_batch_bytes, announced=request.content_length
        )

        async def start() -> Response[Any]:
            if not upload.lines:
                raise problem(422, "empty-batch", "Empty batch", "the upload has no lines")
            state.summarizer.prompt(prompt_version)  # an unknown version is a 422 now, not a failed job later
            job = await anyio.to_thread.run_sync(lambda: manager.create_from(upload, prompt_version=prompt_version))
            return Response(job, status_code=202, headers={"Location": f"/v1/batches/{job.id}"})

        try:  # a retry with the same Idempotency-Key and upload gets the first job, not a second one
            return await idempotent(state, request, fingerprint(f"{upload.sha256} {prompt_version}"), start)
        finally:
            upload.discard()  # moved into the job when it was created

    @get("/{batch_id:str}", summary="A batch job's status and counts", responses=documented(400, 401, 404, 429, 503))
    async def status(self, state: State, batch_id: BatchId) -> BatchState:
        job = await anyio.to_thread.run_sync(_manager(state).state, batch_id)
        if job is None:
            raise _not_found(batch_id)
        return job

    @get(
        "/{batch_id:str}/results",
        summary="Download a batch job's summaries (JSONL)",
        description="The summaries written so far, one per line, each validated against the schema before sending.",
        media_type=JSONL_MEDIA_TYPE,
        responses=documented(400, 401, 404, 429, 503),
    )
    async def results(self, state: State, batch_id: BatchId) -> Stream:
        found = await anyio.to_thread.run_sync(_manager(state).results, batch_id)
        if found is None:
            raise _not_found(batch_id)

        def lines() -> Iterator[bytes]:
            for article_id, summary in found:
                checked = schema_checked(state, summary, record=f"batch result {article_id}")
                yield json.dumps(checked, ensure_ascii=False).encode() + b"\n"

        return Stream(
            lines(),
            media_type=JSONL_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{batch_id}.results.jsonl"'},
        )

    @get(
        "/{batch_id:str}/events",
        summary="Download a batch job's event table (CSV, JSONL, GeoJSON or Parquet)",
        description=DESCRIPTION + ", from the summaries the job wrote so far.",
        media_type="text/csv",
        responses=documented(400, 401, 404, 422, 429, 503),
    )
    async def events(self, state: State, batch_id: BatchId, format: EventFormat = "csv") -> Response[bytes]:
        from summarizer.export.events import event_rows
        from summarizer.schema import ArticleSummary
        from summarizer.schema_upgrade import upgrade

        found = await anyio.to_thread.run_sync(_manager(state).results, batch_id)
        if found is None:
            raise _not_found(batch_id)
        summaries = (ArticleSummary.model_validate(upgrade(summary)) for _, summary in found)
        return await table_response(lambda: event_rows(summaries), format, batch_id)

    @get(
        "/{batch_id:str}/failures",
        summary="Download a batch job's failures (JSONL)",
        description=(
            "One `{id, origin, error_type, reason, attempts}` per article that could not be summarized; "
            "`origin` is the line of the upload (`line 4`)."
        ),
        media_type=JSONL_MEDIA_TYPE,
        responses=documented(400, 401, 404, 429, 503),
    )
    async def failures(self, state: State, batch_id: BatchId) -> Response[bytes]:
        body = await anyio.to_thread.run_sync(_manager(state).failures, batch_id)
        if body is None:
            raise _not_found(batch_id)
        return Response(
            body,
            media_type=JSONL_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{batch_id}.failures.jsonl"'},
        )
