"""What a strategy produces for one article, and what the cache keeps of it: typed, not a dict."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction import Extraction
from summarizer.schema import Usage


class ExtractionRun(BaseModel):
    """The extraction of one article and what it cost."""

    model_config = ConfigDict(extra="forbid")

    extraction: Extraction
    usage: Usage = Field(default_factory=Usage)
    attempts: int = Field(default=0, ge=0, description="LLM requests made, retries included")
    llm_latency_ms: float = Field(default=0.0, ge=0)


class CacheRecord(ExtractionRun):
    """An ``ExtractionRun`` with the time it was made: the value stored under a cache key."""

    created_at: datetime
