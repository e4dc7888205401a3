"""How much of a provider's rate limit a batch uses: N articles against the fake server on 127.0.0.1.

The fake OpenAI-compatible server (``tests/fake_openai_server.py``) answers after ``--latency`` seconds
and enforces ``--rpm`` with a token bucket holding ``--burst-s`` seconds of budget (429 + Retry-After
beyond it). The batch is told the same ``--rpm`` and picks its own concurrency. The bound: no client can
finish N requests sooner than ``(N - burst) / rate + latency``; the figure printed is that bound over the
time the batch took (1.0 = the limit used fully; target >= 0.9), with achieved requests/min and medians.
The one-time start of the HTTP client (imports, about 0.5 s) happens before the clock starts.

    python benchmarks/batch_throughput.py [--articles 200 --rpm 1200 --latency 0.25]

It talks only to 127.0.0.1, writes only to a temporary directory, and stops by itself (``--max-s``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.fake_openai_server when run as a script

from summarizer.batch import BatchJob, BatchRunner  # noqa: E402
from summarizer.settings import Settings  # noqa: E402
from tests.fake_openai_server import FakeConfig, articles, fake_openai_server  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rpm", type=float, default=1200.0, help="the server's limit, and the batch's --rpm")
    parser.add_argument("--burst-s", type=float, default=1.0, help="seconds of budget the server's bucket holds")
    parser.add_argument("--latency", type=float, default=0.25, help="seconds the server takes per answer")
    parser.add_argument("--concurrency", type=int, default=None, help="default: chosen by the batch")
    parser.add_argument("--max-s", type=float, default=120.0, help="stop the batch after this long, whatever happens")
    args = parser.parse_args(argv)

    rate = args.rpm / 60.0
    burst = max(1.0, rate * args.burst_s)
    config = FakeConfig(latency_s=args.latency, rpm=args.rpm, burst=burst)
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp, fake_openai_server(config) as server:
        work = Path(tmp)
        source = work / "in.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in articles(args.articles, prefix="bench")))
        settings = Settings(
            backend="openai",
            base_url=server.base_url,
            api_key="x",
            request_timeout_s=30,
            retry_max_wait_s=5,
            data_dir=work / "data",
            cache_enabled=False,
            prompt_version="v1",  # one request per article, so articles/min can be set against requests/min
        )
        job = BatchJob(
            input=str(source), out=work / "out.jsonl", rpm=args.rpm, concurrency=args.concurrency, use_cache=False
        )
        runner = BatchRunner(job, settings, on_notice=lambda message: print(f"note: {message}", file=sys.stderr))
        warm = time.monotonic()
        runner.summarizer.llm.warm_up()  # the one-time client start (openai's lazy imports) is not throughput
        warm_s = time.monotonic() - warm
        watchdog = threading.Timer(args.max_s, runner.abandon)
        watchdog.daemon = True
        watchdog.start()
        started = time.monotonic()
        try:
            report = runner.run()
        finally:
            watchdog.cancel()
        wall = time.monotonic() - started
        stats = server.stats
        accepted = sorted(stats.accepted_at)
        limiter = runner.limiter

    n = report.stats.done
    bound_s = max(0.0, n - burst) / rate + args.latency
    fraction = bound_s / wall if wall > 0 else 0.0
    achieved_rpm = n / wall * 60 if wall > 0 else 0.0
    gaps = [b - a for a, b in itertools.pairwise(accepted)]
    steady_rpm = (len(accepted) - 1) / (accepted[-1] - accepted[0]) * 60 if len(accepted) > 1 else 0.0
    print(f"articles            {args.articles} ({n} summarized, {report.stats.failed} failed, status {report.status})")
    print(f"server              latency {args.latency:.3f} s, limit {args.rpm:.0f} requests/min, burst {burst:.0f}")
    print(f"wall time           {wall:.2f} s (bound {bound_s:.2f} s; client start before it {warm_s:.2f} s)")
    print(f"achieved            {achieved_rpm:.0f} requests/min overall, {steady_rpm:.0f}/min first to last request")
    print(f"fraction of bound   {fraction:.3f}  (target >= 0.9)")
    print(f"429 answers         {stats.by_action['429']} of {stats.requests} requests")
    print(f"peak in flight      {stats.peak_concurrency} (batch bound {runner.in_flight_bound})")
    if gaps:
        print(f"median gap          {statistics.median(gaps) * 1000:.1f} ms between accepted requests")
    latency = limiter.median_latency() if limiter is not None else None
    if latency is not None:
        print(f"median latency      {latency * 1000:.1f} ms per request (client side)")
    print(f"tokens              {report.stats.tokens:,} ({report.stats.requests} requests)")
    return 0 if report.stats.done == args.articles else 1


if __name__ == "__main__":
    raise SystemExit(main())
