"""Batch jobs as rows in PostgreSQL, shared by several instances: claims, leases, results written once.

The lease rules are tested on ``PostgresBatchJobs`` objects driven by hand (two of them are two
instances); the acceptance tests run two real ``summarizer serve`` processes on one database against a
fake model server, and kill (SIGKILL) or freeze (SIGSTOP) one of them mid-batch.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
import pytest
from pydantic import SecretStr

from summarizer import Summarizer
from summarizer.api.batches import BatchManager, prune_job_directories
from summarizer.api.batches_postgres import PostgresBatchJobs
from summarizer.db import postgres
from summarizer.db.prune import prune_postgres
from summarizer.settings import Settings
from tests.db_support import fresh_database
from tests.fake_openai_server import FakeOpenAIServer, articles, fake_openai_server

JSONL = {"content-type": "application/x-ndjson"}


def upload(records: object) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)  # type: ignore[attr-defined]


@pytest.fixture
def database(settings: Settings) -> Iterator[Settings]:
    with fresh_database() as url:
        yield settings.model_copy(update={"database_url": SecretStr(url), "api_batch_lease_s": 0.5})


def instance(settings: Settings) -> PostgresBatchJobs:
    url = settings.resolved_database_url()
    assert url is not None
    return PostgresBatchJobs(url, settings.data_dir / "batches", settings, Summarizer(settings))


def rows(settings: Settings, sql: str, *params: object) -> list[tuple[object, ...]]:
    url = settings.resolved_database_url()
    assert url is not None
    with postgres.connection(url) as conn:
        return conn.execute(sql, params).fetchall()


def seed_records(n: int) -> list[dict[str, str]]:
    from tests.conftest import SEEDS

    return [{"id": f"a{i}", "text": SEEDS[i % len(SEEDS)].read_text()} for i in range(n)]


# -- the lease rules, two instances driven by hand -----------------------------------------------------


def test_a_worker_that_lost_its_lease_writes_nothing(database: Settings) -> None:
    first, second = instance(database), instance(database)
    job = first.create(upload(seed_records(1)), prompt_version=None)
    late = first._claim()
    assert late is not None and second._claim() is None  # held: nobody else takes it
    time.sleep(0.8)  # past the lease, never renewed (first's renewer is not running: it is "frozen")
    taken = second._claim()
    assert taken is not None and (taken.job_id, taken.seq) == (late.job_id, late.seq)
    second._run(taken)
    [(written_claim, finished)] = rows(database, "SELECT claim, finished_at FROM batch_lines")
    first._run(late)  # wakes up with its result: the line is another's and done
    assert rows(database, "SELECT claim, finished_at FROM batch_lines") == [(written_claim, finished)]
    assert written_claim == taken.claim
    state = first.state(job.id)
    assert state is not None and (state.status, state.done, state.failed) == ("completed", 1, 0)


def test_a_renewed_lease_keeps_the_line_and_a_stopping_instance_gives_it_back(database: Settings) -> None:
    first, second = instance(database), instance(database)
    first.create(upload(seed_records(1)), prompt_version=None)
    line = first._claim()
    assert line is not None
    for _ in range(4):  # renewed every third of the lease, as the renewer thread does
        time.sleep(0.2)
        rows(database, "SELECT 1")  # the database's clock moves on
        url = database.resolved_database_url()
        assert url is not None
        with postgres.connection(url) as conn:
            conn.execute(
                "UPDATE batch_lines SET lease_until = now() + interval '0.5 seconds' WHERE claim = %s", (line.claim,)
            )
        assert second._claim() is None
    first.stop()
    again = second._claim()  # given back at once: no wait for the lease
    assert again is not None and again.seq == line.seq


def test_instances_share_the_lines_and_the_job_completes_once_with_each_result_once(database: Settings) -> None:
    instances = [instance(database), instance(database)]
    job = instances[0].create(upload(seed_records(24)), prompt_version=None)
    for jobs in instances:
        jobs.start()
    try:
        deadline = time.monotonic() + 60
        while (state := instances[1].state(job.id)) is not None and state.status != "completed":
            assert time.monotonic() < deadline, state
            time.sleep(0.05)
    finally:
        for jobs in instances:
            jobs.stop()
    assert (state.done, state.failed, state.total) == (24, 0, 24)
    results = instances[0].results(job.id)
    assert results is not None
    assert sorted(article_id for article_id, _ in results) == sorted(f"a{i}" for i in range(24))
    holders = {str(by).split(":")[1] for (by,) in rows(database, "SELECT claimed_by FROM batch_lines")}
    assert holders == {str(os.getpid())}  # both instances are this process: the pid part says who held lines


def test_bad_lines_are_failures_at_once_and_never_stop_the_job(database: Settings) -> None:
    jobs = instance(database)
    data = upload([{"id": "a", "text": "   "}, {"id": "a", "text": "dup"}]) + b"not json\n"
    job = jobs.create(data, prompt_version=None)
    assert job.total == 3
    failures = jobs.failures(job.id)
    assert failures is not None
    origins = sorted(json.loads(line)["origin"] for line in failures.splitlines())
    assert origins == ["line 2", "line 3"]  # a duplicate id and a line that is no JSON; line 1 waits for a worker
    assert jobs.state("bat_" + "0" * 20) is None and jobs.results("bat_" + "0" * 20) is None


def test_prune_removes_ended_jobs_and_keeps_running_ones(database: Settings, tmp_path: Path) -> None:
    jobs = instance(database)
    ended = jobs.create(b"not json\n", prompt_version=None)  # a bad line only: failed and completed at once
    assert jobs._claim() is None
    state = jobs.state(ended.id)
    assert state is not None and (state.status, state.failed) == ("completed", 1)
    with postgres.connection(str(database.resolved_database_url())) as conn:
        open_job = jobs.create(upload(seed_records(1)), prompt_version=None)
        pruned = prune_postgres(conn, datetime.now(UTC) + timedelta(seconds=1))
    assert pruned.rows["batch jobs"] == 1
    assert jobs.state(ended.id) is None and jobs.state(open_job.id) is not None
    assert rows(database, "SELECT count(*) FROM batch_lines") == [(1,)]  # the ended job's lines went with it


def test_prune_removes_ended_job_directories_and_keeps_running_ones(settings: Settings) -> None:
    root = settings.data_dir / "batches"
    jobs = BatchManager(root, settings, Summarizer(settings))
    ended = jobs.create(upload([{"id": "x", "text": "  "}]), prompt_version=None)
    queued = jobs.create(upload([{"id": "y", "text": "  "}]), prompt_version=None)
    jobs._update(ended.id, status="completed")
    assert prune_job_directories(root, datetime.now(UTC) - timedelta(hours=1)) == 0  # not old enough
    assert prune_job_directories(root, datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert not (root / ended.id).exists() and (root / queued.id).is_dir()


# -- two `summarizer serve` processes on one database ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(url: str, chat: FakeOpenAIServer, data_dir: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUMMARIZER_")},
        "SUMMARIZER_BACKEND": "openai",
        "SUMMARIZER_BASE_URL": chat.base_url,
        "SUMMARIZER_API_KEY": "x",
        "SUMMARIZER_DATABASE_URL": url,
        "SUMMARIZER_DATA_DIR": str(data_dir),
        "SUMMARIZER_API_BATCH_LEASE_S": "2",
        "SUMMARIZER_SINGLE_FLIGHT_WAIT_S": "3",  # a frozen instance holds the locks of the articles it had
        "SUMMARIZER_API_PROBE": "false",
        "SUMMARIZER_API_RATE_LIMIT_PER_MINUTE": "100000",
        "SUMMARIZER_REQUEST_TIMEOUT_S": "30",
    }
    command = [sys.executable, "-m", "summarizer.cli", "serve", "--port", str(port)]
    with log.open("ab") as stderr:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base) or process.poll() is not None, timeout_s=60)
        assert process.poll() is None, log.read_text()[-3000:]
        yield base, process
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
            process.terminate()
        process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        return httpx2.get(base + "/health", timeout=1).status_code == 200
    except httpx2.HTTPError:
        return False


def wait_until(condition: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def line_states(url: str, job_id: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        return dict(
            conn.execute(
                "SELECT state, count(*) FROM batch_lines WHERE job_id = %s GROUP BY state", (job_id,)
            ).fetchall()
        )  # type: ignore[arg-type]


def held_by(url: str, pid: int) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM batch_lines WHERE state = 'pending' AND claimed_by LIKE %s AND lease_until > now()",
            (f"%:{pid}:%",),
        ).fetchone()
    return int(row[0]) if row else 0


def finished_job(base: str, job_id: str) -> dict[str, object]:
    state: dict[str, object] = {}

    def done() -> bool:
        nonlocal state
        state = httpx2.get(f"{base}/v1/batches/{job_id}", timeout=5).json()
        return state["status"] == "completed"

    wait_until(done, timeout_s=90)
    return state


def assert_each_line_once(base: str, job_id: str, records: list[dict[str, str]]) -> None:
    results = httpx2.get(f"{base}/v1/batches/{job_id}/results", timeout=30)
    ids = [json.loads(line)["article"]["id"] for line in results.text.splitlines()]
    assert sorted(ids) == sorted(r["id"] for r in records)  # 40 lines, no duplicate, nothing lost


def test_an_instance_killed_mid_batch_leaves_its_lines_to_the_other(tmp_path: Path) -> None:
    records = list(articles(40, prefix="kill"))
    with fresh_database() as url, fake_openai_server(latency_s=0.1) as chat, ExitStack() as stack:
        one, first = stack.enter_context(serve(url, chat, tmp_path / "one", tmp_path / "one.log"))
        two, _ = stack.enter_context(serve(url, chat, tmp_path / "two", tmp_path / "two.log"))
        job = httpx2.post(f"{one}/v1/batches", content=upload(records), headers=JSONL, timeout=30).json()
        wait_until(lambda: held_by(url, first.pid) > 0 and line_states(url, job["id"]).get("done", 0) >= 5)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert line_states(url, job["id"]).get("pending", 0) > 0, "killed too late to test anything"
        final = finished_job(two, job["id"])
        assert (final["done"], final["failed"], final["total"]) == (40, 0, 40)
        assert line_states(url, job["id"]) == {"done": 40}
        assert_each_line_once(two, job["id"], records)


def test_an_instance_frozen_past_its_lease_writes_nothing_when_it_wakes(tmp_path: Path) -> None:
    records = list(articles(40, prefix="stop"))
    with fresh_database() as url, fake_openai_server(latency_s=0.2) as chat, ExitStack() as stack:
        one, frozen = stack.enter_context(serve(url, chat, tmp_path / "one", tmp_path / "one.log"))
        two, _ = stack.enter_context(serve(url, chat, tmp_path / "two", tmp_path / "two.log"))
        job = httpx2.post(f"{one}/v1/batches", content=upload(records), headers=JSONL, timeout=30).json()
        wait_until(lambda: held_by(url, frozen.pid) > 0)
        frozen.send_signal(signal.SIGSTOP)
        final = finished_job(two, job["id"])
        assert (final["done"], final["total"]) == (40, 40)
        import psycopg

        snapshot = "SELECT seq, claim, finished_at, result FROM batch_lines WHERE job_id = %s ORDER BY seq"
        with psycopg.connect(url) as conn:
            before = conn.execute(snapshot, (job["id"],)).fetchall()
        frozen.send_signal(signal.SIGCONT)
        wait_until(lambda: "lost its lease" in (tmp_path / "one.log").read_text(), timeout_s=30)
        time.sleep(1.0)  # whatever else it had in flight comes back too
        with psycopg.connect(url) as conn:
            assert conn.execute(snapshot, (job["id"],)).fetchall() == before  # it wrote nothing
        assert_each_line_once(one, job["id"], records)
