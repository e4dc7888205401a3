"""Requests per second of the REST API on its two storage backends (issue 24): one instance on SQLite,
one on PostgreSQL, and two instances on one PostgreSQL with the clients split between them.

Two figures each, from several client threads on keep-alive connections: a cached POST /v1/summaries
(the summary cache answers; the finished summary is in memory after the first hit of each instance) and
GET /v1/summaries/{id} (a read of the stored result every time: the database's own cost). The servers
run under uvicorn, one worker each, in their own processes, on the replay backend (no model). PostgreSQL
is the server at --database-url or $SUMMARIZER_TEST_DATABASE_URL (``source .ci/postgres.sh`` starts
one); each configuration gets a fresh database.

Then batch throughput: a job of --articles distinct articles posted to the first instance, timed from the
POST until its status is completed, on a fake OpenAI-compatible model server (``tests/fake_openai_server``,
--latency seconds an answer, in this process). On SQLite the job is a directory run by its instance; on
PostgreSQL its lines are rows that every instance claims.

    python benchmarks/shared_database.py [--requests 2000] [--threads 4] [--articles 200] [--latency 0.05]
        [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2

from benchmarks.api_cache_hits import ARTICLE, ROOT, start
from tests.fake_openai_server import fake_openai_server


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    import psycopg

    name = f"summarizer_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@contextmanager
def instances(
    count: int, data_dir: Path, database_url: str | None, model_url: str | None = None
) -> Iterator[list[str]]:
    """``count`` servers: on the replay backend, or on the OpenAI-compatible server at ``model_url``."""
    backend = (
        {"SUMMARIZER_BACKEND": "openai", "SUMMARIZER_BASE_URL": model_url, "SUMMARIZER_API_KEY": "x"}
        if model_url
        else {"SUMMARIZER_BACKEND": "replay", "SUMMARIZER_REPLAY_DIR": str(ROOT / "tests" / "recordings")}
    )
    env = {
        **backend,
        "SUMMARIZER_API_RATE_LIMIT_PER_MINUTE": "10000000",
        "SUMMARIZER_API_PROBE": "false",
        **({"SUMMARIZER_DATABASE_URL": database_url} if database_url else {}),
    }
    with ExitStack() as stack:
        urls = []
        for n in range(count):
            process, url = start(
                "summarizer.api.app:create_app", {**env, "SUMMARIZER_DATA_DIR": str(data_dir / str(n))}
            )
            stack.callback(process.wait, 10)
            stack.callback(process.terminate)
            urls.append(url)
        yield urls


def rate(urls: list[str], path: str, body: dict[str, str] | None, count: int, threads: int) -> float:
    """Requests per second, ``threads`` clients spread over ``urls`` round robin."""
    per_thread = count // threads

    def worker(n: int) -> None:
        with httpx2.Client(base_url=urls[n % len(urls)], timeout=30) as client:
            for _ in range(per_thread):
                response = client.post(path, json=body) if body is not None else client.get(path)
                response.raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return per_thread * threads / (time.perf_counter() - started)


def measure(urls: list[str], count: int, threads: int) -> tuple[float, float]:
    body = {"text": ARTICLE.read_text(encoding="utf-8"), "source": "benchmark"}
    first = httpx2.post(urls[0] + "/v1/summaries", json=body, timeout=120)
    first.raise_for_status()
    summary_id = first.json()["id"]
    for url in urls:  # every instance has served the article once: later POSTs are hits
        httpx2.post(url + "/v1/summaries", json=body, timeout=60).raise_for_status()
        httpx2.get(f"{url}/v1/summaries/{summary_id}", timeout=60).raise_for_status()
    rate(urls, "/v1/summaries", body, max(threads, count // 10), threads)  # warm-up
    posts = statistics.median(rate(urls, "/v1/summaries", body, count, threads) for _ in range(3))
    gets = statistics.median(rate(urls, f"/v1/summaries/{summary_id}", None, count, threads) for _ in range(3))
    return posts, gets


def batch_rate(urls: list[str], articles: int) -> float:
    """Articles per second of one batch job posted to the first instance, POST to completed."""
    from tests.fake_openai_server import articles as make_articles

    body = b"".join(json.dumps(r).encode() + b"\n" for r in make_articles(articles, prefix=uuid.uuid4().hex[:8]))
    started = time.perf_counter()
    created = httpx2.post(
        urls[0] + "/v1/batches", content=body, headers={"content-type": "application/x-ndjson"}, timeout=60
    )
    created.raise_for_status()
    href = urls[0] + created.headers["location"]
    while (state := httpx2.get(href, timeout=30).json())["status"] != "completed":
        if state["status"] in {"failed", "aborted"}:
            raise RuntimeError(f"the batch job ended {state['status']}: {state.get('message')}")
        time.sleep(0.05)
    if state["done"] != articles:
        raise RuntimeError(f"the batch job summarized {state['done']} of {articles}")
    return articles / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="requests per figure (default 2000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--articles", type=int, default=200, help="articles in the batch job (default 200)")
    parser.add_argument("--latency", type=float, default=0.05, help="the fake model's seconds an answer")
    parser.add_argument("--database-url", default=os.environ.get("SUMMARIZER_TEST_DATABASE_URL"))
    args = parser.parse_args()

    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="summarizer-bench-") as tmp:
        with instances(1, Path(tmp) / "sqlite", None) as urls:
            results["1 instance, SQLite"] = measure(urls, args.requests, args.threads)
        if args.database_url:
            for count in (1, 2):
                with fresh_database(args.database_url) as url, instances(count, Path(tmp) / f"pg{count}", url) as urls:
                    results[f"{count} instance{'s' if count > 1 else ''}, PostgreSQL"] = measure(
                        urls, args.requests, args.threads
                    )
        else:
            print("no PostgreSQL (--database-url or SUMMARIZER_TEST_DATABASE_URL): its rows are skipped")
        batches: dict[str, float] = {}
        with fake_openai_server(latency_s=args.latency, keep_alive=True) as chat:
            with instances(1, Path(tmp) / "sqlite-batch", None, chat.base_url) as urls:
                batches["1 instance, SQLite"] = batch_rate(urls, args.articles)
            if args.database_url:
                for count in (1, 2):
                    with (
                        fresh_database(args.database_url) as url,
                        instances(count, Path(tmp) / f"pg{count}-batch", url, chat.base_url) as urls,
                    ):
                        batches[f"{count} instance{'s' if count > 1 else ''}, PostgreSQL"] = batch_rate(
                            urls, args.articles
                        )

    print(f"REST API on each backend: {args.requests} requests per figure, {args.threads} client threads, median of 3")
    print(f"{'configuration':<26}{'cached POST req/s':>20}{'GET by id req/s':>18}")
    for name, (posts, gets) in results.items():
        print(f"{name:<26}{posts:>20.0f}{gets:>18.0f}")
    base_posts, base_gets = results["1 instance, SQLite"]
    for name, (posts, gets) in results.items():
        if name != "1 instance, SQLite":
            print(f"{name} / SQLite: cached POST {posts / base_posts:.2f}x, GET by id {gets / base_gets:.2f}x")
    print(f"\nbatch throughput: one job of {args.articles} articles, fake model answering in {args.latency} s")
    print(f"{'configuration':<26}{'articles/s':>12}")
    for name, per_second in batches.items():
        print(f"{name:<26}{per_second:>12.1f}")
    base = batches["1 instance, SQLite"]
    for name, per_second in batches.items():
        if name != "1 instance, SQLite":
            print(f"{name} / SQLite: {per_second / base:.2f}x")


if __name__ == "__main__":
    main()
