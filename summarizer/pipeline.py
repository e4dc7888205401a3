"""The flow of one article, shared by the CLI, the REST API and the library.

text ─► check ─► normalize ─► prompt ─► cache lookup ─► LLM call (instructor) ─► validate
     ─► ground + read counts ─► ArticleSummary with provenance
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from summarizer import __version__
from summarizer.article import check_article
from summarizer.assemble import build_summary
from summarizer.cache import ResultCache, cache_key, content_hash
from summarizer.errors import InputError
from summarizer.extraction import EXTRACTION_VERSION, Extraction
from summarizer.grounding import Grounder
from summarizer.llm import LLMClient
from summarizer.normalize import normalize
from summarizer.prompts import Prompt, PromptLibrary, bundled_prompts_dir
from summarizer.schema import SCHEMA_VERSION, ArticleSummary, Provenance, Usage
from summarizer.schema_sketch import sketch
from summarizer.settings import Settings, get_settings

log = logging.getLogger(__name__)

CACHE_KEY_FORMAT = 1


class Summarizer:
    """Summarize articles with one configuration; reuse one instance for many articles."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.prompts = PromptLibrary(self.settings.prompts_dir or bundled_prompts_dir())
        self.prompts.get(self.settings.prompt_name, self.settings.prompt_version)  # fail fast on a bad default
        self.cache = ResultCache(self.settings.resolved_cache_path())

    @cached_property
    def llm(self) -> LLMClient:
        return LLMClient(self.settings)

    @cached_property
    def _extraction_schema(self) -> tuple[str, str]:
        return sketch(Extraction), content_hash(Extraction.model_json_schema())

    def prompt(self, version: str | None = None) -> Prompt:
        return self.prompts.get(self.settings.prompt_name, version or self.settings.prompt_version)

    def key_material(self, normalized_text: str, *, title: str | None, prompt: Prompt) -> dict[str, Any]:
        """Everything that changes the model's answer (see ``cache.py`` for the key contract)."""
        return {
            "key_format": CACHE_KEY_FORMAT,
            "backend": self.llm.key_backend,
            "model": self.llm.model,
            "instructor_mode": self.settings.instructor_mode,
            "prompt": {"name": prompt.name, "version": prompt.version, "sha256": prompt.sha256},
            "schema_version": SCHEMA_VERSION,
            "extraction": {"version": EXTRACTION_VERSION, "sha256": self._extraction_schema[1]},
            "article_sha256": hashlib.sha256(normalized_text.encode("utf-8")).hexdigest(),
            "title": title,
            "params": prompt.meta.params.model_dump(mode="json"),
        }

    def summarize(
        self,
        text: str,
        *,
        title: str | None = None,
        prompt_version: str | None = None,
        use_cache: bool | None = None,
        refresh: bool = False,
        source: str | None = None,
    ) -> ArticleSummary:
        """Summarize one article. ``refresh`` ignores a cached result and overwrites it."""
        started = time.perf_counter()
        check_article(text, max_chars=self.settings.max_article_chars, source=source)
        normalized = normalize(text)
        if not normalized.text.strip():
            raise InputError("nothing is left of the article once web boilerplate is removed", source=source)
        prompt = self.prompt(prompt_version)
        material = self.key_material(normalized.text, title=title, prompt=prompt)
        key = cache_key(material)
        caching = self.settings.cache_enabled if use_cache is None else use_cache

        record = self.cache.get(key) if caching and not refresh else None
        extraction = _cached_extraction(record)
        cache_hit = extraction is not None
        if extraction is None or record is None:
            messages = prompt.render(article=normalized.text, title=title, schema=self._extraction_schema[0])
            result = self.llm.call(Extraction, messages, prompt.meta.params, cache_key=key)
            assert isinstance(result.value, Extraction)
            extraction = result.value
            record = {
                "extraction": extraction.model_dump(mode="json"),
                "usage": result.usage.model_dump(),
                "attempts": result.attempts,
                "llm_latency_ms": round(result.latency_ms, 1),
                "created_at": datetime.now(UTC).isoformat(),
            }
            if caching:
                self.cache.put(key, record, material)

        provenance = Provenance(
            schema_version=SCHEMA_VERSION,
            prompt_name=prompt.name,
            prompt_version=prompt.version,
            prompt_sha256=prompt.sha256,
            model=self.llm.model,
            backend=self.llm.backend,
            cache_key=key,
            cache_hit=cache_hit,
            attempts=record["attempts"],
            usage=Usage.model_validate(record["usage"]),
            llm_latency_ms=record["llm_latency_ms"],
            latency_ms=0.0,
            created_at=datetime.fromisoformat(record["created_at"]),
            served_at=datetime.now(UTC),
            summarizer_version=__version__,
            article_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            article_chars=len(text),
            params=material["params"],
        )
        summary = build_summary(extraction, Grounder(text, normalized), provenance)
        summary.provenance.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return summary


def _cached_extraction(record: dict[str, Any] | None) -> Extraction | None:
    if record is None:
        return None
    try:
        return Extraction.model_validate(record["extraction"])
    except (KeyError, TypeError, ValidationError) as exc:
        log.warning("ignoring an unreadable cache entry: %s", exc)
        return None


def summarize(text: str, *, title: str | None = None, settings: Settings | None = None) -> ArticleSummary:
    """Summarize one article with default (or given) settings."""
    return Summarizer(settings).summarize(text, title=title)
