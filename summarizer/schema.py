"""Schema v1 of the public output: ``ArticleSummary``.

These models are the single source of truth for ``schemas/article-summary.v1.json`` (regenerate
with ``summarizer schemas export``; a test fails when the committed file drifts). The facts mirror
``extraction.py`` (what the model fills) and add what code computes: character offsets and a
grounding status on every piece of evidence, integer bounds for every casualty figure, a check of
every quote claimed verbatim, and the provenance of the result.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction import ActionType, ActorKind, Modality, Outcome

SCHEMA_NAME = "article-summary"
SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GroundingStatus(StrEnum):
    """How an evidence snippet was found in the article."""

    grounded = "grounded"  # found exactly, or exactly up to whitespace, quote style and case
    fuzzy = "fuzzy"  # a close but not identical passage was found (score says how close)
    ungrounded = "ungrounded"  # not found: do not trust this fact without reading the article


class Evidence(_Model):
    """A snippet the model copied, and where (if anywhere) it stands in the original article."""

    text: str = Field(description="The snippet as the model copied it")
    status: GroundingStatus
    start: int | None = Field(default=None, ge=0, description="Start offset in the original article text")
    end: int | None = Field(default=None, ge=0, description="End offset (exclusive) in the original article text")
    score: float = Field(ge=0, le=1, description="Similarity of the snippet to the passage found (1 = exact)")
    quote: str | None = Field(
        default=None, description="The article's own text at [start, end), when it differs from the snippet"
    )


class Actor(_Model):
    name: str
    kind: ActorKind
    title: str | None = None
    affiliation: str | None = None
    aliases: list[str] = Field(default_factory=list)
    evidence: Evidence


class Action(_Model):
    actors: list[str]
    type: ActionType
    targets: list[str] = Field(default_factory=list)
    location: str | None = None
    time: str | None = None
    modality: Modality
    evidence: Evidence


class Count(_Model):
    """A reported figure: the phrase as written and its integer bounds.

    Exact figures have ``low == high``; "more than 50" is low 51 with no high; "dozens" keeps the
    phrase with no numbers. ``evidence`` locates the phrase itself in the article.
    """

    text: str
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    evidence: Evidence


class Casualty(_Model):
    """One record per reported figure; conflicting reports stay side by side."""

    victims: str
    outcome: Outcome
    count: Count
    event: str | None = None
    reported_by: str | None = None
    evidence: Evidence


class QuoteCheck(StrEnum):
    verbatim_found = "verbatim_found"  # claimed verbatim, and the words stand in the article inside quotation marks
    verbatim_not_found = "verbatim_not_found"  # claimed verbatim, but not found inside quotation marks
    paraphrase = "paraphrase"  # not claimed verbatim


class Statement(_Model):
    speaker: str
    speaker_title: str | None = None
    text: str
    verbatim: bool = Field(description="The model's claim that the text is a direct quote")
    quote_check: QuoteCheck
    about: str | None = None
    evidence: Evidence


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class GroundingReport(_Model):
    """Counts of evidence snippets by grounding status, over every fact of the summary."""

    facts: int
    grounded: int
    fuzzy: int
    ungrounded: int


class Provenance(_Model):
    schema_version: str
    prompt_name: str
    prompt_version: str
    prompt_sha256: str
    model: str
    backend: str
    cache_key: str
    cache_hit: bool
    attempts: int = Field(description="LLM requests made, including retries (of the call that produced the result)")
    usage: Usage = Field(description="Tokens summed over every attempt")
    llm_latency_ms: float = Field(description="Time spent in the LLM call that produced the result")
    latency_ms: float = Field(description="Time this request took end to end (a cache hit is fast)")
    created_at: datetime = Field(description="When the LLM produced the result")
    served_at: datetime
    summarizer_version: str
    article_sha256: str
    article_chars: int
    params: dict[str, Any] = Field(default_factory=dict, description="Sampling parameters sent to the model")


class ArticleMeta(_Model):
    """What the caller told us about the article (all optional); echoed in the result."""

    id: str | None = Field(default=None, max_length=200, description="The caller's own id for the article")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200, description="Publisher or outlet")
    published_at: str | None = Field(default=None, max_length=100, description="Publication time, as given")


class ArticleSummary(_Model):
    """A structured, grounded summary of one news article."""

    schema_version: Literal["1"] = "1"
    id: str = Field(description="Stable id of this result: the same article and configuration give the same id")
    article: ArticleMeta
    summary: str
    actors: list[Actor]
    actions: list[Action]
    casualties: list[Casualty]
    statements: list[Statement]
    grounding: GroundingReport
    provenance: Provenance


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``ArticleSummary``, as committed under ``schemas/``."""
    schema = ArticleSummary.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://summarizer.local/schemas/{SCHEMA_NAME}.v{SCHEMA_VERSION}.json",
        **schema,
    }
