"""The flow of one article, shared by the CLI, the REST API and the library.

text ─► check ─► normalize ─► prompt ─► cache lookup ─► LLM call (instructor) ─► validate
     ─► ground + read counts ─► ArticleSummary with provenance
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property
from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer import __version__
from summarizer.article import check_article
from summarizer.assemble import build_summary
from summarizer.cache import ResultCache, cache_key, content_hash
from summarizer.errors import InputError, PromptError
from summarizer.extraction import EXTRACTION_VERSION, Extraction, partial_model
from summarizer.grounding import Grounder
from summarizer.llm import LLMClient
from summarizer.normalize import NormalizedText, normalize
from summarizer.prompts import Prompt, PromptLibrary, PromptStep, bundled_prompts_dir
from summarizer.schema import SCHEMA_VERSION, ArticleMeta, ArticleSummary, Provenance, Usage
from summarizer.schema_sketch import sketch
from summarizer.settings import Settings, get_settings

log = logging.getLogger(__name__)

CACHE_KEY_FORMAT = 1


class Summarizer:
    """Summarize articles with one configuration; reuse one instance for many articles."""

    def __init__(self, settings: Settings | None = None, *, llm: LLMClient | None = None):
        self.settings = settings or get_settings()
        if llm is not None:
            self.llm = llm
        self.prompts = PromptLibrary(self.settings.prompts_dir or bundled_prompts_dir())
        self.prompts.get(self.settings.prompt_name, self.settings.prompt_version)  # fail fast on a bad default
        for prompt in self.prompts.prompts.values():
            check_steps(prompt)
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
            "extraction": {"version": EXTRACTION_VERSION, "sha256": self._extraction_hash},
            "article_sha256": hashlib.sha256(normalized_text.encode("utf-8")).hexdigest(),
            "title": title,
            "params": prompt.meta.params.model_dump(mode="json"),
        }

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
                self.cache.put(job.key, record, job.material)
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

    def _cached_record(self, key: str) -> dict[str, Any] | None:
        record = self.cache.get(key)
        return record if _cached_extraction(record) is not None else None

    def _generate(self, job: _Job) -> dict[str, Any]:
        """Call the model once per prompt step and merge the fields; the record is what the cache keeps."""
        merged: dict[str, Any] = {}
        usage, attempts, latency_ms = Usage(), 0, 0.0
        for step in steps_of(job.prompt):
            model = partial_model(tuple(step.fields))
            variables = {"article": job.normalized.text, "title": job.article.title, "schema": _sketch(model)}
            if "task" in job.prompt.meta.variables:
                variables["task"] = step.task
            params = job.prompt.meta.params
            if step.max_tokens is not None:
                params = params.model_copy(update={"max_tokens": step.max_tokens})
            result = self.llm.call(model, job.prompt.render(**variables), params, cache_key=job.key)
            merged.update(result.value.model_dump(mode="json"))
            usage, attempts, latency_ms = (
                usage + result.usage,
                attempts + result.attempts,
                latency_ms + result.latency_ms,
            )
        return {
            "extraction": Extraction.model_validate(merged).model_dump(mode="json"),
            "usage": usage.model_dump(),
            "attempts": attempts,
            "llm_latency_ms": round(latency_ms, 1),
            "created_at": datetime.now(UTC).isoformat(),
        }

    def _finish(self, job: _Job, record: dict[str, Any], *, cache_hit: bool, started: float) -> ArticleSummary:
        extraction = Extraction.model_validate(record["extraction"])
        provenance = Provenance(
            schema_version=SCHEMA_VERSION,
            prompt_name=job.prompt.name,
            prompt_version=job.prompt.version,
            prompt_sha256=job.prompt.sha256,
            model=self.llm.model,
            backend=self.llm.backend,
            cache_key=job.key,
            cache_hit=cache_hit,
            attempts=record["attempts"],
            usage=Usage.model_validate(record["usage"]),
            llm_latency_ms=record["llm_latency_ms"],
            latency_ms=0.0,
            created_at=datetime.fromisoformat(record["created_at"]),
            served_at=datetime.now(UTC),
            summarizer_version=__version__,
            article_sha256=hashlib.sha256(job.text.encode("utf-8")).hexdigest(),
            article_chars=len(job.text),
            params=job.material["params"],
        )
        result_id = "sum_" + content_hash({"cache_key": job.key, "article": job.article.model_dump(mode="json")})[:24]
        grounder = Grounder(job.text, job.normalized)
        summary = build_summary(extraction, grounder, provenance, result_id=result_id, article=job.article)
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


def steps_of(prompt: Prompt) -> list[PromptStep]:
    """The prompt's calls; a prompt without steps is one call that fills every field."""
    return prompt.meta.steps or [PromptStep(name="all", fields=list(Extraction.model_fields), task="")]


def check_steps(prompt: Prompt) -> None:
    """Every step names real fields, and together the steps fill the whole extraction."""
    covered: set[str] = set()
    for step in steps_of(prompt):
        try:
            partial_model(tuple(step.fields))
        except ValueError as exc:
            raise PromptError(f"prompt {prompt.name}/{prompt.version}, step {step.name}: {exc}") from None
        covered.update(step.fields)
    missing = sorted(set(Extraction.model_fields) - covered)
    if missing:
        raise PromptError(f"prompt {prompt.name}/{prompt.version}: no step fills {', '.join(missing)}")
    if len(steps_of(prompt)) > 1 and "task" not in prompt.meta.variables:
        raise PromptError(f"prompt {prompt.name}/{prompt.version} has several steps but no 'task' variable")


@cache
def _sketch(model: type[BaseModel]) -> str:
    return sketch(model)


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
