"""The batch-API engine (``summarizer batch --engine batch-api``) against a fake files+batches server.

What must hold: the output equals the live engine's for the same answers (recorded or canned); a run
killed mid-poll re-attaches to its batch instead of paying twice; expired, cancelled, failed and partly
failed batches end every article in the output or the failures file, with a reason.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarizer.analysis import nlp
from summarizer.backends.replay import request_hash
from summarizer.batch import BatchJob, BatchPaths, BatchRunner, BatchStatus
from summarizer.batch.remote.engine import RemoteBatchRunner
from summarizer.batch.remote.requests import PendingRequest, RequestTooLarge, split
from summarizer.batch.remote.state import remote_dir
from summarizer.settings import Settings
from tests.canned_answers import canned_completion
from tests.conftest import RECORDINGS, SEEDS
from tests.fake_batch_server import BatchFakeConfig, fake_batch_server
from tests.fake_openai_server import FakeConfig, articles, fake_openai_server
from tests.fakes import completion
from tests.test_batch_cli import wait_for
from tests.test_batch_engine import assert_exactly_once, outcome_ids, write_jsonl

VOLATILE = ("latency_ms", "llm_latency_ms", "created_at", "served_at")
HOW_ASKED = ("endpoint", "request_mode")  # the server asked and how: what tells a batch-API result apart
NEWS = sorted((Path(__file__).parent / "data" / "news").glob("*.txt"))


def comparable(paths: BatchPaths) -> dict[str, dict[str, Any]]:
    """Output lines by article id, without the fields that differ between any two runs (times)."""
    lines = {}
    for raw in paths.out.read_text(encoding="utf-8").splitlines():
        record = json.loads(raw)
        for name in (*VOLATILE, *HOW_ASKED):
            record["provenance"].pop(name)
        lines[record["article"]["id"]] = record
    return lines


def openai_settings(base_url: str, tmp_path: Path, name: str, **overrides: Any) -> Settings:
    options: dict[str, Any] = {
        "backend": "openai",
        "base_url": base_url,
        "api_key": "x",
        "data_dir": tmp_path / name,
        "max_validation_retries": 1,
        **overrides,
    }
    return Settings(**options)


def batch_api_job(source: Path | str, out: Path, **options: Any) -> BatchJob:
    return BatchJob(input=str(source), out=out, engine="batch-api", poll_interval_s=0.01, **options)


def live_run(source: Path | str, tmp_path: Path, **overrides: Any) -> BatchPaths:
    """The live engine on the same input, answered by the fake chat endpoint with the same canned answers."""
    out = tmp_path / "live.jsonl"
    with fake_openai_server(FakeConfig(answer=canned_completion)) as chat:
        settings = openai_settings(chat.base_url, tmp_path, "live-data", **overrides)
        report = BatchRunner(BatchJob(input=str(source), out=out), settings).run()
    assert report.status is BatchStatus.completed and report.stats.failed == 0
    return BatchPaths.for_output(out)


def folder(tmp_path: Path, files: Sequence[Path]) -> Path:
    directory = tmp_path / "articles"
    directory.mkdir()
    for path in files:
        (directory / path.name).write_bytes(path.read_bytes())
    return directory


# -- the same answers give the same results ------------------------------------------------------


def recorded_answer() -> Any:
    """Answers from the replay recordings (``tests/recordings``), found by the request body's hash."""
    answers = {}
    for path in RECORDINGS.glob("*.json"):
        for exchange in json.loads(path.read_text(encoding="utf-8"))["exchanges"]:
            answers[exchange["request_sha256"]] = exchange["response"]
    return lambda body: answers[request_hash(body)]


def test_batch_api_equals_the_live_replay_run_on_recorded_answers(settings: Settings, tmp_path: Path) -> None:
    source = folder(tmp_path, SEEDS)
    live = BatchPaths.for_output(tmp_path / "live.jsonl")
    report = BatchRunner(BatchJob(input=str(source), out=live.out), settings).run()  # the replay backend
    assert report.stats.done == len(SEEDS)
    with fake_batch_server(answer=recorded_answer()) as server:
        batched = settings.model_copy(update={"base_url": server.base_url, "data_dir": tmp_path / "batch-data"})
        job = batch_api_job(source, tmp_path / "batch.jsonl")
        report = RemoteBatchRunner(job, batched).run()
    assert report.status is BatchStatus.completed and report.stats.done == len(SEEDS)
    assert server.stats["creations"] == 1  # "candidates": every question of every article in one round
    done, failures = outcome_ids(job.paths)  # every line validates against the committed schema
    assert sorted(done) == sorted(p.name for p in SEEDS) and failures == []
    assert comparable(job.paths) == comparable(live)


