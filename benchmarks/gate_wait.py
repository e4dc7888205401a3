"""One gate for the model, measured: a REST batch job and interactive requests on a slow fake backend.

The server (one slot, one waiting place: SUMMARIZER_API_CONCURRENCY=1, SUMMARIZER_API_MAX_QUEUE=1) runs
a batch job of many articles on a fake OpenAI-compatible backend that takes ``--call-s`` seconds per
call and answers any question (``tests/canned_answers.py``). In each round, while one of the job's
articles is with the model:

- interactive request A arrives and waits (the queue is now full);
- interactive request B arrives and gets 503 with a Retry-After;
- A is served; the script checks that the model took A right after the batch article it was running
  (before the job's next article), and compares B's Retry-After with the real wait: the time from B's
  503 until A's generation ended, when B would have got the slot.

The first round can come before any generation was measured (the gate then guesses 10 s); the
script prints every round and the ratio over the measured ones.

    python benchmarks/gate_wait.py [--rounds 4] [--call-s 0.4]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
import uvicorn  # noqa: E402

from summarizer.api.app import create_app  # noqa: E402
from summarizer.api.gate import GenerationGate  # noqa: E402
from summarizer.llm import LLMClient  # noqa: E402
from summarizer.pipeline import Summarizer  # noqa: E402
from summarizer.settings import Settings  # noqa: E402
from tests.canned_answers import canned_completion  # noqa: E402

CASE = re.compile(r"\bcase ([ABX]\d+)\b")
TOWNS = "Kandahar Herat Kunduz Jalalabad Ghazni Khost Gardez Zaranj Farah Taloqan Baghlan Pul-e-Khumri".split()


def article(tag: str, n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    return (
        f"Gunmen attacked a police convoy near {town} on Friday in case {tag}, killing {n + 3} officers and wounding "
        f"another {n + 1}.\n\n“We will hunt down those who planned this attack,” provincial governor Ahmad Khan "
        "told reporters.\n"
    )


class SlowModel(httpx2.BaseTransport):
    """Every call takes ``seconds``; the log says which article each call was about, in order."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.log: list[str] = []
        self.lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.read())
        found = CASE.search(json.dumps(body["messages"]))
        tag = found.group(1) if found else "?"
        with self.lock:
            self.log.append(tag)
        time.sleep(self.seconds)
        return httpx2.Response(200, json=canned_completion(body))


def serve(app: Any) -> tuple[uvicorn.Server, str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def wait_until(condition: Any, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(0.005)


def ask(client: httpx2.Client, answered: dict[str, float], tag: str, n: int) -> None:
    """An interactive request; records when its answer came."""
    client.post("/v1/summaries", json={"text": article(tag, n)}).raise_for_status()
    answered[tag] = time.monotonic()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--call-s", type=float, default=0.4, help="seconds the fake model takes per call")
    args = parser.parse_args()
    model = SlowModel(args.call_s)
    with tempfile.TemporaryDirectory(prefix="summarizer-gate-") as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            backend="openai",
            base_url="http://fake.invalid/v1",
            model="fake",
            api_concurrency=1,
            api_max_queue=1,
            api_rate_limit_per_minute=1_000_000,
        )
        app = create_app(settings, summarizer=Summarizer(settings, llm=LLMClient(settings, transport=model)))
        gate: GenerationGate = app.state.gate
        server, url = serve(app)
        rows = []
        try:
            with httpx2.Client(base_url=url, timeout=300) as client:
                upload = "".join(json.dumps({"id": f"b{n}", "text": article(f"B{n}", n)}) + "\n" for n in range(60))
                job = client.post("/v1/batches", content=upload, headers={"content-type": "application/x-ndjson"})
                job.raise_for_status()
                answered: dict[str, float] = {}
                for round_ in range(args.rounds):
                    wait_until(
                        lambda: gate.state().running["batch"] == 1 and model.log[-1:] != [] and model.log[-1][0] == "B"
                    )
                    running = model.log[-1]  # the batch article with the model now
                    measured = gate.state().median_s is not None

                    a_tag = f"A{round_}"
                    waiter = threading.Thread(target=ask, args=(client, answered, a_tag, 100 + round_))
                    waiter.start()
                    wait_until(lambda: gate.state().waiting["interactive"] == 1)
                    refused = client.post("/v1/summaries", json={"text": article(f"X{round_}", 200 + round_)})
                    refused_at = time.monotonic()
                    assert refused.status_code == 503, refused.text
                    retry_after = int(refused.headers["Retry-After"])
                    waiter.join()
                    real_wait = answered[a_tag] - refused_at
                    articles = list(dict.fromkeys(model.log))  # in the order the model first saw them
                    served_next = articles.index(a_tag) == articles.index(running) + 1
                    after = articles[articles.index(a_tag) + 1 :]
                    first_batch_after = next((t for t in after if t.startswith("B")), None)
                    rows.append((round_, measured, running, first_batch_after, served_next, retry_after, real_wait))
        finally:
            server.should_exit = True
            time.sleep(0.5)

    print(f"one slot, one waiting place, fake model {args.call_s} s per call; a 60-article REST batch job running")
    print(
        f"{'round':>5} {'measured':>9} {'batch article':>14} {'next batch':>11} {'A next':>7} "
        f"{'Retry-After':>12} {'real wait':>10} {'ratio':>6}"
    )
    ratios = []
    for round_, measured, running, after, served_next, retry_after, real_wait in rows:
        ratio = retry_after / real_wait
        if measured:
            ratios.append(ratio)
        print(
            f"{round_:>5} {'yes' if measured else 'no':>9} {running:>14} {after or '-':>11} "
            f"{'yes' if served_next else 'NO':>7} {retry_after:>10} s {real_wait:>8.2f} s {ratio:>6.2f}"
        )
    if ratios:
        worst = max(max(ratios), 1 / min(ratios))
        print(
            f"Retry-After / real wait over measured rounds: {min(ratios):.2f} to {max(ratios):.2f} "
            f"(within 2x: {'yes' if worst <= 2 else 'NO'})"
        )
    print(
        f"interactive request served before the job's next article in every round: "
        f"{'yes' if all(r[4] for r in rows) else 'NO'}"
    )


if __name__ == "__main__":
    main()
