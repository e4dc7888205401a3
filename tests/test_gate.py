"""One admission gate for the model: interactive requests first, true free slots, Retry-After from measured
durations, and batch uploads streamed to disk under the size limit.

Times here come from a fake clock or from events, never from sleeping: the wait a client really sees is
measured by ``benchmarks/gate_wait.py``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from litestar import Request
from litestar.exceptions.http_exceptions import HTTPException

from summarizer.api.gate import BATCH, INTERACTIVE, GenerationGate
from summarizer.api.problems import QueueFull
from summarizer.api.uploads import LineCounter, count_lines, receive_upload
from summarizer.call_progress import current
from summarizer.errors import BackendUnavailable
from summarizer.llm import LLMClient
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings
from tests.api_support import build_app, client_for, live_server
from tests.canned_answers import canned_completion
from tests.fakes import ok

pytestmark = pytest.mark.anyio
JSONL = {"content-type": "application/x-ndjson"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_until(condition: Any, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


async def async_wait_until(condition: Any, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.005)


# -- the gate itself ------------------------------------------------------------------------------


async def test_an_interactive_request_goes_before_the_waiting_batch_articles() -> None:
    gate = GenerationGate(1, 8)
    order: list[str] = []
    release_first = threading.Event()

    def batch_article(name: str, hold_until: threading.Event | None = None) -> None:
        with gate.hold(BATCH):
            order.append(name)
            if hold_until is not None:
                hold_until.wait(10)

    first = threading.Thread(target=batch_article, args=("batch 1", release_first))
    first.start()
    await async_wait_until(lambda: order == ["batch 1"])
    second = threading.Thread(target=batch_article, args=("batch 2",))
    second.start()
    await async_wait_until(lambda: gate.state().waiting["batch"] == 1)

    async def interactive() -> None:
        async with gate.slot(INTERACTIVE):
            order.append("interactive")

    task = asyncio.create_task(interactive())
    await async_wait_until(lambda: gate.state().waiting["interactive"] == 1)
    assert gate.state().free == 0  # the running batch article holds the only slot
    release_first.set()
    await task
    await anyio.to_thread.run_sync(second.join, 10)
    first.join(10)
    assert order == ["batch 1", "interactive", "batch 2"]
    assert gate.state().free == 1 and gate.state().waiting == {"interactive": 0, "batch": 0}


def test_retry_after_is_the_measured_median_times_the_queue_ahead() -> None:
    clock = Clock()
    gate = GenerationGate(1, 1, initial_estimate_s=10, clock=clock)
    with gate.hold(INTERACTIVE):  # nothing measured yet: the initial estimate stands in
        clock.now += 1
        assert gate.start_estimate_s() == pytest.approx(9)  # the running one ends in 10 - 1
    for seconds in (4, 4, 5):  # measured: 1, 4, 4 and 5 s, median 4 s
        with gate.hold(BATCH):
            clock.now += seconds
    assert gate.state().median_s == 4

    async def fill_and_overflow() -> int:
        running = threading.Event()
        done = threading.Event()

        def generation() -> None:
            with gate.hold(INTERACTIVE):
                running.set()
                done.wait(10)

        worker = threading.Thread(target=generation)
        worker.start()
        running.wait(10)
        clock.now += 1  # it has run 1 s of its typical 4
        waiting = asyncio.create_task(_enter(gate))
        await async_wait_until(lambda: gate.state().waiting["interactive"] == 1)
        try:
            async with gate.slot(INTERACTIVE):
                raise AssertionError("the queue was full")
        except QueueFull as exc:
            retry_after = int(exc.headers["Retry-After"])
        done.set()
        await waiting
        worker.join(10)
        return retry_after

    # 3 s left of the running one, then the waiting one's 4 s: a new request would start in 7 s.
    assert asyncio.run(fill_and_overflow()) == 7


async def _enter(gate: GenerationGate) -> None:
    async with gate.slot(INTERACTIVE):
        pass


def test_two_slots_and_a_late_generation() -> None:
    clock = Clock()
    gate = GenerationGate(2, 8, clock=clock)
    for _ in range(3):
        with gate.hold(BATCH):
            clock.now += 2
    with gate.hold(BATCH):
        clock.now += 5  # running 5 s of a typical 2: late, taken to end soon (a tenth of the median)
        assert gate.start_estimate_s() == 0  # the other slot is free
        with gate.hold(BATCH):
            clock.now += 1
            assert gate.start_estimate_s() == pytest.approx(0.2)


def test_before_any_generation_is_measured_the_running_ones_calls_project_when_it_ends() -> None:
    clock = Clock()
    gate = GenerationGate(1, 8, initial_estimate_s=20, clock=clock)
    with gate.hold(BATCH):
        calls = current()  # what the strategy sees: the progress the gate handed this generation
        clock.now += 0.2  # finding the candidates
        calls.plan(10)
        assert gate.start_estimate_s() == pytest.approx(19.8)  # no call returned: the assumed 20 s
        for _ in range(2):
            clock.now += 0.5
            calls.returned()
        assert gate.state().calls_returned == 2 and gate.state().median_s is None
        # 8 calls left at 0.5 s: it ends in 4 s (not 20 - 1.2 s)
        assert gate.start_estimate_s() == pytest.approx(4)
        clock.now += 0.3  # 0.3 s into the third call
        assert gate.start_estimate_s() == pytest.approx(3.7)
        waiter = threading.Thread(target=_batch_article, args=(gate,))
        waiter.start()
        wait_until(lambda: gate.state().waiting["batch"] == 1)
        # then the waiting article takes what this one projects: 0.2 s + 10 calls of 0.5 s (not 20 s)
        assert gate.start_estimate_s(BATCH) == pytest.approx(3.7 + 5.2)
    waiter.join(10)
    assert gate.state().median_s is not None and gate.state().calls_returned == 0


def test_one_returned_call_only_bounds_the_end_from_above() -> None:
    """The first call also reads the article; the later ones reuse it and are faster, so one call's
    projection is an upper bound: the sooner of it and the typical duration stands."""
    clock = Clock()
    gate = GenerationGate(1, 8, initial_estimate_s=20, clock=clock)
    with gate.hold(BATCH):
        current().plan(4)
        clock.now += 1
        current().returned()  # 3 more calls of at most 1 s: 3 s, sooner than the assumed 20 - 1
        assert gate.start_estimate_s() == pytest.approx(3)
    for _ in range(3):  # measured: 4, 14, 14, 14 s
        with gate.hold(BATCH):
            clock.now += 14
    with gate.hold(BATCH):
        current().plan(4)
        clock.now += 7
        current().returned()  # a slow first call: 3 x 7 s is later than the median's 14 - 7
        assert gate.start_estimate_s() == pytest.approx(7)
        clock.now += 2
        current().returned()  # the second took 2 s: 2 calls of 2 s left, whatever the median says
        assert gate.start_estimate_s() == pytest.approx(4)


def test_before_any_call_returned_a_generation_is_its_planned_calls_at_the_probes_pace() -> None:
    clock = Clock()
    probe: list[float | None] = [None]  # timed in the background at start-up: not yet
    gate = GenerationGate(1, 8, initial_estimate_s=20, probe_s=lambda: probe[0], clock=clock)
    with gate.hold(BATCH):
        clock.now += 0.2  # finding the candidates
        current().plan(4)
        assert gate.state().basis == "prior" and gate.start_estimate_s() == pytest.approx(19.8)  # no probe yet
        probe[0] = 0.5  # the probe answered: each call takes at least its 0.5 s
        assert gate.state().basis == "probe" and gate.start_estimate_s() == pytest.approx(4 * 0.5)
        clock.now += 0.3  # 0.3 s into the first call
        assert gate.start_estimate_s() == pytest.approx(1.7)
        waiter = threading.Thread(target=_batch_article, args=(gate,))
        waiter.start()
        wait_until(lambda: gate.state().waiting["batch"] == 1)
        # and the waiting article takes what this one projects: 0.2 s before its plan, 4 calls of 0.5 s
        assert gate.start_estimate_s(BATCH) == pytest.approx(1.7 + 0.2 + 2.0)
        clock.now += 1.2  # the call has been out 1.5 s, 3x the probe: each call takes at least that
        assert gate.start_estimate_s() == pytest.approx(4 * 1.5 - 1.5)
        assert gate.start_estimate_s(BATCH) == pytest.approx(4.5 + 0.2 + 4 * 1.5)
        current().returned()  # a returned call outranks the probe: 3 calls of at most 1.5 s
        clock.now += 0.3
        assert gate.state().basis == "calls" and gate.start_estimate_s() == pytest.approx(3 * 1.5 - 0.3)
    waiter.join(10)
    with gate.hold(BATCH):  # and a measured generation outranks both
        clock.now += 0.1
        current().plan(4)
        # measured: 2 s, and 0 s for the article that waited (the fake clock stood still): median 1 s
        assert gate.state().basis == "median" and gate.state().median_s == pytest.approx(1.0)
        assert gate.start_estimate_s() == pytest.approx(1.0 - 0.1)


def test_the_probe_waits_for_a_plan_and_a_plan_for_the_probe() -> None:
    """Before a generation planned its calls, nothing says how many there are: the prior stands."""
    clock = Clock()
    gate = GenerationGate(1, 8, initial_estimate_s=20, probe_s=lambda: 0.5, clock=clock)
    assert gate.state().basis == "prior" and gate.start_estimate_s() == 0  # a free slot
    with gate.hold(BATCH):
        clock.now += 1
        assert gate.state().basis == "prior" and gate.start_estimate_s() == pytest.approx(19)
        current().plan(1)
        clock.now += 2  # one call, out 2 s against the probe's 0.5: late, ends soon
        assert gate.state().basis == "probe" and gate.start_estimate_s() == pytest.approx(0.2)


async def test_a_generation_reports_its_calls_from_the_thread_that_runs_it() -> None:
    gate = GenerationGate(1, 1)

    def generation() -> None:
        current().plan(3)
        current().returned()

    async with gate.slot():
        await anyio.to_thread.run_sync(generation)  # as the summaries route runs the pipeline
        assert gate.state().calls_returned == 1
    current().plan(1)  # outside the gate: a throwaway progress, nobody reads it
    current().returned()
    assert gate.state().calls_returned == 0


@pytest.mark.parametrize(("version", "calls"), [("v3", 5), ("v5", 2)])  # steps, candidates
def test_each_strategy_tells_the_gate_how_many_calls_it_plans_and_when_each_returns(
    settings: Settings, version: str, calls: int
) -> None:
    gate = GenerationGate(1, 1)
    seen: list[tuple[int, int]] = []  # (planned, returned) as each call goes out; (0, 0) before one returned

    class Answering(httpx2.BaseTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            progress = current().calls()
            seen.append((progress.planned, progress.returned) if progress else (0, 0))
            return httpx2.Response(200, json=canned_completion(json.loads(request.read())))

    fake = settings.model_copy(
        update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "fake", "prompt_version": version}
    )
    summarizer = Summarizer(fake, llm=LLMClient(fake, transport=Answering())).admitted_by(partial(gate.hold, BATCH))
    text = (
        "Gunmen attacked a police convoy near Herat on Friday, killing three officers.\n\n"
        "“We will hunt down those who planned this attack,” he said.\n"
    )
    summarizer.summarize(text, use_cache=False)
    assert seen == [(0, 0)] + [(calls, n) for n in range(1, calls)]


def _batch_article(gate: GenerationGate) -> None:
    with gate.hold(BATCH):
        pass


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    gate = GenerationGate(1, 8)
    async with gate.slot():
        task = asyncio.create_task(_enter(gate))
        await async_wait_until(lambda: gate.state().waiting["interactive"] == 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert gate.state().waiting["interactive"] == 0
    assert gate.state().free == 1


def test_closing_wakes_blocked_batch_articles_without_a_slot() -> None:
    gate = GenerationGate(1, 8)
    errors: list[BaseException] = []

    def article() -> None:
        try:
            with gate.hold(BATCH):
                raise AssertionError("granted a slot while another held it")
        except BackendUnavailable as exc:
            errors.append(exc)

    with gate.hold(BATCH):
        waiter = threading.Thread(target=article)
        waiter.start()
        wait_until(lambda: gate.state().waiting["batch"] == 1)
        gate.close()
        waiter.join(10)
    assert len(errors) == 1 and "stopping" in str(errors[0])


# -- REST batch jobs and interactive requests through one gate -------------------------------------


class Held:
    """A fake backend whose every call names its article and waits until the test lets it answer."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.go = threading.Semaphore(0)
        self.answer = ok()

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        messages = json.loads(request.read())["messages"]
        text = " ".join(str(m.get("content")) for m in messages)
        self.calls.append(next((word for word in text.split() if word.startswith("ARTICLE-")), "?"))
        if not self.go.acquire(timeout=20):
            raise AssertionError("the test never let this call answer")
        return self.answer(request)


