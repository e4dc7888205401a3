"""Cache-hit throughput and latency of POST /v1/summaries, against GET /health and a bare Litestar endpoint.

The targets (issue 12): a cached POST /v1/summaries p50 within 2x of GET /health on the same server,
and its p99 under 5 ms. Both are measured in one run, interleaved (a POST, then a GET, on one
keep-alive connection), so both see the same machine load; the script prints the ratio and the p99.

Both servers run under uvicorn (one worker each, in their own processes, on 127.0.0.1) in the same
run; the same client sends the same body to both: first one request at a time (latency p50/p99),
then from several threads (throughput). The summarizer serves a seed article from its cache
(replay backend, so no model is needed); the bare endpoint validates a similar body and returns a
JSON document of the same size. Prints the figures and the ratios.

    python benchmarks/api_cache_hits.py [--requests 1000] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
from litestar import Litestar, post

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "data" / "seeds" / "000_6251781f4193fbe1.txt"
_CANNED: dict[str, Any] = {}


@post("/v1/summaries", status_code=200)
async def bare_summaries(data: dict[str, Any]) -> dict[str, Any]:
    """The baseline: parse the JSON body, answer a stored JSON document of the same size."""
    if not isinstance(data.get("text"), str):
        raise ValueError("text must be a string")
    return _CANNED


def bare_app() -> Litestar:
    _CANNED.update(json.loads(os.environ["BENCH_CANNED"]))
    return Litestar(route_handlers=[bare_summaries])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(target: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", target, "--factory", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--log-level", "warning", "--no-access-log"],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx2.get(url + "/", timeout=0.5)
            return process, url
        except httpx2.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def latencies(url: str, body: dict[str, Any], count: int) -> list[float]:
    timings = []
    with httpx2.Client(base_url=url, timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.post("/v1/summaries", json=body)
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return timings


def interleaved(url: str, body: dict[str, Any], count: int) -> tuple[list[float], list[float]]:
    """``count`` cached POST /v1/summaries and ``count`` GET /health, alternating, one at a time (ms each)."""
    posts, gets = [], []
    with httpx2.Client(base_url=url, timeout=30) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.post("/v1/summaries", json=body)
            posts.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            if not response.json()["provenance"]["cache_hit"]:
                raise RuntimeError("not a cache hit: the benchmark measures hits")
            started = time.perf_counter()
            client.get("/health").raise_for_status()
            gets.append((time.perf_counter() - started) * 1000)
    return posts, gets


def throughput(url: str, body: dict[str, Any], count: int, threads: int) -> float:
    per_thread = count // threads

    def worker(_: int) -> None:
        with httpx2.Client(base_url=url, timeout=30) as client:
            for _ in range(per_thread):
                client.post("/v1/summaries", json=body).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return per_thread * threads / (time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="requests per measurement (default 1000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads for throughput (default 4)")
    args = parser.parse_args()
    body = {"text": ARTICLE.read_text(encoding="utf-8"), "source": "benchmark"}

    with tempfile.TemporaryDirectory(prefix="summarizer-bench-") as data_dir:
        env = {
            "SUMMARIZER_BACKEND": "replay",
            "SUMMARIZER_REPLAY_DIR": str(ROOT / "tests" / "recordings"),
            "SUMMARIZER_DATA_DIR": data_dir,
            "SUMMARIZER_API_RATE_LIMIT_PER_MINUTE": "10000000",
        }
        app, app_url = start("summarizer.api.app:create_app", env)
        try:
            first = httpx2.post(app_url + "/v1/summaries", json=body, timeout=60)
            first.raise_for_status()  # fills the cache; every later request is a hit
            canned = first.json()
            interleaved(app_url, body, 50)  # warm-up
            posts, gets = interleaved(app_url, body, args.requests)
            bare, bare_url = start("benchmarks.api_cache_hits:bare_app", {"BENCH_CANNED": json.dumps(canned)})
            try:
                results = {}
                for name, url in (("bare litestar", bare_url), ("summarizer", app_url)):
                    latencies(url, body, 50)  # warm-up
                    timings = latencies(url, body, args.requests)
                    rate = throughput(url, body, args.requests, args.threads)
                    results[name] = (statistics.median(timings), percentile(timings, 0.99), rate)
            finally:
                bare.terminate()
                bare.wait(10)
        finally:
            app.terminate()
            app.wait(10)

    print(f"POST /v1/summaries, cache hits, {args.requests} requests per figure, body {len(json.dumps(body))} bytes")
    print(f"{'server':<16}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>10}")
    for name, (p50, p99, rate) in results.items():
        print(f"{name:<16}{p50:>10.2f}{p99:>10.2f}{rate:>10.0f}")
    (s50, s99, srate), (b50, b99, brate) = results["summarizer"], results["bare litestar"]
    print(f"ratio summarizer/bare: p50 {s50 / b50:.2f}x, p99 {s99 / b99:.2f}x, throughput {srate / brate:.2f}x")
    post50, post99 = statistics.median(posts), percentile(posts, 0.99)
    get50, get99 = statistics.median(gets), percentile(gets, 0.99)
    print(f"\nsame server, interleaved, {args.requests} each: cached POST /v1/summaries against GET /health")
    print(f"{'request':<28}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'POST /v1/summaries (hit)':<28}{post50:>10.2f}{post99:>10.2f}")
    print(f"{'GET /health':<28}{get50:>10.2f}{get99:>10.2f}")
    ratio = post50 / get50
    print(
        f"cached POST p50 / GET /health p50 = {ratio:.2f}x (target <= 2: {'met' if ratio <= 2 else 'MISSED'}); "
        f"cached POST p99 = {post99:.2f} ms (target < 5: {'met' if post99 < 5 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
