"""``summarizer batch``: exit codes, reports, and surviving SIGKILL and Ctrl-C in a real subprocess."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from summarizer.batch import BatchPaths, BatchStats
from summarizer.batch.progress import Reporter
from summarizer.cli import app
from tests.fake_openai_server import FakeOpenAIServer, articles, fake_openai_server
from tests.test_batch_engine import assert_exactly_once, write_jsonl

runner = CliRunner()


def cli_args(server: FakeOpenAIServer, *args: str) -> list[str]:
    return ["batch", *args, "--backend", "openai", "--base-url", server.base_url]


def test_batch_command_summarizes_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for record in articles(4):
        (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    out = tmp_path / "results" / "out.jsonl"
    with fake_openai_server(latency_s=0.01) as server:
        result = runner.invoke(app, cli_args(server, str(folder), "--out", str(out), "--progress-interval", "0.1"))
        assert result.exit_code == 0, result.output
        again = runner.invoke(app, cli_args(server, str(folder), "--out", str(out)))
    assert "batch finished" in result.stderr and "4 summarized" in result.stderr
    assert "summarizer: batch: 0/4" in result.stderr  # a plain progress line: stderr is not a terminal
    assert again.exit_code == 0 and "0 summarized" in again.stderr and "4 already done before" in again.stderr
    assert_exactly_once(BatchPaths.for_output(out), {f"{r['id']}.txt" for r in articles(4)})


def test_failed_articles_exit_1_and_are_listed(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [*articles(2), {"id": "blank", "text": ""}])
    with fake_openai_server() as server:
        result = runner.invoke(app, cli_args(server, str(path), "-o", str(tmp_path / "out.jsonl")))
    assert result.exit_code == 1, result.output
    assert "1 article(s) failed, with reasons in" in result.stderr
    failures = [json.loads(x) for x in (tmp_path / "out.failures.jsonl").read_text().splitlines()]
    assert failures == [
        {
            "id": "blank",
            "origin": f"{path}:3",
            "error_type": "InputError",
            "reason": "the article is empty",
            "attempts": 0,
        }
    ]


def test_a_line_nested_too_deeply_fails_alone_and_the_batch_finishes(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # the JSON decoder's recursion limit, once a traceback and 0 lines
    path = write_jsonl(tmp_path / "in.jsonl", articles(1), extra_lines=[deep, json.dumps(articles(2)[1])])
    out = tmp_path / "out.jsonl"
    with fake_openai_server() as server:
        result = runner.invoke(app, cli_args(server, str(path), "--out", str(out)))
        again = runner.invoke(app, cli_args(server, str(path), "--out", str(out)))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    done, failures = assert_exactly_once(BatchPaths.for_output(out), {"art-0000", "art-0001", "line-2"})
    assert sorted(done) == ["art-0000", "art-0001"]
    [failure] = failures
    assert failure["origin"] == f"{path}:2"
    assert failure["error_type"] == "InputError" and "nests JSON" in failure["reason"]
    assert again.exit_code == 1 and "0 summarized" in again.stderr  # a rerun passes the line too


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    with fake_openai_server() as server:
        missing = runner.invoke(app, cli_args(server, str(tmp_path / "nope"), "--out", str(tmp_path / "o.jsonl")))
        (tmp_path / "theirs.jsonl").write_text('{"not": "ours"}\n')
        (tmp_path / "in.jsonl").write_text('{"text": "x"}\n')
        foreign = runner.invoke(
            app, cli_args(server, str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "theirs.jsonl"))
        )
        bad_rpm = runner.invoke(app, cli_args(server, str(tmp_path / "in.jsonl"), "--out", "o.jsonl", "--rpm", "0"))
    assert missing.exit_code == 2 and "no such file or directory" in missing.stderr
    assert foreign.exit_code == 2 and "--fresh" in foreign.stderr
    assert bad_rpm.exit_code == 2


# -- a real process, killed ----------------------------------------------------------------------


@contextmanager
def batch_process(
    server: FakeOpenAIServer, tmp_path: Path, input_path: Path, out: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "SUMMARIZER_API_KEY": "x",
        "SUMMARIZER_REQUEST_TIMEOUT_S": "5",
        "SUMMARIZER_RETRY_MAX_WAIT_S": "0.1",
    }
    command = [sys.executable, "-m", "summarizer.cli", *cli_args(server, str(input_path), "--out", str(out), "-j", "3")]
    with (tmp_path / "stderr.txt").open("ab") as stderr:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


def journaled(paths: BatchPaths) -> int:
    return paths.journal.read_bytes().count(b"\n") if paths.journal.exists() else 0


def wait_for(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_sigkill_mid_run_then_resume_writes_each_article_exactly_once(tmp_path: Path) -> None:
    records = articles(36, prefix="kill")
    path = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    paths = BatchPaths.for_output(out)
    with fake_openai_server(latency_s=0.1, faults={"500": 0.05}, seed=3) as server:
        for kill_after in (5, 17):
            with batch_process(server, tmp_path, path, out) as process:
                wait_for(lambda n=kill_after: journaled(paths) >= n or process.poll() is not None)
                process.send_signal(signal.SIGKILL)
                assert process.wait(timeout=30) == -signal.SIGKILL
            assert journaled(paths) < len(records), "killed too late to test anything"
        with batch_process(server, tmp_path, path, out) as process:
            assert process.wait(timeout=60) == 0, (tmp_path / "stderr.txt").read_text()
    stderr = (tmp_path / "stderr.txt").read_text()
    assert "already done before" in stderr
    assert_exactly_once(paths, {r["id"] for r in records})


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path: Path) -> None:
    records = articles(30, prefix="int")
    path = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    paths = BatchPaths.for_output(out)
    with fake_openai_server(latency_s=0.1) as server:
        with batch_process(server, tmp_path, path, out) as process:
            wait_for(lambda: journaled(paths) >= 3 or process.poll() is not None)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 130
        stderr = (tmp_path / "stderr.txt").read_text()
        assert "batch interrupted" in stderr
        assert f"to resume, run the same command again: summarizer batch {path} --out {out}" in stderr
        done_before = journaled(paths)
        assert 3 <= done_before < 30
        assert out.read_bytes().count(b"\n") == done_before  # the articles in flight were finished and journaled
        resumed = runner.invoke(app, cli_args(server, str(path), "--out", str(out)))
    assert resumed.exit_code == 0, resumed.output
    assert_exactly_once(paths, {r["id"] for r in records})


def test_ctrl_c_twice_stops_at_once(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", articles(6, prefix="twice"))
    out = tmp_path / "out.jsonl"
    with fake_openai_server(latency_s=5.0) as server, batch_process(server, tmp_path, path, out) as process:
        wait_for(lambda: server.stats.requests >= 3 or process.poll() is not None)
        process.send_signal(signal.SIGINT)
        time.sleep(0.2)
        second = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
        assert time.monotonic() - second < 3.0  # did not wait for the 5-second answers
    assert "to resume, run the same command again" in (tmp_path / "stderr.txt").read_text()
    assert out.read_bytes() == b""


def test_progress_bar_on_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=200)
    with Reporter(console) as reporter:
        reporter.update(BatchStats(total=10, done=3, failed=1, cached=1, prompt_tokens=1000))
        reporter.notice("a notice")
    text = buffer.getvalue()
    assert "3 done" in text and "1 failed" in text and "1 cached" in text and "1,000 tokens" in text
    assert "4/10" in text and "a notice" in text