class Transport(httpx2.BaseTransport):
    def __init__(self, step: Held):
        self.step = step

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return self.step(request)


def article(name: str) -> str:
    return f"{name} reported: militants attacked a checkpoint in the north on Friday, officials said."


def test_a_rest_batch_job_holds_the_slot_and_an_interactive_request_goes_before_its_next_article(
    settings: Settings,
) -> None:
    held = Held()
    app = build_app(settings, transport=Transport(held), api_concurrency=1, api_rate_limit_per_minute=100_000)
    gate: GenerationGate = app.state.gate
    upload = b"".join(json.dumps({"id": f"b{n}", "text": article(f"ARTICLE-B{n}")}).encode() + b"\n" for n in range(3))
    with live_server(app) as url, httpx2.Client(base_url=url, timeout=30) as client:
        assert client.post("/v1/batches", content=upload, headers=JSONL).status_code == 202
        wait_until(lambda: held.calls)  # the job's first article is with the model...
        state = gate.state()
        assert state.running == {"interactive": 0, "batch": 1} and state.free == 0  # ...and the gate says so
        answers: list[httpx2.Response] = []
        interactive = threading.Thread(
            target=lambda: answers.append(client.post("/v1/summaries", json={"text": article("ARTICLE-I")}))
        )
        interactive.start()
        wait_until(lambda: gate.state().waiting["interactive"] == 1)
        first = held.calls[0]
        assert held.calls == [first] and first.startswith("ARTICLE-B")  # it waits in the gate, not in the backend
        while interactive.is_alive():  # let every call answer, one at a time
            held.go.release()
            time.sleep(0.01)
        interactive.join(30)
        assert answers and answers[0].status_code == 200, answers
        articles = list(dict.fromkeys(held.calls))  # in the order the model first saw them
        assert articles[:2] == [first, "ARTICLE-I"]  # before the job's next article
        for _ in range(50):
            held.go.release()


