"""The flow of one article, shared by the CLI, the REST API and the library.

text ─► check ─► summary key ─► finished summary stored? ─► yes: served as a hit (nothing re-run)
     ─► no: normalize ─► answer key ─► model answers cached? else strategy (LLM calls) ─► validate
     ─► ground + read counts ─► ArticleSummary with provenance ─► stored under the summary key

``Summarizer`` is a thin facade over those steps; each lives in its own module, and how the model
is used is the prompt version's strategy (``summarizer.strategies``). The two keys and what they name
are described in ``cache.py`` (model answers) and ``summary_cache.py`` (finished summaries).
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Literal

from pydantic import ValidationError

from summarizer._version import __version__
from summarizer.article import check_article, text_sha256
from summarizer.assemble import build_summary
from summarizer.cache import CacheTable, ResultCache, cache_key, content_hash
from summarizer.errors import InputError
from summarizer.extraction import EXTRACTION_VERSION, Extraction
from summarizer.grounding import Grounder
from summarizer.llm import LLMClient
from summarizer.normalize import NormalizedText, normalize
from summarizer.prompts import Prompt, PromptLibrary, bundled_prompts_dir
from summarizer.record import CacheRecord
from summarizer.rules.loader import rules_sha256
from summarizer.schema import SCHEMA_VERSION, ArticleMeta, ArticleSummary, Provenance
from summarizer.settings import Settings, get_settings
from summarizer.single_flight import SingleFlight
from summarizer.strategies import ArticleJob, Strategy, check_prompt, strategy_for
from summarizer.summary_cache import SummaryCache, as_hit, summary_material

log = logging.getLogger(__name__)

CACHE_KEY_FORMAT = 1


class Summarizer:
    """Summarize articles with one configuration; reuse one instance for many articles."""

    request_mode: Literal["live", "batch-api"] = "live"  # how the model is asked (``Provenance.request_mode``)

    def __init__(self, settings: Settings | None = None, *, llm: LLMClient | None = None):
        self.settings = settings or get_settings()
        self.admission: Callable[[], AbstractContextManager[object]] = nullcontext
        if llm is not None:
            self.llm = llm
        self.prompts = PromptLibrary(self.settings.prompts_dir or bundled_prompts_dir())
        self.prompt()  # fail fast on a bad default
        for prompt in self.prompts.prompts.values():
            check_prompt(prompt)
        url = self.settings.resolved_database_url()
        self.cache, summary_table = _cache_tables(self.settings, url)
        self.summaries = SummaryCache(summary_table, read=_read_summary)
        # concurrent requests for one article wait for the generation in flight (also across instances)
        self.single_flight = SingleFlight(
            lock_dir=self.settings.data_dir / "locks", database_url=url, wait_s=self.settings.single_flight_wait_s
        )
        self._answer_materials: dict[tuple[str, str, str], dict[str, Any]] = {}

    @cached_property
    def llm(self) -> LLMClient:
        return LLMClient(self.settings)

    @cached_property
    def _extraction_hash(self) -> str:
        return content_hash(Extraction.model_json_schema())

    def admitted_by(self, admission: Callable[[], AbstractContextManager[object]]) -> Summarizer:
        """This summarizer (the same model client, prompts and caches) with every model run inside
        ``admission()``: the REST API's gate, so batch jobs take their turn with interactive requests."""
        _ = self.llm  # built once, shared by both
        twin = copy.copy(self)
        twin.admission = admission
        return twin

    def warm_up(self, *, probe: bool = True) -> None:
        """Load now what the first article would otherwise pay for: the backend (``LLMClient.warm_up``),
        and spaCy's pipeline when the default prompt's strategy parses articles (about a second), and the
        language identifier when articles are checked (half a second)."""
        self.llm.warm_up(probe=probe)
        if self.prompt().meta.strategy == "candidates":
            from summarizer.analysis.nlp import load_pipeline

            load_pipeline()
        if self.settings.language_check:
            from summarizer.language import load_identifier

            load_identifier()

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
        return {
            **self._answer_material(prompt),
            "article_sha256": text_sha256(normalized_text),
            "title": title,
        }

    def _answer_material(self, prompt: Prompt) -> dict[str, Any]:
        """The answer key's material that is the same for every article of ``prompt`` (computed once)."""
        memo = (prompt.name, prompt.version, prompt.sha256)
        material = self._answer_materials.get(memo)
        if material is None:
            material = {
                "key_format": CACHE_KEY_FORMAT,
                "backend": self.llm.key_backend,
                "model": self.llm.model,
                "instructor_mode": self.settings.instructor_mode,
                "prompt": {"name": prompt.name, "version": prompt.version, "sha256": prompt.sha256},
                "schema_version": SCHEMA_VERSION,
                "extraction": {"version": EXTRACTION_VERSION, "sha256": self._extraction_hash},
                "params": prompt.meta.params.model_dump(mode="json"),
                "strategy": self.strategy(prompt).key_material(),
            }
            self._answer_materials[memo] = material
        return material

    def request(
        self,
        text: str,
        *,
        title: str | None = None,
        article: ArticleMeta | None = None,
        prompt_version: str | None = None,
        origin: str | None = None,
    ) -> ArticleRequest:
        """Check one article and compute the key of its finished summary, once; nothing is normalized yet.

        ``title`` (or ``article.title``) is shown to the model; ``article`` is echoed in the result.
        ``origin`` names where the text came from (a file, ``file:line``) in error messages.
        """
        article = article or ArticleMeta()
        if title is not None and article.title is None:
            article = article.model_copy(update={"title": title})
        check_article(
            text, max_chars=self.settings.max_article_chars, origin=origin, language_check=self.settings.language_check
        )
        prompt = self.prompt(prompt_version)
        text_hash = text_sha256(text)
        served_by = {"backend": self.llm.backend, "model": self.llm.model, "summarizer_version": __version__}
        material = summary_material(
            self._answer_material(prompt),
            text_sha256=text_hash,
            article=article.key_data(),
            served_by=served_by,
        )
        return ArticleRequest(text, article, prompt, origin, text_hash, material, cache_key(material))

    def hit(
        self, request: ArticleRequest, *, started: float | None = None, memory_only: bool = False
    ) -> dict[str, Any] | None:
        """The finished summary of ``request`` as JSON data, served as a cache hit; None if it is not stored.

        Nothing is normalized, grounded or stored again. ``memory_only`` looks in memory only (never
        blocks on the disk: callable from an event loop). ``started`` (``time.perf_counter()``) is when the
        request arrived, for ``latency_ms``.
        """
        if not self.settings.cache_enabled:
            return None
        return self._hit(request, started=started, memory_only=memory_only)

    def _hit(
        self, request: ArticleRequest, *, started: float | None, memory_only: bool = False
    ) -> dict[str, Any] | None:
        data = self.summaries.get(request.key, memory_only=memory_only)
        if data is None:
            return None
        started = time.perf_counter() if started is None else started
        return as_hit(data, latency_ms=round((time.perf_counter() - started) * 1000, 2))

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
        request = self.request(text, title=title, article=article, prompt_version=prompt_version, origin=origin)
        return self.run(request, use_cache=use_cache, refresh=refresh, started=started)

    def run(
        self,
        request: ArticleRequest,
        *,
        use_cache: bool | None = None,
        refresh: bool = False,
        started: float | None = None,
    ) -> ArticleSummary:
        """Summarize a checked article (``request()``): its finished summary if stored, else from the model's
        answers, cached or asked now."""
        started = time.perf_counter() if started is None else started
        caching = self.settings.cache_enabled if use_cache is None else use_cache
        if not caching or refresh:
            return self._make(request, caching=caching, refresh=refresh, started=started)
        hit = self._hit(request, started=started)
        if hit is not None:
            return ArticleSummary.model_validate(hit)
        with self.single_flight.hold(request.key):
            hit = self._hit(request, started=started)  # made by the request this one waited for
            if hit is not None:
                return ArticleSummary.model_validate(hit)
            return self._make(request, caching=caching, refresh=refresh, started=started)

    def _make(self, request: ArticleRequest, *, caching: bool, refresh: bool, started: float) -> ArticleSummary:
        """The summary from the model's answers: stored ones when caching, else asked now."""
        job = self._prepare(request)
        record = self._cached_record(job.key) if caching and not refresh else None
        cache_hit = record is not None
        if record is None:
            record = self._generate(job)
            if caching:
                self.cache.put(job.key, record.model_dump(mode="json"), job.material)
        return self._finish(job, record, cache_hit=cache_hit, started=started, store=caching)

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
        request = self.request(text, title=title, article=article, prompt_version=prompt_version, origin=origin)
        if not self.settings.cache_enabled:
            return None
        hit = self.hit(request, started=started)
        if hit is not None:
            return ArticleSummary.model_validate(hit)
        job = self._prepare(request)
        record = self._cached_record(job.key)
        return None if record is None else self._finish(job, record, cache_hit=True, started=started, store=True)

    def _prepare(self, request: ArticleRequest) -> _Job:
        """Normalize the article and compute the key of the model's answers (on a miss only)."""
        normalized = normalize(request.text)
        if not normalized.text.strip():
            raise InputError("nothing is left of the article once web boilerplate is removed", origin=request.origin)
        material = self.key_material(normalized.text, title=request.article.title, prompt=request.prompt)
        return _Job(request, normalized, material, cache_key(material))

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
        request = job.request
        article = ArticleJob(
            text=job.normalized.text, title=request.article.title, prompt=request.prompt, cache_key=job.key
        )
        with self.admission():
            run = self.strategy(request.prompt).extract(article)
        return CacheRecord(**dict(run), created_at=datetime.now(UTC))

    def _finish(
        self, job: _Job, record: CacheRecord, *, cache_hit: bool, started: float, store: bool
    ) -> ArticleSummary:
        """Ground and assemble the summary; with ``store``, keep it under the request's summary key."""
        request = job.request
        provenance = Provenance(
            schema_version=SCHEMA_VERSION,
            prompt_name=request.prompt.name,
            prompt_version=request.prompt.version,
            prompt_sha256=request.prompt.sha256,
            model=self.llm.model,
            backend=self.llm.backend,
            endpoint=self.llm.endpoint,
            request_mode=self.request_mode,
            cache_key=job.key,
            cache_hit=cache_hit,
            attempts=record.attempts,
            usage=record.usage,
            llm_latency_ms=record.llm_latency_ms,
            latency_ms=0.0,
            created_at=record.created_at,
            served_at=datetime.now(UTC),
            summarizer_version=__version__,
            rules_sha256=rules_sha256(),
            article_sha256=request.text_sha256,
            article_chars=len(request.text),
            params=job.material["params"],
        )
        article = request.article.key_data()
        result_id = "sum_" + content_hash({"cache_key": job.key, "article": article})[:24]
        grounder = Grounder(request.text, job.normalized)
        summary = build_summary(
            record.extraction,
            grounder,
            provenance,
            result_id=result_id,
            article=request.article,
            attributions=record.attributions,
        )
        if store:
            self.summaries.put(request.key, summary.model_dump(mode="json"), request.material)
        summary.provenance.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return summary


