"""What a strategy produces for one article, and what the cache keeps of it: typed, not a dict."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction import Extraction
from summarizer.schema import Usage


class TextAttribution(BaseModel):
    """Who the article's own words say spoke a passage (a quote, or a sentence of reported speech).

    Found by code in the text (``summarizer.analysis``), whatever strategy made the extraction;
    grounding compares each statement's speaker with it. Offsets are into the normalized text.
    """

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    speaker: str | None = Field(description="None when the text names nobody")
    aliases: list[str] = Field(default_factory=list, description="Other names the article uses for the speaker")


class ExtractionRun(BaseModel):
    """The extraction of one article, what the text itself says of who spoke, and what it cost."""

    model_config = ConfigDict(extra="forbid")

    extraction: Extraction
    attributions: list[TextAttribution]
    usage: Usage = Field(default_factory=Usage)
    attempts: int = Field(default=0, ge=0, description="LLM requests made, retries included")
    llm_latency_ms: float = Field(default=0.0, ge=0)


class CacheRecord(ExtractionRun):
    """An ``ExtractionRun`` with the time it was made: the value stored under a cache key."""

    created_at: datetime
