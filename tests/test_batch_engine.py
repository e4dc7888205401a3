"""The batch engine against a real local HTTP server that injects faults: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from summarizer.batch import BatchJob, BatchPaths, BatchRunner, BatchStats, BatchStatus
from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings
from tests.fake_openai_server import FakeConfig, articles, fake_openai_server

VALIDATOR = jsonschema.Draft202012Validator(load(bundled_schemas_dir()))


def settings_for(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    options: dict[str, Any] = {
        "backend": "openai",
        "base_url": base_url,
        "api_key": "x",
        "request_timeout_s": 1.0,
        "retry_max_wait_s": 0.05,
        "max_transient_retries": 2,
        "max_validation_retries": 1,
        "data_dir": tmp_path / "data",
        "prompt_version": "v1",  # one request per article, so request counts and rates are per article
        **overrides,
    }
    return Settings(**options)


def write_jsonl(path: Path, records: Sequence[dict[str, Any]], extra_lines: Sequence[str] = ()) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "".join(x + "\n" for x in extra_lines))
    return path


def outcome_ids(paths: BatchPaths) -> tuple[list[str], list[dict[str, Any]]]:
    """Ids of the output lines (through the journal) and the failure records; checks every output line."""
    out_lines = paths.out.read_bytes().splitlines(keepends=True)
    journal = [json.loads(raw) for raw in paths.journal.read_bytes().splitlines()]
    assert len(out_lines) == len(journal)
    for raw, entry in zip(out_lines, journal, strict=True):
        assert raw.endswith(b"\n")
        record = json.loads(raw)
        VALIDATOR.validate(record)
        assert len(raw) == entry["length"]
        assert record["article"]["id"] == entry["id"]
    failures = [json.loads(raw) for raw in paths.failures.read_bytes().splitlines()] if paths.failures.exists() else []
    return [e["id"] for e in journal], failures


def assert_exactly_once(paths: BatchPaths, expected: set[str]) -> tuple[list[str], list[dict[str, Any]]]:
    done, failures = outcome_ids(paths)
    everything = done + [f["id"] for f in failures]
    assert len(everything) == len(set(everything)), "an article was written twice"
    assert set(everything) == expected, "an article was lost"
    for failure in failures:
        assert set(failure) == {"id", "origin", "error_type", "reason", "attempts"}
        assert failure["reason"] and failure["error_type"]
    return done, failures


def test_every_article_ends_summarized_or_failed_with_a_reason(tmp_path: Path) -> None:
    records = list(articles(24))
    # Scripted faults, each keyed by an article's marker (its id, which is in its text):
    script = {
        "art-0001": ["429", "ok"],  # Retry-After honoured, then succeeds
        "art-0002": ["500", "503", "ok"],  # recovers within the transient retries
        "art-0003": ["hang", "ok"],  # one timeout, then succeeds
        "art-0004": ["invalid_json", "ok"],  # re-asked, then valid
        "art-0005": ["429"],  # rate limited on every attempt: fails
        "art-0006": ["500"],  # server error on every attempt: fails
        "art-0007": ["hang"],  # times out on every attempt: fails
        "art-0008": ["invalid_json"],  # invalid output after the re-asks: fails
        "art-0009": ["400"],  # the backend refuses the article: fails
        "art-0010": ["bad_body"],  # the HTTP body is not JSON: fails
    }
    records.append({"id": "empty", "text": "   "})
    records.append({"id": "too-long", "text": "word " * 400})
    records.append({"id": "binary", "text": "\x01\x02\x03\x04\x05\x06\x07\x08" * 20})
    records.append({"id": "x" * 250, "text": "An article whose id is too long to echo in the result."})
    path = write_jsonl(tmp_path / "in.jsonl", records, ["{broken json"])
    config = FakeConfig(latency_s=0.02, script=script, retry_after_s=0.05, hang_s=3.0)
    with fake_openai_server(config) as server:
        settings = settings_for(server.base_url, tmp_path, max_article_chars=1500)
        job = BatchJob(input=str(path), out=tmp_path / "out" / "out.jsonl", concurrency=6)
        report = BatchRunner(job, settings).run()
    assert report.status is BatchStatus.completed
    assert report.exit_code == 1
    expected = {r["id"] for r in records} | {"line-29"}
    done, failures = assert_exactly_once(job.paths, expected)
    by_id = {f["id"]: f for f in failures}
    assert set(done) == {f"art-{i:04d}" for i in range(24)} - {f"art-{i:04d}" for i in range(5, 11)}
    assert by_id["art-0005"]["error_type"] == "RateLimited"
    assert by_id["art-0006"]["error_type"] == "BackendResponseError" and "500" in by_id["art-0006"]["reason"]
    assert by_id["art-0007"]["error_type"] == "BackendTimeout"
    assert by_id["art-0008"]["error_type"] == "ExtractionError"
    assert by_id["art-0009"]["error_type"] == "BackendResponseError" and "400" in by_id["art-0009"]["reason"]
    assert by_id["art-0010"]["reason"]
    assert by_id["art-0006"]["attempts"] == 3 and by_id["art-0007"]["attempts"] == 3
    assert "after 3 attempt(s)" in by_id["art-0005"]["reason"]  # (RateLimited does not carry its attempts)
    assert by_id["empty"]["error_type"] == "InputError" and "whitespace" in by_id["empty"]["reason"]
    assert "more than the limit" in by_id["too-long"]["reason"]
    assert "binary" in by_id["binary"]["reason"]
    assert by_id["line-29"]["origin"] == f"{path}:29" and "not valid JSON" in by_id["line-29"]["reason"]
    assert "id cannot be kept" in by_id["x" * 250]["reason"]
    first = json.loads(job.paths.out.read_bytes().splitlines()[done.index("art-0000")])
    assert first["article"] == {
        "id": "art-0000",
        "title": "Report 0",
        "url": None,
        "source": None,
        "published_at": None,
        "byline": None,
    }
    stats = report.stats
    assert (stats.done, stats.failed, report.failures_total) == (18, 11, 11)
    assert stats.prompt_tokens > 0 and stats.requests >= 18


def test_random_faults_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    records = articles(40, prefix="rnd")
    path = write_jsonl(tmp_path / "in.jsonl", records)
    faults = {"429": 0.1, "500": 0.1, "hang": 0.03, "invalid_json": 0.1, "bad_body": 0.03}
    with fake_openai_server(latency_s=0.01, faults=faults, seed=7, retry_after_s=0.02) as server:
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", concurrency=8)
        report = BatchRunner(job, settings_for(server.base_url, tmp_path)).run()
        assert server.stats.by_action["ok"] >= report.stats.done
    assert report.status is BatchStatus.completed
    done, _ = assert_exactly_once(job.paths, {r["id"] for r in records})
    assert len(done) >= 30


def test_resume_skips_what_is_done_and_uses_the_cache(tmp_path: Path) -> None:
    records = articles(12, prefix="res")
    path = write_jsonl(tmp_path / "in.jsonl", records)
    with fake_openai_server(latency_s=0.05) as server:
        settings = settings_for(server.base_url, tmp_path)
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", concurrency=2)
        runner = BatchRunner(job, settings)

        def stop_after_four(stats: BatchStats) -> None:
            if stats.done >= 4:
                runner.stop()

        runner.on_progress = stop_after_four
        runner.progress_interval_s = 0.0
        first = runner.run()
        assert first.status is BatchStatus.interrupted and first.exit_code == 130
        assert 4 <= first.stats.done < 12
        second = BatchRunner(job, settings).run()
        third = BatchRunner(job, settings).run()
    assert second.status is BatchStatus.completed and second.exit_code == 0
    assert second.stats.skipped == first.stats.done
    assert second.stats.done == 12 - first.stats.done
    assert third.stats.skipped == 12 and third.stats.done == 0
    assert_exactly_once(job.paths, {r["id"] for r in records})
    with fake_openai_server() as server:  # the cache answers; the server is not asked
        fresh = job.model_copy(update={"fresh": True})
        report = BatchRunner(fresh, settings.model_copy(update={"base_url": server.base_url})).run()
        assert server.stats.requests == 0
    assert report.stats.cached == 12


def test_unreachable_backend_stops_the_batch_without_failing_articles(tmp_path: Path) -> None:
    with fake_openai_server() as server:
        base_url = server.base_url  # the port is closed once the server stops
    path = write_jsonl(tmp_path / "in.jsonl", articles(5))
    job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", concurrency=2)
    report = BatchRunner(job, settings_for(base_url, tmp_path, max_transient_retries=0)).run()
    assert report.status is BatchStatus.aborted and report.exit_code == 3
    assert "cannot reach" in (report.message or "")
    assert job.paths.failures.read_bytes() == b""  # left undone, for the resume


def test_rate_limit_budget_is_kept(tmp_path: Path) -> None:
    # The server allows 600/min, enforced per second; the client, told the same budget, never gets a 429.
    path = write_jsonl(tmp_path / "in.jsonl", articles(16, prefix="rl"))
    with fake_openai_server(latency_s=0.05, rpm=600, burst=10) as server:
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", rpm=600)
        report = BatchRunner(job, settings_for(server.base_url, tmp_path)).run()
        assert server.stats.by_action["429"] == 0
        accepted = sorted(server.stats.accepted_at)
    assert report.stats.done == 16
    # 10/s after a burst of half a second's worth: 1.1 s from first to last, less the arrival jitter of a busy machine
    assert accepted[-1] - accepted[0] >= (16 - 5) / 10 - 0.25


def test_server_rate_limit_is_honoured_via_retry_after(tmp_path: Path) -> None:
    # No budget given: the server's 429s with Retry-After slow the batch down, and nothing fails.
    path = write_jsonl(tmp_path / "in.jsonl", articles(10, prefix="ra"))
    with fake_openai_server(rpm=1200, burst=2) as server:
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", concurrency=4)
        settings = settings_for(server.base_url, tmp_path, max_transient_retries=8, retry_max_wait_s=0.5)
        report = BatchRunner(job, settings).run()
        assert server.stats.by_action["429"] > 0
    assert report.stats.done == 10 and report.stats.failed == 0


def test_stop_from_another_thread(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", articles(30, prefix="thr"))
    with fake_openai_server(latency_s=0.05) as server:
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", concurrency=2)
        runner = BatchRunner(job, settings_for(server.base_url, tmp_path))
        timer = threading.Timer(0.3, runner.stop)
        timer.start()
        report = runner.run()
        timer.join()
    assert report.status is BatchStatus.interrupted
    assert report.stats.in_flight == 0
    assert 0 < report.stats.done < 30
    done, failures = outcome_ids(job.paths)
    assert len(done) == report.stats.done and not failures


@pytest.mark.parametrize("kind", ["folder", "stdin"])
def test_folder_and_stdin_inputs(tmp_path: Path, kind: str) -> None:
    import io

    records = articles(3, prefix=kind)
    stdin = None
    if kind == "folder":
        folder = tmp_path / "articles"
        folder.mkdir()
        for r in records:
            (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
        (folder / "empty.md").write_text("", encoding="utf-8")
        spec, expected = str(folder), {f"{r['id']}.txt" for r in records} | {"empty.md"}
    else:
        stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in records).encode())
        spec, expected = "-", {r["id"] for r in records}
    with fake_openai_server() as server:
        job = BatchJob(input=spec, out=tmp_path / "out.jsonl")
        report = BatchRunner(job, settings_for(server.base_url, tmp_path), stdin=stdin).run()
    assert report.stats.done == 3
    _, failures = assert_exactly_once(job.paths, expected)
    if kind == "folder":
        assert [f["id"] for f in failures] == ["empty.md"]
        assert report.stats.total == 4


def test_retry_failed_retries_only_the_failures(tmp_path: Path) -> None:
    records = articles(4, prefix="rf")
    path = write_jsonl(tmp_path / "in.jsonl", records)
    with fake_openai_server(script={"rf-0002": ["400"]}) as server:
        settings = settings_for(server.base_url, tmp_path)
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl")
        first = BatchRunner(job, settings).run()
        assert (first.stats.done, first.stats.failed, first.exit_code) == (3, 1, 1)
        server.config.script = {}
        again = BatchRunner(job, settings).run()
        assert (again.stats.skipped, again.stats.done, again.exit_code) == (4, 0, 1)
        retried = BatchRunner(job.model_copy(update={"retry_failed": True}), settings).run()
    assert (retried.stats.skipped, retried.stats.done, retried.exit_code) == (3, 1, 0)
    done, failures = assert_exactly_once(job.paths, {r["id"] for r in records})
    assert not failures and len(done) == 4


def test_tokens_per_minute_budget_alone(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", articles(6, prefix="tpm"))
    with fake_openai_server(latency_s=0.01) as server:
        job = BatchJob(input=str(path), out=tmp_path / "out.jsonl", tpm=2_000_000)
        runner = BatchRunner(job, settings_for(server.base_url, tmp_path))
        report = runner.run()
    assert report.stats.done == 6 and runner.limiter is not None
    per_request = report.stats.tokens / 6
    assert runner.limiter.requests_per_second() == pytest.approx(2_000_000 / 60 / per_request, rel=0.01)
