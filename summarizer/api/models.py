"""Request and response bodies of the REST API that are not the summary itself."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from summarizer.schema import ARTICLE_META_FIELDS, ArticleMeta, ArticleSummary

EXAMPLE_TEXT = (
    "The Pentagon reported Sunday that the United States carried out \u201cdefensive attacks\u201d in Iraq and "
    "Syria against Shiite militia Kata\u2019ib Hezbollah (KH), following the death Friday of a U.S. contractor "
    "from rockets fired at a military base in Kirkuk, Iraq."
)


# Article text as the API takes it: no binary control characters (tab, newlines, carriage return and form
# feed are text), and at least one character that is not white space. Stricter than the library, which
# tolerates a few stray control characters: a request either conforms or gets 422 before any work.
# White space is spelled out (what Python's str.isspace() calls space), not `\s`: regex engines disagree
# on `\s` (ASCII or Unicode; ECMA adds U+FEFF), and this pattern must mean one thing to every reader.
_CONTROL = r"\x00-\x08\x0b\x0e-\x1f"
_SPACE_OR_CONTROL = r"\x00-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
ARTICLE_TEXT = rf"^[^{_CONTROL}]*[^{_SPACE_OR_CONTROL}][^{_CONTROL}]*$"


class SummaryRequest(BaseModel):
    """One article to summarize. Only ``text`` is required."""

    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,  # a validation error never carries (or logs) the article's text
        json_schema_extra={"examples": [{"text": EXAMPLE_TEXT, "title": "US strikes Kata'ib Hezbollah"}]},
    )

    text: Annotated[str, StringConstraints(min_length=1, pattern=ARTICLE_TEXT)] = Field(
        examples=[EXAMPLE_TEXT],
        description="The article's text (UTF-8): some non-space text, no binary control characters; "
        "at most SUMMARIZER_API_MAX_TEXT_BYTES",
    )
    title: str | None = Field(default=None, max_length=1000, description="Headline, shown to the model")
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200, description="Publisher or outlet")
    published_at: str | None = Field(default=None, max_length=100, description="Publication time, as you have it")
    byline: str | None = Field(default=None, max_length=500, description="Who wrote it")
    prompt_version: str | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Prompt version to use (GET /v1/prompts); default: the server's",
    )

    def meta(self) -> ArticleMeta:
        return ArticleMeta(**{name: getattr(self, name) for name in ARTICLE_META_FIELDS})


class SummaryItem(BaseModel):
    """A stored summary in a listing: what it is about and where to get it."""

    id: str
    article: ArticleMeta
    summary: str
    prompt_version: str
    model: str
    backend: str
    served_at: datetime
    actors: int
    actions: int
    casualties: int
    statements: int
    href: str
    download: str

    @classmethod
    def of(cls, summary: ArticleSummary) -> SummaryItem:
        prov = summary.provenance
        return cls(
            id=summary.id,
            article=summary.article,
            summary=summary.summary,
            prompt_version=prov.prompt_version,
            model=prov.model,
            backend=prov.backend,
            served_at=prov.served_at,
            actors=len(summary.actors),
            actions=len(summary.actions),
            casualties=len(summary.casualties),
            statements=len(summary.statements),
            href=f"/v1/summaries/{summary.id}",
            download=f"/v1/summaries/{summary.id}/download",
        )


class SummaryPage(BaseModel):
    items: list[SummaryItem]
    total: int = Field(ge=0)
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
    next_offset: int | None = Field(default=None, description="Offset of the next page; null on the last page")


class SchemaInfo(BaseModel):
    name: str
    version: str
    media_type: str = "application/schema+json"
    sha256: str
    href: str


class PromptInfo(BaseModel):
    name: str
    version: str
    description: str
    default: bool
    sha256: str
    targets: str


class Health(BaseModel):
    status: str = Field(description="ok")


class GateStatus(BaseModel):
    """The generation gate now: what a caller can expect to wait."""

    slots: int = Field(description="Generations that may run at once")
    free: int = Field(description="Slots free now")
    running: dict[str, int] = Field(description="Generations running, by kind (interactive, batch)")
    waiting: dict[str, int] = Field(description="Requests waiting for a slot, by kind")
    median_s: float | None = Field(description="Median measured generation in seconds; null before the first")
    basis: str = Field(description="What the typical duration stands on now: median, calls, probe or prior")


class Readiness(BaseModel):
    ready: bool
    backend: str
    model: str
    storage: str = Field(description="ok, or unavailable (stored results or batch jobs cannot be read or written)")
    detail: str
    gate: GateStatus | None = Field(default=None, description="The generation gate now")
