"""Prometheus metrics of the summarizer itself (HTTP requests and latency come from Litestar's plugin)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from prometheus_client import Counter, Gauge, Histogram

from summarizer.api.gate import KINDS
from summarizer.schema import ArticleSummary

if TYPE_CHECKING:
    from summarizer.api.gate import GenerationGate

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


GATE_FREE = Gauge("summarizer_gate_free_slots", "Generation slots free now")
GATE_RUNNING = Gauge("summarizer_gate_running", "Generations running now, by kind", ["kind"])
GATE_WAITING = Gauge("summarizer_gate_waiting", "Requests waiting for a generation slot, by kind", ["kind"])
GATE_MEDIAN = Gauge("summarizer_gate_median_seconds", "Median measured generation (NaN before the first)")


def watch_gate(gate: GenerationGate) -> None:
    """Read the gate at each scrape (one server process serves one app, so one gate)."""
    GATE_FREE.set_function(lambda: gate.state().free)
    GATE_MEDIAN.set_function(lambda: gate.state().median_s or float("nan"))
    for kind in KINDS.values():
        GATE_RUNNING.labels(kind).set_function(partial(_count, gate, "running", kind))
        GATE_WAITING.labels(kind).set_function(partial(_count, gate, "waiting", kind))


def _count(gate: GenerationGate, what: str, kind: str) -> float:
    state = gate.state()
    return (state.running if what == "running" else state.waiting).get(kind, 0)
