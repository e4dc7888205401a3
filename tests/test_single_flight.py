"""One generation per key: the same article asked for at once, by threads of one process, by two pipelines
sharing a data directory (the lock files), or by two instances sharing PostgreSQL, is generated once and
every caller gets the same summary."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx2
import pytest
from pydantic import SecretStr

from summarizer import Summarizer
from summarizer.llm import LLMClient
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings
from summarizer.single_flight import SingleFlight
from tests.db_support import fresh_database


class Counting(httpx2.BaseTransport):
    """Counts the model calls through it and makes each slow, so that callers overlap."""

    def __init__(self, inner: httpx2.BaseTransport, calls: list[int], delay_s: float = 0.2):
        self.inner, self.calls, self.delay_s = inner, calls, delay_s

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.calls.append(1)
        time.sleep(self.delay_s)
        return self.inner.handle_request(request)


def pipeline(settings: Settings, calls: list[int]) -> Summarizer:
    return Summarizer(settings, llm=LLMClient(settings, wrap_transport=lambda inner: Counting(inner, calls)))


def at_once(makers: list[Summarizer], text: str) -> list[ArticleSummary]:
    with ThreadPoolExecutor(len(makers)) as pool:
        return list(pool.map(lambda s: s.summarize(text), makers))


def calls_for_one(settings: Settings, text: str, tmp_path: Path) -> int:
    alone = settings.model_copy(update={"data_dir": tmp_path / "alone"})
    calls: list[int] = []
    pipeline(alone, calls).summarize(text)
    return len(calls)


@pytest.mark.sqlite_only
def test_threads_of_one_process_generate_once(settings: Settings, seed_text: str, tmp_path: Path) -> None:
    once = calls_for_one(settings, seed_text, tmp_path)
    calls: list[int] = []
    summarizer = pipeline(settings, calls)
    results = at_once([summarizer] * 4, seed_text)
    assert len(calls) == once > 0
    assert len({r.id for r in results}) == 1 and sum(r.provenance.cache_hit for r in results) == 3


@pytest.mark.sqlite_only
def test_two_pipelines_sharing_a_data_directory_generate_once(
    settings: Settings, seed_text: str, tmp_path: Path
) -> None:
    """Two pipelines (as two worker processes would be) hold different key locks: the lock files decide."""
    once = calls_for_one(settings, seed_text, tmp_path)
    calls: list[int] = []
    results = at_once([pipeline(settings, calls), pipeline(settings, calls)], seed_text)
    assert len(calls) == once
    assert results[0].id == results[1].id and results[0].actions == results[1].actions


def test_two_instances_sharing_postgres_generate_once_and_serve_the_same_summary(
    settings: Settings, seed_text: str, tmp_path: Path
) -> None:
    once = calls_for_one(settings, seed_text, tmp_path)
    with fresh_database() as url:
        calls: list[int] = []
        hosts = [
            settings.model_copy(update={"database_url": SecretStr(url), "data_dir": tmp_path / f"host{n}"})
            for n in range(2)
        ]  # no shared directory: only the database is shared
        first, second = at_once([pipeline(hosts[0], calls), pipeline(hosts[1], calls)], seed_text)
    assert len(calls) == once
    assert first.id == second.id and first.actions == second.actions and first.casualties == second.casualties
    assert not (tmp_path / "host0" / "cache.sqlite3").exists()  # the cache is the database's


def test_the_same_article_posted_to_two_api_instances_at_once_is_one_generation_and_one_row(
    settings: Settings, seed_text: str, tmp_path: Path
) -> None:
    from summarizer.api import create_app
    from summarizer.db import postgres
    from tests.api_support import live_server

    once = calls_for_one(settings, seed_text, tmp_path)
    with fresh_database() as url, ExitStack() as stack:
        calls: list[int] = []
        bases = []
        for n in range(2):  # two servers, each with its own pipeline, sharing only the database
            host = settings.model_copy(
                update={"database_url": SecretStr(url), "data_dir": tmp_path / f"api{n}", "api_probe": False}
            )
            bases.append(stack.enter_context(live_server(create_app(host, summarizer=pipeline(host, calls)))))

        def post(base: str) -> dict[str, object]:
            response = httpx2.post(base + "/v1/summaries", json={"text": seed_text}, timeout=60)
            assert response.status_code == 200, response.text
            body: dict[str, object] = response.json()
            return body

        with ThreadPoolExecutor(2) as threads:
            first, second = threads.map(post, bases)
        with postgres.connection(url) as conn:
            rows = conn.execute("SELECT id FROM summaries").fetchall()
    assert len(calls) == once
    assert first["id"] == second["id"] and rows == [(first["id"],)]
    for fact in ("actors", "actions", "casualties", "statements"):
        assert first[fact] == second[fact]


def test_different_keys_do_not_wait_for_each_other(tmp_path: Path) -> None:
    flight = SingleFlight(lock_dir=tmp_path / "locks")
    inside = threading.Event()
    release = threading.Event()

    def hold_a() -> None:
        with flight.hold("a1" + "0" * 62):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold_a)
    holder.start()
    inside.wait(5)
    started = time.monotonic()
    with flight.hold("b2" + "0" * 62):  # another key, another lock file
        waited = time.monotonic() - started
    release.set()
    holder.join(5)
    assert waited < 0.5


def test_a_lock_held_by_a_frozen_instance_is_waited_for_only_so_long(tmp_path: Path) -> None:
    import psycopg

    key = "c3" + "0" * 62
    with fresh_database() as url, psycopg.connect(url, autocommit=True) as frozen:
        frozen.execute("SELECT pg_advisory_lock(%s)", (int(key[:15], 16),))  # held, never released
        flight = SingleFlight(lock_dir=tmp_path / "locks", database_url=url, wait_s=0.5)
        started = time.monotonic()
        with flight.hold(key):
            waited = time.monotonic() - started
        with flight.hold("d4" + "0" * 62):  # the pool's connection is usable again for other keys
            pass
    assert 0.4 < waited < 3