@pytest.mark.parametrize("prompt_version", ["v3", "v5"])
def test_batch_api_equals_the_live_engine_on_canned_answers(tmp_path: Path, prompt_version: str) -> None:
    source = folder(tmp_path, [*SEEDS, *NEWS])
    live = live_run(source, tmp_path, prompt_version=prompt_version)
    with fake_batch_server() as server:
        settings = openai_settings(server.base_url, tmp_path, "batch-data", prompt_version=prompt_version)
        job = batch_api_job(source, tmp_path / "batch.jsonl")
        parsed_before = nlp.parses_made[0]
        report = RemoteBatchRunner(job, settings).run()
        parses = nlp.parses_made[0] - parsed_before
    assert report.status is BatchStatus.completed and report.stats.done == len(SEEDS) + len(NEWS)
    assert server.stats["creations"] == 1
    assert comparable(job.paths) == comparable(live)
    # two rounds (ask, then read the answers), one parse of each article: the second round reads it back
    assert parses == report.stats.done
    for path, mode, endpoint in ((job.paths, "batch-api", server.base_url), (live, "live", None)):
        for raw in path.out.read_text(encoding="utf-8").splitlines():
            provenance = json.loads(raw)["provenance"]
            assert provenance["request_mode"] == mode
            assert provenance["endpoint"] is not None and provenance["endpoint"].startswith("http://127.0.0.1:")
            if endpoint is not None:
                assert provenance["endpoint"] == endpoint.rstrip("/")
    # the input files stay for a look, or for vLLM's run_batch: one request per line, in OpenAI's format
    line = json.loads((remote_dir(job.paths) / "requests-0001.jsonl").read_text().splitlines()[0])
    assert line["method"] == "POST" and line["url"] == "/v1/chat/completions" and line["body"]["messages"]


def test_a_cached_article_makes_no_request_and_a_rerun_submits_nothing(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", articles(4))
    with fake_batch_server() as server:
        settings = openai_settings(server.base_url, tmp_path, "data", prompt_version="v1")
        RemoteBatchRunner(batch_api_job(source, tmp_path / "a.jsonl"), settings).run()
        report = RemoteBatchRunner(batch_api_job(source, tmp_path / "b.jsonl"), settings).run()
    assert report.stats.done == 4 and report.stats.cached == 4
    assert server.stats["creations"] == 1


# -- killed mid-poll, resumed without paying twice ------------------------------------------------


def test_killed_mid_poll_resumes_without_resubmitting(tmp_path: Path) -> None:
    source = folder(tmp_path, [*SEEDS, *NEWS])
    out = tmp_path / "out.jsonl"
    stderr_path = tmp_path / "stderr.txt"
    with fake_batch_server(polls_in_progress=10_000) as server:
        command = [
            sys.executable,
            "-m",
            "summarizer.cli",
            "batch",
            str(source),
            "--out",
            str(out),
            "--engine",
            "batch-api",
            "--poll-interval",
            "0.02",
            "--progress-interval",
            "0.1",
            "--backend",
            "openai",
            "--base-url",
            server.base_url,
        ]
        env = {**os.environ, "SUMMARIZER_API_KEY": "x", "SUMMARIZER_PROMPT_VERSION": "v3"}
        with stderr_path.open("ab") as stderr:
            process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
            )
            try:
                wait_for(lambda: server.stats["polls"] >= 3 or process.poll() is not None, timeout_s=120)
                process.send_signal(signal.SIGKILL)
                assert process.wait(timeout=30) == -signal.SIGKILL
            finally:
                if process.poll() is None:
                    process.kill()
        assert (server.stats["creations"] == 1 and not out.exists()) or out.stat().st_size == 0
        server.config.polls_in_progress = 1  # the provider gets on with it
        with stderr_path.open("ab") as stderr:
            resumed = subprocess.run(
                command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
            )
        assert resumed.returncode == 0, stderr_path.read_text()
    assert server.stats["creations"] == 1 and server.stats["uploads"] == 1  # re-attached, not re-submitted
    paths = BatchPaths.for_output(out)
    assert_exactly_once(paths, {p.name for p in [*SEEDS, *NEWS]})
    assert comparable(paths) == comparable(live_run(source, tmp_path, prompt_version="v3"))
    assert "provider round 1: batches" in stderr_path.read_text()  # the poll's progress, in plain lines


