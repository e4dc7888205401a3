"""How much of a provider's rate limit one ``summarizer batch`` driver uses, and its CPU per 1,000 requests.

The fake OpenAI-compatible server (``tests/fake_openai_server.py``) runs in its own process (so its CPU is
not the driver's), keeps connections alive as real servers do, answers after ``--latency`` seconds and
enforces ``--rpm`` with a token bucket holding ``--burst-s`` seconds of budget (429 + Retry-After beyond
it). The driver is this process: the live batch engine, told the same ``--rpm``, picking its own
concurrency, with the prompt an OpenAI-compatible endpoint gets by default (``v3``: five calls per
article) unless ``--prompt-version`` says otherwise. The bound: no client can finish R requests sooner
than ``(R - burst) / rate + latency``; the figure printed is that bound over the time the batch took
(1.0 = the limit used fully; target >= 0.9), with achieved requests/min, and the driver's CPU seconds
(all its threads) per 1,000 requests. One-time starts (the HTTP client's imports, spaCy's model) happen
before the clock starts.

    python benchmarks/batch_throughput.py [--articles 1200 --rpm 6000 --latency 0.2]

It talks only to 127.0.0.1, writes only to a temporary directory, and stops by itself (``--max-s``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.fake_openai_server when run as a script

from summarizer.analysis.finders import find_candidates  # noqa: E402
from summarizer.batch import BatchJob, BatchRunner  # noqa: E402
from summarizer.settings import Settings  # noqa: E402
from tests.fake_openai_server import FakeConfig, FakeStats, articles, fake_openai_server  # noqa: E402


def serve(config: FakeConfig, conn: Connection) -> None:
    """The fake server's process: send its URL, serve until told to stop, send what it saw."""
    with fake_openai_server(config) as server:
        conn.send(server.base_url)
        conn.recv()
        conn.send(server.stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--rpm", type=float, default=6000.0, help="the server's limit, and the batch's --rpm")
    parser.add_argument("--burst-s", type=float, default=1.0, help="seconds of budget the server's bucket holds")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server takes per answer")
    parser.add_argument("--prompt-version", default="v3", help="v3: steps, 5 calls (the endpoint default); v1: one")
    parser.add_argument("--concurrency", type=int, default=None, help="default: chosen by the batch")
    parser.add_argument("--max-s", type=float, default=170.0, help="stop the batch after this long, whatever happens")
    args = parser.parse_args(argv)

    rate = args.rpm / 60.0
    burst = max(1.0, rate * args.burst_s)
    config = FakeConfig(latency_s=args.latency, rpm=args.rpm, burst=burst, keep_alive=True)
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(config, theirs), daemon=True)
    server.start()
    try:
        base_url = ours.recv()
        with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
            work = Path(tmp)
            source = work / "in.jsonl"
            source.write_text("".join(json.dumps(r) + "\n" for r in articles(args.articles, prefix="bench")))
            settings = Settings(
                backend="openai",
                base_url=base_url,
                api_key="x",
                request_timeout_s=30,
                retry_max_wait_s=5,
                data_dir=work / "data",
                cache_enabled=False,
                prompt_version=args.prompt_version,
            )
            job = BatchJob(
                input=str(source), out=work / "out.jsonl", rpm=args.rpm, concurrency=args.concurrency, use_cache=False
            )
            runner = BatchRunner(job, settings, on_notice=lambda message: print(f"note: {message}", file=sys.stderr))
            warm = time.monotonic()
            runner.summarizer.llm.warm_up()  # the one-time client start (openai's lazy imports) is not throughput
            find_candidates("Officials said two people were killed.")  # nor is loading spaCy's model
            warm_s = time.monotonic() - warm
            watchdog = threading.Timer(args.max_s, runner.abandon)
            watchdog.daemon = True
            watchdog.start()
            cpu = time.process_time()
            started = time.monotonic()
            try:
                report = runner.run()
            finally:
                watchdog.cancel()
            wall = time.monotonic() - started
            cpu_s = time.process_time() - cpu
            limiter = runner.limiter
        ours.send("stop")
        stats: FakeStats = ours.recv()
    finally:
        server.join(timeout=10)
        if server.is_alive():
            server.kill()

    requests = report.stats.requests
    accepted = sorted(stats.accepted_at)
    bound_s = max(0.0, requests - burst) / rate + args.latency
    fraction = bound_s / wall if wall > 0 else 0.0
    achieved_rpm = requests / wall * 60 if wall > 0 else 0.0
    gaps = [b - a for a, b in itertools.pairwise(accepted)]
    steady_rpm = (len(accepted) - 1) / (accepted[-1] - accepted[0]) * 60 if len(accepted) > 1 else 0.0
    n = report.stats.done
    print(f"articles            {args.articles} ({n} summarized, {report.stats.failed} failed, status {report.status})")
    print(f"prompt              {args.prompt_version}: {requests} requests, {requests / max(n, 1):.1f} per article")
    print(f"server              latency {args.latency:.3f} s, limit {args.rpm:.0f} requests/min, burst {burst:.0f}")
    print(f"wall time           {wall:.2f} s (bound {bound_s:.2f} s; one-time starts before it {warm_s:.2f} s)")
    print(f"achieved            {achieved_rpm:.0f} requests/min overall, {steady_rpm:.0f}/min first to last request")
    print(f"fraction of bound   {fraction:.3f}  (target >= 0.9)")
    print(f"driver CPU          {cpu_s:.2f} s = {cpu_s / max(requests, 1) * 1000:.2f} CPU s per 1,000 requests")
    print(f"429 answers         {stats.by_action['429']} of {stats.requests} requests")
    print(f"peak in flight      {stats.peak_concurrency} requests (batch bound {runner.in_flight_bound} articles)")
    if gaps:
        print(f"median gap          {statistics.median(gaps) * 1000:.1f} ms between accepted requests")
    latency = limiter.median_latency() if limiter is not None else None
    if latency is not None:
        print(f"median latency      {latency * 1000:.1f} ms per request (client side)")
    print(f"tokens              {report.stats.tokens:,}")
    return 0 if report.stats.done == args.articles else 1


if __name__ == "__main__":
    raise SystemExit(main())
