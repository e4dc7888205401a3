"""Prometheus metrics of the summarizer itself (HTTP requests and latency come from Litestar's plugin)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from summarizer.schema import ArticleSummary

SUMMARIES = Counter("summarizer_summaries_total", "Summaries served, by cache result", ["cache"])
LLM_CALLS = Counter("summarizer_llm_calls_total", "LLM requests sent, including retries", ["backend", "model"])
TOKENS = Counter("summarizer_llm_tokens_total", "LLM tokens, by kind", ["backend", "model", "kind"])
FAILURES = Counter("summarizer_failures_total", "Summaries that failed, by error type", ["error"])
GENERATION_SECONDS = Histogram(
    "summarizer_generation_seconds",
    "Time spent in the LLM for one summary (cache misses only)",
    buckets=(1, 2.5, 5, 10, 20, 40, 60, 90, 120, 180, 300, 600),
)


def observe_hit() -> None:
    """A finished summary served from the cache."""
    SUMMARIES.labels(cache="hit").inc()


def observe(summary: ArticleSummary) -> None:
    prov = summary.provenance
    if prov.cache_hit:
        observe_hit()
        return
    SUMMARIES.labels(cache="miss").inc()
    LLM_CALLS.labels(prov.backend, prov.model).inc(prov.attempts)
    TOKENS.labels(prov.backend, prov.model, "prompt").inc(prov.usage.prompt_tokens)
    TOKENS.labels(prov.backend, prov.model, "completion").inc(prov.usage.completion_tokens)
    GENERATION_SECONDS.observe(prov.llm_latency_ms / 1000)
