"""The flow of one article, shared by the CLI, the REST API and the library.

text ─► check ─► normalize ─► cache key ─► cache lookup ─► strategy (LLM calls) ─► validate
     ─► ground + read counts ─► ArticleSummary with provenance

``Summarizer`` is a thin facade over those steps; each lives in its own module, and how the model
is used is the prompt version's strategy (``summarizer.strategies``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from summarizer._version import __version__
from summarizer.article import check_article
from summarizer.assemble import build_summary
from summarizer.cache import ResultCache, cache_key, content_hash
from summarizer.errors import InputError
from summarizer.extraction import EXTRACTION_VERSION, Extraction
from summarizer.grounding import Grounder
from summarizer.llm import LLMClient
from summarizer.normalize import NormalizedText, normalize
from summarizer.prompts import Prompt, PromptLibrary, bundled_prompts_dir
from summarizer.record import CacheRecord
from summarizer.schema import SCHEMA_VERSION, ArticleMeta, ArticleSummary, Provenance
from summarizer.settings import Settings, get_settings
from summarizer.strategies import ArticleJob, Strategy, check_prompt, strategy_for

log = logging.getLogger(__name__)

CACHE_KEY_FORMAT = 1


class Summarizer:
    """Summarize articles with one configuration; reuse one instance for many articles."""

    def __init__(self, settings: Settings | None = None, *, llm: LLMClient | None = None):
        self.settings = settings or get_settings()
        if llm is not None:
            self.llm = llm
        self.prompts = PromptLibrary(self.settings.prompts_dir or bundled_prompts_dir())
        self.prompt()  # fail fast on a bad default
        for prompt in self.prompts.prompts.values():
            check_prompt(prompt)
        self.cache = ResultCache(self.settings.resolved_cache_path())

    @cached_property
    def llm(self) -> LLMClient:
        return LLMClient(self.settings)

    @cached_property
    def _extraction_hash(self) -> str:
        return content_hash(Extraction.model_json_schema())

    def close(self) -> None:
        """Release the LLM client's connections (if it was ever built)."""
        llm = self.__dict__.get("llm")
        if llm is not None:
            llm.close()

    def prompt(self, version: str | None = None) -> Prompt:
        """The asked version, else the configured one, else the default for this backend."""
        chosen = version or self.settings.prompt_version
        return self.prompts.get(self.settings.prompt_name, chosen, backend=self.llm.key_backend)

    def strategy(self, prompt: Prompt) -> Strategy:
        return strategy_for(prompt, self.llm)

    def key_material(self, normalized_text: str, *, title: str | None, prompt: Prompt) -> dict[str, Any]:
        """Everything that changes the model's answer (see ``cache.py`` for the key contract)."""
        material: dict[str, Any] = {
            "key_format": CACHE_KEY_FORMAT,
            "backend": self.llm.key_backend,
            "model": self.llm.model,
            "instructor_mode": self.settings.instructor_mode,
            "prompt": {"name": prompt.name, "version": prompt.version, "sha256": prompt.sha256},
            "schema_version": SCHEMA_VERSION,
            "extraction": {"version": EXTRACTION_VERSION, "sha256": self._extraction_hash},
            "article_sha256": hashlib.sha256(normalized_text.encode("utf-8")).hexdigest(),
            "title": title,
            "params": prompt.meta.params.model_dump(mode="json"),
        }
        material["strategy"] = self.strategy(prompt).key_material()
        return material

    def summarize(
        self,
        text: str,
        *,
        title: str | None = None,
        article: ArticleMeta | None = None,
        prompt_version: str | None = None,
        use_cache: bool | None = None,
        refresh: bool = False,
        origin: str | None = None,
    ) -> ArticleSummary:
        """Summarize one article.

        ``title`` (or ``article.title``) is shown to the model; ``article`` is echoed in the result.
        ``origin`` names where the text came from (a file, ``file:line``) in error messages.
        ``refresh`` ignores a cached result and overwrites it.
        """
        started = time.perf_counter()
        job = self._prepare(text, title=title, article=article, prompt_version=prompt_version, origin=origin)
        caching = self.settings.cache_enabled if use_cache is None else use_cache
        record = self._cached_record(job.key) if caching and not refresh else None
        cache_hit = record is not None
        if record is None:
            record = self._generate(job)
            if caching:
                self.cache.put(job.key, record.model_dump(mode="json"), job.material)
        return self._finish(job, record, cache_hit=cache_hit, started=started)

    def cached(
        self,
        text: str,
        *,
        title: str | None = None,
        article: ArticleMeta | None = None,
        prompt_version: str | None = None,
        origin: str | None = None,
    ) -> ArticleSummary | None:
        """The summary if the cache has it, else None; never calls the model (input errors still raise)."""
        started = time.perf_counter()
        job = self._prepare(text, title=title, article=article, prompt_version=prompt_version, origin=origin)
        record = self._cached_record(job.key) if self.settings.cache_enabled else None
        return None if record is None else self._finish(job, record, cache_hit=True, started=started)

    def _prepare(
        self,
        text: str,
        *,
        title: str | None,
        article: ArticleMeta | None,
        prompt_version: str | None,
        origin: str | None,
    ) -> _Job:
        article = article or ArticleMeta()
        if title is not None and article.title is None:
            article = article.model_copy(update={"title": title})
        check_article(text, max_chars=self.settings.max_article_chars, origin=origin)
        normalized = normalize(text)
        if not normalized.text.strip():
            raise InputError("nothing is left of the article once web boilerplate is removed", origin=origin)
        prompt = self.prompt(prompt_version)
        material = self.key_material(normalized.text, title=article.title, prompt=prompt)
        return _Job(text, normalized, article, prompt, material, cache_key(material))

    def _cached_record(self, key: str) -> CacheRecord | None:
        raw = self.cache.get(key)
        if raw is None:
            return None
        try:
            return CacheRecord.model_validate(raw)
        except ValidationError as exc:
            log.warning("ignoring an unreadable cache entry: %s", exc.errors()[0]["msg"])
            return None

    def _generate(self, job: _Job) -> CacheRecord:
        """Run the prompt's strategy on the article; the record is what the cache keeps."""
        article = ArticleJob(text=job.normalized.text, title=job.article.title, prompt=job.prompt, cache_key=job.key)
        run = self.strategy(job.prompt).extract(article)
        return CacheRecord(**dict(run), created_at=datetime.now(UTC))

    def _finish(self, job: _Job, record: CacheRecord, *, cache_hit: bool, started: float) -> ArticleSummary:
        provenance = Provenance(
            schema_version=SCHEMA_VERSION,
            prompt_name=job.prompt.name,
            prompt_version=job.prompt.version,
            prompt_sha256=job.prompt.sha256,
            model=self.llm.model,
            backend=self.llm.backend,
            cache_key=job.key,
            cache_hit=cache_hit,
            attempts=record.attempts,
            usage=record.usage,
            llm_latency_ms=record.llm_latency_ms,
            latency_ms=0.0,
            created_at=record.created_at,
            served_at=datetime.now(UTC),
            summarizer_version=__version__,
            article_sha256=hashlib.sha256(job.text.encode("utf-8")).hexdigest(),
            article_chars=len(job.text),
            params=job.material["params"],
        )
        result_id = "sum_" + content_hash({"cache_key": job.key, "article": job.article.model_dump(mode="json")})[:24]
        grounder = Grounder(job.text, job.normalized)
        summary = build_summary(
            record.extraction,
            grounder,
            provenance,
            result_id=result_id,
            article=job.article,
            attributions=record.attributions,
        )
        summary.provenance.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return summary


@dataclass(frozen=True)
class _Job:
    """One article, checked and normalized, with its prompt and cache key."""

    text: str
    normalized: NormalizedText
    article: ArticleMeta
    prompt: Prompt
    material: dict[str, Any]
    key: str


def summarize(text: str, *, title: str | None = None, settings: Settings | None = None) -> ArticleSummary:
    """Summarize one article with default (or given) settings."""
    return Summarizer(settings).summarize(text, title=title)