async def test_the_server_builds_a_remote_backends_client_at_start_up(settings: Settings) -> None:
    """So the first model call does not pay it (~0.4 s): the gate projects from that call's pace."""
    app = build_app(settings, transport=Transport(Held()))
    llm = app.state.summarizer.llm
    async with client_for(app):
        await async_wait_until(lambda: "instructor" in llm.__dict__)  # the cached client


# -- uploads stream to disk ------------------------------------------------------------------------


async def chunks_of(total: int, size: int = 65_536, pulled: list[int] | None = None) -> AsyncIterator[bytes]:
    line = json.dumps({"text": "x" * 200}).encode() + b"\n"
    chunk = (line * (size // len(line) + 1))[:size]
    sent = 0
    while sent < total:
        piece = chunk[: min(size, total - sent)]
        sent += len(piece)
        if pulled is not None:
            pulled.append(len(piece))
        yield piece


async def test_an_upload_streams_to_disk_in_bounded_memory(tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        upload = await receive_upload(chunks_of(40_000_000), tmp_path, limit=50_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert upload.size == 40_000_000 and upload.path.stat().st_size == 40_000_000
    assert peak < 2_000_000  # a few chunks, never the 40 MB upload
    assert upload.lines == count_lines(upload.path.read_bytes())


async def test_an_upload_over_the_limit_stops_reading_and_leaves_nothing(tmp_path: Path) -> None:
    pulled: list[int] = []
    with pytest.raises(HTTPException) as raised:
        await receive_upload(chunks_of(10_000_000, pulled=pulled), tmp_path, limit=1_000_000)
    assert raised.value.status_code == 413
    assert sum(pulled) <= 1_000_000 + 65_536  # it stopped at the chunk that crossed the limit
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(HTTPException) as announced:  # a Content-Length above the limit: nothing is read
        await receive_upload(chunks_of(10, pulled=pulled), tmp_path, limit=5, announced=10)
    assert announced.value.status_code == 413 and sum(pulled) <= 1_000_000 + 65_536


async def test_bad_utf8_is_found_across_chunk_boundaries(tmp_path: Path) -> None:
    async def split(*pieces: bytes) -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    good = "café\n".encode()
    upload = await receive_upload(split(good[:4], good[4:]), tmp_path, limit=100)  # "é" cut in two
    assert upload.lines == 1
    with pytest.raises(HTTPException, match="0xff at offset 6"):
        await receive_upload(split(b"abc\xc3", b"\xa9d\xff"), tmp_path, limit=100)
    with pytest.raises(HTTPException, match="0xc3 at offset 3"):
        await receive_upload(split(b"abc\xc3"), tmp_path, limit=100)  # cut off mid-character
    assert [p for p in tmp_path.iterdir() if p != upload.path] == []


def test_lines_are_counted_wherever_the_chunks_are_cut() -> None:
    data = b'{"a": 1}\r\n\n   \n{"b": 2}\r{"c": 3}\n  x'
    for cut in range(len(data) + 1):
        counter = LineCounter()
        counter.feed(data[:cut])
        counter.feed(data[cut:])
        assert counter.total() == 4 == len([line for line in data.splitlines() if line.strip()])


def test_the_api_refuses_an_upload_over_the_limit_without_reading_it_into_memory(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_body(self: Request[Any, Any, Any]) -> bytes:
        raise AssertionError("the upload was read into memory")

    monkeypatch.setattr(Request, "body", no_body)
    app = build_app(settings, api_max_batch_bytes=1000, api_rate_limit_per_minute=100_000)
    root = settings.data_dir / "batches"

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit is found while streaming
        for _ in range(100):
            yield b'{"text": "' + b"x" * 90 + b'"}\n'

    with live_server(app) as url, httpx2.Client(base_url=url, timeout=30) as client:
        refused = client.post("/v1/batches", content=chunked(), headers=JSONL)
        announced = client.post("/v1/batches", content=b"x" * 2000, headers=JSONL)
        accepted = client.post("/v1/batches", content=b'{"id": "a", "text": "Rebels shelled Kidal."}\n', headers=JSONL)
    for response in (refused, announced):
        assert response.status_code == 413, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"].endswith("batch-too-large")
    assert accepted.status_code == 202 and accepted.json()["total"] == 1
    assert [p.name for p in root.iterdir() if not p.name.startswith("bat_")] == []  # no staging file left


def test_before_any_generation_is_measured_the_gate_assumes_its_backends_typical_time() -> None:
    from summarizer.api.gate import typical_generation_s

    assert typical_generation_s("embedded") == 20.0  # the extraction benchmark's median, rounded up
    assert typical_generation_s("openai") == typical_generation_s("replay") == 5.0
    gate = GenerationGate(1, 1, initial_estimate_s=typical_generation_s("openai"))
    assert gate.start_estimate_s() == 0.0  # a free slot: no wait