def _read_summary(data: dict[str, Any]) -> dict[str, Any]:
    """A finished summary as the cache file gives it back, validated and in the schema's field order."""
    return ArticleSummary.model_validate(data).model_dump(mode="json")


@dataclass(frozen=True)
class ArticleRequest:
    """One article as asked: checked, with its prompt and the key of its finished summary (``summary_cache.py``)."""

    text: str
    article: ArticleMeta
    prompt: Prompt
    origin: str | None
    text_sha256: str
    material: dict[str, Any]
    key: str


@dataclass(frozen=True)
class _Job:
    """A request on a miss: the article normalized, with the key of the model's answers."""

    request: ArticleRequest
    normalized: NormalizedText
    material: dict[str, Any]
    key: str


def summarize(text: str, *, title: str | None = None, settings: Settings | None = None) -> ArticleSummary:
    """Summarize one article with default (or given) settings."""
    return Summarizer(settings).summarize(text, title=title)


def _cache_tables(settings: Settings, url: str | None) -> tuple[CacheTable, CacheTable]:
    """The cache of model answers and of finished summaries: PostgreSQL's tables at ``url``, else the
    cache file's."""
    if url is not None:
        from summarizer.db.cache_postgres import PostgresResultCache

        return PostgresResultCache(url, table="results"), PostgresResultCache(url, table="summaries")
    path = settings.resolved_cache_path()
    return ResultCache(path), ResultCache(path, table="summaries")