def test_a_batch_created_but_not_journaled_is_found_not_created_again(tmp_path: Path) -> None:
    """Killed between creating the batch and journaling its id: the resumed run finds it by its input file."""
    source = write_jsonl(tmp_path / "in.jsonl", articles(3))
    job = batch_api_job(source, tmp_path / "out.jsonl")
    with fake_batch_server() as server:
        settings = openai_settings(server.base_url, tmp_path, "data", prompt_version="v1")
        runner = RemoteBatchRunner(job, settings)
        runner.provider.create = _create_then_die(runner.provider.create)  # type: ignore[method-assign]
        with pytest.raises(_Killed):
            runner.run()
        report = RemoteBatchRunner(job, settings).run()
    assert report.status is BatchStatus.completed and report.stats.done == 3
    assert server.stats["creations"] == 1


class _Killed(BaseException):
    pass


def _create_then_die(create: Any) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        create(*args, **kwargs)
        raise _Killed

    return wrapped


# -- batches that end badly ---------------------------------------------------------------------


def test_expired_cancelled_failed_and_partly_failed_batches_end_every_article_with_a_reason(tmp_path: Path) -> None:
    records = articles(16)
    source = write_jsonl(tmp_path / "in.jsonl", records)
    broken = records[1]["id"]  # its request gets an HTTP 500 in a batch that completes
    config = BatchFakeConfig(
        outcomes=["completed", "expired", "cancelled", "failed"],
        answered_fraction=0.5,
        fail_request=lambda custom_id, body: 500 if f"[{broken}]" in json.dumps(body) else None,
    )
    job = batch_api_job(source, tmp_path / "out.jsonl", max_file_requests=4)  # one request per article: 4 batches
    with fake_batch_server(config) as server:
        settings = openai_settings(server.base_url, tmp_path, "data", prompt_version="v1")
        report = RemoteBatchRunner(job, settings).run()
        assert server.stats["creations"] == 4
    assert report.status is BatchStatus.completed
    done, failures = assert_exactly_once(job.paths, {r["id"] for r in records})
    reasons = {f["id"]: f["reason"] for f in failures}
    assert "HTTP 500: injected 500" in reasons[broken]
    assert sum("batch_expired" in r for r in reasons.values()) == 2  # half of the expired batch's 4
    assert sum("cancelled before answering it" in r for r in reasons.values()) == 2
    assert sum("failed: invalid_request: injected validation failure" in r for r in reasons.values()) == 4
    assert len(done) == 3 + 2 + 2 and all(f["error_type"] == "BatchRequestFailed" for f in failures)
    assert report.exit_code == 1

    # --retry-failed submits the failed articles' requests again (earlier failure reasons are forgotten)
    server_config = BatchFakeConfig()
    with fake_batch_server(server_config) as server:
        settings = settings.model_copy(update={"base_url": server.base_url})
        retry = batch_api_job(source, tmp_path / "out.jsonl", max_file_requests=4, retry_failed=True)
        report = RemoteBatchRunner(retry, settings).run()
        assert server.stats["creations"] == 3  # 9 requests in files of 4
    assert report.exit_code == 0 and report.stats.done == 9
    assert_exactly_once(job.paths, {r["id"] for r in records})


def test_an_answer_that_fails_validation_is_re_asked_in_a_second_round(tmp_path: Path) -> None:
    def answer(body: dict[str, Any]) -> dict[str, Any]:
        if len(body["messages"]) == 2:  # the first ask; a re-ask carries the bad answer and the error
            return completion("{not json at all")
        return canned_completion(body)

    source = write_jsonl(tmp_path / "in.jsonl", articles(3))
    job = batch_api_job(source, tmp_path / "out.jsonl")
    with fake_batch_server(answer=answer) as server:
        settings = openai_settings(server.base_url, tmp_path, "data", prompt_version="v1")
        report = RemoteBatchRunner(job, settings).run()
        assert server.stats["creations"] == 2
    assert report.stats.done == 3 and report.stats.requests == 6  # two attempts each, as a live run counts them
    for record in comparable(job.paths).values():
        assert record["provenance"]["attempts"] == 2


