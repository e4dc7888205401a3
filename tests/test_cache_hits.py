"""A cache hit is a lookup: the stored, already-grounded summary, by a key computed once, never re-run.

The time a hit takes is measured by ``benchmarks/api_cache_hits.py``; these tests pin what a hit does
not do (normalize, ground, assemble, store again) and what makes a stored summary miss.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import summarizer.pipeline as pipeline
import summarizer.summary_cache as summary_cache
from summarizer.api.storage import open_result_store
from summarizer.cache import ResultCache
from summarizer.pipeline import Summarizer
from summarizer.schema import ArticleMeta, ArticleSummary
from summarizer.settings import Settings
from tests.api_support import build_app, client_for

SERVED = {"cache_hit", "served_at", "latency_ms"}  # what differs between a summary's servings


def without_serving(summary: ArticleSummary | dict[str, Any]) -> dict[str, Any]:
    data = summary.model_dump(mode="json") if isinstance(summary, ArticleSummary) else json.loads(json.dumps(summary))
    data["provenance"] = {k: v for k, v in data["provenance"].items() if k not in SERVED}
    return data


def test_a_hit_is_the_stored_summary_without_rework(
    settings: Settings, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarizer = Summarizer(settings)
    first = summarizer.summarize(seed_text)
    assert not first.provenance.cache_hit
    for name in ("normalize", "Grounder", "build_summary"):
        monkeypatch.setattr(pipeline, name, lambda *a, **k: pytest.fail("re-ran a pipeline step on a hit"))
    again = summarizer.summarize(seed_text)
    assert again.provenance.cache_hit
    assert again.provenance.served_at >= first.provenance.served_at
    assert without_serving(again) == without_serving(first)
    # From the cache file, in another instance (another process): the same, with nothing re-run either.
    other = Summarizer(settings).summarize(seed_text)
    assert other.provenance.cache_hit and without_serving(other) == without_serving(first)


def test_a_hit_is_served_with_its_own_timing(settings: Settings, seed_text: str) -> None:
    summarizer = Summarizer(settings)
    summarizer.summarize(seed_text)
    request = summarizer.request(seed_text)
    hit = summarizer.hit(request, memory_only=True)
    assert hit is not None and hit["provenance"]["cache_hit"] is True
    stored = summarizer.summaries.get(request.key)
    assert stored is not None and stored["provenance"]["cache_hit"] is False  # the stored copy is untouched
    ArticleSummary.model_validate(hit)


def test_a_hit_from_the_cache_file_keeps_the_schema_field_order(settings: Settings, seed_text: str) -> None:
    made = Summarizer(settings).summarize(seed_text).model_dump(mode="json")
    fresh = Summarizer(settings)  # nothing in memory: read from the file, stored with sorted keys
    hit = fresh.hit(fresh.request(seed_text))
    assert hit is not None
    assert list(hit) == list(made) and list(hit["provenance"]) == list(made["provenance"])


def test_the_key_is_computed_once_from_the_text_as_it_came(settings: Settings, seed_text: str) -> None:
    summarizer = Summarizer(settings)
    request = summarizer.request(seed_text, article=ArticleMeta(url="https://example.org/a"))
    summary = summarizer.run(request)
    assert summarizer.hit(request) is not None
    assert summary.provenance.cache_key != request.key  # the model answers' key is another (normalized text)
    assert summarizer.request(seed_text, article=ArticleMeta(url="https://example.org/a")).key == request.key


@pytest.mark.parametrize(
    "change",
    ["url", "title", "prompt_version", "model", "schema_version", "finders_version", "code"],
)
def test_whatever_changes_a_summary_changes_its_key(
    settings: Settings, seed_text: str, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    base = Summarizer(settings).request(seed_text, article=ArticleMeta(url="https://example.org/a"))
    article = ArticleMeta(url="https://example.org/a")
    kwargs: dict[str, Any] = {}
    if change == "url":
        article = ArticleMeta(url="https://example.org/b")
    elif change == "title":
        article = ArticleMeta(url="https://example.org/a", title="Another headline")
    elif change == "prompt_version":
        kwargs["prompt_version"] = "v3"
    elif change == "model":
        settings = settings.model_copy(update={"model": "another-model"})
    elif change == "schema_version":
        monkeypatch.setattr(pipeline, "SCHEMA_VERSION", "999")
    elif change == "finders_version":
        import summarizer.analysis.finders as finders

        monkeypatch.setattr(finders, "finders_version", lambda: "999")
    elif change == "code":
        monkeypatch.setattr(summary_cache, "code_fingerprint", lambda: "0" * 64)
    changed = Summarizer(settings).request(seed_text, article=article, **kwargs)
    assert changed.key != base.key


def test_new_code_reassembles_from_the_stored_answers_without_the_model(
    settings: Settings, seed_text: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    Summarizer(settings).summarize(seed_text)
    monkeypatch.setattr(summary_cache, "code_fingerprint", lambda: "0" * 64)  # as after an upgrade
    offline = Summarizer(settings.model_copy(update={"replay_dir": tmp_path / "no-recordings"}))
    again = offline.summarize(seed_text)  # a RecordingMissing here would mean the model was asked
    assert again.provenance.cache_hit
    assert offline.hit(offline.request(seed_text)) is not None  # and it is stored under the new key


@pytest.mark.sqlite_only
def test_an_unreadable_stored_summary_is_a_miss(settings: Settings, seed_text: str) -> None:
    first = Summarizer(settings).summarize(seed_text)
    fresh = Summarizer(settings)
    request = fresh.request(seed_text)
    ResultCache(settings.resolved_cache_path(), table="summaries").put(request.key, {"id": "not a summary"}, {})
    assert fresh.hit(request) is None
    again = fresh.summarize(seed_text)  # made again from the stored answers
    assert again.provenance.cache_hit and without_serving(again) == without_serving(first)


def test_refresh_and_no_cache(settings: Settings, seed_text: str) -> None:
    summarizer = Summarizer(settings)
    summarizer.summarize(seed_text)
    assert not summarizer.summarize(seed_text, refresh=True).provenance.cache_hit
    assert not summarizer.summarize(seed_text, use_cache=False).provenance.cache_hit
    uncached = Summarizer(settings.model_copy(update={"cache_enabled": False}))
    assert uncached.hit(uncached.request(seed_text)) is None


def test_memory_keeps_a_bounded_number_of_summaries(tmp_path: Path) -> None:
    cache = summary_cache.SummaryCache(
        ResultCache(tmp_path / "cache.sqlite3", table="summaries"), read=lambda data: data, memory_entries=2
    )
    for key in "abc":
        cache.put(key, {"key": key}, {})
    assert cache.get("a", memory_only=True) is None  # evicted from memory...
    assert cache.get("a") == {"key": "a"}  # ...still on disk
    assert cache.get("c", memory_only=True) == {"key": "c"}


@pytest.mark.anyio
async def test_the_api_stores_a_summary_once_and_a_hit_again_never(
    settings: Settings, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    puts: list[str] = []
    store_class = type(open_result_store(settings))  # SQLite's, or PostgreSQL's under --database postgres
    original = store_class.put

    def counting_put(self: Any, summary: ArticleSummary, **kwargs: Any) -> None:
        puts.append(summary.id)
        original(self, summary, **kwargs)

    monkeypatch.setattr(store_class, "put", counting_put)
    body = {"text": seed_text, "url": "https://example.org/a"}
    async with client_for(build_app(settings)) as client:
        first = await client.post("/v1/summaries", json=body)
        assert first.status_code == 200 and not first.json()["provenance"]["cache_hit"]
        for _ in range(3):
            hit = await client.post("/v1/summaries", json=body)
            assert hit.status_code == 200 and hit.json()["provenance"]["cache_hit"]
            assert without_serving(hit.json()) == without_serving(first.json())
    assert puts == [first.json()["id"]]
    # A summary the cache has but this server never stored (the CLI made it): stored on its first hit only.
    other = Summarizer(settings).summarize(seed_text, article=ArticleMeta(url="https://example.org/b"))
    async with client_for(build_app(settings)) as client:
        for _ in range(2):
            hit = await client.post("/v1/summaries", json={"text": seed_text, "url": "https://example.org/b"})
            assert hit.json()["provenance"]["cache_hit"]
        fetched = await client.get(f"/v1/summaries/{other.id}")
    assert fetched.status_code == 200
    assert puts == [first.json()["id"], other.id]
