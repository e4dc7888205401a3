"""One gate for the model, measured: a REST batch job and interactive requests on a slow fake backend.

The server (one slot, one waiting place: SUMMARIZER_API_CONCURRENCY=1, SUMMARIZER_API_MAX_QUEUE=1) runs
a batch job of many articles on a fake OpenAI-compatible backend that takes ``--call-s`` seconds per
call and answers any question (``tests/canned_answers.py``); the remote default prompt (v3, "steps")
makes five calls an article. In each round, while one of the job's articles is with the model:

- interactive request A arrives and waits (the queue is now full);
- interactive request X arrives at once (the article's first call is out) and gets 503 with a Retry-After;
- once that call has returned and the next is out, request Y gets 503 too (none if the article made one);
- A is served; the script checks that the model took A right after the batch article it was running
  (before the job's next article), and compares each 503's Retry-After with the real wait: the time
  from the 503 until A's generation ended, when that request would have got the slot.

Each 503 row says what the gate's estimate stood on (``GateState.basis``): ``median`` of measured
whole generations; ``calls``, before any generation ended, the running article's returned calls (how
many it planned, and their pace: ``summarizer.call_progress``); ``probe``, before any call returned,
the calls it planned at the pace of the start-up probe (one 1-token completion, which the fake model
times like any call); ``prior``, before any plan, the backend's assumed 5 s a generation. Only the first
round's X comes before a call returned (a fresh data dir: no durations from an earlier run); its ratio
is reported apart from those on calls or medians.

    python benchmarks/gate_wait.py [--rounds 4] [--call-s 0.4] [--prompt-version v5]
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


def refused(client: httpx2.Client, gate: GenerationGate, tag: str, n: int) -> tuple[str, int, float]:
    """An interactive request that must find the queue full: (basis, Retry-After, when refused)."""
    on = gate.state().basis
    response = client.post("/v1/summaries", json={"text": article(tag, n)})
    refused_at = time.monotonic()
    assert response.status_code == 503, response.text
    return on, int(response.headers["Retry-After"]), refused_at


def ask(client: httpx2.Client, answered: dict[str, float], tag: str, n: int) -> None:
    """An interactive request; records when its answer came."""
    client.post("/v1/summaries", json={"text": article(tag, n)}).raise_for_status()
    answered[tag] = time.monotonic()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--call-s", type=float, default=0.4, help="seconds the fake model takes per call")
    parser.add_argument("--prompt-version", help="v5 for the candidates strategy (default: the backend's, v3)")
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
            prompt_version=args.prompt_version,
        )
        summarizer = Summarizer(settings, llm=LLMClient(settings, transport=model))
        # What the server's start-up does in the background: build the client (~0.4 s) and time the probe
        # (one fake call). Done first here, as the job is posted at once, so the first call does not pay the
        # set-up and the probe's pace is known when the first 503 comes (the server does not probe again).
        summarizer.warm_up()
        app = create_app(settings, summarizer=summarizer)
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

                    a_tag = f"A{round_}"
                    waiter = threading.Thread(target=ask, args=(client, answered, a_tag, 100 + round_))
                    waiter.start()
                    wait_until(lambda: gate.state().waiting["interactive"] == 1)
                    probes = [("X", *refused(client, gate, f"X{round_}", 200 + round_))]
                    wait_until(lambda r=running, a=a_tag: model.log.count(r) >= 2 or a in model.log)
                    if a_tag not in model.log:  # a call of the article returned, and the next one is out
                        probes.append(("Y", *refused(client, gate, f"Y{round_}", 300 + round_)))
                    waiter.join()
                    articles = list(dict.fromkeys(model.log))  # in the order the model first saw them
                    served_next = articles.index(a_tag) == articles.index(running) + 1
                    after = articles[articles.index(a_tag) + 1 :]
                    first_batch_after = next((t for t in after if t.startswith("B")), None)
                    for probe, on, retry_after, refused_at in probes:
                        real_wait = answered[a_tag] - refused_at
                        rows.append(
                            (round_, probe, on, running, first_batch_after, served_next, retry_after, real_wait)
                        )
        finally:
            server.should_exit = True
            time.sleep(0.5)

    print(
        f"one slot, one waiting place, fake model {args.call_s} s per call, prompt "
        f"{args.prompt_version or 'default'}; a 60-article REST batch job running; start-up probe "
        + (f"{summarizer.llm.probe_s:.2f} s" if summarizer.llm.probe_s is not None else "none")
    )
    print(
        f"{'round':>5} {'503':>4} {'estimate on':>12} {'batch article':>14} {'next batch':>11} {'A next':>7} "
        f"{'Retry-After':>12} {'real wait':>10} {'ratio':>6}"
    )
    ratios: dict[str, list[float]] = {}  # before any call returned (on the prior or the probe), or after
    bases: dict[str, set[str]] = {}
    for round_, probe, on, running, next_batch, served_next, retry_after, real_wait in rows:
        ratio = retry_after / real_wait
        group = "early" if on in ("prior", "probe") else "measured"
        ratios.setdefault(group, []).append(ratio)
        bases.setdefault(group, set()).add(on)
        print(
            f"{round_:>5} {probe:>4} {on:>12} {running:>14} {next_batch or '-':>11} "
            f"{'yes' if served_next else 'NO':>7} {retry_after:>10} s {real_wait:>8.2f} s {ratio:>6.2f}"
        )
    for group, found in sorted(ratios.items()):
        worst = max(max(found), 1 / min(found))
        print(
            f"Retry-After / real wait, estimates on {' or '.join(sorted(bases[group]))}: "
            f"{min(found):.2f} to {max(found):.2f} (within 2x: {'yes' if worst <= 2 else 'NO'})"
        )
    print(
        f"interactive request served before the job's next article in every round: "
        f"{'yes' if all(r[5] for r in rows) else 'NO'}"
    )


if __name__ == "__main__":
    main()
