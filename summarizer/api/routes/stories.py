"""/v1/stories: link stored or given summaries into stories; fetch and download story sets."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

import anyio.to_thread
from jsonschema import Draft202012Validator
from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import Body, PathParameter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from summarizer import schema_files
from summarizer.api.event_tables import DESCRIPTION, EventFormat, table_response
from summarizer.api.models import SummaryRequest
from summarizer.api.problems import documented, problem, schema_checked
from summarizer.api.routes.summaries import json_body_guard, summarize_article
from summarizer.api.store import SummaryStore
from summarizer.errors import InputError
from summarizer.schema import SCHEMA_VERSION, ArticleSummary
from summarizer.stories.build import link_stories
from summarizer.stories.inputs import ArticleInfo, not_a_summary

MAX_SUMMARIES = 2_000
MAX_ARTICLES = 20
# Summaries given inline are ~25 kB each (seed articles): room for the largest set, past the app's article limit.
MAX_BODY_BYTES = 64 * 1024 * 1024

StorySetId = Annotated[
    str, PathParameter(max_length=64, description="The story set's id, as POST /v1/stories returned it")
]


class ArticleFacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    published_at: date | None = Field(default=None, description="The day the article was published")
    outlet: str | None = Field(default=None, max_length=200)


class StoryRequest(BaseModel):
    """Summaries to link, each given by the id of a summary this server stored or as the summary itself."""

    model_config = ConfigDict(extra="forbid")

    summaries: list[str | ArticleSummary | SummaryRequest] = Field(
        min_length=1,
        max_length=MAX_SUMMARIES,
        description="Each item: the id of a stored summary (GET /v1/summaries), a summary itself (schema v2, "
        f"e.g. a line of a batch's output), or an article to summarize first, as POST /v1/summaries takes it "
        f"(at most {MAX_ARTICLES} per request: each may take the model a while)",
    )
    articles: dict[str, ArticleFacts] = Field(
        default_factory=dict,
        description="By article id (the summary's article.id, else its id): publication day and outlet, "
        "when the summaries lack them",
    )

    @model_validator(mode="before")
    @classmethod
    def _schema_versions(cls, data: Any) -> Any:
        """A summary of another schema version, or a story set, is named in the error."""
        if isinstance(data, dict) and isinstance(data.get("summaries"), list):
            for index, item in enumerate(data["summaries"]):
                if not isinstance(item, dict) or ("text" in item and "provenance" not in item):
                    continue  # an id, or an article to summarize (SummaryRequest checks it)
                # schema_version may be left out: the schema's default is the current version
                reason = not_a_summary({"schema_version": SCHEMA_VERSION, **item}, readable=(SCHEMA_VERSION,))
                if reason is not None:
                    hint = f"GET /v1/schemas/article-summary/{SCHEMA_VERSION}"
                    raise ValueError(f"summaries[{index}] {reason} ({hint})")
                # The committed schema, exactly: no lax coercion ("false" is not a count).
                error = next(iter(_summary_validator().iter_errors(item)), None)
                if error is not None:
                    where = ".".join(str(part) for part in error.absolute_path) or "the summary"
                    raise ValueError(f"summaries[{index}].{where}: {error.message}")
        return data


@lru_cache(maxsize=1)
def _summary_validator() -> Draft202012Validator:
    return Draft202012Validator(schema_files.load(schema_files.bundled_schemas_dir()))


def _checked(state: State, body: str, story_set_id: str) -> dict[str, Any]:
    """The stored story set, never sent unless it validates against the current story schema."""
    return schema_checked(state, json.loads(body), record=f"story set {story_set_id}", validator=state.story_validator)


def _not_found(story_set_id: str) -> NotFoundException:
    return NotFoundException(detail=f"no story set with id {story_set_id!r}")


class StoryController(Controller):
    path = "/v1/stories"
    tags = ["stories"]

    @post(
        "/",
        status_code=201,
        guards=[json_body_guard],
        request_max_body_size=MAX_BODY_BYTES,
        summary="Link summaries into stories",
        description=(
            "Links the events of the given summaries across articles: each story carries its reports, the "
            "reasons of every link and a casualty ledger (every article's figure side by side, reconciled). "
            "Articles given as text are summarized first, as POST /v1/summaries does (cache, queue, store). "
            "The story set is stored: GET /v1/stories/{id}. 404 names a summary id this server does not "
            "hold; 422 an empty list, or a summary of another schema version."
        ),
        responses=documented(400, 401, 404, 413, 415, 422, 429, 502, 503, 504),
    )
    async def create(
        self, state: State, data: Annotated[StoryRequest, Body(title="Summaries to link")]
    ) -> Response[dict[str, Any]]:
        store: SummaryStore = state.store
        articles = sum(isinstance(item, SummaryRequest) for item in data.summaries)
        if articles > MAX_ARTICLES:
            detail = f"{articles} articles to summarize; at most {MAX_ARTICLES} per request (POST /v1/batches for more)"
            raise problem(413, "too-many-articles", "Too many articles", detail)
        summaries: list[ArticleSummary] = []
        for item in data.summaries:
            if isinstance(item, ArticleSummary):
                summaries.append(item)
                continue
            if isinstance(item, SummaryRequest):
                summaries.append(ArticleSummary.model_validate(await summarize_article(state, item)))
                continue
            summary = await anyio.to_thread.run_sync(store.get, item)
            if summary is None:
                raise NotFoundException(detail=f"no stored summary with id {item!r}")
            summaries.append(summary)
        try:
            info = {k: ArticleInfo(published_at=v.published_at, outlet=v.outlet) for k, v in data.articles.items()}
            story_set = await anyio.to_thread.run_sync(lambda: link_stories(summaries, info=info))
        except InputError as exc:
            raise problem(422, "bad-summaries", "The summaries cannot be linked", str(exc)) from None
        body = story_set.model_dump_json()
        await anyio.to_thread.run_sync(store.put_story_set, story_set.id, body)
        return Response(
            _checked(state, body, story_set.id), status_code=201, headers={"Location": f"/v1/stories/{story_set.id}"}
        )

    @get("/{story_set_id:str}", summary="A stored story set", responses=documented(400, 401, 404, 429, 503))
    async def get_story_set(self, state: State, story_set_id: StorySetId) -> dict[str, Any]:
        store: SummaryStore = state.store
        body = await anyio.to_thread.run_sync(store.story_set, story_set_id)
        if body is None:
            raise _not_found(story_set_id)
        return _checked(state, body, story_set_id)

    @get(
        "/{story_set_id:str}/download",
        summary="Download a story set as a JSON file",
        description="Validated against schemas/story.v2.json (GET /v1/schemas/story/2) before it is sent.",
        responses=documented(400, 401, 404, 429, 503),
    )
    async def download(self, state: State, story_set_id: StorySetId) -> Response[dict[str, Any]]:
        data = await self.get_story_set.fn(self, state, story_set_id)
        return Response(data, headers={"Content-Disposition": f'attachment; filename="stories-{story_set_id}.json"'})

    @get(
        "/{story_set_id:str}/events",
        summary="Download a story set's event table (CSV, JSONL, GeoJSON or Parquet)",
        description=DESCRIPTION + ": a row per story, with its ledger's figures, and a row per action of the "
        "stored summaries it links, marked with its story.",
        media_type="text/csv",
        responses=documented(400, 401, 404, 422, 429, 503),
    )
    async def events(self, state: State, story_set_id: StorySetId, format: EventFormat = "csv") -> Response[bytes]:
        from summarizer.export.events import event_rows
        from summarizer.stories.model import StorySet

        store: SummaryStore = state.store
        body = await anyio.to_thread.run_sync(store.story_set, story_set_id)
        if body is None:
            raise _not_found(story_set_id)
        story_set = StorySet.model_validate_json(body)
        ids = dict.fromkeys(report.summary_id for story in story_set.stories for report in story.reports)
        summaries = [s for s in [await anyio.to_thread.run_sync(store.get, i) for i in ids] if s is not None]
        return await table_response(lambda: event_rows(summaries, story_set), format, f"stories-{story_set_id}")
