"""What the gate stands on when a server starts: a remote backend's probe, and the durations its last run
measured (kept in the data dir). The estimates themselves are tested in ``test_gate.py``."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer.api import gate_memory
from summarizer.api.gate import BATCH, GenerationGate
from summarizer.api.gate_memory import FILE_NAME, DurationFile, DurationKey
from summarizer.call_progress import current
from summarizer.llm import LLMClient
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.canned_answers import canned_completion

pytestmark = pytest.mark.anyio
KEY = DurationKey("openai", "fake", "v3")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Answering(httpx2.BaseTransport):
    """Answers every request with ``canned_completion`` (after ``seconds``); keeps the bodies."""

    def __init__(self, seconds: float = 0.0, fail: Callable[[httpx2.Request], httpx2.Response] | None = None):
        self.seconds = seconds
        self.fail = fail
        self.requests: list[dict[str, Any]] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.read())
        self.requests.append(body)
        time.sleep(self.seconds)
        if self.fail is not None:
            return self.fail(request)
        return httpx2.Response(200, json=canned_completion(body))


class Said:
    """Stands in for a module's logger: what it warned."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warning(self, event: str, *args: Any, **context: Any) -> None:
        self.warnings.append(event)


def remote(settings: Settings) -> Settings:
    return settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "fake"})


# -- the probe --------------------------------------------------------------------------------------


def test_warming_up_a_remote_backend_times_one_minimal_completion(settings: Settings) -> None:
    model = Answering(seconds=0.05)
    llm = LLMClient(remote(settings), transport=model)
    llm.warm_up()
    assert llm.probe_s is not None and 0.05 <= llm.probe_s < 5
    [probe] = model.requests  # through the summaries' transport and model; answered by the canned answers
    assert probe["model"] == "fake" and probe["max_tokens"] == 1
    assert [m["role"] for m in probe["messages"]] == ["user"] and "response_format" not in probe
    llm.warm_up()  # the server's start-up after an earlier warm-up: not again
    assert len(model.requests) == 1


@pytest.mark.parametrize("backend", ["embedded", "replay"])
def test_the_embedded_model_and_replay_are_not_probed(settings: Settings, backend: str) -> None:
    model = Answering()
    llm = LLMClient(settings.model_copy(update={"backend": backend}), transport=model)
    llm.warm_up()
    assert llm.probe() is None and llm.probe_s is None and model.requests == []


@pytest.mark.parametrize(
    "fail",
    [
        lambda request: httpx2.Response(500, json={"error": {"message": "injected 500"}}),
        lambda request: httpx2.Response(200, text="<html>a proxy's page</html>"),
        lambda request: httpx2.Response(200, json={"error": "no choices"}),
    ],
    ids=["http-500", "not-json", "no-completion"],
)
def test_a_failed_probe_is_logged_and_nobodys_pace(
    settings: Settings, caplog: pytest.LogCaptureFixture, fail: Callable[[httpx2.Request], httpx2.Response]
) -> None:
    model = Answering(fail=fail)
    llm = LLMClient(remote(settings), transport=model)
    llm.warm_up()  # never raises: the summaries will say what is wrong
    assert llm.probe_s is None and len(model.requests) == 1  # once: no retries for a probe
    assert "start-up probe failed" in caplog.text