def test_an_unreachable_provider_stops_the_batch_resumably(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", articles(2))
    job = batch_api_job(source, tmp_path / "out.jsonl")
    settings = openai_settings("http://127.0.0.1:9/v1", tmp_path, "data", prompt_version="v1")
    runner = RemoteBatchRunner(job, settings)
    runner.provider.client = runner.provider.client.with_options(max_retries=0)
    report = runner.run()
    assert report.status is BatchStatus.aborted and "batch provider" in (report.message or "")
    assert not job.paths.failures.read_bytes()  # nothing failed: the articles wait for the resumed run


# -- input files at the provider's limits ------------------------------------------------------


def test_requests_are_split_at_the_count_and_byte_limits() -> None:
    requests = [PendingRequest(f"id-{i}", {"messages": [{"role": "user", "content": "x" * 100}]}) for i in range(10)]
    size = len(requests[0].line())
    assert [len(g) for g in split(requests, max_requests=4)] == [4, 4, 2]
    assert [len(g) for g in split(requests, max_bytes=size * 3)] == [3, 3, 3, 1]
    assert all(sum(len(line) for _, line in g) <= size * 3 for g in split(requests, max_bytes=size * 3))
    with pytest.raises(RequestTooLarge):
        list(split(requests, max_bytes=size - 1))


def test_a_request_too_large_for_any_file_fails_its_article_alone(tmp_path: Path) -> None:
    records = [*articles(2), {"id": "huge", "text": "Officials said the strike killed 3. " * 1000}]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    job = batch_api_job(source, tmp_path / "out.jsonl", max_file_bytes=30_000)
    with fake_batch_server() as server:
        settings = openai_settings(server.base_url, tmp_path, "data", prompt_version="v1")
        report = RemoteBatchRunner(job, settings).run()
    done, failures = assert_exactly_once(job.paths, {r["id"] for r in records})
    assert sorted(done) == ["art-0000", "art-0001"] and report.exit_code == 1
    assert failures[0]["id"] == "huge" and "file limit" in failures[0]["reason"]


# -- answered offline (vLLM's run_batch reads and writes the same format) --------------------------


def run_batch_like(input_path: Path, output_path: Path) -> None:
    """What ``python -m vllm.entrypoints.openai.run_batch -i IN -o OUT`` does, with the canned answers."""
    with input_path.open() as source, output_path.open("w") as out:
        for number, raw in enumerate(source):
            line = json.loads(raw)
            response = {"status_code": 200, "request_id": f"vllm-{number}", "body": canned_completion(line["body"])}
            out.write(json.dumps({"id": f"vllm-{number}", "custom_id": line["custom_id"], "response": response}) + "\n")


def test_no_submit_writes_the_requests_and_answers_files_complete_the_batch(tmp_path: Path) -> None:
    source = folder(tmp_path, [*SEEDS, *NEWS])
    settings = Settings(backend="openai", api_key="x", data_dir=tmp_path / "data", prompt_version="v3")
    job = batch_api_job(source, tmp_path / "out.jsonl", submit=False)
    report = RemoteBatchRunner(job, settings).run()
    assert report.status is BatchStatus.interrupted and report.stats.done == 0
    written = sorted(remote_dir(job.paths).glob("offline-*.jsonl"))
    assert len(written) == 1 and len(written[0].read_text().splitlines()) == 5 * (len(SEEDS) + len(NEWS))
    answers = tmp_path / "answers.jsonl"
    run_batch_like(written[0], answers)
    report = RemoteBatchRunner(batch_api_job(source, job.out, submit=False, answers=[answers]), settings).run()
    assert report.status is BatchStatus.completed and report.stats.done == len(SEEDS) + len(NEWS)
    with fake_openai_server(FakeConfig(answer=canned_completion)) as chat:  # the same model name as above
        live_settings = settings.model_copy(update={"base_url": chat.base_url, "data_dir": tmp_path / "live-data"})
        BatchRunner(BatchJob(input=str(source), out=tmp_path / "live.jsonl"), live_settings).run()
    assert comparable(job.paths) == comparable(BatchPaths.for_output(tmp_path / "live.jsonl"))