def test_an_unreachable_backend_fails_the_probe_softly(settings: Settings) -> None:
    class Refusing(httpx2.BaseTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            raise httpx2.ConnectError("injected connection refused", request=request)

    llm = LLMClient(remote(settings), transport=Refusing())
    assert llm.probe() is None and llm.probe_s is None


async def test_the_server_probes_a_remote_backend_at_start_up_and_the_gate_paces_by_it(settings: Settings) -> None:
    model = Answering()
    app = build_app(settings, transport=model, api_probe=True)
    llm, gate = app.state.summarizer.llm, app.state.gate
    async with client_for(app):
        deadline = time.monotonic() + 10
        while llm.probe_s is None and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        with gate.hold(BATCH):  # while the server runs (stopping closes the gate)
            current().plan(3)
            assert gate.state().basis == "probe"
    assert llm.probe_s is not None and len(model.requests) == 1


async def test_no_probe_when_switched_off(settings: Settings) -> None:
    model = Answering()
    app = build_app(settings, transport=model, api_probe=False)
    async with client_for(app):
        await asyncio.sleep(0.2)
    assert app.state.summarizer.llm.probe_s is None and model.requests == []


# -- the measured durations, across restarts ----------------------------------------------------------


def measure(gate: GenerationGate, clock: Clock, *seconds: float) -> None:
    for duration in seconds:
        with gate.hold(BATCH):
            clock.now += duration


def test_the_measured_durations_outlive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    clock = Clock()
    measure(GenerationGate(1, 1, memory=DurationFile(path, KEY), samples=3, clock=clock), clock, 9, 2, 3, 4)
    restarted = GenerationGate(1, 1, initial_estimate_s=20, memory=DurationFile(path, KEY), samples=3, clock=clock)
    state = restarted.state()
    assert state.basis == "median" and state.median_s == 3  # the last three: 2, 3, 4 s
    assert json.loads(path.read_text())["entries"] == [
        {"backend": "openai", "model": "fake", "prompt_version": "v3", "durations_s": [2, 3, 4]}
    ]
    other = DurationKey("openai", "fake", "v5")  # another prompt takes its own time
    elsewhere = GenerationGate(1, 1, initial_estimate_s=20, memory=DurationFile(path, other), clock=clock)
    assert elsewhere.state().basis == "prior"
    measure(elsewhere, clock, 1)
    assert GenerationGate(1, 1, memory=DurationFile(path, KEY)).state().median_s == 3  # kept beside it
    assert GenerationGate(1, 1, memory=DurationFile(path, other)).state().median_s == 1
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no temporary file left


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b'{"version": 1, "entries": [{"backend": "openai", "model": "fake", "prompt_version": "v3", '
        b'"durations_s": ["x"]}]}',
        b'{"version": 1, "entries": [{"backend": "openai", "model": "fake", "prompt_version": "v3", '
        b'"durations_s": [-1]}]}',
        b'{"version": 1, "entries": [{"backend": "openai", "durations_s": [1]}]}',
        b'{"version": 2, "entries": []}',
        b"[1, 2]",
    ],
    ids=["not-json", "not-utf8", "not-a-number", "negative", "no-key", "other-version", "not-an-object"],
)
def test_a_corrupt_durations_file_is_logged_ignored_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    said = Said()
    monkeypatch.setattr(gate_memory, "log", said)
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    clock = Clock()
    gate = GenerationGate(1, 1, initial_estimate_s=20, memory=DurationFile(path, KEY), clock=clock)
    assert gate.state().basis == "prior" and gate.state().median_s is None
    assert said.warnings == ["ignoring the gate's measured durations"]
    measure(gate, clock, 2)
    assert GenerationGate(1, 1, memory=DurationFile(path, KEY)).state().median_s == 2


def test_durations_that_cannot_be_written_are_logged_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = Said()
    monkeypatch.setattr(gate_memory, "log", said)
    (tmp_path / "data").write_text("a file where the data dir should be")
    clock = Clock()
    gate = GenerationGate(1, 1, memory=DurationFile(tmp_path / "data" / FILE_NAME, KEY), clock=clock)
    measure(gate, clock, 2, 3)  # generations go on
    assert gate.state().median_s == 2.5
    assert said.warnings == ["ignoring the gate's measured durations", "cannot keep the gate's measured durations"]


async def test_a_request_writes_its_duration_off_the_event_loop(tmp_path: Path) -> None:
    class Recorded(DurationFile):
        def save(self, durations: Sequence[float]) -> None:
            threads.append(threading.current_thread())
            super().save(durations)

    threads: list[threading.Thread] = []
    gate = GenerationGate(1, 1, memory=Recorded(tmp_path / FILE_NAME, KEY))
    async with gate.slot():
        pass
    assert threads and threading.main_thread() not in threads  # the loop thread never waits for the disk
    assert GenerationGate(1, 1, memory=DurationFile(tmp_path / FILE_NAME, KEY)).state().median_s is not None


async def test_a_restarted_server_estimates_from_what_its_last_run_measured(settings: Settings) -> None:
    model = Answering()
    first = build_app(settings, transport=model, prompt_version="v3")
    text = "Gunmen attacked a police convoy near Herat on Friday, killing three officers, officials said."
    async with client_for(first) as client:
        assert (await client.post("/v1/summaries", json={"text": text})).status_code == 200
    measured = first.state.gate.state().median_s
    assert measured is not None
    restarted = build_app(settings, transport=model, prompt_version="v3").state.gate.state()
    assert restarted.basis == "median" and restarted.median_s == pytest.approx(measured, abs=0.001)
    assert (settings.data_dir / FILE_NAME).is_file()
    other_prompt = build_app(settings, transport=model, prompt_version="v5").state.gate.state()
    assert other_prompt.basis == "prior"
